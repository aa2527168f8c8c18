"""The week and report frames, and the week evidence, as the charter engine built them before
issue 12 (kept for the oracle, tests/legacy_charter_engine.py)."""

from __future__ import annotations

import datetime as dt

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


def report_frame(
    con: duckdb.DuckDBPyConnection,
    periods: pd.DataFrame,
    year: int,
    as_of: dt.date,
    deadline: dt.date,
) -> pd.DataFrame:
    """One row per EPN labelled during the year, with its latest report received by ``as_of``.

    One year alone, as the previous engine read it; the engine reads every judged year at
    once (``validation.charter.frames.REPORTS_QUERY``, checked in ``report_checks``)."""
    con.register("labelled_periods", periods[["epn_id"]])
    try:
        return con.execute(
            """
            WITH received AS (
                SELECT r.*, u.received_on
                FROM hist_report r JOIN upload u USING (upload_id)
                WHERE r.year = $year AND u.received_on <= $as_of AND u.status = 'accepted'
                  AND r.epn_id IN (SELECT epn_id FROM labelled_periods)
            ), latest AS (
                SELECT *, min(received_on) OVER (PARTITION BY epn_id) AS first_received_on
                FROM received
                QUALIFY row_number() OVER (PARTITION BY epn_id ORDER BY upload_id DESC) = 1
            ), staff AS (
                SELECT upload_id, count(*) AS staff_rows,
                       count(*) FILTER (WHERE role = 'facilitator' AND qualified)
                           AS qualified_facilitators
                FROM hist_staff WHERE upload_id IN (SELECT upload_id FROM latest)
                GROUP BY upload_id
            ), activity AS (
                SELECT upload_id, sum(participants) AS participants,
                       sum(priority_participants) AS priority_participants
                FROM hist_activity WHERE upload_id IN (SELECT upload_id FROM latest)
                GROUP BY upload_id
            ), cooperation AS (
                SELECT upload_id, count(*) AS cooperation_actions
                FROM hist_cooperation WHERE upload_id IN (SELECT upload_id FROM latest)
                GROUP BY upload_id
            )
            SELECT p.epn_id, l.upload_id IS NOT NULL AS has_report, l.upload_id,
                   l.nonprofit, l.fees, l.label_sticker_displayed, l.charter_displayed,
                   coalesce(s.staff_rows, 0) AS staff_rows,
                   coalesce(s.qualified_facilitators, 0) AS qualified_facilitators,
                   coalesce(a.participants, 0) AS participants,
                   coalesce(a.priority_participants, 0) AS priority_participants,
                   coalesce(c.cooperation_actions, 0) AS cooperation_actions,
                   l.first_received_on, $deadline::DATE AS deadline,
                   $as_of::DATE > $deadline::DATE AS deadline_passed
            FROM labelled_periods p
            LEFT JOIN latest l USING (epn_id)
            LEFT JOIN staff s USING (upload_id)
            LEFT JOIN activity a USING (upload_id)
            LEFT JOIN cooperation c USING (upload_id)
            ORDER BY p.epn_id
            """,
            {"year": year, "as_of": as_of, "deadline": deadline},
        ).df()
    finally:
        con.unregister("labelled_periods")
