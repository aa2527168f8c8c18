"""The coordinator's and the COPIL's dashboards through AppTest, signed in through the login
form, on the small warehouse of test_coordinator_queries."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from test_app_fixtures import ACCOUNTS, add_accounts, copy_warehouse, log_in
from test_coordinator_queries import build_coordinator_warehouse

from epn.settings import get_settings
from validation.charter.terms import terms_for

APP = Path(__file__).resolve().parents[1] / "dashboards" / "app.py"
COORDINATION, STEERING = "views/coordinator.py", "views/copil_dashboard.py"
TIMEOUT = 90  # the first run imports pandas, pandera, plotly and refreshes the mart


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    path = build_coordinator_warehouse(tmp_path_factory.mktemp("app") / "epn.duckdb")
    add_accounts(path, *ACCOUNTS)
    return path


@pytest.fixture
def app(built, tmp_path, monkeypatch):
    """A signed-out app on a private copy (logins and follow-ups write to the warehouse)."""
    monkeypatch.setenv("EPN_DB", str(copy_warehouse(built, tmp_path / "epn.duckdb")))
    get_settings.cache_clear()
    yield AppTest.from_file(APP, default_timeout=TIMEOUT)
    get_settings.cache_clear()


def open_page(at: AppTest, username: str, page: str, lang: str = "fr") -> AppTest:
    at.session_state["lang"] = lang
    return log_in(at, username).switch_page(page).run()


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def show(at: AppTest, tab: str, year: int = 2024) -> AppTest:
    """Opens a tab (they rerun when switched) and picks the year."""
    at.session_state["coord_tab"] = tab
    at.selectbox(key="coord_year").set_value(year)
    return at.run()


def closed_year() -> int:
    """The latest year whose reports are past their deadline: where the pages open."""
    today = dt.date.today()
    last = today.year - 1
    return last if terms_for(last).report_deadline(last) < today else last - 1


def unescaped(element) -> str:
    """An element's text as the reader sees it (registry names are shown escaped)."""
    return element.value.replace("\\", "")


def healthy(at: AppTest) -> bool:
    return not at.exception and not at.error


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_both_pages_render_for_the_coordinator_in_every_language(app, lang):
    at = open_page(app, "coord", COORDINATION, lang)
    assert healthy(at) and len(at.title) == 1
    assert at.selectbox(key="coord_year").value == closed_year()
    at.switch_page(STEERING).run()
    assert healthy(at) and len(at.title) == 1


def test_reporting_tab_shows_completeness_and_timeliness(app):
    at = show(open_page(app, "coord", COORDINATION), "Rapportage")
    assert healthy(at)
    assert at.title[0].value == "Coordination du réseau"
    assert metrics(at) == {
        "Rapports reçus": "2 / 4",
        "Rapports à temps": "25\u202f%",
        "Rapports manquants": "2",
        "Semaines de statistiques": "98\u202f%",  # 170 of 174
    }
    assert len(at.get("plotly_chart")) == 1
    communes, epns = (frame.value for frame in at.dataframe)
    assert communes["Commune"].tolist() == ["Anderlecht", "Ixelles", "Jette", "Schaerbeek"]
    assert epns["EPN"].tolist() == ["EPN-0003", "EPN-0005", "EPN-0002"]  # only those behind
    assert epns["Rapport"].tolist() == ["manquant", "manquant", "en retard"]
    at.toggle(key="coord_incomplete").set_value(False).run()
    assert at.dataframe[1].value["EPN"].tolist()[-1] == "EPN-0001"


def test_reporting_filters_by_commune_and_authority(app):
    at = show(open_page(app, "coord", COORDINATION), "Rapportage")
    at.multiselect(key="coord_communes").set_value([21009]).run()
    assert metrics(at)["Rapports reçus"] == "1 / 1"
    at.multiselect(key="coord_communes").set_value([])
    at.multiselect(key="coord_authorities").set_value(["regional_administration"]).run()
    assert "Aucun EPN labellisé en 2024" in at.info[0].value


def test_compliance_tab_has_the_matrix_and_the_evidence(app):
    at = show(open_page(app, "coord", COORDINATION), "Non-conformités")
    assert healthy(at)
    assert len(at.get("plotly_chart")) == 1
    assert at.selectbox(key="coord_drill_epn").value == "EPN-0002"  # the most in default
    at.selectbox(key="coord_drill_rule").set_value("opening_hours_min").run()
    assert [e.label for e in at.expander] == ["2024 · Heures d'ouverture minimales · Manquement"]
    weeks = at.dataframe[-1].value
    assert weeks.iloc[0].tolist() == ["09/12/2024", "12"]  # as the reader writes them


def test_outliers_tab_flags_and_follows_up_a_week(app):
    at = show(open_page(app, "coord", COORDINATION), "Valeurs atypiques")
    assert healthy(at)
    assert metrics(at) == {"Semaines atypiques": "2", "EPN concernés": "2", "En suivi": "0"}
    assert at.dataframe[0].value["EPN"].tolist() == ["EPN-0002", "EPN-0001"]
    assert len(at.get("plotly_chart")) == 1  # the first week in its context
    at.selectbox(key="coord_pick").select_index(1).run()
    at.text_area(key="coord_note").input("Appeler l'EPN")
    at.button(key="coord_set").click().run()
    assert healthy(at)
    assert unescaped(at.success[0]).startswith("Semaine du 16/12/2024 de EPN-0001 EPN Anderlecht")
    assert metrics(at)["En suivi"] == "1"
    assert at.dataframe[0].value["Suivi"].tolist() == [False, True]
    assert at.text_area(key="coord_note").value == ""
    at.button(key="coord_clear").click().run()
    assert unescaped(at.success[0]).startswith("Suivi clôturé")
    assert metrics(at)["En suivi"] == "0"
    history = [unescaped(c) for c in at.main.caption if "coord ·" in c.value]
    assert [line.split(" · ")[2] for line in history] == [
        "clôture",
        "mise en suivi — « Appeler l'EPN »",
    ]
    assert at.dataframe[1].value["Action"].tolist() == ["clôture", "mise en suivi"]  # latest


def test_the_committee_sees_its_dashboard_only(app):
    at = open_page(app, "copil", STEERING)
    assert healthy(at)
    assert at.title[0].value == "Pilotage du réseau"
    at.selectbox(key="copil_dash_year").set_value(2023).run()
    assert metrics(at) == {"Candidatures à ratifier": "1", "Candidats au retrait (2023)": "1"}
    assert at.dataframe[0].value["EPN"].tolist() == ["EPN-0001"]
    assert len(at.get("plotly_chart")) == 4
    assert at.get("page_link")  # to the committee's decisions
    with pytest.raises(ValueError):
        at.switch_page(COORDINATION)


@pytest.mark.parametrize("username", ["anderlecht", "analyst", "root"])
def test_epn_users_the_region_and_the_administrator_get_neither_page(app, username):
    at = log_in(app, username)
    assert healthy(at)
    for page in (COORDINATION, STEERING):
        with pytest.raises(ValueError):
            at.switch_page(page)


def test_an_empty_warehouse_explains_what_to_do(tmp_path, monkeypatch):
    path = tmp_path / "empty.duckdb"
    add_accounts(path, "coord")
    monkeypatch.setenv("EPN_DB", str(path))
    get_settings.cache_clear()
    at = open_page(AppTest.from_file(APP, default_timeout=TIMEOUT), "coord", COORDINATION)
    assert healthy(at) and "epn registry import" in at.info[0].value
    at.switch_page(STEERING).run()
    assert healthy(at) and "epn registry import" in at.info[0].value
    get_settings.cache_clear()
