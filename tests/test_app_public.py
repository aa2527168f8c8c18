"""The public page through AppTest, signed out: the directory, the map, the published
indicators and the open data package; in French, Dutch and English; and nothing else."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from test_app_fixtures import YEAR, log_in

from dashboards.navigation import PAGES
from dashboards.queries import public as queries
from epn.i18n import t
from warehouse import snapshots
from warehouse.db import connect, transaction

APP = Path(__file__).resolve().parents[1] / "dashboards" / "app.py"
TIMEOUT = 60


@pytest.fixture
def frozen(warehouse):
    with connect(warehouse) as con, transaction(con):
        snapshots.freeze(con, YEAR, "coordinator")
    return warehouse


def public(lang: str = "fr") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["lang"] = lang
    at.run()
    return at.switch_page("views/public.py").run()


def test_a_visitor_sees_the_directory_figures_and_download(frozen):
    at = public()
    assert not at.exception and not at.error
    assert [title.value for title in at.title] == [
        "Les espaces publics numériques labellisés à Bruxelles"
    ]
    directory = at.dataframe[0].value
    assert list(directory.columns) == ["Nom", "Adresse", "Commune", "Labellisé depuis le"]
    assert directory["Nom"].tolist() == [
        "Espace numérique d'Anderlecht",  # by commune: 21001, 21009, 21015
        "EPN du CPAS d'Ixelles",
        "Lien numérique Schaerbeek",
    ]
    assert directory["Adresse"].tolist() == ["Rue Wayez 1, 1070", "Rue Mercelis 2, 1050", ""]
    assert str(directory["Labellisé depuis le"].iloc[0].date()) == "2023-01-02"
    assert "Candidat d'Uccle" not in directory["Nom"].tolist()  # an applicant is not listed
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[t("app.region.measure.labelled_epns", "fr")] == "3"
    assert any(f"Indicateurs publiés {YEAR}" == h.value for h in at.subheader)
    assert len(at.get("plotly_chart")) == 1
    button = at.download_button(key="public_download").proto
    assert button.label == f"Télécharger le paquet {YEAR} (.zip)"
    # and each table its own files, with no session to check (the page is public)
    kept = {b.key for b in at.get("download_button")} - {"public_download"}
    assert kept == {
        *("export_csv_epn-directory", "export_xlsx_epn-directory"),
        *(f"export_csv_indicators-communes-{YEAR}", f"export_xlsx_indicators-communes-{YEAR}"),
    }
    with zipfile.ZipFile(io.BytesIO(queries.open_data_zip(YEAR))) as archive:
        assert "datapackage.json" in archive.namelist()


@pytest.mark.parametrize(
    ("lang", "title", "column"),
    [
        ("nl", "De gelabelde openbare computerruimten in Brussel", "Gelabeld sinds"),
        ("en", "Labelled public digital spaces in Brussels", "Labelled since"),
    ],
)
def test_the_page_speaks_dutch_and_english(frozen, lang, title, column):
    at = public(lang)
    assert not at.exception
    assert at.title[0].value == title
    assert column in at.dataframe[0].value.columns
    assert at.radio(key="lang").value == lang
    communes = at.selectbox(key=f"public_commune_{lang}")
    assert communes.options[0] == t("app.public.all_communes", lang)
    if lang == "nl":
        assert "Elsene" in at.dataframe[0].value["Gemeente"].tolist()


def test_the_commune_filter_narrows_the_directory(frozen):
    at = public()
    at.selectbox(key="public_commune_fr").set_value(21009).run()
    assert at.dataframe[0].value["Nom"].tolist() == ["EPN du CPAS d'Ixelles"]


def test_before_any_freeze_no_figure_and_no_download(warehouse):
    at = public()
    assert not at.exception
    assert [i.value for i in at.info] == [t("app.public.no_indicators", "fr")]
    assert not at.metric and "public_download" not in {b.key for b in at.get("download_button")}
    assert len(at.dataframe) == 1  # the directory is public all the same, and its files


def test_signed_out_the_public_page_opens_nothing_else(frozen):
    at = public()
    for spec in PAGES:
        with pytest.raises(ValueError):
            at.switch_page(f"views/{spec.script}")


def test_a_signed_in_user_finds_the_public_page_too(frozen):
    at = log_in(AppTest.from_file(APP, default_timeout=TIMEOUT), "coord")
    at.switch_page("views/public.py").run()
    assert not at.exception
    assert at.title[0].value == "Les espaces publics numériques labellisés à Bruxelles"
