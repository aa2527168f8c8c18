"""The history of received files and what an accepted upload brought in."""

from __future__ import annotations

import pandas as pd

from dashboards.queries.warehouse import read_frame
from epn.principal import EPN_USER, Principal
from services.access import scope_for


def upload_history(principal: Principal, limit: int = 200) -> pd.DataFrame:
    """The latest uploads in scope, newest first, with their count of errors."""
    scope = scope_for(principal, per_epn=True)
    if scope.epn_ids is None:
        where, params = "TRUE", []
    else:
        # An EPN sees the files naming its EPN, and its own rejected files that name none.
        where = "(list_has_any(epn_ids, ?::VARCHAR[]) OR uploaded_by = ?)"
        params = [list(scope.epn_ids), principal.username]
    frame = read_frame(
        f"""
        SELECT upload_id, uploaded_at, received_on, filename, kind, status, epn_ids, year,
               uploaded_by, coalesce(json_array_length(errors), 0)::INTEGER AS errors
        FROM upload WHERE {where}
        ORDER BY upload_id DESC LIMIT ?
        """,
        [*params, limit],
    )
    if principal.role == EPN_USER:
        # A file may name several EPNs; an EPN user is only told about its own.
        frame["epn_ids"] = frame["epn_ids"].map(
            lambda ids: [e for e in (ids if ids is not None else []) if scope.keeps(e)]
        )
    return frame


def upload_weeks(principal: Principal, sha256: str) -> pd.DataFrame:
    """weeks, first_week, last_week of the statistics an accepted file with ``sha256`` stored."""
    where, params = scope_for(principal, per_epn=True).where("w.epn_id")
    return read_frame(
        f"""
        SELECT count(*)::INTEGER AS weeks, min(w.week_start) AS first_week,
               max(w.week_start) AS last_week
        FROM hist_weekly w
        WHERE w.upload_id = (SELECT min(upload_id) FROM upload
                             WHERE sha256 = ? AND status = 'accepted')
          AND {where}
        """,
        [sha256, *params],
    )
