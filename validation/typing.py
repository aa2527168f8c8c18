"""Raw sheet -> typed DataFrame plus a problem record for every cell that does not parse."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
from pandas.api.extensions import ExtensionArray

from epn.frames import frame_of
from epn.identifiers import is_epn_id, normalize_epn_id
from epn.records import EXAMPLES_PER_GROUP, Problem, problem, similar
from epn.standard import Sheet
from epn.tables import ROW, RawSheet
from validation.cells import parse_column
from validation.column_typing import MASKED, type_text_column


def missing_columns(raw: RawSheet, spec: Sheet) -> list[Problem]:
    """Required columns without a header, and columns that name a key twice."""
    return [
        problem("missing_column", raw.name, raw.header_row, column.key, None)
        for column in spec.columns
        if column.required and column.key not in raw.cells
    ] + repeated_columns(raw)


def repeated_columns(raw: RawSheet) -> list[Problem]:
    """A key named by two columns: which one holds the data cannot be guessed."""
    return [
        problem(
            "duplicate_column",
            raw.name,
            raw.header_row,
            key,
            header,
            cell=f"{letter}{raw.header_row}",
            first=raw.letters.get(key, ""),
            letter=letter,
        )
        for key, header, letter in raw.repeated
    ]


def type_sheet(raw: RawSheet, spec: Sheet) -> tuple[pd.DataFrame, list[Problem]]:
    typed, problems = typed_columns(raw, spec)
    return frame_of(typed), problems


def typed_columns(raw: RawSheet, spec: Sheet) -> tuple[dict, list[Problem]]:
    """The columns of ``type_sheet``'s frame (``_row`` first, then the standard's order)."""
    problems: list[Problem] = []
    rows = raw.rows
    typed: dict = {ROW: np.array(rows, dtype=np.int64)}
    for column in spec.columns:
        present = column.key in raw.cells
        cells = raw.cells[column.key] if present else [None] * len(rows)
        if isinstance(cells, pa.Array):  # a column of a CSV file, typed at once
            found = type_text_column(column, cells, epn_id=column.key == "epn_id")
            values, errors, cells = found.values, found.error_list(), found.raw
        else:  # cell by cell (the reference)
            values, errors = parse_column(column, cells)
            if column.key == "epn_id":
                values, errors = epn_ids(values, errors)
            values = typed_values(values, column.type)
        if present or column.required:
            problems += column_problems(raw, column, cells, errors)
        typed[column.key] = values
    return typed, problems


def column_problems(raw: RawSheet, column, cells: list, errors: list) -> list[Problem]:
    """The problems of a column's cells: the first examples of each code, and one record
    standing for the rest (see ``epn.records.summarised``), so that a column where every
    cell is wrong costs a few records, not one object per cell."""
    by_code: dict[str, list[int]] = {}
    for at, code in errors:
        by_code.setdefault(code, []).append(at)
    found = []
    for code, positions in by_code.items():
        examples, rest = positions[:EXAMPLES_PER_GROUP], positions[EXAMPLES_PER_GROUP:]
        found += [
            cell_problem(raw.name, raw.letters, column, raw.rows[at], cells[at], code)
            for at in examples
        ]
        if rest:
            found.append(
                similar(
                    raw.name, column.key, code, [raw.rows[rest[0]], raw.rows[rest[-1]]], len(rest)
                )
            )
    return found


def epn_ids(values: list, errors: list[tuple[int, str]]) -> tuple[list, list[tuple[int, str]]]:
    """EPN identifiers normalised (``epn.identifiers``), those off the pattern refused."""
    failed = {at for at, _ in errors}
    normalized, more = [], []
    for at, value in enumerate(values):
        if value is None or at in failed:
            normalized.append(value)
            continue
        value = normalize_epn_id(value)
        normalized.append(value)
        if not is_epn_id(value):
            more.append((at, "bad_epn_id_cell"))
    return normalized, sorted(errors + more)


def typed_values(values: list, kind: str) -> list | ExtensionArray:
    """A column of parsed values (None where empty) as ``frame_of`` takes it: a masked array
    for the types that have one, else the list itself (a column of dtype object).

    Built from its parts (values and a mask): ``pd.Series(values, dtype=...)`` would first
    guess at each value, ten times slower for the same result."""
    masked = MASKED.get(kind)
    if masked is None:
        return values
    array_type, numpy_type = masked
    missing = np.array([v is None for v in values], dtype=bool)
    data = np.array([0 if v is None else v for v in values], dtype=numpy_type)
    return array_type(data, missing)


def cell_problem(sheet, letters: dict, column, row: int, cell: object, code: str) -> Problem:
    cell_ref = f"{letters.get(column.key, '')}{row}" if letters else None
    return problem(code, sheet, row, column.key, cell, cell=cell_ref, codes=_codes(column))


def _codes(column) -> str:
    return ", ".join(column.codes)
