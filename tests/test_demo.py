"""``epn demo``: a realistic warehouse built through the real registry and ingest path."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from cli import main
from demo import catalogue as c
from demo.generate import DemoRefused, run_demo
from demo.weeks import LOW_WEEKS_2026
from warehouse.db import connect

TODAY = dt.date.today()  # the demo runs up to the day it is run
LAST_WEEK = TODAY - dt.timedelta(days=TODAY.weekday() + 7)  # the week before this week
CURRENT_YEAR = LAST_WEEK.isocalendar()[0]
YEARS = tuple(range(2023, CURRENT_YEAR + 1))
# The EPNs planned to breach in the current year: one stopped sending in 2025 and never
# started again; one was short-staffed for two weeks of February 2026.
PLANNED_BREACHES = {c.STOPS_SENDING: {"statistics_incomplete", "repeated_breach"}}
if CURRENT_YEAR == 2026 and LOW_WEEKS_2026[0] <= LAST_WEEK:
    PLANNED_BREACHES[c.LOW_HOURS_2024] = {"opening_hours_min", "facilitator_presence"}
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
    result = run_demo(root / "epn.duckdb", root / "files", as_of=TODAY)
    return result


def epn_ids_by_profile(db) -> dict[str, str]:
    """profile -> epn_id, for the sites with a profile of their own (names are unique)."""
    names = {s.name: s.profile for s in c.SITES if s.profile != c.COMPLIANT}
    with connect(db) as con:
        rows = con.execute("SELECT epn_id, name FROM registry_current").fetchall()
    return {names[name]: epn_id for epn_id, name in rows if name in names}


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


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_the_summary_writes_dates_and_numbers_as_its_reader_does(built, lang):
    from cli.demo_cmd import summary_lines

    text = "\n".join(summary_lines(built, lang))
    assert re.search(r"\d{4}-\d{2}-\d{2}", text) is None  # no ISO date on a screen
    assert f"{dt.date(2023, 1, 2):%d/%m/%Y}" in text and f"{LAST_WEEK:%d/%m/%Y}" in text
    mark = "." if lang == "en" else ","
    assert f"{built.seconds:.1f} s".replace(".", mark) in text


def test_weeks_from_2023_to_last_week_with_seasonal_closures(built):
    assert built.weeks == ("2023-01-02", LAST_WEEK.isoformat())
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
    iso_weeks = {y: dt.date(y, 12, 28).isocalendar()[1] for y in YEARS}  # 52 or 53
    assert per_year == {**iso_weeks, CURRENT_YEAR: LAST_WEEK.isocalendar()[1]}
    assert {7, 8, 12} <= closed_months
    assert bad == 0
    weeks = (LAST_WEEK - dt.date(2023, 1, 2)).days // 7 + 1
    assert 20 < built.weekly_rows / weeks < 35  # about 28 EPNs sending each week


def test_the_current_year_arrives_month_by_month_up_to_yesterday(built):
    """Monthly files a few days after each month, the current month's weeks yesterday."""
    with connect(built.db) as con:
        latest = con.execute("SELECT max(received_on) FROM upload").fetchone()[0]
        last_event = con.execute("SELECT max(occurred_on) FROM registry_event").fetchone()[0]
        months = con.execute(
            "SELECT DISTINCT month(received_on) FROM upload"
            " WHERE kind = 'statistics' AND year(received_on) = ? AND status = 'accepted'",
            [TODAY.year],
        ).fetchall()
        last_week_from = con.execute(
            "SELECT min(u.received_on) FROM hist_weekly h JOIN upload u USING (upload_id)"
            " WHERE h.week_start = ?",
            [LAST_WEEK],
        ).fetchone()[0]
        report_years = {
            r[0] for r in con.execute("SELECT DISTINCT year FROM hist_report").fetchall()
        }
    assert latest < TODAY and last_event < TODAY  # nothing dated after the day it runs
    assert last_week_from == TODAY - dt.timedelta(days=1)
    assert len(months) >= TODAY.month - 1  # a file (at least) every month
    # a year's reports arrive the next spring: none yet for the current year
    assert set(range(2023, TODAY.year - 1)) <= report_years <= set(range(2023, TODAY.year))


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
    assert kinds["annual_report"] >= 80 and kinds["statistics"] >= 60
    assert replaced >= 3  # the correction replaced weeks; history keeps both values
    assert semicolon >= 3


def test_findings_of_every_rule_and_mostly_compliant_epns(built):
    assert set(built.findings) == set(YEARS)
    codes = {code for year in built.findings.values() for code in year}
    assert set(WEEK_RULES) <= codes
    assert set(REPORT_RULES) <= codes
    for year in YEARS:
        assert built.evaluated[year] >= 25
        share = built.compliant[year] / built.evaluated[year]
        assert 0.7 <= share < 1.0, (year, share)


def test_the_current_year_breaches_only_where_planned(built):
    """Up to date, except the EPN that stopped sending and a couple of short weeks."""
    from validation.charter.engine import evaluate

    planned = {
        epn_id: PLANNED_BREACHES[profile]
        for profile, epn_id in epn_ids_by_profile(built.db).items()
        if profile in PLANNED_BREACHES
    }
    with connect(built.db) as con:
        found = evaluate(con, CURRENT_YEAR, TODAY)
    breaches: dict[str, set[str]] = {}
    for f in found:
        if f.severity == "breach":
            breaches.setdefault(f.epn_id, set()).add(f.code)
    assert breaches == planned
    assert not {"report_missing", "report_late"} & {f.code for f in found}


def statistics_planned(seed: int, today: dt.date) -> dict[str, tuple[dt.date, bytes]]:
    """filename -> (received_on, bytes) of the statistics files, without a warehouse."""
    from demo.generate import plan_entries, plan_weeks
    from demo.planned import stream
    from demo.statistics_files import statistics_files

    entries = plan_entries(seed, today)
    weeks = plan_weeks(entries, seed, today)
    files = statistics_files(entries, weeks, stream(seed, "statistics"), today)
    return {f.filename: (f.received_on, f.data) for f in files}


def test_the_same_seed_and_day_give_the_same_files(built):
    """Deterministic for a seed and a day; another day only adds or completes recent files."""
    today = dt.date(2026, 11, 26)
    files = statistics_planned(7, today)
    assert files == statistics_planned(7, today)
    assert files != statistics_planned(8, today)
    earlier = statistics_planned(7, dt.date(2026, 9, 17))
    assert max(on for on, _ in earlier.values()) == dt.date(2026, 9, 16)
    changed = {name for name, file in earlier.items() if files.get(name) != file}
    assert changed == {n for n in earlier if "2026-09" in n or "2026_09" in n}
    assert all(name in files for name in earlier)


def test_the_registry_story_never_runs_ahead_of_the_day(built):
    """Run early in 2026, the open procedures move back: same steps, none after that day."""
    from demo.generate import plan_entries

    for today in (dt.date(2026, 1, 2), dt.date(2026, 6, 1), TODAY):
        entries = plan_entries(2025, today)
        steps = {e.site.key: [s.on for s in e.steps] for e in entries if e.steps}
        assert max(on for days in steps.values() for on in days) < today
        assert len(steps["saint-gilles-porte-de-hal"]) == 4  # applied ... ratified
        assert all(on.weekday() < 5 for days in steps.values() for on in days)
    with pytest.raises(ValueError):
        run_demo(built.db, as_of=dt.date(2025, 12, 31))


def test_cli_refuses_a_warehouse_that_holds_data(built, capsys):
    code = main(["demo", "--db", str(built.db), "--json"])
    out, err = capsys.readouterr()
    assert code == 1
    assert out == "" and "--db" in err
    with pytest.raises(DemoRefused):
        run_demo(built.db)
    json.dumps(built.to_dict())  # the --json document is plain JSON
