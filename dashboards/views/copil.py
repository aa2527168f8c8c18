"""The steering committee: applications to ratify, labels to withdraw, and its decisions."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards import queries
from dashboards.justified_repeats import show_set_aside
from dashboards.queries import registry_board as rq
from dashboards.registry_copil_forms import ratify_form, reject_form, withdraw_form
from dashboards.registry_forms import flash
from dashboards.session import current_lang, current_principal
from dashboards.ui import day, empty_state, guarded, label, tr, wrapped_table
from dashboards.years import COMPLIANCE, year_select
from services import registry_steps as actions
from services.access import can


def render() -> None:
    principal, lang = current_principal(), current_lang()
    st.title(tr("app.page.copil"))
    st.caption(tr("app.copil.caption"))
    flash()
    with guarded():
        agenda(principal, lang)
        st.subheader(tr("app.copil.candidates_title"))
        with st.columns([1, 5])[0]:
            year = year_select(COMPLIANCE, key="copil_year")
        with st.spinner(tr("app.copil.evaluating")):
            candidates = rq.withdrawal_candidates(principal, year, lang)
        show_candidates(candidates, year)
        show_set_aside(rq.set_aside_repeats(principal, year, lang), lang)
        st.subheader(tr("app.copil.decisions_title"))
        if not can(principal, actions.COPIL_DECISION):
            st.info(tr("app.copil.read_only"), icon=":material/visibility:")
            return
        epns = queries.epn_list(principal, lang)
        if epns.empty:
            empty_state("app.board.no_epn_yet")
            return
        ratify_tab, reject_tab, withdraw_tab = st.tabs(
            [tr(f"app.copil.tab.{name}") for name in ("ratify", "reject", "withdraw")]
        )
        with ratify_tab:
            ratify_form(principal, epns)
        with reject_tab:
            reject_form(principal, epns)
        with withdraw_tab:
            withdraw_form(principal, epns, candidates, year)


def agenda(principal, lang: str) -> None:
    st.subheader(tr("app.copil.agenda_title"))
    frame = rq.awaiting_ratification(principal, lang)
    if frame.empty:
        empty_state("app.copil.agenda_empty")
        return
    shown = frame.assign(
        opinion=frame["favourable"].map(
            lambda f: tr(f"app.history.favourable.{str(bool(f)).lower()}") if pd.notna(f) else None
        ),
        recommended_on=frame["recommended_on"].map(_day),
        received_on=frame["received_on"].map(_day),
    )
    # A static table, so that the coordinator's note wraps instead of being cut.
    wrapped_table(
        shown,
        [
            "epn_id",
            "name",
            "commune",
            "opinion",
            "recommendation_note",
            "recommended_on",
            "received_on",
            "days_waiting",
        ],
        export="copil-agenda",
    )


def show_candidates(candidates: pd.DataFrame, year: int) -> None:
    if candidates.empty:
        st.success(tr("app.copil.no_candidates", year=year), icon=":material/check_circle:")
        return
    st.caption(tr("app.copil.candidates_caption", year=year))
    shown = candidates.assign(
        labelled_on=candidates["labelled_on"].map(_day),
        repeated_codes=candidates["repeated_codes"].map(
            lambda codes: ", ".join(label("app.rule", c) for c in codes)
        ),
        findings=candidates["findings"].map(lambda found: " ".join(f["message"] for f in found)),
    )
    wrapped_table(
        shown,
        ["epn_id", "name", "labelled_on", "repeated_codes", "findings"],
        export=f"withdrawal-candidates-{year}",
    )


def _day(value) -> str | None:
    return day(pd.Timestamp(value).date()) if pd.notna(value) else None


render()
