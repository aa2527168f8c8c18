"""`epn ingest` for statistics files: JSON shape, exit codes, dry run, duplicates, corrections."""

from __future__ import annotations

import json

import duckdb
import openpyxl

from tests.conftest import STATS_HEADER, stats_file, week_rows


def count(db, sql: str) -> int:
    with duckdb.connect(str(db)) as con:
        return con.execute(sql).fetchone()[0]


def ingest_json(cli, *args):
    code, out, err = cli("ingest", *args, "--json")
    return code, json.loads(out), err


def test_accepted_file_json_shape(cli, registry, tmp_path):
    path = stats_file(tmp_path, "s.csv", week_rows("EPN-0001", 2024))
    code, results, _ = ingest_json(cli, path)
    assert code == 0
    [result] = results
    assert set(result) >= {"file", "status", "kind", "epn_ids", "year", "errors", "findings"}
    assert (result["file"], result["status"], result["kind"]) == ("s.csv", "accepted", "statistics")
    assert (result["epn_ids"], result["year"], result["errors"]) == (["EPN-0001"], 2024, [])
    assert count(registry, "SELECT count(*) FROM cur_weekly") == 52


def test_dry_run_reports_the_same_and_writes_nothing(cli, registry, tmp_path):
    good = stats_file(tmp_path, "good.csv", week_rows("EPN-0001", 2024))
    bad = stats_file(tmp_path, "bad.csv", [["EPN-9999", "2024-01-01", "open", "", 20, 20, 5, 5, 1]])
    code, dry, _ = ingest_json(cli, good, bad, good, "--dry-run")
    assert code == 1
    assert [r["status"] for r in dry] == ["accepted", "rejected", "duplicate"]
    assert count(registry, "SELECT count(*) FROM upload") == 0
    assert count(registry, "SELECT count(*) FROM hist_weekly") == 0
    code, real, _ = ingest_json(cli, good, bad, good)
    assert [r["status"] for r in real] == [r["status"] for r in dry]
    assert [r["errors"] for r in real] == [r["errors"] for r in dry]


def test_identical_bytes_are_a_duplicate_and_change_nothing(cli, registry, tmp_path):
    path = stats_file(tmp_path, "s.csv", week_rows("EPN-0001", 2024))
    ingest_json(cli, path)
    copy = tmp_path / "renamed.csv"
    copy.write_bytes(path.read_bytes())
    code, [result], _ = ingest_json(cli, copy)
    assert (code, result["status"], result["kind"]) == (0, "duplicate", "statistics")
    assert count(registry, "SELECT count(*) FROM upload") == 1
    assert count(registry, "SELECT count(*) FROM hist_weekly") == 52


def test_correction_replaces_by_key_and_keeps_history(cli, registry, tmp_path):
    ingest_json(cli, stats_file(tmp_path, "a.csv", week_rows("EPN-0001", 2024)))
    fix = [["EPN-0001", "2024-01-08", "open", "", 31.5, 30, 150, 90, 12]]
    code, [result], _ = ingest_json(cli, stats_file(tmp_path, "b.csv", fix))
    assert (code, result["status"]) == (0, "accepted")
    current = count(registry, "SELECT public_hours FROM cur_weekly WHERE week_start = '2024-01-08'")
    assert current == 31.5
    assert count(registry, "SELECT count(*) FROM cur_weekly") == 52
    assert count(registry, "SELECT count(*) FROM hist_weekly WHERE week_start = '2024-01-08'") == 2


def test_received_on_is_recorded(cli, registry, tmp_path):
    path = stats_file(tmp_path, "s.csv", week_rows("EPN-0001", 2024))
    cli("ingest", path, "--received-on", "2025-02-03")
    assert str(count(registry, "SELECT received_on FROM upload")) == "2025-02-03"
    code, _, err = cli("ingest", path, "--received-on", "03/02/2025")
    assert code == 2 and "AAAA-MM-JJ" in err


def test_semicolon_decimal_comma_and_bom(cli, registry, tmp_path):
    text = "\ufeff" + ";".join(STATS_HEADER) + "\nEPN-0001;2024-01-01;open;;17,5;16,5;80;40;4\n"
    path = tmp_path / "fr.csv"
    path.write_text(text, encoding="utf-8")
    code, [result], _ = ingest_json(cli, path)
    assert result["status"] == "accepted", result["errors"]
    assert count(registry, "SELECT public_hours FROM cur_weekly") == 17.5


def test_xlsx_statistics_with_real_dates_and_row_numbers(cli, registry, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Feuil1"
    sheet.append(["Titre libre"])  # a title line above the header is skipped
    sheet.append([])
    sheet.append(STATS_HEADER)
    for row in week_rows("EPN-0001", 2024)[:3]:
        sheet.append(row)
    sheet.cell(row=5, column=9, value="beaucoup")  # text in a number column (2nd data row)
    path = tmp_path / "stats.xlsx"
    book.save(path)
    code, [result], _ = ingest_json(cli, path)
    assert code == 1
    errors = [(e["row"], e["column"], e["code"], e["cell"]) for e in result["errors"]]
    assert ("Titre libre" not in str(errors)) and errors == [
        (5, "new_users", "not_an_integer", "I5")
    ]
