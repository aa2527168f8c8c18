"""An outlier week in context, and the history of the follow-up flags."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboards.queries.coordinator_common import COORDINATOR_ROLES, read, scope_sql
from dashboards.queries.coordinator_outliers import BASELINE_WEEKS, MEASURES
from epn.principal import Principal
from epn.settings import warehouse_path
from services.access import role_scope
from validation.charter.periods import iso_year_weeks
from warehouse.db import connect


def outlier_series(
    principal: Principal,
    year: int,
    *,
    epn_id: str | None = None,
    week_start: dt.date | None = None,
    measure: str = "visits",
    weeks: int = 13,
) -> pd.DataFrame:
    """week_start, status, value: the EPN's ``measure`` from the year of history before
    ``week_start``'s review window to ``weeks`` after it.

    The page passes the outlier it shows; without ``epn_id`` the series is the one of the
    year's highest value of ``measure`` (a default that costs what the page's call costs).
    """
    if measure not in MEASURES:
        raise ValueError(measure)
    where, params = scope_sql(role_scope(principal, COORDINATOR_ROLES))
    with connect(warehouse_path()) as con:
        if epn_id is None:
            first, last = iso_year_weeks(year)
            epn_id, week_start = con.execute(
                f"SELECT arg_max(epn_id, {measure}), arg_max(week_start, {measure})"
                f" FROM cur_weekly WHERE week_start BETWEEN $first AND $last AND {where}",
                {**params, "first": first, "last": last},
            ).fetchone()
            if epn_id is None:
                return pd.DataFrame(columns=["week_start", "status", "value"])
        return con.execute(
            f"""
            SELECT week_start, status, {measure}::DOUBLE AS value
            FROM cur_weekly
            WHERE epn_id = $epn_id AND week_start BETWEEN $start AND $end AND {where}
            ORDER BY week_start
            """,
            {
                **params,
                "epn_id": epn_id,
                "start": week_start - dt.timedelta(weeks=BASELINE_WEEKS + weeks),
                "end": week_start + dt.timedelta(weeks=weeks),
            },
        ).df()


def followup_history(
    principal: Principal,
    year: int,
    *,
    epn_id: str | None = None,
    week_start: dt.date | None = None,
    measure: str | None = None,
    limit: int = 20,
) -> pd.DataFrame:
    """Every set and clear of one week and measure, newest first; without a key, the latest
    ``limit`` follow-up actions on weeks of ``year``."""
    where, params = scope_sql(role_scope(principal, COORDINATOR_ROLES), "f.epn_id")
    keyed = epn_id is not None
    condition = (
        "f.epn_id = $epn_id AND f.week_start = $week_start AND f.measure = $measure"
        if keyed
        else "isoyear(f.week_start) = $year"
    )
    return read(
        f"""
        SELECT f.flag_id, f.epn_id, i.name, f.week_start, f.measure, f.action, f.note,
               f.recorded_by, f.recorded_at
        FROM followup_flag f LEFT JOIN registry_identity i USING (epn_id)
        WHERE {condition} AND {where}
        ORDER BY f.flag_id DESC
        LIMIT $limit
        """,
        {
            **params,
            "epn_id": epn_id,
            "week_start": week_start,
            "measure": measure,
            "year": year,
            "limit": limit,
        },
    )
