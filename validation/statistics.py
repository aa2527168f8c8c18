"""Structural rules of the opening and attendance statistics (standard §3 and §4)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pandera.pandas as pa

from epn.standard import STATISTICS, Sheet
from validation.schema_checks import duplicate_check, range_checks, row_check


def _is_monday(frame: pd.DataFrame) -> pd.Series:
    return frame["week_start"].map(lambda d: d is None or d.weekday() == 0).astype(bool)


def _closed(frame: pd.DataFrame) -> pd.Series:
    return frame["status"] == "closed"


def weekly_checks(spec: Sheet) -> list[pa.Check]:
    """The week-level rules shared by statistics files and the report's weekly sheet."""
    return [
        *range_checks(spec),
        row_check("not_monday", "week_start", _is_monday),
        row_check(
            "facilitated_over_public",
            "facilitated_hours",
            lambda f: f["facilitated_hours"] <= f["public_hours"],
        ),
        row_check("unique_over_visits", "unique_users", lambda f: f["unique_users"] <= f["visits"]),
        row_check("new_over_unique", "new_users", lambda f: f["new_users"] <= f["unique_users"]),
        row_check(
            "closure_reason_required",
            "closure_reason",
            lambda f: ~_closed(f) | f["closure_reason"].notna(),
        ),
        row_check(
            "closed_with_hours",
            "public_hours",
            lambda f: ~_closed(f) | (f["public_hours"].fillna(0) == 0),
        ),
    ]


def statistics_schema(known_epn_ids: set[str]) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        checks=[
            *weekly_checks(STATISTICS),
            row_check(
                "unknown_epn",
                "epn_id",
                lambda f: f["epn_id"].isna() | f["epn_id"].isin(known_epn_ids),
            ),
            duplicate_check(("epn_id", "week_start"), "week_start"),
        ]
    )


def week_in_year_check(year: int) -> pa.Check:
    """A week belongs to its ISO year: 2024-12-30 is week 1 of 2025."""

    def inside(frame: pd.DataFrame) -> pd.Series:
        return (
            frame["week_start"]
            .map(lambda d: d is None or (isinstance(d, dt.date) and d.isocalendar()[0] == year))
            .astype(bool)
        )

    return row_check("week_outside_year", "week_start", inside)
