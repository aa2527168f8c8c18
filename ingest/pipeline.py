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
from ingest.batch_findings import BatchFindings
from ingest.parse_ahead import ParsesAhead
from ingest.parsed import Parsed
from ingest.untrusted import PendingParse
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
    return PendingParse(upload.data, upload.filename, known, settings).parsed()


def known_epn_ids(con: duckdb.DuckDBPyConnection) -> frozenset[str]:
    return frozenset(
        r[0] for r in con.execute("SELECT DISTINCT epn_id FROM registry_event").fetchall()
    )


def ingest_uploads(uploads: list[Upload], *, db=None, dry_run=False, lang="fr") -> list[dict]:
    with connect(db) as con:
        if not dry_run:
            return ingest_batch(con, uploads, lang, own_transactions=True)
        con.execute("BEGIN TRANSACTION")
        try:
            return ingest_batch(con, uploads, lang, own_transactions=False)
        finally:
            con.execute("ROLLBACK")


def ingest_batch(con, uploads: list[Upload], lang: str, own_transactions: bool) -> list[dict]:
    accepted = store.accepted_among(con, [u.sha256 for u in uploads])
    parses = ParsesAhead(uploads, known_epn_ids(con), get_settings(), accepted)
    findings = BatchFindings()
    try:
        results = [
            ingest_one(con, upload, index, parses, findings, lang, own_transactions)
            for index, upload in enumerate(uploads)
        ]
    finally:
        parses.close()
    with transaction(con) if own_transactions else nullcontext():
        findings.refresh(con, lang)
    return results


def ingest_one(con, upload, index, parses, findings, lang, own_transaction) -> dict:
    earlier = store.accepted_upload(con, upload.sha256)
    if earlier:
        parses.skipped(index)
        audit.record(
            con,
            upload.uploaded_by,
            "upload",
            upload.filename,
            "duplicate",
            sha256=upload.sha256,
            same_as_upload=earlier[0],
        )
        return outcome(upload, "duplicate", earlier[1], earlier[2], earlier[3], [])
    parsed = parses.parsed(index)
    errors = [p.to_dict(lang) for p in parsed.problems]
    status = "accepted" if parsed.accepted else "rejected"
    result = outcome(upload, status, parsed.kind, parsed.epn_ids, parsed.year, errors)
    with transaction(con) if own_transaction else nullcontext():
        write(con, upload, parsed, status, errors)
        if parsed.accepted:
            findings.touched(con, result, parsed.epn_ids, store.years_of(parsed))
    return result


def write(con, upload: Upload, parsed: Parsed, status: str, errors: list) -> None:
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


def uploads_from_paths(
    paths: list[Path], received_on: dt.date, user: str | None = None
) -> list[Upload]:
    return [Upload(Path(p).name, Path(p).read_bytes(), received_on, user) for p in paths]
