"""Mon EPN: the report to fill and send, every file sent, the EPN beside the regional median.

An EPN user sees its own EPN, taken from who is signed in; the coordinator picks any EPN.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboards import charts_epn, queries
from dashboards.finding_review_form import answer_form, show_exchange, show_review
from dashboards.outcome import show_outcome, submission_history
from dashboards.queries import finding_reviews as review_queries
from dashboards.receipt_input import earlier_receipt
from dashboards.session import authorised_at_click, current_lang, current_principal
from dashboards.ui import (
    chart,
    day,
    empty_state,
    file_picker,
    guarded,
    label,
    plain_text,
    show_evidence,
    tr,
)
from dashboards.upload_handler import handle_upload
from dashboards.years import MONITORING, year_select
from epn.principal import EPN_USER
from validation.charter.terms import terms_for
from warehouse.finding_review import FindingKey

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TABS = ("send", "history", "figures", "findings")
OUTCOME = "my_epn_outcome"  # survives the rerun that refreshes the page after an upload


def render() -> None:
    principal, lang = current_principal(), current_lang()
    st.title(tr("app.page.my_epn"))
    with guarded():
        top = st.columns([3, 1], vertical_alignment="bottom")
        own_only = principal.role == EPN_USER
        # An EPN user's EPN comes from the server's Principal, never from a widget.
        epn_id = None if own_only else pick_epn(principal, lang, top[0])
        if not own_only and epn_id is None:
            return
        identity = queries.epn_identity(principal, lang, epn_id)
        epn = identity["epn_id"] if identity else queries.own_epn(principal, epn_id)
        with top[1]:
            year = year_select(MONITORING, key="my_epn_year")
        with top[0] if own_only else st.container():
            describe(identity, epn, named=own_only)  # the coordinator's picker names it
        names = [tr(f"app.my_epn.tab_{name}") for name in TABS]
        # Only the open tab runs; the URL names it, so a tab can be bookmarked.
        tabs = dict(zip(TABS, st.tabs(names, key="my_epn_tab", bind="query-params"), strict=True))
        if tabs["send"].open:
            with tabs["send"]:
                send(principal, lang, identity, epn_id, year)
        if tabs["history"].open:
            with tabs["history"]:
                submission_history(queries.epn_submissions(principal, epn_id))
        if tabs["figures"].open:
            with tabs["figures"]:
                figures(principal, lang, epn, epn_id, year)
        if tabs["findings"].open:
            with tabs["findings"]:
                findings_tab(principal, queries.own_findings(principal, year, lang, epn_id), year)


def pick_epn(principal, lang: str, cell) -> str | None:
    epns = queries.epn_list(principal, lang)
    if epns.empty:
        empty_state("app.my_epn.no_epn")
        return None
    names = dict(zip(epns["epn_id"], epns["name"], strict=True))
    return cell.selectbox(
        tr("app.filter.epn"),
        list(names),
        format_func=lambda e: f"{e} — {names[e]}",
        key="my_epn_epn",
    )


def describe(identity: dict | None, epn: str, named: bool) -> None:
    if identity is None:
        st.warning(tr("app.my_epn.unknown_epn", epn_id=epn))
        return
    parts = [f"**{plain_text(epn)} — {plain_text(identity['name'])}**"] if named else []
    parts += [plain_text(identity["commune"])] if identity["commune"] else []
    status = label("app.my_epn.status", identity["status"])
    if identity["status"] == "labelled" and identity["labelled_on"]:
        status = tr("app.my_epn.labelled_since", date=day(identity["labelled_on"]))
    st.markdown(" · ".join([*parts, plain_text(status)]))


def send(principal, lang: str, identity: dict | None, epn_id: str | None, year: int) -> None:
    report_status(queries.epn_submissions(principal, epn_id), year)
    st.subheader(tr("app.my_epn.template_title", year=year))
    deadline = day(terms_for(year).report_deadline(year))
    st.caption(tr("app.my_epn.template_intro", year=year, deadline=deadline))
    if identity is not None:
        prefill = {k: identity[k] for k in ("epn_id", "name", "workstations")}
        st.download_button(
            tr("app.my_epn.template_download", year=year),
            # built on click only, and only while the session that drew the button lives
            data=authorised_at_click(lambda: template_bytes(prefill, year, lang)),
            file_name=tr("app.my_epn.template_file", year=year, epn_id=prefill["epn_id"]),
            mime=XLSX,
            icon=":material/download:",
            on_click="ignore",
            key="my_epn_template",
        )
    st.subheader(tr("app.my_epn.send_title"))
    st.caption(tr("app.my_epn.send_intro"))
    upload_form(principal, lang)


def report_status(submissions: pd.DataFrame, year: int) -> None:
    """Whether this year's report is in, at a glance."""
    reports = submissions[(submissions["kind"] == "annual_report") & (submissions["year"] == year)]
    current = reports[reports["current"]]
    if not current.empty:
        report = current.iloc[-1]
        when = day(report["received_on"])
        st.success(
            tr("app.my_epn.report_in", year=year, date=when, version=report["version"]),
            icon=":material/task_alt:",
        )
    else:
        deadline = terms_for(year).report_deadline(year)
        if deadline < dt.date.today():  # overdue is shown as overdue, not as a neutral note
            st.warning(
                tr("app.my_epn.report_overdue", year=year, deadline=day(deadline)),
                icon=":material/warning:",
            )
            return
        st.info(
            tr("app.my_epn.report_missing", year=year, deadline=day(deadline)),
            icon=":material/info:",
        )


def upload_form(principal, lang: str) -> None:
    file = file_picker(tr("app.upload.file"), "my_epn_file", ["csv", "xlsx"])
    receipt = earlier_receipt(principal, "my_epn")
    dry_run = st.checkbox(
        tr("app.upload.dry_run"), help=tr("app.upload.dry_run_help"), key="my_epn_dry_run"
    )
    if st.button(
        tr("app.upload.submit"), type="primary", icon=":material/send:", key="my_epn_send"
    ):
        if file is None:
            st.warning(tr("app.upload.choose_file"))
            return
        with st.spinner(tr("app.my_epn.sending", file=file.name)):
            outcome = handle_upload(principal, file.name, file.getvalue(), dry_run, lang, receipt)
        st.session_state[OUTCOME] = (file.name, outcome)
        st.rerun()  # the whole page then shows the warehouse as this file left it
    if OUTCOME in st.session_state:
        filename, outcome = st.session_state.pop(OUTCOME)
        show_outcome(outcome, filename)


def template_bytes(identity: dict, year: int, lang: str) -> bytes:
    from reporting.template.workbook import (
        write_template,  # openpyxl is heavy: load it on the first click
    )

    return write_template(identity, year, lang)


def figures(principal, lang: str, epn: str, epn_id: str | None, year: int) -> None:
    measures = queries.figures_against_median(principal, year, epn_id)
    if measures["own"].isna().all():
        empty_state("app.my_epn.figures_empty", year=year)
        return
    st.subheader(tr("app.my_epn.figures_title", year=year))
    epns = int(measures["epns"].iloc[0])
    minimum = terms_for(year).min_public_hours
    if measures["median"].isna().all():
        st.caption(tr("app.my_epn.median_hidden", epns=epns))
    else:
        st.caption(tr("app.my_epn.figures_caption", epns=epns, minimum=minimum))
    comparison = charts_epn.comparison_chart(measures, lang, epn, minimum)
    chart(comparison, key="my_epn_comparison")
    st.subheader(tr("app.my_epn.visits_title", year=year))
    weeks = queries.weekly_visits_against_median(principal, year, epn_id)
    chart(charts_epn.weekly_visits_chart(weeks, lang, epn), key="my_epn_visits")


def findings_tab(principal, frame: pd.DataFrame, year: int) -> None:
    if frame.empty:
        st.success(tr("app.my_epn.no_findings", year=year), icon=":material/check_circle:")
        return
    st.caption(tr("app.my_epn.findings_intro", year=year, count=len(frame)))
    reviews = review_queries.reviews(principal, frame["epn_id"].iloc[0], [year])
    for row in frame.itertuples():
        key = FindingKey(row.epn_id, int(row.year), row.code, row.evidence.get("repeated_code", ""))
        color = "red" if row.severity == "breach" else "orange"
        with st.container(border=True):
            severity = plain_text(label("app.severity", row.severity))
            st.markdown(f"**{plain_text(row.rule)}** :{color}-badge[{severity}]")
            st.markdown(plain_text(row.message))
            with st.expander(tr("app.my_epn.evidence")):
                show_evidence(row.evidence)
            # the coordination's review and the exchange with it, and the EPN's answer
            show_review(reviews.get(key))
            show_exchange(principal, key)
            answer_form(principal, key)


render()
