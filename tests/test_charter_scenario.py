"""A two-year scenario of annual reports and statistics (golden files in tests/golden/scenario)
yields exactly the findings the standard defines, written by hand in expected_findings.json."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden" / "scenario"
EXPECTED = json.loads((GOLDEN / "expected_findings.json").read_text(encoding="utf-8"))


@pytest.fixture
def scenario(cli):
    assert cli("registry", "import", GOLDEN / "registry.csv")[0] == 0
    with (GOLDEN / "manifest.csv").open(encoding="utf-8") as handle:
        for entry in csv.DictReader(handle):
            code, out, err = cli(
                "ingest", GOLDEN / entry["file"], "--received-on", entry["received_on"], "--json"
            )
            assert code == 0, (entry["file"], out, err)
    for epn_id, day, reason in EXPECTED["withdrawals"]:
        assert cli("registry", "withdraw", epn_id, "--on", day, "--reason", reason)[0] == 0
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
