"""The audit trail: who uploaded, corrected, decided or was refused what, and when."""

from __future__ import annotations

import json

import duckdb
import pandas as pd


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


def record_many(con: duckdb.DuckDBPyConnection, entries: list[tuple]) -> None:
    """Several entries (username, action, target, outcome, detail) in one statement, in order."""
    if not entries:
        return
    incoming_audit = pd.DataFrame(  # noqa: F841  scanned by its name
        [
            (user, action, target, outcome, json.dumps(detail, ensure_ascii=False, default=str))
            for user, action, target, outcome, detail in entries
        ],
        columns=["username", "action", "target", "outcome", "detail"],
    )
    con.execute(
        "INSERT INTO audit_log (username, action, target, outcome, detail)"
        " SELECT username, action, target, outcome, detail::JSON FROM incoming_audit"
    )


def recent(con: duckdb.DuckDBPyConnection, limit: int = 500, action: str | None = None):
    where, params = ("WHERE action = ?", [action]) if action else ("", [])
    return con.execute(
        f"SELECT occurred_at, username, action, target, outcome, detail FROM audit_log {where}"
        f" ORDER BY audit_id DESC LIMIT {int(limit)}",
        params,
    ).df()
