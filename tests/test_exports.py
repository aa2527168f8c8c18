"""Exports to CSV and xlsx: formula injection defused, numbers kept as numbers."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from dashboards.exports import to_csv_bytes, to_xlsx_bytes

DANGEROUS = ["=1+2", "+33 2 555", "-cmd|' /C calc'!A0", "@SUM(A1)", "\tTab", "\rReturn"]


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "name": [*DANGEROUS, "Espace d'Anderlecht"],
            "visits": [1, -5, 0, 12_345, 7, 8, 9],
            "share": [0.5, -0.25, None, 1.0, 0.0, 0.125, 0.75],
            "on": [dt.date(2024, 1, 1)] * 7,
        }
    )


def test_csv_cells_starting_a_formula_get_an_apostrophe():
    data = to_csv_bytes(frame())
    assert data.startswith("\ufeff".encode())  # Excel reads UTF-8 with its byte-order mark
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["name", "visits", "share", "on"]
    assert [r[0] for r in rows[1:]] == [f"'{text}" for text in DANGEROUS] + ["Espace d'Anderlecht"]
    assert [r[1] for r in rows[1:]] == ["1", "-5", "0", "12345", "7", "8", "9"]  # numbers as is
    assert rows[2][2] == "-0.25" and rows[3][2] == "" and rows[1][3] == "01/01/2024"


def test_csv_headers_are_defused_too():
    rows = list(
        csv.reader(io.StringIO(to_csv_bytes(pd.DataFrame({"=x": [1]})).decode("utf-8-sig")))
    )
    assert rows == [["'=x"], ["1"]]


def test_xlsx_has_no_formula_cell_and_keeps_numbers_and_texts():
    book = load_workbook(io.BytesIO(to_xlsx_bytes(frame())))
    sheet = book["data"]
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert cells and all(cell.data_type != "f" for cell in cells)
    texts = [sheet.cell(r, 1).value for r in range(2, 9)]
    # XML turns a carriage return into a line feed; the text is otherwise kept as typed.
    assert texts == [*(d.replace("\r", "\n") for d in DANGEROUS), "Espace d'Anderlecht"]
    assert all(sheet.cell(r, 1).data_type == "s" for r in range(2, 9))
    assert all(sheet.cell(r, 1).quotePrefix for r in range(2, 8))  # stays text after an edit
    visits = [sheet.cell(r, 2) for r in range(2, 9)]
    assert [c.value for c in visits] == [1, -5, 0, 12_345, 7, 8, 9]
    assert all(c.data_type == "n" for c in visits)
    assert sheet.cell(3, 3).value == -0.25 and sheet.cell(4, 3).value is None
    assert sheet.cell(2, 4).value == dt.datetime(2024, 1, 1)


@pytest.mark.parametrize("title", ["Communes", "a/b:c*d?[e]" + "x" * 40])
def test_xlsx_writes_one_sheet_per_frame_with_a_valid_name(title):
    book = load_workbook(io.BytesIO(to_xlsx_bytes({title: frame(), "Second": frame().head(1)})))
    assert len(book.sheetnames) == 2 and book.sheetnames[1] == "Second"
    assert len(book.sheetnames[0]) <= 31 and not set("[]:*?/\\") & set(book.sheetnames[0])
    for sheet in book.worksheets:
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_numpy_and_pandas_values_become_plain_cells():
    values = pd.DataFrame(
        {
            "n": pd.array([1, None], dtype="Int64"),
            "f": pd.array([1.5, None], dtype="Float64"),
            "b": [True, False],
            "t": pd.to_datetime(["2024-03-01 10:30", None]),
        }
    )
    sheet = load_workbook(io.BytesIO(to_xlsx_bytes(values)))["data"]
    assert [c.value for c in sheet[2]] == [1, 1.5, True, dt.datetime(2024, 3, 1, 10, 30)]
    assert [c.value for c in sheet[3]] == [None, None, False, None]
    rows = list(csv.reader(io.StringIO(to_csv_bytes(values).decode("utf-8-sig"))))
    assert rows[2] == ["", "", "False", ""]


def test_csv_in_french_and_dutch_uses_semicolons_and_decimal_commas():
    """What a Belgian Excel splits into columns and reads as numbers; a field holding the
    separator, a quote or a line break is quoted, a formula still defused."""
    import datetime as dt

    table = pd.DataFrame(
        {
            "Nom": ["x;=1+1", 'dit "ça"', "deux\nlignes"],
            "Part": [0.25, -1.5, None],
            "Le": [dt.date(2024, 3, 1)] * 3,
        }
    )
    for lang in ("fr", "nl"):
        data = to_csv_bytes(table, lang)
        assert data.startswith("\ufeff".encode())
        text = data.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text), delimiter=";"))
        assert rows[0] == ["Nom", "Part", "Le"]
        assert [r[0] for r in rows[1:]] == ["x;=1+1", 'dit "ça"', "deux\nlignes"]
        assert [r[1] for r in rows[1:]] == ["0,25", "-1,5", ""]
        assert rows[1][2] == "01/03/2024"
    english = list(csv.reader(io.StringIO(to_csv_bytes(table, "en").decode("utf-8-sig"))))
    assert english[1][:2] == ["x;=1+1", "0.25"]


def test_tables_offer_no_download_of_their_own():
    """Streamlit's "Download as CSV" of a table skips our defusing: it is switched off."""
    import tomllib
    from pathlib import Path

    config = Path(__file__).parents[1] / ".streamlit" / "config.toml"
    assert tomllib.loads(config.read_text())["client"]["disableDataExport"] is True
