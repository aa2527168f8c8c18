"""Ingest: file -> guard -> parse (isolated) -> validate -> store, all or nothing per file.

A real run commits each file on its own; a dry run does the very same work inside one
transaction that is rolled back, so it reports exactly what a real run would.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from epn import audit
from epn.errors import EpnError
from epn.settings import Settings, get_settings
from ingest.guard import formulas_without_value, inspect_upload
from ingest.parse import parse_upload
from ingest.parsed import Parsed
from ingest.sandbox import run_isolated
from validation.records import problem
from warehouse import store
from warehouse.db import connect, transaction
from warehouse.finding_mart import refresh_epns


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


def parse_untrusted(upload: Upload, known: frozenset[str], settings: Settings) -> Parsed:
    try:
        container = inspect_upload(upload.data, upload.filename, settings)
        if container == "csv":
            return parse_upload(upload.data, container, known)
        formulas = formulas_without_value(upload.data, settings)
        if formulas:  # a blank would be taken for a missing value: say what to do instead
            return Parsed(
                None,
                [
                    problem(
                        "formula_without_value",
                        sheet,
                        int(cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")),
                        cell=cell,
                    )
                    for sheet, cell in formulas
                ],
            )
        return run_isolated(
            parse_upload,
            upload.data,
            container,
            known,
            timeout=settings.parse_timeout_seconds,
            memory_bytes=settings.parse_memory_bytes,
        )
    except EpnError as error:
        # a CSV can only be statistics; a refused workbook's kind cannot be known
        kind = "statistics" if upload.filename.lower().endswith(".csv") else None
        return Parsed(kind, [problem(error.code, **error.params)])


def known_epn_ids(con: duckdb.DuckDBPyConnection) -> frozenset[str]:
    return frozenset(
        r[0] for r in con.execute("SELECT DISTINCT epn_id FROM registry_event").fetchall()
    )


def ingest_one(con, upload: Upload, lang: str, settings: Settings, own_transaction: bool) -> dict:
    earlier = store.accepted_upload(con, upload.sha256)
    if earlier:
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
    parsed = parse_untrusted(upload, known_epn_ids(con), settings)
    errors = [p.to_dict(lang) for p in parsed.problems]
    status = "accepted" if parsed.accepted else "rejected"
    if own_transaction:
        with transaction(con):
            findings = write(con, upload, parsed, status, errors, lang)
    else:
        findings = write(con, upload, parsed, status, errors, lang)
    return outcome(upload, status, parsed.kind, parsed.epn_ids, parsed.year, errors, findings)


def write(con, upload: Upload, parsed: Parsed, status: str, errors: list, lang: str) -> list:
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
    if status != "accepted":
        return []
    store.store_parsed(con, upload_id, parsed)
    # the findings the upload touches, also kept in the mart the dashboards read
    found = refresh_epns(con, parsed.epn_ids, store.years_of(parsed))
    return [f.to_dict(lang) for f in found]


def ingest_uploads(uploads: list[Upload], *, db=None, dry_run=False, lang="fr") -> list[dict]:
    settings = get_settings()
    if dry_run:
        with connect(db) as con:
            con.execute("BEGIN TRANSACTION")
            try:
                return [ingest_one(con, u, lang, settings, own_transaction=False) for u in uploads]
            finally:
                con.execute("ROLLBACK")
    results = []
    for upload in uploads:
        with connect(db) as con:
            results.append(ingest_one(con, upload, lang, settings, own_transaction=True))
    return results


def uploads_from_paths(
    paths: list[Path], received_on: dt.date, user: str | None = None
) -> list[Upload]:
    return [Upload(Path(p).name, Path(p).read_bytes(), received_on, user) for p in paths]
