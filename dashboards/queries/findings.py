"""Charter findings as the pages show them, from the findings mart."""

from __future__ import annotations

import pandas as pd

from dashboards.mart_freshness import ensure_findings_fresh
from dashboards.queries.warehouse import read_frame
from epn.i18n import t
from epn.locale import commune_name_column
from epn.principal import Principal
from services.access import scope_for
from warehouse.finding_mart import mart_finding

FINDING_COLUMNS = (
    "epn_id",
    "name",
    "commune_nis",
    "commune",
    "year",
    "code",
    "rule",
    "severity",
    "message",
    "evidence",
)


def findings(
    principal: Principal,
    year: int | None,
    lang: str,
    *,
    communes: list[int] | None = None,
    codes: list[str] | None = None,
    severities: list[str] | None = None,
    epn_ids: list[str] | None = None,
) -> pd.DataFrame:
    """One row per finding of ``year`` (every year when None) in scope, filtered, with its
    message in ``lang`` and its evidence; read from the findings mart, kept fresh."""
    scope = scope_for(principal, per_epn=True)
    ensure_findings_fresh()
    where, params = scope.where("m.epn_id")
    conditions = {
        "m.year = ?": year,
        "list_contains(?::INTEGER[], i.commune_nis)": communes,
        "list_contains(?::VARCHAR[], m.code)": codes,
        "list_contains(?::VARCHAR[], m.severity)": severities,
        "list_contains(?::VARCHAR[], m.epn_id)": epn_ids,
    }
    chosen = {sql: value for sql, value in conditions.items() if value}
    rows = read_frame(
        f"""
        SELECT m.epn_id, i.name, i.commune_nis, c.{commune_name_column(lang)} AS commune,
               m.year, m.code, m.severity, m.evidence
        FROM mart_finding m
        LEFT JOIN registry_identity i USING (epn_id)
        LEFT JOIN commune c USING (commune_nis)
        WHERE {" AND ".join([where, *chosen])}
        ORDER BY m.year DESC, m.epn_id, m.code
        """,
        [*params, *chosen.values()],
    )
    found = [
        mart_finding(*row)
        for row in rows[["epn_id", "year", "code", "severity", "evidence"]].itertuples(index=False)
    ]
    rows["evidence"] = [f.evidence for f in found]
    rows["message"] = [f.message(lang, readable=True) for f in found]
    rows["rule"] = [t(f"app.rule.{f.code}", lang) for f in found]
    return rows.loc[:, list(FINDING_COLUMNS)]
