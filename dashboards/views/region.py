"""Regional indicators: inclusion per commune and for the Region, published or live.

For the Region, the coordinator and the COPIL. Aggregates only: no row names an EPN (a
commune with a single EPN is still shown as the commune's aggregate, see the page note).
"""

from __future__ import annotations

import streamlit as st

from dashboards.queries import region as queries
from dashboards.session import current_lang, current_principal
from dashboards.ui import empty_state, guarded, tr
from dashboards.views.region_parts import activities_tab, communes_tab, key_figures, map_tab
from dashboards.views.region_publication import publication_tab, report_button, status_line
from dashboards.years import MONITORING, year_select
from services.findings import refresh_if_stale


def render() -> None:
    principal, lang = current_principal(), current_lang()
    st.title(tr("app.page.region"))
    st.caption(tr("app.region.caption"))
    with guarded():
        years = queries.region_years(principal)
        if not years:
            empty_state("app.region.no_data")
            return
        with st.spinner(tr("app.region.refreshing"), show_time=True):
            refresh_if_stale()
        top = st.columns([1, 3, 1.4], vertical_alignment="bottom")
        with top[0]:
            year = year_select(MONITORING, key="region_year")
        with top[2]:
            report_button(principal, year, lang)
        shown = queries.figures(principal, year, lang)
        status_line(shown)
        if not shown.document["region"]["labelled_epns"] and not shown.published:
            empty_state("app.region.no_epn_year", year=year)
            return
        previous = queries.figures(principal, year - 1, lang)
        key_figures(shown, previous, queries.year_basis(principal, year, lang), lang)
        tabs = st.tabs(
            [
                tr("app.region.tab.map"),
                tr("app.region.tab.communes"),
                tr("app.region.tab.activities"),
                tr("app.region.tab.publication"),
            ],
            key="region_tabs",  # the open tab survives the reruns of publishing
        )
        with tabs[0]:
            map_tab(shown, lang)
        with tabs[1]:
            communes_tab(shown, lang)
        with tabs[2]:
            activities_tab(shown, lang)
        with tabs[3]:
            publication_tab(principal, shown, lang)
        st.caption(tr("app.region.aggregates_note"))


render()
