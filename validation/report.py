"""Structural rules of the annual activity report (standard §2 and §4).

Each rule is a named check ``code:column`` (see ``schema_checks``), so a failure maps back
to a stable code, a column and a spreadsheet row. The identity sheet holds one row per key:
it is typed and checked as a one-row frame, then each problem is moved to its key's row.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from epn.frames import frame_of
from epn.records import Problem, problem
from epn.standard import AUDIENCE_CATEGORIES, REPORT_IDENTITY, Column, Sheet, report_sheet
from epn.tables import ROW, RawSheet, fold
from validation.cells import code_words, parse_cell
from validation.plausible import year_span
from validation.schema_checks import (
    RowCheck,
    Rules,
    duplicate_check,
    numbers,
    problems_from,
    range_checks,
    row_check,
    rule,
)
from validation.statistics import at_most, known_check, week_in_year_check, weekly_checks
from validation.typing import cell_problem, repeated_columns, typed_values

KEY_VALUE = Sheet(
    "key_value", (Column("key", "text", required=True), Column("value", "text", required=True))
)


def absent_columns(raw: RawSheet, spec: Sheet) -> list[Problem]:
    """Required columns without a header; a blank sheet has none (it still needs its header)."""
    return [
        problem("missing_column", raw.name, raw.header_row, column.key, None)
        for column in spec.columns
        if column.required and column.key not in raw.headers
    ] + repeated_columns(raw)


def _known(column: str, known: set[str]) -> RowCheck:
    code = "unknown_epn" if column == "epn_id" else "unknown_partner_epn"
    return known_check(code, column, known)


def type_identity(entries: RawSheet, known: set[str]) -> tuple[pd.DataFrame, list[Problem]]:
    """``entries``: the sheet's (key, value) rows, the first of each key counting.
    -> one typed row, problems."""
    rows, values = {}, {}
    pairs = zip(entries.cells["key"], entries.cells["value"], strict=True)
    for (key, value), row in zip(pairs, entries.rows, strict=True):
        if key not in rows:
            rows[key], values[key] = row, value
    typed = {ROW: np.zeros(1, dtype=np.int64)}
    problems = []
    for column in REPORT_IDENTITY.columns:
        value = None
        if column.key in values:
            cell = as_one_value_column(values[column.key])
            value, error = parse_cell(column, cell)
            if error:
                problems.append(cell_problem(entries.name, {}, column, 0, cell, error))
        typed[column.key] = typed_values([value], column.type)
    schema = Rules(
        [
            *range_checks(REPORT_IDENTITY, storable=True),
            row_check("year_implausible", "year", _plausible_year),
            _known("epn_id", known),
        ]
    )
    first_year, last_year = year_span()
    problems += problems_from(
        schema, frame_of(typed), entries.name, first_year=first_year, last_year=last_year
    )
    letter = entries.letters["value"]
    problems = [_at_key_row(p, rows, letter) for p in problems]
    problems += [
        problem("missing_key", entries.name, None, c.key, None)
        for c in REPORT_IDENTITY.columns
        if c.required and c.key not in rows
    ]
    del typed[ROW]  # the row only served to place problems
    return frame_of(typed), problems


def _plausible_year(frame: pd.DataFrame) -> pd.Series | bool:
    """A year the charter judges, up to the current one; a year outside the standard's bounds
    is already ``out_of_range`` (one problem per cause)."""
    first, last = year_span()
    column = REPORT_IDENTITY.column("year")
    years = numbers(frame, "year")
    within_bounds = (years >= column.minimum) & (years <= column.maximum)
    return rule(frame, within_bounds & ((years < first) | (years > last)))


def as_one_value_column(value: object) -> object:
    """The value as a one-value pandas column gives it back: text, numbers and booleans
    unchanged; a date or a duration as pandas' own Timestamp or Timedelta."""
    if value is None or isinstance(value, str | bool | int | float):
        return value
    return pd.Series([value]).tolist()[0]


def _at_key_row(found: Problem, rows: dict, letter: str) -> Problem:
    row = int(rows[found.column])
    return dataclasses.replace(found, row=row, cell=f"{letter}{row}" if letter else None)


def value_of(frame: pd.DataFrame, key: str) -> object:
    """The first row's value of ``key``, None when missing."""
    value = frame[key].iloc[0]
    if pd.isna(value):
        return None
    return value.item() if hasattr(value, "item") else value  # numpy scalar -> Python


def canonical_category(dimension: object, category: object) -> object:
    """The category code when the text folds to one of its dimension's codes."""
    if category is None or dimension not in AUDIENCE_CATEGORIES:
        return category
    return code_words(AUDIENCE_CATEGORIES[dimension]).get(fold(category), category)


def _in_dimension(frame: pd.DataFrame) -> pd.Series | bool:
    pairs = zip(frame["dimension"], frame["category"], strict=True)
    inside = [d is None or d is pd.NA or c is None or c in AUDIENCE_CATEGORIES[d] for d, c in pairs]
    return rule(frame, ~np.array(inside, dtype=bool))


def _qualification_given(frame: pd.DataFrame) -> pd.Series | bool:
    qualified = frame["qualified"].to_numpy(dtype=bool, na_value=False)
    return rule(frame, qualified & pd.isna(frame["qualification"].to_numpy()))


def sheet_checks(name: str, known: set[str], year: int | None) -> list[RowCheck]:
    """The rules of a table sheet; bounds first, and integers the warehouse can hold (a
    larger one is out of range, not a crash)."""
    spec = report_sheet(name)
    if name == "staff":
        return [
            *range_checks(spec, storable=True),
            row_check("qualification_required", "qualification", _qualification_given),
        ]
    if name == "activities":
        return [
            *range_checks(spec, storable=True, above={"hours": 0}),  # hours: decimal > 0
            row_check(
                "priority_over_participants",
                "priority_participants",
                at_most("priority_participants", "participants"),
            ),
            duplicate_check(spec.unique_keys, "activity_ref"),
        ]
    if name == "audience":
        return [
            *range_checks(spec, storable=True),
            row_check("category_not_in_dimension", "category", _in_dimension),
            duplicate_check(spec.unique_keys, "category"),
        ]
    if name == "cooperation":
        return [*range_checks(spec, storable=True), _known("partner_epn_id", known)]
    in_year = [week_in_year_check(year)] if year is not None else []
    return [
        *weekly_checks(spec, storable=True),
        duplicate_check(spec.unique_keys, "week_start"),
        *in_year,
    ]


def audience_total_problems(
    frame: pd.DataFrame, users_total: int | None, sheet: str, letters: dict[str, str]
) -> list[Problem]:
    """Each dimension's users add up to users_total; an absent dimension totals 0."""
    if users_total is None:
        return []
    dimensions, rows = frame["dimension"].to_numpy(), frame[ROW].to_numpy()
    users = frame["users"].to_numpy(dtype=float, na_value=np.nan)
    found = []
    for dimension in AUDIENCE_CATEGORIES:
        mine = dimensions == dimension
        if np.isnan(users[mine]).any():
            continue  # a cell problem already speaks for this dimension
        total = int(users[mine].sum())
        if total == users_total:
            continue
        params = {"dimension": dimension, "total": total, "users_total": users_total}
        if not mine.any():
            found.append(
                problem(
                    "audience_total_mismatch",
                    sheet,
                    None,
                    "dimension",
                    dimension,
                    rows=(),
                    **params,
                )
            )
            continue
        # one cause, one problem: at the dimension's first row, naming every row it touches
        touched = [int(row) for row in rows[mine]]
        found.append(
            problem(
                "audience_total_mismatch",
                sheet,
                touched[0],
                "users",
                total,
                cell=f"{letters.get('users', '')}{touched[0]}",
                rows=tuple(touched),
                **params,
            )
        )
    return found
