"""Overview: the year's key figures, visits per month by commune, compliance over the years."""

from __future__ import annotations

import streamlit as st

from dashboards import charts, queries
from dashboards.session import current_lang, current_principal
from dashboards.ui import chart, empty_state, guarded, number, tr
from dashboards.years import MONITORING, year_select


def render() -> None:
    principal, lang = current_principal(), current_lang()
    st.title(tr("app.page.overview"))
    with guarded():
        years = queries.available_years(principal)["year"].astype(int).tolist()
        if not years:
            empty_state("app.empty.no_data")
            return
        with st.columns([1, 5])[0]:
            year = year_select(MONITORING, key="overview_year")
        key_figures(principal, year)
        st.subheader(tr("app.overview.visits_title", year=year))
        visits = queries.visits_by_month(principal, year, lang)
        if visits.empty:
            empty_state("app.overview.visits_empty", year=year)
        else:
            chart(charts.visits_by_month_chart(visits, lang), key="visits_chart")
        st.subheader(tr("app.overview.compliance_title"))
        share = queries.compliance_share(principal)
        if share.empty:
            empty_state("app.overview.compliance_empty")
        else:
            chart(charts.compliance_share_chart(share, lang), key="share_chart")
            st.caption(tr("app.overview.compliance_caption"))


def key_figures(principal, year: int) -> None:
    figures = queries.kpis(principal, year).iloc[0]
    cells = st.columns(4)
    cells[0].metric(
        tr("app.kpi.labelled_epns"),
        number(figures["labelled_epns"]),
        help=tr("app.kpi.labelled_epns_help", year=year),
        border=True,
    )
    cells[1].metric(
        tr("app.kpi.visits"),
        number(figures["visits"]),
        help=tr("app.kpi.visits_help", year=year),
        border=True,
    )
    cells[2].metric(
        tr("app.kpi.open_weeks"),
        number(figures["open_weeks"]),
        help=tr("app.kpi.open_weeks_help", year=year),
        border=True,
    )
    cells[3].metric(
        tr("app.kpi.findings"),
        number(figures["findings"]),
        help=tr("app.kpi.findings_help", year=year, breaches=figures["breaches"]),
        border=True,
    )


render()
