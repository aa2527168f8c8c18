"""The Region's printable annual review of the EPN label (``epn report``), as a PDF.

Key figures with the change since the previous year, the communes on a map and ranked,
the per-commune table, the charter's compliance overview and the activities by domain.
The figures are the year's published snapshot when there is one, else the live figures
(the cover says which).
"""

from __future__ import annotations

import datetime as dt

import duckdb

from epn.i18n import t
from epn.locale import day
from reporting import annual_sections as sections
from reporting.formats import measure_change, measure_value
from reporting.pdf_base import ReportPdf
from warehouse import snapshots
from warehouse.indicators import MEASURES
from warehouse.snapshots import Snapshot

KEY_MEASURES = (*MEASURES, "communes_without_epn")


def annual_report_pdf(
    con: duckdb.DuckDBPyConnection, year: int, lang: str, today: dt.date | None = None
) -> bytes:
    """The annual review of ``year`` in ``lang`` (fr, nl or en)."""
    return render(snapshots.shown(con, year), snapshots.shown(con, year - 1), lang, today)


def render(current: Snapshot, previous: Snapshot, lang: str, today: dt.date | None) -> bytes:
    today = today or dt.date.today()
    year = current.year
    pdf = ReportPdf(
        t("app.region.report.title", lang, year=year),
        t("app.region.report.footer", lang, year=year, date=day(today, lang)),
        lang,
        today,
    )
    pdf.title_block(
        t("app.region.report.over", lang),
        t("app.region.report.title", lang, year=year),
        t("app.region.report.subtitle", lang),
        status(current, today, lang),
    )
    key_figures(pdf, current, previous, lang)
    sections.map_and_ranking(pdf, current, lang)
    sections.commune_table(pdf, current, lang)
    sections.compliance(pdf, current, previous, lang)
    sections.activities(pdf, current, lang)
    pdf.heading(t("app.region.report.method_title", lang), room=30)
    pdf.note(t("app.region.report.method", lang, year=year), size=8.5)
    return bytes(pdf.output())


def status(current: Snapshot, today: dt.date, lang: str) -> str:
    if current.published:
        when = day(current.frozen_at.date(), lang)
        return t("app.region.report.status_published", lang, date=when, user=current.frozen_by)
    return t("app.region.report.status_live", lang, date=day(today, lang))


def region_value(measure: str, region: dict) -> float | None:
    value = region.get(measure)
    return len(value) if measure == "communes_without_epn" else value


def key_figures(pdf: ReportPdf, current: Snapshot, previous: Snapshot, lang: str) -> None:
    pdf.heading(t("app.region.report.key_figures", lang))
    now, before = current.document["region"], previous.document["region"]
    compare = before.get("labelled_epns", 0) > 0
    tiles = []
    for measure in KEY_MEASURES:
        value = region_value(measure, now)
        old = region_value(measure, before) if compare else None
        change = measure_change(measure, value, old, lang, narrow=False)
        direction = 0 if not change or value == old else (1 if value > old else -1)
        if measure == "communes_without_epn":
            direction = -direction  # fewer communes without an EPN is progress
        versus = f"{change}  {t('app.region.vs', lang, year=previous.year)}" if change else None
        label = t(f"app.region.measure.{measure}", lang)
        tiles.append((label, measure_value(measure, value, lang, narrow=False), versus, direction))
    pdf.tiles(tiles)
    if not compare:
        pdf.note(t("app.region.no_previous", lang, year=previous.year))
