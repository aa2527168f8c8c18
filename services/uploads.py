"""Uploads: file -> guard -> parse (isolated) -> validate -> store, all or nothing per file.

``submit`` is the service the app and ``epn ingest`` call: it checks who files what (an EPN
user files for its own EPN only), stamps each file's receipt date, then ingests. The receipt
date counts for the annual report's deadline, so it is the server's date: only the
coordinator may record an earlier one, for a file that came by post or email, with the
channel and a note (a :class:`Receipt`); ``epn ingest --received-on`` records its date as a
receipt of the channel ``command_line``. The audit entry of each upload names its receipt.

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
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb

from epn.errors import EpnError
from epn.parsed import Parsed
from epn.principal import SYSTEM, Principal
from epn.records import problem
from epn.settings import get_settings
from services.access import AccessDenied, can, upload_scope
from validation import untrusted
from validation.parse_ahead import ParsesAhead
from warehouse import audit, store
from warehouse.db import connect, explain_failure, transaction

RECEIPT_CHANNELS = ("post", "email")  # how a file may reach the coordinator besides the app
COMMAND_LINE = "command_line"  # the channel of a date given by ``epn ingest --received-on``


@dataclass(frozen=True)
class Receipt:
    """A receipt date other than the server's, as the coordinator recorded it."""

    received_on: dt.date
    channel: str  # post | email | command_line
    note: str


@dataclass
class Upload:
    filename: str
    data: bytes
    received_on: dt.date
    uploaded_by: str | None = None
    receipt: Receipt | None = None  # set by the coordinator only; see stamp_receipt
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


def submit(
    principal: Principal, uploads: list[Upload], *, db=None, dry_run=False, lang="fr"
) -> list[dict]:
    """Ingests ``uploads`` (or only checks them when ``dry_run``) for ``principal``.

    An EPN user files for its own EPN only: each file is checked first, without writing, and
    one that names another EPN is refused (``AccessDenied``) before anything is written.
    """
    scope = upload_scope(principal)
    uploads = [stamp_receipt(principal, upload) for upload in uploads]
    if scope.epn_ids is not None:
        probes = ingest_uploads(uploads, db=db, dry_run=True, lang=lang)
        others = sorted({e for p in probes for e in p["epn_ids"] if not scope.keeps(e)})
        if others:
            raise AccessDenied("app.upload.other_epns", epn_ids=", ".join(others))
        if dry_run:
            return probes
    return ingest_uploads(uploads, db=db, dry_run=dry_run, lang=lang)


def stamp_receipt(principal: Principal, upload: Upload, today: dt.date | None = None) -> Upload:
    """``upload`` received today by the server's clock, unless the coordinator recorded an
    earlier receipt (by post or email, with a note) on it.

    Whatever receipt date came with an upload without a :class:`Receipt` is replaced: the
    sender never chooses the date its file counts from.
    """
    today = today or dt.date.today()
    receipt = upload.receipt
    if receipt is None:
        return replace(upload, received_on=today)
    if not can(principal, "upload.record_receipt"):
        raise AccessDenied("app.upload.receipt_denied", principal=principal, what="upload")
    if receipt.channel not in ((COMMAND_LINE,) if principal is SYSTEM else RECEIPT_CHANNELS):
        raise EpnError("upload_receipt_channel", channels=", ".join(RECEIPT_CHANNELS))
    if receipt.received_on > today and receipt.channel != COMMAND_LINE:  # the contract's date
        raise EpnError("upload_receipt_future", day=receipt.received_on.isoformat())
    if not receipt.note.strip():
        raise EpnError("upload_receipt_note")
    return replace(upload, received_on=receipt.received_on)


def ingest_uploads(uploads: list[Upload], *, db=None, dry_run=False, lang="fr") -> list[dict]:
    """The pipeline itself, for callers that checked the principal (``submit``)."""
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
    command holds the warehouse).

    Checked files wait in a group, written together (``store.write_group``) when the group is
    full or the batch over: one statement per table for the group rather than per file. A
    group is one transaction unless in a dry run; should it fail, its files are written again
    one by one, so that each file stays all or nothing and those before a faulty one keep.
    """

    def __init__(self, con, uploads: list[Upload], lang: str, own_transactions: bool):
        self.con, self.uploads, self.lang = con, uploads, lang
        self.own_transactions = own_transactions
        # sha256 -> (upload_id, kind, epn_ids, year) of its first accepted upload; kept up to
        # date by the batch itself, the only writer while it holds the warehouse
        self.settings = get_settings()
        self.accepted = store.accepted_among(con, [u.sha256 for u in uploads])
        self.parses = ParsesAhead(uploads, known_epn_ids(con), self.settings, set(self.accepted))
        self.parses.begin()  # the first file parses while the findings' engine loads
        try:
            from warehouse.finding_batch import BatchFindings  # Pandera: after the fork

            self.findings = BatchFindings(con)
        except BaseException:
            self.parses.close()
            raise
        self.group: list[tuple[store.Checked, dict]] = []  # checked, not yet written
        self.group_rows = 0  # the typed rows of the group

    def ingest(self) -> list[dict]:
        try:
            results = [
                self.ingest_safely(index, upload) for index, upload in enumerate(self.uploads)
            ]
        finally:
            self.parses.close()
        self.write_group()
        with self.unit_of_work():
            self.findings.refresh(self.con, self.lang)
        return results

    def unit_of_work(self):
        return transaction(self.con) if self.own_transactions else nullcontext()

    def ingest_safely(self, index: int, upload: Upload) -> dict:
        """``ingest_one``, a failure of which is this file's rejection: the batch goes on."""
        try:
            return self.ingest_one(index, upload)
        except Exception as error:
            errors = [problem("parser_failed", detail=_detail(error)).to_dict(self.lang)]
            return outcome(upload, "rejected", None, [], None, errors)

    def ingest_one(self, index: int, upload: Upload) -> dict:
        if any(c.upload.sha256 == upload.sha256 for c, _ in self.group):
            self.write_group()  # a duplicate in the making: its original needs its id
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
        checked = store.Checked(upload, parsed, [p.to_dict(self.lang) for p in parsed.problems])
        result = outcome(
            upload, checked.status, parsed.kind, parsed.epn_ids, parsed.year, checked.errors
        )
        self.group.append((checked, result))
        self.group_rows += sum(len(table) for table in parsed.tables.values())
        if self.group_is_full():
            self.write_group()
        return result

    def group_is_full(self) -> bool:
        return (
            len(self.group) >= self.settings.write_group_files
            or self.group_rows >= self.settings.write_group_rows
        )

    def write_group(self) -> None:
        group, self.group, self.group_rows = self.group, [], 0
        if not group:
            return
        try:
            with self.unit_of_work():
                upload_ids = self.write(group)
        except Exception as error:
            # a full disk or a damaged warehouse is no file's fault: the batch stops, said plainly
            explained = explain_failure(error, self.warehouse_file())
            if explained is not None:
                raise explained from None
            if not self.own_transactions:  # a dry run's one transaction is aborted: start anew
                self.con.execute("ROLLBACK")
                self.con.execute("BEGIN TRANSACTION")
                for _, result in group:
                    self.write_failed(result, error)
                return
            if len(group) == 1:
                self.write_failed(group[0][1], error)
                return
            for one in group:  # each on its own: the faulty file fails alone, the others keep
                try:
                    with self.unit_of_work():
                        upload_ids = self.write([one])
                except Exception as one_error:
                    self.write_failed(one[1], one_error)
                    continue
                self.written([one], upload_ids)
            return
        self.written(group, upload_ids)

    def warehouse_file(self) -> str:
        return self.con.execute(
            "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
        ).fetchone()[0]

    def write_failed(self, result: dict, error: Exception) -> None:
        """A file that could not be written (nothing of it was): rejected, saying why."""
        result["status"] = "rejected"
        result["errors"] = [problem("write_failed", detail=_detail(error)).to_dict(self.lang)]
        result["findings"] = []

    def write(self, group: list[tuple[store.Checked, dict]]) -> list[int]:
        checked = [c for c, _ in group]
        upload_ids = store.write_group(self.con, checked)
        audit.record_many(
            self.con, [upload_audit(*pair) for pair in zip(checked, upload_ids, strict=True)]
        )
        if any(c.parsed.accepted for c in checked):
            self.findings.unmark(self.con)
        return upload_ids

    def written(self, group: list[tuple[store.Checked, dict]], upload_ids: list[int]) -> None:
        """What the batch remembers of a committed group: its accepted files."""
        for (checked, result), upload_id in zip(group, upload_ids, strict=True):
            parsed = checked.parsed
            if parsed.accepted:
                self.findings.touched(result, parsed.epn_ids, store.years_of(parsed))
                self.accepted[checked.upload.sha256] = (
                    upload_id,
                    parsed.kind,
                    parsed.epn_ids,
                    parsed.year,
                )


def _detail(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:200]


def upload_audit(checked: store.Checked, upload_id: int) -> tuple:
    """The audit entry of a written upload: (username, action, target, outcome, detail)."""
    parsed = checked.parsed
    detail = {
        "upload_id": upload_id,
        "kind": parsed.kind,
        "epn_ids": parsed.epn_ids,
        "year": parsed.year,
        "errors": len(checked.errors),
        "received_on": checked.upload.received_on,
    }
    receipt = checked.upload.receipt
    if receipt is not None:
        detail["receipt"] = {"channel": receipt.channel, "note": receipt.note}
    return checked.upload.uploaded_by, "upload", checked.upload.filename, checked.status, detail


def uploads_from_paths(
    paths: list[Path], received_on: dt.date, user: str | None = None, receipt: Receipt | None = None
) -> list[Upload]:
    return [Upload(Path(p).name, Path(p).read_bytes(), received_on, user, receipt) for p in paths]
