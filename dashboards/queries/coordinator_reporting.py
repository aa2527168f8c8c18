"""Reporting completeness and timeliness of a year: annual reports and statistics weeks.

Expected: every EPN labelled during the year (its labelled period, as the charter reads it);
received: its accepted annual report of that year and the weeks of its period that have a
statistics row; on time: the first accepted report reached the Region by the deadline.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboards.queries.coordinator_common import (
    COORDINATOR_ROLES,
    PERIODS,
    filters_sql,
    period_params,
    read,
    scope_sql,
)
from epn.locale import commune_name_column
from epn.principal import Principal
from services.access import role_scope
from validation.charter.periods import iso_year_weeks
from validation.charter.terms import terms_for

PER_EPN = """
WITH {periods},
weeks AS (
    SELECT p.epn_id, count(*) AS received_weeks
    FROM cur_weekly w JOIN periods p
      ON w.epn_id = p.epn_id AND w.week_start BETWEEN p.first_week AND p.last_week
    WHERE w.week_start BETWEEN $first AND $last  -- a constant range prunes the scan
    GROUP BY p.epn_id
), reports AS (
    SELECT r.epn_id, min(u.received_on) AS first_received_on
    FROM hist_report r JOIN upload u USING (upload_id)
    WHERE r.year = $year AND u.received_on <= $today AND u.status = 'accepted'
    GROUP BY r.epn_id
), per_epn AS (
    SELECT p.epn_id, p.name, p.commune_nis, p.authority_type,
           (p.last_week - p.first_week) // 7 + 1 AS expected_weeks,
           coalesce(w.received_weeks, 0) AS received_weeks,
           r.first_received_on,
           CASE WHEN r.first_received_on <= $deadline THEN 'on_time'
                WHEN r.first_received_on IS NOT NULL THEN 'late'
                WHEN $today > $deadline THEN 'missing'
                ELSE 'awaited' END AS report_status
    FROM periods p LEFT JOIN weeks w USING (epn_id) LEFT JOIN reports r USING (epn_id)
)
"""


def report_deadline(year: int) -> dt.date:
    return terms_for(year).report_deadline(year)


def _params(principal, year, communes, authority_types, as_of) -> tuple[str, dict]:
    scope_where, scope_params = scope_sql(role_scope(principal, COORDINATOR_ROLES), "r.epn_id")
    filter_where, filter_params = filters_sql(communes, authority_types)
    today = as_of or dt.date.today()
    first, last = iso_year_weeks(year)
    sql = PER_EPN.format(periods=PERIODS.format(where=f"{scope_where} AND {filter_where}"))
    params = {
        **period_params([year], today),
        "year": year,
        "first": first,
        "last": last,
        **scope_params,
        **filter_params,
        "today": today,
        "deadline": report_deadline(year),
    }
    return sql, params


def reporting_by_commune(
    principal: Principal,
    year: int,
    *,
    communes: list[int] | None = None,
    authority_types: list[str] | None = None,
    lang: str = "fr",
    as_of: dt.date | None = None,
) -> pd.DataFrame:
    """One row per commune with expected and received reports and weeks, and the rates."""
    sql, params = _params(principal, year, communes, authority_types, as_of)
    return read(
        sql
        + f"""
        SELECT e.commune_nis, c.{commune_name_column(lang)} AS commune,
               count(*)::INTEGER AS expected_reports,
               count(first_received_on)::INTEGER AS received_reports,
               count(*) FILTER (WHERE report_status = 'on_time')::INTEGER AS on_time,
               count(*) FILTER (WHERE report_status = 'late')::INTEGER AS late,
               count(*) FILTER (WHERE report_status = 'missing')::INTEGER AS missing,
               count(*) FILTER (WHERE report_status = 'awaited')::INTEGER AS awaited,
               sum(expected_weeks)::INTEGER AS expected_weeks,
               sum(received_weeks)::INTEGER AS received_weeks,
               sum(received_weeks) / sum(expected_weeks) AS week_rate,
               count(*) FILTER (WHERE report_status = 'on_time') / count(*) AS on_time_rate
        FROM per_epn e LEFT JOIN commune c USING (commune_nis)
        GROUP BY ALL
        ORDER BY commune, e.commune_nis
        """,
        params,
    )


def reporting_by_epn(
    principal: Principal,
    year: int,
    *,
    communes: list[int] | None = None,
    authority_types: list[str] | None = None,
    lang: str = "fr",
    incomplete_only: bool = False,
    page: int = 0,
    page_size: int = 50,
    as_of: dt.date | None = None,
) -> pd.DataFrame:
    """A page of EPNs, the most behind first; ``total`` holds the count over every page."""
    sql, params = _params(principal, year, communes, authority_types, as_of)
    return read(
        sql
        + f"""
        SELECT e.epn_id, e.name, c.{commune_name_column(lang)} AS commune,
               e.report_status, e.first_received_on, e.expected_weeks, e.received_weeks,
               e.received_weeks / e.expected_weeks AS week_rate,
               count(*) OVER ()::INTEGER AS total
        FROM per_epn e LEFT JOIN commune c USING (commune_nis)
        WHERE NOT $incomplete_only
           OR e.report_status <> 'on_time' OR e.received_weeks < e.expected_weeks
        ORDER BY list_position(['missing', 'late', 'awaited', 'on_time'], e.report_status),
                 week_rate, e.epn_id
        LIMIT $limit OFFSET $offset
        """,
        {
            **params,
            "incomplete_only": incomplete_only,
            "limit": page_size,
            "offset": page * page_size,
        },
    )
