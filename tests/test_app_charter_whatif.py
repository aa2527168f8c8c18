"""The COPIL's what-if page through AppTest on a real warehouse: changed thresholds move EPNs
in or out of breach for a closed year, beside the charter in force, and nothing is written."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest
from test_app_fixtures import build_warehouse, open_page_as, private_copy

from epn.principal import COPIL, Principal
from warehouse.db import connect

PAGE = "views/charter_whatif.py"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    return build_warehouse(tmp_path_factory.mktemp("whatif") / "epn.duckdb")


@pytest.fixture
def db(warehouse, tmp_path, monkeypatch):
    yield from private_copy(warehouse, tmp_path, monkeypatch)


def open_as(username: str, lang: str = "fr") -> AppTest:
    return open_page_as(PAGE, username, lang)


def frames(at: AppTest) -> str:
    return "\n".join(frame.value.to_string() for frame in at.dataframe)


def written(db) -> tuple:
    with connect(db) as con:
        return con.execute(
            "SELECT (SELECT count(*) FROM charter_version), (SELECT count(*) FROM audit_log),"
            " (SELECT count(*) FROM upload)"
        ).fetchone()


def metric(at: AppTest, label: str) -> int:
    return int(next(m for m in at.metric if m.label == label).value)


def test_thresholds_move_epns_out_of_and_into_breach_and_nothing_is_written(db):
    before = written(db)
    at = open_as("copil")
    assert not at.exception
    assert "En vigueur (Charte 2019)" in frames(at)
    at.selectbox(key="whatif_year").set_value(2024).run()
    at.number_input(key="whatif_public").set_value(60.0).run()
    assert not at.exception
    # every EPN already misses its 2024 report: short weeks add breaches, nobody is new
    assert (metric(at, "Nouvellement en manquement"), metric(at, "Plus en manquement")) == (0, 0)
    assert "autres manquements" in frames(at)
    assert "Anderlecht" in frames(at) and "Schaerbeek" in frames(at)  # per EPN, per commune
    at.number_input(key="whatif_public").set_value(None).run()
    assert "Avec ces seuils, aucun EPN ne change" in "".join(i.value for i in at.info)
    assert written(db)[0] == before[0] and written(db)[2] == before[2]


def test_an_earlier_deadline_shows_who_would_newly_breach(db):
    from dashboards.queries.charter_whatif import closed_years, what_if

    year = closed_years(Principal("copil", COPIL))[1]
    earlier = {"report_deadline_month": 2, "report_deadline_day": 1}
    result = what_if(Principal("copil", COPIL), year, earlier, "en", today=dt.date(year + 1, 3, 2))
    new = result["epns"][result["epns"]["change"] == "new"]
    assert not new.empty and all("report_missing" in codes for codes in new["simulated"])
    assert result["communes"]["new"].sum() == len(new)


def test_a_later_deadline_shows_who_would_no_longer_breach(db):
    from dashboards.queries.charter_whatif import closed_years, what_if

    year = closed_years(Principal("copil", COPIL))[1]  # 2024: only its report is missing
    later = {"report_deadline_month": 12, "report_deadline_day": 31}
    result = what_if(Principal("copil", COPIL), year, later, "en", today=dt.date(year + 1, 6, 1))
    assert result["simulated"].report_deadline(year) == dt.date(year + 1, 12, 31)
    assert result["in_force"].report_deadline(year) == dt.date(year + 1, 3, 31)
    gone = result["epns"][result["epns"]["change"] == "gone"]
    assert not gone.empty and all("report_missing" in codes for codes in gone["in_force"])
    assert result["communes"]["gone"].sum() == len(gone)


def test_the_page_speaks_dutch(db):
    at = open_as("copil", "nl")
    assert not at.exception
    assert "Simulatie van het charter" in [t.value for t in at.title]
