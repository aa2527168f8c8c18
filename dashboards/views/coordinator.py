"""The regional coordinator's dashboard: reporting, non-compliance over the years, outliers.

Only the open tab runs its queries (tabs with ``on_change="rerun"``).
"""

from __future__ import annotations

import streamlit as st

from dashboards.mart_freshness import ensure_findings_fresh
from dashboards.queries import coordinator as queries
from dashboards.session import current_lang, current_principal
from dashboards.ui import empty_state, guarded, tr
from dashboards.views import coordinator_compliance, coordinator_outliers, coordinator_reporting
from dashboards.views.coordinator_widgets import filter_bar
from dashboards.years import year_options

TABS = ("reporting", "compliance", "outliers")


def render() -> None:
    principal, lang = current_principal(), current_lang()
    st.title(tr("app.coordinator.title"))
    st.caption(tr("app.coordinator.caption"))
    with guarded():
        with st.spinner(tr("app.coordinator.refreshing")):
            ensure_findings_fresh()
        years = queries.dashboard_years(principal)["year"].astype(int).tolist()
        if not years:
            empty_state("app.coordinator.empty")
            return
        communes = queries.commune_options(principal, max(year_options()), lang=lang)
        filters = filter_bar(communes, key="coord")
        tabs = st.tabs(
            [tr(f"app.coordinator.tab.{tab}") for tab in TABS], on_change="rerun", key="coord_tab"
        )
        if tabs[0].open:
            with tabs[0]:
                coordinator_reporting.render(principal, lang, filters)
        if tabs[1].open:
            with tabs[1]:
                coordinator_compliance.render(principal, lang, filters, year_options())
        if tabs[2].open:
            with tabs[2]:
                coordinator_outliers.render(principal, lang, filters)


render()
