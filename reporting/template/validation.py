"""Excel data validations for the report template: drop-downs, ranges, dates, input help.

Excel refuses to open a workbook whose validation texts exceed its limits, so every
title and message is cut to size here.
"""

from __future__ import annotations

import datetime as dt

from openpyxl.worksheet.datavalidation import DataValidation

from epn.i18n import t
from epn.standard import Column
from reporting.template.texts import choices, date_range_text, help_text, label, number, range_text

TITLE_MAX = 32  # Excel's limit for promptTitle and errorTitle
MESSAGE_MAX = 255  # Excel's limit for prompt and error
LIST_MAX = 255  # Excel's limit for an inline list ("a,b,c")
_OPERATORS = {True: "between", False: "greaterThanOrEqual"}
# Columns the standard caps by another column of the same row (§2, §3); the cap sits to
# the left, so it is already filled when Excel checks the capped cell.
CAPPED_BY = {
    "priority_participants": "participants",
    "facilitated_hours": "public_hours",
    "unique_users": "visits",
    "new_users": "unique_users",
}


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def excel_date(day: dt.date) -> str:
    return f"DATE({day.year},{day.month},{day.day})"


def validation_for(
    column: Column,
    lang: str,
    bounds: tuple[dt.date, dt.date],
    letters: dict[str, str] | None = None,
) -> DataValidation:
    """The validation of one column: its rule when the standard has one, its help always.

    ``letters`` (key -> column letter, data starting on row 2) enables the same-row caps.
    """
    capped = letters and CAPPED_BY.get(column.key) in letters
    validation = (
        _capped_rule(column, lang, letters) if capped else _rule(column, lang, bounds)
    ) or DataValidation(allow_blank=True)
    validation.showInputMessage = True
    validation.promptTitle = clip(label(column.key, lang), TITLE_MAX)
    validation.prompt = clip(help_text(column.key, lang), MESSAGE_MAX)
    if validation.type:
        validation.showErrorMessage = True
        validation.errorStyle = "stop"
        validation.errorTitle = clip(t("template.error.title", lang), TITLE_MAX)
        validation.error = clip(validation.error or "", MESSAGE_MAX)
    return validation


def _rule(column: Column, lang: str, bounds: tuple[dt.date, dt.date]) -> DataValidation | None:
    values = choices(column, lang)
    if values:
        formula = '"' + ",".join(values) + '"'
        if len(formula) > LIST_MAX:
            raise ValueError(f"the list of {column.key} is too long for an Excel drop-down")
        return DataValidation(
            type="list",
            formula1=formula,
            allow_blank=True,
            error=t("template.error.list", lang, values=", ".join(values)),
        )
    if column.type in ("integer", "decimal") and column.minimum is not None:
        bounded = column.maximum is not None
        return DataValidation(
            type="whole" if column.type == "integer" else "decimal",
            operator=_OPERATORS[bounded],
            formula1=number(column.minimum),
            formula2=number(column.maximum) if bounded else None,
            allow_blank=True,
            error=t(f"template.error.{column.type}", lang, range=range_text(column, lang)),
        )
    if column.type == "date":
        return DataValidation(
            type="date",
            operator="between",
            formula1=excel_date(bounds[0]),
            formula2=excel_date(bounds[1]),
            allow_blank=True,
            error=t("template.error.date", lang, range=date_range_text(bounds, lang)),
        )
    return None


def _capped_rule(column: Column, lang: str, letters: dict[str, str]) -> DataValidation:
    """A number in the standard's range and at most the capping column of the same row."""
    cell, cap = f"{letters[column.key]}2", f"{letters[CAPPED_BY[column.key]]}2"
    terms = [f"ISNUMBER({cell})", f"{cell}>={number(column.minimum or 0)}", f"{cell}<={cap}"]
    if column.type == "integer":
        terms.insert(1, f"{cell}=INT({cell})")
    if column.maximum is not None:
        terms.append(f"{cell}<={number(column.maximum)}")
    return DataValidation(
        type="custom",
        formula1=f"AND({','.join(terms)})",
        allow_blank=True,
        error=t(
            "template.error.capped",
            lang,
            kind=t(f"template.type.{column.type}", lang),
            range=range_text(column, lang),
            cap=label(CAPPED_BY[column.key], lang),
        ),
    )
