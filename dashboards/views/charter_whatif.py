"""What-if for the COPIL: change a threshold, see who would newly breach in a closed year and
who would no longer, per EPN and per commune, beside the charter in force. Writes nothing."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboards.exports import download_buttons
from dashboards.queries.charter_whatif import closed_years, what_if
from dashboards.session import current_lang, current_principal
from dashboards.ui import day, empty_state, guarded, number, tr


def render() -> None:
    principal = current_principal()
    st.title(tr("app.page.charter_whatif"))
    st.caption(tr("app.whatif.caption"))
    with guarded():
        years = closed_years(principal)
        if not years:
            empty_state("app.whatif.no_closed_year")
            return
        year = st.selectbox(tr("app.year"), years, key="whatif_year")
        changes = threshold_inputs(year)
        result = what_if(principal, year, changes, current_lang())
        side_by_side(result, year)
        epn_table(result["epns"])
        commune_table(result["communes"])


def threshold_inputs(year: int) -> dict:
    cells = st.columns(4)
    public = cells[0].number_input(
        tr("app.charter.field.min_public_hours"), min_value=0.0, max_value=168.0, value=None,
        step=0.5, key="whatif_public", placeholder=tr("app.whatif.as_in_force"),
    )  # fmt: skip
    facilitated = cells[1].number_input(
        tr("app.charter.field.min_facilitated_hours"), min_value=0.0, max_value=168.0,
        value=None, step=0.5, key="whatif_facilitated", placeholder=tr("app.whatif.as_in_force"),
    )  # fmt: skip
    tolerance = cells[2].number_input(
        tr("app.charter.field.tolerance"), min_value=0, max_value=53, value=None, step=1,
        key="whatif_tolerance", placeholder=tr("app.whatif.as_in_force"),
    )  # fmt: skip
    deadline = cells[3].date_input(
        tr("app.whatif.deadline", year=year + 1), value=None, min_value=dt.date(year + 1, 1, 1),
        max_value=dt.date(year + 1, 12, 31), format="DD/MM/YYYY", key="whatif_deadline",
    )  # fmt: skip
    return {
        "min_public_hours": public,
        "min_facilitated_hours": facilitated,
        "hours_tolerance_weeks": None if tolerance is None else int(tolerance),
        "report_deadline_month": deadline.month if deadline else None,
        "report_deadline_day": deadline.day if deadline else None,
    }


def side_by_side(result: dict, year: int) -> None:
    force, sim, epns = result["in_force"], result["simulated"], result["epns"]
    rows = [
        ("app.charter.field.min_public_hours", force.min_public_hours, sim.min_public_hours),
        (
            "app.charter.field.min_facilitated_hours",
            force.min_facilitated_hours,
            sim.min_facilitated_hours,
        ),
        ("app.charter.field.tolerance", force.hours_tolerance_weeks, sim.hours_tolerance_weeks),
    ]
    shown = [(tr(code), number(a), number(b)) for code, a, b in rows]
    shown.append(
        (
            tr("app.whatif.deadline", year=year + 1),
            day(force.report_deadline(year)),
            day(sim.report_deadline(year)),
        )
    )
    in_force = int(epns["in_force"].map(bool).sum()) if not epns.empty else 0
    simulated = int(epns["simulated"].map(bool).sum()) if not epns.empty else 0
    shown.append((tr("app.whatif.in_breach"), number(in_force), number(simulated)))
    compared = pd.DataFrame(
        shown,
        columns=[
            tr("app.whatif.col.threshold"),
            tr("app.whatif.col.in_force", name=force.name),
            tr("app.whatif.col.simulated"),
        ],
    )
    st.dataframe(compared, hide_index=True)
    download_buttons(compared, "what-if-thresholds", current_lang())
    cells = st.columns(2)
    cells[0].metric(tr("app.whatif.newly"), number((epns["change"] == "new").sum()))
    cells[1].metric(tr("app.whatif.no_longer"), number((epns["change"] == "gone").sum()))


def _codes(codes: list[str]) -> str:
    return ", ".join(tr(f"app.rule.{c}") for c in codes) or "—"


def epn_table(epns: pd.DataFrame) -> None:
    st.subheader(tr("app.whatif.per_epn"))
    moved = epns[epns["change"] != "same"]
    if moved.empty:
        empty_state("app.whatif.nobody_moves")
        return
    table = pd.DataFrame(
        {
            tr("app.whatif.col.epn"): moved["name"].fillna(moved["epn_id"]),
            tr("app.whatif.col.commune"): moved["commune"].fillna("—"),
            tr("app.whatif.col.change"): [tr(f"app.whatif.change.{c}") for c in moved["change"]],
            tr("app.whatif.col.breaches_in_force"): moved["in_force"].map(_codes),
            tr("app.whatif.col.breaches_simulated"): moved["simulated"].map(_codes),
        }
    )
    st.dataframe(table, hide_index=True)
    download_buttons(table, "what-if-epns", current_lang())


def commune_table(communes: pd.DataFrame) -> None:
    st.subheader(tr("app.whatif.per_commune"))
    if communes.empty:
        empty_state("app.whatif.nobody_breaches")
        return
    table = pd.DataFrame(
        {
            tr("app.whatif.col.commune"): communes["commune"].fillna("—"),
            tr("app.whatif.col.in_force_count"): communes["in_force"],
            tr("app.whatif.col.simulated_count"): communes["simulated"],
            tr("app.whatif.col.new"): communes["new"],
            tr("app.whatif.col.gone"): communes["gone"],
        }
    )
    st.dataframe(table, hide_index=True)
    download_buttons(table, "what-if-communes", current_lang())


render()
