"""A tiny migration runner: numbered SQL files applied in order, one transaction each."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
REFERENCE_DIR = Path(__file__).parent / "reference"
_NAME = re.compile(r"^(\d{4})_(\w+)\.sql$")


def available_migrations() -> list[tuple[int, str, Path]]:
    found = []
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        match = _NAME.match(path.name)
        if match:
            found.append((int(match.group(1)), match.group(2), path))
    return found


def latest_version() -> int:
    return max(version for version, _, _ in available_migrations())


def applied_versions(con: duckdb.DuckDBPyConnection) -> set[int]:
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migration ("
        " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL,"
        " applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)"
    )
    return {row[0] for row in con.execute("SELECT version FROM schema_migration").fetchall()}


def migrate(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Applies the migrations not yet recorded; returns the versions it applied."""
    done = applied_versions(con)
    applied = []
    for version, name, path in available_migrations():
        if version in done:
            continue
        sql = path.read_text(encoding="utf-8").replace("{reference}", REFERENCE_DIR.as_posix())
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(sql)
            con.execute(
                "INSERT INTO schema_migration (version, name) VALUES (?, ?)", [version, name]
            )
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        applied.append(version)
    return applied
