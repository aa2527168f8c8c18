"""Findings reviewed by the coordination (issue 13, item 5), on a private copy of the demo:
a justified finding changes nothing in ``epn compliance --json`` but its ``review`` and takes
its repeated breach off the withdrawal candidates; an EPN user answers only about its own
EPN; a justification needs a reason; every exchange is audited, nothing is deleted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from epn.errors import EpnError
from epn.i18n import t
from epn.principal import COORDINATOR, COPIL, EPN_USER, Principal
from services import finding_review
from services.access import AccessDenied
from tests.conftest import use_warehouse
from tests.test_app_fixtures import copy_warehouse
from warehouse.db import connect
from warehouse.finding_review import FindingKey, thread

COORD = Principal("coordinator", COORDINATOR)
ANDERLECHT = Principal("epn-0001", EPN_USER, "EPN-0001")
# EPN-0002 missed weeks of statistics in 2024 and again in 2025: a 2025 withdrawal candidate
MISSED_2024 = FindingKey("EPN-0002", 2024, "statistics_incomplete")
# EPN-0024's statistics incomplete again in 2026: the repeated breach itself is justified
REPEAT_2026 = FindingKey("EPN-0024", 2026, "repeated_breach", "statistics_incomplete")
OWN_FINDING = FindingKey("EPN-0001", 2025, "facilitator_presence")
ROOT = Path(__file__).parents[1]


@pytest.fixture
def demo(demo_warehouse, tmp_path, monkeypatch):
    copy = copy_warehouse(demo_warehouse["db"], tmp_path / "demo.duckdb")
    yield from use_warehouse(copy, monkeypatch)


def compliance_json(db: Path, year: int) -> list[dict]:
    done = subprocess.run(
        [sys.executable, "-m", "cli", "compliance", "--year", str(year), "--json", "--db", str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def candidates(year: int = 2025) -> dict[str, list[str]]:
    from dashboards.queries.copil_dashboard import withdrawal_candidates

    frame = withdrawal_candidates(Principal("copil", COPIL), year)
    return dict(zip(frame["epn_id"], frame["repeated_codes"].map(list), strict=True))


def audit_rows(db: Path) -> list[tuple]:
    with connect(db) as con:
        return con.execute(
            "SELECT username, action, target, outcome, detail ->> 'code' FROM audit_log"
            " WHERE action LIKE 'finding_%' OR action = 'access_denied' ORDER BY audit_id"
        ).fetchall()


def test_a_justified_finding_changes_only_its_review_and_leaves_the_candidates(demo):
    before = compliance_json(demo, 2024)
    assert all(f["review"] is None for f in before)
    assert candidates() == {"EPN-0002": ["statistics_incomplete"]}
    assert candidates(2026) == {"EPN-0024": ["statistics_incomplete"]}
    finding_review.review(
        COORD,
        MISSED_2024,
        "justified",
        "Panne du logiciel de comptage, signalée à temps",
        "Nous avons noté la panne ; rien à faire de votre côté.",
    )
    finding_review.review(COORD, REPEAT_2026, "justified", "Déménagement convenu en janvier")
    after = compliance_json(demo, 2024)
    assert len(after) == len(before)
    changed = [(b, a) for b, a in zip(before, after, strict=True) if a != b]
    assert len(changed) == 1
    was, now = changed[0]
    assert (now["epn_id"], now["code"]) == ("EPN-0002", "statistics_incomplete")
    assert {k: v for k, v in now.items() if k != "review"} == {
        k: v for k, v in was.items() if k != "review"
    }
    assert now["review"]["status"] == "justified"
    assert now["review"]["reason"] == "Panne du logiciel de comptage, signalée à temps"
    assert now["review"]["by"] == "coordinator"
    assert len(now["review"]["reviewed_on"]) == 10  # ISO day in JSON only
    # either year's justified finding takes its code off the list; the rest stays
    assert candidates() == {} and candidates(2026) == {}
    from dashboards.queries.copil_dashboard import set_aside_repeats

    set_aside = set_aside_repeats(Principal("copil", COPIL), 2025)
    assert set_aside[["epn_id", "repeated_code", "year"]].values.tolist() == [
        ["EPN-0002", "statistics_incomplete", 2024]
    ]
    assert set_aside_repeats(Principal("copil", COPIL), 2026)["reason"].tolist() == [
        "Déménagement convenu en janvier"
    ]
    # confirmed again later: the latest review counts, the earlier one stays in the history
    finding_review.review(COORD, MISSED_2024, "confirmed")
    assert candidates() == {"EPN-0002": ["statistics_incomplete"]}
    with connect(demo) as con:
        kinds = [(e["kind"], e["status"]) for e in thread(con, MISSED_2024)]
    assert kinds == [("review", "justified"), ("message", None), ("review", "confirmed")]


def test_a_justification_needs_a_reason_and_a_refusal_writes_nothing(demo):
    with pytest.raises(EpnError) as refused:
        finding_review.review(COORD, OWN_FINDING, "justified", "   ", "Voir avec vous")
    assert refused.value.code == "review.reason_required"
    assert "raison" in refused.value.message("fr") and "reason" in refused.value.message("en")
    with pytest.raises(EpnError) as unknown:
        finding_review.review(COORD, FindingKey("EPN-0001", 2019, "signage"), "confirmed")
    assert unknown.value.code == "review.unknown_finding"
    with connect(demo) as con:
        assert con.execute("SELECT count(*) FROM finding_review").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM finding_message").fetchone()[0] == 0
    assert audit_rows(demo) == [
        ("coordinator", "finding_review", "EPN-0001", "refused", "review.reason_required"),
        ("coordinator", "finding_review", "EPN-0001", "refused", "review.unknown_finding"),
    ]


def test_an_epn_user_answers_about_its_own_epn_only(demo):
    finding_review.review(COORD, OWN_FINDING, "confirmed", "", "Merci de nous expliquer.")
    finding_review.write(ANDERLECHT, OWN_FINDING, "  L'animatrice était en congé maladie.  ")
    with pytest.raises(AccessDenied) as refused:
        finding_review.write(ANDERLECHT, MISSED_2024, "Ce n'est pas nous")
    assert "votre propre EPN" in refused.value.message("fr")
    assert "EPN-0002" in refused.value.message("en")
    with pytest.raises(AccessDenied):  # nor review at all
        finding_review.review(ANDERLECHT, OWN_FINDING, "justified", "Nous étions malades")
    with pytest.raises(EpnError) as empty:
        finding_review.write(ANDERLECHT, OWN_FINDING, " ")
    assert empty.value.code == "review.message_required"
    with connect(demo) as con:
        exchange = [(e["author"], e["role"], e["body"]) for e in thread(con, OWN_FINDING)]
    assert exchange == [
        ("coordinator", "coordinator", None),
        ("coordinator", "coordinator", "Merci de nous expliquer."),
        ("epn-0001", "epn_user", "L'animatrice était en congé maladie."),
    ]
    rows = audit_rows(demo)
    assert rows[:2] == [
        ("coordinator", "finding_review", "EPN-0001", "ok", None),
        ("epn-0001", "finding_message", "EPN-0001", "ok", None),
    ]
    assert [r[1:4] for r in rows[2:]] == [
        ("access_denied", "finding_message", "refused"),
        ("access_denied", "services.finding_review.review", "refused"),
        ("finding_message", "EPN-0001", "refused"),
    ]


def test_the_review_from_the_command_line(demo, capsys):
    from cli import main

    args = ["findings", "review", "EPN-0002", "--year", "2024", "--code", "statistics_incomplete"]
    assert main([*args, "--status", "justified", "--db", str(demo)]) == 1
    assert "indiquez la raison" in capsys.readouterr().err
    reason = ["--reason", "Panne du logiciel de comptage"]
    assert main([*args, "--status", "justified", *reason, "--json", "--db", str(demo)]) == 0
    done = json.loads(capsys.readouterr().out)
    assert (done["status"], done["reason"], done["repeated_code"]) == (
        "justified",
        "Panne du logiciel de comptage",
        None,
    )
    assert candidates() == {}
    assert audit_rows(demo)[-1] == ("system", "finding_review", "EPN-0002", "ok", None)


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_the_copil_page_names_the_repeated_rule_in_words(demo, lang):
    """The COPIL's candidates cite their findings by the rule's name, never its code (the
    page showed « statistics_incomplete »); `epn registry candidates` keeps its text."""
    from dashboards.queries.registry_board import withdrawal_candidates

    frame = withdrawal_candidates(Principal("copil", COPIL), 2025, lang)
    messages = [f["message"] for found in frame["findings"] for f in found]
    assert messages and not any("statistics_incomplete" in m for m in messages)
    assert any(t("app.rule.statistics_incomplete", lang) in m for m in messages)
