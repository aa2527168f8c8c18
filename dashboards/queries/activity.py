"""Attendance and compliance aggregates: per commune, per month, per year."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboards.mart_freshness import ensure_findings_fresh
from dashboards.queries.coordinator_common import (
    PERIODS,
    compliance_over_years,
    period_params,
    read,
    reporting_years,
    scope_sql,
)
from dashboards.queries.warehouse import read_frame
from epn.locale import commune_name_column
from epn.principal import Principal
from services.access import scope_for
from validation.charter.periods import iso_year_weeks


def available_years(principal: Principal) -> pd.DataFrame:
    """The years from the first to the last with statistics or an annual report (ISO years
    for weeks), newest first; read from the bounds, as ``region_years`` does, and kept
    within the reporting years (``reporting_years``): a week mistyped 9999 adds none."""
    where, params = scope_sql(scope_for(principal, per_epn=False))
    params = {**params, **reporting_years()}
    return read(
        f"""
        WITH bounds AS (
            SELECT least(isoyear(min(week_start)),
                         (SELECT min(year) FROM hist_report WHERE {where})) AS low,
                   greatest(isoyear(max(week_start)),
                            (SELECT max(year) FROM hist_report WHERE {where})) AS high
            FROM cur_weekly WHERE {where}
        )
        SELECT unnest(range(least(high, $last_year), greatest(low, $first_year) - 1, -1)) AS year
        FROM bounds WHERE low IS NOT NULL
        """,
        params,
    )


def visits_by_month(principal: Principal, year: int, lang: str) -> pd.DataFrame:
    """month, commune_nis, commune, visits over the weeks of ISO year ``year``."""
    where, params = scope_for(principal, per_epn=False).where("w.epn_id")
    # A week counts in the month of its Thursday, which always lies in the week's ISO year.
    return read_frame(
        f"""
        SELECT date_trunc('month', w.week_start + INTERVAL 3 DAY)::DATE AS month,
               i.commune_nis, c.{commune_name_column(lang)} AS commune,
               sum(w.visits)::BIGINT AS visits
        FROM cur_weekly w
        JOIN registry_identity i USING (epn_id)
        LEFT JOIN commune c USING (commune_nis)
        WHERE w.week_start BETWEEN ? AND ? AND {where}
        GROUP BY ALL
        ORDER BY month, i.commune_nis
        """,
        [*iso_year_weeks(year), *params],
    )


def kpis(principal: Principal, year: int) -> pd.DataFrame:
    """One row: labelled_epns, visits, open_weeks, findings, breaches for ``year``."""
    scope = scope_for(principal, per_epn=False)
    ensure_findings_fresh()
    where, params = scope_sql(scope)
    first, last = iso_year_weeks(year)
    return read(
        f"""
        WITH {PERIODS.format(where=scope_sql(scope, "r.epn_id")[0])}
        SELECT (SELECT count(*) FROM periods)::BIGINT AS labelled_epns,
               coalesce(sum(visits), 0)::BIGINT AS visits,
               count(*) FILTER (WHERE status = 'open')::BIGINT AS open_weeks,
               (SELECT count(*) FROM mart_finding WHERE year = $year AND {where})::BIGINT
                   AS findings,
               (SELECT count(*) FROM mart_finding
                WHERE year = $year AND severity = 'breach' AND {where})::BIGINT AS breaches
        FROM cur_weekly WHERE week_start BETWEEN $first AND $last AND {where}
        """,
        {
            **params,
            **period_params([year], dt.date.today()),
            "year": year,
            "first": first,
            "last": last,
        },
    )


def compliance_share(principal: Principal) -> pd.DataFrame:
    """year, labelled, compliant, share: EPNs labelled that year without any breach."""
    scope = scope_for(principal, per_epn=False)
    years = sorted(available_years(principal)["year"].astype(int))
    ensure_findings_fresh()
    frame = compliance_over_years(scope, years, dt.date.today())
    return frame[frame["labelled"] > 0].reset_index(drop=True)
