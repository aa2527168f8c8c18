"""The annual report template (``epn template``): a real workbook in fr/nl/en with the
standard's sheets, localized headers, drop-downs and ranges, prefilled rows, and a round
trip: filled in programmatically, it is ingested and accepted.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter

from epn.i18n import catalogue, t
from epn.locale import LANGUAGES
from epn.standard import AUDIENCE_CATEGORIES, FEES, REPORT_SHEETS, report_sheet
from epn.tables import fold, header_aliases
from registry.importer import import_registry
from reporting.template.sheets import LAST_ROW
from reporting.template.texts import long_date
from reporting.template.workbook import week_mondays, write_template
from services.uploads import Upload, ingest_uploads
from validation.charter.terms import terms_for
from warehouse.db import connect, transaction

IDENTITY = {"epn_id": "EPN-0042", "name": "EPN de la Maison des Cultures", "workstations": 8}
REGISTRY_CSV = (
    b"epn_id,name,commune_nis,authority_name,authority_type,labelled_on,workstations\n"
    b"EPN-0042,EPN de la Maison des Cultures,21013,CPAS de Saint-Gilles,cpas,2020-01-15,8\n"
    b"EPN-0007,EPN Jette,21010,Commune de Jette,commune,2021-03-01,5\n"
)
YES_NO = {"fr": ("oui", "non"), "nl": ("ja", "nee"), "en": ("yes", "no")}


def open_book(data: bytes):
    return load_workbook(io.BytesIO(data))


@pytest.fixture(scope="module")
def books() -> dict[str, object]:
    return {lang: open_book(write_template(IDENTITY, 2025, lang)) for lang in LANGUAGES}


@pytest.fixture
def warehouse(db) -> Path:
    """A warehouse whose registry knows EPN-0042 (8 workstations) and EPN-0007."""
    with connect(db) as con, transaction(con):
        import_registry(con, REGISTRY_CSV)
    return db


def header_row(sheet) -> list:
    return [cell.value for cell in sheet[1]]


def validations_at(sheet, cell: str) -> list:
    return [v for v in sheet.data_validations.dataValidation if cell in v.sqref]


def column_letter_of(sheet, key: str, lang: str) -> str:
    return get_column_letter(header_row(sheet).index(t(f"header.{key}", lang)) + 1)


def key_rows(sheet) -> dict[str, int]:
    return {sheet.cell(r, 1).value: r for r in range(2, sheet.max_row + 1)}


# --- Sheets and headers ----------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_sheet_of_the_standard_after_the_instructions(books, lang):
    names = books[lang].sheetnames
    assert names[1:] == [spec.name for spec in REPORT_SHEETS]
    assert books[lang].active.title == names[0]
    assert names[0] not in [spec.name for spec in REPORT_SHEETS]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_headers_are_the_localized_labels_the_readers_recognise(books, lang):
    for spec in REPORT_SHEETS:
        headers = header_row(books[lang][spec.name])
        keys = ("key", "value") if spec.key_value else spec.keys
        assert headers[: len(keys)] == [t(f"header.{key}", lang) for key in keys]
        assert [header_aliases()[fold(h)] for h in headers[: len(keys)]] == list(keys)
        # the extra description column must not be mistaken for a column of the standard
        assert all(fold(h) not in header_aliases() for h in headers[len(keys) :])


def test_headers_differ_between_languages(books):
    assert len({header_row(books[lang]["staff"])[0] for lang in LANGUAGES}) == 3


@pytest.mark.parametrize("name", ["epn", "narrative"])
def test_key_value_sheets_hold_one_row_per_key(books, name):
    sheet = books["fr"][name]
    assert list(key_rows(sheet)) == report_sheet(name).keys
    assert sheet.freeze_panes == "A2"


# --- Instructions ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "deadline"),
    [
        ("fr", "31 mars 2026"),
        ("nl", "31 maart 2026"),
        ("en", "31 March 2026"),
    ],
)
def test_instructions_name_the_epn_the_year_and_the_deadline(books, lang, deadline):
    sheet = books[lang].worksheets[0]
    text = "\n".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    assert sheet["A1"].value == t("template.title", lang, year=2025)
    assert "EPN-0042" in text and IDENTITY["name"] in text
    assert deadline in text
    for spec in REPORT_SHEETS:
        for column in spec.columns:
            assert t(f"template.help.{column.key}", lang) in text
            assert t(f"header.{column.key}", lang) in text


def test_the_deadline_comes_from_the_charter_terms():
    sheet = open_book(write_template(None, 2024, "en")).worksheets[0]
    deadline = long_date(terms_for(2024).report_deadline(2024), "en")
    assert any(deadline in str(c.value) for row in sheet.iter_rows() for c in row)


def test_every_template_text_exists_in_every_language():
    codes = {f"template.help.{c.key}" for s in REPORT_SHEETS for c in s.columns}
    codes |= {f"template.about.{s.name}" for s in REPORT_SHEETS}
    codes |= {f"template.code.{code}" for s in REPORT_SHEETS for c in s.columns for code in c.codes}
    codes |= {f"template.code.{c}" for cats in AUDIENCE_CATEGORIES.values() for c in cats}
    texts = catalogue()
    for code in sorted(codes):
        assert code in texts, code
        assert set(texts[code]) == set(LANGUAGES), code
    assert all(set(v) == set(LANGUAGES) for k, v in texts.items() if k.startswith("template."))


# --- Data validations --------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_code_and_yes_no_columns_have_drop_downs_on_every_row(books, lang):
    yes, no = YES_NO[lang]
    for spec in REPORT_SHEETS:
        if spec.key_value:
            continue
        sheet = books[lang][spec.name]
        for column in spec.columns:
            if column.type not in ("code", "yesno"):
                continue
            letter = column_letter_of(sheet, column.key, lang)
            for row in (2, LAST_ROW):
                (validation,) = validations_at(sheet, f"{letter}{row}")
                assert validation.type == "list"
                expected = (yes, no)
                if column.type == "code":  # labels in the template's language (see choices)
                    expected = tuple(
                        code if column.key == "dimension" else t(f"template.code.{code}", lang)
                        for code in column.codes
                    )
                assert validation.formula1 == '"' + ",".join(expected) + '"'


@pytest.mark.parametrize("lang", LANGUAGES)
def test_identity_values_have_drop_downs_and_ranges(books, lang):
    sheet = books[lang]["epn"]
    rows = key_rows(sheet)
    (fees,) = validations_at(sheet, f"B{rows['fees']}")
    fees_labels = [t(f"template.code.{code}", lang) for code in FEES]
    assert fees.formula1 == '"' + ",".join(fees_labels) + '"'
    (nonprofit,) = validations_at(sheet, f"B{rows['nonprofit']}")
    assert nonprofit.formula1 == '"{},{}"'.format(*YES_NO[lang])
    (workstations,) = validations_at(sheet, f"B{rows['workstations']}")
    assert (workstations.type, workstations.operator, workstations.formula1) == (
        "whole",
        "greaterThanOrEqual",
        "0",
    )


def test_number_and_date_columns_carry_the_standards_ranges(books):
    book = books["fr"]
    (weekly_hours,) = validations_at(book["staff"], f"E{LAST_ROW}")
    assert (weekly_hours.type, weekly_hours.operator) == ("decimal", "between")
    assert (weekly_hours.formula1, weekly_hours.formula2) == ("0", "60")
    (sessions,) = validations_at(book["activities"], "F2")
    assert (sessions.type, sessions.formula1) == ("whole", "1")
    (public_hours,) = validations_at(book["weekly"], "D2")
    assert (public_hours.formula1, public_hours.formula2) == ("0", "168")
    (action_date,) = validations_at(book["cooperation"], "D2")
    assert action_date.type == "date"
    assert (action_date.formula1, action_date.formula2) == ("DATE(2025,1,1)", "DATE(2025,12,31)")
    assert book["cooperation"].column_dimensions["D"].number_format == "yyyy-mm-dd"


def test_same_row_caps_are_checked_as_the_epn_types(books):
    (priority,) = validations_at(books["fr"]["activities"], "I2")
    assert priority.type == "custom"
    assert priority.formula1 == "AND(ISNUMBER(I2),I2=INT(I2),I2>=0,I2<=H2)"  # <= participants
    (facilitated,) = validations_at(books["fr"]["weekly"], f"E{LAST_ROW}")
    assert facilitated.formula1 == "AND(ISNUMBER(E2),E2>=0,E2<=D2)"  # <= public hours


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_column_has_input_help_within_excels_limits(books, lang):
    for spec in REPORT_SHEETS:
        sheet = books[lang][spec.name]
        validations = sheet.data_validations.dataValidation
        for validation in validations:
            assert validation.showInputMessage and validation.prompt
            assert len(validation.promptTitle) <= 32 and len(validation.prompt) <= 255
            assert len(validation.errorTitle or "") <= 32 and len(validation.error or "") <= 255
            assert len(validation.formula1 or "") <= 255
        cells = (
            [f"B{r}" for r in key_rows(sheet).values()]
            if spec.key_value
            else [f"{get_column_letter(i)}2" for i in range(1, len(spec.columns) + 1)]
        )
        assert all(validations_at(sheet, cell) for cell in cells), spec.name


# --- Prefilled rows ------------------------------------------------------------------------


def test_identity_is_prefilled_from_the_registry(books):
    sheet = books["fr"]["epn"]
    values = {key: sheet.cell(row, 2).value for key, row in key_rows(sheet).items()}
    assert values["epn_id"] == "EPN-0042"
    assert values["year"] == 2025
    assert values["workstations"] == 8
    assert values["users_total"] is None


def test_a_blank_template_leaves_the_identity_to_the_epn():
    sheet = open_book(write_template(None, 2025, "nl"))["epn"]
    values = {key: sheet.cell(row, 2).value for key, row in key_rows(sheet).items()}
    assert values["epn_id"] is None and values["workstations"] is None
    assert values["year"] == 2025


def test_audience_has_every_dimension_and_category_with_users_empty(books):
    sheet = books["en"]["audience"]
    rows = list(sheet.iter_rows(min_row=2, max_col=3, values_only=True))
    expected = [(d, c) for d, cats in AUDIENCE_CATEGORIES.items() for c in cats]
    assert [(d, c) for d, c, _ in rows] == expected
    assert all(users is None for _, _, users in rows)


@pytest.mark.parametrize(("year", "weeks"), [(2020, 53), (2024, 52), (2025, 52), (2026, 53)])
def test_weekly_has_the_monday_of_every_iso_week(year, weeks):
    sheet = open_book(write_template(None, year, "fr"))["weekly"]
    mondays = [row[0] for row in sheet.iter_rows(min_row=2, max_col=2, values_only=True)]
    assert len(mondays) == weeks == len(week_mondays(year))
    assert all(isinstance(m, dt.datetime) and m.weekday() == 0 for m in mondays)  # real dates
    assert all(m.isocalendar()[0] == year for m in mondays)
    assert sheet["A2"].number_format == "yyyy-mm-dd"
    assert all(sheet.cell(r, 2).value is None for r in range(2, weeks + 2))


def test_a_week_belongs_to_its_iso_year():
    assert dt.date(2024, 12, 30) in week_mondays(2025)
    assert dt.date(2024, 12, 30) not in week_mondays(2024)
    sheet = open_book(write_template(None, 2025, "fr"))["weekly"]
    assert sheet["A2"].value == dt.datetime(2024, 12, 30)


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError):
        write_template(None, 2025, "de")


# --- Command line ----------------------------------------------------------------------------


def run_cli(*args: str) -> int:
    from cli import main

    return main([*map(str, args)])


def test_cli_writes_the_template_of_a_registered_epn(warehouse, tmp_path, capsys):
    output = tmp_path / "out" / "EPN-0042-2025.xlsx"
    code = run_cli(
        "template",
        "--epn-id",
        "EPN-0042",
        "--year",
        2025,
        "--lang",
        "nl",
        "-o",
        output,
        "--db",
        warehouse,
    )
    assert code == 0
    assert str(output) in capsys.readouterr().out
    book = load_workbook(output)
    assert book["staff"]["A1"].value == t("header.staff_ref", "nl")
    values = {k: book["epn"].cell(r, 2).value for k, r in key_rows(book["epn"]).items()}
    assert (values["epn_id"], values["year"], values["workstations"]) == ("EPN-0042", 2025, 8)


def test_cli_refuses_an_unknown_epn(warehouse, tmp_path, capsys):
    output = tmp_path / "x.xlsx"
    code = run_cli(
        "template",
        "--epn-id",
        "EPN-9999",
        "--year",
        2025,
        "-o",
        output,
        "--db",
        warehouse,
        "--lang",
        "en",
    )
    assert code == 1
    assert "EPN-9999" in capsys.readouterr().err
    assert not output.exists()


def test_cli_refuses_bad_usage(warehouse, tmp_path):
    output = tmp_path / "x.xlsx"
    assert run_cli("template", "--year", 2025, "--lang", "de", "-o", output) == 2
    assert run_cli("template", "--year", 1999, "-o", output) == 2
    assert not output.exists()


# --- Round trip: fill the template like an EPN would, then ingest it -------------------------


def fill(data: bytes, lang: str) -> bytes:
    """Fills a generated template the way an EPN would: values only, no layout change."""
    book = open_book(data)
    yes, no = YES_NO[lang]
    identity = book["epn"]
    entries = {
        "submitted_by": "A. Dupont",
        "contact_email": "epn@example.be",
        "users_total": 120,
        "nonprofit": yes,
        "fees": "free",
        "label_sticker_displayed": yes,
        "charter_displayed": yes,
    }
    for key, row in key_rows(identity).items():
        if key in entries:
            identity.cell(row, 2, entries[key])
    rows_into(
        book["staff"],
        [
            ["AD", "facilitator", yes, "Bachelier en informatique", 38],
            ["JM", "volunteer", no, None, 4.5],
        ],
    )
    rows_into(
        book["activities"],
        [
            [
                "A01",
                "Smartphone pour débutants",
                "collective",
                "training",
                "basic_skills",
                6,
                12.5,
                10,
                7,
            ],
            [
                "A02",
                "Permanence MyMinfin",
                "individual",
                "support",
                "e_administration",
                40,
                40,
                35,
                20,
            ],
        ],
    )
    users = {
        ("age", "65_plus"): 100,
        ("age", "18_25"): 20,
        ("gender", "female"): 70,
        ("gender", "male"): 50,
        ("status", "retired"): 90,
        ("status", "unknown"): 30,
    }
    audience = book["audience"]
    for row in range(2, audience.max_row + 1):
        pair = (audience.cell(row, 1).value, audience.cell(row, 2).value)
        audience.cell(row, 3, users.get(pair, 0))
    rows_into(
        book["cooperation"], [["EPN Jette", "EPN-0007", "Formation commune", dt.date(2025, 5, 14)]]
    )
    weekly = book["weekly"]
    for row in range(2, weekly.max_row + 1):
        closed = row == 31
        values = (
            ["closed", "congés", 0, 0, 0, 0, 0] if closed else ["open", None, 20, 17.5, 60, 40, 4]
        )
        for offset, value in enumerate(values, start=2):
            weekly.cell(row, offset, value)
    narrative = book["narrative"]
    narrative.cell(key_rows(narrative)["highlights"], 2, "Nouvel atelier seniors")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rows_into(sheet, rows: list[list]) -> None:
    for row_number, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            sheet.cell(row_number, column, value)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_filled_template_is_accepted(warehouse, lang):
    data = fill(write_template(IDENTITY, 2025, lang), lang)
    (result,) = ingest_uploads(
        [Upload(f"rapport-{lang}.xlsx", data, dt.date(2026, 2, 1))], db=warehouse, lang=lang
    )
    assert result["errors"] == []
    assert (result["status"], result["kind"]) == ("accepted", "annual_report")
    assert (result["epn_ids"], result["year"]) == (["EPN-0042"], 2025)


def test_an_unfilled_template_is_rejected_with_reasons(warehouse):
    data = write_template(IDENTITY, 2025, "en")
    (result,) = ingest_uploads(
        [Upload("empty.xlsx", data, dt.date(2026, 2, 1))], db=warehouse, lang="en"
    )
    assert result["status"] == "rejected"
    flagged = {(e["sheet"], e["column"]) for e in result["errors"]}
    assert ("epn", "users_total") in flagged


def test_template_columns_are_where_the_fill_helper_expects_them(books):
    # guards the round trip: rows_into writes by position
    for name in ("staff", "activities", "cooperation", "weekly"):
        headers = header_row(books["fr"][name])
        keys = report_sheet(name).keys
        assert [header_aliases()[fold(h)] for h in headers[: len(keys)]] == keys
    assert column_index_from_string("C") == report_sheet("audience").keys.index("users") + 1


def test_unfilled_prefilled_weeks_are_ignored(warehouse):
    """An EPN that sends its statistics separately may leave the weekly sheet as it came."""
    book = open_book(fill(write_template(IDENTITY, 2025, "fr"), "fr"))
    weekly = book["weekly"]
    for row in range(2, weekly.max_row + 1):
        for column in range(2, 9):
            weekly.cell(row, column).value = None
    buffer = io.BytesIO()
    book.save(buffer)
    (result,) = ingest_uploads(
        [Upload("r.xlsx", buffer.getvalue(), dt.date(2026, 2, 1))], db=warehouse
    )
    assert (result["status"], result["errors"]) == ("accepted", [])
    with connect(warehouse) as con:
        assert con.execute("SELECT count(*) FROM hist_weekly").fetchone()[0] == 0
