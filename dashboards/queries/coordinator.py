"""The coordinator's dashboard queries, and every dashboard page's queries for the benchmark.

``PAGE_QUERIES`` lists, per page, the functions the page runs (every tab of it); each takes
``(principal, year)`` and defaults the rest to what the page shows first.
"""

from __future__ import annotations

import pandas as pd

from dashboards.queries.coordinator_common import (
    COORDINATOR_ROLES,
    STEERING_ROLES,
    read,
    reporting_years,
    scope_sql,
)
from dashboards.queries.coordinator_compliance import breach_matrix, finding_details
from dashboards.queries.coordinator_followup import followup_history, outlier_series
from dashboards.queries.coordinator_outliers import outliers, review_window
from dashboards.queries.coordinator_reporting import reporting_by_commune, reporting_by_epn
from dashboards.queries.copil_dashboard import (
    breaches_by_rule,
    compliance_by_year,
    network_by_year,
    pending_decisions,
    withdrawal_candidates,
)
from epn.locale import commune_name_column
from epn.principal import Principal
from services.access import role_scope


def dashboard_years(principal: Principal, year: int | None = None) -> pd.DataFrame:
    """year: the years with statistics, a report or a finding, newest first (``year`` unused:
    the page asks before it knows the year)."""
    where, params = scope_sql(role_scope(principal, STEERING_ROLES))
    return read(
        f"""
        WITH weeks AS (
            SELECT isoyear(min(week_start)) AS low, isoyear(max(week_start)) AS high
            FROM cur_weekly WHERE {where}
        )
        SELECT DISTINCT year FROM (
            SELECT unnest(range(greatest(low, $first_year), least(high, $last_year) + 1)) AS year
            FROM weeks WHERE low IS NOT NULL
            UNION SELECT year FROM hist_report WHERE {where}
            UNION SELECT year FROM mart_finding WHERE {where}
        ) WHERE year BETWEEN $first_year AND $last_year ORDER BY year DESC
        """,
        {**params, **reporting_years()},
    )


def commune_options(principal: Principal, year: int, *, lang: str = "fr") -> pd.DataFrame:
    """commune_nis, commune: the Region's 19 communes, by name (``year`` unused)."""
    role_scope(principal, COORDINATOR_ROLES)
    return read(
        f"SELECT commune_nis, {commune_name_column(lang)} AS commune FROM commune ORDER BY 2",
        {},
    )


PAGE_QUERIES = {
    "coordinator": [
        dashboard_years,
        commune_options,
        reporting_by_commune,
        reporting_by_epn,
        breach_matrix,
        finding_details,
        review_window,
        outliers,
        outlier_series,
        followup_history,
    ],
    "copil_dashboard": [
        dashboard_years,
        pending_decisions,
        withdrawal_candidates,
        network_by_year,
        compliance_by_year,
        breaches_by_rule,
    ],
}
