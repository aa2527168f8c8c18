"""``epn template``: the annual report workbook an EPN fills in Excel or LibreOffice."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.common import DbOption, LangOption, check_year, db_path, epn_id_value, say
from epn.errors import EpnError, UsageError
from epn.i18n import t
from epn.locale import LANGUAGES


def template(
    epn_id: Annotated[
        str | None,
        typer.Option(
            "--epn-id",
            help="EPN of the registry to prefill (omit for a blank template).",
            parser=epn_id_value,
        ),
    ] = None,
    year: Annotated[int, typer.Option("--year", help="Reporting year.")] = ...,
    lang: LangOption = "fr",
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", help="Workbook to write (default: epn-report-YEAR-ID.xlsx)."
        ),
    ] = None,
    db: DbOption = None,
):
    """Write the annual report template (.xlsx) of an EPN and year."""
    from reporting.template.workbook import write_template  # openpyxl is heavy: load when used

    check_year(year)
    if lang not in LANGUAGES:
        raise UsageError("template.bad_lang", value=lang)
    identity = lookup_identity(epn_id, db) if epn_id else None
    path = output or Path(f"epn-report-{year}-{epn_id or 'blank'}.xlsx")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(write_template(identity, year, lang))
    who = epn_id or t("template.blank", lang)
    say(t("template.written", lang, path=path, epn_id=who, year=year))


def lookup_identity(epn_id: str, db: Path | None) -> dict:
    """The registry's identity of the EPN; an unknown EPN is the user's to fix."""
    from registry.queries import identity_of
    from warehouse.db import connect

    with connect(db_path(db)) as con:
        identity = identity_of(con, epn_id.strip())
    if identity is None:
        raise EpnError("step_unknown_epn", epn_id=epn_id)
    return identity
