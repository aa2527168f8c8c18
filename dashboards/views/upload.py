"""Upload a statistics file or an annual report; show what was accepted or what to fix."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards import queries
from dashboards.outcome import show_outcome
from dashboards.receipt_input import earlier_receipt
from dashboards.session import current_lang, current_principal
from dashboards.ui import empty_state, file_picker, guarded, label, table, tr
from dashboards.upload_handler import handle_upload
from dashboards.upload_retraction import retraction_form
from epn.principal import COORDINATOR


def render() -> None:
    principal, lang = current_principal(), current_lang()
    st.title(tr("app.page.upload"))
    st.caption(tr("app.upload.intro"))
    file = file_picker(tr("app.upload.file"), "upload_file", ["csv", "xlsx"])
    receipt = earlier_receipt(principal, "upload")
    dry_run = st.checkbox(
        tr("app.upload.dry_run"), help=tr("app.upload.dry_run_help"), key="upload_dry_run"
    )
    if st.button(
        tr("app.upload.submit"), type="primary", icon=":material/send:", key="upload_submit"
    ):
        if file is None:
            st.warning(tr("app.upload.choose_file"))
        else:
            with st.spinner():
                outcome = handle_upload(
                    principal, file.name, file.getvalue(), dry_run, lang, receipt
                )
            show_outcome(outcome, file.name)
    st.divider()
    history(principal)


def history(principal) -> None:
    st.subheader(tr("app.upload.history_title"))
    with guarded():
        uploads = queries.upload_history(principal, limit=50)
        if uploads.empty:
            empty_state("app.upload.history_empty")
            return
        shown = uploads.assign(
            kind=uploads["kind"].map(lambda k: None if pd.isna(k) else label("app.kind", k)),
            status=uploads["status"].map(lambda s: label("app.status", s)),
            epn_ids=uploads["epn_ids"].map(lambda ids: ", ".join(ids) if ids is not None else ""),
        )
        table(
            shown,
            [
                "upload_id",
                "uploaded_at",
                "received_on",
                "filename",
                "kind",
                "status",
                "epn_ids",
                "year",
                "uploaded_by",
                "errors",
            ],
            export="upload-history",
            widths={"upload_id": "small", "year": "small", "errors": "small", "status": "small"},
        )
        if principal.role == COORDINATOR:
            retraction_form(uploads)


render()
