"""What every command shares: --db, --json, --lang, dates, output and plain-word errors."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from cli.coercion import CatalogueBadParameter
from epn.errors import UsageError
from epn.identifiers import checked_epn_id
from epn.locale import LANGUAGES, normalize_language
from epn.settings import get_settings, warehouse_path

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db", help="Warehouse file (default: $EPN_DB, else data/epn.duckdb).", show_default=False
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]


def checked_language(ctx: typer.Context, param: typer.CallbackParam, value: str) -> str:
    """fr, nl or en; a language we do not have is a usage error when typed on the command
    line, and French when it comes from ``EPN_LANGUAGE`` (as in the app)."""
    language = (value or "").strip().lower()
    if language in LANGUAGES:
        return language
    source = ctx.get_parameter_source(param.name)
    if source is not None and source.name == "COMMANDLINE":
        raise CatalogueBadParameter("cli.bad_language", ctx, param, value=value)
    return normalize_language(language)


LangOption = Annotated[
    str,
    typer.Option(
        "--lang",
        help="Language of messages: fr, nl or en (default: $EPN_LANGUAGE, else fr).",
        envvar="EPN_LANGUAGE",
        show_envvar=False,
        callback=checked_language,
    ),
]


def command_language(args: list[str]) -> str:
    """The language of a command line's messages, before Typer has read it: ``--lang``,
    else ``EPN_LANGUAGE``, else French."""
    chosen = None
    for index, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and index + 1 < len(args):
            chosen = args[index + 1]
        elif arg.startswith("--lang="):
            chosen = arg.partition("=")[2]
    if chosen is None:
        try:
            chosen = get_settings().language
        except ValueError:  # a bad EPN_* setting is reported by the command itself
            chosen = None
    return normalize_language(chosen)


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
