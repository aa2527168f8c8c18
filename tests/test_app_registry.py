"""The labelling registry through the app: the board, the COPIL page and the EPN card.

The whole procedure (apply → recommend → visit → ratify → sign) is recorded from the
pages, each step by the role the decree gives it; a step out of order is refused with the
catalogue message naming the step that must come first, and nothing is written.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from test_app_fixtures import add_accounts, build_warehouse, copy_warehouse, log_in

from dashboards.ui import plain_text
from dashboards.years import last_closed_year
from epn.i18n import t
from epn.principal import COORDINATOR, COPIL, EPN_USER, REGION, Principal
from epn.settings import get_settings
from tests.conftest import use_warehouse
from warehouse.db import connect

APP = Path(__file__).resolve().parents[1] / "dashboards" / "app.py"
BOARD, COPIL_PAGE, CARD = "views/registry_board.py", "views/copil.py", "views/epn_card.py"
TIMEOUT = 60
COORD = Principal("coord", COORDINATOR)
COMMITTEE = Principal("copil", COPIL)
ANDERLECHT = Principal("anderlecht", EPN_USER, "EPN-0001")
ANALYST = Principal("analyst", REGION)


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    return build_warehouse(tmp_path_factory.mktemp("wh") / "epn.duckdb")


@pytest.fixture
def db(filled, tmp_path, monkeypatch):
    """A private copy of the warehouse: these tests write to the registry."""
    yield from use_warehouse(copy_warehouse(filled, tmp_path / "epn.duckdb"), monkeypatch)


class Session:
    """One browser session: the test signs its users in and out through the login form."""

    def __init__(self, principal: Principal, lang: str = "fr") -> None:
        self.at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        self.at.session_state["lang"] = lang
        self.signed_in = False
        self.sign_in(principal)

    def sign_in(self, principal: Principal) -> Session:
        if self.signed_in:
            self.at.button(key="logout").click().run()
        log_in(self.at, principal.username)
        assert not self.at.exception, self.at.exception
        self.signed_in = True
        return self

    def open(self, page: str) -> AppTest:
        self.at.run()
        self.at.switch_page(page).run()
        assert not self.at.exception, self.at.exception
        return self.at


def events(db: Path, epn_id: str | None = None) -> list[str]:
    where, params = ("WHERE epn_id = ?", [epn_id]) if epn_id else ("", [])
    with connect(db) as con:
        rows = con.execute(
            f"SELECT event FROM registry_event {where} ORDER BY event_id", params
        ).fetchall()
    return [row[0] for row in rows]


def flash(at: AppTest) -> str:
    return at.success[0].value


def done(step: str, epn_id: str, status: str) -> str:
    return t(
        "app.registry.done",
        "fr",
        step=t(f"step.{step}", "fr"),
        epn_id=plain_text(epn_id),
        status=t(f"app.registry.status.{status}", "fr"),
    )


def apply_from_board(at: AppTest) -> AppTest:
    at.text_input(key="apply_name").input("Espace numérique de Jette")
    at.text_input(key="apply_address").input("Place Cardinal Mercier 10")
    at.number_input(key="apply_postcode").set_value(1090)
    at.selectbox(key="apply_commune_fr").set_value(21010)
    at.text_input(key="apply_authority_name").input("Commune de Jette")
    at.selectbox(key="apply_authority_type_fr").set_value("commune")
    at.radio(key="apply_channel_fr").set_value("email")
    at.file_uploader(key="apply_files_decision").upload(
        "deliberation.pdf", b"%PDF-1.4 decision", "application/pdf"
    )
    return at.button(key="apply_check").click().run()


def test_the_full_procedure_through_the_pages(db):
    session = Session(COORD)
    at = session.open(BOARD)
    assert at.text_input(key="apply_epn_id").value == "EPN-0005"  # the next free id
    at = apply_from_board(at)
    assert at.success[0].value == t("app.registry.no_look_alike", "fr")
    assert events(db, "EPN-0005") == []  # checked, not recorded yet
    at.button(key="apply_confirm").click().run()
    assert flash(at) == done("applied", "EPN-0005", "applied")

    at.selectbox(key="recommend_epn_fr").set_value("EPN-0005")
    at.text_area(key="recommend_note").input("Horaires larges, animateur qualifié.")
    at.button(key="recommend_submit").click().run()
    assert flash(at) == done("recommended", "EPN-0005", "recommended")
    at.selectbox(key="visit_epn_fr").set_value("EPN-0005")
    at.button(key="visit_submit").click().run()
    assert flash(at) == done("visited", "EPN-0005", "recommended")

    at = session.sign_in(COMMITTEE).open(COPIL_PAGE)
    agenda = at.table[0].value
    assert agenda.iloc[0].tolist()[:4] == [
        "EPN\\-0005",
        "Espace numérique de Jette",
        "Jette",
        "avis favorable",
    ]
    at.selectbox(key="ratify_epn_fr").set_value("EPN-0005")
    at.button(key="ratify_submit").click().run()
    assert flash(at) == done("ratified", "EPN-0005", "ratified")

    at = session.sign_in(COORD).open(BOARD)
    at.selectbox(key="sign_epn_fr").set_value("EPN-0005")
    at.button(key="sign_submit").click().run()
    assert flash(at) == done("signed", "EPN-0005", "labelled")
    assert events(db, "EPN-0005") == ["applied", "recommended", "visited", "ratified", "signed"]

    at = session.open(CARD)
    at.selectbox(key="card_epn").set_value("EPN-0005").run()
    shown = [m.value for m in at.main.markdown]
    steps = [t(f"step.{e}", "fr") for e in events(db, "EPN-0005")]
    timeline = [v for v in shown if any(f"**{s[:1].upper()}{s[1:]}**" in v for s in steps)]
    assert len(timeline) == 5
    assert "avis favorable" in timeline[1] and "Horaires larges" in timeline[1]
    assert "par e\\-mail" in timeline[0] and "deliberation\\.pdf" in timeline[0]
    assert at.get("download_button")  # the charter, the form and the document


def test_a_step_out_of_order_is_refused_naming_the_step_first(db):
    before = events(db)
    at = Session(COORD).open(BOARD)
    at.selectbox(key="sign_epn_fr").set_value("EPN-0004")  # an application, not ratified
    at.button(key="sign_submit").click().run()
    applied = t("app.registry.status.applied", "fr")  # the status in words, not its code
    expected = t("step_needs_ratify", "fr", epn_id=plain_text("EPN-0004"), status=applied)
    assert [e.value for e in at.error] == [expected]
    assert "ratification par le COPIL" in expected and "candidature reçue" in expected
    assert at.selectbox(key="sign_epn_fr").value == "EPN-0004"  # the choice stays for a retry
    assert events(db) == before
    with connect(db) as con:
        refused = con.execute(
            "SELECT username, outcome, detail ->> 'code' FROM audit_log"
            " WHERE action = 'registry_step' ORDER BY audit_id DESC LIMIT 1"
        ).fetchone()
    assert refused == ("coord", "refused", "step_needs_ratify")


def test_the_copil_cannot_ratify_an_application_without_a_recommendation(db):
    before = events(db)
    at = Session(COMMITTEE).open(COPIL_PAGE)
    at.selectbox(key="ratify_epn_fr").set_value("EPN-0004")
    at.button(key="ratify_submit").click().run()
    applied = t("app.registry.status.applied", "fr")
    expected = t("step_needs_recommend", "fr", epn_id=plain_text("EPN-0004"), status=applied)
    assert at.error[0].value == expected
    assert events(db) == before


def test_an_application_like_a_registered_epn_is_flagged_before_it_is_recorded(db):
    at = Session(COORD).open(BOARD)
    at.text_input(key="apply_name").input("Espace numérique Anderlecht")
    at.selectbox(key="apply_commune_fr").set_value(21001)
    at.text_input(key="apply_authority_name").input("Commune d'Anderlecht")
    at.selectbox(key="apply_authority_type_fr").set_value("commune")
    at.button(key="apply_check").click().run()
    assert "EPN\\-0001" in at.warning[0].value  # escaped Markdown
    at.button(key="apply_cancel").click().run()
    assert not _has(at, "apply_confirm")
    assert events(db, "EPN-0005") == []


def test_an_incomplete_application_asks_for_the_missing_fields(db):
    at = Session(COORD).open(BOARD)
    at.button(key="apply_check").click().run()
    assert at.warning[0].value.startswith("Complétez d'abord : Nom, Commune")
    assert not _has(at, "apply_confirm")


def test_the_copil_withdraws_a_label_citing_the_findings(db):
    at = Session(COMMITTEE).open(COPIL_PAGE)
    assert at.selectbox(key="copil_year").value == last_closed_year()  # a year judged in full
    at = at.selectbox(key="copil_year").set_value(2024).run()  # the year of the test's data
    candidates = at.table[-1].value
    assert candidates.iloc[:, 0].tolist() == ["EPN\\-0001", "EPN\\-0002"]
    assert at.selectbox(key="withdraw_epn_fr").value == "EPN-0001"  # the candidates come first
    at.selectbox(key="withdraw_epn_fr").set_value("EPN-0002")
    at.text_area(key="withdraw_note").input("Rapports annuels manquants deux années de suite.")
    at.button(key="withdraw_submit").click().run()
    assert flash(at) == done("withdrawn", "EPN-0002", "withdrawn")
    with connect(db) as con:
        data = con.execute(
            "SELECT data ->> 'reason', data ->> 'finding_year',"
            " json_array_length(data -> 'findings') FROM registry_event"
            " WHERE epn_id = 'EPN-0002' AND event = 'withdrawn'"
        ).fetchone()
    assert data[0] == "repeated_breach" and data[1] == "2024" and data[2] > 0
    assert at.table[-1].value.iloc[:, 0].tolist() == ["EPN\\-0001"]  # no longer a candidate


def test_the_coordinator_reads_the_copil_page_and_the_copil_the_board(db):
    at = Session(COORD).open(COPIL_PAGE)
    assert at.info[-1].value == t("app.copil.read_only", "fr")
    assert not _has(at, "ratify_submit")
    at = Session(COMMITTEE).open(BOARD)
    assert at.info[-1].value == t("app.board.read_only", "fr")
    assert not _has(at, "apply_check")
    assert [m.value for m in at.main.markdown if m.value.startswith("####")] == [
        "#### Candidatures reçues · 1",
        "#### Avis rendus · 0",
        "#### Ratifiées · 0",
    ]


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
@pytest.mark.parametrize("page", [BOARD, COPIL_PAGE, CARD])
def test_the_registry_pages_render_in_every_language(db, page, lang):
    at = Session(COORD, lang).open(page)
    assert not at.error and len(at.title) == 1


@pytest.mark.parametrize("principal", [ANALYST, ANDERLECHT])
def test_region_and_epn_users_get_neither_the_board_nor_the_copil_page(db, principal):
    session = Session(principal)
    session.at.run()
    for page in (BOARD, COPIL_PAGE):
        with pytest.raises(ValueError):
            session.at.switch_page(page)


def test_the_region_gets_no_card(db):
    session = Session(ANALYST)
    session.at.run()
    with pytest.raises(ValueError):
        session.at.switch_page(CARD)


def test_an_epn_user_sees_its_own_card_only(db):
    at = Session(ANDERLECHT).open(CARD)
    assert at.selectbox(key="card_epn").options == ["EPN-0001 — Espace numérique d'Anderlecht"]
    assert "Espace numérique d" in at.main.markdown[0].value
    uploads = at.dataframe[0].value
    assert uploads["Fichier"].tolist() == ["stats-0001.csv"]


def test_the_board_links_each_card_to_the_epn(db):
    at = Session(COORD).open(BOARD)
    links = at.get("page_link")
    assert len(links) == 1  # EPN-0004, the one application in progress
    at.query_params["epn"] = "EPN-0004"
    at.switch_page(CARD).run()
    assert at.selectbox(key="card_epn").value == "EPN-0004"


def _has(at: AppTest, key: str) -> bool:
    try:
        at.button(key=key)
    except KeyError:
        return False
    return True


def test_the_forms_follow_a_language_switch(db):
    at = Session(COMMITTEE).open(COPIL_PAGE)
    at.radio(key="lang").set_value("en").run()
    reason = at.selectbox(key="withdraw_reason_en")
    assert reason.value == "repeated_breach"
    assert reason.options[-1] == "repeated breaches (article 10)"
    assert at.selectbox(key="ratify_epn_en").options[0].endswith("· labelled")


@pytest.mark.parametrize("page", [BOARD, COPIL_PAGE, CARD])
def test_an_empty_registry_explains_what_to_do(tmp_path, monkeypatch, page):
    empty = tmp_path / "empty.duckdb"
    monkeypatch.setenv("EPN_DB", str(empty))
    get_settings.cache_clear()
    add_accounts(empty, "coord", "copil")
    principal = COMMITTEE if page == COPIL_PAGE else COORD
    at = Session(principal).open(page)
    assert not at.error
    assert any("epn registry import" in i.value or "registre est vide" in i.value for i in at.info)
    get_settings.cache_clear()


def test_an_epn_user_cannot_open_another_card_by_its_address(db):
    session = Session(ANDERLECHT)
    session.at.query_params["epn"] = "EPN-0002"
    at = session.open(CARD)
    assert at.selectbox(key="card_epn").value == "EPN-0001"
    assert "Ixelles" not in " ".join(m.value for m in at.main.markdown)
