"""A sheet as read from a file, before any typing: raw cells keyed by the standard's keys,
each row keeping the number the spreadsheet shows for it."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

import pandas as pd

from epn.i18n import LANGUAGES, catalogue

ROW = "_row"  # column holding the spreadsheet's own row number
HEADER_SEARCH_ROWS = 20


@dataclass
class RawSheet:
    name: str | None  # None for a CSV file
    frame: pd.DataFrame  # columns: matched keys + ROW; raw cell values (object)
    headers: dict[str, str] = field(default_factory=dict)  # key -> header as written
    letters: dict[str, str] = field(default_factory=dict)  # key -> column letter
    header_row: int = 1


def fold(text: object) -> str:
    """Case-, accent- and space-insensitive form used to match headers and codes."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
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


def header_position(grid: pd.DataFrame, non_empty: pd.Series, aliases, allowed) -> int:
    """The row naming the most known columns among the first rows (a title may sit above)."""
    candidates = [int(i) for i in non_empty.to_numpy().nonzero()[0][:HEADER_SEARCH_ROWS]]

    def known(position: int) -> int:
        cells = grid.iloc[position].tolist()
        return sum(1 for c in cells if c is not None and aliases.get(fold(c)) in allowed)

    return max(candidates, key=lambda position: (known(position), -position))


def from_grid(name: str | None, grid: pd.DataFrame, allowed: list[str]) -> RawSheet:
    """Finds the header row (the first non-empty one), keeps known columns, drops blank rows."""
    grid = grid.map(lambda v: None if is_blank(v) else v) if len(grid) else grid
    non_empty = grid.notna().any(axis=1)
    if not non_empty.any():
        return RawSheet(name, pd.DataFrame(columns=[*allowed, ROW]))
    aliases = header_aliases()
    header_pos = header_position(grid, non_empty, aliases, allowed)
    header = grid.iloc[header_pos]
    columns, headers, letters = {}, {}, {}
    for position, text in enumerate(header.tolist()):
        key = aliases.get(fold(text)) if text is not None else None
        if key in allowed and key not in columns:
            columns[key] = grid.columns[position]
            headers[key] = str(text).strip()
            letters[key] = column_letter(position)
    body = grid.iloc[header_pos + 1 :]
    frame = pd.DataFrame({key: body[col] for key, col in columns.items()}, index=body.index)
    frame[ROW] = (body.index + 1).astype("int64")
    frame = frame[frame.drop(columns=ROW).notna().any(axis=1)] if columns else frame.iloc[0:0]
    return RawSheet(name, frame.reset_index(drop=True), headers, letters, header_pos + 1)
