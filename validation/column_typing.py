"""A column of text cells typed at once, exactly as ``cells.parse_cell`` types each cell.

A CSV column comes as an Arrow text array (``ingest.csv_columns``). Blanks are found for the
whole column; numbers are taken by the standard's form on the whole column (trimmed, digit
groups' spaces dropped, ``[+-]digits[.,digits]`` in full, then read as floats); texts keep
their trimmed form; codes, dates and yes/no are parsed once per distinct text and spread
back. Whatever such a pass does not accept for certain (a form off the pattern, a fraction
in a count, a number beyond the limits, a spreadsheet error such as ``#N/A``) goes through
``parse_cell`` itself, the reference, cell by cell: its value and its error code are the
column's, so a rejected file says exactly what it said when every cell went that way.
``tests/test_columnar.py`` checks both paths agree on generated columns.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pandas.arrays import BooleanArray, FloatingArray, IntegerArray

from epn.identifiers import is_epn_id, normalize_epn_id
from validation.cells import INTEGER_LIMIT, parse_cell

# ``cells._NUMBER`` for RE2, whose ``\d`` is ASCII already; anchored: a full match
NUMBER_FORM = r"^[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)$"
FORMULA_ERROR_START = "#"  # every spreadsheet error (#N/A, #VALUE!...) starts so
GROUP_SPACES = (" ", "\u00a0", "\u202f")  # digit groups: 1 000, as French typing writes
# type -> (pandas masked array, its numpy values): dtypes boolean, Int64 and Float64;
# text, code and date columns are object
MASKED = {
    "yesno": (BooleanArray, np.bool_),
    "integer": (IntegerArray, np.int64),
    "decimal": (FloatingArray, np.float64),
}


class RawText:
    """The raw cells of a text column as the cell path sees them: None where blank."""

    def __init__(self, column: pa.StringArray, blank: np.ndarray):
        self.column, self.blank = column, blank

    def __getitem__(self, at: int):
        return None if self.blank[at] else self.column[at].as_py()

    def __len__(self) -> int:
        return len(self.column)


class TypedColumn:
    """A column's typed values (None where empty or wrong), its error code per cell, and its
    raw cells as the cell path sees them (the problems quote them)."""

    def __init__(self, values, errors: np.ndarray, raw: RawText):
        self.values = values
        self.errors = errors  # object: an error code, or None
        self.raw = raw

    def error_list(self) -> list[tuple[int, str]]:
        """(position, code) of each wrong cell, in sheet order, as ``parse_column`` gives."""
        at = np.flatnonzero(pd.notna(self.errors))  # None or a code: twice as fast as !=
        return list(zip(at.tolist(), self.errors[at].tolist(), strict=True))


def type_text_column(column, cells: pa.StringArray, epn_id: bool = False) -> TypedColumn:
    """``cells`` (Arrow text) typed as ``column``."""
    trimmed = pc.utf8_trim_whitespace(cells)  # Arrow's whitespace is Python's
    blank = pc.equal(pc.utf8_length(trimmed), 0).to_numpy(zero_copy_only=False)
    errors = np.full(len(cells), None, dtype=object)
    if blank.any() and column.required:
        errors[blank] = "required"
    if column.type in ("decimal", "integer") and not epn_id:
        typed = _numbers(column, cells, trimmed, blank, errors)
    elif column.type == "text" and not epn_id:
        typed = _texts(column, cells, trimmed, blank, errors)
    else:
        typed = _distinct(column, trimmed, blank, errors, epn_id)
    return TypedColumn(typed, errors, RawText(cells, blank))


def _numbers(column, cells, trimmed, blank, errors):
    compact, written = trimmed, _bytes_of(cells)
    for space in GROUP_SPACES:
        if space.encode() in written:
            compact = pc.replace_substring(compact, space, "")
    well_formed = pc.match_substring_regex(compact, NUMBER_FORM)
    dotted = pc.replace_substring(compact, ",", ".") if b"," in written else compact
    numbers = pc.cast(pc.if_else(well_formed, dotted, "0"), pa.float64()).to_numpy()
    taken = well_formed.to_numpy(zero_copy_only=False) & np.isfinite(numbers)
    if column.type == "integer":
        taken &= (np.floor(numbers) == numbers) & (np.abs(numbers) <= INTEGER_LIMIT)
        data = np.where(taken, numbers, 0).astype(np.int64)
    else:
        data = np.where(taken, numbers, 0.0)
    missing = ~taken
    for at, (value, error) in _by_the_cell(column, cells, ~(taken | blank)):
        errors[at] = error
        if value is not None:
            data[at], missing[at] = value, False
    return _masked(column.type, data, missing)


def _bytes_of(cells: pa.StringArray) -> bytes:
    """The text of every cell, end to end (to see at once whether any holds a character)."""
    offsets, data = cells.buffers()[1:3]
    if data is None:
        return b""
    first, last = np.frombuffer(offsets, dtype=np.int32)[[cells.offset, cells.offset + len(cells)]]
    return data.to_pybytes()[first:last]


def _texts(column, cells, trimmed, blank, errors):
    values = np.asarray(trimmed.to_numpy(zero_copy_only=False), dtype=object)
    values[blank] = None
    suspects = pc.starts_with(trimmed, FORMULA_ERROR_START).to_numpy(zero_copy_only=False)
    for at, (value, error) in _by_the_cell(column, cells, suspects & ~blank):
        values[at], errors[at] = value, error
    return values


def _distinct(column, trimmed, blank, errors, epn_id: bool):
    """Codes, dates, yes/no, identifiers: few distinct texts, each parsed once."""
    encoded = pc.dictionary_encode(trimmed)
    outcomes = [outcome(column, text, epn_id) for text in encoded.dictionary.to_pylist()]
    indexes = encoded.indices.to_numpy(zero_copy_only=False)
    parsed = np.empty(len(outcomes), dtype=object)
    parsed[:] = [value for value, _ in outcomes]
    codes = np.array([error for _, error in outcomes], dtype=object)
    values = parsed[indexes] if len(outcomes) else np.full(len(indexes), None, dtype=object)
    filled = ~blank
    if len(outcomes):
        errors[filled] = codes[indexes[filled]]
    values[blank] = None
    if column.type == "yesno":
        missing = np.array([v is None for v in values], dtype=bool)
        data = np.array([bool(v) for v in values], dtype=np.bool_)
        return _masked("yesno", data, missing)
    return values


def outcome(column, cell, epn_id: bool) -> tuple:
    """``parse_cell`` of a cell (a text trimmed or not: the cell path trims first), then, for
    an EPN identifier, its normal form and pattern (``typing.epn_ids``)."""
    if cell == "":
        return None, None  # a blank: decided for the whole column
    value, error = parse_cell(column, cell)
    if epn_id and error is None and value is not None:
        value = normalize_epn_id(value)
        if not is_epn_id(value):
            return value, "bad_epn_id_cell"
    return value, error


def _by_the_cell(column, cells: pa.StringArray, chosen: np.ndarray):
    """(position, ``parse_cell`` outcome) of the chosen cells, each distinct text once."""
    positions = np.flatnonzero(chosen)
    if not len(positions):
        return
    texts = cells.take(pa.array(positions)).to_pylist()
    memo: dict[str, tuple] = {}
    for at, text in zip(positions.tolist(), texts, strict=True):
        outcome = memo.get(text)
        if outcome is None:
            outcome = memo[text] = parse_cell(column, text)
        yield at, outcome


def _masked(kind: str, data: np.ndarray, missing: np.ndarray):
    array_type, numpy_type = MASKED[kind]
    return array_type(data.astype(numpy_type, copy=False), missing)
