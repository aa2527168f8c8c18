"""Documents attached to an application (art. 7 § 1), stored whole with their sha256.

They arrive with the application (``service.apply``) or later (``service.attach``); each
is tied to the event it came with, so the history says when and by whom it was received.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

import duckdb

from epn.errors import EpnError, UsageError
from epn.input_files import check_input_file
from epn.records import plain
from epn.settings import get_settings
from epn.standard import DOCUMENT_KINDS

_LISTED = (
    "document_id",
    "epn_id",
    "event_id",
    "kind",
    "filename",
    "sha256",
    "size_bytes",
    "received_on",
    "recorded_at",
    "recorded_by",
)


@dataclass(frozen=True)
class Attachment:
    kind: str
    filename: str
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    def summary(self) -> dict:
        """What the event's data keeps of it (the bytes live in registry_document)."""
        return {
            "kind": self.kind,
            "filename": self.filename,
            "sha256": self.sha256,
            "size_bytes": len(self.content),
        }


def checked(attachment: Attachment) -> Attachment:
    """The attachment if its kind is known and its size acceptable; else a plain refusal."""
    if attachment.kind not in DOCUMENT_KINDS:
        raise UsageError(
            "document_bad_kind", value=attachment.kind, kinds=", ".join(DOCUMENT_KINDS)
        )
    if not attachment.content:
        raise EpnError("document_empty", file=attachment.filename)
    limit = get_settings().max_upload_bytes
    if len(attachment.content) > limit:
        raise EpnError("document_too_large", file=attachment.filename, limit_mb=limit // 2**20)
    return attachment


def from_spec(spec: str) -> Attachment:
    """``KIND=PATH`` as given on the command line, read from disk."""
    kind, sep, path = spec.partition("=")
    if not sep or not kind.strip() or not path.strip():
        raise UsageError("document_bad_spec", value=spec, kinds="|".join(DOCUMENT_KINDS))
    file = check_input_file(Path(path.strip()), folder_code="document_is_directory")
    return checked(Attachment(kind.strip().lower(), file.name, file.read_bytes()))


def store(
    con: duckdb.DuckDBPyConnection,
    epn_id: str,
    event_id: int,
    attachments: list[Attachment],
    received_on: dt.date,
    user: str | None = None,
) -> None:
    for attachment in map(checked, attachments):
        con.execute(
            "INSERT INTO registry_document (epn_id, event_id, kind, filename, sha256, size_bytes,"
            " content, received_on, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                epn_id,
                event_id,
                attachment.kind,
                attachment.filename,
                attachment.sha256,
                len(attachment.content),
                attachment.content,
                received_on,
                user,
            ],
        )


def documents_of(con: duckdb.DuckDBPyConnection, epn_id: str) -> list[dict]:
    """The EPN's documents without their bytes, oldest first."""
    cursor = con.execute(
        f"SELECT {', '.join(_LISTED)} FROM registry_document WHERE epn_id = ? ORDER BY document_id",
        [epn_id],
    )
    return [{k: plain(v) for k, v in zip(_LISTED, row, strict=True)} for row in cursor.fetchall()]


def document_content(con: duckdb.DuckDBPyConnection, epn_id: str, document_id: int) -> bytes | None:
    """The bytes of one of the EPN's documents (None if it has no such document)."""
    row = con.execute(
        "SELECT content FROM registry_document WHERE epn_id = ? AND document_id = ?",
        [epn_id, document_id],
    ).fetchone()
    return bytes(row[0]) if row else None
