"""The findings mart, kept fresh for the dashboards that read it."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboards.queries.warehouse import warehouse_path
from warehouse.db import connect, transaction
from warehouse.finding_mart import ensure_fresh


@st.cache_data(show_spinner=False, max_entries=16)
def _fresh_on(path: str, today: dt.date) -> bool:
    # Cached per warehouse and day: the mart goes stale only when the day changes (uploads
    # and registry steps refresh what they touch), so one check a day and process suffices.
    with connect(path) as con, transaction(con):
        return ensure_fresh(con, today)


def ensure_findings_fresh() -> bool:
    """Refreshes the findings mart if it was last refreshed on another day; True if it did."""
    return _fresh_on(str(warehouse_path()), dt.date.today())
