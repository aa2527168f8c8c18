"""Structural rules of the opening and attendance statistics (standard §3 and §4)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from epn.standard import STATISTICS, Sheet
from validation.plausible import week_span
from validation.schema_checks import (
    RowCheck,
    Rules,
    duplicate_check,
    numbers,
    per_distinct,
    range_checks,
    row_check,
    rule,
)


def _is_monday(frame: pd.DataFrame) -> pd.Series | bool:
    weeks = frame["week_start"].to_numpy()
    return rule(frame, per_distinct(weeks, lambda d: d is not None and d.weekday() != 0))


def _plausible_week(frame: pd.DataFrame) -> pd.Series | bool:
    first, last = week_span()
    weeks = frame["week_start"].to_numpy()
    outside = per_distinct(weeks, lambda d: isinstance(d, dt.date) and not first <= d <= last)
    return rule(frame, outside)


def week_span_params() -> dict:
    first, last = week_span()
    return {"first": first, "last": last}


def _closed(frame: pd.DataFrame) -> np.ndarray:
    return frame["status"].to_numpy() == "closed"


def at_most(column: str, bound: str):
    """``column`` <= ``bound`` where both are filled."""
    return lambda frame: rule(frame, numbers(frame, column) > numbers(frame, bound))


def _reason_given(frame: pd.DataFrame) -> pd.Series | bool:
    return rule(frame, _closed(frame) & pd.isna(frame["closure_reason"].to_numpy()))


def _no_hours_when_closed(frame: pd.DataFrame) -> pd.Series | bool:
    return rule(frame, _closed(frame) & (np.nan_to_num(numbers(frame, "public_hours")) != 0))


def weekly_checks(spec: Sheet, *, storable: bool = False) -> list[RowCheck]:
    """The week-level rules shared by statistics files and the report's weekly sheet."""
    return [
        *range_checks(spec, storable=storable),
        row_check("not_monday", "week_start", _is_monday),
        row_check("week_implausible", "week_start", _plausible_week),
        row_check(
            "facilitated_over_public",
            "facilitated_hours",
            at_most("facilitated_hours", "public_hours"),
        ),
        row_check("unique_over_visits", "unique_users", at_most("unique_users", "visits")),
        row_check("new_over_unique", "new_users", at_most("new_users", "unique_users")),
        row_check("closure_reason_required", "closure_reason", _reason_given),
        row_check("closed_with_hours", "public_hours", _no_hours_when_closed),
    ]


def known_check(code: str, column: str, known: set[str] | frozenset[str]) -> RowCheck:
    """An EPN id the registry knows (an empty cell is another rule's business)."""

    def known_or_empty(frame: pd.DataFrame) -> pd.Series | bool:
        ids = frame[column].to_numpy()
        return rule(frame, per_distinct(ids, lambda i: i not in known))

    return row_check(code, column, known_or_empty)


def statistics_schema(known_epn_ids: set[str]) -> Rules:
    return Rules(
        [
            *weekly_checks(STATISTICS),
            known_check("unknown_epn", "epn_id", known_epn_ids),
            duplicate_check(("epn_id", "week_start"), "week_start"),
        ]
    )


def week_in_year_check(year: int) -> RowCheck:
    """A week belongs to its ISO year: 2024-12-30 is week 1 of 2025."""

    def inside(frame: pd.DataFrame) -> pd.Series | bool:
        weeks = frame["week_start"].to_numpy()
        return rule(frame, per_distinct(weeks, lambda d: not _of_iso_year(d, year)))

    return row_check("week_outside_year", "week_start", inside)


def _of_iso_year(day: object, year: int) -> bool:
    return isinstance(day, dt.date) and day.isocalendar()[0] == year
