"""Retraction of an accepted upload: through the CLI and the app's upload history, the
previous version of each key comes back, history keeps everything, the findings follow, and
a statistics week in 9999 accepted by an earlier version can be taken back out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from test_app_fixtures import copy_warehouse, log_in

from tests.conftest import stats_file, use_warehouse, week_rows
from warehouse.db import connect

APP = Path(__file__).resolve().parents[1] / "dashboards" / "app.py"
GOLDEN = Path(__file__).resolve().parent / "golden" / "scenario"


def weekly(db, epn_id="EPN-0001") -> list[tuple]:
    with connect(db) as con:
        return con.execute(
            "SELECT week_start, visits, upload_id FROM cur_weekly WHERE epn_id = ? ORDER BY 1",
            [epn_id],
        ).fetchall()


def uploads(cli) -> list[dict]:
    code, out, err = cli("uploads", "list", "--json")
    assert code == 0, err
    return json.loads(out)


def test_retracting_a_correction_brings_the_previous_version_back(cli, registry, tmp_path):
    first = week_rows("EPN-0001", 2024, hours=20)
    corrected = [row[:6] + [70] + row[7:] for row in first[:10]]  # ten weeks, other visits
    cli("ingest", stats_file(tmp_path, "v1.csv", first))
    original = weekly(registry)
    findings_before = json.loads(cli("compliance", "--year", "2024", "--json")[1])
    cli("ingest", stats_file(tmp_path, "v2.csv", corrected))
    assert [visits for _, visits, _ in weekly(registry)][:10] == [70] * 10
    v2 = uploads(cli)[0]
    assert v2["filename"] == "v2.csv" and v2["status"] == "accepted"

    code, out, err = cli("uploads", "retract", v2["upload_id"], "--reason", "  ")
    assert code == 2 and "--reason" in err  # a reason is required
    code, out, err = cli("uploads", "retract", v2["upload_id"], "--reason", "wrong file")
    assert code == 0, err
    assert "retiré" in out and "2024" in out
    assert weekly(registry) == original  # the first version of each week is back
    assert json.loads(cli("compliance", "--year", "2024", "--json")[1]) == findings_before
    listed = uploads(cli)[0]
    assert listed["status"] == "retracted" and listed["reason"] == "wrong file"
    assert listed["retracted_by"] == "system"
    with connect(registry) as con:
        assert con.execute("SELECT count(*) FROM hist_weekly").fetchone()[0] == len(first) + 10
        audit = con.execute(
            "SELECT username, target, detail->>'reason' FROM audit_log WHERE action = 'retract'"
        ).fetchall()
        mart = con.execute(
            "SELECT epn_id, year, code FROM mart_finding WHERE epn_id = 'EPN-0001' AND year = 2024"
            " ORDER BY ALL"
        ).fetchall()
    assert audit == [("system", "v2.csv", "wrong file")]
    expected = sorted(
        (f["epn_id"], f["year"], f["code"]) for f in findings_before if f["epn_id"] == "EPN-0001"
    )
    assert mart == expected

    code, _, err = cli("uploads", "retract", v2["upload_id"], "--reason", "again", "--lang", "en")
    assert code == 1 and "not an accepted file" in err
    code, _, err = cli("uploads", "retract", 999, "--reason", "x")
    assert code == 1 and "999" in err and "Traceback" not in err
    # the same file again is a new version, not a duplicate of a retracted one
    code, out, _ = cli("ingest", tmp_path / "v2.csv", "--json")
    assert json.loads(out)[0]["status"] == "accepted"


def test_retracting_an_annual_report_makes_it_missing(cli, db):
    cli("registry", "import", GOLDEN / "registry.csv")
    cli("ingest", GOLDEN / "report-A-2023.xlsx", "--received-on", "2024-03-01")
    as_of = ["compliance", "--year", "2023", "--as-of", "2024-06-30", "--json"]
    codes = {f["code"] for f in json.loads(cli(*as_of)[1]) if f["epn_id"] == "EPN-A"}
    assert "report_missing" not in codes
    report = uploads(cli)[0]
    assert cli("uploads", "retract", report["upload_id"], "--reason", "sent twice")[0] == 0
    codes = {f["code"] for f in json.loads(cli(*as_of)[1]) if f["epn_id"] == "EPN-A"}
    assert "report_missing" in codes
    with connect(db) as con:
        assert con.execute("SELECT count(*) FROM cur_report").fetchone() == (0,)
        assert con.execute("SELECT count(*) FROM hist_report").fetchone() == (1,)


@pytest.fixture
def far_future(template, tmp_path, monkeypatch):
    """The app's warehouse holding a statistics file with a week in 9999, as an earlier
    version of the software accepted it."""
    path = copy_warehouse(template, tmp_path / "epn.duckdb")
    with connect(path) as con:
        upload_id = con.execute("SELECT max(upload_id) FROM upload").fetchone()[0]
        for table in ("hist_weekly", "cur_weekly"):
            con.execute(
                f"UPDATE {table} SET week_start = DATE '9999-12-27' WHERE upload_id = ?"
                f" AND week_start = (SELECT max(week_start) FROM {table} WHERE upload_id = ?)",
                [upload_id, upload_id],
            )
    yield from use_warehouse(path, monkeypatch)


def test_the_coordinator_retracts_a_week_in_9999_and_pages_recover(far_future):
    with connect(far_future) as con:
        upload_id, filename = con.execute(
            "SELECT upload_id, filename FROM upload WHERE upload_id = (SELECT max(upload_id)"
            " FROM upload)"
        ).fetchone()
        assert con.execute("SELECT max(year(week_start)) FROM cur_weekly").fetchone() == (9999,)
    at = log_in(AppTest.from_file(APP, default_timeout=60), "coord")
    at = at.switch_page("views/upload.py").run()
    assert not at.exception
    at.selectbox(key="retract_upload_id").set_value(upload_id)
    at.button(key="retract_submit").click().run()
    assert at.error and "raison" in at.error[0].value  # no reason: refused, nothing done
    at.text_input(key="retract_reason").input("semaine 9999 impossible")
    at.button(key="retract_submit").click().run()
    assert not at.exception
    assert any(filename in s.value and "retiré" in s.value for s in at.success)
    with connect(far_future) as con:
        assert con.execute("SELECT max(year(week_start)) FROM cur_weekly").fetchone()[0] < 2100
        status = con.execute("SELECT status FROM upload WHERE upload_id = ?", [upload_id])
        assert status.fetchone() == ("retracted",)
    for page in ("views/overview.py", "views/upload.py"):
        at = at.switch_page(page).run()
        assert not at.exception and not at.error, page
    assert (
        9999 not in at.switch_page("views/overview.py").run().selectbox(key="overview_year").options
    )


def test_an_epn_user_sees_no_retraction_and_cannot_retract(far_future):
    from epn.principal import EPN_USER, Principal
    from services.access import AccessDenied
    from services.retraction import retract_upload

    at = log_in(AppTest.from_file(APP, default_timeout=60), "anderlecht")
    at = at.switch_page("views/upload.py").run()
    assert not at.exception
    assert not [s for s in at.selectbox if s.key == "retract_upload_id"]
    with pytest.raises(AccessDenied):
        retract_upload(Principal("anderlecht", EPN_USER, "EPN-0001"), 1, "mine")
