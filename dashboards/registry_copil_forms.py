"""The COPIL's decisions from its page: ratify, reject, withdraw a label."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards.registry_forms import (
    choice_key,
    day_input,
    epn_picker,
    note_input,
    run_step,
    submit,
)
from dashboards.session import current_lang, fixed_language
from dashboards.ui import tr
from epn.principal import Principal
from registry.service import WITHDRAWAL_REASONS
from services import registry_steps as actions


def ratify_form(principal: Principal, epns: pd.DataFrame) -> None:
    with st.form("ratify_form", border=False):
        epn_id = epn_picker(epns, "ratify_epn", ready=("recommended",))
        on = day_input("app.registry.decided_on", "ratify_on")
        note = note_input("ratify_note")
        if submit("app.registry.submit.ratify", "ratify_submit"):
            run_step(lambda: actions.ratify(principal, epn_id, on, note), "ratify")


def reject_form(principal: Principal, epns: pd.DataFrame) -> None:
    with st.form("reject_form", border=False):
        epn_id = epn_picker(epns, "reject_epn", ready=("recommended",))
        on = day_input("app.registry.decided_on", "reject_on")
        note = note_input("reject_note")
        if submit("app.registry.submit.reject", "reject_submit"):
            run_step(lambda: actions.reject(principal, epn_id, on, note), "reject")


def withdraw_form(
    principal: Principal, epns: pd.DataFrame, candidates: pd.DataFrame, year: int
) -> None:
    """A withdrawal; the year's candidates come first, and their findings can be cited."""
    lang = current_lang()
    with st.form("withdraw_form", border=False):
        epn_id = epn_picker(
            epns, "withdraw_epn", ready=("labelled",), first=candidates["epn_id"].tolist()
        )
        left, right = st.columns(2)
        reason = left.selectbox(
            tr("app.registry.reason"),
            WITHDRAWAL_REASONS,
            index=WITHDRAWAL_REASONS.index("repeated_breach"),
            format_func=fixed_language(lambda r: tr(f"app.reason.{r}")),
            key=choice_key("withdraw_reason"),
        )
        with right:
            on = day_input("app.registry.decided_on", "withdraw_on")
        cite = st.checkbox(
            tr("app.registry.cite_findings", year=year),
            value=True,
            help=tr("app.registry.cite_findings_help"),
            key="withdraw_cite",
        )
        note = note_input("withdraw_note")
        if submit("app.registry.submit.withdraw", "withdraw_submit"):
            finding_year = year if cite else None
            run_step(
                lambda: actions.withdraw(principal, epn_id, on, reason, note, finding_year, lang),
                "withdraw",
            )
