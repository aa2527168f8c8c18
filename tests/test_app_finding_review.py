"""The review of a finding through the app (AppTest): the coordinator reviews it and writes
to the EPN from Coordination › Non-conformités; the EPN's user reads it on « Mon EPN » and
answers. On the small warehouse of test_app_fixtures (EPN-0002: 3 weeks below the minimum
hours in 2024)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from test_app_fixtures import build_warehouse, log_in, private_copy

from dashboards.years import CHOSEN
from epn.principal import COORDINATOR, Principal
from services import finding_review
from warehouse.db import connect
from warehouse.finding_review import FindingKey

APP = Path(__file__).resolve().parents[1] / "dashboards" / "app.py"
TIMEOUT = 90
LOW_HOURS = FindingKey("EPN-0002", 2024, "opening_hours_min")
FORM = "review_EPN-0002_2024_opening_hours_min"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return build_warehouse(tmp_path_factory.mktemp("review") / "epn.duckdb")


@pytest.fixture
def warehouse(built, tmp_path, monkeypatch):
    yield from private_copy(built, tmp_path, monkeypatch)


def signed_in(username: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["lang"] = "fr"
    log_in(at, username)
    at.session_state[CHOSEN] = 2024
    return at


def submit(at: AppTest, key: str) -> AppTest:
    return at.button(key=key).click().run()


def texts(at: AppTest) -> str:
    return "\n".join(m.value.replace("\\", "") for m in at.markdown)


def test_the_coordinator_reviews_a_finding_and_writes_to_the_epn(warehouse):
    at = signed_in("coord").switch_page("views/coordinator.py").run()
    at.session_state["coord_tab"] = "Non-conformités"
    at.selectbox(key="coord_year").set_value(2024)
    at = at.run()
    at.selectbox(key="coord_drill_epn").set_value("EPN-0002")
    at = at.selectbox(key="coord_drill_rule").set_value("opening_hours_min").run()
    assert not at.exception
    assert [i.value for i in at.caption if "examiné" in i.value] == [
        "Pas encore examiné par la coordination."
    ]
    # justified without a reason: refused in words, nothing recorded
    at.radio(key=f"{FORM}_status").set_value("justified")
    at.text_area(key=f"{FORM}_message").input("Merci pour votre explication.")
    at = submit(at, f"{FORM}_submit")
    assert "indiquez la raison" in at.error[0].value
    at.text_input(key=f"{FORM}_reason").input("Travaux convenus en mars")
    at = submit(at, f"{FORM}_submit")
    assert not at.error and "Enregistré" in at.success[0].value
    assert [e.label for e in at.expander] == [
        "2024 · Heures d'ouverture minimales · Manquement · justifié"
    ]
    assert "Justifié par la coordination (coord, le " in at.info[-1].value.replace("\\", "")
    assert "Coordination (coord)* — Merci pour votre explication." in texts(at)
    with connect(warehouse) as con:
        assert con.execute(
            "SELECT outcome, detail ->> 'code' FROM audit_log WHERE action = 'finding_review'"
            " ORDER BY audit_id"
        ).fetchall() == [("refused", "review.reason_required"), ("ok", None)]


def test_the_epn_reads_the_review_and_answers(warehouse):
    finding_review.review(
        Principal("coord", COORDINATOR),
        LOW_HOURS,
        "justified",
        "Travaux convenus en mars",
        "Pouvez-vous confirmer la date de réouverture ?",
    )
    at = signed_in("ixelles").switch_page("views/my_epn.py").run()
    at.session_state["my_epn_year"] = 2024
    at.session_state["my_epn_tab"] = "Mes constats"
    at = at.run()
    assert not at.exception
    assert any("Justifié par la coordination (coord" in i.value.replace("\\", "") for i in at.info)
    assert "Coordination (coord)* — Pouvez-vous confirmer la date de réouverture ?" in texts(at)
    answer = f"{FORM}_body"
    at = submit(at, f"{FORM}_send")  # an empty answer says what to do
    assert "Le message est vide" in at.error[0].value
    at.text_area(key=answer).input("Réouverture le 2 avril.")
    at = submit(at, f"{FORM}_send")
    assert "Enregistré" in at.success[0].value
    assert "EPN (ixelles)* — Réouverture le 2 avril." in texts(at)
    with connect(warehouse) as con:
        assert con.execute(
            "SELECT author, author_role, body FROM finding_message ORDER BY message_id"
        ).fetchall() == [
            ("coord", "coordinator", "Pouvez-vous confirmer la date de réouverture ?"),
            ("ixelles", "epn_user", "Réouverture le 2 avril."),
        ]


@pytest.fixture
def demo(demo_warehouse, tmp_path, monkeypatch):
    yield from private_copy(demo_warehouse["db"], tmp_path, monkeypatch)


def test_the_copil_is_told_which_repeated_breach_was_justified(demo):
    """On the demo: EPN-0002's statistics were incomplete in 2024 and 2025; once the
    coordination justified the 2024 finding, Pilotage no longer names it, and says why."""
    finding_review.review(
        Principal("coordinator", COORDINATOR),
        FindingKey("EPN-0002", 2024, "statistics_incomplete"),
        "justified",
        "Panne du logiciel de comptage, signalée à temps",
    )
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["lang"] = "fr"
    log_in(at, "copil", "demo-copil")
    at.session_state[CHOSEN] = 2025
    at = at.switch_page("views/copil_dashboard.py").run()
    assert not at.exception and not at.error
    note = next(i.value.replace("\\", "") for i in at.info if "justifié" in i.value)
    assert "EPN-0002" in note
    assert "justifié par la coordination : Panne du logiciel de comptage" in note
    # EPN-0002 was the demo's only candidate of 2025
    assert "Aucun manquement répété en 2025" in " ".join(c.value for c in at.caption)
    with connect(demo) as con:
        assert con.execute("SELECT count(*) FROM finding_review").fetchone()[0] == 1
