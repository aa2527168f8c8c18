"""Tables as CSV and Excel files that are safe to open in a spreadsheet.

A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would run
as a formula (formula injection, and EPN names and titles come from uploaded files). The
CSV rule is the public directory's (:func:`registry.directory.csv_field`: a leading
apostrophe, quotes around a separator); in xlsx such a text is written as an explicit
string cell with the "quote prefix" style, so that Excel shows it as typed and never
evaluates it, even after an edit. Numbers stay numbers in both.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re

import pandas as pd
import streamlit as st
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from dashboards.session import authorised_at_click
from epn import locale
from epn.i18n import t
from registry.directory import Numeral, csv_line

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_HEADER_FILL = PatternFill("solid", fgColor="DCE6F2")


def to_csv_bytes(frame: pd.DataFrame, lang: str = "en") -> bytes:
    """UTF-8 with a byte-order mark (so that Excel reads the accents), in the reader's
    conventions: ``;`` and a decimal comma in French and Dutch (what a Belgian Excel splits
    and reads as numbers), ``,`` and a decimal point in English; dates dd/mm/yyyy; every field
    formula-safe and quoted when it holds a separator, a quote or a line break."""
    separator = ";" if locale.decimal_mark(lang) == "," else ","
    lines = [csv_line([str(c) for c in frame.columns], separator)]
    for row in frame.itertuples(index=False):
        lines.append(csv_line([_csv_value(v, lang) for v in row], separator))
    return "".join(lines).encode("utf-8-sig")


def _csv_value(value: object, lang: str) -> object:
    value = _value(value)
    if isinstance(value, float):
        return Numeral(repr(value).replace(".", locale.decimal_mark(lang)))
    if isinstance(value, dt.datetime):
        return f"{locale.day(value.date(), lang)} {value:%H:%M}"
    if isinstance(value, dt.date):
        return locale.day(value, lang)
    return "" if value is None else value


def to_xlsx_bytes(frames: pd.DataFrame | dict[str, pd.DataFrame]) -> bytes:
    """One sheet per frame (``{sheet name: frame}``, or a single frame as "data")."""
    sheets = frames if isinstance(frames, dict) else {"data": frames}
    book = Workbook()
    book.remove(book.active)
    for name, frame in sheets.items():
        _write_sheet(book.create_sheet(_sheet_name(name)), frame)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write_sheet(sheet, frame: pd.DataFrame) -> None:
    sheet.append([None] * len(frame.columns))
    for column, header in enumerate(frame.columns, start=1):
        cell = _put(sheet.cell(1, column), str(header))
        cell.font, cell.fill = Font(bold=True), _HEADER_FILL
    for row, values in enumerate(frame.itertuples(index=False), start=2):
        for column, value in enumerate(values, start=1):
            _put(sheet.cell(row, column), _value(value))
    for column, header in enumerate(frame.columns, start=1):
        longest = max([len(str(header)), *(len(str(v)) for v in frame.iloc[:, column - 1])])
        sheet.column_dimensions[sheet.cell(1, column).column_letter].width = min(60, longest + 2)
    sheet.freeze_panes = "A2"


def _put(cell, value: object):
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl made "=..." a formula: make it text again
        cell.quotePrefix = value.startswith(("=", "+", "-", "@", "\t", "\r"))
    return cell


def _value(value: object) -> object:
    """Plain Python values: numbers stay numbers, missing values become empty cells."""
    if value is None or (not isinstance(value, list | tuple | dict) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime().replace(tzinfo=None)
        return value.date() if value.time() == dt.time() else value
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if isinstance(value, bool | int | float | str | dt.date):
        return value
    return str(value)


def _sheet_name(name: str) -> str:
    return _SHEET_FORBIDDEN.sub(" ", str(name)).strip()[:31] or "data"


def download_buttons(
    frame: pd.DataFrame | dict[str, pd.DataFrame], name: str, lang: str, *, public: bool = False
) -> None:
    """CSV and Excel download buttons side by side; files are built only when clicked, and
    only while the session that drew them lives (``public``: the open pages, no session).

    ``frame`` holds what the reader sees (translated headers); a dict gives one Excel sheet
    per frame, and its first frame as the CSV.
    """
    sheets = frame if isinstance(frame, dict) else {name: frame}
    first = next(iter(sheets.values()))
    guard = (lambda build: build) if public else authorised_at_click
    row = st.container(horizontal=True)
    row.download_button(
        t("app.export.csv", lang),
        guard(functools.partial(to_csv_bytes, first, lang)),
        file_name=f"{name}.csv",
        mime="text/csv",
        help=t("app.export.csv_help", lang),
        icon=":material/download:",
        on_click="ignore",
        key=f"export_csv_{name}",
    )
    row.download_button(
        t("app.export.xlsx", lang),
        guard(functools.partial(to_xlsx_bytes, sheets)),
        file_name=f"{name}.xlsx",
        mime=XLSX_MIME,
        icon=":material/table_view:",
        on_click="ignore",
        key=f"export_xlsx_{name}",
    )
