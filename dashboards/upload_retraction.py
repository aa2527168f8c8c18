"""The coordinator's retraction of an accepted file, under the upload history.

The button's callback runs the service before the rerun, so the history above shows the
file as retracted at once; the outcome waits in the session for that rerun."""

from __future__ import annotations

import logging

import pandas as pd
import streamlit as st

from dashboards.session import current_lang, current_principal
from dashboards.ui import tr
from epn.errors import EpnError
from services.retraction import retract_upload

log = logging.getLogger(__name__)

WHICH_KEY = "retract_upload_id"
REASON_KEY = "retract_reason"
FLASH_KEY = "retract_flash"


def retraction_form(uploads: pd.DataFrame) -> None:
    """A form to retract one of the accepted files of ``uploads`` (the history shown)."""
    flash = st.session_state.pop(FLASH_KEY, None)
    if flash:
        getattr(st, flash[0])(flash[1])
    accepted = uploads[uploads["status"] == "accepted"]
    if accepted.empty:
        return
    names = {row.upload_id: describe(row) for row in accepted.itertuples()}
    with st.expander(tr("app.upload.retract_title"), icon=":material/undo:"):
        st.caption(tr("app.upload.retract_help"))
        st.selectbox(
            tr("app.upload.retract_which"),
            list(names),
            format_func=names.get,
            key=WHICH_KEY,
        )
        st.text_input(tr("app.upload.retract_reason"), key=REASON_KEY, max_chars=500)
        st.button(
            tr("app.upload.retract_submit"),
            icon=":material/undo:",
            key="retract_submit",
            on_click=retract,
        )


def describe(row) -> str:
    epn_ids = ", ".join(row.epn_ids) if row.epn_ids is not None else ""
    year = "" if pd.isna(row.year) else f" · {int(row.year)}"
    return f"n° {row.upload_id} · {row.filename} · {epn_ids}{year}"


def retract() -> None:
    upload_id = st.session_state.get(WHICH_KEY)
    reason = st.session_state.get(REASON_KEY, "")
    try:
        done = retract_upload(current_principal(), int(upload_id), reason)
    except EpnError as error:
        st.session_state[FLASH_KEY] = ("error", error.message(current_lang()))
        return
    except Exception as error:  # never a traceback: the message and the log
        log.exception("retraction failed")
        st.session_state[FLASH_KEY] = ("error", tr("internal_error", detail=repr(error)))
        return
    st.session_state[REASON_KEY] = ""
    years = ", ".join(map(str, done.years)) or "—"
    text = tr(
        "retract_done",
        upload_id=done.upload_id,
        filename=done.filename,
        epn_ids=", ".join(done.epn_ids) or "—",
        years=years,
    )
    st.session_state[FLASH_KEY] = ("success", text)
