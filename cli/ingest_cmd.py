"""``epn ingest``: annual reports and statistics files, each accepted or rejected whole."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from cli.common import DbOption, JsonOption, LangOption, parse_date, print_json, say, warn
from epn.errors import EpnError
from epn.i18n import t
from epn.principal import SYSTEM


def ingest(
    files: Annotated[
        list[Path], typer.Argument(help="Annual reports (.xlsx) and statistics files.")
    ],
    db: DbOption = None,
    json: JsonOption = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Report what a real run would do; write nothing.")
    ] = False,
    received_on: Annotated[
        str | None,
        typer.Option("--received-on", help="When the files reached the Region (default: today)."),
    ] = None,
    lang: LangOption = "fr",
):
    """Ingest annual reports and statistics files."""
    from services.uploads import COMMAND_LINE, Receipt, submit, uploads_from_paths

    day = parse_date(received_on, dt.date.today())
    # a date given here is recorded as such: a receipt of the command line, in the audit
    receipt = None if received_on is None else Receipt(day, COMMAND_LINE, "--received-on")
    for path in files:
        if not path.is_file():
            raise EpnError("file_not_found", path=path)
    uploads = uploads_from_paths(files, day, SYSTEM.username, receipt)
    results = submit(SYSTEM, uploads, db=db, dry_run=dry_run, lang=lang)
    if json:
        print_json(results)
    else:
        for result in results:
            show_result(result, lang)
    if any(r["status"] == "rejected" for r in results):
        raise typer.Exit(1)


def show_result(result: dict, lang: str) -> None:
    say(
        t(
            f"ingest_{result['status']}",
            lang,
            file=result["file"],
            kind=result["kind"] or "-",
            epn_ids=", ".join(result["epn_ids"]) or "-",
            year=result["year"] or "-",
        )
    )
    for error in result["errors"]:
        where = ", ".join(f"{k} {error[k]}" for k in ("sheet", "row", "column") if error.get(k))
        warn(
            f"  [{error['code']}] {where}: {error['message']}"
            if where
            else f"  [{error['code']}] {error['message']}"
        )
    for finding in result["findings"]:
        say(
            f"  ({finding['severity']}) {finding['epn_id']} {finding['code']}: {finding['message']}"
        )
