"""Bad statistics files are rejected whole, with every problem listed and nothing written."""

from __future__ import annotations

import json

import duckdb

from tests.conftest import stats_file

ROWS = [
    ["EPN-9999", "2024-01-01", "open", "", 20, 20, 100, 60, 10],  # unknown EPN
    ["EPN-0001", "2024-01-03", "open", "", 20, 20, 100, 60, 10],  # a Wednesday
    ["EPN-0001", "2024-01-08", "open", "", 20, 25, 100, 60, 10],  # facilitated > public
    ["EPN-0001", "2024-01-15", "open", "", 20, 20, 50, 60, 10],  # unique users > visits
    ["EPN-0001", "2024-01-22", "open", "", "vingt", 20, 100, 60, 10],  # text in a number column
    ["EPN-0001", "2024-01-29", "closed", "", 0, 0, 0, 0, 0],  # closed without a reason
    ["EPN-0001", "2024-02-05", "open", "", 200, 20, 100, 60, 10],  # over 168 hours
    ["EPN-0001", "2024-02-05", "open", "", 20, 20, 100, 60, 10],  # same week twice
]


def nothing_written(db) -> bool:
    with duckdb.connect(str(db)) as con:
        data = con.execute(
            "SELECT (SELECT count(*) FROM hist_weekly) + (SELECT count(*) FROM cur_weekly)"
        )
        return data.fetchone()[0] == 0


def rejected(cli, path) -> list[tuple]:
    code, out, err = cli("ingest", path, "--json")
    [result] = json.loads(out)
    assert code == 1 and result["status"] == "rejected" and "Traceback" not in err
    assert all(e["message"] for e in result["errors"])
    return [(e["row"], e["column"], e["code"]) for e in result["errors"]]


def test_every_problem_is_listed_with_its_row_and_column(cli, registry, tmp_path):
    problems = rejected(cli, stats_file(tmp_path, "bad.csv", ROWS))
    assert problems == [
        (2, "epn_id", "unknown_epn"),
        (3, "week_start", "not_monday"),
        (4, "facilitated_hours", "facilitated_over_public"),
        (5, "unique_users", "unique_over_visits"),
        (6, "public_hours", "not_a_number"),
        (7, "closure_reason", "closure_reason_required"),
        (8, "public_hours", "out_of_range"),
        (8, "week_start", "duplicate_key"),
        (9, "week_start", "duplicate_key"),
    ]
    assert nothing_written(registry)


def test_messages_follow_the_uploaders_language(cli, registry, tmp_path):
    path = stats_file(tmp_path, "bad.csv", ROWS[:1])
    _, out, _ = cli("ingest", path, "--json", "--lang", "nl")
    assert "bestaat niet in het register" in json.loads(out)[0]["errors"][0]["message"]


def test_csv_renamed_xlsx_is_rejected(cli, registry, tmp_path):
    path = stats_file(tmp_path, "stats.xlsx", ROWS[1:2])
    [(row, column, code)] = rejected(cli, path)
    assert code == "xlsx_is_text"
    assert nothing_written(registry)


def test_empty_file_is_rejected(cli, registry, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    assert [code for *_, code in rejected(cli, path)] == ["file_empty"]


def test_header_only_and_missing_columns(cli, registry, tmp_path):
    only_header = stats_file(tmp_path, "h.csv", [])
    assert [code for *_, code in rejected(cli, only_header)] == ["no_data_rows"]
    path = tmp_path / "cols.csv"
    path.write_text("epn_id,visits\nEPN-0001,3\n", encoding="utf-8")
    assert rejected(cli, path) == [
        (1, "week_start", "missing_column"),
        (1, "status", "missing_column"),
    ]
    assert nothing_written(registry)


def test_formula_without_computed_value_is_an_explicit_error(cli, registry, tmp_path):
    import openpyxl

    from tests.conftest import STATS_HEADER, week_rows

    book = openpyxl.Workbook()
    book.active.append(STATS_HEADER)
    book.active.append(week_rows("EPN-0001", 2024)[0])
    book.active["G2"] = "=F2*0.6"  # openpyxl saves formulas without their computed value
    path = tmp_path / "formulas.xlsx"
    book.save(path)
    code, out, _ = cli("ingest", path, "--json")
    [error] = json.loads(out)[0]["errors"]
    assert (code, error["code"], error["cell"], error["row"]) == (
        1,
        "formula_without_value",
        "G2",
        2,
    )
    assert nothing_written(registry)
