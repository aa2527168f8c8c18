"""``epn standard``: the reporting standard as the product publishes it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.common import DbOption, LangOption, say
from epn.errors import UsageError
from epn.i18n import t


def standard(
    output: Annotated[
        Path,
        typer.Option("-o", "--output", help="Directory to write the standard into."),
    ] = Path("epn-standard"),
    lang: LangOption = "fr",
    db: DbOption = None,  # every command takes --db (the contract); the standard needs none
):
    """Write the reporting standard: Table Schemas (JSON), documentation pages (Markdown,
    HTML; French, Dutch, English) and valid example files (CSV, xlsx)."""
    from reporting.standard.publish import write_standard  # openpyxl is heavy: load when used

    if output.exists() and not output.is_dir():
        raise UsageError("standard.not_a_directory", path=output)
    written = write_standard(output)
    say(t("standard.written", lang, path=output, count=len(written)))
