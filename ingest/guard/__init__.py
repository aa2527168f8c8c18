"""Uploads are untrusted: look at the bytes before any parser does.

``inspect_upload`` tells a CSV from a workbook by content, not by name, and refuses what
a parser should never see: files that are not what their name says, archives that would
inflate without bound or whose directory lies, XML with DTDs (entity expansion, external
entities), workbooks with macros, and sheets whose cells reach past the row and column caps
(a single cell at XFD1048576 makes some readers allocate the whole grid). Every check reads
the bytes as a stream of bounded chunks.

This module holds the public API, the sniffing of names, sizes and contents, and the
container checks; the XML parts (``ingest.xmlparts``), the worksheet extent scanner
(``ingest.sheetscan``), the formula check (``ingest.formulas``) and the zip layer
(``ingest.zipguard``) sit in their own modules.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from contextlib import contextmanager

from epn.errors import EpnError
from epn.settings import Settings, get_settings
from epn.tables import HEADER_SEARCH_ROWS
from ingest.guard.formulas import formula_cells_lacking_value
from ingest.guard.sheetscan import Caps
from ingest.guard.xmlparts import CONTENT_TYPES, WORKBOOK, read_xml_part, scan_parts, sheet_parts
from ingest.guard.zipguard import MEGABYTE, Archive, Refused, ZipLimits, open_archive

CONTAINERS = {".csv": "csv", ".xlsx": "xlsx"}
SNIFF_BYTES = 64 * 1024

OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OLE2_ENCRYPTION_STREAMS = ("EncryptionInfo", "EncryptedPackage")
OLE2_DIRECTORY_ENTRY = 128
EXECUTABLE_SIGNATURES = (
    b"\x7fELF",
    b"#!",
    b"\xfe\xed\xfa\xce",  # Mach-O 32 and 64 bits, both byte orders, and universal binaries
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
)
TEXT_CONTROL_BYTES = bytes(set(range(32)) - {9, 10, 12, 13}) + b"\x7f"
NOT_CONTROL_BYTES = bytes(set(range(256)) - set(TEXT_CONTROL_BYTES))

MACRO_CONTENT_MARKERS = (b"macroenabled", b"vbaproject", b"macrosheet")


class UploadRejected(EpnError):
    """An upload refused before any parser reads it; the message says how to fix the file."""


def inspect_upload(data: bytes, filename: str, settings: Settings | None = None) -> str:
    """The container kind, ``"csv"`` or ``"xlsx"``, of an upload that is safe to parse."""
    return inspect_with_formulas(data, filename, settings)[0]


def inspect_with_formulas(
    data: bytes, filename: str, settings: Settings | None = None
) -> tuple[str, list[tuple[str, str]]]:
    """``inspect_upload`` and, for a workbook, ``formulas_without_value``, refusing exactly
    what the two refuse in turn, with one reading of the archive: the formula check reads
    only the sheets where the guard's scan saw something like a formula."""
    settings = settings or get_settings()
    container = _container_from_name(filename)
    _check_size(data, settings)
    if container == "csv":
        _check_csv(data)
        return container, []
    with _refusals_as_rejections():
        archive, sheets, may_hold_formulas = _check_workbook(data, settings)
        return container, _formulas_in(archive, sheets, may_hold_formulas)


def formulas_without_value(data: bytes, settings: Settings | None = None) -> list[tuple[str, str]]:
    """(sheet name, cell) of every formula cell that has no computed value saved with it.

    Meant for a workbook ``inspect_upload`` accepted: DTDs are refused there, so the XML can
    be parsed here, one bounded chunk at a time.
    """
    settings = settings or get_settings()
    with _refusals_as_rejections():
        archive = open_archive(data, _zip_limits(settings))
        sheets = sheet_parts(archive)
        return _formulas_in(archive, sheets, set(archive.names))


def _formulas_in(archive: Archive, sheets: dict[str, str], readable: set[str]):
    found: list[tuple[str, str]] = []
    for part, sheet in sheets.items():
        if part in archive and part in readable:
            found += [(sheet, cell) for cell in formula_cells_lacking_value(archive, part)]
    return found


# --- name, size and content sniffing ------------------------------------------------------


def _container_from_name(filename: str) -> str:
    shown = re.split(r"[\\/]", filename)[-1][:200]
    extension = posixpath.splitext(shown.lower())[1]
    if extension not in CONTAINERS:
        raise UploadRejected("file_type_unknown", filename=shown)
    return CONTAINERS[extension]


def _check_size(data: bytes, settings: Settings) -> None:
    if not data.removeprefix(b"\xef\xbb\xbf").strip():
        raise UploadRejected("file_empty")
    if len(data) > settings.max_upload_bytes:
        raise UploadRejected(
            "file_too_large",
            size_mb=round(len(data) / MEGABYTE, 1),
            max_mb=round(settings.max_upload_bytes / MEGABYTE, 1),
        )


def _content_kind(data: bytes) -> str:
    """What the bytes are, whatever the name says."""
    head = data[:SNIFF_BYTES]
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if head.startswith(OLE2_SIGNATURE):
        return "ole2"
    if _is_executable(data):
        return "executable"
    if not _looks_like_text(head):
        return "binary"
    return "markup" if _first_character(head) == "<" else "text"


def _is_executable(data: bytes) -> bool:
    if data.startswith(EXECUTABLE_SIGNATURES):
        return True
    if data.startswith(b"MZ") and len(data) >= 64:  # DOS stub, then the PE header it points to
        pe_offset = int.from_bytes(data[60:64], "little")
        return data[pe_offset : pe_offset + 4] == b"PE\x00\x00"
    return False


def _looks_like_text(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True  # UTF-16 text, as Excel's "Unicode text" export writes it
    if b"\x00" in head:
        return False
    control_bytes = len(head.translate(None, NOT_CONTROL_BYTES))
    return control_bytes <= len(head) // 100


def _first_character(head: bytes) -> str:
    encoding = "utf-16" if head.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"
    text = head[:4096].decode(encoding, errors="replace")
    return text.lstrip()[:1]


# --- CSV -------------------------------------------------------------------------------------


def _check_csv(data: bytes) -> None:
    if _is_executable(data):
        raise UploadRejected("file_is_executable")
    nul = data.find(b"\x00")
    if nul != -1:
        raise UploadRejected("csv_not_text", line=data.count(b"\n", 0, nul) + 1)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UploadRejected("csv_not_text", line=data.count(b"\n", 0, error.start) + 1) from None


# --- workbook: container ---------------------------------------------------------------------

_NOT_A_ZIP = {
    "executable": "file_is_executable",
    "markup": "xlsx_is_html",
    "text": "xlsx_is_text",
    "binary": "xlsx_not_workbook",
}


def _check_workbook(data: bytes, settings: Settings) -> tuple[Archive, dict[str, str], set[str]]:
    """The archive, its sheets and the members a formula may be read from (``scan_parts``)."""
    kind = _content_kind(data)
    if kind == "ole2":
        raise UploadRejected("xlsx_encrypted" if _is_encrypted_ole2(data) else "xls_legacy")
    if kind != "zip":
        raise UploadRejected(_NOT_A_ZIP[kind])
    with _refusals_as_rejections():
        archive = open_archive(data, _zip_limits(settings))
        _check_is_workbook(archive)
        _check_no_macros(archive)
        sheets = sheet_parts(archive)
        caps = Caps(settings.max_rows, settings.max_columns, HEADER_SEARCH_ROWS)
        return archive, sheets, scan_parts(archive, sheets, caps)


def _is_encrypted_ole2(data: bytes) -> bool:
    """An encrypted .xlsx is an OLE2 file holding EncryptionInfo and EncryptedPackage streams."""
    return any(_has_ole2_stream(data, name) for name in OLE2_ENCRYPTION_STREAMS)


def _has_ole2_stream(data: bytes, name: str) -> bool:
    # A directory entry starts on a 128-byte boundary with the UTF-16 name, and records the
    # name's size (terminator included) at offset 64: that rules out the same text in a cell.
    encoded = name.encode("utf-16-le")
    declared_size = (len(encoded) + 2).to_bytes(2, "little")
    at = data.find(encoded)
    while at != -1:
        if at % OLE2_DIRECTORY_ENTRY == 0 and data[at + 64 : at + 66] == declared_size:
            return True
        at = data.find(encoded, at + 1)
    return False


def _zip_limits(settings: Settings) -> ZipLimits:
    return ZipLimits(settings.max_uncompressed_bytes, settings.max_compression_ratio)


@contextmanager
def _refusals_as_rejections() -> Iterator[None]:
    try:
        yield
    except Refused as refused:
        raise UploadRejected(refused.code, **refused.params) from None


def _check_is_workbook(archive: Archive) -> None:
    if CONTENT_TYPES not in archive or WORKBOOK not in archive:
        raise Refused("xlsx_not_workbook")


def _check_no_macros(archive: Archive) -> None:
    for name in archive.names:
        lowered = name.lower()
        if lowered.endswith("vbaproject.bin") or lowered.startswith("xl/macrosheets/"):
            raise Refused("xlsx_macros")
    content_types = read_xml_part(archive, CONTENT_TYPES).lower()
    if any(marker in content_types for marker in MACRO_CONTENT_MARKERS):
        raise Refused("xlsx_macros")
