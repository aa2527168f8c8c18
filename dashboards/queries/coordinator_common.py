"""What the coordinator's and the COPIL's dashboard queries share: who may ask, the labelled
periods of several years in one SQL pass, and a read with named parameters."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from epn.principal import COORDINATOR, COPIL
from epn.settings import warehouse_path
from services.access import Scope
from validation.charter.periods import iso_year_weeks, monday
from validation.charter.terms import first_reporting_year
from warehouse.db import connect

COORDINATOR_ROLES = (COORDINATOR,)
STEERING_ROLES = (COORDINATOR, COPIL)

# validation/charter/periods.py's labelled period, for every year of $years at once: from
# the week of the label date (or the year's first week) to the year's last week, cut at the
# week before the withdrawal's week and at the week before the evaluation date's week.
PERIODS = """
periods AS (
    SELECT * FROM (
        SELECT b.year, r.epn_id, r.name, r.commune_nis, r.authority_type,
               greatest(date_trunc('week', r.labelled_on)::DATE, b.first_week) AS first_week,
               least(b.last_week, $cut::DATE,
                     coalesce(date_trunc('week', r.withdrawn_on)::DATE - 7, b.last_week))
                   AS last_week
        FROM registry_current r,
             (SELECT unnest($years::INTEGER[]) AS year, unnest($firsts::DATE[]) AS first_week,
                     unnest($lasts::DATE[]) AS last_week) b
        WHERE r.labelled_on IS NOT NULL AND {where}
    )
    WHERE first_week <= last_week
)"""


def scope_sql(scope: Scope, column: str = "epn_id") -> tuple[str, dict]:
    """Scope.where with a named parameter, for queries written with $names."""
    if scope.epn_ids is None:
        return "TRUE", {}
    return f"list_contains($scope_ids::VARCHAR[], {column})", {"scope_ids": list(scope.epn_ids)}


def filters_sql(communes: list[int] | None, authority_types: list[str] | None) -> tuple[str, dict]:
    """The page's commune and authority-type filters on ``r`` (registry_current/identity)."""
    where = (
        "(len($communes::INTEGER[]) = 0 OR list_contains($communes::INTEGER[], r.commune_nis))"
        " AND (len($authorities::VARCHAR[]) = 0"
        " OR list_contains($authorities::VARCHAR[], r.authority_type))"
    )
    return where, {
        "communes": [int(c) for c in communes or []],
        "authorities": list(authority_types or []),
    }


def period_params(years: list[int], as_of: dt.date) -> dict:
    bounds = [iso_year_weeks(year) for year in years]
    return {
        "years": list(years),
        "firsts": [first for first, _ in bounds],
        "lasts": [last for _, last in bounds],
        "cut": monday(as_of) - dt.timedelta(days=7),
    }


def compliance_over_years(scope: Scope, years: list[int], as_of: dt.date) -> pd.DataFrame:
    """year, labelled, compliant, share: the EPNs of ``scope`` labelled during each year
    (the charter's labelled period) and those of them without a breach in the mart."""
    where, params = scope_sql(scope, "r.epn_id")
    return read(
        f"""
        WITH {PERIODS.format(where=where)},
        breached AS (
            SELECT DISTINCT epn_id, year FROM mart_finding
            WHERE severity = 'breach' AND list_contains($years, year)
        )
        SELECT p.year, count(*)::INTEGER AS labelled,
               count(*) FILTER (WHERE b.epn_id IS NULL)::INTEGER AS compliant,
               count(*) FILTER (WHERE b.epn_id IS NULL) / count(*) AS share
        FROM periods p LEFT JOIN breached b USING (epn_id, year)
        GROUP BY p.year ORDER BY p.year
        """,
        {**params, **period_params(years, as_of)},
    )


def read(sql: str, params: dict) -> pd.DataFrame:
    """One brief read with named parameters (``$name``); only those the SQL names are sent."""
    used = {name: value for name, value in params.items() if re.search(rf"\${name}\b", sql)}
    with connect(warehouse_path()) as con:
        return con.execute(sql, used).df()


def reporting_years(today: dt.date | None = None) -> dict:
    """first_year, last_year: the years a page may list, first reporting year → this year."""
    return {"first_year": first_reporting_year(), "last_year": (today or dt.date.today()).year}
