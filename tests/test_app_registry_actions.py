"""The registry's queries and actions for the app, without a page: results, roles, refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from test_app_fixtures import build_warehouse, copy_warehouse

from dashboards.queries import epn_card as card
from dashboards.queries import registry_board as rq
from epn.errors import EpnError, StepRefused
from epn.i18n import t
from epn.principal import COORDINATOR, COPIL, EPN_USER, REGION, Principal
from registry.attachments import Attachment
from services import registry_steps as actions
from services.access import AccessDenied
from tests.conftest import use_warehouse
from warehouse.db import connect

COORD = Principal("coord", COORDINATOR)
COMMITTEE = Principal("copil", COPIL)
ANDERLECHT = Principal("anderlecht", EPN_USER, "EPN-0001")
ANALYST = Principal("analyst", REGION)
DAY = dt.date(2025, 3, 3)
JETTE = {
    "epn_id": "EPN-0005",
    "name": "Espace numérique de Jette",
    "commune_nis": 21010,
    "authority_name": "Commune de Jette",
    "authority_type": "commune",
}


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    return build_warehouse(tmp_path_factory.mktemp("wh") / "epn.duckdb")


@pytest.fixture(autouse=True)
def db(filled, tmp_path, monkeypatch):
    yield from use_warehouse(copy_warehouse(filled, tmp_path / "epn.duckdb"), monkeypatch)


def count(db, table: str) -> int:
    with connect(db) as con:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


# --- the board's queries ----------------------------------------------------------------


def test_the_board_lists_applications_with_their_wait_and_next_step():
    actions.apply(COORD, JETTE, DAY, "post", [Attachment("decision", "d.pdf", b"%PDF-1")])
    actions.recommend(COORD, "EPN-0005", True, DAY, note="  Bon dossier.  ")
    frame = rq.board(COORD, "fr", today=dt.date(2025, 3, 13))
    row = frame.set_index("epn_id").loc["EPN-0005"]
    assert (row.status, row.next_step, row.days_waiting, row.documents) == (
        "recommended",
        "ratified",
        10,
        1,
    )
    assert bool(row.favourable) and row.recommendation_note == "Bon dossier."
    # Oldest first: EPN-0004 came in with the registry import, today.
    assert frame["epn_id"].tolist() == ["EPN-0005", "EPN-0004"]
    assert rq.awaiting_ratification(COMMITTEE, "nl")["epn_id"].tolist() == ["EPN-0005"]


@pytest.mark.parametrize("principal", [ANDERLECHT, ANALYST])
def test_only_the_coordinator_and_the_copil_read_the_board(principal):
    with pytest.raises(AccessDenied):
        rq.board(principal, "fr")
    with pytest.raises(AccessDenied):
        rq.withdrawal_candidates(principal, 2024, "fr")
    with pytest.raises(AccessDenied):
        rq.look_alikes(principal, JETTE)


def test_a_new_application_gets_the_next_free_id_and_its_look_alikes():
    assert rq.suggested_epn_id(COORD) == "EPN-0005"
    alike = rq.look_alikes(COORD, {**JETTE, "name": "Espace numérique Anderlecht"})
    assert [a["epn_id"] for a in alike] == ["EPN-0001"]
    assert rq.look_alikes(COORD, JETTE) == []


def test_withdrawal_candidates_are_the_labelled_epns_with_a_repeated_breach():
    found = rq.withdrawal_candidates(COMMITTEE, 2024, "fr")
    assert found["epn_id"].tolist() == ["EPN-0001", "EPN-0002"]
    assert found["repeated_codes"].tolist() == [["report_missing"], ["report_missing"]]


# --- the card's queries -----------------------------------------------------------------


def test_the_card_shows_identity_history_documents_uploads_and_findings():
    actions.attach(COORD, "EPN-0004", [Attachment("evidence", "photo.jpg", b"\xff\xd8jpeg")], DAY)
    epn = card.card_identity(COORD, "EPN-0004", "nl")
    assert (epn["name"], epn["commune"], epn["status"]) == ("Candidat d'Uccle", "Ukkel", "applied")
    history = card.label_history(COORD, "EPN-0004", "fr")
    assert history["event"].tolist() == ["imported", "attached"]
    assert history["detail"].iloc[1] == "1 document(s) : photo.jpg"
    documents = card.card_documents(COORD, "EPN-0004")
    assert documents["filename"].tolist() == ["photo.jpg"]
    assert (
        card.card_document(COORD, "EPN-0004", documents["document_id"].iloc[0]) == b"\xff\xd8jpeg"
    )
    assert card.card_submissions(ANDERLECHT, "EPN-0001")["filename"].tolist() == ["stats-0001.csv"]
    findings = card.card_findings(COORD, "EPN-0002", "fr")
    assert "opening_hours_min" in set(findings.loc[findings["year"] == 2024, "code"])
    # every year since the label, latest first: later years lack statistics and reports
    assert findings["year"].tolist() == sorted(findings["year"], reverse=True)
    assert {"statistics_incomplete", "report_missing"} <= set(findings["code"])


def test_the_card_prints_the_charter_and_the_application_form():
    assert card.charter_document(ANDERLECHT, "EPN-0001", "fr").startswith(b"%PDF")
    assert card.application_document(COORD, "EPN-0004", "en").startswith(b"%PDF")


def test_an_epn_user_cannot_open_another_epns_card():
    for read in (card.card_identity, card.label_history, card.card_findings):
        with pytest.raises(AccessDenied):
            read(ANDERLECHT, "EPN-0002", "fr")
    with pytest.raises(AccessDenied):
        card.charter_document(ANDERLECHT, "EPN-0002", "fr")
    with pytest.raises(AccessDenied):
        card.card_documents(ANALYST, "EPN-0001")


# --- the actions ------------------------------------------------------------------------


def test_a_step_out_of_order_is_refused_and_nothing_is_written(db):
    before = count(db, "registry_event")
    with pytest.raises(StepRefused) as refused:
        actions.ratify(COMMITTEE, "EPN-0004", DAY)
    assert refused.value.code == "step_needs_recommend"
    assert "l'avis du coordinateur" in refused.value.message("fr")
    with pytest.raises(StepRefused) as refused:
        actions.withdraw(COMMITTEE, "EPN-0004", DAY, "authority_request")
    assert refused.value.code == "step_needs_sign"
    assert count(db, "registry_event") == before


@pytest.mark.parametrize(
    ("principal", "step"),
    [
        (COMMITTEE, lambda p: actions.recommend(p, "EPN-0004", True, DAY)),
        (COMMITTEE, lambda p: actions.apply(p, JETTE, DAY)),
        (COMMITTEE, lambda p: actions.apply(p, {}, DAY)),  # the role first, then the form
        (COORD, lambda p: actions.ratify(p, "EPN-0004", DAY)),
        (COORD, lambda p: actions.withdraw(p, "EPN-0001", DAY, "serious_breach")),
        (ANDERLECHT, lambda p: actions.sign(p, "EPN-0001", DAY)),
        (ANALYST, lambda p: actions.visit(p, "EPN-0004", DAY)),
    ],
)
def test_each_role_records_only_its_own_steps(db, principal, step):
    before = count(db, "registry_event")
    with pytest.raises(AccessDenied):
        step(principal)
    assert count(db, "registry_event") == before


def test_the_procedure_runs_to_the_label_and_to_its_withdrawal():
    recorded = [
        actions.apply(COORD, JETTE, DAY, "email"),
        actions.recommend(COORD, "EPN-0005", True, DAY),
        actions.visit(COORD, "EPN-0005", DAY, note="Accueil chaleureux."),
        actions.ratify(COMMITTEE, "EPN-0005", DAY),
        actions.sign(COORD, "EPN-0005", DAY),
        actions.withdraw(COMMITTEE, "EPN-0005", DAY, "authority_request", note="Fermeture."),
    ]
    assert [(r.event, r.status) for r in recorded] == [
        ("applied", "applied"),
        ("recommended", "recommended"),
        ("visited", "recommended"),
        ("ratified", "ratified"),
        ("signed", "labelled"),
        ("withdrawn", "withdrawn"),
    ]
    history = card.label_history(COMMITTEE, "EPN-0005", "en")
    assert history["detail"].tolist()[-1] == t("app.reason.authority_request", "en")


def test_an_application_needs_its_identity_and_an_attachment_needs_a_file(db):
    with pytest.raises(EpnError) as missing:
        actions.apply(COORD, {**JETTE, "name": "  ", "commune_nis": None}, DAY)
    assert missing.value.code == "app.registry.missing_fields"
    assert missing.value.params == {"fields": "name, commune_nis"}
    with pytest.raises(EpnError) as empty:
        actions.attach(COORD, "EPN-0004", [], DAY)
    assert empty.value.code == "app.registry.no_documents"
    with pytest.raises(EpnError):
        actions.withdraw(COMMITTEE, "EPN-0001", DAY, "tired")
    assert count(db, "registry_event") == 4


def test_a_withdrawal_can_cite_the_findings_of_a_year(db):
    actions.withdraw(COMMITTEE, "EPN-0002", DAY, "repeated_breach", finding_year=2024, lang="nl")
    history = card.label_history(COMMITTEE, "EPN-0002", "fr")
    assert history["detail"].iloc[-1].endswith("manquement(s) de 2024 cité(s)")
    assert rq.withdrawal_candidates(COMMITTEE, 2024, "fr")["epn_id"].tolist() == ["EPN-0001"]
