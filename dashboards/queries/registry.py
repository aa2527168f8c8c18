"""The EPNs a principal may pick from, for the filters."""

from __future__ import annotations

import pandas as pd

from dashboards.queries.warehouse import read_frame
from epn.locale import commune_name_column
from epn.principal import Principal
from services.access import scope_for


def epn_list(principal: Principal, lang: str) -> pd.DataFrame:
    """epn_id, name, commune_nis, commune, status, labelled_on — one row per EPN in scope."""
    where, params = scope_for(principal, per_epn=True).where("r.epn_id")
    return read_frame(
        f"""
        SELECT r.epn_id, r.name, r.commune_nis, c.{commune_name_column(lang)} AS commune,
               r.status, r.labelled_on
        FROM registry_current r LEFT JOIN commune c USING (commune_nis)
        WHERE {where}
        ORDER BY r.epn_id
        """,
        params,
    )
