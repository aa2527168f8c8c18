"""Coordinator's dashboard, outliers tab: one week in context, and its follow-up flag."""

from __future__ import annotations

import logging

import streamlit as st

from dashboards import charts_coordinator as charts
from dashboards.queries import coordinator_followup as queries
from dashboards.session import current_lang, fixed_language
from dashboards.ui import chart, day, label, plain_text, tr
from dashboards.views.coordinator_widgets import grid
from epn.errors import EpnError
from epn.locale import decimal
from services import followup

log = logging.getLogger(__name__)
NOTE_KEY = "coord_note"
FLASH_KEY = "coord_flash"


def examine(principal, lang: str, frame, year: int, weeks: int) -> None:
    rows = {(r.epn_id, r.week_start.date(), r.measure): r for r in frame.itertuples()}
    key = st.selectbox(
        tr("app.coordinator.outliers.pick"),
        list(rows),
        format_func=fixed_language(
            lambda k: f"{k[0]} · {day(k[1])} · {label('app.coordinator.measure', k[2])}"
        ),
        key="coord_pick",
    )
    row, (epn_id, week, measure) = rows[key], key
    left, right = st.columns([3, 2], gap="large")
    with left:
        heading = tr("app.coordinator.outliers.context", name=row.name, week=day(week))
        st.markdown(f"**{plain_text(heading)}**")  # the name comes from the registry
        st.caption(
            tr(
                "app.coordinator.outliers.reading",
                measure=label("app.coordinator.measure", measure),
                value=decimal(row.value, lang),
                median=decimal(row.median, lang),
                z=decimal(row.z, lang, "+.1f"),
            )
        )
        series = queries.outlier_series(
            principal, year, epn_id=epn_id, week_start=week, measure=measure, weeks=weeks
        )
        figure = charts.outlier_chart(
            series, week, row.median, lang, label("app.coordinator.measure", measure)
        )
        chart(figure, key="coord_series_chart")
    with right:
        panel(principal, row, key, year)


def panel(principal, row, key, year: int) -> None:
    epn_id, week, measure = key
    st.markdown(f"**{tr('app.coordinator.followup.title')}**")
    flash = st.session_state.pop(FLASH_KEY, None)
    if flash:
        (st.success if flash[0] == "success" else st.error)(plain_text(flash[1]))
    if row.flagged:
        state = tr(
            "app.coordinator.followup.state_flagged",
            date=day(row.flagged_at.date()),
            user=row.flagged_by,
        )
        st.info(plain_text(state), icon=":material/flag:")
    else:
        st.caption(tr("app.coordinator.followup.state_none"))
    st.text_area(
        tr("app.coordinator.followup.note"),
        max_chars=followup.NOTE_MAX,
        help=tr("app.coordinator.followup.note_help"),
        key=NOTE_KEY,
    )
    args = (principal, epn_id, week, measure, row.name)
    cells = st.columns(2)
    if row.flagged:
        cells[0].button(
            tr("app.coordinator.followup.update"),
            on_click=act,
            args=("set", *args),
            key="coord_set",
        )
        cells[1].button(
            tr("app.coordinator.followup.clear"),
            type="primary",
            on_click=act,
            args=("clear", *args),
            key="coord_clear",
        )
    else:
        cells[0].button(
            tr("app.coordinator.followup.set"),
            type="primary",
            icon=":material/flag:",
            on_click=act,
            args=("set", *args),
            key="coord_set",
        )
    history = queries.followup_history(
        principal, year, epn_id=epn_id, week_start=week, measure=measure
    )
    if not history.empty:
        st.markdown(f"**{tr('app.coordinator.followup.history')}**")
        for entry in history.itertuples():  # a narrow column: one line per action
            when = f"{day(entry.recorded_at.date())} {entry.recorded_at:%H:%M}"
            action = label("app.coordinator.followup.action", entry.action)
            note = f" — « {entry.note} »" if isinstance(entry.note, str) and entry.note else ""
            st.caption(plain_text(f"{when} · {entry.recorded_by} · {action}{note}"))


def act(action, principal, epn_id, week, measure, name) -> None:
    """A button's callback: runs before the rerun, so the tables below show the new state."""
    note = st.session_state.get(NOTE_KEY, "")
    try:
        record = followup.set_flag if action == "set" else followup.clear_flag
        record(principal, epn_id, week, measure, note)
    except EpnError as error:
        st.session_state[FLASH_KEY] = ("error", error.message(current_lang()))
        return
    except Exception as error:  # never a traceback: the message and the log
        log.exception("follow-up failed")
        st.session_state[FLASH_KEY] = ("error", tr("internal_error", detail=repr(error)))
        return
    st.session_state[NOTE_KEY] = ""
    done = tr(f"app.coordinator.followup.done_{action}", week=day(week), epn=f"{epn_id} {name}")
    st.session_state[FLASH_KEY] = ("success", done)


def recent(principal, year: int) -> None:
    history = queries.followup_history(principal, year)
    if history.empty:
        return
    with st.expander(tr("app.coordinator.followup.recent", year=year), icon=":material/history:"):
        show_history(
            history,
            [
                "epn_id",
                "name",
                "week_start",
                "measure",
                "action",
                "note",
                "recorded_by",
                "recorded_at",
            ],  # fmt: skip
        )


def show_history(history, columns: list[str]) -> None:
    shown = history.assign(
        action=history["action"].map(lambda a: label("app.coordinator.followup.action", a)),
        measure=history["measure"].map(lambda m: label("app.coordinator.measure", m)),
    )
    grid(
        shown,
        columns,
        {
            "week_start": lambda h: st.column_config.DateColumn(h, format="DD/MM/YYYY"),
            "recorded_at": lambda h: st.column_config.DatetimeColumn(h, format="DD/MM/YYYY HH:mm"),
        },
        export="followup-history",
    )
