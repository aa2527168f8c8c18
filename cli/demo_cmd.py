"""``epn demo``: fills an empty warehouse with realistic demo data, through the real pipeline."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cli.common import DbOption, JsonOption, LangOption, db_path, print_json, say, warn
from epn.i18n import t
from epn.locale import day, number

if TYPE_CHECKING:
    from demo.generate import DemoResult


def demo(
    db: DbOption = None,
    files_dir: Annotated[
        Path | None,
        typer.Option(
            "--files-dir",
            help="Where to write the generated files (default: a new temporary folder).",
        ),
    ] = None,
    seed: Annotated[
        int | None,
        typer.Option(
            "--seed", help="Seed of the generator (default: the demo's own).", show_default=False
        ),
    ] = None,
    json: JsonOption = False,
    lang: LangOption = "fr",
):
    """Fills an empty warehouse with realistic demo data through the real ingest path."""
    from demo.accounts import create_demo_accounts
    from demo.generate import DEFAULT_SEED, DemoRefused, run_demo

    path = db_path(db)
    try:
        result = run_demo(path, files_dir, DEFAULT_SEED if seed is None else seed)
    except DemoRefused:
        warn(t("demo.refused", lang, db=path))
        raise typer.Exit(1) from None
    demo_accounts = create_demo_accounts(path)
    if json:
        print_json({**result.to_dict(), "accounts": demo_accounts})
        return
    for line in summary_lines(result, lang):
        say(line)
    say(t("demo.accounts", lang))
    for account in demo_accounts:
        say(t("demo.account", lang, **account, role_name=t(f"app.role.{account['role']}", lang)))


def _counts(counts: dict[str, int], words: str, lang: str) -> str:
    """``labellisé 12, refusé 3``: each key in the reader's words (``words`` + key)."""
    return ", ".join(f"{t(words + key, lang)} {value}" for key, value in counts.items())


def summary_lines(result: DemoResult, lang: str) -> list[str]:
    lines = [
        t(
            "demo.epns",
            lang,
            epns=result.epns,
            communes=result.communes,
            statuses=_counts(result.statuses, "app.registry.status.", lang),
        ),
        t(
            "demo.files",
            lang,
            files=result.files,
            dir=result.files_dir,
            uploads=_counts(result.uploads, "app.status.", lang),
        ),
        t(
            "demo.weeks",
            lang,
            rows=number(result.weekly_rows, 0, lang),
            first=day(dt.date.fromisoformat(result.weeks[0]), lang),
            last=day(dt.date.fromisoformat(result.weeks[1]), lang),
        ),
    ]
    for year, codes in result.findings.items():
        lines.append(
            t(
                "demo.year",
                lang,
                year=year,
                compliant=result.compliant[year],
                evaluated=result.evaluated[year],
                codes=_counts(codes, "app.rule.", lang) or "—",
            )
        )
    seconds = number(result.seconds, 1, lang)
    lines.append(t("demo.done", lang, seconds=seconds, db=result.db))
    return lines
