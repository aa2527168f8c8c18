"""Ingest: file -> guard -> parse (isolated) -> validate -> store, all or nothing per file.

A batch is stored in order, each file committed on its own, while the workbooks after it are
already being parsed in child processes (``parse_ahead``); the charter findings are
refreshed once, for every EPN and year the batch touched (``batch_findings``). A dry run does
the very same work inside one transaction that is rolled back, so it reports exactly what a
real run would.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from epn import audit
from epn.settings import get_settings
from ingest import untrusted
from ingest.batch_findings import BatchFindings
from ingest.parse_ahead import ParsesAhead
from ingest.parsed import Parsed
from warehouse import store
from warehouse.db import connect, transaction


@dataclass
class Upload:
    filename: str
    data: bytes
    received_on: dt.date
    uploaded_by: str | None = None
    sha256: str = field(init=False)

    def __post_init__(self) -> None:
        self.sha256 = hashlib.sha256(self.data).hexdigest()


def outcome(upload: Upload, status: str, kind, epn_ids, year, errors, findings=()) -> dict:
    return {
        "file": upload.filename,
        "status": status,
        "kind": kind,
        "epn_ids": list(epn_ids or []),
        "year": year,
        "errors": list(errors),
        "findings": list(findings),
    }


def parse_untrusted(upload: Upload, known: frozenset[str], settings) -> Parsed:
    """One upload's guard and parse, on its own (a batch parses ahead: ``ParsesAhead``)."""
    return untrusted.parse_untrusted(upload.data, upload.filename, known, settings)


def known_epn_ids(con: duckdb.DuckDBPyConnection) -> frozenset[str]:
    return frozenset(
        r[0] for r in con.execute("SELECT DISTINCT epn_id FROM registry_event").fetchall()
    )


def ingest_uploads(uploads: list[Upload], *, db=None, dry_run=False, lang="fr") -> list[dict]:
    with connect(db) as con:
        if not dry_run:
            return Batch(con, uploads, lang, own_transactions=True).ingest()
        con.execute("BEGIN TRANSACTION")
        try:
            return Batch(con, uploads, lang, own_transactions=False).ingest()
        finally:
            con.execute("ROLLBACK")


class Batch:
    """The uploads of one call, stored in order on one connection (held throughout, as a
    command holds the warehouse); each file in its own transaction unless in a dry run."""

    def __init__(self, con, uploads: list[Upload], lang: str, own_transactions: bool):
        self.con, self.uploads, self.lang = con, uploads, lang
        self.own_transactions = own_transactions
        # sha256 -> (upload_id, kind, epn_ids, year) of its first accepted upload; kept up to
        # date by the batch itself, the only writer while it holds the warehouse
        self.accepted = store.accepted_among(con, [u.sha256 for u in uploads])
        self.parses = ParsesAhead(uploads, known_epn_ids(con), get_settings(), set(self.accepted))
        self.findings = BatchFindings()

    def ingest(self) -> list[dict]:
        try:
            results = [self.ingest_one(index, upload) for index, upload in enumerate(self.uploads)]
        finally:
            self.parses.close()
        with self.unit_of_work():
            self.findings.refresh(self.con, self.lang)
        return results

    def unit_of_work(self):
        return transaction(self.con) if self.own_transactions else nullcontext()

    def ingest_one(self, index: int, upload: Upload) -> dict:
        earlier = self.accepted.get(upload.sha256)
        if earlier:
            self.parses.skipped(index)
            audit.record(
                self.con,
                upload.uploaded_by,
                "upload",
                upload.filename,
                "duplicate",
                sha256=upload.sha256,
                same_as_upload=earlier[0],
            )
            return outcome(upload, "duplicate", earlier[1], earlier[2], earlier[3], [])
        parsed = self.parses.parsed(index)
        errors = [p.to_dict(self.lang) for p in parsed.problems]
        status = "accepted" if parsed.accepted else "rejected"
        result = outcome(upload, status, parsed.kind, parsed.epn_ids, parsed.year, errors)
        with self.unit_of_work():
            upload_id = write(self.con, upload, parsed, status, errors)
            if parsed.accepted:
                self.findings.touched(self.con, result, parsed.epn_ids, store.years_of(parsed))
        if parsed.accepted:
            self.accepted[upload.sha256] = (upload_id, parsed.kind, parsed.epn_ids, parsed.year)
        return result


def write(con, upload: Upload, parsed: Parsed, status: str, errors: list) -> int:
    upload_id = store.record_upload(
        con,
        sha256=upload.sha256,
        filename=upload.filename,
        size_bytes=len(upload.data),
        kind=parsed.kind,
        received_on=upload.received_on,
        uploaded_by=upload.uploaded_by,
        status=status,
        epn_ids=parsed.epn_ids,
        year=parsed.year,
        errors=errors,
    )
    audit.record(
        con,
        upload.uploaded_by,
        "upload",
        upload.filename,
        status,
        upload_id=upload_id,
        kind=parsed.kind,
        epn_ids=parsed.epn_ids,
        year=parsed.year,
        errors=len(errors),
    )
    if status == "accepted":
        store.store_parsed(con, upload_id, parsed)
    return upload_id


def uploads_from_paths(
    paths: list[Path], received_on: dt.date, user: str | None = None
) -> list[Upload]:
    return [Upload(Path(p).name, Path(p).read_bytes(), received_on, user) for p in paths]
