"""The charter's versions: both the coordinator and the COPIL see them; the coordinator
proposes a new version, the COPIL adopts it (two clicks). Writes go through services.charter."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboards.exports import download_buttons
from dashboards.queries.charter import charter_calendar, charter_versions
from dashboards.session import current_lang, current_principal
from dashboards.ui import day, empty_state, guarded, number, tr
from epn.principal import COORDINATOR, COPIL, Principal
from services import charter

CONFIRM = "charter_adopt_pending"  # the version awaiting the COPIL's confirmation
FLASH = "charter_flash"


def render() -> None:
    principal = current_principal()
    st.title(tr("app.page.charter"))
    st.caption(tr("app.charter.caption"))
    with guarded():
        if FLASH in st.session_state:
            st.success(st.session_state.pop(FLASH), icon=":material/verified:")
        calendar = charter_calendar(principal)
        frame = charter_versions(principal)
        in_force_line(calendar)
        versions_table(frame)
        if principal.role == COORDINATOR:
            propose_form(principal, calendar)
        elif principal.role == COPIL:
            adopt_controls(principal, frame)


def in_force_line(calendar: dict) -> None:
    terms = calendar["in_force"]
    st.markdown(
        tr(
            "app.charter.in_force",
            name=terms.name,
            year=dt.date.today().year,
            public=number(terms.min_public_hours),
            facilitated=number(terms.min_facilitated_hours),
            tolerance=terms.hours_tolerance_weeks,
            deadline=day(terms.report_deadline(dt.date.today().year)),
        )
    )
    if calendar["last_judged"] is not None:
        st.caption(
            tr("app.charter.judged", judged=calendar["last_judged"], next=calendar["first_open"])
        )


def versions_table(frame: pd.DataFrame) -> None:
    st.subheader(tr("app.charter.versions_title"))
    if frame.empty:
        empty_state("app.charter.none")
        return
    shown = pd.DataFrame(
        {
            tr("app.charter.col.version_id"): frame["version_id"],
            tr("app.charter.col.name"): frame["name"],
            tr("app.charter.col.effective_from"): [day(d) for d in frame["effective_from"]],
            tr("app.charter.col.min_public_hours"): [number(h) for h in frame["min_public_hours"]],
            tr("app.charter.col.min_facilitated_hours"): [
                number(h) for h in frame["min_facilitated_hours"]
            ],
            tr("app.charter.col.hours_tolerance_weeks"): frame["hours_tolerance_weeks"],
            tr("app.charter.col.deadline"): [
                f"{d:02d}/{m:02d}"
                for m, d in zip(frame["deadline_month"], frame["deadline_day"], strict=True)
            ],
            tr("app.charter.col.reporting_from"): frame["reporting_from"].astype(str),
            tr("app.charter.col.status"): [tr(f"charter.status.{s}") for s in frame["status"]],
            tr("app.charter.col.proposed_by"): frame["proposed_by"],
            tr("app.charter.col.adopted_by"): frame["adopted_by"].fillna("—"),
            tr("app.charter.col.note"): frame["note"].fillna(""),
        }
    )
    st.dataframe(shown, hide_index=True)
    download_buttons(shown, "charter-versions", current_lang())


def propose_form(principal: Principal, calendar: dict) -> None:
    """The coordinator's proposal: every threshold prefilled with the terms in force."""
    base, first_open = calendar["next_terms"], calendar["first_open"]
    st.subheader(tr("app.charter.propose_title"))
    with st.form("charter_propose", border=True):
        name = st.text_input(tr("app.charter.field.name"), key="charter_name")
        cells = st.columns(2)
        year = cells[0].number_input(
            tr("app.charter.field.year"), min_value=first_open, max_value=2100, value=first_open,
            step=1, key="charter_year",
        )  # fmt: skip
        reporting_from = cells[1].number_input(
            tr("app.charter.field.reporting_from"), min_value=2000, max_value=2100,
            value=base.reporting_from, step=1, key="charter_reporting_from",
        )  # fmt: skip
        public = cells[0].number_input(
            tr("app.charter.field.min_public_hours"), min_value=0.0, max_value=168.0,
            value=float(base.min_public_hours), step=0.5, key="charter_public",
        )  # fmt: skip
        facilitated = cells[1].number_input(
            tr("app.charter.field.min_facilitated_hours"), min_value=0.0, max_value=168.0,
            value=float(base.min_facilitated_hours), step=0.5, key="charter_facilitated",
        )  # fmt: skip
        tolerance = cells[0].number_input(
            tr("app.charter.field.tolerance"), min_value=0, max_value=53,
            value=base.hours_tolerance_weeks, step=1, key="charter_tolerance",
        )  # fmt: skip
        deadline = cells[1].date_input(
            tr("app.charter.field.deadline"),
            value=dt.date(2001, base.report_deadline_month, base.report_deadline_day),
            min_value=dt.date(2001, 1, 1), max_value=dt.date(2001, 12, 31),
            format="DD/MM/YYYY", key="charter_deadline", help=tr("app.charter.field.deadline_help"),
        )  # fmt: skip
        note = st.text_area(tr("app.charter.field.note"), key="charter_note")
        if st.form_submit_button(tr("app.charter.propose"), type="primary"):
            version_id = charter.propose(
                principal,
                dt.date(int(year), 1, 1),
                name,
                note=note,
                min_public_hours=float(public),
                min_facilitated_hours=float(facilitated),
                hours_tolerance_weeks=int(tolerance),
                report_deadline_month=deadline.month,
                report_deadline_day=deadline.day,
                reporting_from=int(reporting_from),
            )
            st.session_state[FLASH] = tr("app.charter.proposed", version_id=version_id)
            st.rerun()


def adopt_controls(principal: Principal, frame: pd.DataFrame) -> None:
    """The COPIL adopts a proposed version in two clicks: the button, then the confirmation."""
    st.subheader(tr("app.charter.adopt_title"))
    proposed = frame[frame["status"] == "proposed"]
    if proposed.empty:
        empty_state("app.charter.nothing_proposed")
        return
    names = dict(zip(proposed["version_id"], proposed["name"], strict=True))
    pending = st.session_state.get(CONFIRM)
    if pending not in names:
        choice = st.selectbox(
            tr("app.charter.field.version"),
            list(names),
            format_func=lambda v: f"{v} — {names[v]}",
            key="charter_version_choice",
        )
        if st.button(tr("app.charter.adopt"), icon=":material/gavel:", key="charter_adopt"):
            st.session_state[CONFIRM] = choice
            st.rerun()
        return
    with st.container(border=True):
        st.warning(
            tr("app.charter.adopt_confirm", version_id=pending, name=names[pending]),
            icon=":material/warning:",
        )
        cells = st.columns([1, 1, 4])
        if cells[0].button(tr("app.charter.adopt_yes"), type="primary", key="charter_adopt_yes"):
            del st.session_state[CONFIRM]
            terms = charter.adopt(principal, int(pending))
            st.session_state[FLASH] = tr(
                "charter.adopted", version_id=pending, name=terms.name,
                year=terms.effective_from.year,
            )  # fmt: skip
            st.rerun()
        if cells[1].button(tr("app.charter.adopt_cancel"), key="charter_adopt_cancel"):
            del st.session_state[CONFIRM]
            st.rerun()


render()
