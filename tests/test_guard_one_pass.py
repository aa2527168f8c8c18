"""The guard and the formula check in one reading (``inspect_with_formulas``): the very
formulas, and the very refusals, of ``inspect_upload`` then ``formulas_without_value``."""

from __future__ import annotations

import zipfile
from io import BytesIO

import pytest

from ingest.guard import UploadRejected, formulas_without_value, inspect_upload
from ingest.guard import inspect_with_formulas as one_pass
from tests.test_guard import MAIN_NS, formula_sheet, rezip, sheet_xml, with_sheet, workbook  # noqa: F401

SHEETS_WITH_FORMULAS = [
    ("", '<c r="F2"><f>A1</f></c>'),  # as spreadsheet programs write it
    ("x", '<c r="F2"><f>A1</f></c>'),  # a namespace prefix on every element
    ("", "<c><f>A1</f></c>"),  # placed by counting: no r
    ("", '<c r="F2"><f><![CDATA[A1]]></f></c>'),  # read by the XML parser instead
]


def in_turn(data: bytes, name: str = "r.xlsx"):
    """What the two checks give one after the other, or the first refusal."""
    try:
        return inspect_upload(data, name), formulas_without_value(data)
    except UploadRejected as refusal:
        return refusal.code, refusal.params


def in_one_pass(data: bytes, name: str = "r.xlsx"):
    try:
        return one_pass(data, name)
    except UploadRejected as refusal:
        return refusal.code, refusal.params


@pytest.mark.parametrize(("prefix", "last_cell"), SHEETS_WITH_FORMULAS)
def test_formulas_are_found_as_in_turn(workbook, prefix, last_cell):  # noqa: F811
    data = with_sheet(workbook, formula_sheet(prefix, last_cell))
    expected = ("xlsx", [("weekly", "C1"), ("weekly", "E1"), ("weekly", "F2")])
    assert in_one_pass(data) == in_turn(data) == expected


@pytest.mark.parametrize(
    "body",
    [
        '<row r="1"><c r="A1"><v>1</v></c></row>',  # no formula: nothing read twice
        '<row r="1"><c r="A1" t="inlineStr"><is><t><![CDATA[<f]]></t></is></c></row>',
        '<row r="1"><c r="A1"><f><![CDATA[A1</f></c></row>',  # CDATA left open: malformed
        '<row r="1"><c r="A1"><x:f xmlns:x="urn:other">1</x:f></c></row>',  # not a formula
        '<row r="1"><c r="A1"><x:f>1</x:f></c></row>',  # a prefix bound nowhere: malformed
    ],
)
def test_other_sheets_give_what_the_two_checks_give_in_turn(workbook, body):  # noqa: F811
    data = with_sheet(workbook, sheet_xml(body))
    assert in_one_pass(data) == in_turn(data)


@pytest.mark.parametrize(
    "body",
    [
        '<row r="1"><c r="A1"><v>1</v></c></row><x:c r="A2"><x:f>1</x:f></x:c>',
        '<row r="1"><c r="A1"><v>1</v></c></row>',  # bound, unused: read anyway
        '<row r="1"><c r="A1"><v>1</v></c></row><x:!DOCTYPE x>',  # a DTD once unprefixed
    ],
)
def test_a_prefix_bound_to_the_spreadsheet_namespace_is_read_as_in_turn(workbook, body):  # noqa: F811
    bound = f' xmlns:x="{MAIN_NS}"'
    data = with_sheet(workbook, sheet_xml(body, root_attributes=bound))
    assert in_one_pass(data) == in_turn(data)


def test_data_validation_formulas_are_not_cell_formulas(workbook):  # noqa: F811
    validation = (
        '<dataValidations count="1"><dataValidation type="whole" sqref="B2">'
        "<formula1>2000</formula1><formula2>2100</formula2></dataValidation></dataValidations>"
    )
    xml = sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>').replace(
        b"</sheetData>", b"</sheetData>" + validation.encode()
    )
    data = with_sheet(workbook, xml)
    assert in_one_pass(data) == in_turn(data) == ("xlsx", [])


def test_a_sheet_pointed_at_the_workbook_part_is_still_read_for_formulas(workbook):  # noqa: F811
    """A part the guard reads by other means (here the workbook's own) is not skipped."""
    rels = "xl/_rels/workbook.xml.rels"
    with zipfile.ZipFile(BytesIO(workbook)) as book:
        targets = book.read(rels).decode()
    data = rezip(workbook, replace={rels: targets.replace("worksheets/sheet1.xml", "workbook.xml")})
    assert in_one_pass(data) == in_turn(data)


def test_a_csv_has_no_formulas():
    data = b"epn_id,week_start\nEPN-0001,2025-01-06\n"
    assert in_one_pass(data, "s.csv") == ("csv", [])
    assert inspect_upload(data, "s.csv") == "csv"
