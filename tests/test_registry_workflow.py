"""The labelling procedure (art. 7-10) through the real CLI: every step from every status."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest

from cli import main
from epn.errors import StepRefused
from epn.principal import COORDINATOR, Principal
from epn.standard import AUTHORITY_TYPES
from registry import service
from registry.eligibility import ELIGIBLE_AUTHORITIES, ELIGIBLE_CODES
from registry.withdrawal import withdrawal_candidates
from registry.workflow import STATUSES
from services.registry_steps import perform
from tests.conftest import stats_file, week_rows
from warehouse.db import connect

EPN = "EPN-0100"
APPLY = [
    "registry",
    "apply",
    "--epn-id",
    EPN,
    "--name",
    "EPN Maison de quartier Helmet",
    "--commune-nis",
    21015,
    "--authority-name",
    "Commune de Schaerbeek",
    "--authority-type",
    "commune",
    "--received-on",
    "2025-01-06",
    "--channel",
    "post",
]


def step_args(step: str, document) -> list:
    """The CLI arguments of ``step`` on the EPN, dated 2025-03-03."""
    if step == "apply":
        return APPLY
    extra = {
        "recommend": ["--favourable", "--on", "2025-03-03"],
        "attach": ["--document", f"evidence={document}", "--received-on", "2025-03-03"],
        "withdraw": ["--on", "2025-03-03", "--reason", "authority_request"],
    }.get(step, ["--on", "2025-03-03"])
    return ["registry", step, EPN, *extra]


STEPS = ("apply", "recommend", "visit", "attach", "ratify", "reject", "sign", "withdraw")
# The steps that take an EPN from nothing to each status.
PATHS = {
    None: [],
    "applied": ["apply"],
    "recommended": ["apply", "recommend"],
    "ratified": ["apply", "recommend", "ratify"],
    "rejected": ["apply", "recommend", "reject"],
    "labelled": ["apply", "recommend", "ratify", "sign"],
    "withdrawn": ["apply", "recommend", "ratify", "sign", "withdraw"],
}
# Status after the step, or the refusal's code (step_...). Columns in the order of STEPS.
# fmt: off
GRID = {
    None: ("applied",) + ("unknown_epn",) * 7,
    "applied": ("already_registered", "recommended", "applied", "applied",
                "needs_recommend", "needs_recommend", "needs_ratify", "needs_sign"),
    "recommended": ("already_registered", "already_done", "recommended", "recommended",
                    "ratified", "rejected", "needs_ratify", "needs_sign"),
    "ratified": ("already_registered", "already_done", "ratified", "ratified",
                 "already_done", "already_done", "labelled", "needs_sign"),
    "rejected": ("after_rejected",) * 8,
    "labelled": ("already_registered", "already_done", "labelled", "labelled",
                 "already_done", "already_done", "already_done", "withdrawn"),
    "withdrawn": ("after_withdrawn",) * 8,
}
# fmt: on
# What a refusal's message must name: the step that comes first (or the EPN).
NAMED = {
    "unknown_epn": "epn registry apply",
    "after_rejected": "epn registry apply",
    "after_withdrawn": "epn registry apply",
    "needs_recommend": "epn registry recommend",
    "needs_ratify": "epn registry ratify",
    "needs_sign": "epn registry sign",
    "already_registered": EPN,
    "already_done": EPN,
}
CASES = [(status, step, GRID[status][i]) for status in PATHS for i, step in enumerate(STEPS)]


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory):
    """One warehouse per status, reached through the real CLI; each test works on a copy."""
    root = tmp_path_factory.mktemp("statuses")
    document = root / "evidence.pdf"
    document.write_bytes(b"%PDF-1.4 evidence")
    built = {}
    for status, path in PATHS.items():
        db = root / f"{status}.duckdb"
        for step in path:
            assert main([*map(str, step_args(step, document)), "--db", str(db)]) == 0
        if not path:
            assert main(["registry", "list", "--json", "--db", str(db)]) == 0
        built[status] = db
    return built, document


def counts(db) -> tuple[int, int]:
    with connect(db) as con:
        return tuple(
            con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("registry_event", "registry_document")
        )


def last_audit(db) -> tuple:
    with connect(db) as con:
        return con.execute(
            "SELECT username, action, target, outcome, detail FROM audit_log"
            " ORDER BY audit_id DESC LIMIT 1"
        ).fetchone()


def status_of(cli, epn_id: str = EPN):
    code, out, _ = cli("registry", "show", epn_id, "--json")
    return json.loads(out)["status"] if code == 0 else None


@pytest.mark.parametrize(("status", "step", "expected"), CASES)
def test_every_step_from_every_status(cli, db, warehouses, status, step, expected):
    built, document = warehouses
    shutil.copy(built[status], db)
    before = counts(db)
    code, out, err = cli(*step_args(step, document))
    if expected in STATUSES:
        assert (code, err) == (0, "")
        assert status_of(cli) == expected
        assert last_audit(db)[1:4] == ("registry_step", EPN, "ok")
        return
    assert code == 1 and out == "", err
    assert NAMED[expected] in err and "Traceback" not in err
    assert counts(db) == before  # nothing written
    username, action, target, outcome, detail = last_audit(db)
    assert (username, action, target, outcome) == ("system", "registry_step", EPN, "refused")
    assert json.loads(detail) == {"step": step, "code": f"step_{expected}"}


def test_grid_covers_every_status_and_step():
    assert set(GRID) == set(PATHS) == {None, *STATUSES}
    assert all(len(row) == len(STEPS) for row in GRID.values())


def test_full_path_with_history(cli, tmp_path):
    document = tmp_path / "decision.pdf"
    document.write_bytes(b"%PDF-1.4 decision")
    steps = [
        APPLY + ["--document", f"decision={document}", "--note", "Dossier complet"],
        ["registry", "recommend", EPN, "--favourable", "--on", "2025-02-04", "--note", "Avis"],
        ["registry", "visit", EPN, "--on", "2025-02-20", "--note", "Visite"],
        ["registry", "ratify", EPN, "--on", "2025-03-18"],
        ["registry", "sign", EPN, "--on", "2025-04-07"],
    ]
    statuses = []
    for args in steps:
        code, out, err = cli(*args, "--json")
        assert code == 0, err
        statuses.append(json.loads(out)["status"])
    assert statuses == ["applied", "recommended", "recommended", "ratified", "labelled"]
    code, out, _ = cli("registry", "show", EPN, "--json")
    shown = json.loads(out)
    assert code == 0
    assert (shown["status"], shown["labelled_on"], shown["received_on"]) == (
        "labelled",
        "2025-04-07",
        "2025-01-06",
    )
    history = shown["history"]
    assert [(e["event"], e["occurred_on"]) for e in history] == [
        ("applied", "2025-01-06"),
        ("recommended", "2025-02-04"),
        ("visited", "2025-02-20"),
        ("ratified", "2025-03-18"),
        ("signed", "2025-04-07"),
    ]
    assert [e["status_after"] for e in history] == [
        "applied",
        "recommended",
        None,
        "ratified",
        "labelled",
    ]
    assert history[0]["data"]["channel"] == "post"
    assert history[0]["data"]["documents"][0]["kind"] == "decision"
    assert history[1]["data"] == {"favourable": True}
    assert {e["recorded_by"] for e in history} == {"system"}
    assert [d["kind"] for d in shown["documents"]] == ["decision"]
    code, out, _ = cli("registry", "show", EPN)
    assert code == 0 and "Visite" in out


def labelled_epn(cli):
    for args in (
        APPLY,
        ["registry", "recommend", EPN, "--favourable", "--on", "2024-01-08"],
        ["registry", "ratify", EPN, "--on", "2024-01-09"],
        ["registry", "sign", EPN, "--on", "2024-01-10"],
    ):
        assert cli(*args)[0] == 0


@pytest.mark.parametrize("reason", ["authority_request", "serious_breach", "repeated_breach"])
def test_withdrawal_for_each_reason(cli, reason):
    labelled_epn(cli)
    code, out, err = cli(
        "registry",
        "withdraw",
        EPN,
        "--on",
        "2025-06-30",
        "--reason",
        reason,
        "--note",
        "COPIL du 24 juin",
        "--json",
    )
    assert code == 0, err
    shown = json.loads(out)
    assert (shown["status"], shown["withdrawn_on"]) == ("withdrawn", "2025-06-30")
    event = shown["history"][-1]
    assert (event["event"], event["note"]) == ("withdrawn", "COPIL du 24 juin")
    assert event["data"] == {"reason": reason, "findings": [], "finding_year": None}


def test_bad_reason_is_bad_usage(cli):
    labelled_epn(cli)
    code, _, err = cli("registry", "withdraw", EPN, "--on", "2025-06-30", "--reason", "whim")
    assert code == 2 and "Traceback" not in err
    assert status_of(cli) == "labelled"


def test_compliance_stops_counting_weeks_after_the_withdrawal(cli, registry, tmp_path):
    # The first half of 2024 is complete; after 8 July the EPN sends nothing more.
    rows = [r for r in week_rows("EPN-0001", 2024) if r[1] < "2024-07-08"]
    assert cli("ingest", stats_file(tmp_path, "stats.csv", rows))[0] == 0

    def missing_weeks() -> list[str]:
        code, out, err = cli("compliance", "--year", 2024, "--as-of", "2025-01-15", "--json")
        assert code == 0, err
        found = [f for f in json.loads(out) if f["epn_id"] == "EPN-0001"]
        return [
            w
            for f in found
            if f["code"] == "statistics_incomplete"
            for w in f["evidence"]["missing_weeks"]
        ]

    assert missing_weeks()[0] == "2024-07-08"  # labelled all year: the gap is a breach
    code, _, err = cli(
        "registry", "withdraw", "EPN-0001", "--on", "2024-07-10", "--reason", "authority_request"
    )
    assert code == 0, err
    assert missing_weeks() == []


def test_low_hours_after_the_withdrawal_are_not_breaches(cli, registry, tmp_path):
    rows = [
        [*r[:4], *((5, 5) if r[1] >= "2024-09-02" else r[4:6]), *r[6:]]
        for r in week_rows("EPN-0001", 2024)
    ]
    assert cli("ingest", stats_file(tmp_path, "stats.csv", rows))[0] == 0

    def codes() -> set[str]:
        code, out, _ = cli("compliance", "--year", 2024, "--as-of", "2025-01-15", "--json")
        return {f["code"] for f in json.loads(out) if f["epn_id"] == "EPN-0001"}

    assert "opening_hours_min" in codes()
    code, _, err = cli(
        "registry", "withdraw", "EPN-0001", "--on", "2024-09-02", "--reason", "serious_breach"
    )
    assert code == 0, err
    assert "opening_hours_min" not in codes()


def test_repeated_breaches_make_candidates_and_motivate_the_withdrawal(cli, registry):
    # EPN-0001, labelled since 2020, sent no report nor statistics for 2023 and 2024.
    code, out, err = cli(
        "registry", "candidates", "--year", 2024, "--as-of", "2025-06-01", "--json"
    )
    assert code == 0, err
    candidates = json.loads(out)
    assert [c["epn_id"] for c in candidates] == ["EPN-0001"]  # EPN-0002: labelled in 2024
    assert candidates[0]["repeated_codes"] == ["report_missing", "statistics_incomplete"]
    assert {f["code"] for f in candidates[0]["findings"]} == {"repeated_breach"}
    code, out, _ = cli("registry", "candidates", "--year", 2024, "--as-of", "2025-06-01")
    assert code == 0 and "EPN-0001" in out

    code, out, err = cli(
        "registry",
        "withdraw",
        "EPN-0001",
        "--on",
        "2025-06-01",
        "--reason",
        "repeated_breach",
        "--finding-year",
        2024,
        "--json",
    )
    assert code == 0, err
    data = json.loads(out)["history"][-1]["data"]
    assert data["finding_year"] == 2024
    codes = {f["code"] for f in data["findings"]}
    assert {"repeated_breach", "report_missing", "statistics_incomplete"} <= codes
    assert all(f["year"] == 2024 and f["message"] for f in data["findings"])
    with connect(registry) as con:
        assert withdrawal_candidates(con, 2024, dt.date(2025, 6, 1)) == []


def test_withdrawal_without_breaches_warns(cli, registry):
    # EPN-0002 was labelled in July 2024: 2023 has no finding to cite.
    args = ["EPN-0002", "--on", "2024-08-01", "--reason", "serious_breach", "--lang", "en"]
    code, out, err = cli("registry", "withdraw", *args, "--finding-year", 2023, "--json")
    assert code == 0 and "No breach of 2023" in err
    assert json.loads(out)["history"][-1]["data"]["findings"] == []


def test_every_authority_type_of_the_standard_is_eligible(cli):
    assert set(ELIGIBLE_CODES) == set(AUTHORITY_TYPES)
    assert all(a.article.startswith("art. 4") for a in ELIGIBLE_AUTHORITIES)
    for number, code in enumerate(AUTHORITY_TYPES, start=1):
        args = [
            "registry",
            "apply",
            "--epn-id",
            f"EPN-09{number:02d}",
            "--name",
            f"Espace {code}",
            "--commune-nis",
            21001,
            "--authority-name",
            code,
            "--authority-type",
            code,
        ]
        assert cli(*args)[0] == 0
    assert cli("registry", "apply", *APPLY[2:-4], "--authority-type", "bank")[0] == 2


def test_perform_refuses_an_ineligible_authority_and_audits_it(db):
    identity = {
        "epn_id": "EPN-0200",
        "name": "Banque",
        "commune_nis": 21001,
        "authority_name": "Banque SA",
        "authority_type": "bank",
    }
    with pytest.raises(StepRefused) as refused:
        perform(
            Principal("alice", COORDINATOR),
            "apply",
            "EPN-0200",
            lambda con: service.apply(con, identity, dt.date(2025, 1, 6), user="alice"),
            db,
        )
    assert refused.value.code == "authority_not_eligible"
    assert counts(db) == (0, 0)
    username, _, target, outcome, detail = last_audit(db)
    assert (username, target, outcome) == ("alice", "EPN-0200", "refused")
    assert json.loads(detail) == {"step": "apply", "code": "authority_not_eligible"}


def test_perform_records_a_step_done_with_its_event(db):
    identity = {
        "epn_id": "EPN-0200",
        "name": "EPN Evere",
        "commune_nis": 21006,
        "authority_name": "Commune d'Evere",
        "authority_type": "commune",
    }
    event_id = perform(
        Principal("coord", COORDINATOR),
        "apply",
        "EPN-0200",
        lambda con: service.apply(con, identity, dt.date(2025, 1, 6)),
        db,
    )
    username, action, target, outcome, detail = last_audit(db)
    assert (username, action, target, outcome) == ("coord", "registry_step", "EPN-0200", "ok")
    assert json.loads(detail) == {"step": "apply", "event_id": event_id}
