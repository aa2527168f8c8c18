"""Entry in the browser, through AppTest: the weekly statistics grid and the annual report
form, both sending through the upload path; and the grid's file equal to a hand-written one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from test_app_fixtures import build_warehouse, copy_warehouse, log_in

from dashboards.queries.entry import monday_of
from dashboards.weekly_grid import holidays_of_week, status_label
from epn.i18n import t
from epn.principal import EPN_USER, Principal
from epn.settings import get_settings
from services import drafts
from services.access import AccessDenied
from services.uploads import Upload, ingest_uploads, submit
from tests.conftest import STATS_HEADER, csv_bytes, use_warehouse
from warehouse.db import connect

APP = Path(__file__).resolve().parents[1] / "dashboards" / "app.py"
WEEKLY, REPORT = "views/weekly_entry.py", "views/report_entry.py"
GRID = "weekly_grid"
TODAY = dt.date.today()
LAST_WEEK = monday_of(TODAY) - dt.timedelta(weeks=1)
# EPN-0002 has sent every week up to four weeks before last week: the grid holds four
OPEN_WEEKS = [LAST_WEEK - dt.timedelta(weeks=n) for n in (3, 2, 1, 0)]
IXELLES = Principal("ixelles", EPN_USER, "EPN-0002")
OPEN, CLOSED = status_label("open", "fr"), status_label("closed", "fr")


def weeks_up_to(last: dt.date) -> list[list]:
    first = dt.date(2024, 12, 30)
    count = (last - first).days // 7 + 1
    return [
        ["EPN-0002", first + dt.timedelta(weeks=n), "open", "", 20, 18, 40, 20, 4]
        for n in range(count)
    ]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path = build_warehouse(tmp_path_factory.mktemp("entry") / "epn.duckdb")
    rows = weeks_up_to(OPEN_WEEKS[0] - dt.timedelta(weeks=1))
    data = csv_bytes(STATS_HEADER, [[str(v) for v in row] for row in rows])
    [result] = ingest_uploads([Upload("ixelles-2025.csv", data, TODAY, "ixelles")], db=path)
    assert result["status"] == "accepted", result["errors"]
    return path


@pytest.fixture(autouse=True)
def fresh_settings():
    yield
    get_settings.cache_clear()  # the next test reads its own EPN_DB


@pytest.fixture
def warehouse(built, tmp_path, monkeypatch):
    yield from use_warehouse(copy_warehouse(built, tmp_path / "epn.duckdb"), monkeypatch)


def page(username: str, script: str) -> AppTest:
    at = log_in(AppTest.from_file(APP, default_timeout=60), username)
    return at.switch_page(script).run()


def edit(at: AppTest, rows: dict[int, dict]) -> AppTest:
    at.session_state[GRID] = {"edited_rows": rows, "added_rows": [], "deleted_rows": []}
    return at.run()


def send_grid(at: AppTest, rows: dict[int, dict]) -> AppTest:
    """Edits and the click in one run: AppTest has no browser to keep the editor's edits."""
    at = edit(at, rows)  # the run that enables the button
    at.session_state[GRID] = {"edited_rows": rows, "added_rows": [], "deleted_rows": []}
    return at.button(key="weekly_entry_send").click().run()


def open_week(visits=30, unique=20, new=5, hours=20.0, facilitated=16.0) -> dict:
    return {
        "status": OPEN,
        "public_hours": hours,
        "facilitated_hours": facilitated,
        "visits": visits,
        "unique_users": unique,
        "new_users": new,
    }


FOUR_WEEKS = {
    0: open_week(),
    1: {"status": CLOSED, "closure_reason": "Travaux", "public_hours": 0.0},
    2: open_week(visits=45, unique=30, new=2),
    3: open_week(visits=38, unique=25, new=0, hours=24.5, facilitated=24.5),
}


def weeks_in_force(db: Path, epn_id: str = "EPN-0002") -> list[tuple]:
    with connect(db) as con:
        return con.execute(
            "SELECT week_start, status, closure_reason, public_hours, facilitated_hours, visits,"
            " unique_users, new_users FROM cur_weekly WHERE epn_id = ? AND week_start >= ?"
            " ORDER BY week_start",
            [epn_id, OPEN_WEEKS[0]],
        ).fetchall()


def grid_problems(at: AppTest) -> list[str]:
    return at.data_editor(key=GRID).value["problems"].tolist()


# ---- the weekly grid ----------------------------------------------------------------------


def test_the_grid_holds_the_weeks_not_yet_sent(warehouse):
    at = page("ixelles", WEEKLY)
    assert not at.exception
    grid = at.data_editor(key=GRID).value
    expected = [f"S{w.isocalendar().week} · {w:%d/%m/%Y}" for w in OPEN_WEEKS]
    assert grid["week"].tolist() == expected
    assert grid["status"].isna().all()  # nothing entered yet, nothing to send
    assert at.button(key="weekly_entry_send").disabled


def test_belgian_public_holidays_are_named_in_the_users_language():
    armistice = dt.date(2026, 11, 9)
    assert holidays_of_week(armistice, "fr") == "Jour de l'Armistice (11/11)"
    assert "Wapenstilstand" in holidays_of_week(armistice, "nl")
    assert holidays_of_week(dt.date(2026, 11, 16), "fr") == ""


def test_a_mistake_is_shown_on_its_row_and_blocks_sending(warehouse):
    at = page("ixelles", WEEKLY)
    wrong = {**FOUR_WEEKS, 2: open_week(visits=45, unique=60, new=2)}  # more users than visits
    at = edit(at, wrong)
    problems = grid_problems(at)
    assert problems[0] == problems[1] == problems[3] == ""
    assert problems[2].startswith(t("header.unique_users", "fr") + " : ")
    assert "(60)" in problems[2]
    assert at.button(key="weekly_entry_send").disabled
    listed = " ".join(m.value for m in at.markdown)
    assert f"S{OPEN_WEEKS[2].isocalendar().week} · {OPEN_WEEKS[2]:%d/%m/%Y}" in listed
    # a closed week needs its reason: the rule of a file, on the reason's row
    at = edit(at, {**FOUR_WEEKS, 1: {"status": CLOSED, "public_hours": 0.0}})
    assert "fermeture" in grid_problems(at)[1].lower()


def test_four_weeks_are_sent_through_the_upload_path(warehouse):
    at = page("ixelles", WEEKLY)
    at = edit(at, FOUR_WEEKS)
    assert all(p == "" for p in grid_problems(at))
    at = send_grid(at, FOUR_WEEKS)
    assert not at.exception
    last = OPEN_WEEKS[-1].isocalendar()
    filename = f"saisie-web-EPN-0002-{last.year}-W{last.week:02d}.csv"
    assert any(filename in s.value for s in at.success), [s.value for s in at.success]
    stored = weeks_in_force(warehouse)
    assert [row[:3] for row in stored] == [
        (OPEN_WEEKS[0], "open", None),
        (OPEN_WEEKS[1], "closed", "Travaux"),
        (OPEN_WEEKS[2], "open", None),
        (OPEN_WEEKS[3], "open", None),
    ]
    assert stored[3][3:] == (24.5, 24.5, 38, 25, 0)
    with connect(warehouse) as con:
        upload = con.execute(
            "SELECT status, uploaded_by, kind FROM upload WHERE filename = ?", [filename]
        ).fetchall()
        audited = con.execute(
            "SELECT count(*) FROM audit_log WHERE action = 'upload' AND target = ?", [filename]
        ).fetchone()[0]
    assert upload == [("accepted", "ixelles", "statistics")] and audited == 1
    # every week is now sent: the grid says so, and the weeks show among the latest
    assert any("sont envoyées" in s.value for s in at.success)
    recent = at.table[0].value
    latest = " ".join(map(str, recent.reset_index().iloc[0])).replace("\\", "")
    assert len(recent) == 8 and f"S{last.week} · {OPEN_WEEKS[-1]:%d/%m/%Y}" in latest
    assert "24,5" in latest and "Ouvert" in latest


def test_a_week_already_sent_is_corrected_in_the_same_grid(warehouse):
    at = page("ixelles", WEEKLY)
    send_grid(at, FOUR_WEEKS)
    at.session_state["weekly_entry_mode"] = "correct"
    at.session_state["weekly_entry_week"] = OPEN_WEEKS[2] + dt.timedelta(days=3)  # a Thursday
    at = at.run()
    grid = at.data_editor(key=GRID).value
    assert len(grid) == 1 and grid.loc[0, "visits"] == 45 and grid.loc[0, "status"] == OPEN
    at = send_grid(at, {0: {"visits": 50}})
    assert weeks_in_force(warehouse)[2][5] == 50
    with connect(warehouse) as con:
        history = con.execute(
            "SELECT visits FROM hist_weekly WHERE epn_id = 'EPN-0002' AND week_start = ?"
            " ORDER BY upload_id",
            [OPEN_WEEKS[2]],
        ).fetchall()
    assert history == [(45,), (50,)]


def test_the_grid_gives_the_warehouse_what_the_same_csv_upload_gives(built, tmp_path, monkeypatch):
    by_grid = copy_warehouse(built, tmp_path / "grid.duckdb")
    by_file = copy_warehouse(built, tmp_path / "file.duckdb")
    point_at(by_grid, monkeypatch)
    send_grid(page("ixelles", WEEKLY), FOUR_WEEKS)
    # the same weeks as an EPN would type them in a spreadsheet, in another order
    lines = [
        ["EPN-0002", OPEN_WEEKS[3], "open", "", "24,5", "24,5", 38, 25, 0],
        ["EPN-0002", OPEN_WEEKS[0], "open", "", 20, 16, 30, 20, 5],
        ["EPN-0002", OPEN_WEEKS[1], "closed", "Travaux", 0, "", "", "", ""],
        ["EPN-0002", OPEN_WEEKS[2], "open", "", 20, 16, 45, 30, 2],
    ]
    data = csv_bytes(STATS_HEADER, lines, delimiter=";")
    point_at(by_file, monkeypatch)
    [result] = submit(IXELLES, [Upload("semaines.csv", data, TODAY, "ixelles")], db=by_file)
    assert result["status"] == "accepted", result["errors"]
    assert weeks_in_force(by_grid) == weeks_in_force(by_file)
    assert len(weeks_in_force(by_grid)) == 4
    assert findings_of(by_grid) == findings_of(by_file)


def point_at(db: Path, monkeypatch) -> None:
    monkeypatch.setenv("EPN_DB", str(db))
    get_settings.cache_clear()


def findings_of(db: Path) -> list[tuple]:
    with connect(db) as con:
        return con.execute(
            "SELECT epn_id, year, code, severity, evidence::VARCHAR FROM mart_finding ORDER BY ALL"
        ).fetchall()


# ---- the annual report form ---------------------------------------------------------------

YEAR = TODAY.year - 1  # the form's default year
STEP = "report_entry_step"


def field(*parts: str) -> str:
    return "_".join(["rf", "1", *parts])  # the widgets of the first form a session loads


def identity_filled(at: AppTest, users_total: int = 10) -> AppTest:
    at.text_input(key=field("epn", "submitted_by")).input("A. Dupont")
    at.number_input(key=field("epn", "users_total")).set_value(users_total)
    at.radio(key=field("epn", "nonprofit")).set_value(True)
    at.selectbox(key=field("epn", "fees")).set_value("free")
    at.radio(key=field("epn", "label_sticker_displayed")).set_value(True)
    at.radio(key=field("epn", "charter_displayed")).set_value(True)
    return at.button(key=field("epn", "next")).click().run()


def row_added(at: AppTest, step: str, values: dict) -> AppTest:
    for name, value in values.items():
        widget = at.get_widget(field(step, "new", name)) if hasattr(at, "get_widget") else None
        widget = widget or next(
            w for w in at.main if getattr(w, "key", None) == field(step, "new", name)
        )
        widget.set_value(value)
    return at.button(key=field(step, "add_button")).click().run()


def widget_of(at: AppTest, key: str):
    for kind in ("text_input", "number_input", "selectbox", "radio", "date_input"):
        try:
            return getattr(at, kind)(key=key)
        except KeyError:
            continue
    raise KeyError(key)


def draft_of(db: Path, epn_id: str = "EPN-0001") -> tuple | None:
    with connect(db) as con:
        return con.execute(
            "SELECT step, content->>'$.epn.users_total', updated_by FROM report_draft"
            " WHERE epn_id = ? AND year = ?",
            [epn_id, YEAR],
        ).fetchone()


def test_the_report_form_keeps_a_draft_between_visits_and_sends_the_report(warehouse):
    at = page("anderlecht", REPORT)
    assert not at.exception
    at = identity_filled(at)
    assert at.session_state[STEP] == "staff"
    assert draft_of(warehouse) == ("staff", "10", "anderlecht")
    at = row_added(
        at,
        "staff",
        {
            "staff_ref": "AD",
            "role": "facilitator",
            "qualified": True,
            "qualification": "Bachelier",
            "weekly_hours": 38.0,
        },
    )
    # a second visit, in a new session: the draft is where it was left
    at = page("anderlecht", REPORT)
    assert at.session_state[STEP] == "staff"
    assert "AD" in at.table[0].value.to_string()
    at.session_state[STEP] = "epn"
    at = at.run()
    assert at.number_input(key=field("epn", "users_total")).value == 10
    assert at.text_input(key=field("epn", "submitted_by")).value == "A. Dupont"
    at.session_state[STEP] = "activities"
    at = row_added(
        at.run(),
        "activities",
        {
            "activity_ref": "A1",
            "title": "Smartphone pour débutants",
            "format": "collective",
            "kind": "training",
            "domain": "basic_skills",
            "sessions": 6,
            "hours": 12.5,
            "participants": 8,
            "priority_participants": 5,
        },
    )
    at.session_state[STEP] = "audience"
    at = at.run()
    for dimension in ("age", "gender", "status"):
        at.number_input(key=field("audience", dimension, "unknown")).set_value(10)
    at = at.button(key=field("audience", "next")).click().run()
    assert at.session_state[STEP] == "cooperation"
    at = row_added(at, "cooperation", {"partner": "Bibliothèque de Forest", "action": "Atelier"})
    at.session_state[STEP] = "send"
    at = at.run()
    assert any(str(YEAR) in s.value for s in at.success), [e.value for e in at.error]
    at = at.button(key=field("submit")).click().run()
    assert not at.exception
    filename = f"saisie-web-rapport-EPN-0001-{YEAR}.xlsx"
    assert any(filename in s.value for s in at.success)
    with connect(warehouse) as con:
        report = con.execute(
            "SELECT r.users_total, u.filename, u.uploaded_by FROM cur_report r"
            " JOIN upload u USING (upload_id) WHERE r.epn_id = 'EPN-0001' AND r.year = ?",
            [YEAR],
        ).fetchall()
        staff = con.execute(
            "SELECT staff_ref, role, qualified FROM hist_staff"
            " WHERE upload_id = (SELECT upload_id FROM cur_report"
            " WHERE epn_id = 'EPN-0001' AND year = ?)",
            [YEAR],
        ).fetchall()
    assert report == [(10, filename, "anderlecht")]
    assert staff == [("AD", "facilitator", True)]
    assert draft_of(warehouse) is None  # the report is in: its draft goes


def test_each_step_is_checked_with_the_workbooks_rules(warehouse):
    at = identity_filled(page("anderlecht", REPORT), users_total=12)
    at.session_state[STEP] = "audience"
    at = at.run()
    at.number_input(key=field("audience", "age", "65_plus")).set_value(5)
    at = at.button(key=field("audience", "save")).click().run()
    listed = " ".join(m.value for m in at.markdown)
    assert "Âge" in listed  # where: the dimension as the form names it, not « age »
    assert any("corriger" in e.value for e in at.error)
    at.session_state[STEP] = "send"
    at = at.run()
    assert any("ne peut pas encore" in w.value for w in at.warning)
    assert not [b for b in at.button if b.key == field("submit")]


def test_a_draft_is_kept_for_ones_own_epn_only(warehouse):
    with pytest.raises(AccessDenied):
        drafts.save_draft(IXELLES, "EPN-0001", YEAR, {"epn": {}}, "epn")
    drafts.save_draft(IXELLES, "EPN-0002", YEAR, {"epn": {"users_total": 3}}, "staff")
    with connect(warehouse) as con:
        audited = con.execute(
            "SELECT outcome FROM audit_log WHERE action = 'report_draft_save'"
        ).fetchall()
    assert draft_of(warehouse, "EPN-0002")[:2] == ("staff", "3") and audited == [("ok",)]
