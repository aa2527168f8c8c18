"""Weeks far from the EPN's own history: a modified z-score on visits and public hours.

Each open week of the review window is compared with the EPN's open weeks of the 52 weeks
before that window: z = 0.6745 (x - median) / MAD, flagged when |z| > 3.5 (Iglewicz and
Hoaglin). When more than half of the history is identical (MAD = 0) the mean absolute
deviation stands in (z = 0.7979 (x - median) / MeanAD); a history with no variation at all
gives no score. Closed weeks are declared closures, not anomalies: they are left out.
A week with a Belgian public holiday on a working day is judged against two expectations:
the EPN's usual week, and that week scaled by its opening days (median and spread × open
days / 5), the one it is closer to (nothing between the two is unusual). An EPN that closed
on 11 November, or opened as usual, is flagged by neither; a week far from both still is.
A fixed baseline per EPN, computed once per window (``warehouse.outlier_baseline``), keeps
the page's query to a scan of the window's weeks at national scale.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboards.queries.coordinator_common import (
    COORDINATOR_ROLES,
    filters_sql,
    read,
    scope_sql,
)
from epn.locale import commune_name_column
from epn.principal import Principal
from epn.public_holidays import WORKING_DAYS, short_weeks
from epn.settings import warehouse_path
from services.access import role_scope
from validation.charter.periods import iso_year_weeks
from warehouse import outlier_baseline
from warehouse.db import connect, transaction
from warehouse.outlier_baseline import MEASURES

THRESHOLD = 3.5
BASELINE_WEEKS = 52

# the EPNs' baselines come from the mart, computed once per window (warehouse.outlier_baseline)
SCORED = """
WITH stats AS (
    SELECT * EXCLUDE (base_start, base_end) FROM mart_outlier_baseline
    WHERE base_start = $base_start AND base_end = $base_end
), opening AS (  -- the review's weeks a public holiday shortens, and their open days
    SELECT unnest($short_mondays::DATE[]) AS week_start, unnest($short_days::INTEGER[]) AS days
), recent AS (
    SELECT r.*, s.* EXCLUDE (epn_id), coalesce(o.days, $full_week)::INTEGER AS open_days,
           coalesce(o.days, $full_week) / $full_week AS share
    FROM cur_weekly r JOIN stats s USING (epn_id) LEFT JOIN opening o USING (week_start)
    WHERE r.status = 'open' AND r.week_start BETWEEN $review_start AND $end AND {where}
), scored AS ({branches})
"""
# One branch per measure, stacked: the baseline is computed once for both.
BRANCH = """
    SELECT epn_id, week_start, '{m}' AS measure, {m}::DOUBLE AS value, {m}_median AS median,
           history_weeks, open_days,
           CASE WHEN share = 1 OR z_full IS NULL OR z_short IS NULL THEN z_full
                WHEN sign(z_full) <> sign(z_short) THEN 0  -- between the two: as expected
                WHEN abs(z_full) < abs(z_short) THEN z_full ELSE z_short END AS z
    FROM (
        SELECT *,
               CASE WHEN {m}_mad > 0 THEN 0.6745 * ({m} - {m}_median) / {m}_mad
                    WHEN {m}_mean_ad > 0 THEN 0.7979 * ({m} - {m}_median) / {m}_mean_ad
               END AS z_full,
               CASE WHEN share = 0 THEN NULL  -- no working day left: nothing to scale
                    WHEN {m}_mad > 0
                    THEN 0.6745 * ({m} - {m}_median * share) / ({m}_mad * share)
                    WHEN {m}_mean_ad > 0
                    THEN 0.7979 * ({m} - {m}_median * share) / ({m}_mean_ad * share)
               END AS z_short
        FROM recent WHERE list_contains($measures, '{m}')
    )"""


def scored_sql(where: str) -> str:
    branches = " UNION ALL ".join(BRANCH.format(m=m) for m in MEASURES)
    return SCORED.format(where=where, branches=branches)


def review_end(con, year: int) -> dt.date | None:
    """The last week with statistics up to the end of ``year``: where the review ends."""
    first, last = iso_year_weeks(year)
    return con.execute(
        "SELECT max(week_start) FROM cur_weekly WHERE week_start BETWEEN ? AND ?", [first, last]
    ).fetchone()[0]


def window(end: dt.date, weeks: int) -> dict:
    review_start = end - dt.timedelta(weeks=weeks - 1)
    return {
        "end": end,
        "review_start": review_start,
        "base_end": review_start - dt.timedelta(weeks=1),
        "base_start": review_start - dt.timedelta(weeks=BASELINE_WEEKS),
    }


def opening_params(review_start: dt.date, end: dt.date) -> dict:
    """The review's weeks shortened by a public holiday, as the query's parameters."""
    shortened = short_weeks(review_start, end)
    return {
        "short_mondays": list(shortened),
        "short_days": list(shortened.values()),
        "full_week": float(WORKING_DAYS),
    }


def review_window(principal: Principal, year: int, *, weeks: int = 13) -> pd.DataFrame:
    """review_start, review_end: the weeks reviewed for ``year`` (no row without statistics)."""
    where, params = scope_sql(role_scope(principal, COORDINATOR_ROLES))
    first, last = iso_year_weeks(year)
    return read(
        f"""
        SELECT (review_end - 7 * ($weeks - 1))::DATE AS review_start, review_end
        FROM (SELECT max(week_start) AS review_end FROM cur_weekly
              WHERE week_start BETWEEN $first AND $last AND {where})
        WHERE review_end IS NOT NULL
        """,
        {**params, "first": first, "last": last, "weeks": weeks},
    )


def where_sql(principal, communes, authority_types) -> tuple[str, dict]:
    """Scope and filters on cur_weekly's epn_id; the filters only when the page sets some."""
    where, params = scope_sql(role_scope(principal, COORDINATOR_ROLES))
    if communes or authority_types:
        filter_where, filter_params = filters_sql(communes, authority_types)
        where += f" AND epn_id IN (SELECT epn_id FROM registry_identity r WHERE {filter_where})"
        params.update(filter_params)
    return where, params


def outliers(
    principal: Principal,
    year: int,
    *,
    weeks: int = 13,
    measures: tuple[str, ...] = MEASURES,
    communes: list[int] | None = None,
    authority_types: list[str] | None = None,
    flagged_only: bool = False,
    lang: str = "fr",
    page: int = 0,
    page_size: int = 50,
) -> pd.DataFrame:
    """A page of the review window's outliers, strongest first, with their follow-up state;
    ``total``, ``flagged_total`` and ``epns_total`` count over every page."""
    where, params = where_sql(principal, communes, authority_types)
    with connect(warehouse_path()) as con:
        end = review_end(con, year)
        if end is None:
            return pd.DataFrame()
        reviewed = window(end, weeks)
        with transaction(con):
            outlier_baseline.ensure(con, reviewed["base_start"], reviewed["base_end"])
        return con.execute(
            scored_sql(where)
            + f""",
            hits AS (
                SELECT s.*, coalesce(f.flagged, false) AS flagged, f.flagged_by, f.flagged_at,
                       f.note
                FROM scored s LEFT JOIN followup_current f USING (epn_id, week_start, measure)
                WHERE abs(s.z) > $threshold AND (coalesce(f.flagged, false) OR NOT $flagged_only)
            ), page AS (
                SELECT *, count(*) OVER ()::INTEGER AS total,
                       count(*) FILTER (WHERE flagged) OVER ()::INTEGER AS flagged_total,
                       count(DISTINCT epn_id) OVER ()::INTEGER AS epns_total
                FROM hits
                ORDER BY abs(z) DESC, epn_id, week_start, measure
                LIMIT $limit OFFSET $offset
            )
            SELECT p.epn_id, i.name, c.{commune_name_column(lang)} AS commune, p.week_start,
                   p.measure, p.value, p.median, p.z, p.history_weeks, p.open_days, p.flagged,
                   p.flagged_by, p.flagged_at, p.note, p.total, p.flagged_total, p.epns_total
            FROM page p  -- names for the page's rows only
            LEFT JOIN registry_identity i USING (epn_id)
            LEFT JOIN commune c USING (commune_nis)
            ORDER BY abs(p.z) DESC, p.epn_id, p.week_start, p.measure
            """,
            {
                **params,
                **reviewed,
                **opening_params(reviewed["review_start"], reviewed["end"]),
                "measures": list(measures),
                "threshold": THRESHOLD,
                "flagged_only": flagged_only,
                "limit": page_size,
                "offset": page * page_size,
            },
        ).df()
