"""A tiny migration runner: numbered SQL files applied in order, one transaction each.

``migrate(con)`` brings a warehouse of any earlier version up to the newest migration the
code knows; ``migrate(con, stop_before=5)`` stops before migration 0005 (as sqlite-utils'
``apply(stop_before=)``), which the upgrade tests use to build warehouses of every earlier
version. A warehouse written by a newer version of the software is refused untouched.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from epn.errors import EpnError
from validation.charter.terms import shipped_terms

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
REFERENCE_DIR = Path(__file__).parent / "reference"
_NAME = re.compile(r"^(\d{4})_(\w+)\.sql$")


def available_migrations() -> list[tuple[int, str, Path]]:
    """(version, name, path) of every migration file, in order; two files of one number
    (two branches each adding one) are refused rather than both applied under one number."""
    found = []
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        match = _NAME.match(path.name)
        if match:
            found.append((int(match.group(1)), match.group(2), path))
    versions = [version for version, _, _ in found]
    duplicates = sorted({version for version in versions if versions.count(version) > 1})
    if duplicates:
        raise RuntimeError(
            f"several migration files share the number(s) {duplicates} in {MIGRATIONS_DIR}:"
            " renumber one of them"
        )
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


def migration_version(which: str | int) -> int:
    """The version of a migration named by number (5, "5", "0005"), file stem
    ("0005_reports") or name ("reports"); ValueError when no migration file matches."""
    known = available_migrations()
    if isinstance(which, bool) or not isinstance(which, int | str):
        raise TypeError(f"a migration is named by its number or file stem, not {which!r}")
    text = str(which).strip()
    stem = text.removesuffix(".sql")
    for version, name, path in known:
        if (text.isdigit() and int(text) == version) or stem in (path.stem, name):
            return version
    raise ValueError(
        f"no migration {which!r} in {MIGRATIONS_DIR}; known: "
        + ", ".join(path.stem for _, _, path in known)
    )


def migrate(con: duckdb.DuckDBPyConnection, stop_before: str | int | None = None) -> list[int]:
    """Applies, in order, the migrations not yet recorded (each in its own transaction, with
    its version row), stopping before ``stop_before`` if given; returns the versions applied.

    Raises ``EpnError("warehouse_newer_than_code")`` without changing anything when the
    warehouse records a version newer than the newest migration of this code.
    """
    known = available_migrations()
    newest_known = max(version for version, _, _ in known)
    stop = migration_version(stop_before) if stop_before is not None else None
    done = applied_versions(con)
    if done and max(done) > newest_known:
        raise EpnError(
            "warehouse_newer_than_code",
            path=_database_path(con),
            warehouse_version=f"{max(done):04d}",
            code_version=f"{newest_known:04d}",
        )
    applied = []
    for version, name, path in known:
        if stop is not None and version >= stop:
            break
        if version in done:
            continue
        sql = _placeholders(path.read_text(encoding="utf-8"))
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(sql)
            con.execute(
                "INSERT INTO schema_migration (version, name) VALUES (?, ?)", [version, name]
            )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        applied.append(version)
    return applied


def _placeholders(sql: str) -> str:
    """A migration's references to shipped data: the reference folder, the charter's default."""
    sql = sql.replace("{reference}", REFERENCE_DIR.as_posix())
    if "{charter_default}" in sql:
        sql = sql.replace("{charter_default}", _charter_default_rows())
    return sql


def _charter_default_rows() -> str:
    """The shipped charter versions as SQL VALUES rows (numbers and dates from our own file)."""

    def text(value: object) -> str:
        return "'" + str(value).replace("'", "''") + "'"

    return ", ".join(
        f"(DATE {text(v.effective_from)}, {text(v.name)}, {float(v.min_public_hours)},"
        f" {float(v.min_facilitated_hours)}, {int(v.hours_tolerance_weeks)},"
        f" {int(v.report_deadline_month)}, {int(v.report_deadline_day)},"
        f" {int(v.reporting_from)}, 'system', 'validation/charter/charter_terms.toml')"
        for v in shipped_terms()
    )


def _database_path(con: duckdb.DuckDBPyConnection) -> str:
    row = con.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    return row[0] if row and row[0] else ":memory:"
