"""Columnar ingestion (issue 12, item 2): a CSV read by Arrow into columns and typed a column
at a time gives exactly what the csv module's stream typed cell by cell gives, values and
problems alike; the cell path stays the reference and the fallback.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pandera.errors import SchemaErrors

from epn.standard import STATISTICS, Column, Sheet
from epn.tables import RawSheet, blank_cells, is_blank
from ingest import readers
from ingest.csv_columns import arrow_sheet
from ingest.readers import MAX_CELL_CHARS, csv_sheet, streamed_csv_sheet
from tests.conftest import STATS_HEADER, csv_bytes
from validation.parse import parse_upload
from validation.schema_checks import SMALL, Columns, all_hold, per_distinct, repeated_keys
from validation.statistics import statistics_schema
from validation.typing import type_sheet

SHEET = Sheet(
    "mixed",
    (
        Column("epn_id", "text", required=True),
        Column("week_start", "date", required=True),
        Column("status", "code", required=True, codes=("open", "closed")),
        Column("closure_reason", "text"),
        Column("public_hours", "decimal"),
        Column("visits", "integer", required=True),
        Column("nonprofit", "yesno"),
    ),
)
SPACES = st.sampled_from(["", " ", "  ", "\t", "\u00a0", "\u202f", "\u3000", "\x1c", "\n"])
NUMBERS = st.one_of(
    st.integers(-(2**33), 2**33).map(str),
    st.floats(-1e6, 1e6, allow_nan=False).map(lambda f: f"{f:.{abs(hash(f)) % 4}f}"),
    st.decimals(-1000, 1000, places=2).map(lambda d: str(d).replace(".", ",")),
    st.sampled_from(["12", "12.5", "12,5", "+5", "-0", "5.", ".5", ",5", "1 000", "1\u00a0000"]),
    st.sampled_from(["2147483647", "2147483648", "-2147483648", "9" * 400, "1." + "0" * 30]),
)
ODD_FORMS = st.sampled_from(
    ["1_5", "1e3", "１２", "inf", "nan", "NaN", "-", "+", ".", ",", "1,2,3", "1.2.3", "0x10"]
    + ["#N/A", "#VALUE!", " #REF! ", "#", "# N/A", "abc", "12 h", "1'000"]
)
DATES = st.one_of(
    st.dates(dt.date(1990, 1, 1), dt.date(2100, 1, 1)).map(dt.date.isoformat),
    st.sampled_from(["2024-02-30", "2024-01-01T00:00", "2024-01-01 00:00:00", "01/02/2024"]),
    st.sampled_from(["2024-01-01T12:00", "２０２４-01-01", "2024-1-1", "20240101"]),
)
LABELS = st.sampled_from(
    ["open", "closed", "OPEN", "Fermé", "fermé", "gesloten", "Closed ", "ouvert", "Open_"]
    + ["oui", "non", "Ja", "nee", "yes", "NO", "vrai", "1", "0", "maybe"]
    + ["EPN-0001", "epn-0002", " EPN 3", "EPN-" + "9" * 40, "_x", "ÉPN-1"]
)
CELLS = st.builds(
    lambda before, text, after: before + text + after,
    SPACES,
    st.one_of(NUMBERS, ODD_FORMS, DATES, LABELS, st.text(max_size=6), st.just("")),
    SPACES,
)


def reference_sheet(columns: dict[str, list[str]], rows: list[int]) -> RawSheet:
    """What the stream hands the cell path: None for a blank cell."""
    cells = {key: [c if c.strip() else None for c in values] for key, values in columns.items()}
    return RawSheet(None, cells, rows, letters={k: "ABCDEFG"[i] for i, k in enumerate(cells)})


def columnar_sheet(columns: dict[str, list[str]], rows: list[int]) -> RawSheet:
    cells = {key: pa.array(values, pa.string()) for key, values in columns.items()}
    return RawSheet(None, cells, rows, letters={k: "ABCDEFG"[i] for i, k in enumerate(cells)})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(*[CELLS] * len(SHEET.columns)), min_size=1, max_size=30))
@example([("EPN-1", "2024-01-01", "open", "", "1_5", "1e3", "１２")] * 12)
@example([(" 12 ", "12,5", "12.5", "", " ", "\t", "#N/A")])
def test_columns_typed_at_once_as_cell_by_cell(records):
    columns = {c.key: [r[i] for r in records] for i, c in enumerate(SHEET.columns)}
    rows = list(range(2, 2 + len(records)))
    expected_frame, expected = type_sheet(reference_sheet(columns, rows), SHEET)
    frame, problems = type_sheet(columnar_sheet(columns, rows), SHEET)
    assert problems == expected  # sheet, row, column, value, code and parameters
    pd.testing.assert_frame_equal(frame, expected_frame)
    for key in ("epn_id", "week_start", "status"):  # objects of the very same types
        assert [type(v) for v in frame[key]] == [type(v) for v in expected_frame[key]]


def test_a_column_of_wrong_cells_is_summarised_as_before():
    bad = ["1_5", "1e3", "１２", "12.5", " ", "x"] * 30
    columns = {c.key: ["EPN-1"] * len(bad) for c in SHEET.columns}
    columns["visits"] = bad
    rows = list(range(3, 3 + len(bad)))
    _, expected = type_sheet(reference_sheet(columns, rows), SHEET)
    _, problems = type_sheet(columnar_sheet(columns, rows), SHEET)
    assert problems == expected
    assert {p.code for p in problems} >= {"not_an_integer", "required", "similar_problems"}


CSV_PIECES = st.sampled_from(
    ["a", "EPN-1", "12,5", " ", ",", ";", '"', '""', "\n", "\r\n", "é", "\t", "visits", ""]
)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.lists(CSV_PIECES, max_size=12).map("".join), min_size=0, max_size=8),
    st.sampled_from([",", ";"]),
    st.booleans(),
)
def test_arrow_reads_a_csv_as_the_stream_does(lines, delimiter, final_newline):
    header = delimiter.join(STATS_HEADER)
    text = "\n".join([header, *lines]) + ("\n" if final_newline else "")
    data = text.encode()
    expected = _streamed_or_error(text)
    try:
        sheet = arrow_sheet(data, readers._delimiter(text), STATISTICS.keys, 5, MAX_CELL_CHARS)
    except Exception as error:
        assert expected == ("error", type(error), getattr(error, "code", None))
        return
    if sheet is not None:  # None: Arrow's reading might differ, the stream reads it
        assert _plain(sheet) == expected


def test_an_ordinary_csv_takes_the_columnar_path():
    rows = [["EPN-1", "2024-01-01", "open", "", "20", "18", "40", "30", "3"]] * 3
    data = "Relevé\n".encode() + csv_bytes(STATS_HEADER, rows)  # a title: another width
    assert arrow_sheet(data, ",", STATISTICS.keys, None, MAX_CELL_CHARS) is None
    data = csv_bytes(STATS_HEADER, rows + [[""] * 9] + rows, delimiter=";")
    sheet = arrow_sheet(data, ";", STATISTICS.keys, None, MAX_CELL_CHARS)
    assert sheet is not None and sheet.rows == [2, 3, 4, 6, 7, 8]
    assert _plain(sheet) == _plain(streamed_csv_sheet(data.decode(), STATISTICS.keys))


@pytest.mark.parametrize(
    "data",
    [
        b"epn_id,week_start\r\nEPN-1,2024-01-01\rEPN-2,2024-01-08\r\n",  # a lone CR
        b'epn_id,week_start\nEPN-1,"2024-01-01\nEPN-2,2024-01-08\n',  # an open quote
        b"epn_id,week_start\nEPN-1," + b"x" * (MAX_CELL_CHARS + 1) + b"\n",  # a cell too long
        "\ufeffepn_id,status\nEPN-1,open\n\n\n,\nEPN-1,open\n".encode(),
    ],
)
def test_unusual_files_end_as_the_stream_ends_them(data):
    expected = _streamed_or_error(data.decode("utf-8-sig"))
    try:
        got = _plain(csv_sheet(data, STATISTICS.keys, 100))
    except Exception as error:
        got = ("error", type(error), getattr(error, "code", None))
    assert got == expected


def test_a_rejected_file_says_what_the_cell_path_said(monkeypatch):
    rows = [
        ["EPN-0001", "2024-01-01", "open", "", "1_5", "18", "40", "30", "3"],
        ["EPN-0001", "2024-01-08", "fermé", "", "0", "0", "1e3", "0", "0"],
        ["epn-0001", "2024-01-09", "open", "", " 12 ", "12,5", "１２", "", "x"],
        ["EPN-0002", "2024-02-30", "gesloten", "Congés", "12.5", "200", "-1", "5", "9"],
        ["", "", "", "#N/A", "", "", "", "", ""],
        ["EPN 3", "2024-01-15", "maybe", "", "170", "1 000", "2147483648", "3", "4"],
    ]
    data = csv_bytes(STATS_HEADER, rows * 4, delimiter=";")
    known = frozenset({"EPN-0001", "EPN-0002"})
    columnar = parse_upload(data, "csv", known)
    monkeypatch.setattr(readers, "arrow_sheet", lambda *args: None)
    streamed = parse_upload(data, "csv", known)
    assert columnar.problems == streamed.problems and len(columnar.problems) > 20
    assert [p.to_dict("nl") for p in columnar.problems] == [
        p.to_dict("nl") for p in streamed.problems
    ]


def _streamed_or_error(text: str):
    try:
        return _plain(streamed_csv_sheet(text, STATISTICS.keys, 5))
    except Exception as error:
        return ("error", type(error), getattr(error, "code", None))


def _plain(sheet: RawSheet) -> tuple:
    """A sheet with its cells as the stream gives them: lists, None for a blank."""
    cells = {
        key: [
            None if c is None or not c.strip() else c
            for c in (v.to_pylist() if isinstance(v, pa.Array) else v)
        ]
        for key, v in sheet.cells.items()
    }
    return (cells, list(sheet.rows), sheet.headers, sheet.letters, sheet.header_row, sheet.repeated)


WORKBOOK_CELLS = st.one_of(
    st.sampled_from(["", " ", "\t", "NA", "n/a", "NULL", "None", "nan", "#N/A", "x", " EPN-1 "]),
    st.text(max_size=4).filter(lambda text: "\ufeff" not in text),  # BOM: pandas' own path
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([2.0**62, 2.0**63, -(2.0**70), 1e300, -0.0, 3.0, 3.5]),
    st.integers(-(2**70), 2**70),
    st.booleans(),
    st.none(),
    st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)),
    st.datetimes(dt.datetime(1900, 1, 1), dt.datetime(2100, 1, 1)),
)


def _alike(a, b) -> bool:
    if type(a) is not type(b):
        return False
    return a == b or (isinstance(a, float) and a != a and b != b)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_workbook_cells_converted_and_found_blank_column_by_column(data):
    """``excel_grid`` and ``blank_cells`` decide whole columns; each cell must end as the
    cell-by-cell functions (the reference) leave it."""
    width = data.draw(st.integers(1, 4))
    height = data.draw(st.integers(1, 12))
    one_type = [data.draw(st.sampled_from(["float", "str", "date", "mixed"])) for _ in range(width)]
    kinds = {
        "float": st.floats() | st.sampled_from([2.0**62, 2.0**63, 3.0, -0.0, 1e300]),
        "str": st.sampled_from(["", " ", "NA", "n/a", "x", "nan", "\u00a0", "1"]),
        "date": st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)),
        "mixed": WORKBOOK_CELLS,
    }
    columns = [data.draw(st.lists(kinds[k], min_size=height, max_size=height)) for k in one_type]
    rows = [list(row) for row in zip(*columns, strict=True)]
    grid = readers.excel_grid(rows).to_numpy(dtype=object)
    expected = [[readers._as_pandas_cell(cell) for cell in row] for row in rows]
    pairs = [
        (a, b)
        for row, ref in zip(grid, expected, strict=True)
        for a, b in zip(row, ref, strict=True)
    ]
    assert all(_alike(a, b) for a, b in pairs)
    assert blank_cells(grid).tolist() == [[is_blank(cell) for cell in row] for row in grid]


@pytest.mark.parametrize("broken", [None, "public_hours", "week_start", "epn_id", "status"])
def test_rules_asked_at_once_agree_with_pandera(broken):
    """``all_hold`` spares Pandera's run only where Pandera finds nothing."""
    rows = [
        ["EPN-0001", f"2024-01-{day:02d}", "open", "", "20", "18", "40", "30", "3"]
        for day in (1, 8, 15)
    ]
    column = STATS_HEADER.index(broken) if broken else None
    if broken:  # a value every parser takes but a rule refuses
        rows[1][column] = {"public_hours": "200", "week_start": "2024-01-09"}.get(broken, "")
        if broken == "epn_id":
            rows[1][column] = "EPN-0404"
        if broken == "status":
            rows[1][column] = "closed"  # closed without a reason, with hours
    raw = csv_sheet(csv_bytes(STATS_HEADER, rows), STATISTICS.keys)
    typed, problems = type_sheet(raw, STATISTICS)
    assert not problems
    schema = statistics_schema({"EPN-0001"})
    try:
        schema.validate(typed, lazy=True)
        pandera_finds = False
    except SchemaErrors:
        pandera_finds = True
    assert all_hold(schema, typed) is not pandera_finds
    assert pandera_finds is (broken is not None)


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.sampled_from(["EPN-1", "EPN-2", None, float("nan"), "EPN-3"]), min_size=1),
    st.lists(st.sampled_from([dt.date(2024, 1, 1), dt.date(2024, 1, 2), None]), min_size=1),
    st.integers(0, 5),
)
@example(["EPN-1"], [dt.date(2024, 1, 1)], 3)
def test_keys_and_rules_per_distinct_value_as_row_by_row(ids, weeks, once):
    """Past ``SMALL`` rows, duplicates and rules go by distinct values; the same verdicts."""
    size = SMALL + len(ids) * len(weeks)
    first = np.array([f"EPN-U{n}" for n in range(once)] + (ids * size)[: size - once], dtype=object)
    second = np.array((weeks * size)[:size], dtype=object)
    present = pd.notna(first) & pd.notna(second)
    keys = list(zip(first.tolist(), second.tolist(), strict=True))
    counts = Counter(keys)
    expected = [p and counts[k] > 1 for p, k in zip(present, keys, strict=True)]
    assert repeated_keys([first, second]).tolist() == expected
    monday = [d is not None and d.weekday() != 0 for d in second]
    assert per_distinct(second, lambda d: d.weekday() != 0).tolist() == monday


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(SPACES, st.sampled_from(["a;b", "a,b", ";;,", ",,;", "\r", "x"]))))
def test_the_separator_is_read_from_the_first_non_blank_line_as_before(pieces):
    """``_delimiter`` finds the first non-blank line without copying the whole text."""
    text = "".join(pieces)
    first = next((line for line in io.StringIO(text) if line.strip()), "")
    expected = ";" if first.count(";") > first.count(",") else ","
    assert readers._delimiter(text) == expected


@pytest.mark.parametrize("broken", [None, "public_hours", "status"])
def test_rules_read_each_column_once_with_the_same_verdicts(broken):
    """``all_hold`` hands the rules a ``Columns`` view; a rule's verdict is the same on it."""
    rows = [
        ["EPN-0001", f"2024-01-{day:02d}", "open", "", "20", "18", "40", "30", "3"]
        for day in (1, 8, 15)
    ]
    if broken:
        rows[1][STATS_HEADER.index(broken)] = {"public_hours": "200", "status": "closed"}[broken]
    typed, _ = type_sheet(csv_sheet(csv_bytes(STATS_HEADER, rows), STATISTICS.keys), STATISTICS)
    columns = Columns(typed)
    for check in statistics_schema({"EPN-0001"}).checks:
        on_frame, on_view = check.holds(typed), check.holds(columns)
        assert (on_frame is True) is (on_view is True), check.name
        if on_frame is not True:
            assert on_frame.tolist() == on_view.tolist(), check.name
    with pytest.raises(ValueError):  # what it hands out cannot be written to
        columns.numbers("public_hours")[0] = 0.0
