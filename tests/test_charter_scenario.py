"""A two-year scenario of annual reports and statistics (golden files in tests/golden/scenario)
yields exactly the findings the standard defines, written by hand in expected_findings.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden" / "scenario"
EXPECTED = json.loads((GOLDEN / "expected_findings.json").read_text(encoding="utf-8"))


@pytest.fixture
def scenario(golden_scenario, cli):
    return cli


def key(finding: dict) -> tuple:
    repeated = finding.get("evidence", {}).get("repeated_code")
    return finding["epn_id"], finding["code"], finding["severity"], repeated


@pytest.mark.parametrize("year", [2023, 2024])
def test_scenario_yields_exactly_the_standards_findings(scenario, year):
    code, out, err = scenario("compliance", "--year", year, "--as-of", EXPECTED["as_of"], "--json")
    assert code == 0, err
    found = {key(f): f for f in json.loads(out)}
    expected = {key(e): e for e in EXPECTED[str(year)]}
    assert sorted(found) == sorted(expected)
    for name, wanted in expected.items():
        assert found[name]["year"] == year and found[name]["message"]
        evidence = found[name]["evidence"]
        assert {k: evidence[k] for k in wanted.get("evidence", {})} == wanted.get("evidence", {})
