"""The audit trail for the coordinator: who uploaded, corrected, decided or was refused what."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboards.queries.warehouse import read_frame
from epn.principal import Principal
from services.access import require

AUDIT_COLUMNS = ("occurred_at", "username", "action", "target", "outcome", "detail")
MAX_ROWS = 5000  # newest first; narrower filters reach older entries


def audit_choices(principal: Principal) -> dict[str, list]:
    """The actions, users and outcomes present, and the first and last day, for the filters."""
    require(principal, "audit.read", what="audit.choices")
    frame = read_frame(
        """
        SELECT list(DISTINCT action ORDER BY action) AS actions,
               list(DISTINCT username ORDER BY username)
                   FILTER (WHERE username IS NOT NULL) AS users,
               list(DISTINCT outcome ORDER BY outcome) AS outcomes,
               min(occurred_at)::DATE AS first_day, max(occurred_at)::DATE AS last_day
        FROM audit_log
        """
    )
    row = frame.iloc[0]
    lists = {
        key: list(row[key]) if row[key] is not None else []
        for key in ("actions", "users", "outcomes")
    }
    days = {
        key: None if pd.isna(row[key]) else row[key].date() for key in ("first_day", "last_day")
    }
    return {**lists, **days}


def audit_entries(
    principal: Principal,
    *,
    actions: list[str] | None = None,
    users: list[str] | None = None,
    outcomes: list[str] | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    limit: int = MAX_ROWS,
) -> pd.DataFrame:
    """The entries matching every filter given, newest first; ``detail`` as stored (JSON text,
    labelled for the reader by ``dashboards.audit_details``)."""
    require(principal, "audit.read", what="audit.entries")
    conditions, params = ["TRUE"], []
    for column, values in (("action", actions), ("username", users), ("outcome", outcomes)):
        if values:
            conditions.append(f"list_contains(?::VARCHAR[], {column})")
            params.append(list(values))
    if since:
        conditions.append("occurred_at >= ?")
        params.append(dt.datetime.combine(since, dt.time()))
    if until:
        conditions.append("occurred_at < ?")
        params.append(dt.datetime.combine(until + dt.timedelta(days=1), dt.time()))
    frame = read_frame(
        f"""
        SELECT occurred_at, username, action, target, outcome, detail::VARCHAR AS detail
        FROM audit_log WHERE {" AND ".join(conditions)}
        ORDER BY audit_id DESC LIMIT ?
        """,
        [*params, int(limit)],
    )
    return frame
