"""``epn report``: the Region's printable annual review of the label, as a PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.common import DbOption, check_year, db_path, say
from cli.registry_papers import DocLang, DocLangOption
from epn.i18n import t


def report(
    year: Annotated[int, typer.Option("--year", help="Reporting year.")],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="PDF file to write.")
    ] = None,
    lang: DocLangOption = DocLang.fr,
    db: DbOption = None,
):
    """The annual regional report (PDF): key figures, communes, compliance, activities."""
    from reporting.annual_report import annual_report_pdf
    from services.findings import refresh_if_stale
    from warehouse.db import connect

    check_year(year)
    refresh_if_stale(db_path(db))  # live figures (an unpublished year) count today's breaches
    with connect(db_path(db)) as con:
        pdf = annual_report_pdf(con, year, lang.value)
    path = output or Path(f"annual-report-{year}-{lang.value}.pdf")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pdf)
    say(t("app.region.cli.report_written", lang.value, year=year, path=path))
