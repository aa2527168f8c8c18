"""Readers: bytes of a CSV or xlsx file -> raw sheets keeping the spreadsheet's row numbers.

xlsx is read with python-calamine (about 6x faster than openpyxl here). The cells are
converted exactly as ``pd.read_excel(engine="calamine", header=None, dtype=object)`` would
(see ``excel_grid``), without its per-sheet parser machinery, which cost five times the
reading itself; any workbook off that well-trodden path goes through pandas itself.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import numpy as np
import pandas as pd
from python_calamine import CalamineWorkbook, SheetTypeEnum

from epn.errors import EpnError

# pandas' default missing-value markers (pandas._libs.parsers.STR_NA_VALUES)
NA_TEXTS = frozenset(
    ("", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND")
    + ("1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null")
)
BOM = "\ufeff"


class Unreadable(EpnError):
    """The file cannot be read as the kind of file its name says."""


def decode_csv(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Unreadable("csv_not_utf8") from None


def csv_grid(data: bytes) -> pd.DataFrame:
    """All cells as text; the separator (``,`` or ``;``) is taken from the header line."""
    text = decode_csv(data)
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    width = max((len(row) for row in rows), default=0)
    return pd.DataFrame([row + [""] * (width - len(row)) for row in rows], dtype=object)


def workbook_grids(data: bytes) -> dict[str, pd.DataFrame]:
    try:
        return calamine_grids(data)
    except Exception:  # anything unusual: let pandas read it, or say why it cannot
        return pandas_grids(data)


def pandas_grids(data: bytes) -> dict[str, pd.DataFrame]:
    try:
        sheets = pd.read_excel(
            io.BytesIO(data), sheet_name=None, header=None, engine="calamine", dtype=object
        )
    except Exception as error:  # calamine raises several unrelated types for bad workbooks
        raise Unreadable("xlsx_unreadable", detail=str(error)[:200]) from None
    return {name: grid.astype(object) for name, grid in sheets.items()}


def calamine_grids(data: bytes) -> dict[str, pd.DataFrame]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    names = [s.name for s in book.sheets_metadata if s.typ == SheetTypeEnum.WorkSheet]
    grids = {}
    for name in dict.fromkeys(names):
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        grids[name] = excel_grid(rows)
    return grids


def excel_grid(rows: list[list]) -> pd.DataFrame:
    """What pandas makes of calamine's rows: whole floats as int, dates as datetimes and its
    missing-value texts as NaN."""
    if not rows:
        return pd.DataFrame()
    first = rows[0][0] if rows[0] else None
    if isinstance(first, str) and first.startswith(BOM):
        raise ValueError("a byte-order mark in A1: pandas strips it in its own way")
    width = max(len(row) for row in rows)
    if not width or any(len(row) != width for row in rows):
        raise ValueError("empty or ragged rows: pandas pads them in its own way")
    grid = np.empty((len(rows), width), dtype=object)
    grid[:] = [[_as_pandas_cell(cell) for cell in row] for row in rows]
    return pd.DataFrame(grid, dtype=object)


def _as_pandas_cell(value):
    if isinstance(value, str):
        return np.nan if value in NA_TEXTS else value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day)
    return value
