"""The XML parts of a workbook: sheet names, bounded reading, and a hazard scan of every part.

Every part is inflated once, in bounded chunks, re-cut so that no block ends inside a tag,
and refused if it holds a DTD or entity declaration (or is not 8-bit XML). Worksheets are
also handed to ``ingest.sheetscan`` to check their true extent against the caps.
"""

from __future__ import annotations

import itertools
import posixpath
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator

from ingest.guard.sheetscan import MAIN_NAMESPACE_PREFIX, Caps, SheetScanner
from ingest.guard.zipguard import MEGABYTE, Archive, Refused

CONTENT_TYPES = "[Content_Types].xml"
WORKBOOK = "xl/workbook.xml"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
MAX_STRUCTURE_PART_BYTES = 16 * MEGABYTE
MAX_TAG_BYTES = MEGABYTE  # no real tag comes close; a longer one is a trick to hide attributes


def read_xml_part(archive: Archive, name: str) -> bytes:
    """A small structural part, whole, after the same hazard checks as every XML part."""
    content = archive.read(name, MAX_STRUCTURE_PART_BYTES)
    if content is None:
        raise Refused("xml_malformed")
    check_xml_block(content)
    return content


# --- workbook: sheet names -------------------------------------------------------------------


def sheet_parts(archive: Archive) -> dict[str, str]:
    """Worksheet part path -> sheet name, in the workbook's order."""
    workbook = _parse_xml(read_xml_part(archive, WORKBOOK))
    targets = _relationship_targets(archive) if WORKBOOK_RELS in archive else {}
    parts: dict[str, str] = {}
    for sheet in _elements(workbook, "sheet"):
        target = targets.get(_relationship_id(sheet))
        if target and sheet.get("name"):
            parts.setdefault(target, sheet.get("name"))
    return parts


def _relationship_targets(archive: Archive) -> dict[str, str]:
    rels = _parse_xml(read_xml_part(archive, WORKBOOK_RELS))
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
    return (e for e in root.iter() if local(e.tag) == local_name)


def local(tag: str) -> str:
    return tag[tag.rfind("}") + 1 :]


def _parse_xml(content: bytes) -> ET.Element:
    try:
        return ET.fromstring(content)
    except ET.ParseError:
        raise Refused("xml_malformed") from None


# --- workbook: every part --------------------------------------------------------------------


def scan_parts(archive: Archive, sheets: dict[str, str], caps: Caps) -> set[str]:
    """Inflate every member once (proving its real size), and scan those that are XML.

    Returns the members a formula may be read from (``ingest.guard.formulas``): all but the
    XML parts in which no block hints at a formula (``_hints_formula``); the formula check of those
    finds nothing and refuses nothing, so a workbook without formulas is not inflated twice.
    """
    already_read = {CONTENT_TYPES, WORKBOOK, WORKBOOK_RELS}
    sheet_by_part = {part.lower(): sheet for part, sheet in sheets.items()}
    may_hold_formulas = set(already_read)  # read by other means: nothing known of them here
    for name in archive.names:
        if name in already_read:
            continue
        sheet = sheet_by_part.get(name.lower()) or _unlisted_sheet_name(name)
        if _scan_part(archive.chunks(name), sheet, caps):
            may_hold_formulas.add(name)
    return may_hold_formulas


def _unlisted_sheet_name(part: str) -> str | None:
    # A worksheet the workbook does not list is still scanned: some reader may open it.
    if re.fullmatch(r"xl/worksheets/[^/]+\.xml", part):
        return posixpath.basename(part)
    return None


# What the formula check (``ingest.guard.formulas``) reads as a formula (``_FORMULA_TAG``,
# ``_PREFIXED_FORMULA_TAG``) or sends to the XML parser (CDATA); and a prefix bound to the
# spreadsheet namespace, which it drops (``Unprefixer``) where this scan does not. Each starts
# with `<` or lies inside a tag: in tag-aligned blocks, none straddles two blocks.
_FORMULA_HINT = re.compile(rb"<f[\s/>]|<[\w.-]+:f[\s/>]|<!\[CDATA\[")


def _hints_formula(block: bytes) -> bool:
    if _FORMULA_HINT.search(block):
        return True
    return b"xmlns:" in block and MAIN_NAMESPACE_PREFIX.search(block) is not None


def _scan_part(chunks: Iterator[bytes], sheet: str | None, caps: Caps) -> bool:
    """Scans a member; whether a formula may be read from it (see ``scan_parts``)."""
    first = next(chunks, b"")
    if not _starts_like_xml(first):
        for _ in chunks:  # still inflated in full: that checks its size and CRC
            pass
        return True
    scanner = SheetScanner(sheet, caps) if sheet else None
    hinted = False
    for block in tag_aligned(itertools.chain([first], chunks)):
        check_xml_block(block)
        if scanner:
            scanner.feed(block)
        hinted = hinted or _hints_formula(block)
    return hinted


def _starts_like_xml(first: bytes) -> bool:
    if first.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    return first.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] == b"<"


def tag_aligned(chunks: Iterable[bytes]) -> Iterator[bytes]:
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


def check_xml_block(block: bytes) -> None:
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
