"""The statistics rules of the charter over the labelled period (standard §5)."""

from __future__ import annotations

import json

from epn.settings import get_settings
from tests.conftest import stats_file, week_rows


def with_weeks(rows: list[list], changes: dict[str, tuple]) -> list[list]:
    """Rows with some weeks' (status, reason, public, facilitated) replaced."""
    out = []
    for row in rows:
        if row[1] in changes:
            status, reason, public, facilitated = changes[row[1]]
            row = [row[0], row[1], status, reason, public, facilitated, *row[6:]]
        out.append(row)
    return out


def findings(cli, year=2024, *extra) -> list[dict]:
    code, out, err = cli("compliance", "--year", year, "--json", *extra)
    assert code == 0, err
    return json.loads(out)


def by_code(found, epn_id):
    return {f["code"]: f for f in found if f["epn_id"] == epn_id}


def load(cli, tmp_path, rows, name="s.csv"):
    code, out, err = cli("ingest", stats_file(tmp_path, name, rows))
    assert code == 0, err


def test_hour_rules_and_missing_weeks_fire_with_evidence(cli, registry, tmp_path):
    rows = with_weeks(
        week_rows("EPN-0001", 2024, skip=(30,)),
        {
            "2024-03-04": ("open", "", 12, 12),
            "2024-05-13": ("open", "", 20, 10),
            "2024-08-05": ("closed", "Congés d'été", 0, 0),
        },
    )
    load(cli, tmp_path, rows)
    found = by_code(findings(cli, 2024, "--as-of", "2025-01-15"), "EPN-0001")
    assert found["opening_hours_min"]["evidence"]["weeks"] == [
        {"week_start": "2024-03-04", "public_hours": 12}
    ]
    assert [w["week_start"] for w in found["facilitator_presence"]["evidence"]["weeks"]] == [
        "2024-03-04",
        "2024-05-13",
    ]
    assert found["statistics_incomplete"]["evidence"]["missing_weeks"] == ["2024-07-22"]
    assert all(f["severity"] == "breach" and f["message"] for f in found.values())
    assert "report_missing" not in found  # the deadline (31 March 2025) has not passed


def test_period_starts_at_the_label_week_and_unlabelled_epns_have_none(cli, registry, tmp_path):
    rows = [r for r in week_rows("EPN-0002", 2024) if r[1] >= "2024-07-01"]
    load(cli, tmp_path, rows + week_rows("EPN-0003", 2024, hours=2))
    found = findings(cli, 2024, "--as-of", "2025-01-15")
    assert by_code(found, "EPN-0002") == {}
    assert by_code(found, "EPN-0003") == {}


def test_as_of_cuts_the_period_before_its_week(cli, registry, tmp_path):
    load(cli, tmp_path, [r for r in week_rows("EPN-0001", 2024) if r[1] < "2024-06-03"])
    found = by_code(findings(cli, 2024, "--as-of", "2024-06-15"), "EPN-0001")
    assert found["statistics_incomplete"]["evidence"]["missing_weeks"] == ["2024-06-03"]


def test_withdrawal_stops_the_count(cli, registry, tmp_path):
    load(cli, tmp_path, [r for r in week_rows("EPN-0001", 2024) if r[1] < "2024-06-10"])
    assert (
        cli(
            "registry",
            "withdraw",
            "EPN-0001",
            "--on",
            "2024-06-12",
            "--reason",
            "authority_request",
        )[0]
        == 0
    )
    assert by_code(findings(cli, 2024, "--as-of", "2025-01-15"), "EPN-0001") == {}


def test_tolerance_is_charter_data_and_only_a_simulation_changes_it(
    cli, registry, tmp_path, monkeypatch
):
    rows = with_weeks(week_rows("EPN-0001", 2024), {"2024-03-04": ("open", "", 12, 12)})
    load(cli, tmp_path, rows)
    # an environment variable once overrode the tolerance of every stored verdict: no more
    monkeypatch.setenv("EPN_HOURS_TOLERANCE_WEEKS", "1")
    get_settings.cache_clear()
    assert "opening_hours_min" in by_code(findings(cli, 2024, "--as-of", "2025-01-15"), "EPN-0001")
    tolerated = findings(cli, 2024, "--as-of", "2025-01-15", "--tolerance-weeks", "1")
    assert by_code(tolerated, "EPN-0001") == {}
    stricter = findings(cli, 2024, "--as-of", "2025-01-15", "--min-public-hours", "25")
    assert len(by_code(stricter, "EPN-0001")["opening_hours_min"]["evidence"]["weeks"]) == 52


def test_repeated_breach_names_the_repeated_code(cli, registry, tmp_path):
    load(cli, tmp_path, week_rows("EPN-0001", 2023, skip=(5,)), "2023.csv")
    load(cli, tmp_path, week_rows("EPN-0001", 2024, skip=(7,)), "2024.csv")
    found = [f for f in findings(cli, 2024, "--as-of", "2025-01-15") if f["epn_id"] == "EPN-0001"]
    repeated = [f for f in found if f["code"] == "repeated_breach"]
    assert [r["evidence"]["repeated_code"] for r in repeated] == ["statistics_incomplete"]


def test_report_missing_after_the_deadline(cli, registry, tmp_path):
    load(cli, tmp_path, week_rows("EPN-0001", 2024))
    assert "report_missing" not in by_code(findings(cli, 2024, "--as-of", "2025-03-31"), "EPN-0001")
    late = by_code(findings(cli, 2024, "--as-of", "2025-04-01"), "EPN-0001")
    assert late["report_missing"]["evidence"]["deadline"] == "2025-03-31"
