"""Annual activity reports (standard §2 and §4): accepted whole or rejected whole, every
problem listed; accepted reports stored in history, their weekly rows as statistics.

Workbooks are real .xlsx files written by openpyxl; the warehouse is a real DuckDB file.
"""

from __future__ import annotations

import copy
import datetime as dt
import io

import pytest
from openpyxl import Workbook
from openpyxl.styles import PatternFill

from epn.i18n import t
from epn.standard import report_sheet
from registry.importer import import_registry
from services.uploads import Upload, ingest_uploads
from validation.charter.engine import evaluate
from warehouse.db import connect, transaction

RECEIVED = dt.date(2025, 2, 14)
REPORT_CODES = {"qualified_facilitator", "priority_public", "nonprofit", "cooperation",
                "signage", "fees_charged"}  # fmt: skip
HIST_TABLES = ("hist_report", "hist_staff", "hist_activity", "hist_audience", "hist_cooperation",
               "hist_narrative", "hist_weekly", "cur_weekly")  # fmt: skip
REGISTRY_CSV = (
    "epn_id,name,commune_nis,authority_name,authority_type,labelled_on\n"
    "EPN-0001,EPN Ixelles,21009,Commune d'Ixelles,commune,2023-01-09\n"
    "EPN-0002,EPN Forest,21007,CPAS de Forest,cpas,2023-01-09\n"
)


def header(name: str) -> list[str]:
    return list(report_sheet(name).keys)


def weeks_of(year: int) -> list[dt.datetime]:
    first = dt.datetime.fromisocalendar(year, 1, 1)
    last = dt.datetime.fromisocalendar(year + 1, 1, 1)
    return [first + dt.timedelta(weeks=n) for n in range((last - first).days // 7)]


# fmt: off
def clean_report() -> dict[str, list[list]]:
    """A report breaking no rule, with a full year of weekly rows (real Excel dates)."""
    weekly = [[w, "open", None, 20, "17,5", 60, 40, 4] for w in weeks_of(2024)]
    weekly[30] = [weeks_of(2024)[30], "closed", "congés", 0, 0, 0, 0, 0]
    return {
        "epn": [
            ["key", "value"], ["epn_id", "EPN-0001"], ["year", 2024],
            ["submitted_by", "A. Dupont"], ["contact_email", "epn@ixelles.be"],
            ["workstations", 8], ["users_total", 120], ["nonprofit", "yes"], ["fees", "free"],
            ["label_sticker_displayed", "yes"], ["charter_displayed", "true"],
        ],
        "staff": [
            header("staff"),
            ["AD", "facilitator", "yes", "Bachelier en informatique", "38"],
            ["JM", "volunteer", "no", None, "4,5"],
        ],
        "activities": [
            header("activities"),
            ["ACT-1", "Smartphone pour débutants", "collective", "training", "basic_skills",
             6, "12,5", 10, 7],
            ["ACT-2", "Permanence MyMinfin", "individual", "support", "e_administration",
             40, 40, 35, 20],
        ],
        "audience": [
            header("audience"),
            ["age", "18_25", 20], ["age", "65_plus", 100],
            ["gender", "female", 70], ["gender", "male", 50],
            ["status", "retired", 90], ["status", "unknown", 30],
        ],
        "cooperation": [
            header("cooperation"),
            ["EPN Forest", "EPN-0002", "Formation commune des animateurs",
             dt.datetime(2024, 5, 14)],
        ],
        "weekly": [header("weekly"), *weekly],
        "narrative": [
            ["key", "value"], ["highlights", "Nouvel atelier seniors"],
            ["outlook", "Ouvrir le samedi"],
        ],
    }
# fmt: on


def xlsx(sheets: dict[str, list[list]], blank_tail: int = 0) -> bytes:
    """A real workbook; ``blank_tail`` formatted-but-empty rows below each sheet's data."""
    book = Workbook()
    book.remove(book.active)
    fill = PatternFill("solid", start_color="FFFF00")
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        for row in range(len(rows) + 1, len(rows) + 1 + blank_tail):
            for column in range(1, 6):
                sheet.cell(row, column).fill = fill
            sheet.cell(row, 2).value = "  "
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "epn.duckdb"
    with connect(path) as con, transaction(con):
        assert import_registry(con, REGISTRY_CSV.encode())["rejected"] == []
    return path


def ingest(db, data: bytes, name="rapport-2024.xlsx", lang="fr", received=RECEIVED) -> dict:
    return ingest_uploads([Upload(name, data, received)], db=db, lang=lang)[0]


def counts(db) -> dict[str, int]:
    with connect(db) as con:
        return {
            table: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in HIST_TABLES
        }


def problems(result: dict) -> set[tuple]:
    return {(e["code"], e["sheet"], e["row"], e["column"]) for e in result["errors"]}


def test_valid_report_is_accepted_and_stored(db):
    result = ingest(db, xlsx(clean_report()))
    assert result["status"] == "accepted", result["errors"]
    assert (result["kind"], result["epn_ids"], result["year"]) == (
        "annual_report",
        ["EPN-0001"],
        2024,
    )
    assert counts(db) == {
        "hist_report": 1,
        "hist_staff": 2,
        "hist_activity": 2,
        "hist_audience": 6,
        "hist_cooperation": 1,
        "hist_narrative": 2,
        "hist_weekly": 52,
        "cur_weekly": 52,
    }
    with connect(db) as con:
        report = con.execute(
            "SELECT epn_id, year, users_total, nonprofit, fees, charter_displayed FROM cur_report"
        ).fetchone()
        staff = con.execute(
            "SELECT source_row, staff_ref, qualified, weekly_hours FROM hist_staff"
            " ORDER BY source_row"
        ).fetchall()
        cooperation = con.execute("SELECT partner_epn_id, date FROM hist_cooperation").fetchone()
        hours = con.execute(
            "SELECT hours FROM hist_activity WHERE activity_ref = 'ACT-1'"
        ).fetchone()
        weekly = con.execute(
            "SELECT count(*), min(week_start), max(facilitated_hours)"
            " FROM cur_weekly WHERE epn_id = 'EPN-0001'"
        ).fetchone()
        narrative = con.execute("SELECT key, value FROM hist_narrative ORDER BY key").fetchall()
    assert report == ("EPN-0001", 2024, 120, True, "free", True)
    assert staff == [(2, "AD", True, 38.0), (3, "JM", False, 4.5)]
    assert cooperation == ("EPN-0002", dt.date(2024, 5, 14))
    assert hours == (12.5,)
    assert weekly == (52, dt.date(2024, 1, 1), 17.5)
    assert narrative == [("highlights", "Nouvel atelier seniors"), ("outlook", "Ouvrir le samedi")]


def broken_report() -> dict[str, list[list]]:
    sheets = clean_report()
    # fmt: off
    sheets["epn"] = [
        ["key", "value"], ["epn_id", "EPN-0099"], ["year", 2024], ["workstations", -2],
        ["users_total", 120], ["nonprofit", "peut-être"], ["fees", "cheap"],
        ["label_sticker_displayed", "yes"], ["year", 2024],
    ]  # charter_displayed missing, year twice
    sheets["staff"][1] = ["AD", "boss", "oui", None, 70]
    sheets["activities"][2] = ["ACT-1", "Doublon", "collective", "support", "other", 0, 0, 5, 9]
    sheets["audience"] = [
        header("audience"),
        ["age", "student", 120], ["gender", "female", 100], ["gender", "male", "beaucoup"],
    ]
    sheets["cooperation"][1] = ["EPN Forest", "EPN-0404", "Échange", "le 14 mai"]
    sheets["weekly"] = [
        header("weekly"),
        [dt.datetime(2024, 1, 1), "open", None, 20, 18, 5, 3, 1],
        ["2024-01-01", "closed", None, 10, 0, 0, 0, 0],
        [dt.datetime(2023, 12, 25), "open", None, 20, 25, 5, 3, 1],
    ]
    # fmt: on
    del sheets["narrative"]
    sheets["Récit"] = [["Clé", "Valeur"], ["highlights", "a"], ["Faits marquants", "b"]]
    return sheets


def test_report_with_many_problems_lists_each_of_them(db):
    before = counts(db)
    result = ingest(db, xlsx(broken_report()), lang="en")
    found = problems(result)
    assert result["status"] == "rejected"
    assert ("missing_key", "epn", None, "charter_displayed") in found
    assert ("unknown_epn", "epn", 2, "epn_id") in found
    assert ("duplicate_key", "epn", 3, "key") in found
    assert ("duplicate_key", "epn", 9, "key") in found
    assert ("out_of_range", "epn", 4, "workstations") in found
    assert ("not_yes_no", "epn", 6, "nonprofit") in found
    assert ("not_a_code", "epn", 7, "fees") in found
    assert ("not_a_code", "staff", 2, "role") in found
    assert ("qualification_required", "staff", 2, "qualification") in found
    assert ("out_of_range", "staff", 2, "weekly_hours") in found
    assert ("duplicate_key", "activities", 2, "activity_ref") in found
    assert ("duplicate_key", "activities", 3, "activity_ref") in found
    assert ("out_of_range", "activities", 3, "sessions") in found
    assert ("out_of_range", "activities", 3, "hours") in found
    assert ("priority_over_participants", "activities", 3, "priority_participants") in found
    assert ("category_not_in_dimension", "audience", 2, "category") in found
    assert ("not_an_integer", "audience", 4, "users") in found
    assert ("audience_total_mismatch", "audience", None, "dimension") in found  # status absent
    assert ("not_a_date", "cooperation", 2, "date") in found
    assert ("unknown_partner_epn", "cooperation", 2, "partner_epn_id") in found
    assert ("duplicate_key", "weekly", 2, "week_start") in found
    assert ("duplicate_key", "weekly", 3, "week_start") in found
    assert ("closure_reason_required", "weekly", 3, "closure_reason") in found
    assert ("closed_with_hours", "weekly", 3, "public_hours") in found
    assert ("week_outside_year", "weekly", 4, "week_start") in found
    assert ("facilitated_over_public", "weekly", 4, "facilitated_hours") in found
    assert ("duplicate_key", "Récit", 2, "key") in found
    assert ("duplicate_key", "Récit", 3, "key") in found
    assert len(found) == len(result["errors"]) == 28
    assert counts(db) == before
    assert all(e["message"] and "{" not in e["message"] for e in result["errors"])
    cells = {(e["code"], e["column"]): e["cell"] for e in result["errors"]}
    assert cells[("not_a_code", "fees")] == "B7"
    assert cells[("unknown_partner_epn", "partner_epn_id")] == "B2"


def test_missing_sheets_and_columns_are_listed(db):
    sheets = clean_report()
    del sheets["staff"], sheets["cooperation"]
    sheets["activities"] = [["activity_ref", "title", "format", "kind", "domain", "hours"]]
    sheets["audience"] = []
    sheets["Weekly statistics"] = [header("weekly")]  # a second weekly sheet
    result = ingest(db, xlsx(sheets), lang="nl")
    found = problems(result)
    assert ("missing_sheet", "staff", None, None) in found
    assert ("missing_sheet", "cooperation", None, None) in found
    assert ("missing_column", "activities", 1, "sessions") in found
    assert ("missing_column", "activities", 1, "participants") in found
    assert ("missing_column", "activities", 1, "priority_participants") in found
    assert ("missing_column", "audience", 1, "dimension") in found
    assert ("missing_column", "audience", 1, "category") in found
    assert ("missing_column", "audience", 1, "users") in found
    assert ("duplicate_sheet", "Weekly statistics", None, None) in found
    assert len(found) == 9
    messages = {(e["code"], e["sheet"]): e["message"] for e in result["errors"]}
    assert "Het werkblad « staff » ontbreekt" in messages[("missing_sheet", "staff")]


def test_integers_too_large_to_store_are_out_of_range(db):
    sheets = clean_report()
    sheets["epn"][5] = ["workstations", 3_000_000_000]
    sheets["activities"][1][7] = 3_000_000_000
    result = ingest(db, xlsx(sheets))
    assert problems(result) == {
        ("out_of_range", "epn", 6, "workstations"),
        ("out_of_range", "activities", 2, "participants"),
    }


def localized(sheets: dict[str, list[list]], lang: str) -> dict[str, list[list]]:
    """The same report with localized sheet titles, headers, keys and yes/no answers."""
    yes_no = {
        "fr": {"yes": "oui", "no": "non", "true": "Oui"},
        "nl": {"yes": "ja", "no": "nee", "true": "JA"},
    }[lang]
    result = {}
    for name, rows in copy.deepcopy(sheets).items():
        if name in ("epn", "narrative"):
            body = [[t(f"header.{key}", lang), yes_no.get(value, value)] for key, value in rows[1:]]
            rows = [[t("header.key", lang), t("header.value", lang)], *body]
        else:
            header = [t(f"header.{key}", lang) for key in rows[0]]
            rows = [header, *[[yes_no.get(v, v) for v in row] for row in rows[1:]]]
        result[t(f"sheet.{name}", lang)] = rows
    return result


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_localized_titles_headers_keys_and_answers_are_accepted(db, lang):
    sheets = localized(clean_report(), lang)
    assert "oui" in str(sheets) or "ja" in str(sheets)
    result = ingest(db, xlsx(sheets), lang=lang)
    assert result["status"] == "accepted", result["errors"]
    with connect(db) as con:
        assert con.execute("SELECT nonprofit, charter_displayed FROM cur_report").fetchone() == (
            True,
            True,
        )
        assert con.execute(
            "SELECT count(*) FILTER (WHERE qualified) FROM hist_staff"
        ).fetchone() == (1,)
        assert con.execute("SELECT count(*) FROM hist_narrative").fetchone() == (2,)
    assert counts(db)["cur_weekly"] == 52


def test_formatted_but_empty_trailing_rows_are_ignored(db):
    result = ingest(db, xlsx(clean_report(), blank_tail=15))
    assert result["status"] == "accepted", result["errors"]
    assert counts(db)["hist_staff"] == 2
    assert counts(db)["hist_audience"] == 6


def test_byte_identical_reupload_is_a_duplicate(db):
    data = xlsx(clean_report())
    assert ingest(db, data)["status"] == "accepted"
    before = counts(db)
    again = ingest(db, data, name="copie.xlsx")
    assert (again["status"], again["epn_ids"], again["year"]) == ("duplicate", ["EPN-0001"], 2024)
    assert counts(db) == before
    with connect(db) as con:
        assert con.execute("SELECT count(*) FROM upload").fetchone() == (1,)


def test_corrected_report_becomes_current_and_first_stays_in_history(db):
    first = ingest(db, xlsx(clean_report()))
    corrected = clean_report()
    corrected["epn"][6] = ["users_total", 200]
    corrected["audience"] = [
        ["dimension", "category", "users"],
        ["age", "unknown", 200],
        ["gender", "unknown", 200],
        ["status", "unknown", 200],
    ]
    corrected["weekly"][1][3] = 30
    second = ingest(db, xlsx(corrected), received=dt.date(2025, 3, 1))
    assert (first["status"], second["status"]) == ("accepted", "accepted")
    with connect(db) as con:
        history = con.execute("SELECT upload_id, users_total FROM hist_report ORDER BY upload_id")
        assert [row[1] for row in history.fetchall()] == [120, 200]
        current = con.execute("SELECT users_total, first_received_on FROM cur_report").fetchall()
        assert current == [(200, RECEIVED)]
        week = "SELECT public_hours FROM {} WHERE week_start = DATE '2024-01-01' ORDER BY upload_id"
        assert con.execute(week.format("hist_weekly")).fetchall() == [(20.0,), (30.0,)]
        assert con.execute(week.format("cur_weekly")).fetchall() == [(30.0,)]
    assert counts(db)["hist_audience"] == 9


def test_nothing_of_a_rejected_report_is_written(db):
    before = counts(db)
    sheets = clean_report()
    sheets["audience"][1] = ["age", "18_25", 21]  # age now adds up to 121, not 120
    result = ingest(db, xlsx(sheets))
    assert result["status"] == "rejected"
    # one cause, reported once, naming the rows it touches
    assert problems(result) == {("audience_total_mismatch", "audience", 2, "users")}
    assert "121" in result["errors"][0]["message"]
    assert "Lignes concernées : 2, 3." in result["errors"][0]["message"]
    assert counts(db) == before
    with connect(db) as con:
        uploads = con.execute("SELECT status, kind, epn_ids, year FROM upload").fetchall()
    assert uploads == [("rejected", "annual_report", ["EPN-0001"], 2024)]


def test_absent_dimension_is_fine_only_when_there_are_no_users(db):
    sheets = clean_report()
    sheets["epn"][6] = ["users_total", 0]
    sheets["audience"] = [["dimension", "category", "users"]]
    sheets["staff"] = sheets["staff"][:1]  # empty staff and activities: charter matters
    sheets["activities"] = sheets["activities"][:1]
    result = ingest(db, xlsx(sheets))
    assert result["status"] == "accepted", result["errors"]
    codes = {f["code"] for f in result["findings"]}
    assert {"qualified_facilitator", "priority_public"} <= codes


def breaking_report() -> dict[str, list[list]]:
    sheets = clean_report()
    answers = {"nonprofit": "non", "fees": "paid", "label_sticker_displayed": "no"}
    sheets["epn"] = [[k, answers.get(k, v)] for k, v in sheets["epn"]]
    sheets["staff"][1][2:4] = ["no", None]
    sheets["activities"][1][-1] = sheets["activities"][2][-1] = 0
    sheets["cooperation"] = sheets["cooperation"][:1]
    return sheets


def test_charter_engine_reads_the_report_rules(db):
    assert ingest(db, xlsx(breaking_report()))["status"] == "accepted"
    with connect(db) as con:
        findings = evaluate(con, 2024, as_of=dt.date(2025, 6, 1), epn_ids=["EPN-0001"])
    assert {f.code for f in findings} == REPORT_CODES
    assert {f.epn_id for f in findings} == {"EPN-0001"}
    assert {f.severity for f in findings if f.code == "fees_charged"} == {"warning"}


def test_charter_engine_finds_nothing_for_a_clean_report(db):
    result = ingest(db, xlsx(clean_report()))
    assert (result["status"], result["findings"]) == ("accepted", [])
    with connect(db) as con:
        assert evaluate(con, 2024, as_of=dt.date(2025, 6, 1), epn_ids=["EPN-0001"]) == []
