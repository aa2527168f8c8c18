"""EPNs may write codes in their own words (issue 14, item 3): a code or its label in French,
Dutch or English gives the very same warehouse content and findings; errors name a column
as the uploader's header reads it, then its key; one cause is one problem."""

from __future__ import annotations

import copy
import datetime as dt
import json

from epn.i18n import t
from services.uploads import Upload, ingest_uploads
from tests.conftest import STATS_HEADER, csv_bytes, week_rows
from tests.test_report_ingest import RECEIVED, clean_report, db, xlsx  # noqa: F401  (db: fixture)
from validation.charter.engine import evaluate
from warehouse.db import connect

REPORT_TABLES = ("hist_report", "hist_staff", "hist_activity", "hist_audience", "hist_weekly")


def label(code: str, lang: str) -> str:
    return t(f"template.code.{code}", lang)


def statistics_rows() -> list[list]:
    rows = week_rows("EPN-0001", 2024, hours=16)
    rows[3] = [rows[3][0], rows[3][1], "closed", "travaux", 0, 0, 0, 0, 0]
    rows[7][4] = rows[7][5] = 10  # an open week under the charter's hours: a finding
    return rows


def in_french_words(rows: list[list]) -> list[list]:
    words = {"open": " Ouvert ", "closed": "FERMÉ"}  # case and spaces do not matter
    return [[*row[:2], words[row[2]], *row[3:]] for row in rows]


def current_weeks(db_path) -> list[tuple]:
    with connect(db_path) as con:
        return con.execute(
            "SELECT * EXCLUDE (upload_id) FROM cur_weekly ORDER BY epn_id, week_start"
        ).fetchall()


def test_statistics_in_french_labels_equal_the_same_in_codes(cli, registry, tmp_path):
    codes_file = tmp_path / "codes.csv"
    codes_file.write_bytes(csv_bytes(STATS_HEADER, statistics_rows()))
    french_file = tmp_path / "mots.csv"
    french_header = [t(f"header.{key}", "fr") for key in STATS_HEADER]
    french_file.write_bytes(csv_bytes(french_header, in_french_words(statistics_rows()), ";"))

    code, out, _ = cli("ingest", codes_file, "--json")
    assert code == 0, out
    by_codes = current_weeks(registry)
    _, findings_by_codes, _ = cli("compliance", "--year", "2024", "--json")

    code, out, _ = cli("ingest", french_file, "--json")  # the same weeks again, in words
    [result] = json.loads(out)
    assert (code, result["status"], result["errors"]) == (0, "accepted", [])
    assert current_weeks(registry) == by_codes
    _, findings_by_words, _ = cli("compliance", "--year", "2024", "--json")
    assert json.loads(findings_by_words) == json.loads(findings_by_codes)
    assert {f["code"] for f in json.loads(findings_by_codes)} >= {"opening_hours_min"}


def in_dutch_words(sheets: dict[str, list[list]]) -> dict[str, list[list]]:
    """The report as a Dutch user fills its dropdowns: labels, not codes."""
    sheets = copy.deepcopy(sheets)
    epn = dict((row[0], row) for row in sheets["epn"])
    epn["fees"][1] = label(epn["fees"][1], "nl")
    epn["nonprofit"][1] = "ja"
    for row in sheets["staff"][1:]:
        row[1] = label(row[1], "nl")
    for row in sheets["activities"][1:]:
        row[2:5] = [label(code, "nl") for code in row[2:5]]
    for row in sheets["audience"][1:]:
        row[0:2] = [label(row[0], "nl").upper(), label(row[1], "nl")]
    for row in sheets["weekly"][1:]:
        row[1] = label(row[1], "nl")
    return sheets


def stored(db_path, upload_id: int) -> dict[str, list]:
    with connect(db_path) as con:
        return {
            table: con.execute(
                f"SELECT * EXCLUDE (upload_id) FROM {table} WHERE upload_id = ? ORDER BY ALL",
                [upload_id],
            ).fetchall()
            for table in REPORT_TABLES
        }


def test_a_report_in_dutch_dropdown_labels_equals_the_same_in_codes(db):  # noqa: F811
    dutch = in_dutch_words(clean_report())
    assert dutch["weekly"][31][1] == "gesloten" and dutch["staff"][1][1] != "facilitator"
    by_codes = ingest_uploads([Upload("codes.xlsx", xlsx(clean_report()), RECEIVED)], db=db)[0]
    assert by_codes["status"] == "accepted", by_codes["errors"]
    as_of = dt.date(2025, 6, 1)
    with connect(db) as con:
        findings_by_codes = evaluate(con, 2024, as_of=as_of, epn_ids=["EPN-0001"])
    by_words = ingest_uploads([Upload("nl.xlsx", xlsx(dutch), RECEIVED)], db=db, lang="nl")[0]
    assert by_words["status"] == "accepted", by_words["errors"]
    assert stored(db, 1) == stored(db, 2)
    with connect(db) as con:
        assert evaluate(con, 2024, as_of=as_of, epn_ids=["EPN-0001"]) == findings_by_codes


def test_errors_name_the_column_as_the_uploader_reads_it(cli, registry, tmp_path):
    rows = statistics_rows()[:2]
    rows[1][4] = "vingt"
    path = tmp_path / "vingt.csv"
    path.write_bytes(csv_bytes(STATS_HEADER, rows))
    for lang in ("fr", "nl", "en"):
        _, out, _ = cli("ingest", path, "--json", "--lang", lang)
        [error] = json.loads(out)[0]["errors"]
        assert error["column"] == "public_hours"  # the key stays the key for programs
        assert f"{t('header.public_hours', lang)} (public_hours)" in error["message"]
