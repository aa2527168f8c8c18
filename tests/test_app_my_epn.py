"""The EPN's own space ("Mon EPN"): the page through AppTest, its queries and its charts."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest
from test_app_fixtures import (
    build_warehouse,
    copy_warehouse,
    csv_bytes,
    log_in,
    weekly_lines,
)
from test_template import fill

from dashboards import charts_epn, queries
from dashboards.years import CHOSEN
from epn.errors import EpnError
from epn.principal import COORDINATOR, COPIL, EPN_USER, REGION, Principal
from reporting.template.workbook import write_template
from services.access import AccessDenied
from services.uploads import Upload, ingest_uploads
from tests.conftest import use_warehouse

APP = Path(__file__).resolve().parents[1] / "dashboards" / "app.py"
PAGE = "views/my_epn.py"
TIMEOUT = 60
COORD = Principal("coord", COORDINATOR)
ANDERLECHT = Principal("anderlecht", EPN_USER, "EPN-0001")
DAY = dt.date(2025, 2, 3)


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    return build_warehouse(tmp_path_factory.mktemp("wh") / "epn.duckdb")


@pytest.fixture
def warehouse(filled, tmp_path, monkeypatch):
    """A private copy per test, since uploads change it."""
    yield from use_warehouse(copy_warehouse(filled, tmp_path / "epn.duckdb"), monkeypatch)


@pytest.fixture
def downloads(monkeypatch):
    """The deferred downloads the page registers: file name -> the callable building it."""
    registered: dict[str, object] = {}
    original = MediaFileManager.add_deferred

    def recording(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        registered[file_name] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", recording)
    return registered


def signed_in(username: str, year: int | None = 2024) -> AppTest:
    """Signed in, having picked ``year`` (the fixtures' data; None: none) in the session."""
    at = log_in(AppTest.from_file(APP, default_timeout=TIMEOUT), username)
    if year is None:
        return at
    at.session_state[CHOSEN] = at.session_state["my_epn_year"] = year  # it may be on the page
    return at.run()


def open_tab(at: AppTest, label: str) -> AppTest:
    at.session_state["my_epn_tab"] = label
    return at.run()


def send(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader(key="my_epn_file").upload(name, data)
    return at.button(key="my_epn_send").click().run()


def report(epn_id: str, year: int, highlight: str = "Nouvel atelier seniors") -> bytes:
    """A valid annual report: the page's own template filled the way an EPN would."""
    identity = {"epn_id": epn_id, "name": "EPN", "workstations": 8}
    book = load_workbook(io.BytesIO(fill(write_template(identity, year, "fr"), "fr")))
    book["cooperation"]["B2"] = "EPN-0002"  # a partner this warehouse's registry knows
    book["cooperation"]["D2"] = dt.date(year, 5, 14)
    narrative = book["narrative"]
    for row in range(2, narrative.max_row + 1):
        if narrative.cell(row, 1).value == "highlights":
            narrative.cell(row, 2, highlight)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def unescaped(markdown: str) -> str:
    return markdown.replace("\\", "")


# --- The page -------------------------------------------------------------------------------


def test_an_epn_user_lands_on_its_own_epn_without_a_selector(warehouse):
    at = signed_in("anderlecht")
    assert not at.exception and not at.error
    assert at.title[0].value == "Mon EPN"
    assert "EPN-0001 — Espace numérique d'Anderlecht" in unescaped(at.markdown[0].value)
    assert [tab.label for tab in at.tabs] == [
        "Mon rapport annuel",
        "Mes envois",
        "Mes chiffres",
        "Mes constats",
    ]
    assert [s.key for s in at.selectbox] == ["my_epn_year"]  # no EPN to pick
    assert at.warning[0].value.startswith(
        "Rapport annuel 2024 en retard : il était attendu au plus tard le 31/03/2025"
    )


def test_the_template_download_is_a_prefilled_workbook(warehouse, downloads):
    at = signed_in("anderlecht")
    assert at.download_button(key="my_epn_template").label == "Télécharger le modèle 2024"
    build = downloads["rapport-annuel-2024-EPN-0001.xlsx"]
    book = load_workbook(io.BytesIO(build()))
    sheet = book["epn"]
    identity = {sheet.cell(r, 1).value: sheet.cell(r, 2).value for r in range(2, sheet.max_row + 1)}
    assert (identity["epn_id"], identity["year"], identity["workstations"]) == ("EPN-0001", 2024, 8)


def test_statistics_and_an_annual_report_are_accepted(warehouse):
    at = signed_in("anderlecht")
    at = send(at, "stats-2025.csv", csv_bytes(weekly_lines("EPN-0001", 2025, visits=12)[:4]))
    assert not at.exception and not at.error
    assert "Fichier « stats-2025.csv » accepté et enregistré." in [s.value for s in at.success]
    at = send(at, "rapport-2024.xlsx", report("EPN-0001", 2024))
    assert not at.exception and not at.error
    assert "Fichier « rapport-2024.xlsx » accepté et enregistré." in [s.value for s in at.success]
    facts = [unescaped(m.value) for m in at.main.markdown if m.value.startswith("**")]
    assert "**Rapport annuel**" in facts and "**EPN-0001**" in facts
    assert at.success[0].value.startswith("Rapport annuel 2024 reçu le")


def test_a_corrected_report_is_version_2_and_current(warehouse):
    at = signed_in("anderlecht")
    send(at, "rapport-2024.xlsx", report("EPN-0001", 2024))
    at = send(at, "rapport-2024-corrigé.xlsx", report("EPN-0001", 2024, "Atelier corrigé"))
    assert "(version 2, en vigueur)" in at.success[0].value
    at = open_tab(at, "Mes envois")
    assert not at.exception
    groups = [unescaped(m.value) for m in at.main.markdown if m.value.startswith("**")]
    assert groups[1:] == ["**Rapport annuel 2024**", "**Statistiques hebdomadaires 2024**"]
    versions = at.dataframe[0].value
    assert versions[["Version", "En vigueur", "Fichier"]].values.tolist() == [
        [2, "en vigueur", "rapport-2024-corrigé.xlsx"],
        [1, "", "rapport-2024.xlsx"],
    ]
    assert set(versions["Par"]) == {"anderlecht"}


def test_a_rejected_upload_shows_its_problems_now_and_in_the_history(warehouse):
    at = signed_in("anderlecht")
    at = send(at, "bad.csv", csv_bytes(["EPN-0001,2024-01-03,open,,20,20,5,5,1"]))
    assert at.error[0].value.startswith("Fichier « bad.csv » refusé : 1 problème(s)")
    problems = at.table[0].value.map(unescaped)
    assert problems[["Ligne", "Colonne", "Cellule", "Valeur"]].values.tolist() == [
        ["2", "week_start", "B2", "2024-01-03"]
    ]
    at = open_tab(at, "Mes envois")
    (expander,) = at.expander
    assert expander.label.startswith("« bad.csv » du ") and "1 problème(s)" in expander.label
    stored = expander.table[0].value.map(unescaped)
    assert stored["Cellule"].tolist() == ["B2"]
    assert "n'est pas un lundi" in stored["Message"].iloc[0]


def test_an_epn_user_cannot_send_another_epns_file(warehouse):
    at = signed_in("anderlecht")
    at = send(at, "theirs.csv", csv_bytes(weekly_lines("EPN-0002", 2025, visits=3)[:2]))
    assert "EPN-0002" in at.error[0].value
    assert open_tab(at, "Mes envois").dataframe[0].value["Fichier"].tolist() == ["stats-0001.csv"]


def test_figures_and_findings_tabs(warehouse):
    at = open_tab(signed_in("ixelles"), "Mes chiffres")
    assert not at.exception
    assert len(at.get("plotly_chart")) == 2
    assert "3 EPN labellisés" in at.caption[0].value
    at = open_tab(at, "Mes constats")
    texts = [unescaped(m.value) for m in at.main.markdown]
    assert "**Heures d'ouverture minimales** :red-badge[Manquement]" in texts
    assert any(text.startswith("3 semaine(s) ouverte(s) de 2024") for text in texts)
    assert [e.label for e in at.expander] == ["Sur quoi repose ce constat"] * 4
    assert at.caption[0].value.startswith("4 constat(s) de la charte pour 2024")


def test_an_epn_without_data_is_told_what_to_do(warehouse):
    at = signed_in("coord", year=None).switch_page(PAGE).run()
    at = at.selectbox(key="my_epn_epn").set_value("EPN-0004").run()
    year = dt.date.today().year  # a page that monitors opens on the current year
    assert at.selectbox(key="my_epn_year").value == year
    assert at.info[0].value.startswith(f"Rapport annuel {year} pas encore reçu")
    at = open_tab(at, "Mes envois")
    assert at.info[0].value.startswith("Aucun fichier reçu pour cet EPN")
    at = open_tab(at, "Mes chiffres")
    assert at.info[0].value.startswith(f"Aucune semaine ouverte en {year}")
    assert not at.get("plotly_chart")
    at = open_tab(at, "Mes constats")
    assert at.success[0].value.startswith(f"Aucun constat de la charte pour {year}")


def test_the_coordinator_picks_any_epn(warehouse):
    at = signed_in("coord").switch_page(PAGE).run()
    assert not at.exception
    picker = at.selectbox(key="my_epn_epn")
    assert picker.options[:2] == [
        "EPN-0001 — Espace numérique d'Anderlecht",
        "EPN-0002 — EPN du CPAS d'Ixelles",
    ]
    at = picker.set_value("EPN-0003").run()
    assert unescaped(at.markdown[0].value) == "Schaerbeek · labellisé depuis le 01/03/2024"
    assert at.warning[0].value.startswith(
        "Rapport annuel 2024 en retard : il était attendu au plus tard le 31/03/2025"
    )
    at = at.toggle(key="my_epn_earlier").set_value(True).run()
    assert at.date_input(key="my_epn_received_on")  # the coordinator dates what came by post


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_every_tab_renders_in_every_language(warehouse, lang):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["lang"] = lang
    at = log_in(at, "ixelles")
    for label in [tab.label for tab in at.tabs]:
        at = open_tab(at, label)
        assert not at.exception and not at.error


@pytest.mark.parametrize("username", ["copil", "analyst", "root"])
def test_other_roles_do_not_get_the_page(warehouse, username):
    at = signed_in(username)
    assert not at.exception
    with pytest.raises(ValueError):
        at.switch_page(PAGE)


# --- The queries ----------------------------------------------------------------------------


def figures(principal, year=2024, epn_id=None) -> dict:
    frame = queries.figures_against_median(principal, year, epn_id)
    return {row.measure: (row.own, row.median, row.epns) for row in frame.itertuples()}


def test_the_median_is_over_labelled_epns_only(warehouse):
    before = figures(ANDERLECHT)
    # EPN-0004 is a candidate, not labelled: its huge figures must not move the median.
    lines = weekly_lines("EPN-0004", 2024, visits=1000, public_hours=60)
    ingest_uploads([Upload("uccle.csv", csv_bytes(lines), DAY, "coord")], db=warehouse)
    assert figures(ANDERLECHT) == before
    own, median, epns = before["visits_per_week"]
    assert (own, median, epns) == (100, 40, 3)  # 100, 40 and 10 visits a week
    assert before["unique_users"][:2] == (50, 20)
    assert before["public_hours"][:2] == (20, 20)
    assert before["long_weeks_share"][:2] == (1, 1)
    assert figures(COORD, epn_id="EPN-0004")["visits_per_week"][:2] == (1000, 40)


def test_the_median_needs_three_labelled_epns(warehouse):
    weeks = queries.weekly_visits_against_median(ANDERLECHT, 2024).set_index("week_start")
    # EPN-0003 only reports from 26 February: before that two EPNs would give each other away.
    assert pd.isna(weeks.loc[pd.Timestamp("2024-01-01"), "median_visits"])
    assert weeks.loc[pd.Timestamp("2024-03-04")].tolist() == [100, 40]
    lines = weekly_lines("EPN-0001", 2025, visits=9)[:3]
    ingest_uploads([Upload("alone.csv", csv_bytes(lines), DAY, "coord")], db=warehouse)
    alone = figures(ANDERLECHT, 2025)
    assert alone["visits_per_week"][0] == 9 and pd.isna(alone["visits_per_week"][1])


def test_an_epn_user_only_ever_gets_its_own_epn(warehouse):
    assert queries.own_epn(ANDERLECHT) == "EPN-0001"
    assert queries.own_epn(ANDERLECHT, "EPN-0001") == "EPN-0001"
    for query in (
        lambda: queries.own_epn(ANDERLECHT, "EPN-0002"),
        lambda: queries.figures_against_median(ANDERLECHT, 2024, "EPN-0002"),
        lambda: queries.weekly_visits_against_median(ANDERLECHT, 2024, "EPN-0002"),
        lambda: queries.epn_submissions(ANDERLECHT, "EPN-0002"),
        lambda: queries.own_findings(ANDERLECHT, 2024, "fr", "EPN-0002"),
        lambda: queries.epn_identity(ANDERLECHT, "fr", "EPN-0002"),
    ):
        with pytest.raises(AccessDenied):
            query()
    assert queries.epn_submissions(ANDERLECHT)["filename"].tolist() == ["stats-0001.csv"]
    assert set(queries.weekly_visits_against_median(ANDERLECHT, 2024)["visits"]) == {100}


def test_other_roles_and_a_missing_epn_are_refused(warehouse):
    with pytest.raises(AccessDenied):
        queries.own_epn(Principal("analyst", REGION), "EPN-0001")
    with pytest.raises(EpnError):
        queries.own_epn(COORD)
    assert queries.own_epn(Principal("copil", COPIL), "EPN-0002") == "EPN-0002"


def test_versions_count_accepted_files_and_statistics_stay_current_while_in_force(warehouse):
    weeks = weekly_lines("EPN-0003", 2025, visits=5)
    files = [
        ("v1.csv", weeks[:4]),
        ("bad.csv", ["EPN-0003,2025-01-07,open,,20,20,5,5,1"]),
        ("v2.csv", [w.replace(",5,2,1", ",6,3,1") for w in weeks[:4]]),  # replaces v1's weeks
        ("v3.csv", weeks[4:6]),  # new weeks: v2 stays in force beside it
    ]
    uploads = [Upload(name, csv_bytes(lines), DAY, "coord") for name, lines in files]
    ingest_uploads(uploads, db=warehouse)
    history = queries.epn_submissions(COORD, "EPN-0003")
    rows = history[history["year"] == 2025]
    assert rows[["filename", "status", "version", "current", "errors"]].values.tolist() == [
        ["v1.csv", "accepted", 1, False, 0],
        ["bad.csv", "rejected", pd.NA, False, 1],
        ["v2.csv", "accepted", 2, True, 0],
        ["v3.csv", "accepted", 3, True, 0],
    ]
    assert rows["error_list"].iloc[1][0]["cell"] == "B2"


def test_an_epn_user_gets_no_problems_of_a_file_shared_with_other_epns(warehouse):
    shared = weekly_lines("EPN-0001", 2025, visits=4)[:1] + [
        "EPN-0002,2025-01-07,open,,20,20,5,5,1"
    ]
    ingest_uploads([Upload("shared.csv", csv_bytes(shared), DAY, "coord")], db=warehouse)
    mine = queries.epn_submissions(ANDERLECHT).set_index("filename").loc["shared.csv"]
    assert (mine["errors"], mine["error_list"]) == (1, [])
    theirs = queries.epn_submissions(COORD, "EPN-0001").set_index("filename").loc["shared.csv"]
    assert theirs["error_list"][0]["value"] == "2025-01-07"


def test_unreadable_files_of_an_epn_user_are_in_its_history(warehouse):
    ingest_uploads([Upload("notes.xlsx", b"not a workbook", DAY, "anderlecht")], db=warehouse)
    history = queries.epn_submissions(COORD, "EPN-0001")
    assert history["filename"].tolist() == ["stats-0001.csv", "notes.xlsx"]
    assert queries.epn_submissions(COORD, "EPN-0002")["filename"].tolist() == [
        "stats-0002-0003.csv"
    ]


# --- The charts -----------------------------------------------------------------------------


def measures_frame(median=(24.35, 24.0, 101.1, 58.9, 1.0)) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "measure": list(queries.my_epn.MEASURES),
            "own": [17.7, 17.7, 105.96, 71.4, 0.9],
            "median": list(median),
            "epns": 30,
        }
    )


@pytest.mark.parametrize(
    ("lang", "hours", "median"),
    [("fr", "17,7 h", "médiane régionale : 24,4 h"), ("en", "17.7 h", "regional median: 24.4 h")],
)
def test_the_comparison_chart_shows_both_values(lang, hours, median):
    fig = charts_epn.comparison_chart(measures_frame(), lang, "EPN-0013")
    bars = [trace for trace in fig.data if trace.type == "bar"]
    ticks = [trace for trace in fig.data if trace.type == "scatter"]
    assert len(bars) == len(ticks) == 5
    assert bars[0].text == (hours,) and median in bars[0].y[0]
    assert [trace.showlegend for trace in bars] == [True, False, False, False, False]
    assert bars[-1].text == ("90\u202f%",) if lang == "fr" else ("90%",)
    assert fig.layout.separators == (",\u202f" if lang == "fr" else ".,")


def test_the_comparison_chart_without_a_median():
    fig = charts_epn.comparison_chart(measures_frame([None] * 5), "nl", "EPN-0013")
    assert {trace.type for trace in fig.data} == {"bar"}
    assert "mediaan" not in fig.data[0].y[0]


def test_shown_values_follow_the_reader():
    assert charts_epn.shown_value("visits_per_week", 1234.4, "fr") == "1\u202f234"
    assert charts_epn.shown_value("visits_per_week", 1234.4, "nl") == "1.234"
    assert charts_epn.shown_value("facilitated_hours", 15.0, "nl") == "15 h"
    assert charts_epn.shown_value("long_weeks_share", 0.5, "en") == "50%"


def test_the_weekly_visits_chart_has_the_median_line():
    weeks = pd.DataFrame(
        {
            "week_start": pd.to_datetime(["2024-01-01", "2024-01-08", "2024-02-05"]),
            "visits": [10, None, 12],
            "median_visits": [None, 20.0, 22.5],
        }
    )
    fig = charts_epn.weekly_visits_chart(weeks, "fr", "EPN-0001")
    own, median = fig.data
    assert (own.name, median.name) == ("EPN-0001", "Médiane régionale")
    assert median.line.dash == "dash"
    assert list(fig.layout.xaxis.ticktext) == ["janv.", "févr."]
