"""The week frame and its evidence as the charter engine built them before issue 12 (kept
for the oracle, tests/legacy_charter_engine.py)."""

from __future__ import annotations

import duckdb
import pandas as pd

from epn.records import plain
from validation.charter.evidence import HOURS_COLUMN, MINIMUM


def week_frame(con: duckdb.DuckDBPyConnection, periods: pd.DataFrame) -> pd.DataFrame:
    """One row per EPN and week of its labelled period, with the week's current statistics."""
    con.register("labelled_periods", periods)
    try:
        return con.execute(
            """
            WITH weeks AS (
                SELECT epn_id,
                       unnest(generate_series(first_week::TIMESTAMP, last_week::TIMESTAMP,
                                              INTERVAL 7 DAY))::DATE AS week_start
                FROM labelled_periods
            )
            SELECT w.epn_id, w.week_start, c.status, c.closure_reason, c.public_hours,
                   c.facilitated_hours, c.epn_id IS NOT NULL AS has_row
            FROM weeks w
            LEFT JOIN cur_weekly c ON c.epn_id = w.epn_id AND c.week_start = w.week_start
            ORDER BY w.epn_id, w.week_start
            """
        ).df()
    finally:
        con.unregister("labelled_periods")


def week_evidence(code: str, weeks: pd.DataFrame, terms) -> dict:
    if code == "statistics_incomplete":
        return {"missing_weeks": [plain(d) for d in weeks["week_start"]]}
    column = HOURS_COLUMN[code]
    return {
        "weeks": [
            {"week_start": plain(d), column: plain(v)}
            for d, v in zip(weeks["week_start"], weeks[column], strict=True)
        ],
        "minimum_hours": getattr(terms, MINIMUM[code]),
        "tolerance_weeks": terms.hours_tolerance_weeks,
    }
