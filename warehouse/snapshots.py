"""Published indicators: a frozen snapshot per reporting year, and how live figures differ.

Freezing stores the ``epn indicators --json`` document (and the details the page and the
annual report show beside it) as the year's published figures; a later freeze publishes
anew and keeps the earlier snapshots as history. Late corrections then change the live
figures only, and :func:`differences` shows by how much.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import duckdb

from validation.charter.terms import terms_for
from warehouse import audit
from warehouse.finding_mart import ensure_fresh
from warehouse.indicators import MEASURES, live_figures

ACTION = "indicators_freeze"


@dataclass(frozen=True)
class Snapshot:
    """A year's figures: published (frozen), or live when ``snapshot_id`` is None."""

    snapshot_id: int | None
    year: int
    frozen_at: dt.datetime | None
    frozen_by: str | None
    document: dict
    details: dict
    charter_version: int | None = None  # the charter version the year's findings were judged by

    @property
    def published(self) -> bool:
        return self.snapshot_id is not None


def freeze(con: duckdb.DuckDBPyConnection, year: int, frozen_by: str) -> Snapshot:
    """Publishes today's figures of ``year``; the caller holds the transaction."""
    ensure_fresh(con)  # today's breaches, as `epn indicators` would count them
    version = terms_for(year, con).version_id
    document, details = live_figures(con, year)
    snapshot_id = con.execute(
        "INSERT INTO indicator_snapshot (year, frozen_by, document, details, charter_version)"
        " VALUES (?, ?, ?, ?, ?) RETURNING snapshot_id",
        [year, frozen_by, _dumps(document), _dumps(details), version],
    ).fetchone()[0]
    audit.record(
        con, frozen_by, ACTION, str(year), "ok", snapshot_id=snapshot_id, charter_version=version
    )
    return _snapshot(con, "snapshot_id = ?", [snapshot_id])


def published(con: duckdb.DuckDBPyConnection, year: int) -> Snapshot | None:
    """The year's current (latest) snapshot, or None when the year was never published."""
    return _snapshot(
        con,
        "snapshot_id = (SELECT max(snapshot_id) FROM indicator_snapshot WHERE year = ?)",
        [year],
    )


def shown(con: duckdb.DuckDBPyConnection, year: int) -> Snapshot:
    """What the Region shows for ``year``: its published snapshot, else today's live figures.

    Live figures read the findings mart as it stands (refresh it first for exact figures).
    """
    snapshot = published(con, year)
    if snapshot is not None:
        return snapshot
    return Snapshot(
        None, year, None, None, *live_figures(con, year), terms_for(year, con).version_id
    )


def history(con: duckdb.DuckDBPyConnection, year: int) -> list[dict]:
    """Every snapshot of ``year``, latest first: snapshot_id, frozen_at, frozen_by."""
    rows = con.execute(
        "SELECT snapshot_id, frozen_at, frozen_by FROM indicator_snapshot WHERE year = ?"
        " ORDER BY snapshot_id DESC",
        [year],
    ).fetchall()
    return [{"snapshot_id": i, "frozen_at": at, "frozen_by": by} for i, at, by in rows]


def differences(published_document: dict, live_document: dict) -> list[dict]:
    """Every measure whose live value differs from the published one.

    One dict per difference: commune_nis (None for the Region), measure, published, live.
    """
    pairs = [(None, published_document["region"], live_document["region"])]
    live_communes = {c["commune_nis"]: c for c in live_document["communes"]}
    pairs += [
        (c["commune_nis"], c, live_communes.get(c["commune_nis"], {}))
        for c in published_document["communes"]
    ]
    return [
        {"commune_nis": nis, "measure": m, "published": old.get(m), "live": new.get(m)}
        for nis, old, new in pairs
        for m in MEASURES
        if old.get(m) != new.get(m)
    ]


def _snapshot(con, where: str, params: list) -> Snapshot | None:
    row = con.execute(
        "SELECT snapshot_id, year, frozen_at, frozen_by, document, details, charter_version"
        f" FROM indicator_snapshot WHERE {where}",
        params,
    ).fetchone()
    if row is None:
        return None
    *head, document, extra, version = row
    return Snapshot(*head, json.loads(document), json.loads(extra) if extra else {}, version)


def _dumps(document: object) -> str:
    return json.dumps(document, ensure_ascii=False, default=str)
