"""The Region page's figures: key figures with the change since last year, map, tables."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards import charts_region
from dashboards.exports import download_buttons
from dashboards.queries import region as queries
from dashboards.session import fixed_language
from dashboards.ui import chart, empty_state, tr
from reporting.formats import DECIMALS, SHARES, domain_name, measure_change, measure_value
from warehouse.coverage import significant
from warehouse.indicators import MEASURES
from warehouse.snapshots import Snapshot

KEY_MEASURES = (*MEASURES, "communes_without_epn")
COMMUNE_COLUMNS = ("commune", "inhabitants", *MEASURES)
DOMAIN_COLUMNS = ("domain", "activities", "epns", "sessions", "hours", "participants")


def _region_value(measure: str, region: dict):
    value = region.get(measure)
    return len(value) if measure == "communes_without_epn" else value


def key_figures(shown: Snapshot, previous: Snapshot, basis: dict, lang: str) -> None:
    """Eight metrics, each with its change since the previous year when that year had EPNs.

    A running year is compared like for like: its weekly figures against the same weeks of
    the previous year, and none of what the annual reports (not yet due) bring. A figure
    resting on too few EPNs (``coverage.significant``) is shown as not yet significant.
    """
    st.subheader(tr("app.region.key_figures"))
    if basis["partial"]:
        partial_note(shown.year, basis)
    now, before = dict(shown.document["region"]), dict(previous.document["region"])
    compare = before.get("labelled_epns", 0) > 0
    if basis["partial"]:
        now.update(basis.get("now", {}))
        before.update(basis.get("before", {}))
    for row in (KEY_MEASURES[:4], KEY_MEASURES[4:]):
        for cell, measure in zip(st.columns(4), row, strict=True):
            value = _region_value(measure, now)
            resting = resting_on(measure, basis)
            sure = resting is None or significant(*resting)
            comparable = compare and sure and not (basis["partial"] and measure in FROM_REPORTS)
            old = _region_value(measure, before) if comparable else None
            change = measure_change(measure, value, old, lang) if sure else None
            colour = "inverse" if measure == "communes_without_epn" else "normal"
            steady = bool(change) and change.startswith("±")
            cell.metric(
                tr(f"app.region.measure.{measure}"),
                measure_value(measure, value, lang) if sure else tr("app.region.not_significant"),
                delta=change,
                delta_color="off" if steady else colour,
                delta_arrow="off" if steady else "auto",
                delta_description=comparison(previous.year, basis) if change else None,
                help=tr(f"app.region.help.{measure}", year=shown.year),
                border=True,
            )
            if resting is not None:
                cell.caption(tr("app.region.rests_on", epns=resting[0], expected=resting[1]))
    if not compare:
        st.caption(tr("app.region.no_previous", year=previous.year))


FROM_REPORTS = ("users_total", "priority_share")  # the annual report's figures


def resting_on(measure: str, basis: dict) -> tuple[int, int] | None:
    """(EPNs the figure rests on, EPNs expected) for the figures that depend on what EPNs
    sent (every share among them); None for counts of the registry."""
    if measure in FROM_REPORTS:
        return basis["with_report"], basis["labelled"]
    if measure in ("visits", "weekly_public_hours"):
        return basis["with_weeks"], basis["labelled"]
    if measure == "share_without_breach":
        return basis["labelled"], basis["labelled"]
    return None


def comparison(previous_year: int, basis: dict) -> str:
    if basis["partial"] and basis["weeks"]:
        return tr("app.region.vs_same_weeks", year=previous_year, weeks=basis["weeks"])
    return tr("app.region.vs", year=previous_year)


def partial_note(year: int, basis: dict) -> None:
    if basis["weeks"]:
        text = tr("app.region.partial_year", year=year, weeks=basis["weeks"], previous=year - 1)
    else:
        text = tr("app.region.partial_year_empty", year=year)
    st.warning(text, icon=":material/hourglass_top:")


def readable(frame: pd.DataFrame, columns: tuple[str, ...], lang: str) -> pd.DataFrame:
    """``columns`` with the reader's headers; shares as percentages (what tables and files show)."""
    shown = frame.loc[:, list(columns)].copy()
    for share in set(columns) & set(SHARES):
        shown[share] = (shown[share].astype(float) * 100).round(1)
    return shown.rename(columns={c: header(c) for c in columns})


def header(column: str) -> str:
    """Short headers (tables are wide); the full name is the column's help."""
    if column in MEASURES:
        return tr(f"app.region.short.{column}")
    return tr(f"app.region.col.{column}")


def number_formats(columns: tuple[str, ...]) -> dict:
    """Column formats by header: percentages, fixed decimals, grouped whole numbers."""
    config = {}
    for column in columns:
        helps = tr(f"app.region.measure.{column}") if column in MEASURES else None
        if column in SHARES:
            number = "%.1f %%"
        elif column in DECIMALS:
            number = f"%.{DECIMALS[column]}f"
        elif column not in ("commune", "domain"):
            number = "localized"
        else:
            continue
        config[header(column)] = st.column_config.NumberColumn(format=number, help=helps)
    return config


def map_tab(shown: Snapshot, lang: str) -> None:
    frame = queries.commune_frame(shown, lang)
    with st.columns([2, 5])[0]:
        measure = st.selectbox(
            tr("app.region.measure_picker"),
            MEASURES,
            format_func=fixed_language(lambda m: tr(f"app.region.measure.{m}")),
            index=MEASURES.index("epns_per_100k"),
            key="region_measure",
        )
    cells = st.columns([3, 2], gap="large")
    with cells[0]:
        chart(charts_region.commune_map(frame, measure, lang), key="region_map")
    with cells[1]:
        st.markdown(f"**{tr('app.region.ranking_title')}** · {tr(f'app.region.measure.{measure}')}")
        chart(charts_region.commune_ranking(frame, measure, lang), key="region_ranking")
    names = frame.loc[frame["labelled_epns"] == 0, "commune"].tolist()
    if names:
        st.caption(tr("app.region.without_epn_list", names=", ".join(names)))
    else:
        st.caption(tr("app.region.without_epn_none"))


def communes_tab(shown: Snapshot, lang: str) -> None:
    table = readable(queries.commune_frame(shown, lang), COMMUNE_COLUMNS, lang)
    st.dataframe(table, hide_index=True, column_config=number_formats(COMMUNE_COLUMNS))
    download_buttons(table, f"indicators-communes-{shown.year}", lang)


def activities_tab(shown: Snapshot, lang: str) -> None:
    frame = queries.domain_frame(shown)
    if frame.empty:
        empty_state("app.region.domains_empty", year=shown.year)
        return
    st.caption(tr("app.region.domains_caption", year=shown.year))
    chart(charts_region.domains_chart(frame, lang), key="region_domains")
    named = frame.assign(domain=frame["domain"].map(domain_name(lang)))
    columns = (*DOMAIN_COLUMNS, "priority_participants")
    table = readable(named, columns, lang)
    st.dataframe(table, hide_index=True, column_config=number_formats(columns))
    download_buttons(table, f"activities-{shown.year}", lang)
