"""Every file parsed within bounds, read strictly, and failing alone (issue 11, items 3, 4).

Through ``epn ingest --json`` as an EPN's files reach it: CSV in the same isolated worker as
xlsx, the row cap on data rows of every format, a rejection grouped by code and column, one
object per file whatever happens to one of them, and no guessing between two sheets, two
columns or a number's odd forms.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections import Counter

import openpyxl
import pytest

from epn.settings import get_settings
from tests.conftest import STATS_HEADER, csv_bytes, stats_file, week_rows


def run(cli, *paths, lang="fr") -> tuple[int, list[dict]]:
    code, out, err = cli("ingest", *paths, "--json", "--lang", lang)
    assert "Traceback" not in err and "Erreur inattendue" not in err, err
    return code, json.loads(out)


def codes(result: dict) -> list[tuple]:
    return [(e["row"], e["column"], e["code"]) for e in result["errors"]]


def workbook(sheets: dict[str, list[list]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def renamed_sheet(data: bytes, old: str, new: str) -> bytes:
    """The workbook with a sheet renamed where openpyxl would refuse the name."""
    source, buffer = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "xl/workbook.xml":
                content = content.replace(f'name="{old}"'.encode(), f'name="{new}"'.encode())
            target.writestr(item, content)
    return buffer.getvalue()


@pytest.fixture
def settings_env(monkeypatch, registry):
    """Sets ``EPN_*`` variables for the command (the warehouse stays the test's)."""

    def set_env(**values):
        for name, value in values.items():
            monkeypatch.setenv(f"EPN_{name.upper()}", str(value))
        get_settings.cache_clear()

    return set_env


def test_row_cap_counts_data_rows_in_every_format(cli, settings_env, tmp_path):
    settings_env(max_rows=4)
    rows = week_rows("EPN-0001", 2024)
    at_cap = tmp_path / "at-cap.xlsx"
    at_cap.write_bytes(workbook({"weekly": [["Relevé 2024"], STATS_HEADER, *rows[:4]]}))
    over_xlsx = tmp_path / "over.xlsx"
    over_xlsx.write_bytes(workbook({"weekly": [STATS_HEADER, *rows[4:9]]}))
    code, results = run(
        cli,
        at_cap,
        stats_file(tmp_path, "at-cap.csv", rows[10:14]),
        stats_file(tmp_path, "over.csv", rows[20:25]),
        over_xlsx,
    )
    assert code == 1
    assert [r["status"] for r in results] == ["accepted", "accepted", "rejected", "rejected"]
    assert [e["code"] for r in results[2:] for e in r["errors"]] == ["too_many_rows"] * 2
    assert "4 lignes de données" in results[2]["errors"][0]["message"]


def test_the_sheet_too_large_refusal_names_its_cell(cli, settings_env, tmp_path):
    settings_env(max_rows=4)
    rows = [STATS_HEADER, *week_rows("EPN-0001", 2024)[:4]] + [[None]] * 40 + [["x"]]
    path = tmp_path / "far.xlsx"
    path.write_bytes(workbook({"weekly": rows}))
    _, [result] = run(cli, path)
    [error] = result["errors"]
    assert error["code"] == "sheet_too_large"
    assert re.search(r"cellule [A-Z]+46,", error["message"]) and "{cell}" not in error["message"]


def test_csv_is_parsed_in_the_worker_under_its_deadline(cli, settings_env, tmp_path):
    settings_env(parse_timeout_seconds=0)  # no time at all: only a child can be held to it
    code, [result] = run(cli, stats_file(tmp_path, "s.csv", week_rows("EPN-0001", 2024)[:3]))
    assert code == 1
    assert [e["code"] for e in result["errors"]] == ["parser_timeout"]


def test_one_bad_file_does_not_sink_the_batch(cli, registry, tmp_path):
    rows = week_rows("EPN-0001", 2024)
    huge_cell = [["EPN-0001", "2024-03-04", "closed", "x" * 1_000_000, 0, 0, 0, 0, 0]]
    paths = [
        stats_file(tmp_path, "ok1.csv", rows[:3]),
        stats_file(tmp_path, "one_1MB_cell.csv", huge_cell),
        stats_file(tmp_path, "ok2.csv", rows[3:6]),
    ]
    code, results = run(cli, *paths)
    assert code == 1
    assert [(r["file"], r["status"]) for r in results] == [
        ("ok1.csv", "accepted"),
        ("one_1MB_cell.csv", "rejected"),
        ("ok2.csv", "accepted"),
    ]
    [error] = results[1]["errors"]
    assert error["code"] == "csv_cell_too_long" and "ligne 2" in error["message"]
    assert set(results[1]) == {"file", "status", "kind", "epn_ids", "year", "errors", "findings"}


def test_a_file_where_every_cell_is_wrong_answers_grouped(cli, registry, tmp_path):
    rows = [["EPN-X", "x", "x", "", "x", "x", "x", "x", "x"]] * 3000
    code, [result] = run(cli, stats_file(tmp_path, "wrong.csv", rows))
    assert code == 1 and result["status"] == "rejected"
    assert len(result["errors"]) <= 400
    total = Counter()
    for error in result["errors"]:
        if error["code"] == "similar_problems":
            assert error["count"] > 0 and "2 990" not in error["message"]
            total[error["column"]] += error["count"]
        else:
            total[error["column"]] += 1
    # every problem is counted: one per cell of the eight columns that hold a wrong value
    assert total == Counter({c: 3000 for c in STATS_HEADER if c != "closure_reason"})
    similar = next(e for e in result["errors"] if e["code"] == "similar_problems")
    assert "lignes 12 à 3001" in similar["message"]


def test_two_sheets_that_could_be_the_statistics_sheet(cli, registry, tmp_path):
    rows = [STATS_HEADER, *week_rows("EPN-0001", 2024)[:2]]
    twice = renamed_sheet(workbook({"weekly": rows, "WEEKLYX": rows}), "WEEKLYX", "Weekly")
    both = workbook({"weekly": rows, "statistics": rows})
    paths = [tmp_path / "twice.xlsx", tmp_path / "both.xlsx"]
    paths[0].write_bytes(twice)
    paths[1].write_bytes(both)
    _, results = run(cli, *paths)
    for result in results:
        assert result["status"] == "rejected"
        assert [e["code"] for e in result["errors"]] == ["statistics_sheet_repeated"]
    assert "« weekly », « Weekly »" in results[0]["errors"][0]["message"]


def test_a_key_named_by_two_columns_is_rejected(cli, registry, tmp_path):
    row = week_rows("EPN-0001", 2024)[0]
    twice = tmp_path / "twice.csv"
    twice.write_bytes(csv_bytes([*STATS_HEADER, "visits"], [[*row, 5]]))
    localized = tmp_path / "localized.csv"
    localized.write_bytes(csv_bytes([*STATS_HEADER, "Identifiant EPN"], [[*row, "EPN-0002"]]))
    _, results = run(cli, twice, localized)
    assert codes(results[0]) == [(1, "visits", "duplicate_column")]
    assert codes(results[1]) == [(1, "epn_id", "duplicate_column")]
    assert (
        "La colonne J (« Identifiant EPN ») désigne « Identifiant EPN (epn_id) »"
        in results[1]["errors"][0]["message"]
    )


def test_numbers_take_the_standards_forms_only(cli, registry, tmp_path):
    weeks = week_rows("EPN-0001", 2024)
    odd = ["1_5", "1e3", "１２", "nan"]
    rows = [[*week[:4], value, None, *week[6:]] for week, value in zip(weeks, odd, strict=False)]
    rows += [[*weeks[9][:4], "12,5", "12.5", *weeks[9][6:]]]  # both decimal separators
    _, [result] = run(cli, stats_file(tmp_path, "odd.csv", rows))
    assert codes(result) == [(n, "public_hours", "not_a_number") for n in range(2, 6)]
