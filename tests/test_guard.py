"""The upload guard and the isolated parser, against hostile files built right here."""

from __future__ import annotations

import faulthandler
import io
import os
import random
import re
import signal
import struct
import time
import tomllib
import zipfile
from pathlib import Path

import openpyxl
import pytest

from epn.errors import EpnError
from epn.locale import LANGUAGES
from epn.settings import Settings
from ingest.guard import UploadRejected, formulas_without_value, inspect_upload
from ingest.sandbox import run_isolated

SHEET = "xl/worksheets/sheet1.xml"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SPREADSHEET_2003_NS = "urn:schemas-microsoft-com:office:spreadsheet"
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
GUARD_MESSAGES = Path(__file__).parents[1] / "epn" / "messages" / "guard.toml"


# --- building files ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def workbook() -> bytes:
    """A small, valid statistics workbook written by openpyxl."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "weekly"
    sheet.append(["epn_id", "week_start", "status", "public_hours", "visits"])
    for week in range(1, 6):
        sheet.append(["EPN-0001", f"2025-01-{week:02d}", "open", 20, 30 + week])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rezip(data: bytes, replace=None, add=None) -> bytes:
    replace, add = replace or {}, add or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = replace.get(info.filename, source.read(info.filename))
            target.writestr(info.filename, content, zipfile.ZIP_DEFLATED)
        for name, content in add.items():
            target.writestr(name, content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def sheet_xml(body: str, dimension: str = "A1:B2", root_attributes: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN_NS}"{root_attributes}>'
        f'<dimension ref="{dimension}"/><sheetData>{body}</sheetData></worksheet>'
    ).encode()


def with_sheet(workbook: bytes, xml: bytes) -> bytes:
    return rezip(workbook, replace={SHEET: xml})


def ole2_file(stream_names: list[str]) -> bytes:
    """A minimal compound file (the .xls / encrypted-package container) with empty streams."""
    header = bytearray(512)
    header[:8] = OLE2_SIGNATURE
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIII", header, 44, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE)
    header[76:] = struct.pack("<I", 0) + b"\xff" * 432  # the one FAT sector is sector 0
    fat = struct.pack("<II", 0xFFFFFFFD, 0xFFFFFFFE) + b"\xff" * 504
    entries = [_ole2_entry("Root Entry", 5, child=1)]
    for index, name in enumerate(stream_names, start=1):
        last = index == len(stream_names)
        entries.append(_ole2_entry(name, 2, right=0xFFFFFFFF if last else index + 1))
    directory = b"".join(entries).ljust(512, b"\x00")
    return bytes(header) + fat + directory


def _ole2_entry(name: str, kind: int, child=0xFFFFFFFF, right=0xFFFFFFFF) -> bytes:
    encoded = name.encode("utf-16-le")
    entry = bytearray(128)
    entry[: len(encoded)] = encoded
    struct.pack_into("<HBBIII", entry, 64, len(encoded) + 2, kind, 1, 0xFFFFFFFF, right, child)
    struct.pack_into("<IQ", entry, 116, 0xFFFFFFFE, 0)
    return bytes(entry)


def patch_declared_size(data: bytes, member: str, size: int, *, local: bool) -> bytes:
    """Make the central directory (and optionally the local header) declare ``size``."""
    patched = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(member)
    if local:
        struct.pack_into("<I", patched, info.header_offset + 22, size)
    for entry in re.finditer(rb"PK\x01\x02", data):
        name_length = struct.unpack_from("<H", data, entry.start() + 28)[0]
        if data[entry.start() + 46 : entry.start() + 46 + name_length] == member.encode():
            struct.pack_into("<I", patched, entry.start() + 24, size)
    return bytes(patched)


def overlapping_zip() -> bytes:
    """Member b's local header and data lie inside member a's data (one byte range, two files)."""
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr("b.xml", b"<b/>")
        b_info = archive.getinfo("b.xml")
    inner_local = inner.getvalue()[: inner.getvalue().index(b"PK\x01\x02")]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("a.xml", inner_local)
        b_info.header_offset = zipfile.sizeFileHeader + len("a.xml")
        archive.filelist.append(b_info)  # written into the central directory on close
    return out.getvalue()


def assert_rejected(code: str, data: bytes, filename: str, settings=None) -> UploadRejected:
    with pytest.raises(UploadRejected) as caught:
        inspect_upload(data, filename, settings)
    error = caught.value
    assert error.code == code
    for lang in LANGUAGES:
        text = error.message(lang)
        assert text and text != code
        assert "Traceback" not in text and "{" not in text, text
    return error


# --- names, sizes, what the bytes really are ---------------------------------------------------


def test_a_valid_workbook_passes(workbook):
    assert inspect_upload(workbook, "rapport 2025.xlsx") == "xlsx"
    assert inspect_upload(workbook, "C:\\Users\\epn\\RAPPORT.XLSX") == "xlsx"


def test_a_valid_csv_passes():
    data = "\ufeffepn_id;week_start;visits\nEPN-0001;2025-01-06;31\n".encode()
    assert inspect_upload(data, "stats.csv") == "csv"


@pytest.mark.parametrize("name", ["empty.xlsx", "empty.csv"])
@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf \r\n"])
def test_empty_file(name, data):
    assert_rejected("file_empty", data, name)


def test_file_over_the_size_cap():
    error = assert_rejected(
        "file_too_large", b"a;b\n" * 100, "s.csv", Settings(max_upload_bytes=100)
    )
    assert error.params["size_mb"] == 0.0


@pytest.mark.parametrize("name", ["report.pdf", "report", "report.xls", "report.xlsm"])
def test_other_extensions(name):
    error = assert_rejected("file_type_unknown", b"data", name)
    assert error.params["filename"] == name


def test_csv_renamed_xlsx():
    assert_rejected("xlsx_is_text", b"epn_id,week_start\nEPN-0001,2025-01-06\n", "r.xlsx")
    assert_rejected("xlsx_is_text", "epn_id;début\n".encode("cp1252"), "r.xlsx")


@pytest.mark.parametrize(
    "markup",
    [
        b"<!DOCTYPE html><html><body><table><tr><td>1</td></tr></table></body></html>",
        b"\xef\xbb\xbf  <html><table></table></html>",
        f'<?xml version="1.0"?><Workbook xmlns="{SPREADSHEET_2003_NS}"/>'.encode("utf-16"),
    ],
)
def test_html_or_xml_renamed_xlsx(markup):
    assert_rejected("xlsx_is_html", markup, "export.xlsx")


@pytest.mark.parametrize(
    "program",
    [
        b"\x7fELF\x02\x01\x01\x00" + bytes(120),
        b"MZ" + bytes(58) + struct.pack("<I", 64) + b"PE\x00\x00" + bytes(64),
        b"\xcf\xfa\xed\xfe" + bytes(60),
        b"#!/bin/sh\nrm -rf ~\n",
    ],
)
@pytest.mark.parametrize("name", ["report.xlsx", "stats.csv"])
def test_executables(program, name):
    assert_rejected("file_is_executable", program, name)


def test_legacy_xls_renamed_xlsx():
    assert_rejected("xls_legacy", ole2_file(["Workbook", "SummaryInformation"]), "old.xlsx")


def test_encrypted_workbook():
    encrypted = ole2_file(["EncryptionInfo", "EncryptedPackage", "DataSpaces"])
    assert_rejected("xlsx_encrypted", encrypted, "secret.xlsx")


def test_legacy_xls_whose_text_mentions_encryption_is_still_legacy():
    # The name must sit in a directory entry, not anywhere in the bytes.
    data = ole2_file(["Workbook"]) + b"\x00" * 3 + "EncryptionInfo".encode("utf-16-le")
    assert_rejected("xls_legacy", data, "old.xlsx")


def test_zip_encrypted_members():
    data = bytearray(rezip(workbook_bytes()))
    for entry in re.finditer(rb"PK\x01\x02", bytes(data)):
        data[entry.start() + 8] |= 0x01  # the "encrypted" flag, in the central directory
    assert_rejected("xlsx_encrypted", bytes(data), "secret.xlsx")


def workbook_bytes() -> bytes:
    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "members",
    [
        {"notes.txt": b"hello"},
        {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<document/>"},
        {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"},
        {},
    ],
)
def test_zip_that_is_not_a_workbook(members):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    assert_rejected("xlsx_not_workbook", out.getvalue(), "report.xlsx")


def test_csv_that_is_not_utf8():
    error = assert_rejected(
        "csv_not_text", "epn_id\nEPN-0001\nSaint-Gilles é\n".encode("cp1252"), "s.csv"
    )
    assert error.params["line"] == 3


def test_workbook_renamed_csv(workbook):
    assert_rejected("csv_not_text", workbook, "stats.csv")


# --- macros ------------------------------------------------------------------------------------


def test_macros_by_vba_project(workbook):
    assert_rejected(
        "xlsx_macros", rezip(workbook, add={"xl/vbaProject.bin": b"\x00" * 64}), "m.xlsx"
    )


def test_macros_by_content_type(workbook):
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        types = archive.read("[Content_Types].xml")
    macro_types = types.replace(b"sheet.main+xml", b"sheet.macroEnabled.main+xml")
    assert_rejected(
        "xlsx_macros", rezip(workbook, replace={"[Content_Types].xml": macro_types}), "m.xlsx"
    )


# --- the zip container -------------------------------------------------------------------------


def test_zip_bomb(workbook):
    bomb = rezip(workbook, add={"customXml/item1.xml": b"\x00" * (20 * 1024 * 1024)})
    assert len(bomb) < 100_000
    error = assert_rejected("zip_bomb", bomb, "bomb.xlsx")
    assert error.params["ratio"] > 200


def test_declared_total_over_the_cap(workbook):
    assert_rejected("zip_too_large", workbook, "r.xlsx", Settings(max_uncompressed_bytes=2000))


def test_central_directory_lying_about_a_size(workbook):
    assert_rejected("zip_corrupt", patch_declared_size(workbook, SHEET, 10, local=False), "r.xlsx")


def test_stream_longer_than_both_headers_declare(workbook):
    # Directory and local header agree on 10 bytes; inflating must stop right after them.
    lying = patch_declared_size(workbook, SHEET, 10, local=True)
    assert_rejected("zip_corrupt", lying, "r.xlsx")


def test_truncated_zip(workbook):
    assert_rejected("zip_corrupt", workbook[: len(workbook) // 2], "r.xlsx")
    assert_rejected("zip_corrupt", workbook[:-30], "r.xlsx")


def test_overlapping_members():
    assert_rejected("zip_corrupt", overlapping_zip(), "r.xlsx")


def test_corrupted_member_data(workbook):
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        info = archive.getinfo(SHEET)
    damaged = bytearray(workbook)
    damaged[info.header_offset + 30 + len(SHEET) + 20] ^= 0xFF
    assert_rejected("zip_corrupt", bytes(damaged), "r.xlsx")


# --- XML hazards -------------------------------------------------------------------------------

BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)).replace(
        "&lol0;", "&lol;"
    )
    + f']><worksheet xmlns="{MAIN_NS}"><sheetData><row r="1"><c r="A1" t="inlineStr">'
    + "<is><t>&lol9;</t></is></c></row></sheetData></worksheet>"
)
EXTERNAL_ENTITY = (
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    f'<worksheet xmlns="{MAIN_NS}"><sheetData><row r="1"><c r="A1" t="inlineStr">'
    "<is><t>&xxe;</t></is></c></row></sheetData></worksheet>"
)


@pytest.mark.parametrize("xml", [BILLION_LAUGHS, EXTERNAL_ENTITY])
def test_entities_in_a_sheet(workbook, xml):
    assert_rejected("xml_entities", with_sheet(workbook, xml.encode()), "r.xlsx")


def test_doctype_in_a_structural_part(workbook):
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        types = archive.read("[Content_Types].xml")
    hostile = types.replace(b"<Types", b'<!DOCTYPE Types SYSTEM "http://evil/t.dtd"><Types', 1)
    assert_rejected(
        "xml_entities", rezip(workbook, replace={"[Content_Types].xml": hostile}), "r.xlsx"
    )


def test_comments_and_cdata_are_not_declarations(workbook):
    cell = '<c r="A1" t="inlineStr"><is><t><![CDATA[x]]></t></is></c>'
    xml = sheet_xml(f'<!-- a comment --><row r="1">{cell}</row>')
    assert inspect_upload(with_sheet(workbook, xml), "r.xlsx") == "xlsx"


def test_utf16_xml_part(workbook):
    xml = sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>').decode().encode("utf-16")
    assert_rejected("xml_malformed", with_sheet(workbook, xml), "r.xlsx")


# --- how far a sheet reaches -------------------------------------------------------------------


def test_spoofed_dimension_hides_a_far_cell(workbook):
    far_row = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    xml = sheet_xml(f'<row r="1"><c r="A1"><v>1</v></c></row>{far_row}')
    hostile = with_sheet(workbook, xml)
    assert len(hostile) < 8192  # what some readers would expand to a 17-billion-cell grid
    error = assert_rejected("sheet_too_large", hostile, "r.xlsx")
    assert (error.params["sheet"], error.params["cell"]) == ("weekly", "XFD1048576")


def test_honest_huge_dimension(workbook):
    xml = sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>', dimension="A1:XFD1048576")
    error = assert_rejected("sheet_too_large", with_sheet(workbook, xml), "r.xlsx")
    assert error.params["cell"] == "XFD1048576"


@pytest.mark.parametrize(
    ("body", "cell"),
    [
        # 100,000 data rows below up to 20 rows of header and title
        ('<row r="100021"><c r="A100021"><v>1</v></c></row>', "A100021"),
        ('<row r="1"><c r="GS1"><v>1</v></c></row>', "GS1"),
        ('<row r="1"><c r="gz1"><v>1</v></c></row>', "GZ1"),
        ('<row r="1"><c r="A000000001048576"><v>1</v></c></row>', "A1048576"),
        ('<row r="1"><c r="A1" s="1"/><c s="1" r="ZZ1"/></row>', "ZZ1"),  # r not first
        ('<row r="1">' + "<c><v>1</v></c>" * 201 + "</row>", "GS1"),  # no r: counted
        ("<row/>" * 5 + '<row r="100019"/><row/><row/>', "A100021"),
        ('<row r="1"><c\nr="XFD1"/></row>', "XFD1"),
        ("<row r=\"1\"><c r='XFD1'/></row>", "XFD1"),
    ],
)
def test_far_cells_written_in_any_form(workbook, body, cell):
    error = assert_rejected("sheet_too_large", with_sheet(workbook, sheet_xml(body)), "r.xlsx")
    assert error.params["cell"] == cell


def test_prefixed_namespace_sheet(workbook):
    xml = (
        f'<x:worksheet xmlns:x="{MAIN_NS}"><x:sheetData><x:row r="1"><x:c r="A1"/></x:row>'
        '<x:row><x:c r="XFD2"/></x:row></x:sheetData></x:worksheet>'
    ).encode()
    assert_rejected("sheet_too_large", with_sheet(workbook, xml), "r.xlsx")


def test_exactly_at_the_caps_passes(workbook):
    xml = sheet_xml('<row r="100020"><c r="GR100020"><v>1</v></c></row>', dimension="A1:GR100020")
    assert inspect_upload(with_sheet(workbook, xml), "r.xlsx") == "xlsx"


def test_far_reference_in_text_is_not_a_cell(workbook):
    text = 'see r="XFD1048576" and 1234567"'
    body = f'<row r="1"><c r="A1" t="inlineStr"><is><t>{text}</t></is></c></row>'
    assert inspect_upload(with_sheet(workbook, sheet_xml(body)), "r.xlsx") == "xlsx"


def test_smaller_caps_from_settings(workbook):
    error = assert_rejected(
        "sheet_too_large", workbook, "r.xlsx", Settings(max_rows=3, max_columns=2)
    )
    assert error.params["sheet"] == "weekly"


def test_sheet_not_listed_in_the_workbook_is_scanned_too(workbook):
    far = sheet_xml('<row r="1"><c r="XFD1"/></row>')
    error = assert_rejected(
        "sheet_too_large", rezip(workbook, add={"xl/worksheets/hidden.xml": far}), "r.xlsx"
    )
    assert error.params["sheet"] == "hidden.xml"


def test_a_one_megabyte_workbook_is_checked_quickly():
    values = random.Random(7)
    rows = "".join(
        f'<row r="{r}">'
        + "".join(f'<c r="{col}{r}"><v>{values.random() * 50:.4f}</v></c>' for col in "ABCDEFGHI")
        + "</row>"
        for r in range(1, 20_001)
    )
    big = with_sheet(workbook_bytes(), sheet_xml(rows, dimension="A1:I20000"))
    assert len(big) > 1_000_000
    started = time.perf_counter()
    assert inspect_upload(big, "big.xlsx") == "xlsx"
    assert time.perf_counter() - started < 1.0  # about 40 ms on a quiet machine


# --- formulas saved without their value --------------------------------------------------------


def test_formulas_without_value(workbook):
    book = openpyxl.Workbook()
    book.active.title = "epn"
    book.active.append(["key", "value"])
    book.active.append(["workstations", "=2+3"])
    other = book.create_sheet("activities")
    other["C4"] = "=SUM(A1:A3)"
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    assert inspect_upload(data, "r.xlsx") == "xlsx"
    assert formulas_without_value(data) == [("epn", "B2"), ("activities", "C4")]


def formula_sheet(prefix: str, last_cell: str) -> bytes:
    """Cached values in every form, then ``last_cell`` (F2, a formula without value)."""
    cells = (
        '<row r="1"><c r="A1"><f>1+1</f><v>2</v></c><c r="B1" t="str"><f>""</f><v></v></c>'
        '<c r="C1"><f>1/0</f><v/></c><c r="D1" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
        '<c r="E1"><f t="shared" ref="E1:E2" si="0">A1</f></c></row>'
        f'<row r="2"><c r="E2"><f t="shared" si="0"/><v>2</v></c>{last_cell}</row>'
    )
    xml = sheet_xml(cells, dimension="A1:F2").decode()
    if prefix:
        xml = re.sub(r"<(/?)(?=[a-z])", rf"<\1{prefix}:", xml)
        xml = xml.replace(f"xmlns={MAIN_NS!r}".replace("'", '"'), f'xmlns:{prefix}="{MAIN_NS}"')
    return xml.encode()


@pytest.mark.parametrize(
    ("prefix", "last_cell"),
    [
        ("", '<c r="F2"><f>A1</f></c>'),  # as spreadsheet programs write it
        ("x", '<c r="F2"><f>A1</f></c>'),  # a namespace prefix on every element
        ("", "<c><f>A1</f></c>"),  # placed by counting: no r
        ("", '<c r="F2"><f><![CDATA[A1]]></f></c>'),  # read by the XML parser instead
    ],
)
def test_formulas_with_and_without_cached_values(workbook, prefix, last_cell):
    data = with_sheet(workbook, formula_sheet(prefix, last_cell))
    assert inspect_upload(data, "r.xlsx") == "xlsx"
    assert formulas_without_value(data) == [("weekly", "C1"), ("weekly", "E1"), ("weekly", "F2")]


def test_no_formulas(workbook):
    assert formulas_without_value(workbook) == []


# --- the message catalogue ---------------------------------------------------------------------


def test_every_guard_message_speaks_three_languages_with_the_same_placeholders():
    entries = tomllib.loads(GUARD_MESSAGES.read_text(encoding="utf-8"))
    for code, texts in entries.items():
        assert set(texts) == set(LANGUAGES), code
        placeholders = {lang: set(re.findall(r"{(\w+)}", texts[lang])) for lang in LANGUAGES}
        assert placeholders["fr"] == placeholders["nl"] == placeholders["en"], code


# --- the isolated parser -----------------------------------------------------------------------


class ParseProblem(EpnError):
    """Stands for a reader's own error class."""


def echo(value):
    return value


def abort():
    faulthandler.disable()  # pytest's handler would print the child's stack: expected here
    os.abort()


def kill_self():
    os.kill(os.getpid(), signal.SIGKILL)


def allocate(size: int):
    return len(bytearray(size))


def sleep(seconds: float):
    time.sleep(seconds)


def raise_epn_error():
    raise ParseProblem("xlsx_unreadable", detail="bad sheet")


def raise_value_error():
    raise ValueError("not a workbook")


ISOLATION = {"timeout": 20.0, "memory_bytes": 256 * 1024 * 1024}


def test_isolated_result_comes_back():
    assert run_isolated(echo, {"rows": [1, 2]}, **ISOLATION) == {"rows": [1, 2]}


@pytest.mark.parametrize("crash", [abort, kill_self])
def test_a_crashing_child_is_parser_crashed(crash):
    parent = os.getpid()
    with pytest.raises(UploadRejected) as caught:
        run_isolated(crash, **ISOLATION)
    assert caught.value.code == "parser_crashed"
    assert "Traceback" not in caught.value.message("en")
    assert os.getpid() == parent and run_isolated(echo, 1, **ISOLATION) == 1


def test_allocating_past_the_memory_limit_is_refused():
    with pytest.raises(UploadRejected) as caught:
        run_isolated(allocate, 1024 * 1024 * 1024, timeout=20.0, memory_bytes=64 * 1024 * 1024)
    assert caught.value.code == "parser_crashed"
    assert run_isolated(allocate, 1024, **ISOLATION) == 1024


def test_a_slow_child_is_parser_timeout():
    started = time.perf_counter()
    with pytest.raises(UploadRejected) as caught:
        run_isolated(sleep, 30, timeout=0.3, memory_bytes=ISOLATION["memory_bytes"])
    assert caught.value.code == "parser_timeout"
    assert caught.value.params["seconds"] == 0.3
    assert time.perf_counter() - started < 5


def test_epn_errors_cross_with_their_class_code_and_params():
    with pytest.raises(ParseProblem) as caught:
        run_isolated(raise_epn_error, **ISOLATION)
    assert caught.value.code == "xlsx_unreadable"
    assert caught.value.params == {"detail": "bad sheet"}
    assert "bad sheet" in caught.value.message("fr")


def test_other_exceptions_cross_as_they_are():
    with pytest.raises(ValueError, match="not a workbook"):
        run_isolated(raise_value_error, **ISOLATION)
