"""Coordinator's dashboard, outliers tab: weeks far from the EPN's own history."""

from __future__ import annotations

import streamlit as st

from dashboards.queries import coordinator_outliers as queries
from dashboards.session import fixed_language
from dashboards.ui import day, empty_state, label, number, tr
from dashboards.views import coordinator_followup
from dashboards.views.coordinator_widgets import current_page, date_column, grid, pager

PAGE_SIZE = 50
WINDOWS = (4, 8, 13, 26)
WIDTHS = {
    "epn_id": 80,
    "name": 230,
    "commune": 140,
    "week_start": 95,
    "open_days": 80,
    "measure": 150,
}


def render(principal, lang: str, filters) -> None:
    weeks, measures, flagged_only = controls()
    window = queries.review_window(principal, filters.year, weeks=weeks)
    if window.empty:
        empty_state("app.coordinator.outliers.no_data", year=filters.year)
        return
    start, end = (day(d) for d in window.iloc[0][["review_start", "review_end"]].dt.date)
    st.caption(tr("app.coordinator.outliers.period", start=start, end=end))
    key = "coord_outlier_page"
    frame = queries.outliers(
        principal,
        filters.year,
        weeks=weeks,
        measures=tuple(measures),
        flagged_only=flagged_only,
        lang=lang,
        page=current_page(key, filters, weeks, measures, flagged_only),
        page_size=PAGE_SIZE,
        **filters.kwargs(),
    )
    if frame.empty:
        st.success(
            tr("app.coordinator.outliers.none", start=start, end=end),
            icon=":material/check_circle:",
        )
        coordinator_followup.recent(principal, filters.year)
        return
    key_figures(frame)
    shown = frame.assign(
        measure=frame["measure"].map(lambda m: label("app.coordinator.measure", m, lang))
    )
    grid(
        shown,
        [
            "epn_id",
            "name",
            "commune",
            "week_start",
            "open_days",
            "measure",
            "value",
            "median",
            "z",
            "flagged",
        ],
        {
            "week_start": date_column,
            "open_days": lambda h: st.column_config.NumberColumn(
                h, format="%d", help=tr("app.coordinator.outliers.holidays")
            ),
            "value": lambda h: st.column_config.NumberColumn(h, format="%.4g"),
            "median": lambda h: st.column_config.NumberColumn(h, format="%.4g"),
            "z": lambda h: st.column_config.NumberColumn(h, format="%+.1f"),
            "flagged": st.column_config.CheckboxColumn,
        },
        widths=WIDTHS,
        export=f"outliers-{filters.year}",
    )
    pager(int(frame["total"].iloc[0]), PAGE_SIZE, key)
    coordinator_followup.examine(principal, lang, frame, filters.year, weeks)
    coordinator_followup.recent(principal, filters.year)


def controls() -> tuple[int, list[str], bool]:
    with st.expander(tr("app.coordinator.outliers.how"), icon=":material/help:"):
        st.markdown(tr("app.coordinator.outliers.intro"))
        st.markdown(tr("app.coordinator.outliers.holidays"))
    cells = st.columns([2, 3, 3], vertical_alignment="bottom")
    weeks = cells[0].selectbox(
        tr("app.coordinator.outliers.window"),
        WINDOWS,
        index=WINDOWS.index(13),
        format_func=fixed_language(lambda w: tr("app.coordinator.outliers.window_option", weeks=w)),
        key="coord_window",
    )
    measures = cells[1].pills(
        tr("app.coordinator.outliers.measure"),
        queries.MEASURES,
        selection_mode="multi",
        default=list(queries.MEASURES),
        format_func=fixed_language(lambda m: label("app.coordinator.measure", m)),
        key="coord_measures",
    )
    flagged_only = cells[2].toggle(tr("app.coordinator.outliers.flagged_only"), key="coord_flagged")
    return weeks, measures or list(queries.MEASURES), flagged_only


def key_figures(frame) -> None:
    cells = st.columns(3)
    cells[0].metric(
        tr("app.coordinator.outliers.metric_count"), number(frame["total"].iloc[0]), border=True
    )
    cells[1].metric(
        tr("app.coordinator.outliers.metric_epns"), number(frame["epns_total"].iloc[0]), border=True
    )
    cells[2].metric(
        tr("app.coordinator.outliers.metric_flagged"),
        number(frame["flagged_total"].iloc[0]),
        border=True,
    )
