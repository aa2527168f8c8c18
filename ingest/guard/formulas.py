"""Formula cells saved without a computed value, read from worksheets ``inspect_upload`` accepted.

The fast way finds each `<f` in bounded blocks and reads the cell around it; sheets written
in an unusual way (CDATA, prefixed formulas, formulas outside cells) are read again with the
XML pull parser.
"""

from __future__ import annotations

import bisect
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from contextlib import suppress

from ingest.guard.sheetscan import (
    CellCursor,
    Unprefixer,
    attribute_position,
    cell_name,
    has_unusual_cell_tags,
    ref_position,
)
from ingest.guard.xmlparts import check_xml_block, local, tag_aligned
from ingest.guard.zipguard import MEGABYTE, Archive, Refused

CELL_NAME_ENDINGS = (b" ", b">", b"/", b"\t", b"\n", b"\r")
MAX_CELL_CARRY_BYTES = 4 * MEGABYTE  # a cell (32,767 characters at most) fits many times

_FORMULA_TAG = re.compile(rb"<f[\s/>]")
_PREFIXED_FORMULA_TAG = re.compile(rb"<[\w.-]+:f[\s/>]")
_T_ATTRIBUTE = re.compile(rb"\st\s*=\s*[\"']([^\"']*)")
_VALUE_ELEMENT = re.compile(rb"<v(?:\s[^>]*)?(?:/>|>([^<]*)</v>)")


class _UnusualSheet(Exception):
    """The sheet is not written the usual way: read it with the XML parser instead."""


def formula_cells_lacking_value(archive: Archive, part: str) -> list[str]:
    try:
        return _scan_formula_cells(archive.chunks(part))
    except _UnusualSheet:
        return list(_walk_formula_cells(archive.chunks(part)))


def _scan_formula_cells(chunks: Iterator[bytes]) -> list[str]:
    """The fast way: find each `<f`, then read the cell around it."""
    found: list[str] = []
    unprefix, cursor = Unprefixer(), CellCursor()
    for block in _cell_aligned(map(unprefix, tag_aligned(chunks))):
        check_xml_block(block)
        if b"<![CDATA[" in block or _has_prefixed_formula(block):
            raise _UnusualSheet
        found += _formula_cells_in_block(block, cursor)
    return found


def _formula_cells_in_block(block: bytes, cursor: CellCursor) -> list[str]:
    formulas = [formula.start() for formula in _FORMULA_TAG.finditer(block)]
    if has_unusual_cell_tags(block):
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
        return start, cell_name(*attribute_position(block, start + 6))

    return cell_around


def _walked_cells(block: bytes, cursor: CellCursor):
    """Cell lookup for other blocks: every cell placed by the cursor, then found by offset."""
    cells = [(at, column, row) for is_cell, at, column, row in cursor.walk(block) if is_cell]
    starts = [at for at, _, _ in cells]

    def cell_around(offset: int) -> tuple[int, str]:
        index = bisect.bisect_right(starts, offset) - 1
        if index < 0:
            raise _UnusualSheet
        start, column, row = cells[index]
        return start, cell_name(column, row)

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
        for block in tag_aligned(chunks):
            check_xml_block(block)  # the hazard checks again, should this run on its own
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
            name = local(element.tag)
            if event == "start":
                self._on_start(name, element)
            elif name == "c":
                if self._lacks_value():
                    yield cell_name(self.column, self.row)
                element.clear()
            else:
                self._on_end(name, element)

    def _on_start(self, name: str, element: ET.Element) -> None:
        if name == "sheetData":
            self.rows_parent = element
        elif name == "row":
            position = ref_position((element.get("r") or "").encode())
            self.row, self.column = (position[1] if position else self.row + 1), 0
        elif name == "c":
            ref = element.get("r")
            position = ref_position(ref.encode()) if ref else None
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
