"""The annual report drafts (table ``report_draft``): one per EPN and year, kept between visits."""

from __future__ import annotations

import json

import duckdb


def read_draft(con: duckdb.DuckDBPyConnection, epn_id: str, year: int) -> dict | None:
    """{content, step, updated_by, updated_at} of the EPN's draft for ``year``, or None."""
    row = con.execute(
        "SELECT content, step, updated_by, updated_at FROM report_draft"
        " WHERE epn_id = ? AND year = ?",
        [epn_id, year],
    ).fetchone()
    if row is None:
        return None
    content, step, updated_by, updated_at = row
    return {
        "content": json.loads(content),
        "step": step,
        "updated_by": updated_by,
        "updated_at": updated_at,
    }


def write_draft(
    con: duckdb.DuckDBPyConnection, epn_id: str, year: int, content: dict, step: str, user: str
) -> None:
    con.execute(
        """
        INSERT INTO report_draft (epn_id, year, content, step, updated_by)
        VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (epn_id, year) DO UPDATE SET content = excluded.content,
            step = excluded.step, updated_by = excluded.updated_by,
            updated_at = now()::TIMESTAMP
        """,
        [epn_id, year, json.dumps(content, ensure_ascii=False, default=str), step, user],
    )


def delete_draft(con: duckdb.DuckDBPyConnection, epn_id: str, year: int) -> bool:
    """Drops the draft; whether there was one."""
    found = con.execute(
        "DELETE FROM report_draft WHERE epn_id = ? AND year = ? RETURNING epn_id", [epn_id, year]
    ).fetchall()
    return bool(found)
