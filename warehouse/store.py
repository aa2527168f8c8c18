"""Writes of accepted and rejected uploads. Callers hold the transaction.

Tables are loaded set-wise from DataFrames (never row by row): DuckDB scans them directly.
"""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import pandas as pd

WEEKLY_FIELDS = (
    "epn_id, week_start, status, closure_reason, public_hours, facilitated_hours,"
    " visits, unique_users, new_users"
)


def accepted_upload(con: duckdb.DuckDBPyConnection, sha256: str) -> tuple | None:
    return con.execute(
        "SELECT upload_id, kind, epn_ids, year FROM upload"
        " WHERE sha256 = ? AND status = 'accepted' ORDER BY upload_id LIMIT 1",
        [sha256],
    ).fetchone()


def accepted_among(con: duckdb.DuckDBPyConnection, sha256s: list[str]) -> dict[str, tuple]:
    """sha256 -> what ``accepted_upload`` says of it, for those of ``sha256s`` accepted."""
    rows = con.execute(
        "SELECT sha256, upload_id, kind, epn_ids, year FROM upload"
        " WHERE status = 'accepted' AND list_contains(?::VARCHAR[], sha256)"
        " QUALIFY row_number() OVER (PARTITION BY sha256 ORDER BY upload_id) = 1",
        [sha256s],
    ).fetchall()
    return {sha256: tuple(rest) for sha256, *rest in rows}


def record_upload(
    con: duckdb.DuckDBPyConnection,
    *,
    sha256: str,
    filename: str,
    size_bytes: int,
    kind: str | None,
    received_on: dt.date,
    uploaded_by: str | None,
    status: str,
    epn_ids: list[str],
    year: int | None,
    errors: list[dict],
) -> int:
    return con.execute(
        "INSERT INTO upload (sha256, filename, size_bytes, kind, received_on, uploaded_by,"
        " status, epn_ids, year, errors) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " RETURNING upload_id",
        [
            sha256,
            filename,
            size_bytes,
            kind,
            received_on,
            uploaded_by,
            status,
            epn_ids,
            year,
            json.dumps(errors, ensure_ascii=False),
        ],
    ).fetchone()[0]


def store_weekly(con: duckdb.DuckDBPyConnection, upload_id: int, weekly: pd.DataFrame) -> None:
    """History gets every row; current facts are replaced by key (epn_id, week_start)."""
    # scanned by its name: a replacement scan, no view to create and drop (``register``)
    incoming_weekly = weekly  # noqa: F841
    con.execute(
        f"INSERT INTO hist_weekly (upload_id, source_row, {WEEKLY_FIELDS})"
        f' SELECT {upload_id}, "_row", {WEEKLY_FIELDS} FROM incoming_weekly'
    )
    con.execute(
        "DELETE FROM cur_weekly c USING incoming_weekly n"
        " WHERE c.epn_id = n.epn_id AND c.week_start = n.week_start"
    )
    con.execute(f"INSERT INTO cur_weekly SELECT * FROM hist_weekly WHERE upload_id = {upload_id}")


def store_parsed(con: duckdb.DuckDBPyConnection, upload_id: int, parsed) -> None:
    """Dispatches the typed tables of an accepted upload to their history tables."""
    if parsed.kind == "annual_report":
        from warehouse.store_report import store_report  # the annual report's tables

        store_report(con, upload_id, parsed)
    weekly = parsed.tables.get("weekly")
    if weekly is not None and len(weekly):
        store_weekly(con, upload_id, weekly)


def years_of(parsed) -> list[int]:
    weekly = parsed.tables.get("weekly")
    years = set() if weekly is None else {d.isocalendar()[0] for d in weekly["week_start"].dropna()}
    if parsed.year:
        years.add(parsed.year)
    return sorted(years)
