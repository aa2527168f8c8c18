"""The annual report template (standard §2): a workbook an EPN fills in Excel or LibreOffice.

Sheet names stay the standard's keys (``epn``, ``staff``...) so that any reader of the
standard finds them; the language shows in the headers, the help and the instructions.
"""

from __future__ import annotations

import io

from openpyxl import Workbook

from epn.i18n import t
from epn.locale import LANGUAGES
from epn.standard import REPORT_SHEETS
from reporting.template.instructions import write_instructions
from reporting.template.sheets import (
    prefill_audience,
    prefill_weekly,
    week_mondays,
    write_key_value_sheet,
    write_table_sheet,
)
from reporting.template.texts import sheet_title
from validation.charter.terms import terms_for

__all__ = ["week_mondays", "write_template"]


def write_template(identity: dict | None, year: int, lang: str = "fr") -> bytes:
    """The .xlsx bytes of the report template of ``year``; ``identity`` None for a blank one."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}")
    book = Workbook()
    instructions = book.active
    instructions.title = sheet_title("instructions", lang) or t("template.sheet_instructions", lang)
    deadline = terms_for(year).report_deadline(year)
    write_instructions(instructions, identity, year, lang, deadline)
    for spec in REPORT_SHEETS:
        sheet = book.create_sheet(spec.name)
        if spec.key_value:
            values = identity_values(identity, year) if spec.name == "epn" else {}
            write_key_value_sheet(sheet, spec, lang, year, values)
        else:
            write_table_sheet(sheet, spec, lang, year)
        if spec.name == "audience":
            prefill_audience(sheet, spec, lang)
        elif spec.name == "weekly":
            prefill_weekly(sheet, spec, year)
    book.active = 0
    book.properties.title = t("template.title", lang, year=year)
    book.properties.creator = "epn-label"
    book.properties.language = lang
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def identity_values(identity: dict | None, year: int) -> dict:
    """What the ``epn`` sheet starts with: the year always, the rest when the registry knows it."""
    values: dict = {"year": year}
    if identity:
        values["epn_id"] = identity.get("epn_id")
        values["workstations"] = identity.get("workstations")
    return values
