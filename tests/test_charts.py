"""Figure builders: pure functions of the query frames, one palette, one layout."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest
from test_app_fixtures import YEAR, build_warehouse

from dashboards import charts, queries
from epn.principal import COORDINATOR, Principal
from epn.settings import get_settings

COORD = Principal("coord", COORDINATOR)


@pytest.fixture(scope="module")
def frames(tmp_path_factory):
    """The real frames the pages chart, read from a small warehouse."""
    path = build_warehouse(tmp_path_factory.mktemp("wh") / "epn.duckdb")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("EPN_DB", str(path))
        get_settings.cache_clear()
        yield {
            "visits": queries.visits_by_month(COORD, YEAR, "fr"),
            "share": queries.compliance_share(COORD),
            "findings": queries.findings(COORD, YEAR, "fr"),
        }
    get_settings.cache_clear()


def test_palette_is_one_set_of_distinct_colours_covering_the_communes():
    assert len(set(charts.PALETTE)) == len(charts.PALETTE) >= 19
    colours = {charts.commune_color(nis) for nis in range(21001, 21020)}
    assert len(colours) == 19 and colours <= set(charts.PALETTE)


def test_styled_applies_the_common_layout():
    fig = charts.styled(go.Figure(), "fr", y_title="Visites")
    assert list(fig.layout.colorway) == list(charts.PALETTE)
    assert fig.layout.yaxis.title.text == "Visites"
    assert fig.layout.legend.orientation == "h"
    assert fig.layout.separators == ",\u202f"


def test_percent_follows_the_readers_typography():
    assert charts.percent(0.273, "fr") == "27\u202f%"
    assert charts.percent(0.273, "nl") == "27%"


def test_visits_chart_stacks_one_area_per_commune_in_its_colour(frames):
    fig = charts.visits_by_month_chart(frames["visits"], "fr")
    assert [t.name for t in fig.data] == ["Anderlecht", "Ixelles", "Schaerbeek"]
    assert {t.stackgroup for t in fig.data} == {"visits"}
    assert fig.data[0].line.color == charts.commune_color(21001)
    assert sum(sum(t.y) for t in fig.data) == frames["visits"]["visits"].sum()
    assert fig.layout.yaxis.title.text == "Visites"
    assert fig.layout.xaxis.ticktext[:3] == ("janv.", "févr.", "mars")


def test_compliance_chart_shows_the_share_per_year_as_percent_bars(frames):
    fig = charts.compliance_share_chart(frames["share"], "en")
    (bars,) = fig.data
    assert list(bars.x) == [str(YEAR)]
    assert list(bars.y) == frames["share"]["share"].tolist()
    row = frames["share"].iloc[0]
    assert bars.text[0].endswith(f"({int(row['compliant'])}/{int(row['labelled'])})")
    assert fig.layout.yaxis.tickformat == ".0%"


def test_rule_counts_and_chart_by_severity(frames):
    counts = charts.rule_counts(frames["findings"])
    assert counts["count"].sum() == len(frames["findings"])
    assert counts["count"].is_monotonic_decreasing
    fig = charts.findings_by_rule_chart(frames["findings"], "fr")
    assert {t.name for t in fig.data} <= {"Manquement", "Avertissement"}
    assert sum(sum(t.x) for t in fig.data) == len(frames["findings"])
    assert fig.data[0].marker.color == charts.SEVERITY_COLORS["breach"]


def test_builders_accept_empty_frames():
    empty_visits = pd.DataFrame(columns=["month", "commune_nis", "commune", "visits"])
    empty_share = pd.DataFrame(columns=["year", "labelled", "compliant", "share"])
    empty_findings = pd.DataFrame(columns=["code", "rule", "severity"])
    assert charts.visits_by_month_chart(empty_visits, "fr").data == ()
    assert len(charts.compliance_share_chart(empty_share, "fr").data[0].x) == 0
    assert charts.findings_by_rule_chart(empty_findings, "fr").data == ()
