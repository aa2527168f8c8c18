"""What every command shares: --db, --json, --lang, dates, output and plain-word errors."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from epn.errors import UsageError
from epn.identifiers import checked_epn_id
from epn.settings import warehouse_path

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db", help="Warehouse file (default: $EPN_DB, else data/epn.duckdb).", show_default=False
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]


def epn_id_value(value: str | None) -> str | None:
    """An EPN identifier given on the command line, normalised; off the pattern: exit 2."""
    return None if value is None else checked_epn_id(value, usage=True)


def one_of(option: str, choices: tuple[str, ...]):
    """A parser for ``option`` taking one of ``choices``; anything else is a usage error
    (exit 2) naming the valid values."""

    def parse(value: str | None) -> str | None:
        if value is None or value in choices:
            return value
        raise UsageError(
            "bad_choice_option", option=option, value=value, choices=", ".join(choices)
        )

    return parse


EpnIdArgument = Annotated[
    str, typer.Argument(metavar="ID", parser=epn_id_value, help="The EPN, e.g. EPN-0042.")
]
LangOption = Annotated[str, typer.Option("--lang", help="Language of messages: fr, nl or en.")]


def db_path(db: Path | None) -> Path:
    return warehouse_path(db)


def parse_date(value: str | None, default: dt.date | None = None) -> dt.date | None:
    if value is None:
        return default
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise UsageError("bad_date_option", value=value) from None


def check_year(year: int) -> int:
    if not 2000 <= year <= 2100:
        raise UsageError("bad_year_option", value=year)
    return year


def print_json(document: object) -> None:
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2, default=str) + "\n")


def say(text: str) -> None:
    typer.echo(text)


def warn(text: str) -> None:
    typer.echo(text, err=True)
