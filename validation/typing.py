"""Raw sheet -> typed DataFrame plus a problem record for every cell that does not parse."""

from __future__ import annotations

import pandas as pd

from epn.standard import Sheet
from ingest.tables import ROW, RawSheet
from validation.cells import parse_cell
from validation.records import Problem, problem

DTYPES = {
    "text": "object",
    "code": "object",
    "date": "object",
    "yesno": "boolean",
    "integer": "Int64",
    "decimal": "Float64",
}


def missing_columns(raw: RawSheet, spec: Sheet) -> list[Problem]:
    return [
        problem("missing_column", raw.name, raw.header_row, column.key, None)
        for column in spec.columns
        if column.required and column.key not in raw.frame.columns
    ]


def type_sheet(raw: RawSheet, spec: Sheet) -> tuple[pd.DataFrame, list[Problem]]:
    problems: list[Problem] = []
    rows = raw.frame[ROW].tolist()
    typed = {ROW: pd.Series(rows, dtype="int64")}
    for column in spec.columns:
        cells = raw.frame[column.key].tolist() if column.key in raw.frame else [None] * len(rows)
        values = []
        for row, cell in zip(rows, cells, strict=True):
            value, error = parse_cell(column, cell)
            if error and (column.key in raw.frame or column.required):
                cell_ref = f"{raw.letters.get(column.key, '')}{row}" if raw.letters else None
                problems.append(
                    problem(
                        error, raw.name, row, column.key, cell, cell=cell_ref, codes=_codes(column)
                    )
                )
            values.append(value)
        typed[column.key] = pd.Series(values, dtype=DTYPES[column.type])
    return pd.DataFrame(typed), problems


def _codes(column) -> str:
    return ", ".join(column.codes)
