"""The COPIL's what-if reads the judgement in force from the findings mart when the mart is
today's for that year and charter version, and evaluates only the proposed side: the same
newly-breaching and no-longer lists as evaluating both, on a real warehouse (issue 15, item 2).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from test_app_fixtures import RECEIVED, build_warehouse, private_copy
from test_report_ingest import clean_report, xlsx

import dashboards.queries.charter_whatif as whatif
from epn.principal import COPIL, Principal
from services.uploads import Upload, ingest_uploads
from warehouse.db import connect, transaction
from warehouse.finding_mart import PENDING, ensure_fresh

YEAR = 2024
COPIL_MEMBER = Principal("copil", COPIL)
RAISED_HOURS = {"min_public_hours": 25.0}  # EPN-0001 (20 h a week) newly breaches
TOLERANCE = {"hours_tolerance_weeks": 3}  # EPN-0002 (3 short weeks) no longer breaches


def report(epn_id: str, short_weeks: int) -> bytes:
    """A 2024 report breaking no rule but for its first ``short_weeks`` weeks of 10 hours."""
    sheets = clean_report()
    sheets["epn"][1] = ["epn_id", epn_id]
    for row in sheets["weekly"][1 : 1 + short_weeks]:
        row[3] = row[4] = 10
    return xlsx(sheets)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    path = build_warehouse(tmp_path_factory.mktemp("whatif-mart") / "epn.duckdb")
    reports = [
        Upload("rapport-0001.xlsx", report("EPN-0001", 0), RECEIVED, "coordinator"),
        Upload("rapport-0002.xlsx", report("EPN-0002", 3), RECEIVED, "coordinator"),
    ]
    assert [r["status"] for r in ingest_uploads(reports, db=path)] == ["accepted"] * 2
    with connect(path) as con, transaction(con):
        ensure_fresh(con)  # as the first reader of the day leaves it
    return path


@pytest.fixture
def db(warehouse, tmp_path, monkeypatch):
    yield from private_copy(warehouse, tmp_path, monkeypatch)


@pytest.fixture
def evaluations(monkeypatch) -> list[dict]:
    """The charter evaluations the what-if runs: the overrides of each."""
    calls: list[dict] = []
    real = whatif.evaluate

    def counted(con, year, as_of, *args, evidence=True, **overrides):
        calls.append(overrides)
        return real(con, year, as_of, *args, evidence=evidence, **overrides)

    monkeypatch.setattr(whatif, "evaluate", counted)
    return calls


def moved(result: dict, change: str) -> list[str]:
    epns = result["epns"]
    return sorted(epns.loc[epns["change"] == change, "epn_id"])


def make_stale(db, sql: str, params: list) -> None:
    with connect(db) as con, transaction(con):
        con.execute(sql, params)


@pytest.mark.parametrize("changes", [RAISED_HOURS, TOLERANCE, {}])
def test_the_mart_side_gives_what_evaluating_both_sides_gives(db, evaluations, changes):
    from_mart = whatif.what_if(COPIL_MEMBER, YEAR, changes, "fr")
    # the proposed side only, and no evaluation at all before a threshold is changed
    assert evaluations == ([changes] if changes else [])

    yesterday = dt.date.today() - dt.timedelta(days=1)
    make_stale(db, "UPDATE mart_refresh SET refreshed_on = ?", [yesterday])
    evaluations.clear()
    both_sides = whatif.what_if(COPIL_MEMBER, YEAR, changes, "fr")
    assert evaluations == ([{}, changes] if changes else [{}])

    pd.testing.assert_frame_equal(from_mart["epns"], both_sides["epns"])
    pd.testing.assert_frame_equal(from_mart["communes"], both_sides["communes"])
    expected = {
        "new": ["EPN-0001"] if changes == RAISED_HOURS else [],
        "gone": ["EPN-0002"] if changes == TOLERANCE else [],
    }
    assert {c: moved(from_mart, c) for c in expected} == expected


@pytest.mark.parametrize(
    "stale",
    [
        (
            "UPDATE mart_finding SET charter_version = 99 WHERE year = ?",
            [YEAR],
        ),  # judged by another
        ("INSERT INTO mart_refresh (name, refreshed_on) VALUES (?, current_date)", [PENDING]),
    ],
    ids=["another-charter-version", "refresh-pending"],
)
def test_a_mart_not_judged_today_by_the_version_in_force_is_not_read(db, evaluations, stale):
    make_stale(db, *stale)
    result = whatif.what_if(COPIL_MEMBER, YEAR, TOLERANCE, "fr")
    assert evaluations == [{}, TOLERANCE]  # both sides evaluated
    assert moved(result, "gone") == ["EPN-0002"]


@pytest.mark.parametrize("changes", [RAISED_HOURS, TOLERANCE, {"min_facilitated_hours": 30.0}])
def test_findings_without_evidence_are_the_same_findings(db, changes):
    from validation.charter.engine import evaluate

    def triples(found) -> list[tuple]:
        return [(f.epn_id, f.year, f.code, f.severity, f.charter_version) for f in found]

    with connect(db) as con:
        full = evaluate(con, YEAR, dt.date.today(), **changes)
        light = evaluate(con, YEAR, dt.date.today(), evidence=False, **changes)
    assert triples(light) == triples(full) and full
    week_rules = {"opening_hours_min", "facilitator_presence", "statistics_incomplete"}
    assert all(not f.evidence for f in light if f.code in week_rules)  # what it leaves out
