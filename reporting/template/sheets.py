"""The data sheets of the report template, one per sheet of the standard (§2).

Row 1 holds the localized headers (the readers take the first non-empty row as the
header row, so nothing may sit above it); rows below carry validations and prefills.
"""

from __future__ import annotations

import datetime as dt

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from epn.i18n import t
from epn.standard import AUDIENCE_CATEGORIES, Sheet
from reporting.template.style import (
    DATE_FORMAT,
    WRAP_TOP,
    column_width,
    finish_sheet,
    style_fixed_cell,
    style_header_cell,
    style_note_cell,
)
from reporting.template.texts import code_label, help_text, label, sheet_title
from reporting.template.validation import validation_for

LAST_ROW = 500  # validations reach this row: room for a large EPN's staff and activities


def week_mondays(year: int) -> list[dt.date]:
    """The Monday of every ISO week of ``year`` (52 or 53); 2024-12-30 opens 2025."""
    first = dt.date.fromisocalendar(year, 1, 1)
    weeks = dt.date(year, 12, 28).isocalendar().week  # 28 December is always in the last week
    return [first + dt.timedelta(weeks=n) for n in range(weeks)]


def date_bounds(sheet_name: str, year: int) -> tuple[dt.date, dt.date]:
    """The dates a sheet may hold: the year's ISO weeks for ``weekly``, else the calendar year."""
    if sheet_name == "weekly":
        mondays = week_mondays(year)
        return mondays[0], mondays[-1]
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def write_table_sheet(sheet: Worksheet, spec: Sheet, lang: str, year: int) -> None:
    """A one-row-per-record sheet: headers, one validation per column, date formats."""
    bounds = date_bounds(spec.name, year)
    letters = {key: get_column_letter(index) for index, key in enumerate(spec.keys, start=1)}
    widths = []
    for index, column in enumerate(spec.columns, start=1):
        header = label(column.key, lang)
        style_header_cell(sheet.cell(1, index, header), column.required)
        letter = letters[column.key]
        validation = validation_for(column, lang, bounds, letters)
        validation.add(f"{letter}2:{letter}{LAST_ROW}")
        sheet.add_data_validation(validation)
        if column.type == "date":
            # a column style, so that dates typed in any row show as dates
            sheet.column_dimensions[letter].number_format = DATE_FORMAT
        widths.append(column_width(header, column.type))
    finish_sheet(sheet, sheet_title(spec.name, lang) or spec.name, spec.required, widths)


def write_key_value_sheet(
    sheet: Worksheet, spec: Sheet, lang: str, year: int, values: dict
) -> None:
    """A ``key``/``value`` sheet, one row per key; a third column describes each key."""
    headers = (label("key", lang), label("value", lang), t("template.description", lang))
    for index, header in enumerate(headers, start=1):
        style_header_cell(sheet.cell(1, index, header), required=index < 3)
    bounds = date_bounds(spec.name, year)
    free_text = all(c.type == "text" for c in spec.columns)
    for row, column in enumerate(spec.columns, start=2):
        style_fixed_cell(sheet.cell(row, 1, column.key), bold=column.required)
        if values.get(column.key) is not None:
            sheet.cell(row, 2, values[column.key])
        note = sheet.cell(row, 3, f"{label(column.key, lang)} — {help_text(column.key, lang)}")
        style_note_cell(note)
        validation = validation_for(column, lang, bounds)
        validation.add(f"B{row}")
        sheet.add_data_validation(validation)
        if free_text:  # narrative: room to write a paragraph
            sheet.cell(row, 2).alignment = WRAP_TOP
            sheet.row_dimensions[row].height = 90
    widths = [26.0, 80.0 if free_text else 24.0, 70.0]
    finish_sheet(sheet, sheet_title(spec.name, lang) or spec.name, spec.required, widths)


def prefill_audience(sheet: Worksheet, spec: Sheet, lang: str) -> None:
    """Every (dimension, category) row, users left for the EPN; one more column in words."""
    dimension_at = spec.keys.index("dimension") + 1
    category_at = spec.keys.index("category") + 1
    words_at = len(spec.columns) + 1
    style_header_cell(sheet.cell(1, words_at, t("template.description", lang)), required=False)
    sheet.column_dimensions[get_column_letter(words_at)].width = 40
    row = 2
    for dimension, categories in AUDIENCE_CATEGORIES.items():
        for category in categories:
            style_fixed_cell(sheet.cell(row, dimension_at, dimension))
            style_fixed_cell(sheet.cell(row, category_at, category))
            words = f"{code_label(dimension, lang).capitalize()} — {code_label(category, lang)}"
            style_note_cell(sheet.cell(row, words_at, words))
            row += 1


def prefill_weekly(sheet: Worksheet, spec: Sheet, year: int) -> None:
    """The Monday of each ISO week as a real Excel date; the status is the EPN's to fill."""
    week_at = spec.keys.index("week_start") + 1
    for row, monday in enumerate(week_mondays(year), start=2):
        cell = sheet.cell(row, week_at, monday)
        cell.number_format = DATE_FORMAT
        style_fixed_cell(cell)
