"""Uploads are untrusted: look at the bytes before any parser does.

``inspect_upload`` tells a CSV from a workbook by content, not by name, and refuses what
a parser should never see: files that are not what their name says, archives that would
inflate without bound or whose directory lies, XML with DTDs (entity expansion, external
entities), workbooks with macros, and sheets whose cells reach past the row and column caps
(a single cell at XFD1048576 makes some readers allocate the whole grid). Every check reads
the bytes as a stream of bounded chunks.
"""

from __future__ import annotations

import bisect
import itertools
import posixpath
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import cache

from epn.errors import EpnError
from epn.settings import Settings, get_settings
from ingest.zipguard import Archive, Refused, ZipLimits, open_archive

CONTAINERS = {".csv": "csv", ".xlsx": "xlsx"}
MEGABYTE = 1024 * 1024
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

CONTENT_TYPES = "[Content_Types].xml"
WORKBOOK = "xl/workbook.xml"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
MACRO_CONTENT_MARKERS = (b"macroenabled", b"vbaproject", b"macrosheet")
MAX_STRUCTURE_PART_BYTES = 16 * MEGABYTE
MAX_TAG_BYTES = MEGABYTE  # no real tag comes close; a longer one is a trick to hide attributes
CELL_NAME_ENDINGS = (b" ", b">", b"/", b"\t", b"\n", b"\r")
MAX_CELL_CARRY_BYTES = 4 * MEGABYTE  # a cell (32,767 characters at most) fits many times
# Beyond these, a reference is simply "too far": no need to turn a megabyte of digits into int.
MAX_REF_LETTERS = 7
MAX_REF_DIGITS = 15

_REFERENCE = re.compile(rb"([A-Za-z]*)(\d+)")
_DIMENSION = re.compile(rb"<(?:[\w.-]+:)?dimension\s[^>]*?\bref\s*=\s*[\"']([^\"']*)")
# Excel, LibreOffice and the usual libraries write every cell and row as `<c r="...` or
# `<row r="...`; anything else (no r, other attributes first, prefixes) is walked tag by tag.
_UNUSUAL_CELL_TAG = re.compile(rb'<c(?! r=")[\s/>]')
_UNUSUAL_ROW_TAG = re.compile(rb'<row(?! r=")[\s/>]')
_PREFIXED_NAME_END = re.compile(rb":(?:c|row)[\s/>]")
_PREFIXED_NAME_START = re.compile(rb"<[\w.-]+$")
# Letters and digits reduced to one shape each: fixed strings then find references of a given
# shape (say 3 letters, or 6 digits) at C speed, and the exact pattern only runs on a hit.
_SHAPES = bytes.maketrans(
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", b"A" * 52 + b"0" * 10
)
_CELL_OR_ROW_TAG = re.compile(
    rb"<(?:[\w.-]+:)?(c|row)(?=[\s/>])(?:[^>]*?\sr\s*=\s*(?:\"([^\"]*)\"|'([^']*)'))?[^>]*>"
)
_MAIN_NAMESPACE_PREFIX = re.compile(
    rb"xmlns:([\w.-]+)\s*=\s*[\"'](?:http://schemas\.openxmlformats\.org/spreadsheetml/2006/main"
    rb"|http://purl\.oclc\.org/ooxml/spreadsheetml/main)[\"']"
)
_FORMULA_TAG = re.compile(rb"<f[\s/>]")
_PREFIXED_FORMULA_TAG = re.compile(rb"<[\w.-]+:f[\s/>]")
_T_ATTRIBUTE = re.compile(rb"\st\s*=\s*[\"']([^\"']*)")
_VALUE_ELEMENT = re.compile(rb"<v(?:\s[^>]*)?(?:/>|>([^<]*)</v>)")


class UploadRejected(EpnError):
    """An upload refused before any parser reads it; the message says how to fix the file."""


def inspect_upload(data: bytes, filename: str, settings: Settings | None = None) -> str:
    """The container kind, ``"csv"`` or ``"xlsx"``, of an upload that is safe to parse."""
    settings = settings or get_settings()
    container = _container_from_name(filename)
    _check_size(data, settings)
    if container == "csv":
        _check_csv(data)
    else:
        _check_workbook(data, settings)
    return container


def formulas_without_value(data: bytes, settings: Settings | None = None) -> list[tuple[str, str]]:
    """(sheet name, cell) of every formula cell that has no computed value saved with it.

    Meant for a workbook ``inspect_upload`` accepted: DTDs are refused there, so the XML can
    be parsed here, one bounded chunk at a time.
    """
    settings = settings or get_settings()
    found: list[tuple[str, str]] = []
    with _refusals_as_rejections():
        archive = open_archive(data, _zip_limits(settings))
        for part, sheet in _sheet_parts(archive).items():
            if part in archive:
                found += [(sheet, cell) for cell in _formula_cells_lacking_value(archive, part)]
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


def _check_workbook(data: bytes, settings: Settings) -> None:
    kind = _content_kind(data)
    if kind == "ole2":
        raise UploadRejected("xlsx_encrypted" if _is_encrypted_ole2(data) else "xls_legacy")
    if kind != "zip":
        raise UploadRejected(_NOT_A_ZIP[kind])
    with _refusals_as_rejections():
        archive = open_archive(data, _zip_limits(settings))
        _check_is_workbook(archive)
        _check_no_macros(archive)
        sheets = _sheet_parts(archive)
        _scan_parts(archive, sheets, _Caps(settings.max_rows, settings.max_columns))


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
    content_types = _read_xml_part(archive, CONTENT_TYPES).lower()
    if any(marker in content_types for marker in MACRO_CONTENT_MARKERS):
        raise Refused("xlsx_macros")


def _read_xml_part(archive: Archive, name: str) -> bytes:
    """A small structural part, whole, after the same hazard checks as every XML part."""
    content = archive.read(name, MAX_STRUCTURE_PART_BYTES)
    if content is None:
        raise Refused("xml_malformed")
    _check_xml_block(content)
    return content


# --- workbook: sheet names -------------------------------------------------------------------


def _sheet_parts(archive: Archive) -> dict[str, str]:
    """Worksheet part path -> sheet name, in the workbook's order."""
    workbook = _parse_xml(_read_xml_part(archive, WORKBOOK))
    targets = _relationship_targets(archive) if WORKBOOK_RELS in archive else {}
    parts: dict[str, str] = {}
    for sheet in _elements(workbook, "sheet"):
        target = targets.get(_relationship_id(sheet))
        if target and sheet.get("name"):
            parts.setdefault(target, sheet.get("name"))
    return parts


def _relationship_targets(archive: Archive) -> dict[str, str]:
    rels = _parse_xml(_read_xml_part(archive, WORKBOOK_RELS))
    targets = {}
    for relationship in _elements(rels, "Relationship"):
        target = relationship.get("Target")
        if target and relationship.get("TargetMode") != "External":
            targets[relationship.get("Id")] = _resolve_target(posixpath.dirname(WORKBOOK), target)
    return targets


def _resolve_target(base: str, target: str) -> str:
    path = target.lstrip("/") if target.startswith("/") else posixpath.join(base, target)
    return posixpath.normpath(path)


def _relationship_id(element: ET.Element) -> str | None:
    return next((v for k, v in element.attrib.items() if k.endswith("}id")), None)


def _elements(root: ET.Element, local_name: str) -> Iterator[ET.Element]:
    return (e for e in root.iter() if _local(e.tag) == local_name)


def _local(tag: str) -> str:
    return tag[tag.rfind("}") + 1 :]


def _parse_xml(content: bytes) -> ET.Element:
    try:
        return ET.fromstring(content)
    except ET.ParseError:
        raise Refused("xml_malformed") from None


# --- workbook: every part --------------------------------------------------------------------


@dataclass(frozen=True)
class _Caps:
    max_rows: int
    max_columns: int

    def exceeded_by(self, column: int, row: int) -> bool:
        return row > self.max_rows or column > self.max_columns


def _scan_parts(archive: Archive, sheets: dict[str, str], caps: _Caps) -> None:
    """Inflate every member once (proving its real size), and scan those that are XML."""
    already_read = {CONTENT_TYPES, WORKBOOK, WORKBOOK_RELS}
    sheet_by_part = {part.lower(): sheet for part, sheet in sheets.items()}
    for name in archive.names:
        if name in already_read:
            continue
        sheet = sheet_by_part.get(name.lower()) or _unlisted_sheet_name(name)
        _scan_part(archive.chunks(name), sheet, caps)


def _unlisted_sheet_name(part: str) -> str | None:
    # A worksheet the workbook does not list is still scanned: some reader may open it.
    if re.fullmatch(r"xl/worksheets/[^/]+\.xml", part):
        return posixpath.basename(part)
    return None


def _scan_part(chunks: Iterator[bytes], sheet: str | None, caps: _Caps) -> None:
    first = next(chunks, b"")
    if not _starts_like_xml(first):
        for _ in chunks:  # still inflated in full: that checks its size and CRC
            pass
        return
    scanner = _SheetScanner(sheet, caps) if sheet else None
    for block in _tag_aligned(itertools.chain([first], chunks)):
        _check_xml_block(block)
        if scanner:
            scanner.feed(block)


def _starts_like_xml(first: bytes) -> bool:
    if first.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    return first.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] == b"<"


def _tag_aligned(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Re-cut a byte stream so that no block ends inside a tag (or a `<!` declaration)."""
    carry = b""
    for chunk in chunks:
        block = carry + chunk if carry else chunk
        cut = _end_of_complete_tags(block)
        carry = block[cut:]
        if len(carry) > MAX_TAG_BYTES:
            raise Refused("xml_malformed")
        if cut:
            yield block[:cut]
    if carry:
        yield carry


def _end_of_complete_tags(block: bytes) -> int:
    last_open = block.rfind(b"<")
    if last_open == -1 or block.find(b">", last_open) != -1:
        return len(block)
    return last_open


def _check_xml_block(block: bytes) -> None:
    if b"\x00" in block:
        # UTF-16/32 XML: Excel never writes it, and byte-level scans cannot read it.
        raise Refused("xml_malformed")
    if _has_markup_declaration(block):
        raise Refused("xml_entities")


def _has_markup_declaration(block: bytes) -> bool:
    """`<!DOCTYPE`, `<!ENTITY` and the like; comments and CDATA (`<!--`, `<![`) are fine."""
    at = block.find(b"!")  # rare in worksheets, so this is faster than looking for "<!"
    while at != -1:
        if at and block[at - 1] == ord("<") and block[at + 1 : at + 2].isalpha():
            return True
        at = block.find(b"!", at + 1)
    return False


# --- worksheets: the true extent -------------------------------------------------------------


class _SheetScanner:
    """Refuses a worksheet whose declared dimension or any cell lies beyond the caps.

    The dimension is checked because some readers allocate from it, and each cell's own
    reference because the dimension may lie.
    """

    def __init__(self, sheet: str, caps: _Caps) -> None:
        self.sheet = sheet
        self.caps = caps
        self.unprefix = _Unprefixer()
        self.cursor = _CellCursor()
        self.refs_above = _refs_above(caps.max_rows, caps.max_columns)
        self.hints = _shapes_near_caps(caps.max_rows, caps.max_columns)
        self.in_header = True  # before <sheetData>, where <dimension> lives
        self.far_row: tuple[int, int] | None = None  # named only if no far cell shows up

    def feed(self, block: bytes) -> None:
        block = self.unprefix(block)
        if self.in_header:
            self._check_dimension(block)
        if _has_unusual_cell_tags(block):
            for _, _, column, row in self.cursor.walk(block):
                self._check_position((column, row))
        else:
            self._check_explicit_refs(block)
            self.cursor.skip_to_end(block)
        if self.far_row:
            self._refuse(self.far_row)

    def _check_dimension(self, block: bytes) -> None:
        sheet_data = block.find(b"sheetData")
        header = block if sheet_data == -1 else block[:sheet_data]
        self.in_header = sheet_data == -1
        found = _DIMENSION.search(header)
        for ref in found.group(1).split(b":") if found else ():
            self._check_position(_position(ref))

    def _check_explicit_refs(self, block: bytes) -> None:
        shapes = block.translate(_SHAPES)
        if not any(hint in shapes for hint in self.hints):
            return  # no reference even as long as the caps: the common case, decided fast
        # Only references above a cap match the pattern, so a normal sheet yields nothing.
        for match in self.refs_above.finditer(block):
            tag_start = block.rfind(b"<", 0, match.start())
            if block[tag_start : match.start()] in (b"<c ", b"<row "):
                self._check_position(_attribute_position(block, match.start() + 3))

    def _check_position(self, position: tuple[int, int] | None) -> None:
        if position is None or not self.caps.exceeded_by(*position):
            return
        column, _ = position
        if column:
            self._refuse(position)
        self.far_row = self.far_row or position  # a row element: its cells tell more

    def _refuse(self, position: tuple[int, int]) -> None:
        raise Refused(
            "sheet_too_large",
            sheet=self.sheet,
            cell=_cell_name(*position),
            max_rows=self.caps.max_rows,
            max_columns=self.caps.max_columns,
            last_column=_column_letters(self.caps.max_columns),
        )


class _Unprefixer:
    """Drops the prefixes bound to the spreadsheet namespace (`<x:c r=...>` becomes `<c r=...>`),
    so sheets written that way take the fast path like any other."""

    def __init__(self) -> None:
        self.prefixes: set[bytes] = set()

    def __call__(self, block: bytes) -> bytes:
        if b"xmlns:" in block:
            self.prefixes.update(_MAIN_NAMESPACE_PREFIX.findall(block))
        for prefix in self.prefixes:
            block = block.replace(b"<" + prefix + b":", b"<").replace(b"</" + prefix + b":", b"</")
        return block


class _CellCursor:
    """Where the last row and cell were: rows and cells written without ``r`` come next."""

    def __init__(self) -> None:
        self.row = 0
        self.column = 0

    def walk(self, block: bytes) -> Iterator[tuple[bool, int, int, int]]:
        """(is a cell, offset, column, row) for every row and cell tag of the block."""
        for tag in _CELL_OR_ROW_TAG.finditer(block):
            name, double_quoted, single_quoted = tag.groups()
            ref = double_quoted if double_quoted is not None else single_quoted
            position = _position(ref) if ref is not None else None
            if name == b"row":
                self.row, self.column = (position[1] if position else self.row + 1), 0
            else:
                self.column, self.row = position or (self.column + 1, self.row)
            yield name == b"c", tag.start(), self.column, self.row

    def skip_to_end(self, block: bytes) -> None:
        """Follow a block whose tags all read `<c r="` or `<row r="` by its last ones alone."""
        row_at, cell_at = block.rfind(b'<row r="'), block.rfind(b'<c r="')
        if row_at > cell_at:
            self.row, self.column = _attribute_position(block, row_at + 8)[1], 0
        elif cell_at != -1:
            self.column, self.row = _attribute_position(block, cell_at + 6)


def _has_unusual_cell_tags(block: bytes) -> bool:
    if _UNUSUAL_CELL_TAG.search(block) or _UNUSUAL_ROW_TAG.search(block):
        return True
    # `:c ` is rare outside tag names (a colon is); check each hit is a prefixed tag name.
    for hit in _PREFIXED_NAME_END.finditer(block):
        if _PREFIXED_NAME_START.search(block, max(0, hit.start() - 64), hit.start()):
            return True
    return False


def _attribute_position(block: bytes, value_start: int) -> tuple[int, int]:
    ref = block[value_start : block.find(b'"', value_start)]
    return _position(ref) or (0, 0)


def _position(ref: bytes) -> tuple[int, int] | None:
    """(column, row) of `B7`; a row element's `7` gives column 0. Absurd lengths are clamped."""
    found = _REFERENCE.fullmatch(ref)
    if not found:
        return None
    letters, digits = found.group(1), found.group(2).lstrip(b"0") or b"0"
    row = int(digits) if len(digits) <= MAX_REF_DIGITS else 10**MAX_REF_DIGITS
    return _column_number(letters[: MAX_REF_LETTERS + 1]), row


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - ord("A") + 1
    return number


def _column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _cell_name(column: int, row: int) -> str:
    return f"{_column_letters(max(column, 1))}{row}"


@cache
def _refs_above(max_rows: int, max_columns: int) -> re.Pattern[bytes]:
    """`r="` followed by a reference beyond the caps (or with a leading zero, checked exactly)."""
    columns = _letters_above(_column_letters(max_columns))
    rows = _digits_above(str(max_rows))
    return re.compile(rb'r="(?:' + columns + rb"|[A-Za-z]{0,3}(?:0|" + rows + rb"))")


@cache
def _shapes_near_caps(max_rows: int, max_columns: int) -> tuple[bytes, ...]:
    """In ``_SHAPES`` form: a cell whose letters are as many as the column cap's, or any
    attribute value ending in as many digits as the row cap. Anything above a cap has one."""
    letters = len(_column_letters(max_columns))
    return (b'<A A="' + b"A" * letters, b"0" * len(str(max_rows)) + b'"')


def _letters_above(limit: str) -> bytes:
    """Column letters sorting after ``limit``: longer ones, or as long and larger."""
    options = [f"[A-Za-z]{{{len(limit) + 1}}}"]
    for i, letter in enumerate(limit):
        if letter != "Z":
            larger = f"{chr(ord(letter) + 1)}-Z"
            prefix = "".join(f"[{c}{c.lower()}]" for c in limit[:i])
            rest = f"[A-Za-z]{{{len(limit) - i - 1}}}"
            options.append(f"{prefix}[{larger}{larger.lower()}]{rest}")
    return "|".join(options).encode()


def _digits_above(limit: str) -> bytes:
    """Numbers without leading zeros above ``limit``: longer ones, or as long and larger."""
    options = [f"[1-9][0-9]{{{len(limit)}}}"]
    for i, digit in enumerate(limit):
        if digit != "9":
            options.append(f"{limit[:i]}[{int(digit) + 1}-9][0-9]{{{len(limit) - i - 1}}}")
    return "|".join(options).encode()


# --- formulas without a computed value -------------------------------------------------------


class _UnusualSheet(Exception):
    """The sheet is not written the usual way: read it with the XML parser instead."""


def _formula_cells_lacking_value(archive: Archive, part: str) -> list[str]:
    try:
        return _scan_formula_cells(archive.chunks(part))
    except _UnusualSheet:
        return list(_walk_formula_cells(archive.chunks(part)))


def _scan_formula_cells(chunks: Iterator[bytes]) -> list[str]:
    """The fast way: find each `<f`, then read the cell around it."""
    found: list[str] = []
    unprefix, cursor = _Unprefixer(), _CellCursor()
    for block in _cell_aligned(map(unprefix, _tag_aligned(chunks))):
        _check_xml_block(block)
        if b"<![CDATA[" in block or _has_prefixed_formula(block):
            raise _UnusualSheet
        found += _formula_cells_in_block(block, cursor)
    return found


def _formula_cells_in_block(block: bytes, cursor: _CellCursor) -> list[str]:
    formulas = [formula.start() for formula in _FORMULA_TAG.finditer(block)]
    if _has_unusual_cell_tags(block):
        cell_around = _walked_cells(block, cursor)
    else:
        cursor.skip_to_end(block)
        cell_around = _referenced_cells(block)
    found = []
    for formula_at in formulas:
        cell_start, name = cell_around(formula_at)
        cell_end = block.find(b"</c>", formula_at)
        if cell_end == -1 or block.find(b"</c>", cell_start, formula_at) != -1:
            raise _UnusualSheet  # a formula outside any cell
        if _cell_lacks_value(block[cell_start:cell_end]):
            found.append(name)
    return found


def _referenced_cells(block: bytes):
    """Cell lookup for blocks whose cells all start with `<c r="`: the reference is right there."""

    def cell_around(offset: int) -> tuple[int, str]:
        start = block.rfind(b'<c r="', 0, offset)
        if start == -1:
            raise _UnusualSheet
        return start, _cell_name(*_attribute_position(block, start + 6))

    return cell_around


def _walked_cells(block: bytes, cursor: _CellCursor):
    """Cell lookup for other blocks: every cell placed by the cursor, then found by offset."""
    cells = [(at, column, row) for is_cell, at, column, row in cursor.walk(block) if is_cell]
    starts = [at for at, _, _ in cells]

    def cell_around(offset: int) -> tuple[int, str]:
        index = bisect.bisect_right(starts, offset) - 1
        if index < 0:
            raise _UnusualSheet
        start, column, row = cells[index]
        return start, _cell_name(column, row)

    return cell_around


def _has_prefixed_formula(block: bytes) -> bool:
    return b":f" in block and _PREFIXED_FORMULA_TAG.search(block) is not None


def _cell_aligned(blocks: Iterable[bytes]) -> Iterator[bytes]:
    """Re-cut tag-aligned blocks so that each holds whole cells: cut where a cell starts."""
    carry = b""
    for block in blocks:
        block = carry + block if carry else block
        cut = _last_cell_start(block)
        if cut <= 0 and len(block) < MAX_CELL_CARRY_BYTES:
            carry = block
            continue
        cut = cut if cut > 0 else len(block)  # no cell start for long: a lone formula is unusual
        carry = block[cut:]
        yield block[:cut]
    if carry:
        yield carry


def _last_cell_start(block: bytes) -> int:
    at = block.rfind(b"<c")
    while at != -1 and block[at + 2 : at + 3] not in CELL_NAME_ENDINGS:
        at = block.rfind(b"<c", 0, at)  # `<col`, `<cfRule`...
    return at


def _cell_lacks_value(cell: bytes) -> bool:
    tag_end = cell.find(b">")
    cell_type = _T_ATTRIBUTE.search(cell, 0, tag_end)
    value = _VALUE_ELEMENT.search(cell, tag_end)
    return _formula_lacks_value(
        has_value_element=value is not None,
        value=value.group(1).decode("utf-8", "replace") if value and value.group(1) else None,
        cell_type=cell_type.group(1).decode("ascii", "replace") if cell_type else None,
    )


def _formula_lacks_value(has_value_element: bool, value: str | None, cell_type: str | None) -> bool:
    # An empty <v> is a cached empty string only on a text formula (t="str").
    return not has_value_element or (not value and cell_type != "str")


def _walk_formula_cells(chunks: Iterator[bytes]) -> Iterator[str]:
    parser = ET.XMLPullParser(events=("start", "end"))
    cells = _FormulaCells()
    try:
        for block in _tag_aligned(chunks):
            _check_xml_block(block)  # the hazard checks again, should this run on its own
            parser.feed(block)
            yield from cells.consume(parser.read_events())
        parser.close()
    except ET.ParseError:
        raise Refused("xml_malformed") from None


class _FormulaCells:
    """Follows pull-parser events through rows and cells; yields formula cells lacking a value."""

    def __init__(self) -> None:
        self.row = 0
        self.column = 0
        self.rows_parent: ET.Element | None = None
        self._start_cell(None)

    def _start_cell(self, cell_type: str | None) -> None:
        self.cell_type = cell_type
        self.has_formula, self.has_value_element, self.value = False, False, None

    def consume(self, events) -> Iterator[str]:
        for event, element in events:
            name = _local(element.tag)
            if event == "start":
                self._on_start(name, element)
            elif name == "c":
                if self._lacks_value():
                    yield _cell_name(self.column, self.row)
                element.clear()
            else:
                self._on_end(name, element)

    def _on_start(self, name: str, element: ET.Element) -> None:
        if name == "sheetData":
            self.rows_parent = element
        elif name == "row":
            position = _position((element.get("r") or "").encode())
            self.row, self.column = (position[1] if position else self.row + 1), 0
        elif name == "c":
            ref = element.get("r")
            position = _position(ref.encode()) if ref else None
            self.column, self.row = position or (self.column + 1, self.row)
            self._start_cell(element.get("t"))

    def _on_end(self, name: str, element: ET.Element) -> None:
        if name == "f":
            self.has_formula = True
        elif name == "v":
            self.has_value_element, self.value = True, element.text
        elif name == "row" and self.rows_parent is not None:
            with suppress(ValueError):  # a row outside <sheetData> is simply left in place
                self.rows_parent.remove(element)  # keeps memory flat over long sheets

    def _lacks_value(self) -> bool:
        if not self.has_formula:
            return False
        return _formula_lacks_value(
            has_value_element=self.has_value_element, value=self.value, cell_type=self.cell_type
        )
