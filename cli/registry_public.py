"""``epn registry export|candidates``: the public directory and the withdrawal candidates."""

from __future__ import annotations

import json as jsonlib
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from cli.common import (
    DbOption,
    JsonOption,
    LangOption,
    check_year,
    db_path,
    parse_date,
    print_json,
    say,
)
from cli.readable import commune_names
from epn.i18n import t

Format = Enum("Format", {"csv": "csv", "json": "json"}, type=str)


def export(
    fmt: Annotated[Format, typer.Option("--format", help="csv or json.")] = Format.csv,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="File to write (default: stdout).")
    ] = None,
    db: DbOption = None,
    lang: LangOption = "fr",
):
    """The public directory of labelled EPNs (art. 5), as CSV or JSON."""
    from registry.directory import directory_csv, public_directory
    from warehouse.db import connect

    with connect(db_path(db)) as con:
        records = public_directory(con)
    if fmt is Format.csv:
        data = directory_csv(records)
    else:
        data = (jsonlib.dumps(records, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    if output is None:
        sys.stdout.write(data.decode("utf-8"))
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(data)
    say(t("registry_file_written", lang, path=output))


def candidates(
    year: Annotated[int, typer.Option("--year", help="Reporting year of the findings.")],
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Evaluation date, YYYY-MM-DD (default: today).")
    ] = None,
    db: DbOption = None,
    json: JsonOption = False,
    lang: LangOption = "fr",
):
    """Labelled EPNs with a repeated breach (art. 10): candidates for a withdrawal."""
    from registry.withdrawal import withdrawal_candidates
    from warehouse.db import connect, transaction

    check_year(year)
    day = parse_date(as_of)
    with connect(db_path(db)) as con, transaction(con):  # the findings mart may be refreshed
        found = withdrawal_candidates(con, year, day, lang)
        communes = {} if json else commune_names(con, lang)
    if json:
        print_json(found)
        return
    if not found:
        say(t("registry_no_candidates", lang, year=year))
    for candidate in found:
        commune = communes.get(candidate["commune_nis"], candidate["commune_nis"])
        say(
            f"{candidate['epn_id']:<12} {commune:<22} {candidate['name']}  "
            f"— {', '.join(t('app.rule.' + code, lang) for code in candidate['repeated_codes'])}"
        )
