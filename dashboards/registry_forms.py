"""The registry's step forms: pick an EPN, a date and a note, record the step.

Shared by the registry board (the coordinator's steps) and the COPIL page (its decisions).
A step is recorded through ``services.registry_steps``; a refused one shows the
catalogue message naming the step that must come first, and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

import pandas as pd
import streamlit as st

from dashboards.session import current_lang, fixed_language
from dashboards.ui import file_picker, label, plain_text, tr
from epn.errors import EpnError
from epn.i18n import t
from epn.principal import Principal
from registry.attachments import DOCUMENT_KINDS, Attachment
from services import registry_steps as actions
from services.access import AccessDenied

FLASH_KEY = "registry_flash"
NOTE_CHARS = 1000


def flash() -> None:
    """Shows once what the last recorded step did (the page reran to show fresh data)."""
    message = st.session_state.pop(FLASH_KEY, None)
    if message:
        st.success(message, icon=":material/check_circle:")


def choice_key(name: str) -> str:
    """The key of a choice whose labels are in the reader's language (a status, a reason).

    Streamlit keeps a choice by its label: after a language switch it would hold a label
    the new language does not offer, so each language gets a widget of its own.
    """
    return f"{name}_{current_lang()}"


def run_step(action: Callable[[], actions.Recorded], form: str | None = None) -> None:
    """Runs a registry action: done, the page reruns with the news (and ``form``'s inputs
    emptied); refused, it says why and the inputs stay as they were."""
    lang = current_lang()
    try:
        with st.spinner(tr("app.registry.recording")):
            done = action()
    except AccessDenied as error:
        st.warning(error.message(lang), icon=":material/lock:")
        return
    except EpnError as error:
        st.error(refusal(error, lang), icon=":material/block:")
        return
    st.session_state[FLASH_KEY] = tr(
        "app.registry.done",
        step=t(f"step.{done.event}", lang),
        epn_id=plain_text(done.epn_id),  # typed in a form or read from a file: kept inert
        status=label("app.registry.status", done.status),
    )
    if form:
        forget(form)
    st.rerun()


def refusal(error: EpnError, lang: str) -> str:
    """The catalogue message of a refused step, with the status in words, not its code."""
    params = dict(error.params)
    if "epn_id" in params:
        params["epn_id"] = plain_text(params["epn_id"])
    if "status" in params:
        params["status"] = label("app.registry.status", params["status"], lang)
    return t(error.code, lang, **params)


def forget(form: str) -> None:
    """Empties a form's inputs (keys ``<form>_…``): its widgets take their defaults again."""
    for key in [k for k in st.session_state if str(k).startswith(f"{form}_")]:
        del st.session_state[key]


def epn_picker(epns: pd.DataFrame, key: str, ready: Iterable[str], first: Iterable[str] = ()):
    """Every EPN of the registry, those whose status is ``ready`` for the step first.

    The others stay choosable: the registry itself refuses a step out of order and says
    which step must come first.
    """
    ready, first = set(ready), list(first)
    rows = epns.assign(
        rank=[
            (0 if e in first else 1 if s in ready else 2, first.index(e) if e in first else 0)
            for e, s in zip(epns["epn_id"], epns["status"], strict=True)
        ]
    ).sort_values(["rank", "epn_id"])
    shown = {
        row.epn_id: f"{row.epn_id} — {row.name} · {label('app.registry.status', row.status)}"
        for row in rows.itertuples()
    }
    return st.selectbox(
        tr("app.registry.epn"), list(shown), format_func=shown.get, key=choice_key(key)
    )


def day_input(code: str, key: str) -> dt.date:
    today = dt.date.today()
    return st.date_input(tr(code), value=today, max_value=today, format="DD/MM/YYYY", key=key)


def note_input(key: str) -> str:
    return st.text_area(tr("app.registry.note"), max_chars=NOTE_CHARS, height=90, key=key)


def submit(code: str, key: str) -> bool:
    return st.form_submit_button(tr(code), type="primary", icon=":material/save:", key=key)


def attachments_of(files, kind: str) -> list[Attachment]:
    return [Attachment(kind, f.name, f.getvalue()) for f in files or []]


def file_input(code: str, key: str):
    return file_picker(tr(code), key, multiple=True)


def recommend_form(principal: Principal, epns: pd.DataFrame) -> None:
    with st.form("recommend_form", border=False):
        epn_id = epn_picker(epns, "recommend_epn", ready=("applied",))
        left, right = st.columns(2)
        favourable = left.radio(
            tr("app.registry.opinion"),
            (True, False),
            format_func=fixed_language(lambda f: tr(f"app.history.favourable.{str(f).lower()}")),
            horizontal=True,
            key=choice_key("recommend_favourable"),
        )
        with right:
            on = day_input("app.registry.recommended_on", "recommend_on")
        note = note_input("recommend_note")
        if submit("app.registry.submit.recommend", "recommend_submit"):
            run_step(
                lambda: actions.recommend(principal, epn_id, favourable, on, note), "recommend"
            )


def visit_form(principal: Principal, epns: pd.DataFrame) -> None:
    with st.form("visit_form", border=False):
        epn_id = epn_picker(epns, "visit_epn", ready=("applied", "recommended"))
        on = day_input("app.registry.visited_on", "visit_on")
        note = note_input("visit_note")
        if submit("app.registry.submit.visit", "visit_submit"):
            run_step(lambda: actions.visit(principal, epn_id, on, note), "visit")


def attach_form(principal: Principal, epns: pd.DataFrame) -> None:
    with st.form("attach_form", border=False):
        epn_id = epn_picker(epns, "attach_epn", ready=("applied", "recommended", "ratified"))
        left, right = st.columns(2)
        kind = left.selectbox(
            tr("app.registry.document_kind"),
            DOCUMENT_KINDS,
            format_func=fixed_language(lambda k: tr(f"app.document_kind.{k}")),
            key=choice_key("attach_kind"),
        )
        with right:
            received_on = day_input("app.registry.received_on", "attach_received_on")
        files = file_input("app.registry.documents", "attach_files")
        note = note_input("attach_note")
        if submit("app.registry.submit.attach", "attach_submit"):
            documents = attachments_of(files, kind)
            run_step(
                lambda: actions.attach(principal, epn_id, documents, received_on, note), "attach"
            )


def sign_form(principal: Principal, epns: pd.DataFrame) -> None:
    st.caption(tr("app.registry.sign_hint"))
    with st.form("sign_form", border=False):
        epn_id = epn_picker(epns, "sign_epn", ready=("ratified",))
        on = day_input("app.registry.signed_on", "sign_on")
        note = note_input("sign_note")
        if submit("app.registry.submit.sign", "sign_submit"):
            run_step(lambda: actions.sign(principal, epn_id, on, note), "sign")
