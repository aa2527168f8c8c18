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
from epn.tables import (
    HEADER_SEARCH_ROWS,
    RawSheet,
    check_row_count,
    fold,
    header_aliases,
    match_headers,
)
from ingest.csv_columns import arrow_sheet

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


# The longest cell a CSV may hold: the csv module's own default, checked here since any
# library (frictionless does) may raise the module's process-wide limit.
MAX_CELL_CHARS = 131_072


def _csv_rows(text: str):
    """(record number from 1, cells with None for a blank) of each CSV record, blank ones
    included; a record the csv module cannot read is ``Unreadable`` with its line."""
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(text))
    try:
        for number, row in enumerate(reader, start=1):
            if row and max(map(len, row)) > MAX_CELL_CHARS:
                line = reader.line_num
                raise Unreadable("csv_cell_too_long", line=line, max_chars=MAX_CELL_CHARS)
            yield number, [cell if cell.strip() else None for cell in row]  # blank: None
    except csv.Error as error:
        line = reader.line_num
        if "field larger than field limit" in str(error):
            raise Unreadable("csv_cell_too_long", line=line, max_chars=MAX_CELL_CHARS) from None
        raise Unreadable("csv_malformed", line=line) from None


def _delimiter(text: str) -> str:
    """``;`` or ``,``, whichever the first non-blank line holds more of (read lazily: a file
    of a million lines is not split into a million strings for the sake of its first)."""
    start, first_line = 0, ""
    while start < len(text):  # lines as ``io.StringIO(text)`` gives them, without its copy
        end = text.find("\n", start)
        end = len(text) if end == -1 else end + 1
        if text[start:end].strip():
            first_line = text[start:end]
            break
        start = end
    return ";" if first_line.count(";") > first_line.count(",") else ","


def csv_sheet(data: bytes, allowed, max_rows: int | None = None) -> RawSheet:
    """The CSV file as ``from_grid`` reads a grid of its cells, without building the grid:
    read into columns by Arrow where that reading is the csv module's (``csv_columns``),
    else streamed (``streamed_csv_sheet``)."""
    text = decode_csv(data)
    delimiter = _delimiter(text)
    columnar = arrow_sheet(data, delimiter, allowed, max_rows, MAX_CELL_CHARS)
    return columnar if columnar is not None else streamed_csv_sheet(text, allowed, max_rows)


def streamed_csv_sheet(text: str, allowed, max_rows: int | None = None) -> RawSheet:
    """The records are streamed, only the known columns are kept, and reading stops as soon
    as there are more than ``max_rows`` non-blank records below the header (``TooManyRows``).

    A file of any size and shape thus costs what its known columns hold, at most.
    """
    rows = _csv_rows(text)
    head: list[tuple[int, list]] = []  # the first non-blank records: the header is one of them
    for number, cells in rows:
        if any(cell is not None for cell in cells):
            head.append((number, cells))
            if len(head) == HEADER_SEARCH_ROWS:
                break
    if not head:
        return RawSheet(None, {key: [] for key in allowed}, [])
    aliases = header_aliases()

    def known(cells: list) -> int:
        return sum(1 for c in cells if c is not None and aliases.get(fold(c)) in allowed)

    at = max(range(len(head)), key=lambda i: (known(head[i][1]), -i))
    header_number = head[at][0]
    match = match_headers(head[at][1], allowed)
    positions = list(match.positions.items())
    columns: dict[str, list] = {key: [] for key, _ in positions}
    numbers: list[int] = []
    data_rows = 0

    def take(number: int, cells: list) -> None:
        nonlocal data_rows
        data_rows += 1
        check_row_count(data_rows, max_rows, None)
        picked = [cells[p] if p < len(cells) else None for _, p in positions]
        if any(cell is not None for cell in picked):
            numbers.append(number)
            for (key, _), cell in zip(positions, picked, strict=True):
                columns[key].append(cell)

    for number, cells in head[at + 1 :]:
        take(number, cells)
    for number, cells in rows:
        if any(cell is not None for cell in cells):
            take(number, cells)
    return RawSheet(
        None, columns, numbers, match.headers, match.letters, header_number, match.repeated
    )


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
    grid[:] = rows
    for at in range(width):
        grid[:, at] = _as_pandas_column(grid[:, at])
    return pd.DataFrame(grid, dtype=object)


_IS_NA_TEXT = np.frompyfunc(NA_TEXTS.__contains__, 1, 1)
# the types ``_as_pandas_cell`` returns as they are
UNCHANGED = frozenset((type(None), int, bool, dt.datetime, dt.time, dt.timedelta))


def _as_pandas_column(cells: np.ndarray) -> np.ndarray:
    """``_as_pandas_cell`` of every cell of a column, decided for the whole column when its
    cells are all texts, all floats or all dates, as a workbook's columns mostly are; any
    other column cell by cell."""
    kinds = set(map(type, cells))
    if kinds <= UNCHANGED:
        return cells
    converted = cells.copy()
    if kinds == {str}:
        converted[_IS_NA_TEXT(cells).astype(bool)] = np.nan
    elif kinds == {float}:
        values = cells.astype(np.float64)
        whole = np.flatnonzero(np.isfinite(values) & (np.floor(values) == values))
        small = whole[np.abs(values[whole]) < 2**62]  # beyond, int64 would overflow
        converted[small] = values[small].astype(np.int64).astype(object)  # Python ints
        for at in np.setdiff1d(whole, small).tolist():
            converted[at] = int(values[at])
    elif kinds == {dt.date}:
        codes, distinct = pd.factorize(cells, use_na_sentinel=False)
        moments = np.empty(len(distinct), dtype=object)
        moments[:] = [dt.datetime(d.year, d.month, d.day) for d in distinct]
        converted = moments[codes]
    else:
        converted[:] = [_as_pandas_cell(cell) for cell in cells]
    return converted


def _as_pandas_cell(value):
    if isinstance(value, str):
        return np.nan if value in NA_TEXTS else value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day)
    return value
