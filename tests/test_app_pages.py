"""Every page of the Streamlit app through AppTest, on a real warehouse."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from test_app_fixtures import (
    add_accounts,
    build_warehouse,
    copy_warehouse,
    csv_bytes,
    log_in,
    rejected_csv,
    weekly_lines,
)

from dashboards.years import CHOSEN
from epn.settings import get_settings

APP = Path(__file__).resolve().parents[1] / "dashboards" / "app.py"
PAGES = ("views/overview.py", "views/findings.py", "views/upload.py")
TIMEOUT = 60  # the first run imports pandas, pandera, plotly


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    return build_warehouse(tmp_path_factory.mktemp("wh") / "epn.duckdb")


def use(monkeypatch, path: Path) -> None:
    monkeypatch.setenv("EPN_DB", str(path))
    get_settings.cache_clear()


@pytest.fixture
def app(filled, monkeypatch):
    """The app signed in as the regional coordinator (through the login form)."""
    use(monkeypatch, filled)
    at = log_in(AppTest.from_file(APP, default_timeout=TIMEOUT), "coord")
    # the fixtures' year, as if picked earlier (the overview is on show already)
    at.session_state[CHOSEN] = at.session_state["overview_year"] = 2024
    yield at
    get_settings.cache_clear()


@pytest.fixture
def upload_app(filled, tmp_path, monkeypatch):
    """The upload page on a warehouse of its own, since uploads change it."""
    use(monkeypatch, copy_warehouse(filled, tmp_path / "epn.duckdb"))
    at = log_in(AppTest.from_file(APP, default_timeout=TIMEOUT), "coord")
    yield at.switch_page("views/upload.py").run()
    get_settings.cache_clear()


def open_page(at: AppTest, page: str, lang: str = "fr") -> AppTest:
    at.session_state["lang"] = lang
    at.run()
    return at.switch_page(page).run()


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_in_every_language(app, page, lang):
    at = open_page(app, page, lang)
    assert not at.exception
    assert not at.error
    assert len(at.title) == 1
    assert at.radio(key="lang").value == lang


def test_overview_shows_key_figures_and_two_charts(app):
    at = app.run()
    assert at.title[0].value == "Vue d'ensemble"
    assert at.selectbox(key="overview_year").value == 2024
    assert metrics(at) == {
        "EPN labellisés": "3",
        "Visites": "7\u202f720",
        "Semaines ouvertes": "148",
        "Constats": metrics(at)["Constats"],
    }
    assert int(metrics(at)["Constats"]) > 0
    assert len(at.get("plotly_chart")) == 2
    assert "**coord**" in at.sidebar.caption[0].value


def test_language_switch_translates_the_page(app):
    at = app.run()
    at.radio(key="lang").set_value("en").run()
    assert at.title[0].value == "Overview"
    assert "Labelled EPNs" in metrics(at)


def test_findings_page_lists_findings_with_counts_and_evidence(app):
    at = open_page(app, "views/findings.py")
    assert at.title[0].value == "Constats de la charte"
    total = int(metrics(at)["Constats"])
    assert total > 0 and metrics(at)["EPN concernés"] == "3"
    listing = at.dataframe[0].value
    assert len(listing) == total
    assert {"EPN", "Règle", "Gravité", "Message"} <= set(listing.columns)
    assert len(at.expander) == total
    assert len(at.get("plotly_chart")) == 1
    assert [m.label for m in at.multiselect] == ["Commune", "Règle", "Gravité", "EPN"]


def test_findings_filters_narrow_the_list(app):
    at = open_page(app, "views/findings.py")
    at.multiselect(key="f_rule").set_value(["opening_hours_min"]).run()
    assert at.dataframe[0].value["EPN"].tolist() == ["EPN-0002"]
    at.multiselect(key="f_rule").set_value([])
    at.multiselect(key="f_severity").set_value(["warning"]).run()
    assert at.success[0].value == "Aucun constat pour 2024 avec ces filtres."


def test_upload_page_accepts_a_statistics_file(upload_app):
    at = upload_app
    assert at.file_uploader(key="upload_file").allowed_type == [".csv", ".xlsx"]
    data = csv_bytes(weekly_lines("EPN-0003", 2025, visits=12)[:4])
    at.file_uploader(key="upload_file").upload("stats-2025.csv", data, "text/csv")
    at.button(key="upload_submit").click().run()
    assert not at.exception and not at.error
    assert at.success[0].value == "Fichier « stats-2025.csv » accepté et enregistré."
    assert {"Type", "EPN", "Année", "Semaines"} <= {c.value for c in at.main.caption}
    values = [m.value.replace("\\", "") for m in at.main.markdown if m.value.startswith("**")]
    assert values == [
        "**Statistiques hebdomadaires**",
        "**EPN-0003**",
        "**2025**",
        "**4 (du 30/12/2024 au 20/01/2025)**",
    ]
    history = at.dataframe[-1].value
    assert history["Fichier"].iloc[0] == "stats-2025.csv"
    assert history["Statut"].iloc[0] == "accepté"


def test_upload_page_lists_every_problem_of_a_rejected_file(upload_app):
    at = upload_app
    at.file_uploader(key="upload_file").upload("bad.csv", rejected_csv(), "text/csv")
    at.button(key="upload_submit").click().run()
    assert not at.exception
    assert at.error[0].value.startswith("Fichier « bad.csv » refusé : 2 problème(s)")
    errors = at.table[0].value  # a static table, so that the messages wrap
    assert list(errors.columns) == ["Feuille", "Ligne", "Colonne", "Cellule", "Valeur", "Message"]
    unescaped = errors.map(lambda cell: cell.replace("\\", ""))  # cells are escaped Markdown
    assert unescaped[["Feuille", "Ligne", "Colonne", "Cellule", "Valeur"]].values.tolist() == [
        ["—", "2", "epn_id", "A2", "EPN-9999"],
        ["—", "3", "week_start", "B3", "2024-01-03"],
    ]
    assert "n'est pas un lundi" in unescaped["Message"].iloc[1]
    assert "Traceback" not in "".join(e.value for e in at.error)


def test_upload_page_rejects_an_unreadable_workbook_in_plain_words(upload_app):
    at = upload_app
    at.file_uploader(key="upload_file").upload("notes.xlsx", b"not a workbook at all")
    at.button(key="upload_submit").click().run()
    assert not at.exception
    assert at.error[0].value.startswith("Fichier « notes.xlsx » refusé : 1 problème(s)")
    assert "xlsx" in at.table[0].value["Message"].iloc[0]
    latest = at.dataframe[-1].value.iloc[0]
    assert latest["Fichier"] == "notes.xlsx" and pd.isna(latest["Type"])


def test_upload_page_check_only_saves_nothing(upload_app):
    at = upload_app
    rows_before = len(at.dataframe[-1].value)
    data = csv_bytes(weekly_lines("EPN-0001", 2025, visits=5)[:2])
    at.file_uploader(key="upload_file").upload("check.csv", data, "text/csv")
    at.checkbox(key="upload_dry_run").check()
    at.button(key="upload_submit").click().run()
    assert at.success[0].value.startswith("Fichier « check.csv » valide")
    assert len(at.dataframe[-1].value) == rows_before


def test_upload_page_asks_for_a_file_first(upload_app):
    at = upload_app.button(key="upload_submit").click().run()
    assert at.warning[0].value == "Choisissez d'abord un fichier."


def test_an_empty_warehouse_explains_what_to_do(tmp_path, monkeypatch):
    use(monkeypatch, tmp_path / "empty.duckdb")
    add_accounts(tmp_path / "empty.duckdb", "coord")
    at = log_in(AppTest.from_file(APP, default_timeout=TIMEOUT), "coord")
    assert not at.exception
    assert "epn demo" in at.info[0].value
    at.switch_page("views/findings.py").run()
    assert "epn registry import" in at.info[0].value
    at.switch_page("views/upload.py").run()
    assert at.info[0].value == "Aucun fichier reçu pour l'instant."
    get_settings.cache_clear()


@pytest.fixture
def signed_out(filled, monkeypatch):
    use(monkeypatch, filled)
    yield AppTest.from_file(APP, default_timeout=TIMEOUT)
    get_settings.cache_clear()


def test_a_region_analyst_gets_the_overview_only(signed_out):
    at = log_in(signed_out, "analyst")
    assert not at.exception and not at.warning
    assert at.selectbox(key="overview_year").value == dt.date.today().year  # monitoring
    at = at.selectbox(key="overview_year").set_value(2024).run()
    assert metrics(at)["EPN labellisés"] == "3"
    assert len(at.get("plotly_chart")) == 2
    with pytest.raises(ValueError):
        at.switch_page("views/findings.py")


def test_an_epn_user_sees_its_own_findings_and_may_upload(signed_out):
    at = open_page(log_in(signed_out, "anderlecht"), "views/findings.py")
    assert not at.exception
    assert set(at.dataframe[0].value["EPN"]) == {"EPN-0001"}
    assert at.multiselect(key="f_epn").options == ["EPN-0001 — Espace numérique d'Anderlecht"]
    at.switch_page("views/upload.py").run()
    assert at.dataframe[-1].value["Fichier"].tolist() == ["stats-0001.csv"]
