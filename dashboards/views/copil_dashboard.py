"""The steering committee's dashboard: decisions waiting, the network and its compliance."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboards import charts_coordinator
from dashboards.justified_repeats import show_set_aside
from dashboards.mart_freshness import ensure_findings_fresh
from dashboards.navigation import PAGES
from dashboards.queries import coordinator as years_query
from dashboards.queries import copil_dashboard as queries
from dashboards.session import current_lang, current_principal
from dashboards.ui import chart, empty_state, guarded, label, number, tr
from dashboards.views.coordinator_widgets import date_column, grid
from dashboards.years import COMPLIANCE, year_select

DECISIONS_PAGE = "copil.py"  # the committee's decisions page, when the app has it


def render() -> None:
    principal, lang = current_principal(), current_lang()
    st.title(tr("app.copil_dashboard.title"))
    st.caption(tr("app.copil_dashboard.caption"))
    with guarded():
        with st.spinner(tr("app.coordinator.refreshing")):
            ensure_findings_fresh()
        # The registry may run ahead of the data (this year's applications): both count.
        network = queries.network_by_year(principal, dt.date.today().year)
        years = years_query.dashboard_years(principal)["year"].astype(int).tolist()
        if not years and network.empty:
            empty_state("app.copil_dashboard.no_network")
            return
        with st.columns([1, 5])[0]:
            year = year_select(COMPLIANCE, key="copil_dash_year")
        decisions(principal, lang, year)
        st.subheader(tr("app.copil_dashboard.network"))
        growth(network[network["year"] <= year], lang)
        st.subheader(tr("app.copil_dashboard.compliance"))
        compliance(principal, lang, year)


def decisions(principal, lang: str, year: int) -> None:
    st.subheader(tr("app.copil_dashboard.decisions"))
    pending = queries.pending_decisions(principal, year).iloc[0]
    cells = st.columns([2, 2, 3], vertical_alignment="center")
    cells[0].metric(
        tr("app.copil_dashboard.recommended"),
        number(pending["recommended"]),
        help=tr("app.copil_dashboard.recommended_help"),
        border=True,
    )
    cells[1].metric(
        tr("app.copil_dashboard.candidates", year=year),
        number(pending["candidates"]),
        help=tr("app.copil_dashboard.candidates_help", year=year),
        border=True,
    )
    with cells[2]:
        decisions_link(principal)
    candidates = queries.withdrawal_candidates(principal, year, lang=lang)
    set_aside = queries.set_aside_repeats(principal, year, lang=lang)
    if candidates.empty:
        st.caption(tr("app.copil_dashboard.no_candidates", year=year))
        show_set_aside(set_aside, lang)
        return
    shown = candidates.assign(
        repeated_codes=candidates["repeated_codes"].map(
            lambda codes: ", ".join(label("app.rule", c, lang) for c in codes)
        )
    )
    grid(
        shown,
        ["epn_id", "name", "commune", "labelled_on", "repeated_codes"],
        {"labelled_on": date_column},
        export="withdrawal-candidates",
    )
    show_set_aside(set_aside, lang)


def decisions_link(principal) -> None:
    """A link to the decisions page when the app has one for this role; else how to decide."""
    spec = next((p for p in PAGES if p.script == DECISIONS_PAGE), None)
    if spec is not None and principal.role in spec.roles:
        st.page_link(
            f"views/{DECISIONS_PAGE}",
            label=tr("app.copil_dashboard.decisions_link"),
            icon=":material/gavel:",
        )
    else:
        st.caption(tr("app.copil_dashboard.decisions_hint"))


def growth(network, lang: str) -> None:
    cells = st.columns(2, gap="large")
    with cells[0]:
        st.markdown(f"**{tr('app.copil_dashboard.stock')}**")
        chart(charts_coordinator.network_stock_chart(network, lang), key="copil_stock_chart")
    with cells[1]:
        st.markdown(f"**{tr('app.copil_dashboard.flows')}**")
        chart(charts_coordinator.network_flows_chart(network, lang), key="copil_flows_chart")


def compliance(principal, lang: str, year: int) -> None:
    share = queries.compliance_by_year(principal, year)
    if share.empty:
        empty_state("app.copil_dashboard.no_compliance")
        return
    cells = st.columns(2, gap="large")
    with cells[0]:
        st.markdown(f"**{tr('app.copil_dashboard.share')}**")
        chart(charts_coordinator.compliance_years_chart(share, lang), key="copil_share_chart")
    with cells[1]:
        st.markdown(f"**{tr('app.copil_dashboard.by_rule')}**")
        rules = queries.breaches_by_rule(principal, year)
        if rules.empty:
            st.success(tr("app.copil_dashboard.no_breach"), icon=":material/check_circle:")
        else:
            chart(charts_coordinator.breaches_by_rule_chart(rules, lang), key="copil_rules_chart")


render()
