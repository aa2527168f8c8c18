"""Reminders to EPNs, for the coordinator: what each labelled EPN owes today, the button that
e-mails them, and the outbox of every message, sent or not."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboards.queries.reminders import outbox
from dashboards.session import current_lang, current_principal
from dashboards.ui import day, empty_state, guarded, tr, wrapped_table
from services import reminders

RESULT = "reminders_result"  # the outcome of the last sending, shown once after the rerun


def render() -> None:
    principal, lang, today = current_principal(), current_lang(), dt.date.today()
    st.title(tr("reminders.page.title"))
    st.caption(tr("reminders.page.caption", date=day(today)))
    with guarded():
        if RESULT in st.session_state:
            _show_result(st.session_state.pop(RESULT))
        found = reminders.preview(principal, today, lang=lang)
        if not found:
            empty_state("reminders.page.none")
        else:
            wrapped_table(
                _rows(found, lang),
                ["epn_id", "name", "owed", "recipient", "outcome"],
                export="reminders-due",
            )
            to_send = sum(r.outcome == "preview" for r in found)
            if st.button(
                tr("reminders.page.send", count=to_send),
                type="primary",
                icon=":material/send:",
                disabled=not to_send,
                key="reminders_send",
            ):
                sent = reminders.send(principal, today, lang=lang)
                st.session_state[RESULT] = [(r.outcome, r.owed.epn_id, r.detail) for r in sent]
                st.rerun()
        st.subheader(tr("reminders.page.outbox"))
        _outbox(principal)


def _rows(found: list, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "epn_id": [r.owed.epn_id for r in found],
            "name": [r.owed.name for r in found],
            "owed": [r.summary(lang) for r in found],
            "recipient": [r.owed.contact_email or tr("reminders.no_recipient") for r in found],
            "outcome": [tr(f"reminders.outcome.{r.outcome}") for r in found],
        }
    )


def _show_result(outcomes: list[tuple]) -> None:
    sent = sum(outcome == "sent" for outcome, _, _ in outcomes)
    if sent:
        st.success(tr("reminders.page.sent", count=sent), icon=":material/mark_email_read:")
    for outcome, _, detail in outcomes:
        if outcome in ("failed", "no_contact") and detail:
            st.warning(detail, icon=":material/warning:")


def _outbox(principal) -> None:
    frame = outbox(principal)
    if frame.empty:
        empty_state("reminders.page.outbox_empty")
        return
    frame = frame.assign(
        recorded_at=frame["recorded_at"].map(lambda t: f"{day(t.date())} {t:%H:%M}"),
        outcome=frame["outcome"].map(lambda o: tr(f"reminders.outcome.{o}")),
        recipient=frame["recipient"].fillna(tr("reminders.no_recipient")),
        detail=frame["detail"].fillna(""),
    )
    wrapped_table(
        frame,
        ["recorded_at", "epn_id", "recipient", "subject", "outcome", "detail"],
        export="reminders-sent",
    )


render()
