"""What the entry pages read: the EPN's weeks already in force and its report draft.

Each function resolves the EPN through ``own_epn`` (an EPN user always gets its own).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboards.queries.my_epn import own_epn
from dashboards.queries.warehouse import read_frame
from epn.principal import Principal
from epn.settings import warehouse_path
from validation.plausible import week_span
from warehouse import drafts
from warehouse.db import connect

WEEK_COLUMNS = (
    "week_start",
    "status",
    "closure_reason",
    "public_hours",
    "facilitated_hours",
    "visits",
    "unique_users",
    "new_users",
)


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def first_unreported_week(principal: Principal, today: dt.date, epn_id: str | None = None):
    """The Monday after the EPN's latest week in force; without any, the week it was labelled
    in, but not before this year's first ISO week (a new EPN starts where it stands).

    Only weeks of the plausible span count: a week dated 9999 that an old warehouse still
    holds would put the next week beyond any date (and 2100 decades ahead)."""
    epn = own_epn(principal, epn_id)
    first, last = week_span(today)
    row = read_frame(
        """
        SELECT (SELECT max(week_start) FROM cur_weekly
                WHERE epn_id = $1 AND week_start BETWEEN $2 AND $3) AS last_week,
               (SELECT labelled_on FROM registry_current WHERE epn_id = $1) AS labelled_on
        """,
        [epn, first, last],
    ).iloc[0]
    if pd.notna(row["last_week"]):
        return row["last_week"].date() + dt.timedelta(weeks=1)
    start_of_year = dt.date.fromisocalendar(today.isocalendar().year, 1, 1)
    if pd.notna(row["labelled_on"]):
        return max(monday_of(row["labelled_on"].date()), start_of_year)
    return start_of_year


def weeks_in_force(
    principal: Principal, first: dt.date, last: dt.date, epn_id: str | None = None
) -> pd.DataFrame:
    """The EPN's current values of the weeks from ``first`` to ``last`` (Mondays)."""
    epn = own_epn(principal, epn_id)
    frame = read_frame(
        f"SELECT {', '.join(WEEK_COLUMNS)} FROM cur_weekly"
        " WHERE epn_id = $1 AND week_start BETWEEN $2 AND $3 ORDER BY week_start",
        [epn, first, last],
    )
    frame["week_start"] = pd.to_datetime(frame["week_start"]).dt.date
    return frame


def report_draft(principal: Principal, year: int, epn_id: str | None = None) -> dict | None:
    """The EPN's draft of its ``year`` report: {content, step, updated_by, updated_at}."""
    epn = own_epn(principal, epn_id)
    with connect(warehouse_path()) as con:
        return drafts.read_draft(con, epn, year)
