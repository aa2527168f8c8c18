"""The first sheet of the report template: what to fill, how, by when, and every column.

Paragraphs span columns A:F (merged) because Excel neither wraps nor sizes text that
overflows into empty neighbours; row heights are estimated for the same reason.
"""

from __future__ import annotations

import datetime as dt
import math

from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from epn.i18n import t
from epn.standard import REPORT_SHEETS, Sheet
from reporting.template.sheets import date_bounds
from reporting.template.style import KEY_GREY, NAVY, ORANGE, WRAP_TOP, style_header_cell
from reporting.template.texts import (
    allowed_values_text,
    help_text,
    label,
    long_date,
    sheet_title,
)

WIDTHS = (34.0, 24.0, 13.0, 16.0, 62.0, 46.0)  # field, key, required, type, help, values
_SPAN = len(WIDTHS)
_LINE_HEIGHT = 15.0


class _Writer:
    """Writes rows top to bottom, keeping the current row."""

    def __init__(self, sheet: Worksheet) -> None:
        self.sheet = sheet
        self.row = 1

    def paragraph(self, text: str, font: Font | None = None, fill: str | None = None) -> None:
        cell = self.sheet.cell(self.row, 1, text)
        cell.alignment = WRAP_TOP
        if font:
            cell.font = font
        if fill:
            cell.fill = PatternFill("solid", fgColor=fill)
        self.sheet.merge_cells(
            start_row=self.row, start_column=1, end_row=self.row, end_column=_SPAN
        )
        chars_per_line = sum(WIDTHS) * 1.1
        lines = max(1, math.ceil(len(text) / chars_per_line))
        size = font.size if font and font.size else 11
        self.sheet.row_dimensions[self.row].height = lines * _LINE_HEIGHT * max(size, 11) / 11
        self.row += 1

    def cells(self, values: list[str], header: bool = False) -> None:
        for index, value in enumerate(values, start=1):
            cell = self.sheet.cell(self.row, index, value)
            if header:
                style_header_cell(cell, required=True)
            else:
                cell.alignment = WRAP_TOP
        lines = max(_lines(value, WIDTHS[index]) for index, value in enumerate(values))
        self.sheet.row_dimensions[self.row].height = lines * _LINE_HEIGHT
        self.row += 1

    def skip(self) -> None:
        self.row += 1


def _lines(text: str, width: float) -> int:
    """Lines a wrapped cell needs, roughly: one character per unit of column width."""
    return sum(max(1, math.ceil(len(part) / width)) for part in text.split("\n"))


def write_instructions(
    sheet: Worksheet, identity: dict | None, year: int, lang: str, deadline: dt.date
) -> None:
    sheet.sheet_properties.tabColor = ORANGE
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    out = _Writer(sheet)
    out.paragraph(t("template.title", lang, year=year), Font(bold=True, size=16, color=NAVY))
    if identity:
        name = identity.get("name") or ""
        out.paragraph(
            t("template.epn_line", lang, epn_id=identity["epn_id"], name=name),
            Font(bold=True, size=12),
        )
    else:
        out.paragraph(t("template.blank_line", lang), Font(bold=True, size=12))
    when = long_date(deadline, lang)
    out.paragraph(t("template.deadline", lang, deadline=when), Font(bold=True, color="C00000"))
    out.skip()
    _steps(out, "template.fill_title", [t(f"template.fill.{n}", lang) for n in range(1, 7)], lang)
    sends = [t(f"template.send.{n}", lang, deadline=when) for n in range(1, 4)]
    _steps(out, "template.send_title", sends, lang)
    out.paragraph(t("template.sheets_title", lang), Font(bold=True, size=13, color=NAVY))
    for spec in REPORT_SHEETS:
        _sheet_section(out, spec, year, lang)
    sheet.sheet_view.showGridLines = False


def _steps(out: _Writer, title_code: str, steps: list[str], lang: str) -> None:
    out.paragraph(t(title_code, lang), Font(bold=True, size=13, color=NAVY))
    for number, step in enumerate(steps, start=1):
        out.paragraph(f"{number}. {step}")
    out.skip()


def _sheet_section(out: _Writer, spec: Sheet, year: int, lang: str) -> None:
    status = t("template.sheet_required" if spec.required else "template.sheet_optional", lang)
    title = sheet_title(spec.name, lang)
    heading = (
        t("template.sheet_heading", lang, sheet=spec.name, title=title, status=status)
        if title
        else t("template.sheet_heading_plain", lang, sheet=spec.name, status=status)
    )
    out.paragraph(heading, Font(bold=True, size=12), fill=KEY_GREY)
    out.paragraph(t(f"template.about.{spec.name}", lang))
    codes = ("column", "key", "required", "type", "help", "values")
    out.cells([t(f"template.table.{code}", lang) for code in codes], header=True)
    bounds = date_bounds(spec.name, year)
    required = t("template.table.required", lang)
    for column in spec.columns:
        out.cells(
            [
                label(column.key, lang),
                column.key,
                required if column.required else "",
                t(f"template.type.{column.type}", lang),
                help_text(column.key, lang),
                allowed_values_text(column, lang, bounds),
            ]
        )
    out.skip()
