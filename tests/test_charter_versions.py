"""The charter's versions as warehouse data (issue 15) and when obligations start (issue 13).

A real warehouse file and the real `epn` command: the coordinator proposes, the COPIL
adopts, each step audited; a year is judged by the version in force on its 1 January, the
years before it keep their verdicts, and a year before the first reporting year has no
findings at all.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from epn.principal import COORDINATOR, COPIL, Principal
from services import charter
from services.access import AccessDenied
from services.snapshots import freeze_year
from tests.conftest import load_registry, stats_file, week_rows
from validation.charter.terms import first_reporting_year, terms_for
from warehouse.db import connect, transaction
from warehouse.finding_mart import refresh_all

COORD = Principal("coord", COORDINATOR)
COMMITTEE = Principal("copil", COPIL)
NEW = ("propose", "--effective-from", "2027-01-01", "--name", "X")
LABELLED_2019 = [
    "EPN-0001",
    "EPN Anderlecht",
    21001,
    "Commune d'Anderlecht",
    "commune",
    "2019-01-07",
]


def findings(cli, year: int, *extra) -> list[dict]:
    code, out, err = cli("compliance", "--year", year, "--json", *extra)
    assert code == 0, err
    return json.loads(out)


def audit_rows(db, action: str) -> list[tuple]:
    with connect(db) as con:
        return con.execute(
            "SELECT username, target, outcome, detail FROM audit_log WHERE action = ?"
            " ORDER BY audit_id",
            [action],
        ).fetchall()


# --- when obligations start ---------------------------------------------------------------


@pytest.fixture
def reporting_from_2021(cli, db):
    """An empty warehouse whose charter judges from 2021; an EPN labelled since 2019 that
    never sent anything (so every judged year has breaches)."""
    code, out, err = cli(
        "charter",
        "propose",
        "--effective-from",
        "2019-01-01",
        "--name",
        "Charte",
        "--reporting-from",
        2021,
    )
    assert code == 0, err
    assert cli("charter", "adopt", 2)[0] == 0
    load_registry(db, [LABELLED_2019])
    return cli


def test_years_before_the_first_reporting_year_have_no_findings(reporting_from_2021, db):
    cli = reporting_from_2021
    assert findings(cli, 2018) == []
    assert findings(cli, 2020, "--as-of", "2022-06-01") == []
    first = findings(cli, 2021, "--as-of", "2022-06-01")
    assert {f["code"] for f in first} == {"statistics_incomplete", "report_missing"}
    # 2020 had no findings at all, so 2021's breaches repeat nothing; 2022's repeat 2021's
    second = findings(cli, 2022, "--as-of", "2023-06-01")
    assert {f["evidence"]["repeated_code"] for f in second if f["code"] == "repeated_breach"} == {
        "statistics_incomplete",
        "report_missing",
    }
    with connect(db) as con:
        assert first_reporting_year(con) == 2021
        with transaction(con):
            refresh_all(con)
        assert con.execute("SELECT min(year) FROM mart_finding").fetchone()[0] == 2021
    code, out, _ = cli("registry", "candidates", "--year", 2021, "--as-of", "2022-06-01", "--json")
    assert code == 0 and json.loads(out) == []
    code, out, _ = cli("registry", "candidates", "--year", 2022, "--as-of", "2023-06-01", "--json")
    assert [c["epn_id"] for c in json.loads(out)] == ["EPN-0001"]


def test_the_text_output_of_a_year_before_it_is_empty_too(reporting_from_2021):
    # no finding, only the sentence that says so
    said = reporting_from_2021("compliance", "--year", 2019)
    assert said == (0, "Aucun constat pour 2019.\n", "")


def test_the_shipped_default_judges_from_2019(db):
    with connect(db) as con:
        assert first_reporting_year(con) == 2019
        assert terms_for(2019, con).version_id == 1


# --- versions: propose, adopt, refuse -------------------------------------------------------


@pytest.fixture
def hours_story(cli, db, tmp_path):
    """An EPN open 12 hours a week in 2025 and 2026, 8 hours in the first weeks of 2026."""
    load_registry(db, [[*LABELLED_2019[:5], "2024-01-08"]])
    rows = week_rows("EPN-0001", 2025, hours=12.0) + week_rows("EPN-0001", 2026, hours=8.0)[:8]
    code, out, err = cli(
        "ingest", stats_file(tmp_path, "stats.csv", rows), "--received-on", "2026-03-01"
    )
    assert code == 0, err
    return cli


def test_a_new_version_judges_the_later_years_and_the_earlier_keep_theirs(hours_story, db):
    cli = hours_story
    before = findings(cli, 2025, "--as-of", "2026-03-02")
    code, out, err = cli(
        "charter", "propose", "--effective-from", "2026-01-01", "--name", "Charte 2026",
        "--min-public-hours", 10, "--min-facilitated-hours", 10, "--note", "moins d'heures",
    )  # fmt: skip
    assert code == 0, err
    assert "epn charter adopt 2" in out
    # proposed, not adopted: it judges nothing yet
    assert {f["charter_version"] for f in findings(cli, 2026, "--as-of", "2026-03-02")} == {1}
    code, out, err = cli("charter", "adopt", 2, "--json")
    assert code == 0, err
    assert json.loads(out)["status"] == "adopted"

    after = findings(cli, 2025, "--as-of", "2026-03-02")
    assert after == before and {f["charter_version"] for f in after} == {1}
    assert {f["evidence"].get("minimum_hours") for f in after if "weeks" in f["evidence"]} == {15}
    later = findings(cli, 2026, "--as-of", "2026-03-02")
    hours = [f for f in later if f["code"] == "opening_hours_min"]
    assert hours and hours[0]["evidence"]["minimum_hours"] == 10
    assert {f["charter_version"] for f in later} == {2}

    with connect(db) as con:
        assert sorted(
            con.execute("SELECT DISTINCT year, charter_version FROM mart_finding").fetchall()
        ) == [(2024, 1), (2025, 1), (2026, 2)]
    assert freeze_year(COORD, 2025).charter_version == 1
    assert freeze_year(COORD, 2026).charter_version == 2

    code, out, _ = cli("charter", "list", "--json")
    listed = json.loads(out)
    assert [(v["version_id"], v["status"], v["min_public_hours"]) for v in listed] == [
        (1, "adopted", 15.0),
        (2, "adopted", 10.0),
    ]
    assert listed[1]["min_facilitated_hours"] == 10.0 and listed[1]["report_deadline_day"] == 31
    assert [r[2] for r in audit_rows(db, "charter_propose")] == ["ok"]
    assert [r[:3] for r in audit_rows(db, "charter_adopt")] == [("system", "2", "ok")]


def test_a_judged_year_can_no_longer_change_and_the_refusal_is_audited(hours_story, db):
    code, out, err = hours_story(
        "charter",
        "propose",
        "--effective-from",
        "2025-01-01",
        "--name",
        "Trop tard",
        "--lang",
        "en",
    )
    assert code == 1 and out == ""
    assert "already closed and judged" in err and "1 January 2026" in err
    with connect(db) as con:
        assert con.execute("SELECT count(*) FROM charter_version").fetchone()[0] == 1
    (row,) = audit_rows(db, "charter_propose")
    assert row[2] == "refused" and json.loads(row[3])["code"] == "charter.year_judged"


@pytest.mark.parametrize(
    ("args", "status", "words"),
    [
        (("adopt", 7), 1, "epn charter list"),
        (("adopt", 1), 1, "proposez une nouvelle version"),
        (("propose", "--effective-from", "2027-03-01", "--name", "X"), 1, "1er janvier 2027"),
        ((*NEW[:4], " "), 1, "Donnez un nom"),
        ((*NEW, "--deadline", "2-30"), 1, "3-31"),
        ((*NEW, "--deadline", "mars"), 2, "MOIS-JOUR"),
        ((*NEW, "--tolerance-weeks", 60), 1, "entre 0 et 53"),
        ((*NEW, "--min-public-hours", -1), 1, "entre 0 et 168"),
        (("propose", "--effective-from", "hier", "--name", "X"), 2, "hier"),
    ],
)  # fmt: skip
def test_a_bad_step_says_what_to_do_and_writes_nothing(cli, db, args, status, words):
    code, out, err = cli("charter", *args)
    assert (code, out) == (status, "")
    assert words in err and "Traceback" not in err
    with connect(db) as con:
        assert con.execute("SELECT count(*) FROM charter_version").fetchone()[0] == 1
        assert con.execute("SELECT count(*) FROM charter_adoption").fetchone()[0] == 1


def test_only_the_coordinator_proposes_and_only_the_copil_adopts(db):
    with pytest.raises(AccessDenied):
        charter.propose(COMMITTEE, dt.date(2027, 1, 1), "Charte 2027")
    version_id = charter.propose(COORD, dt.date(2027, 1, 1), "Charte 2027", min_public_hours=12)
    with pytest.raises(AccessDenied):
        charter.adopt(COORD, version_id)
    assert charter.adopt(COMMITTEE, version_id).min_public_hours == 12
    with connect(db) as con:
        assert terms_for(2027, con).version_id == version_id
        assert terms_for(2026, con).version_id == 1
    assert [r[2] for r in audit_rows(db, "access_denied")] == ["refused", "refused"]
