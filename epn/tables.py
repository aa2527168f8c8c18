"""A sheet as read from a file, before any typing: raw cells keyed by the standard's keys,
each row keeping the number the spreadsheet shows for it.

The cells stay plain lists (no DataFrame): typing reads them column by column, and a frame
would only be built to be taken apart again. A CSV file's columns are Arrow text arrays
instead, blanks as written (``ingest.csv_columns``): they are typed a whole column at once.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import compress

import numpy as np
import pandas as pd

from epn.errors import EpnError
from epn.i18n import catalogue
from epn.locale import LANGUAGES

ROW = "_row"  # column holding the spreadsheet's own row number
HEADER_SEARCH_ROWS = 20


@dataclass
class RawSheet:
    name: str | None  # None for a CSV file
    # matched key -> its column's raw values, None for a blank cell (or an Arrow text array)
    cells: dict[str, list]
    rows: list[int]  # the spreadsheet's number of each row
    headers: dict[str, str] = field(default_factory=dict)  # key -> header as written
    letters: dict[str, str] = field(default_factory=dict)  # key -> column letter
    header_row: int = 1
    # a second column naming a key already matched: (key, header as written, its letter)
    repeated: list[tuple[str, str, str]] = field(default_factory=list)

    def keep(self, kept) -> None:
        """Keeps the rows where ``kept`` (a flag per row) is true."""
        self.cells = {key: list(compress(cells, kept)) for key, cells in self.cells.items()}
        self.rows = list(compress(self.rows, kept))


class TooManyRows(EpnError):
    """More data rows than a file may hold (``max_rows``, every format alike)."""


def fold(text: object) -> str:
    """Case-, accent- and space-insensitive form used to match headers and codes."""
    return _fold_text(text if isinstance(text, str) else str(text))


@lru_cache(maxsize=4096)  # headers and codes repeat from row to row and file to file
def _fold_text(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[\s_\-']+", " ", text).strip().casefold()


@cache
def header_aliases() -> dict[str, str]:
    """Folded header text -> key, for the keys and their localized labels."""
    aliases: dict[str, str] = {}
    for code, texts in catalogue().items():
        if code.startswith("header."):
            key = code.removeprefix("header.")
            aliases[fold(key)] = key
            for lang in LANGUAGES:
                aliases.setdefault(fold(texts[lang]), key)
    return aliases


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and value != value:
        return True
    return isinstance(value, str) and not value.strip()


_IS_SPACE = np.frompyfunc(str.isspace, 1, 1)
NEVER_BLANK = frozenset((int, bool, dt.datetime, dt.date, dt.time, dt.timedelta))


def blank_cells(cells: np.ndarray) -> np.ndarray:
    """``is_blank`` of every cell, column by column: decided for the whole column when its
    cells are all texts, all floats or never blank (numbers, dates), else cell by cell."""
    blank = np.zeros(cells.shape, dtype=bool)
    for at in range(cells.shape[1] if cells.ndim == 2 else 0):
        column = cells[:, at]
        kinds = set(map(type, column))
        if kinds <= NEVER_BLANK:
            continue
        if kinds == {str}:
            blank[:, at] = (column == "") | _IS_SPACE(column).astype(bool)
        elif kinds == {float}:
            blank[:, at] = np.isnan(column.astype(np.float64))
        else:
            blank[:, at] = [is_blank(v) for v in column]
    return blank


def header_position(cells: np.ndarray, non_empty: np.ndarray, aliases, allowed) -> int:
    """The row naming the most known columns among the first rows (a title may sit above)."""
    candidates = [int(i) for i in non_empty.nonzero()[0][:HEADER_SEARCH_ROWS]]

    def known(position: int) -> int:
        return sum(1 for c in cells[position] if c is not None and aliases.get(fold(c)) in allowed)

    return max(candidates, key=lambda position: (known(position), -position))


@dataclass
class HeaderMatch:
    """The columns a header row names: key -> position, header as written, letter."""

    positions: dict[str, int] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    letters: dict[str, str] = field(default_factory=dict)
    repeated: list[tuple[str, str, str]] = field(default_factory=list)


def match_headers(header_cells, allowed) -> HeaderMatch:
    """Known columns of a header row; a key named twice (``visits`` twice, or ``epn_id``
    beside « Identifiant EPN ») is recorded as repeated, never silently dropped."""
    aliases = header_aliases()
    match = HeaderMatch()
    for position, text in enumerate(header_cells):
        key = aliases.get(fold(text)) if text is not None else None
        if key not in allowed:
            continue
        if key in match.positions:
            match.repeated.append((key, str(text).strip(), column_letter(position)))
            continue
        match.positions[key] = position
        match.headers[key] = str(text).strip()
        match.letters[key] = column_letter(position)
    return match


def check_row_count(data_rows: int, max_rows: int | None, sheet: str | None) -> None:
    if max_rows is not None and data_rows > max_rows:
        raise TooManyRows("too_many_rows", sheet=sheet, max_rows=max_rows)


def from_grid(
    name: str | None, grid: pd.DataFrame, allowed: list[str], max_rows: int | None = None
) -> RawSheet:
    """Finds the header row (the first non-empty one), keeps known columns, drops blank rows.

    Works on the grid's cells as one array. A blank grid has every allowed column, empty.
    More than ``max_rows`` non-blank rows below the header raise ``TooManyRows``.
    """
    cells = grid.to_numpy(dtype=object)
    cells = np.where(blank_cells(cells), None, cells)
    filled = pd.notna(cells)
    non_empty = filled.any(axis=1)
    if not non_empty.any():
        return RawSheet(name, {key: [] for key in allowed}, [])
    header_pos = header_position(cells, non_empty, header_aliases(), allowed)
    check_row_count(int(non_empty[header_pos + 1 :].sum()), max_rows, name)
    match = match_headers(cells[header_pos], allowed)
    chosen = list(match.positions.values())
    kept = filled[header_pos + 1 :, chosen].any(axis=1)  # no chosen column: no row is kept
    body = cells[header_pos + 1 :][kept]
    columns = {key: body[:, position].tolist() for key, position in match.positions.items()}
    rows = (np.asarray(grid.index[header_pos + 1 :])[kept] + 1).tolist()
    return RawSheet(
        name, columns, rows, match.headers, match.letters, header_pos + 1, match.repeated
    )
