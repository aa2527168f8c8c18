"""Backup, restoration and integrity check of the warehouse: the coordinator's (or the
administrator's) tools. Each checks the principal, does its work and leaves an audit row:
a backup in the warehouse it copied, a restoration in the warehouse it put back, a check
that had to recompute something in the warehouse it checked."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from epn.principal import ADMIN, COORDINATOR, Principal
from epn.settings import get_settings, warehouse_path
from services.access import require_role
from warehouse import audit, backup, integrity
from warehouse.db import connect, transaction
from warehouse.migrate import latest_version


def backup_warehouse(principal: Principal, target: Path | None = None, db=None) -> backup.Backup:
    """A consistent copy of the warehouse at ``target`` (default: a dated file in
    ``EPN_BACKUP_DIR``); dated backups beyond ``EPN_BACKUP_KEEP`` in its folder are deleted."""
    require_role(principal, COORDINATOR, ADMIN, what="warehouse.backup")
    source = warehouse_path(db)
    path = backup.backup_target(target)
    with connect(source) as con:
        made = backup.copy_warehouse(con, source, path)
        audit.record(con, principal.username, "backup", str(path), "written", bytes=made.size_bytes)
    if backup.DATED.match(path.name):
        made.removed = backup.rotate(path.parent, get_settings().backup_keep)
    return made


@dataclass
class Restored:
    backup: Path
    target: Path
    version: int
    relations: int
    kept: Path | None


def restore_warehouse(principal: Principal, source: Path, db=None) -> Restored:
    """Puts the backup ``source`` in place of the warehouse once it is known to be whole."""
    require_role(principal, COORDINATOR, ADMIN, what="warehouse.restore")
    target = warehouse_path(db)
    staged = backup.stage(Path(source), target)
    try:
        with connect(staged.path) as con, transaction(con):
            repaired = integrity.repair(con)
            audit.record(
                con, principal.username, "restore", str(source), "restored", repaired=repaired
            )
        kept = backup.put_in_place(staged.path, target)
    finally:
        staged.path.unlink(missing_ok=True)
    return Restored(Path(source), target, staged.version, staged.relations, kept)


@dataclass
class Checked:
    path: Path
    version: int
    relations: dict[str, int]
    repaired: list[str]


def check_warehouse(principal: Principal, db=None, today: dt.date | None = None) -> Checked:
    """Reads every table and view whole, then checks the derived layers against the history,
    recomputing those that differ (in one transaction, audited when something was)."""
    require_role(principal, COORDINATOR, ADMIN, what="warehouse.check")
    path = warehouse_path(db)
    with connect(path) as con:
        counts = backup.read_every_relation(con)
        with transaction(con):
            repaired = integrity.repair(con, today)
            if repaired:
                audit.record(
                    con, principal.username, "check", str(path), "repaired", parts=repaired
                )
    return Checked(path, latest_version(), counts, repaired)
