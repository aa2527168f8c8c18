"""The Region page through AppTest, per role, on a real warehouse."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from test_app_fixtures import (
    build_warehouse,
    copy_warehouse,
    csv_bytes,
    log_in,
    weekly_lines,
    weeks_of,
)
from test_report_ingest import clean_report, xlsx

from dashboards.years import CHOSEN
from epn.settings import get_settings
from reporting.formats import measure_change, measure_value
from services.uploads import Upload, ingest_uploads

APP = Path(__file__).resolve().parents[1] / "dashboards" / "app.py"
PAGE = "views/region.py"
TIMEOUT = 90
EPN_NAMES = ("Espace numérique d'Anderlecht", "EPN du CPAS d'Ixelles", "Lien numérique")


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    """The app tests' warehouse plus a 2024 annual report (activities) for EPN-0001."""
    path = build_warehouse(tmp_path_factory.mktemp("region") / "epn.duckdb")
    report = ingest_uploads([Upload("r.xlsx", xlsx(clean_report()), dt.date(2025, 2, 3))], db=path)
    assert report[0]["status"] == "accepted", report[0]["errors"]
    return path


@pytest.fixture
def open_as(warehouse, tmp_path, monkeypatch):
    """Signs ``username`` in (on a private copy of the warehouse) and opens the Region page."""

    def run(username: str, lang: str = "fr", year: int | None = 2024) -> AppTest:
        """``year``: the year the user picked earlier (None: the page's own default)."""
        monkeypatch.setenv("EPN_DB", str(copy_warehouse(warehouse, tmp_path / "epn.duckdb")))
        get_settings.cache_clear()
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        at.session_state["lang"] = lang
        log_in(at, username)
        if year is not None:
            at.session_state[CHOSEN] = year
        return at.switch_page(PAGE).run()

    yield run
    get_settings.cache_clear()


EPNS = ("EPN-0001", "EPN-0002", "EPN-0003")


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def page_text(at: AppTest) -> str:
    parts = [e.value for kind in ("markdown", "caption", "info", "success", "warning")
             for e in getattr(at, kind)]  # fmt: skip
    parts += [frame.value.to_string() for frame in at.dataframe]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
@pytest.mark.parametrize("username", ["analyst", "coord", "copil"])
def test_the_page_renders_for_every_role_that_has_it(open_as, username, lang):
    at = open_as(username, lang)
    assert not at.exception and not at.error
    assert len(at.title) == 1 and len(at.metric) == 8
    assert len(at.tabs) == 4 and len(at.get("plotly_chart")) == 3  # map, ranking, domains
    assert at.selectbox(key="region_year").value == 2024


def test_key_figures_of_the_region(open_as):
    at = open_as("analyst")
    shown = metrics(at)
    assert shown["EPN labellisés"] == "3"
    assert shown["Communes sans EPN"] == "16"
    # the one annual report received: one EPN of three is not yet a regional figure
    assert shown["Usagers"] == "Pas encore significatif"
    assert "Repose sur 1 EPN sur 3 labellisés." in [c.value for c in at.caption]
    deltas = {m.label: m.delta for m in at.metric}
    assert deltas["EPN labellisés"] == "+1"  # two EPNs labelled in 2023, three in 2024
    assert deltas["Communes sans EPN"] == "-1"
    assert any("Chiffres provisoires" in m.value for m in at.markdown)


def test_a_region_analyst_sees_aggregates_only(open_as):
    at = open_as("analyst")
    text = page_text(at)
    assert not any(name in text for name in EPN_NAMES)
    assert "EPN-000" not in text
    communes, domains = (frame.value for frame in at.dataframe)
    assert len(communes) == 19 and communes["Commune"].is_unique
    assert list(domains["Domaine"]) == [
        "Démarches administratives en ligne",
        "Compétences numériques de base",
    ]
    assert not [b for b in at.button if b.key.startswith("region_freeze")]  # coordinator's
    assert "Seul le coordinateur régional" in text


def test_an_epn_user_does_not_get_the_page(warehouse, monkeypatch):
    monkeypatch.setenv("EPN_DB", str(warehouse))
    get_settings.cache_clear()
    at = log_in(AppTest.from_file(APP, default_timeout=TIMEOUT), "anderlecht")
    with pytest.raises(ValueError):
        at.switch_page(PAGE)
    get_settings.cache_clear()


def test_the_measure_picker_recolours_the_map(open_as):
    at = open_as("copil")
    at.selectbox(key="region_measure").set_value("visits").run()
    assert not at.exception
    assert any(m.value.endswith("· Visites") for m in at.markdown)


def test_every_table_can_be_downloaded_and_the_report_too(open_as):
    at = open_as("coord")
    assert len(at.get("download_button")) == 5  # report, then CSV and Excel for two tables


def test_the_coordinator_publishes_after_confirming(open_as):
    at = open_as("coord")
    at.button(key="region_freeze").click().run()
    assert "Publier les chiffres 2024 tels qu'ils sont" in at.warning[0].value
    at.button(key="region_freeze_cancel").click().run()
    assert not at.warning and at.button(key="region_freeze")
    at.button(key="region_freeze").click().run()
    at.button(key="region_freeze_yes").click().run()
    assert not at.exception and not at.error
    assert at.success[0].value == "Chiffres 2024 publiés."
    assert any("Chiffres publiés le" in m.value for m in at.markdown)
    assert "Les chiffres actuels sont identiques aux chiffres publiés." in page_text(at)
    history = at.dataframe[-1].value
    assert list(history["Par"]) == ["coord"]
    assert at.button(key="region_freeze").label == "Publier à nouveau les chiffres 2024"


def test_late_corrections_show_beside_the_published_figures(open_as, tmp_path, monkeypatch):
    at = open_as("coord")
    at.button(key="region_freeze").click().run()
    at.button(key="region_freeze_yes").click().run()
    published_visits = metrics(at)["Visites"]
    late = csv_bytes(weekly_lines("EPN-0003", 2024, visits=50, start=dt.date(2024, 2, 26)))
    result = ingest_uploads([Upload("late.csv", late, dt.date(2025, 3, 1))])[0]
    assert result["status"] == "accepted"
    at.run()
    assert metrics(at)["Visites"] == published_visits  # the published figures stay on show
    assert "chiffre(s) ont changé depuis la publication" in at.warning[0].value
    changes = at.dataframe[-2].value
    assert set(changes["Commune"]) == {"Région de Bruxelles-Capitale", "Schaerbeek"}
    visits = changes[(changes["Commune"] == "Schaerbeek") & (changes["Indicateur"] == "Visites")]
    assert visits.iloc[0]["Écart"] == "+1\u202f760"  # 44 weeks × 40 more visits


def test_an_empty_warehouse_explains_what_to_do(tmp_path, monkeypatch):
    path = tmp_path / "empty.duckdb"
    from test_app_fixtures import add_accounts

    add_accounts(path, "analyst")
    monkeypatch.setenv("EPN_DB", str(path))
    get_settings.cache_clear()
    at = log_in(AppTest.from_file(APP, default_timeout=TIMEOUT), "analyst")
    at.switch_page(PAGE).run()
    assert not at.exception
    assert "epn demo" in at.info[0].value
    get_settings.cache_clear()


def test_the_running_year_is_marked_and_compared_with_the_same_weeks(open_as):
    today = dt.date.today()
    this_year = [w for w in weeks_of(today.year) if w <= today]
    so_far = [line for e in EPNS for line in weekly_lines(e, today.year, visits=20)]
    lines = [line for e in EPNS for line in weekly_lines(e, today.year - 1, visits=10)]
    lines += [line for line in so_far if line.split(",")[1] <= today.isoformat()]
    at = open_as("analyst", year=None)  # the page's own default: the running year
    result = ingest_uploads([Upload("recent.csv", csv_bytes(lines), today)])[0]
    assert result["status"] == "accepted", result["errors"]
    at.run()
    assert at.selectbox(key="region_year").value == today.year
    weeks = len(this_year)
    assert f"{today.year} est en cours : les chiffres couvrent les semaines 1 à {weeks}" in (
        at.warning[0].value
    )
    visits = next(m for m in at.metric if m.label == "Visites")
    assert visits.value == measure_value("visits", 3 * weeks * 20, "fr")
    assert visits.delta == measure_change("visits", 3 * weeks * 20, 3 * weeks * 10, "fr")
    users = next(m for m in at.metric if m.label == "Usagers")
    assert users.value == "Pas encore significatif" and not users.delta  # no report yet
