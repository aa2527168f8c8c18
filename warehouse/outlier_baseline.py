"""Each EPN's own history for the outlier review (``dashboards.queries.coordinator_outliers``).

The robust statistics of 52 weeks of every EPN (a median and a MAD per measure, over about a
million rows at national scale) cost more than the rest of the coordinator's page; they only
change when the window moves or a statistics upload touches its weeks. So they are computed
once per window into ``mart_outlier_baseline`` and read from there; ``forget`` (called when
weekly statistics are stored) deletes the windows an upload changes.
"""

from __future__ import annotations

import datetime as dt

import duckdb

MEASURES = ("visits", "public_hours")
MIN_HISTORY = 8  # open weeks a baseline needs before it says anything
KEPT_WINDOWS = 24  # the windows computed last; the window moves every week of the year

BASE = "status = 'open' AND week_start BETWEEN $base_start AND $base_end"
COMPUTE = f"""
INSERT INTO mart_outlier_baseline
WITH stats AS (
    SELECT epn_id, count(*)::INTEGER AS history_weeks,
           median(visits) AS visits_median, mad(visits) AS visits_mad,
           median(public_hours) AS public_hours_median, mad(public_hours) AS public_hours_mad
    FROM cur_weekly WHERE {BASE}
    GROUP BY epn_id HAVING count(*) >= {MIN_HISTORY}
), mean_ad AS (  -- only where more than half of the history is one value (MAD = 0)
    SELECT w.epn_id, avg(abs(w.visits - s.visits_median)) AS visits_mean_ad,
           avg(abs(w.public_hours - s.public_hours_median)) AS public_hours_mean_ad
    FROM cur_weekly w JOIN stats s USING (epn_id)
    WHERE {BASE} AND (s.visits_mad = 0 OR s.public_hours_mad = 0)
    GROUP BY w.epn_id
)
SELECT $base_start, $base_end, s.epn_id, s.history_weeks,
       s.visits_median, s.visits_mad, m.visits_mean_ad,
       s.public_hours_median, s.public_hours_mad, m.public_hours_mean_ad
FROM stats s LEFT JOIN mean_ad m USING (epn_id)
"""


def ensure(con: duckdb.DuckDBPyConnection, base_start: dt.date, base_end: dt.date) -> bool:
    """Computes the window's baseline unless it is there; True if it did. The caller holds
    the transaction."""
    window = {"base_start": base_start, "base_end": base_end}
    known = con.execute(
        "SELECT 1 FROM mart_outlier_window WHERE base_start = $base_start AND base_end = $base_end",
        window,
    ).fetchone()
    if known:
        return False
    con.execute(COMPUTE, window)
    con.execute(
        "INSERT INTO mart_outlier_window (base_start, base_end) VALUES (?, ?)",
        [base_start, base_end],
    )
    _prune(con)
    return True


def _prune(con: duckdb.DuckDBPyConnection) -> None:
    """Keeps the windows computed last: a window left behind is computed again if asked."""
    con.execute(
        "DELETE FROM mart_outlier_window WHERE (base_start, base_end) NOT IN ("
        " SELECT (base_start, base_end) FROM mart_outlier_window"
        f" ORDER BY computed_at DESC, base_end DESC LIMIT {KEPT_WINDOWS})"
    )
    con.execute(
        "DELETE FROM mart_outlier_baseline b WHERE NOT EXISTS (SELECT 1 FROM mart_outlier_window"
        " w WHERE w.base_start = b.base_start AND w.base_end = b.base_end)"
    )


def forget(con: duckdb.DuckDBPyConnection, first_week: dt.date, last_week: dt.date) -> None:
    """Deletes the windows whose history holds a week from ``first_week`` to ``last_week``."""
    overlap = "base_start <= ? AND base_end >= ?"
    for table in ("mart_outlier_baseline", "mart_outlier_window"):
        con.execute(f"DELETE FROM {table} WHERE {overlap}", [last_week, first_week])
