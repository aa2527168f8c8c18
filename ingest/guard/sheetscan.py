"""The true extent of a worksheet: refuse cells (or a dimension) beyond the row and column caps.

Blocks of worksheet XML are scanned as bytes. Sheets written the usual way (`<c r="...`)
are decided by fixed-string searches at C speed; others are walked tag by tag.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from ingest.guard.zipguard import Refused

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
MAIN_NAMESPACE_PREFIX = re.compile(
    rb"xmlns:([\w.-]+)\s*=\s*[\"'](?:http://schemas\.openxmlformats\.org/spreadsheetml/2006/main"
    rb"|http://purl\.oclc\.org/ooxml/spreadsheetml/main)[\"']"
)


@dataclass(frozen=True)
class Caps:
    max_rows: int  # data rows: the parser counts them exactly, below the header
    max_columns: int
    header_rows: int = 0  # rows a sheet may hold above its data: a header, a title

    @property
    def last_row(self) -> int:
        return self.max_rows + self.header_rows

    def exceeded_by(self, column: int, row: int) -> bool:
        return row > self.last_row or column > self.max_columns


class SheetScanner:
    """Refuses a worksheet whose declared dimension or any cell lies beyond the caps.

    The dimension is checked because some readers allocate from it, and each cell's own
    reference because the dimension may lie.
    """

    def __init__(self, sheet: str, caps: Caps) -> None:
        self.sheet = sheet
        self.caps = caps
        self.unprefix = Unprefixer()
        self.cursor = CellCursor()
        self.refs_above = _refs_above(caps.last_row, caps.max_columns)
        self.hints = _shapes_near_caps(caps.last_row, caps.max_columns)
        self.in_header = True  # before <sheetData>, where <dimension> lives
        self.far_row: tuple[int, int] | None = None  # named only if no far cell shows up

    def feed(self, block: bytes) -> None:
        block = self.unprefix(block)
        if self.in_header:
            self._check_dimension(block)
        if has_unusual_cell_tags(block):
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
            self._check_position(ref_position(ref))

    def _check_explicit_refs(self, block: bytes) -> None:
        shapes = block.translate(_SHAPES)
        if not any(hint in shapes for hint in self.hints):
            return  # no reference even as long as the caps: the common case, decided fast
        # Only references above a cap match the pattern, so a normal sheet yields nothing.
        for match in self.refs_above.finditer(block):
            tag_start = block.rfind(b"<", 0, match.start())
            if block[tag_start : match.start()] in (b"<c ", b"<row "):
                self._check_position(attribute_position(block, match.start() + 3))

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
            cell=cell_name(*position),
            max_rows=self.caps.max_rows,
            max_columns=self.caps.max_columns,
            last_column=_column_letters(self.caps.max_columns),
        )


class Unprefixer:
    """Drops the prefixes bound to the spreadsheet namespace (`<x:c r=...>` becomes `<c r=...>`),
    so sheets written that way take the fast path like any other."""

    def __init__(self) -> None:
        self.prefixes: set[bytes] = set()

    def __call__(self, block: bytes) -> bytes:
        if b"xmlns:" in block:
            self.prefixes.update(MAIN_NAMESPACE_PREFIX.findall(block))
        for prefix in self.prefixes:
            block = block.replace(b"<" + prefix + b":", b"<").replace(b"</" + prefix + b":", b"</")
        return block


class CellCursor:
    """Where the last row and cell were: rows and cells written without ``r`` come next."""

    def __init__(self) -> None:
        self.row = 0
        self.column = 0

    def walk(self, block: bytes) -> Iterator[tuple[bool, int, int, int]]:
        """(is a cell, offset, column, row) for every row and cell tag of the block."""
        for tag in _CELL_OR_ROW_TAG.finditer(block):
            name, double_quoted, single_quoted = tag.groups()
            ref = double_quoted if double_quoted is not None else single_quoted
            position = ref_position(ref) if ref is not None else None
            if name == b"row":
                self.row, self.column = (position[1] if position else self.row + 1), 0
            else:
                self.column, self.row = position or (self.column + 1, self.row)
            yield name == b"c", tag.start(), self.column, self.row

    def skip_to_end(self, block: bytes) -> None:
        """Follow a block whose tags all read `<c r="` or `<row r="` by its last ones alone."""
        row_at, cell_at = block.rfind(b'<row r="'), block.rfind(b'<c r="')
        if row_at > cell_at:
            self.row, self.column = attribute_position(block, row_at + 8)[1], 0
        elif cell_at != -1:
            self.column, self.row = attribute_position(block, cell_at + 6)


def has_unusual_cell_tags(block: bytes) -> bool:
    if _UNUSUAL_CELL_TAG.search(block) or _UNUSUAL_ROW_TAG.search(block):
        return True
    # `:c ` is rare outside tag names (a colon is); check each hit is a prefixed tag name.
    for hit in _PREFIXED_NAME_END.finditer(block):
        if _PREFIXED_NAME_START.search(block, max(0, hit.start() - 64), hit.start()):
            return True
    return False


def attribute_position(block: bytes, value_start: int) -> tuple[int, int]:
    ref = block[value_start : block.find(b'"', value_start)]
    return ref_position(ref) or (0, 0)


def ref_position(ref: bytes) -> tuple[int, int] | None:
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


def cell_name(column: int, row: int) -> str:
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
