"""The coordinator's and the COPIL's dashboard queries, on a small real warehouse.

Five EPNs through the registry (import, application, recommendation, withdrawal), weekly
statistics and annual reports through ``ingest_uploads``: every figure below can be
worked out by hand from ``build_coordinator_warehouse``.
"""

from __future__ import annotations

import datetime as dt
import statistics
from pathlib import Path

import pandas as pd
import pytest
from test_app_fixtures import copy_warehouse
from test_report_ingest import clean_report, xlsx

from dashboards import charts_coordinator as charts
from dashboards.queries import coordinator as queries
from dashboards.queries.coordinator_common import PERIODS, period_params, read
from dashboards.queries.coordinator_compliance import breach_matrix, finding_details
from dashboards.queries.coordinator_followup import followup_history, outlier_series
from dashboards.queries.coordinator_outliers import outliers, review_window
from dashboards.queries.coordinator_reporting import reporting_by_commune, reporting_by_epn
from dashboards.queries.copil_dashboard import (
    breaches_by_rule,
    compliance_by_year,
    network_by_year,
    pending_decisions,
    withdrawal_candidates,
)
from epn.errors import EpnError
from epn.principal import COORDINATOR, COPIL, EPN_USER, REGION, Principal
from registry import service
from registry import withdrawal as registry_withdrawal
from registry.importer import import_registry
from services import followup
from services.access import AccessDenied
from services.uploads import Upload, ingest_uploads
from tests.conftest import use_warehouse
from validation.charter.engine import evaluate
from validation.charter.periods import labelled_periods
from warehouse.db import connect, transaction
from warehouse.finding_mart import refresh_all

COORD = Principal("coord", COORDINATOR)
COMMITTEE = Principal("copil", COPIL)
OTHERS = (Principal("anderlecht", EPN_USER, "EPN-0001"), Principal("analyst", REGION), None)
REGISTRY_CSV = """epn_id,name,commune_nis,authority_name,authority_type,labelled_on
EPN-0001,EPN Anderlecht,21001,Commune d'Anderlecht,commune,2022-01-03
EPN-0002,EPN Ixelles,21009,CPAS d'Ixelles,cpas,2023-01-02
EPN-0003,EPN Schaerbeek,21015,ASBL Lien,non_market,2024-03-01
EPN-0005,EPN Jette,21010,Commune de Jette,commune,2022-01-03
"""
HEADER = "epn_id,week_start,status,closure_reason,public_hours,facilitated_hours,visits,"
HEADER += "unique_users,new_users"
OUTLIER_WEEK = dt.date(2024, 12, 16)  # EPN-0001: 400 visits instead of about 100
SHORT_WEEK = dt.date(2024, 12, 9)  # EPN-0002: 12 public hours instead of 20
EIGHTEEN = (dt.date(2024, 5, 6), dt.date(2024, 6, 3))  # EPN-0002: 18 hours, now and then
GAP = {dt.date(2024, 3, 4) + dt.timedelta(weeks=n) for n in range(4)}  # EPN-0002: not sent


def weeks(year: int, start: dt.date | None = None, end: dt.date | None = None) -> list:
    first = dt.date.fromisocalendar(year, 1, 1)
    count = (dt.date.fromisocalendar(year + 1, 1, 1) - first).days // 7
    days = (first + dt.timedelta(weeks=n) for n in range(count))
    return [d for d in days if (start is None or d >= start) and (end is None or d <= end)]


def week_values(epn_id: str, week: dt.date) -> tuple[float, int]:
    """(public hours, visits) of a week, as the files below send them."""
    if epn_id == "EPN-0001":
        return 20, 400 if week == OUTLIER_WEEK else 95 + (week.toordinal() // 7 * 7) % 11
    if epn_id == "EPN-0002":
        return (12 if week == SHORT_WEEK else 18 if week in EIGHTEEN else 20), 40
    return 20, 10


def lines(epn_id: str, days: list[dt.date]) -> list[str]:
    rows = []
    for week in days:
        hours, visits = week_values(epn_id, week)
        rows.append(f"{epn_id},{week},open,,{hours},{hours},{visits},{visits // 2},1")
    return rows


def statistics_files() -> dict[str, bytes]:
    files = {
        "2023.csv": [*lines("EPN-0001", weeks(2023)), *lines("EPN-0002", weeks(2023))]
        + lines("EPN-0005", weeks(2023)),
        "2024.csv": lines("EPN-0001", weeks(2024))
        + lines("EPN-0002", [w for w in weeks(2024) if w not in GAP])
        + lines("EPN-0003", weeks(2024, start=dt.date(2024, 2, 26)))
        + lines("EPN-0005", weeks(2024, end=dt.date(2024, 6, 24))),
    }
    return {name: ("\n".join([HEADER, *rows]) + "\n").encode() for name, rows in files.items()}


def report(epn_id: str, year: int, days: list[dt.date]) -> bytes:
    """A clean annual report whose weekly sheet repeats the statistics already sent."""
    sheets = clean_report()
    sheets["epn"][1:3] = [["epn_id", epn_id], ["year", year]]
    partner = "EPN-0002" if epn_id != "EPN-0002" else "EPN-0001"
    sheets["cooperation"][1][1] = partner
    sheets["cooperation"][1][3] = dt.datetime(year, 5, 14)
    weekly = []
    for week in days:
        hours, visits = week_values(epn_id, week)
        weekly.append([dt.datetime.combine(week, dt.time()), "open", None, hours, hours,
                       visits, visits // 2, 1])  # fmt: skip
    sheets["weekly"] = [sheets["weekly"][0], *weekly]
    return xlsx(sheets)


def build_coordinator_warehouse(path: Path) -> Path:
    with connect(path) as con, transaction(con):
        assert import_registry(con, REGISTRY_CSV.encode())["rejected"] == []
        identity = {"epn_id": "EPN-0004", "name": "EPN Uccle", "commune_nis": 21016,
                    "authority_name": "ASBL Uccle", "authority_type": "non_market"}  # fmt: skip
        service.apply(con, identity, dt.date(2024, 4, 2))
        service.recommend(con, "EPN-0004", True, dt.date(2024, 5, 1))
        service.withdraw(con, "EPN-0005", dt.date(2024, 7, 1), "authority_request")
    uploads = [Upload(n, d, dt.date(2025, 1, 10)) for n, d in statistics_files().items()]
    uploads += [
        Upload("r1.xlsx", report("EPN-0001", 2024, weeks(2024)), dt.date(2025, 2, 14)),
        Upload(
            "r2.xlsx",
            report("EPN-0002", 2024, sorted(set(weeks(2024)) - GAP)),
            dt.date(2025, 4, 15),
        ),  # fmt: skip
        Upload("r5.xlsx", report("EPN-0005", 2023, weeks(2023)), dt.date(2024, 2, 1)),
    ]
    results = ingest_uploads(uploads, db=path)
    assert [r["status"] for r in results] == ["accepted"] * 5, results
    with connect(path) as con, transaction(con):
        refresh_all(con)
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return build_coordinator_warehouse(tmp_path_factory.mktemp("coord") / "epn.duckdb")


@pytest.fixture
def warehouse(built, monkeypatch) -> Path:
    yield from use_warehouse(built, monkeypatch)


@pytest.fixture
def private(built, tmp_path, monkeypatch) -> Path:
    """A copy for the tests that write (follow-up flags)."""
    yield from use_warehouse(copy_warehouse(built, tmp_path / "epn.duckdb"), monkeypatch)


def records(frame: pd.DataFrame, columns: list[str]) -> list[tuple]:
    return [tuple(row) for row in frame[columns].itertuples(index=False)]


# --- reporting ------------------------------------------------------------------------------


def test_reporting_per_commune_counts_reports_and_weeks(warehouse):
    frame = reporting_by_commune(COORD, 2024)
    columns = ["commune", "expected_reports", "received_reports", "on_time", "late", "missing",
               "awaited", "expected_weeks", "received_weeks"]  # fmt: skip
    assert records(frame, columns) == [
        ("Anderlecht", 1, 1, 1, 0, 0, 0, 52, 52),
        ("Ixelles", 1, 1, 0, 1, 0, 0, 52, 48),
        ("Jette", 1, 0, 0, 0, 1, 0, 26, 26),  # withdrawn on 1 July: 26 weeks expected
        ("Schaerbeek", 1, 0, 0, 0, 1, 0, 44, 44),  # labelled on 1 March: 44 weeks
    ]
    assert frame["week_rate"].tolist() == [1.0, 48 / 52, 1.0, 1.0]
    assert frame["on_time_rate"].tolist() == [1.0, 0.0, 0.0, 0.0]


def test_reporting_filters_by_commune_and_authority(warehouse):
    by_commune = reporting_by_commune(COORD, 2024, communes=[21001, 21009])
    assert by_commune["commune"].tolist() == ["Anderlecht", "Ixelles"]
    by_authority = reporting_by_epn(COORD, 2024, authority_types=["non_market"])
    assert by_authority["epn_id"].tolist() == ["EPN-0003"]


def test_reporting_per_epn_puts_the_furthest_behind_first_and_pages(warehouse):
    frame = reporting_by_epn(COORD, 2024, lang="nl")
    assert records(frame, ["epn_id", "report_status", "received_weeks", "expected_weeks"]) == [
        ("EPN-0003", "missing", 44, 44),
        ("EPN-0005", "missing", 26, 26),
        ("EPN-0002", "late", 48, 52),
        ("EPN-0001", "on_time", 52, 52),
    ]
    assert frame["first_received_on"].dt.date.tolist()[2:] == [
        dt.date(2025, 4, 15),
        dt.date(2025, 2, 14),
    ]
    assert frame["total"].unique().tolist() == [4]
    second = reporting_by_epn(COORD, 2024, page=1, page_size=3)
    assert second["epn_id"].tolist() == ["EPN-0001"] and second["total"].iloc[0] == 4
    behind = reporting_by_epn(COORD, 2024, incomplete_only=True)
    assert behind["epn_id"].tolist() == ["EPN-0003", "EPN-0005", "EPN-0002"]


def test_before_the_deadline_a_report_is_awaited(warehouse):
    frame = reporting_by_epn(COORD, 2024, as_of=dt.date(2025, 3, 1))
    assert dict(zip(frame["epn_id"], frame["report_status"], strict=True)) == {
        "EPN-0003": "awaited",
        "EPN-0005": "awaited",
        "EPN-0001": "on_time",
        "EPN-0002": "awaited",  # its report only arrives on 15 April
    }


def test_the_periods_of_several_years_are_the_charter_s(warehouse):
    today = dt.date.today()
    sql = "WITH " + PERIODS.format(where="TRUE") + " SELECT * FROM periods"
    frame = read(sql, period_params([2022, 2023, 2024], today))
    with connect(warehouse) as con:
        for year in (2022, 2023, 2024):
            expected = labelled_periods(con, year, today)
            mine = frame[frame["year"] == year].sort_values("epn_id")
            assert records(mine, ["epn_id", "first_week", "last_week"]) == records(
                expected, ["epn_id", "first_week", "last_week"]
            )


# --- non-compliance -------------------------------------------------------------------------


def engine_breach_years(path: Path, years: range) -> dict[tuple[str, str], int]:
    found: dict[tuple[str, str], set] = {}
    with connect(path) as con:
        for year in years:
            for f in evaluate(con, year):
                if f.severity == "breach":
                    found.setdefault((f.epn_id, f.code), set()).add(year)
    return {key: len(value) for key, value in found.items()}


def test_breach_matrix_counts_the_years_each_rule_fired(warehouse):
    matrix = breach_matrix(COORD, 2024, first_year=2022)
    cells = {(r.epn_id, r.code): r.years for r in matrix.itertuples()}
    assert cells == engine_breach_years(warehouse, range(2022, 2025))
    assert cells[("EPN-0001", "report_missing")] == 2  # 2022 and 2023; 2024 arrived
    assert cells[("EPN-0002", "opening_hours_min")] == 1
    assert matrix["epns"].unique().tolist() == [4]
    # most years in default first (then most rules): 4 years over 4 rules, 4 over 3, 3, 1
    assert list(dict.fromkeys(matrix["epn_id"])) == ["EPN-0002", "EPN-0001", "EPN-0005",
                                                     "EPN-0003"]  # fmt: skip
    assert matrix.groupby("epn_id")["total_years"].first().to_dict() == {
        "EPN-0001": 4, "EPN-0002": 4, "EPN-0003": 1, "EPN-0005": 3}  # fmt: skip


def test_breach_matrix_top_and_filters(warehouse):
    top = breach_matrix(COORD, 2024, first_year=2022, top=1)
    assert set(top["epn_id"]) == {"EPN-0002"} and top["epns"].iloc[0] == 4
    one_year = breach_matrix(COORD, 2024, first_year=2024, communes=[21009])
    assert set(one_year["code"]) == {"opening_hours_min", "facilitator_presence",
                                     "statistics_incomplete"}  # fmt: skip
    with_warnings = breach_matrix(COORD, 2024, first_year=2024, breaches_only=False)
    pairs = set(zip(with_warnings["epn_id"], with_warnings["code"], strict=True))
    assert ("EPN-0002", "report_late") in pairs


def test_drill_down_shows_the_weeks_and_values(warehouse):
    details = finding_details(COORD, 2024, epn_id="EPN-0002", code="opening_hours_min")
    assert details[["year", "severity"]].values.tolist() == [[2024, "breach"]]
    evidence = details["evidence"].iloc[0]
    assert evidence["weeks"] == [{"week_start": "2024-12-09", "public_hours": 12.0}]
    assert "09/12/2024" in details["message"].iloc[0]  # as the reader writes dates
    default = finding_details(COORD, 2024, first_year=2022)  # the matrix's first EPN
    assert set(default["epn_id"]) == {"EPN-0002"} and len(default) == 4
    assert default["year"].tolist() == sorted(default["year"], reverse=True)


# --- outliers -------------------------------------------------------------------------------


def expected_z(epn_id: str, week: dt.date, measure: str) -> float:
    """The modified z-score worked out by hand, from the 52 weeks before the review."""
    base = [w for y in (2023, 2024) for w in weeks(y)]
    base = [w for w in base if dt.date(2023, 10, 2) <= w <= dt.date(2024, 9, 23)]
    index = 0 if measure == "public_hours" else 1
    if epn_id == "EPN-0002":
        base = [w for w in base if w not in GAP]
    values = [week_values(epn_id, w)[index] for w in base]
    x, median = week_values(epn_id, week)[index], statistics.median(values)
    mad = statistics.median(abs(v - median) for v in values)
    if mad:
        return 0.6745 * (x - median) / mad
    return 0.7979 * (x - median) / statistics.fmean(abs(v - median) for v in values)


def test_outliers_flag_the_planted_weeks_only(warehouse):
    window = review_window(COORD, 2024)
    assert records(window, ["review_start", "review_end"]) == [
        (pd.Timestamp(2024, 9, 30), pd.Timestamp(2024, 12, 23))
    ]
    frame = outliers(COORD, 2024)
    assert records(frame, ["epn_id", "week_start", "measure", "value"]) == [
        ("EPN-0002", pd.Timestamp(SHORT_WEEK), "public_hours", 12.0),
        ("EPN-0001", pd.Timestamp(OUTLIER_WEEK), "visits", 400.0),
    ]
    # EPN-0002's hours hardly vary (MAD = 0): the mean absolute deviation stands in
    assert frame["z"].iloc[0] == pytest.approx(expected_z("EPN-0002", SHORT_WEEK, "public_hours"))
    assert frame["z"].iloc[1] == pytest.approx(expected_z("EPN-0001", OUTLIER_WEEK, "visits"))
    assert frame["z"].iloc[0] < -3.5 < 3.5 < frame["z"].iloc[1]
    assert frame[["total", "epns_total", "flagged_total"]].iloc[0].tolist() == [2, 2, 0]


def test_outlier_options_narrow_the_list(warehouse):
    assert outliers(COORD, 2024, measures=("visits",))["epn_id"].tolist() == ["EPN-0001"]
    assert outliers(COORD, 2024, communes=[21009])["epn_id"].tolist() == ["EPN-0002"]
    assert outliers(COORD, 2024, weeks=1).empty  # 23 December is an ordinary week
    assert outliers(COORD, 2024, flagged_only=True).empty
    assert outliers(COORD, 2021).empty and review_window(COORD, 2021).empty


def test_a_correction_of_the_history_moves_the_baseline(private):
    """The baselines are kept per window (warehouse.outlier_baseline): an upload that changes
    a week of the history must not leave the old one in use."""
    assert outliers(COORD, 2024, measures=("visits",))["epn_id"].tolist() == ["EPN-0001"]
    # EPN-0001 had 400 visits every week of the history: 400 is no longer unusual
    history = [w for w in weeks(2023) + weeks(2024) if dt.date(2023, 10, 2) <= w]
    history = [w for w in history if w <= dt.date(2024, 9, 23)]
    rows = [f"EPN-0001,{w},open,,20,20,400,100,10" for w in history]
    upload = Upload("history.csv", "\n".join([HEADER, *rows]).encode(), dt.date(2025, 1, 15))
    assert ingest_uploads([upload], db=private)[0]["status"] == "accepted"
    assert outliers(COORD, 2024, measures=("visits",)).empty


def test_the_outlier_in_its_context(warehouse):
    series = outlier_series(COORD, 2024, epn_id="EPN-0001", week_start=OUTLIER_WEEK)
    # 52 weeks of history and the 13 of the review before the week, 13 after (up to 2024's end)
    assert series["week_start"].min() == pd.Timestamp(2023, 9, 18)
    assert series["week_start"].max() == pd.Timestamp(2024, 12, 23) and len(series) == 67
    assert series.loc[series["week_start"] == pd.Timestamp(OUTLIER_WEEK), "value"].item() == 400
    hours = outlier_series(
        COORD, 2024, epn_id="EPN-0002", week_start=SHORT_WEEK, measure="public_hours"
    )
    assert hours["value"].min() == 12 and len(hours) == 68 - len(GAP)  # 11/09/2023 on
    assert outlier_series(COORD, 2024).equals(series)  # by default: the year's most visits
    assert outlier_series(COORD, 2021).empty


# --- follow-up ------------------------------------------------------------------------------


def audit_actions(path: Path) -> list[tuple]:
    with connect(path) as con:
        return con.execute(
            "SELECT action, target, outcome FROM audit_log"
            " WHERE action LIKE 'followup_%' ORDER BY audit_id"
        ).fetchall()


def test_follow_up_set_and_clear_keep_their_history(private):
    followup.set_flag(COORD, "EPN-0001", OUTLIER_WEEK, "visits", "  Appel à l'EPN  ")
    flagged = outliers(COORD, 2024).iloc[1]
    assert (flagged["flagged"], flagged["flagged_by"], flagged["note"]) == (
        True,
        "coord",
        "Appel à l'EPN",
    )
    assert outliers(COORD, 2024, flagged_only=True)["epn_id"].tolist() == ["EPN-0001"]
    followup.clear_flag(COORD, "EPN-0001", OUTLIER_WEEK, "visits", "Erreur de saisie corrigée")
    assert not outliers(COORD, 2024)["flagged"].any()
    history = followup_history(
        COORD, 2024, epn_id="EPN-0001", week_start=OUTLIER_WEEK, measure="visits"
    )
    assert records(history, ["action", "note", "recorded_by"]) == [
        ("clear", "Erreur de saisie corrigée", "coord"),
        ("set", "Appel à l'EPN", "coord"),
    ]
    assert followup_history(COORD, 2024)["flag_id"].tolist() == history["flag_id"].tolist()
    assert followup_history(COORD, 2023).empty
    assert audit_actions(private) == [
        ("followup_set", "EPN-0001", "ok"),
        ("followup_clear", "EPN-0001", "ok"),
    ]
    with connect(private) as con:
        current = con.execute("SELECT * FROM followup_current").df().iloc[0]
    assert not current["flagged"] and current["cleared_by"] == "coord"
    assert current["flagged_by"] == "coord" and current["note"] == "Appel à l'EPN"


def test_follow_up_refusals_write_nothing_but_the_audit(private):
    with pytest.raises(EpnError) as refused:
        followup.clear_flag(COORD, "EPN-0001", OUTLIER_WEEK, "visits")
    assert refused.value.code == "app.coordinator.followup.not_flagged"
    with pytest.raises(EpnError) as unknown:
        followup.set_flag(COORD, "EPN-0001", dt.date(2021, 1, 4), "visits")
    assert unknown.value.code == "app.coordinator.followup.unknown_week"
    with pytest.raises(EpnError):
        followup.set_flag(COORD, "EPN-0001", OUTLIER_WEEK, "visits", "x" * 501)
    with pytest.raises(AccessDenied):
        followup.set_flag(COMMITTEE, "EPN-0001", OUTLIER_WEEK, "visits")
    assert followup_history(COORD, 2024).empty
    assert [outcome for *_, outcome in audit_actions(private)] == ["refused"] * 3
    with connect(private) as con:
        denied = con.execute(
            "SELECT username FROM audit_log WHERE action = 'access_denied'"
        ).fetchall()
    assert ("copil",) in denied


# --- the COPIL's dashboard ------------------------------------------------------------------


def test_network_over_the_years(warehouse):
    frame = network_by_year(COMMITTEE, 2024)
    columns = ["year", "labelled", "applications", "labels", "rejections", "withdrawals"]
    assert records(frame, columns) == [
        (2022, 2, 0, 2, 0, 0),
        (2023, 3, 0, 1, 0, 0),
        (2024, 3, 1, 1, 0, 1),  # EPN-0005 withdrawn, EPN-0004 applied
    ]


def test_compliance_and_breaches_over_the_years(warehouse):
    share = compliance_by_year(COMMITTEE, 2024)
    assert records(share, ["year", "labelled", "compliant"]) == [
        (2022, 2, 0),
        (2023, 3, 1),
        (2024, 4, 1),
    ]
    assert share["share"].tolist() == [0.0, 1 / 3, 0.25]
    rules = breaches_by_rule(COMMITTEE, 2024)
    found = {(r.year, r.code): r.epns for r in rules.itertuples()}
    assert found[(2024, "report_missing")] == 2
    assert found[(2023, "repeated_breach")] == 1
    assert {code for year, code in found if year == 2024} == {
        "opening_hours_min",
        "facilitator_presence",
        "statistics_incomplete",
        "report_missing",
    }


def test_decisions_waiting_match_the_registry(warehouse):
    assert pending_decisions(COMMITTEE, 2023).iloc[0].tolist() == [1, 1]
    assert pending_decisions(COMMITTEE, 2024).iloc[0].tolist() == [1, 0]
    candidates = withdrawal_candidates(COMMITTEE, 2023, lang="nl")
    with connect(warehouse) as con:
        expected = registry_withdrawal.withdrawal_candidates(con, 2023)
    assert [(c["epn_id"], c["repeated_codes"]) for c in expected] == [
        (r.epn_id, list(r.repeated_codes)) for r in candidates.itertuples()
    ]
    assert records(candidates, ["epn_id", "commune"]) == [("EPN-0001", "Anderlecht")]


# --- who may ask, and the benchmark's list --------------------------------------------------


@pytest.mark.parametrize("principal", [COMMITTEE, *OTHERS], ids=str)
def test_coordinator_queries_are_the_coordinator_s(warehouse, principal):
    for query in (reporting_by_commune, breach_matrix, outliers, followup_history):
        with pytest.raises(AccessDenied):
            query(principal, 2024)


@pytest.mark.parametrize("principal", OTHERS, ids=str)
def test_copil_queries_are_the_committee_s_and_the_coordinator_s(warehouse, principal):
    for query in queries.PAGE_QUERIES["copil_dashboard"]:
        assert isinstance(query(COORD, 2024), pd.DataFrame)
        with pytest.raises(AccessDenied):
            query(principal, 2024)


def test_every_page_query_runs_with_a_principal_and_a_year(warehouse):
    assert set(queries.PAGE_QUERIES) == {"coordinator", "copil_dashboard"}
    for page, page_queries in queries.PAGE_QUERIES.items():
        principal = COORD if page == "coordinator" else COMMITTEE
        for query in page_queries:
            assert isinstance(query(principal, 2024), pd.DataFrame), query.__name__
    assert queries.dashboard_years(COORD)["year"].tolist()[-3:] == [2024, 2023, 2022]
    communes = queries.commune_options(COORD, 2024, lang="nl")
    assert len(communes) == 19 and communes["commune"].iloc[0] == "Anderlecht"
    assert "Sint-Gillis" in communes["commune"].tolist()


def test_the_charts_show_what_the_queries_return(warehouse):
    matrix = breach_matrix(COORD, 2024, first_year=2022)
    heat = charts.breach_matrix_chart(matrix, "fr", 3).data[0]
    assert heat.y[0] == "EPN-0002 · EPN Ixelles" and heat.zmax == 3
    assert list(heat.x[:2]) == ["Heures d'ouverture minimales", "Présence d'un animateur"]
    assert int(sum(map(sum, heat.z))) == int(matrix["years"].sum())
    bars = charts.reports_by_commune_chart(reporting_by_commune(COORD, 2024), "nl").data
    assert [bar.name for bar in bars] == ["tijdig", "laattijdig", "ontbreekt"]  # none awaited
    assert list(bars[2].x) == [0, 0, 1, 1]
    network = charts.network_flows_chart(network_by_year(COMMITTEE, 2024), "en").data
    assert [bar.name for bar in network][-1] == "Withdrawals" and list(network[-1].y) == [0, 0, 1]
