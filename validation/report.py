"""Structural rules of the annual activity report (standard §2 and §4).

Each rule is a named check ``code:column`` (see ``schema_checks``), so a failure maps back
to a stable code, a column and a spreadsheet row. The identity sheet holds one row per key:
it is typed and checked as a one-row frame, then each problem is moved to its key's row.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import pandera.pandas as pa

from epn.standard import AUDIENCE_CATEGORIES, REPORT_IDENTITY, Column, Sheet, report_sheet
from ingest.tables import ROW, RawSheet, fold
from validation.records import Problem, problem
from validation.schema_checks import duplicate_check, problems_from, range_checks, row_check
from validation.statistics import week_in_year_check, weekly_checks
from validation.typing import DTYPES, type_sheet

INTEGER_LIMIT = 2**31 - 1  # the warehouse stores integers as INTEGER
KEY_VALUE = Sheet(
    "key_value", (Column("key", "text", required=True), Column("value", "text", required=True))
)


def absent_columns(raw: RawSheet, spec: Sheet) -> list[Problem]:
    """Required columns without a header; a blank sheet has none (it still needs its header)."""
    return [
        problem("missing_column", raw.name, raw.header_row, column.key, None)
        for column in spec.columns
        if column.required and column.key not in raw.headers
    ]


def storable_checks(spec: Sheet) -> list[pa.Check]:
    """Integers the warehouse can hold: a larger one is out of range, not a crash."""
    return [
        row_check("out_of_range", c.key, lambda f, key=c.key: f[key] <= INTEGER_LIMIT)
        for c in spec.columns
        if c.type == "integer"
    ]


def _known(column: str, known: set[str]) -> pa.Check:
    code = "unknown_epn" if column == "epn_id" else "unknown_partner_epn"
    return row_check(code, column, lambda f: f[column].isna() | f[column].isin(known))


def type_identity(
    entries: pd.DataFrame, sheet: str, value_letter: str, known: set[str]
) -> tuple[pd.DataFrame, list[Problem]]:
    """``entries``: one row per recognised key (key, value, _row). -> one typed row, problems."""
    rows = dict(zip(entries["key"], entries[ROW], strict=True))
    present = tuple(c for c in REPORT_IDENTITY.columns if c.key in rows)
    one_row = pd.DataFrame({c.key: [entries.set_index("key").at[c.key, "value"]] for c in present})
    one_row[ROW] = 0
    typed, problems = type_sheet(RawSheet(sheet, one_row), Sheet("epn", present))
    for column in REPORT_IDENTITY.columns:
        if column.key not in typed:
            typed[column.key] = pd.Series([None], dtype=DTYPES[column.type])
    schema = pa.DataFrameSchema(
        checks=[
            *storable_checks(REPORT_IDENTITY),
            *range_checks(REPORT_IDENTITY),
            _known("epn_id", known),
        ]
    )
    problems += problems_from(schema, typed, sheet)
    problems = [_at_key_row(p, rows, value_letter) for p in problems]
    problems += [
        problem("missing_key", sheet, None, c.key, None)
        for c in REPORT_IDENTITY.columns
        if c.required and c.key not in rows
    ]
    return typed[REPORT_IDENTITY.keys], problems


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
    key = fold(category).replace(" ", "_")
    return key if key in AUDIENCE_CATEGORIES[dimension] else category


def _in_dimension(frame: pd.DataFrame) -> pd.Series:
    pairs = zip(frame["dimension"], frame["category"], strict=True)
    return pd.Series(
        [d is None or d is pd.NA or c is None or c in AUDIENCE_CATEGORIES[d] for d, c in pairs],
        index=frame.index,
    )


def _qualification_given(frame: pd.DataFrame) -> pd.Series:
    return ~(frame["qualified"].fillna(False).astype(bool) & frame["qualification"].isna())


def sheet_checks(name: str, known: set[str], year: int | None) -> list[pa.Check]:
    spec = report_sheet(name)
    return storable_checks(spec) + _rules(name, spec, known, year)


def _rules(name: str, spec: Sheet, known: set[str], year: int | None) -> list[pa.Check]:
    if name == "staff":
        return [
            *range_checks(spec),
            row_check("qualification_required", "qualification", _qualification_given),
        ]
    if name == "activities":
        return [
            *range_checks(spec),
            row_check("out_of_range", "hours", lambda f: f["hours"] > 0),  # hours: decimal > 0
            row_check(
                "priority_over_participants",
                "priority_participants",
                lambda f: f["priority_participants"] <= f["participants"],
            ),
            duplicate_check(spec.unique_keys, "activity_ref"),
        ]
    if name == "audience":
        return [
            *range_checks(spec),
            row_check("category_not_in_dimension", "category", _in_dimension),
            duplicate_check(spec.unique_keys, "category"),
        ]
    if name == "cooperation":
        return [_known("partner_epn_id", known)]
    in_year = [week_in_year_check(year)] if year is not None else []
    return [*weekly_checks(spec), duplicate_check(spec.unique_keys, "week_start"), *in_year]


def audience_total_problems(
    frame: pd.DataFrame, users_total: int | None, sheet: str, letters: dict[str, str]
) -> list[Problem]:
    """Each dimension's users add up to users_total; an absent dimension totals 0."""
    if users_total is None:
        return []
    found = []
    for dimension in AUDIENCE_CATEGORIES:
        rows = frame[frame["dimension"] == dimension]
        if rows["users"].isna().any():
            continue  # a cell problem already speaks for this dimension
        total = int(rows["users"].sum())
        if total == users_total:
            continue
        params = {"dimension": dimension, "total": total, "users_total": users_total}
        if rows.empty:
            found.append(
                problem("audience_total_mismatch", sheet, None, "dimension", dimension, **params)
            )
        for row, users in zip(rows[ROW], rows["users"], strict=True):
            found.append(
                problem(
                    "audience_total_mismatch",
                    sheet,
                    int(row),
                    "users",
                    users,
                    cell=f"{letters.get('users', '')}{row}",
                    **params,
                )
            )
    return found
