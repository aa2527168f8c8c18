"""The audit trail: who uploaded, corrected, decided or was refused what, and when."""

from __future__ import annotations

import json

import duckdb


def record(
    con: duckdb.DuckDBPyConnection,
    username: str | None,
    action: str,
    target: str | None,
    outcome: str,
    **detail: object,
) -> None:
    con.execute(
        "INSERT INTO audit_log (username, action, target, outcome, detail) VALUES (?, ?, ?, ?, ?)",
        [username, action, target, outcome, json.dumps(detail, ensure_ascii=False, default=str)],
    )


def recent(con: duckdb.DuckDBPyConnection, limit: int = 500, action: str | None = None):
    where, params = ("WHERE action = ?", [action]) if action else ("", [])
    return con.execute(
        f"SELECT occurred_at, username, action, target, outcome, detail FROM audit_log {where}"
        f" ORDER BY audit_id DESC LIMIT {int(limit)}",
        params,
    ).df()
