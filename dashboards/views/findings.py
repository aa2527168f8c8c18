"""Charter findings of a year, for the coordinator: filters, counts per rule, the evidence."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboards import charts, queries
from dashboards.session import current_lang, current_principal, fixed_language
from dashboards.ui import (
    chart,
    day,
    empty_state,
    guarded,
    label,
    show_evidence,
    table,
    tr,
)
from dashboards.years import COMPLIANCE, year_select
from validation.charter.rules import ALL_CODES

SEVERITIES = ("breach", "warning")
EVIDENCE_SHOWN = 50  # expanders beyond this slow the page without helping anyone read


def render() -> None:
    principal, lang = current_principal(), current_lang()
    st.title(tr("app.page.findings"))
    st.caption(tr("app.findings.caption", as_of=day(dt.date.today())))
    with guarded():
        epns = queries.epn_list(principal, lang)
        if epns.empty:
            empty_state("app.findings.no_epn")
            return
        top = st.columns([1, 2, 2, 2, 3])
        with top[0]:
            year = year_select(COMPLIANCE, key="findings_year")
        filters = pick_filters(epns, top[1:])
        frame = queries.findings(principal, year, lang, **filters)
        if frame.empty:
            st.success(tr("app.findings.none", year=year), icon=":material/check_circle:")
            return
        summary(frame)
        st.subheader(tr("app.findings.count_title"))
        chart(charts.findings_by_rule_chart(frame, lang), key="rules_chart")
        st.subheader(tr("app.findings.table_title"))
        shown = frame.assign(severity=frame["severity"].map(lambda s: label("app.severity", s)))
        # The message is what the reader came for: right after the rule, at a readable width.
        table(
            shown,
            ["epn_id", "severity", "rule", "message", "name", "commune"],
            widths={"epn_id": 90, "severity": 115, "rule": 230, "message": 640},
            export=f"findings-{year}",
        )
        evidence(frame)


def pick_filters(epns, cells) -> dict:
    communes = epns.dropna(subset=["commune_nis"]).drop_duplicates("commune_nis")
    commune_names = dict(zip(communes["commune_nis"].astype(int), communes["commune"], strict=True))
    epn_names = dict(zip(epns["epn_id"], epns["name"], strict=True))
    placeholder = tr("app.filter.all")
    return {
        "communes": cells[0].multiselect(
            tr("app.filter.commune"),
            sorted(commune_names, key=commune_names.get),
            format_func=commune_names.get,
            placeholder=placeholder,
            key="f_commune",
        ),
        "codes": cells[1].multiselect(
            tr("app.filter.rule"),
            ALL_CODES,
            format_func=fixed_language(lambda c: label("app.rule", c)),
            placeholder=placeholder,
            key="f_rule",
        ),
        "severities": cells[2].multiselect(
            tr("app.filter.severity"),
            SEVERITIES,
            format_func=fixed_language(lambda s: label("app.severity", s)),
            placeholder=placeholder,
            key="f_severity",
        ),
        "epn_ids": cells[3].multiselect(
            tr("app.filter.epn"),
            list(epn_names),
            format_func=lambda e: f"{e} — {epn_names[e]}",
            placeholder=placeholder,
            key="f_epn",
        ),
    }


def summary(frame) -> None:
    cells = st.columns(4)
    cells[0].metric(tr("app.findings.metric_total"), len(frame), border=True)
    cells[1].metric(
        tr("app.findings.metric_breaches"), int((frame["severity"] == "breach").sum()), border=True
    )
    cells[2].metric(
        tr("app.findings.metric_warnings"), int((frame["severity"] == "warning").sum()), border=True
    )
    cells[3].metric(tr("app.findings.metric_epns"), frame["epn_id"].nunique(), border=True)


def evidence(frame) -> None:
    st.subheader(tr("app.findings.evidence_title"))
    if len(frame) > EVIDENCE_SHOWN:
        st.caption(tr("app.findings.evidence_capped", shown=EVIDENCE_SHOWN, total=len(frame)))
    for row in frame.head(EVIDENCE_SHOWN).itertuples():
        title = f"{row.epn_id} — {row.name} · {row.rule} · {label('app.severity', row.severity)}"
        with st.expander(title):
            st.write(row.message)
            show_evidence(row.evidence)


render()
