"""The registry's append-only event store: events are added, never edited or deleted."""

from __future__ import annotations

import datetime as dt
import json

import duckdb

from epn.identifiers import checked_epn_id, normalize_epn_id
from registry.workflow import check_step


def current_status(con: duckdb.DuckDBPyConnection, epn_id: str) -> str | None:
    epn_id = normalize_epn_id(epn_id)
    row = con.execute(
        "SELECT status_after FROM registry_event WHERE epn_id = ? AND status_after IS NOT NULL"
        " ORDER BY event_id DESC LIMIT 1",
        [epn_id],
    ).fetchone()
    if row:
        return row[0]
    exists = con.execute(
        "SELECT 1 FROM registry_event WHERE epn_id = ? LIMIT 1", [epn_id]
    ).fetchone()
    return "applied" if exists else None


def append_event(
    con: duckdb.DuckDBPyConnection,
    epn_id: str,
    event: str,
    occurred_on: dt.date,
    *,
    data: dict | None = None,
    note: str | None = None,
    recorded_by: str | None = None,
    status_after: str | None = None,
) -> int:
    """Checks the identifier and the step against the current status, then appends it;
    returns the event id."""
    epn_id = checked_epn_id(epn_id)
    step = check_step(event, epn_id, current_status(con, epn_id))
    return con.execute(
        "INSERT INTO registry_event"
        " (epn_id, event, status_after, occurred_on, recorded_by, note, data)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING event_id",
        [
            epn_id,
            event,
            status_after or step.status_after,
            occurred_on,
            recorded_by,
            note,
            json.dumps(data, ensure_ascii=False, default=str) if data else None,
        ],
    ).fetchone()[0]


def history(con: duckdb.DuckDBPyConnection, epn_id: str) -> list[dict]:
    rows = con.execute(
        "SELECT event_id, event, status_after, occurred_on, recorded_at, recorded_by, note, data"
        " FROM registry_event WHERE epn_id = ? ORDER BY event_id",
        [epn_id],
    ).fetchall()
    keys = (
        "event_id",
        "event",
        "status_after",
        "occurred_on",
        "recorded_at",
        "recorded_by",
        "note",
        "data",
    )
    events = []
    for row in rows:
        event = dict(zip(keys, row, strict=True))
        event["occurred_on"] = event["occurred_on"].isoformat() if event["occurred_on"] else None
        event["recorded_at"] = event["recorded_at"].isoformat(timespec="seconds")
        event["data"] = json.loads(event["data"]) if event["data"] else {}
        events.append(event)
    return events
