"""Publishing a year's figures: status, live vs published, the coordinator's freeze, report."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards.exports import download_buttons
from dashboards.queries import region as queries
from dashboards.session import authorised_at_click
from dashboards.ui import day, guarded, tr
from dashboards.views.region_parts import header
from epn.principal import COORDINATOR, Principal
from reporting.formats import SHARES, measure_change, measure_value
from services.snapshots import freeze_year
from warehouse.snapshots import Snapshot

CONFIRM = "region_freeze_pending"  # the year awaiting the coordinator's confirmation
FLASH = "region_flash"
RISE, FALL = "#E3F1E7", "#F8E1DC"


def status_line(shown: Snapshot) -> None:
    if FLASH in st.session_state:
        st.success(st.session_state.pop(FLASH), icon=":material/verified:")
    if shown.published:
        when = day(shown.frozen_at.date())
        text = tr("app.region.status_published", date=when, user=shown.frozen_by)
        st.markdown(f":green-badge[:material/verified: {text}]")
    else:
        st.markdown(
            f":orange-badge[:material/schedule: {tr('app.region.status_live', year=shown.year)}]"
        )


def report_button(principal: Principal, year: int, lang: str) -> None:
    st.download_button(
        tr("app.region.download_report", year=year),
        authorised_at_click(lambda: queries.annual_report(principal, year, lang)),
        file_name=f"annual-report-{year}-{lang}.pdf",
        mime="application/pdf",
        icon=":material/picture_as_pdf:",
        help=tr("app.region.download_report_help"),
        on_click="ignore",
        type="primary",
        key="region_report",
        width="stretch",
    )


def publication_tab(principal: Principal, shown: Snapshot, lang: str) -> None:
    st.caption(tr("app.region.publication_intro"))
    if shown.published:
        differences(principal, shown.year, lang)
        history(principal, shown.year, lang)
    else:
        st.info(tr("app.region.not_published", year=shown.year), icon=":material/schedule:")
    freeze_controls(principal, shown)


def differences(principal: Principal, year: int, lang: str) -> None:
    st.subheader(tr("app.region.diff_title"))
    frame = queries.live_vs_published(principal, year, lang)
    if frame.empty:
        st.success(tr("app.region.diff_none"), icon=":material/check_circle:")
        return
    st.warning(tr("app.region.diff_some", count=len(frame)), icon=":material/difference:")
    frame["commune"] = frame["commune"].fillna(tr("app.region.whole_region"))
    table = pd.DataFrame(
        {
            header("commune"): frame["commune"],
            header("measure"): frame["measure"].map(lambda m: tr(f"app.region.measure.{m}")),
            header("published"): _shown(frame, "published", lang),
            header("live"): _shown(frame, "live", lang),
            header("change"): _changes(frame, lang),
        }
    )
    colours = [RISE if c > 0 else FALL if c < 0 else "" for c in frame["change"].fillna(0)]
    styled = table.style.apply(
        lambda column: [f"background-color: {c}" if c else "" for c in colours],
        subset=[header("change")],
    )
    st.dataframe(styled, hide_index=True)
    export = frame.assign(measure=table[header("measure")])
    for column in ("published", "live", "change"):  # numbers stay numbers in the files
        scale = frame["measure"].map(lambda m: 100 if m in SHARES else 1)
        export[column] = pd.to_numeric(frame[column]) * scale
    export = export.loc[:, ["commune", "measure", "published", "live", "change"]]
    download_buttons(export.rename(columns=header), f"live-vs-published-{year}", lang)


def _shown(frame: pd.DataFrame, column: str, lang: str) -> list[str]:
    return [measure_value(m, v, lang) for m, v in zip(frame["measure"], frame[column], strict=True)]


def _changes(frame: pd.DataFrame, lang: str) -> list[str]:
    """Signed changes, in points for a share."""
    pairs = zip(frame["measure"], frame["published"], frame["live"], strict=True)
    return [measure_change(m, new, old, lang) or "—" for m, old, new in pairs]


def history(principal: Principal, year: int, lang: str) -> None:
    st.subheader(tr("app.region.history_title"))
    frame = queries.snapshot_history(principal, year, lang)
    table = frame.rename(columns=header)
    st.dataframe(
        table,
        hide_index=True,
        width="content",
        column_config={
            header("frozen_at"): st.column_config.DatetimeColumn(format="DD/MM/YYYY HH:mm")
        },
    )
    download_buttons(table, f"publications-{year}", lang)


def freeze_controls(principal: Principal, shown: Snapshot) -> None:
    """Publishing takes two clicks: the button, then the confirmation."""
    year = shown.year
    if principal.role != COORDINATOR:
        st.caption(tr("app.region.freeze_only_coordinator"))
        return
    if st.session_state.get(CONFIRM) != year:
        code = "app.region.refreeze" if shown.published else "app.region.freeze"
        if st.button(tr(code, year=year), icon=":material/publish:", key="region_freeze"):
            st.session_state[CONFIRM] = year
            st.rerun()
        return
    with st.container(border=True):
        st.warning(tr("app.region.freeze_confirm", year=year), icon=":material/warning:")
        cells = st.columns([1, 1, 4])
        if cells[0].button(tr("app.region.freeze_yes"), type="primary", key="region_freeze_yes"):
            del st.session_state[CONFIRM]
            with guarded(), st.spinner(tr("app.region.freezing", year=year)):
                freeze_year(principal, year)
                st.session_state[FLASH] = tr("app.region.frozen", year=year)
                st.rerun()
        if cells[1].button(tr("app.region.freeze_cancel"), key="region_freeze_cancel"):
            del st.session_state[CONFIRM]
            st.rerun()
