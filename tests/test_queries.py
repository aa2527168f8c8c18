"""The app's data access layer on a real warehouse: results, scoping by role, caching."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from test_app_fixtures import YEAR, build_warehouse, csv_bytes, statistics_files, weekly_lines

from dashboards import queries
from epn.errors import EpnError
from epn.principal import ADMIN, COORDINATOR, COPIL, EPN_USER, REGION, Principal
from epn.settings import get_settings
from services.access import AccessDenied, Scope, scope_for, upload_scope
from services.uploads import Upload, ingest_uploads
from tests.conftest import use_warehouse

COORD = Principal("coord", COORDINATOR)
COMMITTEE = Principal("copil", COPIL)
EPN_1 = Principal("anderlecht", EPN_USER, "EPN-0001")
EPN_2 = Principal("ixelles", EPN_USER, "EPN-0002")
ANALYST = Principal("analyst", REGION)
VISITS = {"EPN-0001": 52 * 100, "EPN-0002": 52 * 40, "EPN-0003": 44 * 10}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    return build_warehouse(tmp_path_factory.mktemp("wh") / "epn.duckdb")


@pytest.fixture(autouse=True)
def app_reads_the_warehouse(warehouse, monkeypatch):
    yield from use_warehouse(warehouse, monkeypatch)


# --- the scoping rule -------------------------------------------------------------------


@pytest.mark.parametrize("principal", [COORD, COMMITTEE])
def test_coordinator_and_copil_see_every_epn(principal):
    assert scope_for(principal, per_epn=True) == Scope(None)
    assert set(queries.findings(principal, YEAR, "fr")["epn_id"]) == {
        "EPN-0001",
        "EPN-0002",
        "EPN-0003",
    }
    assert len(queries.epn_list(principal, "fr")) == 4


def test_epn_user_gets_only_its_own_rows():
    assert set(queries.findings(EPN_1, YEAR, "fr")["epn_id"]) == {"EPN-0001"}
    assert queries.epn_list(EPN_1, "fr")["epn_id"].tolist() == ["EPN-0001"]
    visits = queries.visits_by_month(EPN_1, YEAR, "fr")
    assert set(visits["commune_nis"]) == {21001}
    assert visits["visits"].sum() == VISITS["EPN-0001"]
    assert queries.kpis(EPN_1, YEAR).iloc[0]["labelled_epns"] == 1
    assert queries.compliance_share(EPN_1)["labelled"].tolist() == [1]


def test_epn_user_sees_only_its_uploads_and_only_its_own_id_in_them():
    assert queries.upload_history(EPN_1)["filename"].tolist() == ["stats-0001.csv"]
    shared = queries.upload_history(EPN_2)
    assert shared["filename"].tolist() == ["stats-0002-0003.csv"]
    assert list(shared["epn_ids"].iloc[0]) == ["EPN-0002"]


def test_epn_user_asking_for_another_epn_gets_nothing_of_it():
    assert queries.findings(EPN_1, YEAR, "fr", epn_ids=["EPN-0002"]).empty
    sha = hashlib.sha256(statistics_files()["stats-0002-0003.csv"]).hexdigest()
    assert queries.upload_weeks(EPN_1, sha).iloc[0]["weeks"] == 0


def test_region_gets_aggregates_but_no_per_epn_rows():
    for per_epn_query in (
        lambda: queries.findings(ANALYST, YEAR, "fr"),
        lambda: queries.epn_list(ANALYST, "fr"),
        lambda: queries.upload_history(ANALYST),
        lambda: queries.upload_weeks(ANALYST, "0" * 64),
    ):
        with pytest.raises(AccessDenied):
            per_epn_query()
    visits = queries.visits_by_month(ANALYST, YEAR, "fr")
    assert "epn_id" not in visits.columns
    assert visits["visits"].sum() == sum(VISITS.values())
    assert queries.kpis(ANALYST, YEAR).iloc[0]["labelled_epns"] == 3
    assert not queries.compliance_share(ANALYST).empty


@pytest.mark.parametrize("principal", [Principal("nobody", EPN_USER), Principal("root", ADMIN)])
def test_roles_without_a_data_scope_are_denied(principal):
    with pytest.raises(AccessDenied):
        queries.visits_by_month(principal, YEAR, "fr")


def test_only_epns_and_the_coordinator_may_upload():
    assert upload_scope(COORD) == Scope(None)
    assert upload_scope(EPN_1) == Scope(("EPN-0001",))
    for principal in (COMMITTEE, ANALYST):
        with pytest.raises(AccessDenied):
            upload_scope(principal)


def test_access_denied_is_a_catalogue_error_in_three_languages():
    with pytest.raises(AccessDenied) as caught:
        scope_for(ANALYST, per_epn=True)
    assert isinstance(caught.value, EpnError)
    texts = {lang: caught.value.message(lang) for lang in ("fr", "nl", "en")}
    assert len(set(texts.values())) == 3
    assert all("region" in text and "{" not in text for text in texts.values())


def test_scope_where_binds_the_epn_ids_as_a_parameter():
    assert Scope(None).where() == ("TRUE", [])
    sql, params = Scope(("EPN-0001",)).where("w.epn_id")
    assert "w.epn_id" in sql and params == [["EPN-0001"]]


# --- results ----------------------------------------------------------------------------


def test_available_years_are_those_with_statistics():
    assert queries.available_years(COORD)["year"].tolist() == [YEAR]


def test_visits_by_month_counts_each_week_in_the_month_of_its_thursday():
    visits = queries.visits_by_month(COORD, YEAR, "nl")
    assert visits["visits"].sum() == sum(VISITS.values())
    assert visits["month"].min() == dt.datetime(2024, 1, 1)
    assert visits["month"].max() == dt.datetime(2024, 12, 1)
    assert "Elsene" in set(visits["commune"])  # Ixelles, in Dutch
    january = visits[
        (visits["month"] == dt.datetime(2024, 1, 1)) & (visits["commune_nis"] == 21001)
    ]
    assert january["visits"].item() == 4 * 100  # weeks of 1, 8, 15 and 22 January


def test_kpis_of_the_year():
    figures = queries.kpis(COORD, YEAR).iloc[0]
    assert figures["labelled_epns"] == 3
    assert figures["visits"] == sum(VISITS.values())
    assert figures["open_weeks"] == 52 + 52 + 44
    assert figures["findings"] == len(queries.findings(COORD, YEAR, "fr"))
    assert figures["breaches"] <= figures["findings"]


def test_compliance_share_counts_labelled_epns_without_any_breach():
    share = queries.compliance_share(COORD)
    assert share["year"].tolist() == [YEAR]
    row = share.iloc[0]
    breached = set(queries.findings(COORD, YEAR, "fr", severities=["breach"])["epn_id"])
    assert row["labelled"] == 3
    assert row["compliant"] == 3 - len(breached)
    assert row["share"] == pytest.approx(row["compliant"] / 3)


def test_findings_carry_message_rule_label_commune_and_evidence():
    found = queries.findings(COORD, YEAR, "en")
    short = found[found["code"] == "opening_hours_min"]
    assert short["epn_id"].tolist() == ["EPN-0002"]
    row = short.iloc[0]
    assert row["commune"] == "Ixelles" and row["rule"] == "Minimum opening hours"
    assert row["message"].startswith("3 open week(s) of 2024")
    assert [w["week_start"] for w in row["evidence"]["weeks"]] == [
        "2024-01-01",
        "2024-01-08",
        "2024-01-15",
    ]


def test_findings_filters():
    every = queries.findings(COORD, YEAR, "fr")
    by_code = queries.findings(COORD, YEAR, "fr", codes=["facilitator_presence"])
    assert set(by_code["code"]) == {"facilitator_presence"}
    by_commune = queries.findings(COORD, YEAR, "fr", communes=[21015])
    assert set(by_commune["epn_id"]) == {"EPN-0003"}
    by_epn = queries.findings(COORD, YEAR, "fr", epn_ids=["EPN-0001"])
    assert len(by_epn) == (every["epn_id"] == "EPN-0001").sum()
    assert queries.findings(COORD, YEAR, "fr", severities=["warning"]).empty


def test_upload_history_and_weeks_of_an_upload():
    history = queries.upload_history(COORD)
    assert history["filename"].tolist() == ["stats-0002-0003.csv", "stats-0001.csv"]
    assert history["errors"].tolist() == [0, 0]
    sha = hashlib.sha256(statistics_files()["stats-0001.csv"]).hexdigest()
    weeks = queries.upload_weeks(COORD, sha).iloc[0]
    assert weeks["weeks"] == 52
    assert weeks["first_week"] == dt.datetime(2024, 1, 1)
    assert weeks["last_week"] == dt.datetime(2024, 12, 23)


def test_findings_follow_a_new_upload(tmp_path, monkeypatch):
    """The cached evaluation is keyed by the warehouse file: new data shows at once."""
    path = build_warehouse(tmp_path / "epn.duckdb")
    monkeypatch.setenv("EPN_DB", str(path))
    get_settings.cache_clear()
    assert "opening_hours_min" in set(queries.findings(COORD, YEAR, "fr")["code"])
    fixed = csv_bytes(weekly_lines("EPN-0002", YEAR, visits=40))
    result = ingest_uploads([Upload("fixed.csv", fixed, dt.date(2025, 2, 1))], db=path)
    assert result[0]["status"] == "accepted"
    assert "opening_hours_min" not in set(queries.findings(COORD, YEAR, "fr")["code"])


def test_an_empty_warehouse_gives_empty_frames(tmp_path, monkeypatch):
    monkeypatch.setenv("EPN_DB", str(tmp_path / "empty.duckdb"))
    get_settings.cache_clear()
    assert queries.available_years(COORD).empty
    assert queries.epn_list(COORD, "fr").empty
    assert queries.findings(COORD, YEAR, "fr").empty
    assert queries.compliance_share(COORD).empty
    assert queries.upload_history(COORD).empty
    assert queries.kpis(COORD, YEAR).iloc[0].tolist() == [0, 0, 0, 0, 0]
