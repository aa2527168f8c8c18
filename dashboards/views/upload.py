"""Upload a statistics file or an annual report; show what was accepted or what to fix."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboards import queries
from dashboards.session import current_lang, current_principal
from dashboards.ui import (
    day,
    empty_state,
    guarded,
    label,
    number,
    plain_text,
    table,
    tr,
    wrapped_table,
)
from dashboards.upload_handler import ERROR_COLUMNS, UploadOutcome, handle_upload
from epn.settings import get_settings

MEGABYTE = 1024 * 1024
WRAPPED_ROWS = 200  # beyond this a static table gets too long: the scrolling grid takes over


def render() -> None:
    principal, lang = current_principal(), current_lang()
    st.title(tr("app.page.upload"))
    st.caption(tr("app.upload.intro"))
    file = st.file_uploader(
        tr("app.upload.file"),
        type=["csv", "xlsx"],
        key="upload_file",
        max_upload_size=max(1, get_settings().max_upload_bytes // MEGABYTE),
    )
    left, right = st.columns([1, 2], vertical_alignment="bottom")
    received_on = left.date_input(
        tr("app.upload.received_on"),
        value=dt.date.today(),
        max_value=dt.date.today(),
        format="DD/MM/YYYY",
        help=tr("app.upload.received_on_help"),
        key="upload_received_on",
    )
    dry_run = right.checkbox(
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
                    principal, file.name, file.getvalue(), received_on, dry_run, lang
                )
            show_outcome(outcome, file.name)
    st.divider()
    history(principal)


def show_outcome(outcome: UploadOutcome, filename: str) -> None:
    if outcome.status == "failed":
        st.error(outcome.failure)
        return
    if outcome.status == "rejected":
        st.error(tr("app.upload.rejected", file=filename, count=len(outcome.errors)))
        st.subheader(tr("app.upload.errors_title"))
        if len(outcome.errors) <= WRAPPED_ROWS:
            wrapped_table(outcome.errors, list(ERROR_COLUMNS))
        else:
            table(outcome.errors, list(ERROR_COLUMNS), widths={"message": 640})
        return
    if outcome.status == "duplicate":
        st.info(tr("app.upload.duplicate", file=filename))
    elif outcome.dry_run:
        st.success(tr("app.upload.checked", file=filename))
    else:
        st.success(tr("app.upload.accepted", file=filename))
    accepted_summary(outcome)


def accepted_summary(outcome: UploadOutcome) -> None:
    facts = {
        "app.upload.kind": label("app.kind", outcome.kind),
        "app.upload.epns": ", ".join(outcome.epn_ids) or "—",
        "app.upload.year": outcome.year or "—",
    }
    if outcome.weeks:  # known once stored; a check-only run does not keep them
        weeks = outcome.weeks
        span = tr(
            "app.upload.weeks_range", first=day(weeks["first_week"]), last=day(weeks["last_week"])
        )
        facts["app.upload.weeks"] = f"{number(weeks['weeks'])} ({span})"
    # Label over value, wrapping freely: st.metric would cut long texts such as EPN lists.
    for cell, (code, value) in zip(st.columns(len(facts)), facts.items(), strict=True):
        cell.caption(tr(code))
        cell.markdown(f"**{plain_text(value)}**")
    st.subheader(tr("app.upload.findings_title"))
    if outcome.findings.empty:
        st.success(tr("app.upload.no_findings"))
        return
    findings = outcome.findings.assign(
        severity=outcome.findings["severity"].map(lambda s: label("app.severity", s)),
        rule=outcome.findings["code"].map(lambda c: label("app.rule", c)),
    )
    columns = ["epn_id", "severity", "rule", "message"]
    if len(findings) <= WRAPPED_ROWS:
        wrapped_table(findings, columns)
    else:
        table(findings, columns, widths={"epn_id": 90, "severity": 115, "rule": 230})


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
            widths={"year": "small", "errors": "small", "status": "small"},
        )


render()
