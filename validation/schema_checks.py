"""Pandera schemas built from the standard, and their failures as flat problem records.

Every check is named ``code:column`` so that a failure maps back to a stable error code,
the column to point at and, through the frame's ``_row``, the spreadsheet row.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from epn.standard import Sheet
from ingest.tables import ROW
from validation.records import Problem, problem


def row_check(code: str, column: str, holds) -> pa.Check:
    """A check over whole rows: ``holds(frame)`` is a boolean Series, True where fine."""
    return pa.Check(lambda frame: holds(frame).fillna(True).astype(bool), name=f"{code}:{column}")


def range_checks(spec: Sheet) -> list[pa.Check]:
    checks = []
    for column in spec.columns:
        low, high = column.minimum, column.maximum
        if low is None and high is None:
            continue

        def within(frame, key=column.key, low=low, high=high):
            values = frame[key].astype("Float64")
            ok = pd.Series(True, index=frame.index)
            if low is not None:
                ok &= values >= low
            if high is not None:
                ok &= values <= high
            return ok

        checks.append(row_check("out_of_range", column.key, within))
    return checks


def duplicate_check(keys: tuple[str, ...], column: str) -> pa.Check:
    def unique(frame):
        present = frame[list(keys)].notna().all(axis=1)
        return ~(frame.duplicated(list(keys), keep=False) & present)

    return row_check("duplicate_key", column, unique)


def problems_from(
    schema: pa.DataFrameSchema,
    frame: pd.DataFrame,
    sheet: str | None,
    letters: dict[str, str] | None = None,
    **params,
) -> list[Problem]:
    """Runs ``schema`` lazily; one problem per failing row and check."""
    try:
        schema.validate(frame, lazy=True)
    except SchemaErrors as errors:
        cases = errors.failure_cases
        cases = cases[cases["index"].notna()]
        seen: set[tuple[str, int]] = set()
        found = []
        for check, index in zip(cases["check"], cases["index"], strict=True):
            code, _, column = str(check).partition(":")
            if (check, index) in seen:
                continue
            seen.add((check, index))
            row = int(frame.at[index, ROW])
            value = frame.at[index, column] if column in frame else None
            cell = f"{letters[column]}{row}" if letters and column in letters else None
            found.append(problem(code, sheet, row, column, value, cell=cell, **params))
        return sorted(found, key=lambda p: (p.row or 0, p.column or ""))
    return []
