"""The charter evaluated inside DuckDB (issue 12) gives exactly the findings of the previous
engine (pandas frames per EPN and year, kept as an oracle in tests/legacy_charter_engine.py):
same codes, evidence and messages, on generated weeks (Hypothesis) and on the golden
scenario's reports and statistics."""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from legacy_charter_engine import evaluate as previous_engine

from tests.conftest import load_registry
from validation.charter.engine import evaluate_years
from warehouse import charter_versions
from warehouse.db import connect, transaction

YEAR = 2024
EPNS = {  # label dates around the year: before it, within it, after it, on its first day
    "EPN-0001": "2022-05-02",
    "EPN-0002": "2024-07-03",
    "EPN-0003": "2025-02-10",
    "EPN-0004": "2024-01-01",
}
GOLDEN = Path(__file__).parent / "golden" / "scenario"
EXPECTED = json.loads((GOLDEN / "expected_findings.json").read_text(encoding="utf-8"))
HOURS = [None, 0.0, 8.0, 12.0, 14.5, 15.0, 20.0, 38.0]
FIRST_WEEK = dt.date.fromisocalendar(YEAR - 1, 1, 1)
WEEKS = 105  # the ISO weeks of the year before and of the year


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    path = tmp_path_factory.mktemp("in-database") / "epn.duckdb"
    load_registry(
        path,
        [[epn, f"EPN {epn}", 21001, "Commune", "commune", day] for epn, day in EPNS.items()],
    )
    return path


def weekly_rows(seed: int, missing: float, closed: float) -> list[tuple]:
    draw = random.Random(seed)
    rows = []
    for epn_id in EPNS:
        for week in range(WEEKS):
            if draw.random() < missing:
                continue
            status = "closed" if draw.random() < closed else "open"
            hours = (None, None) if status == "closed" else (draw.choice(HOURS), draw.choice(HOURS))
            start = FIRST_WEEK + dt.timedelta(weeks=week)
            rows.append((0, week, epn_id, start, status, None, *hours, 10, 5, 1))
    return rows


def same_findings(con, year: int, as_of: dt.date, **overrides) -> None:
    before = previous_engine(con, year, as_of, **overrides)
    after = evaluate_years(con, [year], as_of, **overrides)[year]
    assert after == before
    for lang in ("fr", "nl", "en"):
        assert [f.to_dict(lang) for f in after] == [f.to_dict(lang) for f in before]


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    seed=st.integers(0, 10_000),
    missing=st.sampled_from([0.0, 0.05, 0.5]),
    closed=st.sampled_from([0.0, 0.1, 0.4]),
    public=st.sampled_from([None, 10.0, 15.0, 20.0]),
    facilitated=st.sampled_from([None, 8.0, 15.0]),
    tolerance=st.sampled_from([None, 0, 2, 30]),
    as_of=st.sampled_from([dt.date(2024, 9, 16), dt.date(2025, 4, 2), dt.date(2026, 1, 5)]),
)
def test_generated_weeks_give_the_previous_engines_findings(
    warehouse, seed, missing, closed, public, facilitated, tolerance, as_of
):
    with connect(warehouse) as con:
        with transaction(con):
            con.execute("DELETE FROM cur_weekly")
            con.executemany(
                "INSERT INTO cur_weekly VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                weekly_rows(seed, missing, closed),
            )
        same_findings(
            con,
            YEAR,
            as_of,
            min_public_hours=public,
            min_facilitated_hours=facilitated,
            hours_tolerance_weeks=tolerance,
        )


def test_the_golden_scenario_gives_the_previous_engines_findings(cli, db):
    assert cli("registry", "import", GOLDEN / "registry.csv")[0] == 0
    with (GOLDEN / "manifest.csv").open(encoding="utf-8") as handle:
        for entry in csv.DictReader(handle):
            code, *_ = cli("ingest", GOLDEN / entry["file"], "--received-on", entry["received_on"])
            assert code == 0
    for epn_id, day, reason in EXPECTED["withdrawals"]:
        assert cli("registry", "withdraw", epn_id, "--on", day, "--reason", reason)[0] == 0
    with connect(db) as con:
        for year in (2023, 2024):
            same_findings(con, year, dt.date.fromisoformat(EXPECTED["as_of"]))


def test_years_judged_by_different_versions_in_one_evaluation_keep_their_own_terms(tmp_path):
    """The years of one evaluation run in the same queries, each by the version in force on
    its 1 January (hours, tolerance and the version recorded on each finding): the previous
    engine's findings, year by year."""
    path = tmp_path / "versions.duckdb"
    load_registry(
        path,
        [[epn, f"EPN {epn}", 21001, "Commune", "commune", day] for epn, day in EPNS.items()],
    )
    before_2024 = dt.date(2023, 6, 1)
    with connect(path) as con:
        with transaction(con):
            con.executemany(
                "INSERT INTO cur_weekly VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                weekly_rows(7, missing=0.05, closed=0.1),
            )
            version = charter_versions.propose(
                con,
                dt.date(2024, 1, 1),
                "Charte 2024",
                "test",
                before_2024,
                min_public_hours=20.0,
                hours_tolerance_weeks=1,
            )
            charter_versions.adopt(con, version, "test", before_2024)
        as_of = dt.date(2025, 4, 2)
        together = evaluate_years(con, [2023, 2024], as_of)
        assert together == {year: previous_engine(con, year, as_of) for year in (2023, 2024)}
        assert {f.charter_version for f in together[2024]} == {version}
        assert version not in {f.charter_version for f in together[2023]} and together[2023]
        raised = [f for f in together[2024] if f.code == "opening_hours_min"]
        assert raised and all(f.evidence["minimum_hours"] == 20.0 for f in raised)
        some = ["EPN-0002", "EPN-0004"]  # as a refresh after an upload asks: some EPNs only
        assert evaluate_years(con, [2023, 2024], as_of, some) == {
            year: [f for f in found if f.epn_id in some] for year, found in together.items()
        }
