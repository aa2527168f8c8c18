"""A warehouse that already holds weeks dated 9999, 2100 or year 1 (written before ingestion
refused them, or by hand) crashes no page and no command: the year pickers stay within the
first reporting year → this year, and date arithmetic on such a year fails in words."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from test_app_fixtures import build_warehouse, open_page_as, private_copy

from epn.errors import EpnError
from validation.charter.periods import iso_year_weeks
from validation.charter.terms import first_reporting_year, terms_for
from warehouse.db import connect, transaction

ROOT = Path(__file__).resolve().parents[1]
WRONG_WEEKS = ("9999-12-27", "2100-01-04", "0001-01-01")
WRONG_REPORT_YEARS = (9999, 1)


def insert_wrong_dates(path: Path) -> None:
    """As an old warehouse holds them: straight into history and current facts, by SQL."""
    with connect(path) as con, transaction(con):
        upload_id = con.execute(
            "SELECT min(upload_id) FROM upload WHERE list_contains(epn_ids, 'EPN-0001')"
        ).fetchone()[0]
        for week in WRONG_WEEKS:
            for epn_id in ("EPN-0001", "EPN-0002"):
                for table in ("hist_weekly", "cur_weekly"):
                    con.execute(
                        f"INSERT INTO {table} VALUES"
                        " (?, 999, ?, ?::DATE, 'open', NULL, 20, 20, 100, 50, 10)",
                        [upload_id, epn_id, week],
                    )
        for year in WRONG_REPORT_YEARS:
            report = con.execute(
                "INSERT INTO upload (sha256, filename, size_bytes, kind, received_on, status,"
                " epn_ids, year) VALUES (?, ?, 10, 'annual_report', DATE '2025-01-10',"
                " 'accepted', ['EPN-0001'], ?) RETURNING upload_id",
                [f"sha-{year}", f"rapport-{year}.xlsx", year],
            ).fetchone()[0]
            con.execute(
                "INSERT INTO hist_report (upload_id, epn_id, year, users_total)"
                " VALUES (?, 'EPN-0001', ?, 50)",
                [report, year],
            )


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    path = build_warehouse(tmp_path_factory.mktemp("implausible") / "epn.duckdb")
    insert_wrong_dates(path)
    return path


@pytest.fixture
def db(warehouse, tmp_path, monkeypatch):
    yield from private_copy(warehouse, tmp_path, monkeypatch)


PAGES = [
    ("views/overview.py", "coord"),
    ("views/overview.py", "copil"),
    ("views/overview.py", "analyst"),
    ("views/overview.py", "anderlecht"),
    ("views/region.py", "analyst"),
    ("views/my_epn.py", "anderlecht"),
    ("views/coordinator.py", "coord"),
    ("views/copil_dashboard.py", "copil"),
    ("views/weekly_entry.py", "anderlecht"),  # the next week after 9999-12-27 broke it
]


@pytest.mark.parametrize(("page", "username"), PAGES)
def test_every_page_renders_with_its_years_bounded(db, page, username):
    at = open_page_as(page, username)
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    pickers = [s for s in at.selectbox if s.key and s.key.endswith("_year")]
    assert pickers or page == "views/weekly_entry.py"
    this_year = dt.date.today().year
    for picker in pickers:
        years = [int(y) for y in picker.options]
        assert max(years) == this_year and min(years) == first_reporting_year(), picker.key


def test_an_uncomputable_year_is_refused_in_words():
    for compute in (iso_year_weeks, lambda y: terms_for(2024).report_deadline(y)):
        with pytest.raises(EpnError) as refused:
            compute(9999)
        assert refused.value.code == "year_not_computable"
        assert "9999" in refused.value.message("nl") and "epn uploads retract" in str(refused.value)
    assert iso_year_weeks(2024)[0] == dt.date(2024, 1, 1)  # a real year is untouched


def test_the_commands_still_answer(db, cli):
    # the contract's command as a script calls it, in its own process
    compliance = subprocess.run(
        [sys.executable, "-m", "cli", "compliance", "--json", "--year", "2025", "--db", str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert compliance.returncode == 0, compliance.stderr
    assert {f["year"] for f in json.loads(compliance.stdout)} == {2025}
    code, out, err = cli("indicators", "--year", "2024", "--json")
    assert code == 0, err
    assert json.loads(out)["region"]["labelled_epns"] == 3
    # retracting the file that holds the wrong weeks recomputes the reporting years only
    code, out, err = cli("uploads", "retract", "1", "--reason", "dates erronées", "--json")
    assert code == 0, err
    assert json.loads(out)["years"] == [2024]
    with connect(db) as con:
        left = con.execute("SELECT count(*) FROM cur_weekly WHERE epn_id = 'EPN-0001'").fetchone()
    assert left == (0,)
