"""Backups of the warehouse file and their restoration.

A backup is the warehouse file itself, copied while this process holds it: DuckDB lets one
process open the file at a time, so while we hold it, the file and its write-ahead log (the
changes committed since the last checkpoint) are a consistent copy. A child process copies
them: DuckDB's lock is a POSIX record lock, which a process loses as soon as it closes *any*
descriptor of the file, so reading the file from the holding process itself would let
another process in mid-copy (seen: a duplicate key in the audit log). The copy then takes
its log in (opened and closed on its own) to become one file. The app and other commands
wait meanwhile, as for any unit of work. The copy is written beside its target under a
temporary name, read back whole, and only then renamed: a failed backup (a full disk, a
damaged warehouse) leaves the earlier ones untouched.

A restoration works the other way round on a copy of the backup: it must open, its schema
must not be newer than the code (older ones are migrated), every table and view must read,
and the derived layers are checked (``warehouse.integrity``); then it replaces the warehouse
in one rename, the replaced file kept beside it.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from epn.errors import EpnError
from warehouse.db import backup_dir, explain_failure, open_connection
from warehouse.migrate import migrate

STAMP = "%Y%m%d-%H%M%S"
# the dated backups that rotation may delete; a file named by the user is never deleted
DATED = re.compile(r"^epn-\d{8}-\d{6}(-\d+)?\.duckdb$")


@dataclass
class Backup:
    path: Path
    size_bytes: int
    relations: int
    removed: list[Path] = field(default_factory=list)


def relations(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every table and view of the warehouse (the schema's, not the system's)."""
    rows = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()"
        " AND NOT temporary UNION ALL"
        " SELECT view_name FROM duckdb_views() WHERE database_name = current_database()"
        " AND NOT internal AND NOT temporary ORDER BY 1"
    ).fetchall()
    return [name for (name,) in rows]


def read_every_relation(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Reads every row and column of every table and view (DuckDB verifies each block's
    checksum as it reads it); their row counts. Raises the DuckDB error of the first that
    does not read."""
    counts = {}
    for name in relations(con):
        # hashing the whole row makes DuckDB read every column, not just count the rows
        counts[name] = con.execute(f'SELECT count(*), bit_xor(hash(r)) FROM "{name}" r').fetchone()[
            0
        ]
    return counts


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    try:
        return con.execute("SELECT coalesce(max(version), 0) FROM schema_migration").fetchone()[0]
    except duckdb.CatalogException:
        return 0


def dated_name(now: dt.datetime | None = None) -> str:
    return f"epn-{(now or dt.datetime.now()).strftime(STAMP)}.duckdb"


def backup_target(target: Path | None) -> Path:
    """The file to write: ``target``, or a dated file in it when it is a directory, or a
    dated file in the backup directory (``EPN_BACKUP_DIR``) when not given."""
    folder = backup_dir() if target is None else target if target.is_dir() else None
    if folder is None:
        return target
    stem = dated_name().removesuffix(".duckdb")
    path, n = folder / f"{stem}.duckdb", 1
    while path.exists():  # two backups within a second
        path, n = folder / f"{stem}-{n}.duckdb", n + 1
    return path


def copy_warehouse(con: duckdb.DuckDBPyConnection, source: Path, target: Path) -> Backup:
    """Copies the warehouse held by ``con`` (the caller's, so nobody writes meanwhile) to
    ``target``, read back whole before it takes its name."""
    if target.resolve() == source.resolve():
        raise EpnError("backup_same_file", path=target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    partial_log = Path(f"{partial}.wal")
    try:
        copy_aside([(source, partial), (Path(f"{source}.wal"), partial_log)])
        try:
            duckdb.connect(str(partial)).close()  # takes the log in, as a reopened file does
            counts = read_back(partial)
        except duckdb.Error as error:
            raise EpnError(
                "backup_source_damaged", path=source, backups=target.parent, detail=error
            ) from None
        os.replace(partial, target)
    except OSError as error:
        raise explain_failure(error, target) or error from None
    finally:
        partial.unlink(missing_ok=True)
        partial_log.unlink(missing_ok=True)
    return Backup(target, target.stat().st_size, len(counts))


# run by a child process: copies each (source, target) that exists; on an OSError, prints
# its errno and exits 3
_COPY = """
import shutil, sys
pairs = sys.argv[1:]
try:
    for source, target in zip(pairs[::2], pairs[1::2]):
        try:
            shutil.copyfile(source, target)
        except FileNotFoundError:
            if not source.endswith(".wal"):
                raise
except OSError as error:
    print(error.errno or 0, error.strerror or error)
    sys.exit(3)
"""


def copy_aside(pairs: list[tuple[Path, Path]]) -> None:
    """Copies files in a child process (see the module's docstring); an OSError there is
    raised here with its errno, so that a full disk is said as such."""
    args = [str(p) for pair in pairs for p in pair]
    done = subprocess.run(
        [sys.executable, "-c", _COPY, *args], capture_output=True, text=True, check=False
    )
    if done.returncode == 0:
        return
    number, _, text = done.stdout.strip().partition(" ")
    if done.returncode == 3 and number.isdigit():
        raise OSError(int(number), text)
    raise OSError(done.stderr.strip() or f"copy failed ({done.returncode})")


def read_back(path: Path) -> dict[str, int]:
    """Opens a copy read-only and reads it whole; raises DuckDB's error if it does not."""
    with duckdb.connect(str(path), read_only=True) as copy:
        return read_every_relation(copy)


def rotate(folder: Path, keep: int) -> list[Path]:
    """Deletes the dated backups of ``folder`` beyond the ``keep`` newest; those deleted."""
    dated = sorted(p for p in folder.iterdir() if p.is_file() and DATED.match(p.name))
    old = dated[: max(len(dated) - max(keep, 1), 0)]
    for path in old:
        path.unlink()
    return old


@dataclass
class Staged:
    """A backup copied beside the warehouse, migrated and read whole: ready to take its place."""

    path: Path
    version: int
    relations: int


def stage(backup: Path, target: Path) -> Staged:
    """Copies ``backup`` beside ``target`` and checks it; refuses (``restore_refused``,
    nothing left behind) one that does not open, is newer than the code or does not read."""
    if not backup.is_file():
        raise EpnError("file_not_found", path=backup)
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = target.with_name(f".{target.name}.restoring")
    Path(f"{staged}.wal").unlink(missing_ok=True)
    try:
        shutil.copyfile(backup, staged)
        try:
            con = open_connection(staged, wait_seconds=0)
        except EpnError as error:
            raise _refused(backup, target, error.params.get("detail", error)) from None
        try:
            if schema_version(con) == 0:
                raise _refused(backup, target, "schema_migration ?")
            migrate(con)  # refuses a newer schema untouched; brings an older one up to date
            counts = read_every_relation(con)
            version = schema_version(con)
        except EpnError as error:
            raise _refused(backup, target, error.message("en")) from None
        except duckdb.Error as error:
            raise _refused(backup, target, error) from None
        finally:
            con.close()
    except BaseException as error:
        staged.unlink(missing_ok=True)
        no_room = explain_failure(error, target) if isinstance(error, OSError) else None
        if no_room is not None:
            raise no_room from None
        raise
    return Staged(staged, version, len(counts))


def _refused(backup: Path, target: Path, detail: object) -> EpnError:
    return EpnError(
        "restore_refused", path=backup, target=target, backups=backup_dir(), detail=detail
    )


def put_in_place(staged: Path, target: Path) -> Path | None:
    """Replaces ``target`` by ``staged`` in one rename, keeping the replaced file beside it
    (its path returned), with its log of recent changes. A process in a unit of work on the
    replaced file at that instant finishes it there, in the kept file."""
    if not target.exists():
        os.replace(staged, target)
        return None
    kept = target.with_name(f"{target.name}.before-restore-{dt.datetime.now().strftime(STAMP)}")
    os.replace(target, kept)
    log = Path(f"{target}.wal")
    if log.exists():
        os.replace(log, f"{kept}.wal")
    os.replace(staged, target)
    return kept
