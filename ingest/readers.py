"""Readers: bytes of a CSV or xlsx file -> raw sheets keeping the spreadsheet's row numbers.

xlsx is read with python-calamine through pandas (about 6x faster than openpyxl here).
"""

from __future__ import annotations

import csv
import io

import pandas as pd

from epn.errors import EpnError


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
        sheets = pd.read_excel(
            io.BytesIO(data), sheet_name=None, header=None, engine="calamine", dtype=object
        )
    except Exception as error:  # calamine raises several unrelated types for bad workbooks
        raise Unreadable("xlsx_unreadable", detail=str(error)[:200]) from None
    return {name: grid.astype(object) for name, grid in sheets.items()}
