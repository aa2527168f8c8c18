"""``epn ingest``: annual reports and statistics files, each accepted or rejected whole."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from cli.common import (
    DbOption,
    JsonOption,
    LangOption,
    parse_date,
    print_json,
    say,
    warn,
)
from cli.readable import finding_message
from epn.i18n import catalogue, t
from epn.input_files import check_input_file
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
    from validation.parse_ahead import one_shot

    day = parse_date(received_on, dt.date.today())
    # a date given here is recorded as such: a receipt of the command line, in the audit
    receipt = None if received_on is None else Receipt(day, COMMAND_LINE, "--received-on")
    for path in files:
        check_input_file(path)
    uploads = uploads_from_paths(files, day, SYSTEM.username, receipt)
    with one_shot():  # the command ends with its batch: no warming up for later uploads
        results = submit(SYSTEM, uploads, db=db, dry_run=dry_run, lang=lang)
    if json:
        print_json(results)
    else:
        for result in results:
            show_result(result, lang)
        if dry_run:
            say(t("cli.ingest.dry_run", lang))
    if any(r["status"] == "rejected" for r in results):
        raise typer.Exit(1)


def show_result(result: dict, lang: str) -> None:
    """One file's outcome in words, naming the file; then its problems and findings."""
    status = result["status"]
    code = f"cli.ingest.{status}"
    say(
        t(
            code if code in catalogue() else "cli.ingest.other",
            lang,
            file=result["file"],
            status=status,
            count=len(result["errors"]),
            kind=t(f"app.kind.{result['kind']}", lang) if result["kind"] else "—",
            epn_ids=", ".join(result["epn_ids"]) or "—",
            year=result["year"] or "—",
        )
    )
    for error in result["errors"]:
        warn(problem_line(error, lang))
    for finding in result["findings"]:
        severity = t(f"app.severity.{finding['severity']}", lang)
        say(
            t(
                "cli.finding",
                lang,
                severity=severity,
                epn_id=finding["epn_id"],
                message=finding_message(finding, lang),
            )
        )


def problem_line(error: dict, lang: str) -> str:
    """Where the problem is (sheet, row, column) and what to do, in the reader's words."""
    where = [
        t(f"cli.where.{key}", lang, **{key: error[key]})
        for key in ("sheet", "row")
        if error.get(key) not in (None, "")
    ]
    if column := error.get("column"):
        where.append(column_place(column, lang))
    if not where:
        return f"  {error['message']}"
    return t("cli.problem", lang, where=", ".join(where), message=error["message"])


def column_place(column: str, lang: str) -> str:
    """A standard column by its header in the reader's language beside its key (the
    template shows one, the standard the other); any other column as written."""
    header = f"header.{column}"
    if header in catalogue():
        return t("cli.where.standard_column", lang, header=t(header, lang), column=column)
    return t("cli.where.column", lang, column=column)
