"""Short-lived connections to the one DuckDB file.

DuckDB lets a single process hold the file read-write and no other process open it at all,
so every command and every page opens the warehouse, does its work and closes it at once,
waiting (with backoff) while another process holds it. The app and the CLI can then run
side by side.
"""

from __future__ import annotations

import errno
import random
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

import duckdb

from epn.errors import EpnError, WarehouseBusy
from epn.settings import get_settings, warehouse_path
from validation.charter.terms import all_terms
from warehouse.migrate import latest_version, migrate

_migrated: set[str] = set()
# DuckDB already keeps other processes out; this keeps the app's own threads from
# interleaving two units of work (say two uploads of the same file) in one process.
_process_lock = threading.RLock()


def _is_lock_conflict(error: duckdb.Error) -> bool:
    text = str(error).lower()
    return "lock" in text and ("conflicting" in text or "could not set" in text)


def open_connection(
    path: Path | str, wait_seconds: float | None = None
) -> duckdb.DuckDBPyConnection:
    path = Path(path)
    if str(path) != ":memory:":
        path.parent.mkdir(parents=True, exist_ok=True)
    wait = get_settings().lock_wait_seconds if wait_seconds is None else wait_seconds
    deadline = time.monotonic() + wait
    delay = 0.01
    while True:
        try:
            return duckdb.connect(str(path))
        except duckdb.IOException as error:
            if not _is_lock_conflict(error):
                raise _unreadable(error, path) from None
            if time.monotonic() >= deadline:
                raise WarehouseBusy("warehouse_busy", path=path, seconds=round(wait)) from None
        except duckdb.Error as error:
            raise _unreadable(error, path) from None
        time.sleep(delay + random.random() * delay)
        delay = min(delay * 2, 0.25)


def _unreadable(error: duckdb.Error, path: Path) -> EpnError:
    """Why the file cannot be opened, with the way back (the last backup)."""
    return explain_failure(error, path) or EpnError(
        "warehouse_unreadable", path=path, backups=backup_dir(), detail=error
    )


@contextmanager
def connect(path: Path | str | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A migrated connection, closed on exit so that other processes can get in (or, within
    ``held_open``, left open for the next unit of work of the same page)."""
    path = warehouse_path(path)
    with _process_lock:
        held = _held.get()
        con = held.get(str(path)) if held is not None else None
        if con is None:
            con = open_connection(path)
            if held is not None:
                held[str(path)] = con
        try:
            ensure_migrated(con, path)
            yield con
        except (duckdb.Error, OSError) as error:
            plain = explain_failure(error, path)
            if plain is None:
                raise
            raise plain from error
        finally:
            if held is None:
                con.close()


# What DuckDB (or the system) says when the disk or a quota is full, or the file too large.
_NO_ROOM_ERRNOS = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT}
_NO_ROOM_TEXTS = ("no space left", "file too large", "disk quota")
# What it says when the file is damaged: truncated, altered, or not a warehouse at all.
_DAMAGE_TEXTS = ("corrupt", "checksum", "could not read enough bytes", "not a valid duckdb")


def explain_failure(error: BaseException, path: Path | str) -> EpnError | None:
    """A full disk or a damaged file, said in plain words with what to do (restore the last
    backup); ``None`` for any other failure, which stays what it is."""
    if isinstance(error, OSError) and error.errno in _NO_ROOM_ERRNOS:
        return EpnError("disk_full", path=path, detail=error.strerror or error)
    if not isinstance(error, duckdb.Error | OSError):
        return None
    text = str(error).lower()
    if any(words in text for words in _NO_ROOM_TEXTS):
        return EpnError("disk_full", path=path, detail=error)
    if any(words in text for words in _DAMAGE_TEXTS):
        return EpnError("warehouse_damaged", path=path, backups=backup_dir(), detail=error)
    return None


def backup_dir() -> Path:
    return Path(get_settings().backup_dir)


# path -> connection kept open by ``held_open`` in this context (a page's script run)
_held: ContextVar[dict[str, duckdb.DuckDBPyConnection] | None] = ContextVar("held", default=None)


@contextmanager
def held_open() -> Iterator[None]:
    """One connection for every unit of work within: opening the file costs about 20 ms,
    more than most of a page's queries. The file stays locked meanwhile (a page's run), so
    other processes wait for it as they would for any unit of work."""
    token = _held.set({})
    try:
        yield
    finally:
        for con in _held.get().values():
            con.close()
        _held.reset(token)


def ensure_migrated(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Migrates once per file and process, and again if the file was replaced meanwhile."""
    key = str(path.resolve()) if str(path) != ":memory:" else ""
    up_to_date = _schema_version(con) == latest_version()
    if key not in _migrated or not up_to_date:
        if not up_to_date:  # the common case, at every command's start, costs one query
            migrate(con)
        _migrated.add(key)
        all_terms(con)  # the charter's versions, for callers of terms_for without a connection


def _schema_version(con: duckdb.DuckDBPyConnection) -> int:
    try:
        return con.execute("SELECT coalesce(max(version), 0) FROM schema_migration").fetchone()[0]
    except duckdb.CatalogException:
        return 0


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All or nothing: nothing of a failed unit of work stays in the warehouse."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
