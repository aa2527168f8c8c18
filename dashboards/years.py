"""The one year selector of the app: the same years everywhere, a choice that follows the user.

Every page lists the years from the first reporting year to the current one, whatever the
data hold (a week dated 9999 lists no extra year). A year is *closed* once its annual
report deadline has passed: its findings are final. Pages about compliance (Pilotage, COPIL,
Coordination, findings) open on the last closed year, pages that monitor activity on the
current year; once the user picks a year, every page opens on it until they pick another.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboards.ui import tr
from validation.charter.terms import first_reporting_year, terms_for

COMPLIANCE = "compliance"
MONITORING = "monitoring"
CHOSEN = "chosen_year"  # survives page changes, unlike the widgets' own keys


def year_options(today: dt.date | None = None) -> list[int]:
    """First reporting year → current year, newest first."""
    current = (today or dt.date.today()).year
    first = min(first_reporting_year(), current)
    return list(range(current, first - 1, -1))


def is_closed(year: int, today: dt.date | None = None) -> bool:
    return terms_for(year).report_deadline(year) < (today or dt.date.today())


def is_partial(year: int, today: dt.date | None = None) -> bool:
    """Whether ``year`` is still running: its weeks are not all there yet."""
    return year >= (today or dt.date.today()).year


def last_closed_year(today: dt.date | None = None) -> int:
    """The latest year whose report deadline has passed (the first year at the least)."""
    options = year_options(today)
    return next((y for y in options if is_closed(y, today)), options[-1])


def clamp(year: int, today: dt.date | None = None) -> int:
    options = year_options(today)
    return min(max(int(year), options[-1]), options[0])


def default_year(purpose: str, today: dt.date | None = None) -> int:
    if purpose == COMPLIANCE:
        return last_closed_year(today)
    return year_options(today)[0]


def year_select(purpose: str, key: str) -> int:
    """The year selector of a page; ``purpose`` is COMPLIANCE or MONITORING."""
    options = year_options()
    chosen = st.session_state.get(CHOSEN)
    default = clamp(chosen) if chosen is not None else default_year(purpose)
    if st.session_state.get(key) not in (None, *options):
        del st.session_state[key]  # a year the list no longer holds (the year changed)

    def remember() -> None:
        st.session_state[CHOSEN] = st.session_state[key]

    year = st.selectbox(
        tr("app.year"), options, index=options.index(default), key=key, on_change=remember
    )
    if is_partial(year):  # said beside the picker: a running year is never read as complete
        st.caption(tr("app.year.partial", year=year))
    return year
