"""The Region's indicators, aggregated in DuckDB: values, mart vs engine, scoped queries."""

from __future__ import annotations

import datetime as dt

import pytest
from test_report_ingest import clean_report, xlsx

from dashboards.queries import region as queries
from epn.principal import COORDINATOR, COPIL, EPN_USER, REGION, Principal
from services.access import AccessDenied
from services.snapshots import freeze_year
from services.uploads import Upload, ingest_uploads
from tests.conftest import stats_file, week_rows
from warehouse.db import connect
from warehouse.finding_mart import refresh_all
from warehouse.indicators import (
    activities_by_domain,
    breaches_by_rule,
    engine_indicators,
    indicators,
    live_indicators,
)

ANALYST = Principal("analyst", REGION)
COORD = Principal("coord", COORDINATOR)


@pytest.fixture
def filled(cli, registry, tmp_path):
    """EPN-0001 (Anderlecht): weeks of 2023 and 2024 and a 2024 report with activities;
    EPN-0002 (Ixelles, labelled mid-2024): short weeks, so it breaches the charter."""
    rows = week_rows("EPN-0001", 2023, hours=18) + week_rows("EPN-0002", 2024, hours=10)
    assert cli("ingest", stats_file(tmp_path, "s.csv", rows))[0] == 0
    report = ingest_uploads([Upload("r.xlsx", xlsx(clean_report()), dt.date(2025, 2, 14))])[0]
    assert report["status"] == "accepted", report["errors"]
    return registry


def test_per_commune_figures_come_from_weeks_and_reports(filled):
    with connect(filled) as con:
        document = indicators(con, 2024)
    communes = {c["commune_nis"]: c for c in document["communes"]}
    anderlecht, ixelles = communes[21001], communes[21009]
    assert anderlecht["users_total"] == 120  # from the report
    assert anderlecht["priority_share"] == round(27 / 45, 4)  # activities 7/10 and 20/35
    assert anderlecht["weekly_public_hours"] == 20.0  # the report's weekly sheet
    assert ixelles["weekly_public_hours"] == 10.0 and ixelles["users_total"] == 0
    assert ixelles["share_without_breach"] == 0.0  # opening hours below the charter's minimum
    region = document["region"]
    assert region["labelled_epns"] == 2 and region["users_total"] == 120
    assert region["visits"] == anderlecht["visits"] + ixelles["visits"]
    assert len(region["communes_without_epn"]) == 17


@pytest.mark.parametrize("year", [2022, 2023, 2024, 2025])
def test_breaches_from_the_mart_match_the_charter_engine(filled, year):
    with connect(filled) as con:
        from_mart = indicators(con, year)
        assert from_mart == engine_indicators(con, year, dt.date.today())
        assert live_indicators(con, year) == from_mart  # the mart is fresh now


def test_the_cli_reads_a_stale_mart_only_after_refreshing_it(filled, cli):
    with connect(filled) as con:
        con.execute("DELETE FROM mart_finding")  # as if yesterday's refresh was lost
        con.execute("UPDATE mart_refresh SET refreshed_on = DATE '2000-01-01'")
    import json

    code, out, _ = cli("indicators", "--year", "2024", "--json")
    assert code == 0
    with connect(filled) as con:
        assert json.loads(out) == engine_indicators(con, 2024, dt.date.today())


def test_activities_by_domain_and_breaches_by_rule(filled):
    with connect(filled) as con:
        refresh_all(con)
        domains = {d["domain"]: d for d in activities_by_domain(con, 2024)}
        rules = breaches_by_rule(con, 2024)
    assert set(domains) == {"basic_skills", "e_administration"}
    assert domains["e_administration"]["participants"] == 35
    assert domains["e_administration"]["priority_participants"] == 20
    assert domains["basic_skills"] == {
        "domain": "basic_skills", "activities": 1, "epns": 1, "sessions": 6, "hours": 12.5,
        "participants": 10, "priority_participants": 7,
    }  # fmt: skip
    opening = next(r for r in rules if r["code"] == "opening_hours_min")
    assert opening["severity"] == "breach" and opening["epns"] == 1


def test_region_queries_refuse_an_epn_user(filled):
    with pytest.raises(AccessDenied):
        queries.figures(Principal("x", EPN_USER, "EPN-0001"), 2024, "fr")
    with pytest.raises(AccessDenied):
        queries.region_years(Principal("x", EPN_USER, "EPN-0001"))


@pytest.mark.parametrize("role", [REGION, COPIL])
def test_only_the_coordinator_publishes(filled, role):
    with pytest.raises(AccessDenied):
        freeze_year(Principal("someone", role), 2024)


def test_page_queries_return_aggregates_only(filled):
    for query in queries.PAGE_QUERIES["region"]:
        result = query(ANALYST, 2024, "fr")
        assert "epn_id" not in str(getattr(result, "columns", ""))
    shown = queries.figures(ANALYST, 2024, "fr")
    frame = queries.commune_frame(shown, "fr")
    assert len(frame) == 19 and "epn_id" not in frame.columns
    assert frame.set_index("commune_nis").at[21001, "commune"] == "Anderlecht"
    assert list(queries.domain_frame(shown)["domain"]) == ["e_administration", "basic_skills"]


def test_figures_shown_are_the_published_ones_once_frozen(filled, tmp_path, cli):
    assert not queries.figures(ANALYST, 2024, "fr").published
    frozen = freeze_year(COORD, 2024)
    shown = queries.figures(ANALYST, 2024, "nl")
    assert shown.published and shown.document == frozen.document
    assert queries.live_vs_published(ANALYST, 2024, "nl").empty
    late = week_rows("EPN-0002", 2024, hours=30)  # a late correction of Ixelles' weeks
    assert cli("ingest", stats_file(tmp_path, "late.csv", late))[0] == 0
    assert queries.figures(ANALYST, 2024, "nl").document == frozen.document
    changes = queries.live_vs_published(ANALYST, 2024, "nl")
    hours = changes[
        (changes["commune_nis"] == 21009) & (changes["measure"] == "weekly_public_hours")
    ]
    assert hours.iloc[0][["commune", "published", "live", "change"]].tolist() == [
        "Elsene",
        10.0,
        30.0,
        20.0,
    ]
    region_rows = changes[changes["commune_nis"].isna()]
    assert "weekly_public_hours" in set(region_rows["measure"])
    assert len(queries.snapshot_history(ANALYST, 2024, "fr")) == 1


def test_the_map_draws_every_commune_and_greys_those_without_an_epn(filled):
    from dashboards.charts_region import NO_EPN, commune_map, commune_ranking, domains_chart

    shown = queries.figures(ANALYST, 2024, "fr")
    frame = queries.commune_frame(shown, "fr")
    fig = commune_map(frame, "epns_per_100k", "fr")
    shapes = [trace for trace in fig.data if trace.fill == "toself"]
    assert len(shapes) >= 19 and fig.data[-1].marker.showscale  # the last one: the scale
    greys = {t.hovertemplate.split("</b>")[0] for t in shapes if t.fillcolor == NO_EPN}
    assert "<b>Jette" in greys and "<b>Anderlecht" not in greys
    ranking = commune_ranking(frame, "visits", "fr")
    assert list(ranking.data[0].y[:2]) == ["Ixelles", "Anderlecht"]  # most visits first
    bars = domains_chart(queries.domain_frame(shown), "nl")
    assert [trace.name for trace in bars.data] == ["Prioritair publiek", "Andere deelnemers"]
