"""The registry board: applications by stage, how long they wait, and each step recorded here."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards import queries
from dashboards.navigation import VIEWS
from dashboards.queries import registry_board as rq
from dashboards.registry_apply_form import application_form
from dashboards.registry_forms import (
    attach_form,
    flash,
    recommend_form,
    sign_form,
    visit_form,
)
from dashboards.session import current_lang, current_principal
from dashboards.ui import day, empty_state, guarded, plain_text, tr
from epn.i18n import t
from services import registry_steps as actions
from services.access import can

LONG_WAIT_DAYS = 90  # an application waiting longer than a quarter is flagged


def render() -> None:
    principal, lang = current_principal(), current_lang()
    st.title(tr("app.page.registry_board"))
    st.caption(tr("app.board.caption"))
    flash()
    with guarded():
        frame = rq.board(principal, lang)
        if frame.empty:
            empty_state("app.board.empty")
        else:
            stages(frame, lang)
        st.subheader(tr("app.board.actions_title"))
        if not can(principal, actions.COORDINATOR_STEP):
            st.info(tr("app.board.read_only"), icon=":material/visibility:")
            return
        epns = queries.epn_list(principal, lang)
        apply_tab, *step_tabs = st.tabs(
            [
                tr(f"app.board.tab.{name}")
                for name in ("apply", "recommend", "visit", "attach", "sign")
            ]
        )
        with apply_tab:
            application_form(principal)
        for tab, form in zip(
            step_tabs, (recommend_form, visit_form, attach_form, sign_form), strict=True
        ):
            with tab:
                if epns.empty:
                    empty_state("app.board.no_epn_yet")
                else:
                    form(principal, epns)


def stages(frame: pd.DataFrame, lang: str) -> None:
    """One column per stage, a card per EPN, oldest application first."""
    for column, stage in zip(st.columns(len(rq.STAGES)), rq.STAGES, strict=True):
        rows = frame[frame["status"] == stage]
        with column:
            st.markdown(f"#### {tr(f'app.board.stage.{stage}')} · {len(rows)}")
            st.caption(tr(f"app.board.stage_help.{stage}"))
            if rows.empty:
                st.caption(tr("app.board.stage_empty"))
            for row in rows.itertuples():
                card(row, lang)


def card(row, lang: str) -> None:
    with st.container(border=True):
        st.markdown(f"**{plain_text(row.epn_id)}** — {plain_text(row.name)}")
        received = day(row.received_on.date(), lang) if pd.notna(row.received_on) else "—"
        st.caption(tr("app.board.received", commune=plain_text(row.commune), on=received))
        if pd.notna(row.days_waiting):
            colour = "orange" if row.days_waiting > LONG_WAIT_DAYS else "blue"
            waited = tr("app.board.days_waiting", days=int(row.days_waiting))
            st.markdown(f":{colour}-badge[:material/schedule: {waited}]")
        if pd.notna(row.favourable):
            opinion = tr(f"app.history.favourable.{str(bool(row.favourable)).lower()}")
            note = (
                f" — {plain_text(row.recommendation_note)}"
                if pd.notna(row.recommendation_note)
                else ""
            )
            st.markdown(f"*{opinion}*{note}")
        st.markdown(tr("app.board.next_step", step=t(f"step.{row.next_step}", lang)))
        st.page_link(
            VIEWS / "epn_card.py",
            label=tr("app.board.open_card"),
            icon=":material/badge:",
            query_params={"epn": row.epn_id},
        )


render()
