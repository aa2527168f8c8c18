"""Charter findings as the pages show them, evaluated once per year and warehouse state."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboards.access import Scope, scope_for
from dashboards.queries.warehouse import (
    commune_name_column,
    read_frame,
    warehouse_path,
    warehouse_stamp,
)
from epn.i18n import t
from epn.principal import Principal
from validation.charter.engine import evaluate
from validation.charter.findings import Finding
from warehouse.db import connect

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


@st.cache_data(show_spinner=False, max_entries=64)
def _evaluated(year: int, path: str, stamp: tuple[int, int], as_of: dt.date) -> list[Finding]:
    # ``stamp`` and ``as_of`` are only cache keys: a new upload or a new day re-evaluates.
    with connect(path) as con:
        return evaluate(con, year, as_of=as_of)


def all_findings(year: int) -> list[Finding]:
    """Every EPN's findings of ``year``, unscoped: callers must scope them."""
    path = warehouse_path()
    return _evaluated(year, str(path), warehouse_stamp(path), dt.date.today())


def findings(
    principal: Principal,
    year: int,
    lang: str,
    *,
    communes: list[int] | None = None,
    codes: list[str] | None = None,
    severities: list[str] | None = None,
    epn_ids: list[str] | None = None,
) -> pd.DataFrame:
    """One row per finding in scope, filtered, with its message in ``lang`` and its evidence."""
    scope = scope_for(principal, per_epn=True)
    kept = [
        f
        for f in all_findings(year)
        if scope.keeps(f.epn_id)
        and (not codes or f.code in codes)
        and (not severities or f.severity in severities)
        and (not epn_ids or f.epn_id in epn_ids)
    ]
    rows = pd.DataFrame(
        [{**f.to_dict(lang), "rule": t(f"app.rule.{f.code}", lang)} for f in kept],
        columns=["epn_id", "year", "code", "rule", "severity", "message", "evidence"],
    )
    frame = rows.merge(_identities(scope, lang), on="epn_id", how="left")
    if communes:
        frame = frame[frame["commune_nis"].isin(communes)]
    return frame.loc[:, list(FINDING_COLUMNS)].reset_index(drop=True)


def _identities(scope: Scope, lang: str) -> pd.DataFrame:
    where, params = scope.where("i.epn_id")
    return read_frame(
        f"""
        SELECT i.epn_id, i.name, i.commune_nis, c.{commune_name_column(lang)} AS commune
        FROM registry_identity i LEFT JOIN commune c USING (commune_nis)
        WHERE {where}
        """,
        params,
    )
