"""``epn demo``: a realistic warehouse built through the real registry and ingest path."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from demo.generate import DemoRefused, run_demo
from epn.cli import main
from warehouse.db import connect

AS_OF = dt.date(2026, 11, 1)  # after the 2025 reports' deadline, so every rule can speak
WEEK_RULES = ("opening_hours_min", "facilitator_presence", "statistics_incomplete")
REPORT_RULES = (
    "report_missing",
    "report_late",
    "qualified_facilitator",
    "priority_public",
    "cooperation",
    "signage",
    "fees_charged",
    "repeated_breach",
)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The demo, run once into a real DuckDB file for the whole module (it takes a while)."""
    root = tmp_path_factory.mktemp("demo")
    result = run_demo(root / "epn.duckdb", root / "files", as_of=AS_OF)
    return result


def test_registry_spreads_over_the_region_with_every_status(built):
    assert 30 <= built.epns <= 40
    assert built.communes >= 18
    assert set(built.statuses) == {
        "applied",
        "recommended",
        "ratified",
        "rejected",
        "labelled",
        "withdrawn",
    }
    assert built.statuses["labelled"] >= 25
    with connect(built.db) as con:
        types = {
            r[0]
            for r in con.execute("SELECT DISTINCT authority_type FROM registry_current").fetchall()
        }
        events = {r[0] for r in con.execute("SELECT DISTINCT event FROM registry_event").fetchall()}
        reasons = {
            r[0]
            for r in con.execute(
                "SELECT data ->> 'reason' FROM registry_event WHERE event = 'withdrawn'"
            ).fetchall()
        }
        postcodes_ok = con.execute(
            "SELECT bool_and(list_contains(c.postcodes, CAST(r.postcode AS VARCHAR)))"
            " FROM registry_current r JOIN commune c USING (commune_nis)"
        ).fetchone()[0]
    assert types == {
        "commune",
        "cpas",
        "local_body",
        "non_market",
        "regional_administration",
        "community_administration",
    }
    assert {
        "imported",
        "applied",
        "recommended",
        "visited",
        "ratified",
        "rejected",
        "signed",
        "withdrawn",
    } <= events
    assert reasons == {"authority_request", "repeated_breach"}
    assert postcodes_ok


def test_three_years_of_weeks_with_seasonal_closures(built):
    assert built.weeks == ("2023-01-02", "2025-12-22")
    with connect(built.db) as con:
        per_year = dict(
            con.execute(
                "SELECT isoyear(week_start), count(DISTINCT week_start) FROM cur_weekly GROUP BY 1"
            ).fetchall()
        )
        closed_months = {
            r[0]
            for r in con.execute(
                "SELECT DISTINCT month(week_start) FROM cur_weekly WHERE status = 'closed'"
            ).fetchall()
        }
        bad = con.execute(
            "SELECT count(*) FROM cur_weekly WHERE facilitated_hours > public_hours"
            " OR unique_users > visits OR new_users > unique_users"
            " OR (status = 'open' AND (visits < 20 OR visits > 260))"
            " OR (status = 'closed' AND closure_reason IS NULL)"
        ).fetchone()[0]
    assert per_year == {2023: 52, 2024: 52, 2025: 52}
    assert {7, 8, 12} <= closed_months
    assert bad == 0
    assert 3000 < built.weekly_rows < 6000


def test_uploads_went_through_the_pipeline_with_their_history(built):
    assert built.uploads["accepted"] > 100
    assert built.uploads["rejected"] >= 1
    assert built.uploads["duplicate"] == 1
    files = list(built.files_dir.rglob("*"))
    assert any(f.suffix == ".csv" for f in files) and any(f.suffix == ".xlsx" for f in files)
    assert (built.files_dir / "registre_epn.csv").is_file()
    with connect(built.db) as con:
        kinds = dict(
            con.execute(
                "SELECT kind, count(*) FROM upload WHERE status = 'accepted' GROUP BY kind"
            ).fetchall()
        )
        replaced = con.execute(
            "SELECT count(*) FROM (SELECT epn_id, week_start FROM hist_weekly"
            " GROUP BY ALL HAVING count(*) > 1)"
        ).fetchone()[0]
        semicolon = sum(
            f.read_bytes().lstrip(b"\xef\xbb\xbf").split(b"\n")[0].count(b";") > 3
            for f in files
            if f.suffix == ".csv"
        )
    assert kinds["annual_report"] >= 80 and kinds["statistics"] >= 30
    assert replaced >= 3  # the correction replaced weeks; history keeps both values
    assert semicolon >= 3


def test_findings_of_every_rule_and_mostly_compliant_epns(built):
    codes = {code for year in built.findings.values() for code in year}
    assert set(WEEK_RULES) <= codes
    assert set(REPORT_RULES) <= codes
    for year in (2023, 2024, 2025):
        assert built.evaluated[year] >= 25
        share = built.compliant[year] / built.evaluated[year]
        assert 0.7 <= share < 1.0, (year, share)


def test_the_same_seed_gives_the_same_files(built, tmp_path):
    """Deterministic: file contents depend on the seed only (the registry reruns cheaply)."""
    from demo.catalogue import SITES
    from demo.planned import stream
    from demo.registry_story import plan_registry, plan_withdrawals
    from demo.statistics_files import statistics_files
    from demo.weeks import simulate

    def files(seed):
        entries = plan_registry(SITES, stream(seed, "registry"))
        plan_withdrawals(entries)
        weeks = {
            e.epn_id: simulate(
                e.epn_id,
                e.site.profile,
                dt.date(2024, 1, 1),
                dt.date(2024, 12, 23),
                stream(seed, e.site.key),
            )
            for e in entries
            if e.site.sends_statistics
        }
        return [(f.filename, f.data) for f in statistics_files(entries, weeks, stream(seed, "s"))]

    assert files(7) == files(7)
    assert files(7) != files(8)


def test_cli_refuses_a_warehouse_that_holds_data(built, capsys):
    code = main(["demo", "--db", str(built.db), "--json"])
    out, err = capsys.readouterr()
    assert code == 1
    assert out == "" and "--db" in err
    with pytest.raises(DemoRefused):
        run_demo(built.db)
    json.dumps(built.to_dict())  # the --json document is plain JSON
