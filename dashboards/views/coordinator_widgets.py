"""What the coordinator's and the COPIL's dashboards share: the year, the filters, tables
with their own headers, a pager."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboards.charts import percent
from dashboards.exports import download_buttons
from dashboards.session import current_lang, fixed_language
from dashboards.ui import label, tr
from dashboards.years import COMPLIANCE, year_select
from epn.standard import AUTHORITY_TYPES


@dataclass(frozen=True)
class Filters:
    year: int
    communes: list[int]
    authority_types: list[str]

    def kwargs(self) -> dict:
        return {"communes": self.communes, "authority_types": self.authority_types}


def filter_bar(communes: pd.DataFrame, key: str) -> Filters:
    cells = st.columns([1, 3, 3])
    with cells[0]:
        year = year_select(COMPLIANCE, key=f"{key}_year")
    names = dict(zip(communes["commune_nis"].astype(int), communes["commune"], strict=True))
    picked = cells[1].multiselect(
        tr("app.filter.commune"),
        list(names),
        format_func=names.get,
        placeholder=tr("app.filter.all"),
        key=f"{key}_communes",
    )
    authorities = cells[2].multiselect(
        tr("app.coordinator.filter.authority"),
        AUTHORITY_TYPES,
        format_func=fixed_language(lambda code: label("app.coordinator.authority", code)),
        placeholder=tr("app.filter.all"),
        key=f"{key}_authorities",
    )
    return Filters(year, picked, authorities)


def grid(
    frame: pd.DataFrame,
    columns: list[str],
    config: dict | None = None,
    widths: dict[str, int | str] | None = None,
    export: str | None = None,
    **kwargs,
):
    """st.dataframe of ``columns`` with headers from app.coordinator.col.*; ``config`` maps a
    column to a maker of its st.column_config (given the header), ``widths`` to its width;
    ``export`` names the files of the table's own download buttons."""
    headers = {c: label("app.coordinator.col", c) for c in columns}
    shown = frame.loc[:, columns].rename(columns=headers)
    column_config = {}
    for column in columns:
        make = (config or {}).get(column, st.column_config.Column)
        column_config[headers[column]] = make(headers[column])
        if widths and column in widths:
            column_config[headers[column]]["width"] = widths[column]
    drawn = st.dataframe(
        shown, hide_index=True, column_config=column_config, placeholder="—", **kwargs
    )
    if export:
        download_buttons(shown, export, current_lang())
    return drawn


def rate_column(header: str):
    """A share drawn as a bar, written as a whole percentage (12 % in French)."""
    mark = "\u202f%%" if current_lang() == "fr" else "%%"
    return st.column_config.ProgressColumn(header, format=f"%.0f{mark}", min_value=0, max_value=100)


def as_percent(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """``column``'s shares (0..1) as percentages, for rate_column."""
    return frame.assign(**{column: frame[column] * 100})


def date_column(header: str):
    return st.column_config.DateColumn(header, format="DD/MM/YYYY")


def current_page(key: str, *criteria: object) -> int:
    """The page a paginated table shows (from 0); back to the first when its criteria change."""
    if st.session_state.get(f"{key}_criteria") != criteria:
        st.session_state[f"{key}_criteria"] = criteria
        st.session_state[key] = 1
    return int(st.session_state.get(key, 1)) - 1


def pager(total: int, page_size: int, key: str) -> None:
    """The page picker under a table, when it has more than one page."""
    pages = max(1, -(-total // page_size))
    if pages == 1:
        return
    st.session_state[key] = min(st.session_state.get(key, 1), pages)
    cells = st.columns([1, 5], vertical_alignment="bottom")
    page = cells[0].number_input(tr("app.coordinator.pager"), 1, pages, key=key) - 1
    first, last = page * page_size + 1, min(total, (page + 1) * page_size)
    cells[1].caption(tr("app.coordinator.pager_caption", first=first, last=last, total=total))


def share_text(part: int, whole: int) -> str:
    return percent(part / whole, current_lang()) if whole else "—"
