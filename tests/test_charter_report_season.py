"""Before a year's report deadline the report frame is only built once one of its reports is
in (``report_checks.any_report_can_fail``; the year before, judged for ``repeated_breach``
only, does not count): on the golden scenario, evaluations before any report of the year
skip it and find what the previous engine finds; once EPN-B's 2024 report is in (still
before the deadline), its report rules fire, and its repeated breaches, as the previous
engine's do."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from legacy_charter_engine import evaluate as previous_engine

from validation.charter import engine, report_checks
from warehouse.db import connect

GOLDEN = Path(__file__).parent / "golden" / "scenario"
EXPECTED = json.loads((GOLDEN / "expected_findings.json").read_text(encoding="utf-8"))
REPORT_CODES = {rule.code for rule in report_checks.rules_of("report")}


@pytest.fixture
def scenario(golden_scenario, cli):
    return golden_scenario


def report_can_fail(con, year: int, as_of: dt.date) -> bool:
    engine.load_periods(con, engine.judged_years(con, [year], True, {}), as_of, None)
    return report_checks.any_report_can_fail(con, [year], as_of)


def evaluated(con, year: int, as_of: dt.date) -> list:
    found = engine.evaluate(con, year, as_of)
    assert found == previous_engine(con, year, as_of)
    return found


@pytest.mark.parametrize(
    ("year", "as_of"),
    [
        (2023, dt.date(2024, 2, 1)),  # its statistics in, no report; 2022's deadline passed
        (2024, dt.date(2025, 2, 20)),  # its statistics in, no report; 2023's deadline passed
    ],
)
def test_no_report_in_before_the_deadline_skips_the_report_rules(scenario, year, as_of):
    with connect(scenario) as con:
        assert not report_can_fail(con, year, as_of)
        codes = {f.code for f in evaluated(con, year, as_of)}
    assert codes - REPORT_CODES  # the statistics rules spoke
    assert not codes & REPORT_CODES


def test_a_report_in_before_the_deadline_is_judged(scenario):
    as_of = dt.date(2025, 3, 15)  # EPN-B's 2024 report in (1 March), deadline 31 March
    with connect(scenario) as con:
        assert report_can_fail(con, 2024, as_of)
        found = evaluated(con, 2024, as_of)
    assert {(f.epn_id, f.code) for f in found if f.code in REPORT_CODES} == {
        ("EPN-B", "cooperation"),
        ("EPN-B", "qualified_facilitator"),
        ("EPN-B", "signage"),
    }
    assert [f.epn_id for f in found if f.code == "repeated_breach"] == ["EPN-B", "EPN-B"]
