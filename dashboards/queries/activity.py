"""Attendance and compliance aggregates: per commune, per month, per year."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboards.access import Scope, scope_for
from dashboards.queries.findings import all_findings
from dashboards.queries.warehouse import commune_name_column, read_frame, warehouse_path
from epn.principal import Principal
from validation.charter.periods import labelled_periods
from warehouse.db import connect


def available_years(principal: Principal) -> pd.DataFrame:
    """The years (ISO years for weeks) that have statistics or an annual report, newest first."""
    where, params = scope_for(principal, per_epn=False).where()
    return read_frame(
        f"""
        SELECT year FROM (
            SELECT isoyear(week_start) AS year FROM cur_weekly WHERE {where}
            UNION SELECT year FROM cur_report WHERE {where}
        ) ORDER BY year DESC
        """,
        params * 2,
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
        WHERE isoyear(w.week_start) = ? AND {where}
        GROUP BY ALL
        ORDER BY month, i.commune_nis
        """,
        [year, *params],
    )


def kpis(principal: Principal, year: int) -> pd.DataFrame:
    """One row: labelled_epns, visits, open_weeks, findings, breaches for ``year``."""
    scope = scope_for(principal, per_epn=False)
    found = [f for f in all_findings(year) if scope.keeps(f.epn_id)]
    where, params = scope.where()
    with connect(warehouse_path()) as con:
        labelled = len(_labelled(con, year, scope))
        visits, open_weeks = con.execute(
            f"""
            SELECT coalesce(sum(visits), 0)::BIGINT, count(*) FILTER (WHERE status = 'open')
            FROM cur_weekly WHERE isoyear(week_start) = ? AND {where}
            """,
            [year, *params],
        ).fetchone()
    return pd.DataFrame(
        [
            {
                "labelled_epns": labelled,
                "visits": int(visits),
                "open_weeks": int(open_weeks),
                "findings": len(found),
                "breaches": sum(f.severity == "breach" for f in found),
            }
        ]
    )


def compliance_share(principal: Principal) -> pd.DataFrame:
    """year, labelled, compliant, share: EPNs labelled that year without any breach."""
    scope = scope_for(principal, per_epn=False)
    years = sorted(available_years(principal)["year"].astype(int))
    breached = {
        year: {f.epn_id for f in all_findings(year) if f.severity == "breach"} for year in years
    }
    rows = []
    with connect(warehouse_path()) as con:
        for year in years:
            labelled = _labelled(con, year, scope)
            if labelled:
                compliant = len(labelled - breached[year])
                rows.append(
                    {
                        "year": year,
                        "labelled": len(labelled),
                        "compliant": compliant,
                        "share": compliant / len(labelled),
                    }
                )
    return pd.DataFrame(rows, columns=["year", "labelled", "compliant", "share"])


def _labelled(con, year: int, scope: Scope) -> set[str]:
    """The EPNs in scope labelled at some point of ``year`` (the charter's denominator)."""
    ids = None if scope.epn_ids is None else list(scope.epn_ids)
    return set(labelled_periods(con, year, dt.date.today(), ids)["epn_id"])
