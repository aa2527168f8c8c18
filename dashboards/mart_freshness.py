"""The findings mart, checked once a day and process before the pages read it."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from epn.settings import warehouse_path
from services.findings import refresh_if_stale


@st.cache_data(show_spinner=False, max_entries=16)
def _fresh_on(path: str, today: dt.date) -> bool:
    # Cached per warehouse and day: the mart goes stale only when the day changes (uploads
    # and registry steps refresh what they touch), so one check a day and process suffices.
    return refresh_if_stale(path, today)


def ensure_findings_fresh() -> bool:
    """Refreshes the findings mart if it was last refreshed on another day; True if it did."""
    return _fresh_on(str(warehouse_path()), dt.date.today())
