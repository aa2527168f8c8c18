"""How an upload's outcome reads on every page that files data: what was accepted, what to fix."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from dashboards.ui import day, empty_state, label, number, plain_text, table, tr, wrapped_table
from dashboards.upload_handler import ERROR_COLUMNS, UploadOutcome

WRAPPED_ROWS = 200  # beyond this a static table gets too long: the scrolling grid takes over
HISTORY_COLUMNS = [
    "upload_version",
    "upload_current",
    "status",
    "errors",
    "filename",
    "received_on",
    "uploaded_at",
    "uploaded_by",
]
# Short values get narrow columns; a long file name is cut (hovering shows it whole).
HISTORY_WIDTHS = {
    **dict.fromkeys(("upload_version", "upload_current", "status", "errors"), "small"),
    "filename": 320,
}
KIND_ORDER = {"annual_report": 0, "statistics": 1}


def show_outcome(outcome: UploadOutcome, filename: str) -> None:
    if outcome.status == "failed":
        st.error(outcome.failure)
        return
    if outcome.status == "rejected":
        st.error(tr("app.upload.rejected", file=filename, count=len(outcome.errors)))
        st.subheader(tr("app.upload.errors_title"))
        error_table(outcome.errors, f"errors-{Path(filename).stem}")
        return
    if outcome.status == "duplicate":
        st.info(tr("app.upload.duplicate", file=filename))
    elif outcome.dry_run:
        st.success(tr("app.upload.checked", file=filename))
    else:
        st.success(tr("app.upload.accepted", file=filename))
    accepted_summary(outcome, Path(filename).stem)


def error_table(errors: pd.DataFrame, export: str) -> None:
    """Every problem with its sheet, row, column and cell; messages wrap while they can;
    ``export`` names the list's own download files (to fix the file at one's desk)."""
    errors = errors.reindex(columns=list(ERROR_COLUMNS))
    # Row numbers stay integers even when a problem (a missing column) has none.
    errors["row"] = pd.to_numeric(errors["row"], errors="coerce").astype("Int64")
    if len(errors) <= WRAPPED_ROWS:
        wrapped_table(errors, list(ERROR_COLUMNS), export=export)
    else:
        table(errors, list(ERROR_COLUMNS), widths={"message": 640}, export=export)


def accepted_summary(outcome: UploadOutcome, name: str) -> None:
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
        wrapped_table(findings, columns, export=f"findings-{name}")
    else:
        table(
            findings,
            columns,
            widths={"epn_id": 90, "severity": 115, "rule": 230},
            export=f"findings-{name}",
        )


def submission_history(frame: pd.DataFrame) -> None:
    """An EPN's files per kind and year, newest first, with versions and stored problems.

    ``frame`` as :func:`dashboards.queries.epn_submissions` returns it.
    """
    if frame.empty:
        empty_state("app.my_epn.history_empty")
        return
    shown = frame.assign(
        status=frame["status"].map(lambda s: label("app.status", s)),
        upload_version=frame["version"],
        upload_current=frame["current"].map(lambda c: tr("app.my_epn.current") if c else ""),
        sort_year=-frame["year"].fillna(0),  # unreadable files (no year) come last
        sort_kind=frame["kind"].map(KIND_ORDER).fillna(len(KIND_ORDER)),
    ).sort_values(["sort_year", "sort_kind", "upload_id"], ascending=[True, True, False])
    for (kind, year), rows in shown.groupby(["kind", "year"], dropna=False, sort=False):
        with st.container(border=True):
            what = tr("app.my_epn.unreadable") if pd.isna(kind) else label("app.kind", kind)
            st.markdown(f"**{what}{'' if pd.isna(year) else f' {int(year)}'}**")
            parts = [str(kind) if pd.notna(kind) else "other", *([str(int(year))] * pd.notna(year))]
            kept = "-".join(["uploads", *parts])
            table(rows, HISTORY_COLUMNS, widths=HISTORY_WIDTHS, export=kept)
            for row in rows[rows["error_list"].map(len) > 0].itertuples():
                title = tr(
                    "app.my_epn.rejected_file",
                    file=row.filename,
                    count=row.errors,
                    date=day(row.received_on),
                )
                with st.expander(title, icon=":material/error:"):
                    error_table(pd.DataFrame(row.error_list), f"errors-{row.upload_id}")
