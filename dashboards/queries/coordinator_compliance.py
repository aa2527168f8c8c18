"""Non-compliance over several years, from the findings mart: EPN x rule, and the evidence."""

from __future__ import annotations

import json

import pandas as pd

from dashboards.queries.coordinator_common import (
    COORDINATOR_ROLES,
    filters_sql,
    read,
    scope_sql,
)
from epn.principal import Principal
from services.access import role_scope
from validation.charter.findings import Finding

# The EPNs with most years in breach, and the rules they broke; shared by the matrix and
# the drill-down's default (the matrix's first EPN).
RANKED = """
WITH fired AS (
    SELECT m.epn_id, m.code, count(DISTINCT m.year)::INTEGER AS years
    FROM mart_finding m JOIN registry_identity r USING (epn_id)
    WHERE m.year BETWEEN $first_year AND $year
      AND (m.severity = 'breach' OR NOT $breaches_only)
      AND {where}
    GROUP BY ALL
), ranked AS (
    SELECT epn_id, sum(years)::INTEGER AS total_years, count(*)::INTEGER AS rules,
           count(*) OVER ()::INTEGER AS epns
    FROM fired GROUP BY epn_id
    ORDER BY total_years DESC, rules DESC, epn_id
    LIMIT $top
)
"""


def _ranked(principal, year, first_year, breaches_only, communes, authority_types, top):
    scope_where, scope_params = scope_sql(role_scope(principal, COORDINATOR_ROLES), "m.epn_id")
    filter_where, filter_params = filters_sql(communes, authority_types)
    params = {
        **scope_params,
        **filter_params,
        "year": year,
        "first_year": year - 4 if first_year is None else first_year,
        "breaches_only": breaches_only,
        "top": top,
    }
    return RANKED.format(where=f"{scope_where} AND {filter_where}"), params


def breach_matrix(
    principal: Principal,
    year: int,
    *,
    first_year: int | None = None,
    breaches_only: bool = True,
    communes: list[int] | None = None,
    authority_types: list[str] | None = None,
    top: int = 25,
) -> pd.DataFrame:
    """epn_id, name, code, years (how many years of the range the rule fired), total_years,
    epns (EPNs with a finding in the range, beyond the ``top`` shown), most affected first.

    The range runs from ``first_year`` (default: four years before) to ``year``.
    """
    ranked, params = _ranked(
        principal, year, first_year, breaches_only, communes, authority_types, top
    )
    return read(
        ranked
        + """
        SELECT f.epn_id, r.name, f.code, f.years, k.total_years, k.epns
        FROM fired f JOIN ranked k USING (epn_id) JOIN registry_identity r USING (epn_id)
        ORDER BY k.total_years DESC, k.rules DESC, f.epn_id, f.code
        """,
        params,
    )


def finding_details(
    principal: Principal,
    year: int,
    *,
    epn_id: str | None = None,
    code: str | None = None,
    first_year: int | None = None,
    breaches_only: bool = True,
    lang: str = "fr",
) -> pd.DataFrame:
    """year, code, severity, message, evidence (dict) of one EPN's findings in the range,
    for one rule or all; without ``epn_id``, the matrix's first EPN."""
    ranked, params = _ranked(principal, year, first_year, breaches_only, None, None, 1)
    frame = read(
        ranked
        + """
        SELECT m.epn_id, m.year, m.code, m.severity, m.evidence
        FROM mart_finding m
        WHERE m.epn_id = coalesce($epn_id, (SELECT epn_id FROM ranked))
          AND m.epn_id IN (SELECT epn_id FROM fired)  -- in scope
          AND m.year BETWEEN $first_year AND $year
          AND (m.code = $code OR $code IS NULL)
          AND (m.severity = 'breach' OR NOT $breaches_only)
        ORDER BY m.year DESC, m.code
        """,
        {**params, "epn_id": epn_id, "code": code},
    )
    findings = [
        Finding(row.epn_id, int(row.year), row.code, row.severity, json.loads(row.evidence or "{}"))
        for row in frame.itertuples()
    ]
    return pd.DataFrame(
        [f.to_dict(lang, readable=True) for f in findings],
        columns=["epn_id", "year", "code", "severity", "message", "evidence"],
    )
