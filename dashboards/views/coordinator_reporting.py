"""Coordinator's dashboard, reporting tab: who sent their report and weeks, and on time."""

from __future__ import annotations

import streamlit as st

from dashboards import charts_coordinator as charts
from dashboards.queries import coordinator_reporting as queries
from dashboards.ui import chart, day, empty_state, label, number, tr
from dashboards.views.coordinator_widgets import (
    as_percent,
    current_page,
    date_column,
    grid,
    pager,
    rate_column,
    share_text,
)

PAGE_SIZE = 50
COUNTS = ["on_time", "late", "missing"]


def render(principal, lang: str, filters) -> None:
    year = filters.year
    deadline = queries.report_deadline(year)
    communes = queries.reporting_by_commune(principal, year, lang=lang, **filters.kwargs())
    if communes.empty:
        empty_state("app.coordinator.reporting.no_epn", year=year)
        return
    st.caption(tr("app.coordinator.reporting.deadline", year=year, deadline=day(deadline)))
    key_figures(communes, deadline, year)
    left, right = st.columns([5, 6], gap="large")
    with left:
        st.subheader(tr("app.coordinator.reporting.by_commune"))
        chart(charts.reports_by_commune_chart(communes, lang), key="coord_reports_chart")
    with right:
        st.subheader(" ")  # aligns the table with the chart beside it
        grid(
            as_percent(communes, "week_rate"),
            ["commune", *COUNTS, "week_rate"],
            {"week_rate": rate_column},
            widths={"commune": 160, "week_rate": 100, **dict.fromkeys(COUNTS, 78)},
            height=min(720, 38 + 35 * len(communes)),
            export=f"reporting-communes-{filters.year}",
        )
    epn_table(principal, lang, filters)


def key_figures(communes, deadline, year: int) -> None:
    totals = communes.sum(numeric_only=True)
    expected, received = int(totals["expected_reports"]), int(totals["received_reports"])
    cells = st.columns(4)
    cells[0].metric(
        tr("app.coordinator.reporting.reports"),
        f"{number(received)} / {number(expected)}",
        help=tr("app.coordinator.reporting.reports_help", year=year),
        border=True,
    )
    cells[1].metric(
        tr("app.coordinator.reporting.on_time"),
        share_text(int(totals["on_time"]), expected),
        help=tr("app.coordinator.reporting.on_time_help", deadline=day(deadline)),
        border=True,
    )
    cells[2].metric(
        tr("app.coordinator.reporting.missing"),
        number(totals["missing"]),
        help=tr("app.coordinator.reporting.missing_help", deadline=day(deadline)),
        border=True,
    )
    cells[3].metric(
        tr("app.coordinator.reporting.weeks"),
        share_text(int(totals["received_weeks"]), int(totals["expected_weeks"])),
        help=tr(
            "app.coordinator.reporting.weeks_help",
            received=number(totals["received_weeks"]),
            expected=number(totals["expected_weeks"]),
        ),
        border=True,
    )


def epn_table(principal, lang: str, filters) -> None:
    st.subheader(tr("app.coordinator.reporting.by_epn"))
    incomplete = st.toggle(
        tr("app.coordinator.reporting.incomplete_only"), value=True, key="coord_incomplete"
    )
    page = current_page("coord_epn_page", filters, incomplete)
    frame = queries.reporting_by_epn(
        principal,
        filters.year,
        lang=lang,
        incomplete_only=incomplete,
        page=page,
        page_size=PAGE_SIZE,
        **filters.kwargs(),
    )
    if frame.empty:
        st.success(
            tr("app.coordinator.reporting.all_complete", year=filters.year),
            icon=":material/check_circle:",
        )
        return
    shown = as_percent(frame, "week_rate").assign(
        report_status=frame["report_status"].map(
            lambda s: label("app.coordinator.report_status", s, lang)
        ),
        weeks=[
            f"{number(received, lang)} / {number(expected, lang)}"
            for received, expected in zip(
                frame["received_weeks"], frame["expected_weeks"], strict=True
            )
        ],
    )
    grid(
        shown,
        ["epn_id", "name", "commune", "report_status", "first_received_on", "weeks", "week_rate"],
        {"first_received_on": date_column, "week_rate": rate_column},
        widths={"epn_id": 85, "name": 260, "commune": 150, "report_status": 100},
        export=f"reporting-epns-{filters.year}-{page}",
    )
    pager(int(frame["total"].iloc[0]), PAGE_SIZE, "coord_epn_page")
