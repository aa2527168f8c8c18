"""Weekly statistics in the browser: a grid of weeks, checked as the user types with the
rules of a file, sent through the path of every upload (as a statistics CSV of §3)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboards import weekly_grid
from dashboards.entry_common import entry_epn, remember_outcome, show_remembered_outcome
from dashboards.queries.entry import first_unreported_week, monday_of, weeks_in_force
from dashboards.session import current_lang, current_principal, fixed_language
from dashboards.ui import day, guarded, plain_text, tr
from dashboards.upload_handler import handle_upload
from reporting.entry.statistics_csv import statistics_csv, statistics_filename

GRID = "weekly_grid"  # the editor's key: its edits (edited_rows) live there
BASE = "_weekly_grid_base"  # (what the grid shows, its Mondays, its frame)
OUTCOME = "_weekly_entry_outcome"
MODES = ("new", "correct")
MAX_WEEKS = 53  # a year of weeks at most: beyond, send a file (or the report's weekly sheet)
RECENT_WEEKS = 8


def render() -> None:
    principal, lang = current_principal(), current_lang()
    st.title(tr("app.page.weekly_entry"))
    st.caption(tr("app.entry.weekly_intro"))
    with guarded():
        picked = entry_epn(principal, lang, key="weekly_entry_epn")
        if picked is None:
            return
        epn_id, identity = picked
        show_remembered_outcome(OUTCOME)
        weeks = chosen_weeks(principal, epn_id)
        if weeks:
            grid(principal, lang, epn_id, identity["epn_id"], weeks)
        recent(principal, lang, epn_id)


def chosen_weeks(principal, epn_id) -> list[dt.date]:
    """The Mondays of the grid: the weeks not yet sent, or the one week being corrected."""
    today = dt.date.today()
    last_week = monday_of(today) - dt.timedelta(weeks=1)
    mode = st.segmented_control(
        tr("app.entry.mode"),
        MODES,
        default="new",
        format_func=fixed_language(lambda m: tr(f"app.entry.mode_{m}")),
        key="weekly_entry_mode",
    )
    if mode == "correct":
        picked = st.date_input(
            tr("app.entry.correct_week"),
            value=last_week,
            max_value=last_week,
            format="DD/MM/YYYY",
            help=tr("app.entry.correct_week_help"),
            key="weekly_entry_week",
            width=220,
        )
        return [monday_of(picked)]
    first = first_unreported_week(principal, today, epn_id)
    if first > last_week:
        st.success(tr("app.entry.all_sent", date=day(last_week)), icon=":material/task_alt:")
        return []
    weeks = weekly_grid.mondays(first, last_week)
    if len(weeks) > MAX_WEEKS:
        st.info(tr("app.entry.too_many_weeks", weeks=MAX_WEEKS), icon=":material/info:")
        weeks = weeks[:MAX_WEEKS]
    st.caption(tr("app.entry.span", first=day(weeks[0]), last=day(weeks[-1]), count=len(weeks)))
    return weeks


def base_frame(principal, lang: str, epn_id, epn: str, weeks: list[dt.date]) -> pd.DataFrame:
    """The grid before the user's edits, built once per EPN, span and language; the edits
    of another span would land on the wrong weeks, so they go when the span changes."""
    signature = (epn, tuple(weeks), lang)
    held = st.session_state.get(BASE)
    if held is None or held[0] != signature:
        in_force = weeks_in_force(principal, weeks[0], weeks[-1], epn_id)
        held = (signature, weekly_grid.base_grid(weeks, in_force, lang))
        st.session_state[BASE] = held
        st.session_state.pop(GRID, None)
    return held[1]


def grid(principal, lang: str, epn_id, epn: str, weeks: list[dt.date]) -> None:
    base = base_frame(principal, lang, epn_id, epn, weeks)
    current = weekly_grid.with_edits(base, st.session_state.get(GRID))
    check = weekly_grid.check_grid(epn, weeks, base, current, lang)
    shown = weekly_grid.with_problems(base, check, lang)
    st.data_editor(
        shown.style.apply(highlight, axis=1),
        key=GRID,
        num_rows="fixed",
        hide_index=True,
        column_config=column_config(lang),
        column_order=list(weekly_grid.COLUMNS),
        placeholder="",  # an empty cell is one to fill, not a missing value
    )
    problems_beside(check, weeks, lang)
    if not check.weeks:
        st.caption(tr("app.entry.nothing_to_send"))
    if st.button(
        tr("app.entry.send_weeks", count=len(check.weeks)),
        type="primary",
        icon=":material/send:",
        disabled=not check.sendable,
        key="weekly_entry_send",
    ):
        send(principal, lang, epn, check)


def highlight(row: pd.Series) -> list[str]:
    """The week and its problems in red where the check found something to fix."""
    marked = "background-color: #fde2e1; color: #8a1c1c" if row["problems"] else ""
    return [marked if name in ("week", "problems") else "" for name in row.index]


# Pixel widths: the whole week fits on a laptop's screen, the problems at its end.
WIDTHS = {"week": 125, "holiday": 165, "status": 175, "closure_reason": 150}
NUMBER_WIDTH = 95


def column_config(lang: str) -> dict:
    statuses = [weekly_grid.status_label(code, lang) for code in weekly_grid.STATUSES]
    hours = {"min_value": 0.0, "max_value": 168.0, "step": 0.5, "format": "%g"}
    counts = {"min_value": 0, "step": 1, "format": "%d"}

    def number(key: str, **options) -> st.column_config.NumberColumn:
        # a short header, the standard's full one in its help
        return st.column_config.NumberColumn(
            tr(f"app.entry.short.{key}"), help=tr(f"header.{key}"), width=NUMBER_WIDTH, **options
        )

    return {
        "week": st.column_config.TextColumn(
            tr("app.entry.col_week"), disabled=True, pinned=True, width=WIDTHS["week"]
        ),
        "holiday": st.column_config.TextColumn(
            tr("app.entry.col_holiday"), disabled=True, width=WIDTHS["holiday"]
        ),
        "status": st.column_config.SelectboxColumn(
            tr("header.status"),
            options=statuses,
            help=tr("app.entry.status_help"),
            width=WIDTHS["status"],
        ),
        "closure_reason": st.column_config.TextColumn(
            tr("header.closure_reason"),
            help=tr("app.entry.reason_help"),
            max_chars=200,
            width=WIDTHS["closure_reason"],
        ),
        "public_hours": number("public_hours", **hours),
        "facilitated_hours": number("facilitated_hours", **hours),
        "visits": number("visits", **counts),
        "unique_users": number("unique_users", **counts),
        "new_users": number("new_users", **counts),
        "problems": st.column_config.TextColumn(
            tr("app.entry.col_problems"), disabled=True, width="large"
        ),
    }


def problems_beside(check: weekly_grid.GridCheck, weeks: list[dt.date], lang: str) -> None:
    """Every problem in words, under the grid, naming its week and column."""
    if not check.problems:
        if check.weeks:
            st.success(tr("app.entry.weeks_ready", count=len(check.weeks)))
        return
    st.error(tr("app.entry.weeks_to_fix", count=len(check.problems)), icon=":material/error:")
    lines = []
    for position, found in check.problems:
        text = weekly_grid.problem_text(found, lang)
        if position is not None:
            text = f"**{weekly_grid.week_label(weeks[position], lang)}** — {text}"
        lines.append(f"- {text}")
    st.markdown("\n".join(lines))


def send(principal, lang: str, epn: str, check: weekly_grid.GridCheck) -> None:
    """The grid as a statistics CSV, through the upload path; the page then reloads."""
    filename = statistics_filename(epn, check.weeks)
    data = statistics_csv(epn, check.weeks)
    with st.spinner(tr("app.my_epn.sending", file=filename)):
        outcome = handle_upload(principal, filename, data, False, lang)
    remember_outcome(OUTCOME, filename, outcome)
    if outcome.status in ("accepted", "duplicate"):
        st.session_state.pop(BASE, None)  # the grid starts again from what is now in force
        st.session_state.pop(GRID, None)
    st.rerun()


def recent(principal, lang: str, epn_id) -> None:
    """The EPN's latest weeks in force: what the figures of « Mon EPN » are made of."""
    st.subheader(tr("app.entry.recent_title"))
    last_week = monday_of(dt.date.today()) - dt.timedelta(weeks=1)
    first = last_week - dt.timedelta(weeks=RECENT_WEEKS - 1)
    weeks = weeks_in_force(principal, first, last_week, epn_id)
    if weeks.empty:
        st.caption(tr("app.entry.recent_empty"))
        return
    shown = weeks.sort_values("week_start", ascending=False)
    shown = shown.assign(
        week_start=shown["week_start"].map(lambda monday: weekly_grid.week_label(monday, lang)),
        status=shown["status"].map(lambda code: weekly_grid.status_label(code, lang)),
    )
    for key in weekly_grid.NUMBERS:  # « 24,5 » in French and Dutch, « — » when not given
        shown[key] = shown[key].map(lambda value: number_text(value, lang))
    headers = {"week_start": tr("app.entry.col_week")}
    headers |= {key: tr(f"header.{key}") for key in weekly_grid.ENTERED}
    shown = shown.loc[:, list(headers)].rename(columns=headers)
    # a static table: a handful of rows, read (and found by the browser test) as text
    st.table(shown.map(plain_text), hide_index=True)


def number_text(value: object, lang: str) -> str | None:
    if value is None or pd.isna(value):
        return None
    text = f"{float(value):g}"
    return text if lang == "en" else text.replace(".", ",")


render()
