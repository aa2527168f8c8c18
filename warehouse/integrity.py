"""The derived layers checked against what they derive from, recomputed where they differ.

Current weekly facts (``cur_weekly``) are the latest accepted value of each key in the
history; the findings mart is what the charter engine says today; the outlier baselines are
computed from the current facts. A process killed at the wrong moment, or a bug, could leave
one of them behind: ``repair`` finds out and puts it right, in the caller's transaction.
"""

from __future__ import annotations

import datetime as dt

import duckdb

from warehouse import outlier_baseline
from warehouse.finding_mart import PENDING, refresh_all

# the current value of each (epn_id, week_start): its latest accepted upload's
LATEST_WEEKLY = (
    "SELECT h.* FROM hist_weekly h JOIN upload u USING (upload_id)"
    " WHERE u.status = 'accepted' AND {where}"
    " QUALIFY row_number() OVER (PARTITION BY h.epn_id, h.week_start ORDER BY h.upload_id DESC)"
    " = 1"
)


def rebuild_weekly(con: duckdb.DuckDBPyConnection, epn_ids: list[str] | None = None) -> None:
    """Current weekly facts of ``epn_ids`` (of every EPN when ``None``) from the history;
    the outlier baselines of the weeks concerned are forgotten (computed again when read)."""
    where, params = (
        ("TRUE", []) if epn_ids is None else ("list_contains(?::VARCHAR[], epn_id)", [epn_ids])
    )
    weeks = con.execute(
        f"SELECT min(week_start), max(week_start) FROM (SELECT week_start FROM cur_weekly"
        f" WHERE {where} UNION ALL SELECT week_start FROM hist_weekly WHERE {where})",
        params * 2,
    ).fetchone()
    con.execute(f"DELETE FROM cur_weekly WHERE {where}", params)
    latest = LATEST_WEEKLY.format(where=where.replace("epn_id", "h.epn_id"))
    con.execute(f"INSERT INTO cur_weekly {latest}", params)
    if weeks[0] is not None:
        outlier_baseline.forget(con, *weeks)


def weekly_differs(con: duckdb.DuckDBPyConnection) -> bool:
    latest = LATEST_WEEKLY.format(where="TRUE")
    row = con.execute(
        f"SELECT EXISTS (({latest}) EXCEPT ALL SELECT * FROM cur_weekly)"
        f" OR EXISTS (SELECT * FROM cur_weekly EXCEPT ALL ({latest}))"
    ).fetchone()
    return bool(row[0])


def _findings(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        "SELECT epn_id, year, code, severity, evidence::VARCHAR FROM mart_finding ORDER BY ALL"
    ).fetchall()


def repair(con: duckdb.DuckDBPyConnection, today: dt.date | None = None) -> list[str]:
    """Checks every derived layer, recomputing those that differ; the names recomputed.
    The findings mart is always refreshed (that is how it is compared); it differed when an
    upload's refresh never ran (``PENDING`` left behind) or its findings changed."""
    today = today or dt.date.today()
    repaired = []
    if weekly_differs(con):
        rebuild_weekly(con)
        repaired.append("cur_weekly")
    pending = con.execute("SELECT 1 FROM mart_refresh WHERE name = ?", [PENDING]).fetchone()
    before = _findings(con)
    refresh_all(con, today)
    if pending is not None or before != _findings(con):
        repaired.append("mart_finding")
    return repaired
