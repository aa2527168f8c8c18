"""``epn publish``: the open data package of a year (Frictionless Data Package)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from cli.common import DbOption, JsonOption, LangOption, check_year, db_path, print_json, say
from epn.errors import UsageError
from epn.i18n import t


def publish(
    year: Annotated[int, typer.Option("--year", help="The published (frozen) year.")],
    output: Annotated[
        Path, typer.Option("-o", "--output", help="Directory to write the package into.")
    ] = Path("epn-open-data"),
    db: DbOption = None,
    json: JsonOption = False,
    lang: LangOption = "fr",
):
    """Write the open data package of a frozen year: the public directory, the published
    indicators (CSV, Parquet), the communes' boundaries (GeoJSON), datapackage.json."""
    from registry.open_data import package_files, write_package
    from warehouse.db import connect

    check_year(year)
    if output.exists() and not output.is_dir():
        raise UsageError("standard.not_a_directory", path=output)
    with connect(db_path(db)) as con:
        files = package_files(con, year, dt.datetime.now(dt.UTC))
    written = write_package(files, output)
    if json:
        print_json({"year": year, "path": str(output), "files": sorted(files)})
        return
    say(t("publish.written", lang, year=year, path=output, count=len(written)))
