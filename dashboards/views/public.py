"""The public page, open without logging in: where the labelled EPNs are (map, directory),
the last published year's indicators and the open data package to download."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards import charts_region
from dashboards.exports import download_buttons
from dashboards.queries import public as queries
from dashboards.session import current_lang, current_principal, fixed_language, language_switch
from dashboards.ui import chart, tr
from dashboards.views.region_parts import COMMUNE_COLUMNS, number_formats, readable
from reporting.formats import measure_value
from warehouse.indicators import MEASURES
from warehouse.snapshots import Snapshot

ALL = "__all__"
DAY = "%d/%m/%Y"  # the directory's dates too: Brussels readers' order, in every language


def render() -> None:
    lang = current_lang()
    brand, switch = st.columns([5, 1], vertical_alignment="center")
    brand.markdown(f":material/computer: **{tr('app.title')}**")
    if current_principal() is None:  # a signed-in user has the switch in the sidebar
        with switch:
            language_switch(label_visibility="collapsed")
    st.title(tr("app.public.title"), anchor=False)
    st.caption(tr("app.public.intro"))
    directory = queries.directory(lang)
    where_and_who(directory, lang)
    snapshot = queries.last_published()
    published_indicators(snapshot, lang)
    download(snapshot)


def where_and_who(directory: pd.DataFrame, lang: str) -> None:
    """The map of labelled EPNs by commune beside the directory, filtered by commune."""
    if directory.empty:
        st.info(tr("app.public.no_epn"), icon=":material/info:")
        return
    counts = queries.commune_counts(directory, lang)
    st.subheader(tr("app.public.map_title"), anchor=False)
    st.caption(
        tr(
            "app.public.map_caption",
            count=len(directory),
            communes=int((counts["labelled_epns"] > 0).sum()),
        )
    )
    left, right = st.columns([4, 7], gap="large")
    with left:
        chart(charts_region.commune_map(counts, "labelled_epns", lang), key="public_map")
    with right:
        st.markdown(f"**{tr('app.public.directory_title')}**")
        names = directory.drop_duplicates("commune_nis").set_index("commune_nis")["commune"]
        chosen = st.selectbox(
            tr("app.public.commune_filter"),
            [ALL, *sorted(names.index, key=lambda nis: names[nis])],
            format_func=fixed_language(
                lambda nis: tr("app.public.all_communes") if nis == ALL else names[nis]
            ),
            key=f"public_commune_{lang}",  # a new widget per language: its labels change
        )
        shown = directory if chosen == ALL else directory[directory["commune_nis"] == chosen]
        directory_table(shown)


def directory_table(frame: pd.DataFrame) -> None:
    columns = ("name", "address", "commune", "labelled_since")
    headers = {c: tr(f"app.public.col.{c}") for c in columns}
    shown = frame.loc[:, list(columns)].rename(columns=headers)
    st.dataframe(
        shown,
        hide_index=True,
        placeholder="",
        column_config={
            headers["labelled_since"]: st.column_config.DateColumn(
                format="DD/MM/YYYY", width="small"
            ),
            headers["name"]: st.column_config.TextColumn(width="medium"),
            headers["address"]: st.column_config.TextColumn(width="medium"),
            headers["commune"]: st.column_config.TextColumn(width="small"),
        },
    )
    download_buttons(shown, "epn-directory", current_lang(), public=True)


def published_indicators(snapshot: Snapshot | None, lang: str) -> None:
    if snapshot is None:
        st.info(tr("app.public.no_indicators"), icon=":material/info:")
        return
    st.subheader(tr("app.public.indicators_title", year=snapshot.year), anchor=False)
    st.caption(tr("app.public.indicators_caption", date=snapshot.frozen_at.strftime(DAY)))
    region = snapshot.document["region"]
    for row in (MEASURES[:4], MEASURES[4:]):
        for cell, measure in zip(st.columns(4), row, strict=False):
            cell.metric(
                tr(f"app.region.measure.{measure}"),
                measure_value(measure, region.get(measure), lang),
                help=tr(f"app.region.help.{measure}", year=snapshot.year),
                border=True,
            )
    frame = pd.DataFrame(snapshot.document["communes"])
    frame.insert(1, "commune", frame["name_nl" if lang == "nl" else "name_fr"])
    table = readable(frame, COMMUNE_COLUMNS, lang)
    st.dataframe(table, hide_index=True, column_config=number_formats(COMMUNE_COLUMNS))
    download_buttons(table, f"indicators-communes-{snapshot.year}", lang, public=True)


def download(snapshot: Snapshot | None) -> None:
    if snapshot is None:
        return
    year = snapshot.year
    st.subheader(tr("app.public.download_title"), anchor=False)
    st.caption(tr("app.public.download_caption", year=snapshot.year))
    st.download_button(
        tr("app.public.download", year=snapshot.year),
        data=lambda: queries.open_data_zip(year),  # built on click, in memory
        file_name=f"epn-open-data-{snapshot.year}.zip",
        mime="application/zip",
        icon=":material/download:",
        key="public_download",
        on_click="ignore",
    )


render()
