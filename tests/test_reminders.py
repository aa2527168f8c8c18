"""``epn reminders``: what each labelled EPN owes, e-mailed in its language through a real
SMTP server (aiosmtpd on 127.0.0.1), once, with every message recorded in the outbox."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from email import message_from_bytes, policy
from pathlib import Path

import duckdb
import pytest
from aiosmtpd.controller import Controller

from tests.conftest import csv_bytes

AS_OF = "2026-03-10"  # the 2025 report is due on 31/03/2026, within 30 days
REFUSED = "refused@example.be"
REGISTRY = csv_bytes(
    ["epn_id", "name", "commune_nis", "authority_name", "authority_type", "labelled_on"]
    + ["contact_email", "language"],
    [
        ["EPN-0001", "EPN Forest", 21007, "CPAS de Forest", "cpas", "2025-01-06"]
        + ["forest@example.be", "fr"],
        ["EPN-0002", "Digipunt Jette", 21010, "Gemeente Jette", "commune", "2025-01-06"]
        + ["jette@example.be", "nl"],
        ["EPN-0003", "EPN Evere", 21006, "Commune d'Evere", "commune", "2025-01-06", "", ""],
    ],
)


class Mailbox:
    """An SMTP handler that keeps what it receives and refuses one address."""

    def __init__(self) -> None:
        self.messages = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == REFUSED:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted"


@pytest.fixture
def smtp():
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, mailbox
    controller.stop()


@pytest.fixture
def warehouse(tmp_path) -> Path:
    db = tmp_path / "epn.duckdb"
    registry = tmp_path / "registry.csv"
    registry.write_bytes(REGISTRY)
    assert epn("registry", "import", registry, db=db).returncode == 0
    return db


def epn(*args, db: Path, port: int | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EPN_")}
    env.update(EPN_DB=str(db), EPN_SMTP_HOST="127.0.0.1", EPN_SMTP_TIMEOUT_SECONDS="5")
    env["EPN_SMTP_PORT"] = str(port or _free_port())
    return subprocess.run(
        [sys.executable, "-m", "cli", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def outbox(db: Path) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "SELECT epn_id, recipient, language, outcome FROM reminder_outbox ORDER BY message_id"
        ).fetchall()


def test_each_epn_is_reminded_once_in_its_language(warehouse, smtp):
    controller, mailbox = smtp
    sent = epn("reminders", "--as-of", AS_OF, "--send", db=warehouse, port=controller.port)
    assert sent.returncode == 0, sent.stderr
    by_recipient = {m["To"]: m for m in mailbox.messages}
    assert set(by_recipient) == {"forest@example.be", "jette@example.be"}
    forest, jette = by_recipient["forest@example.be"], by_recipient["jette@example.be"]
    assert forest["Subject"] == "EPN Forest : ce que la Région attend de vous"
    assert jette["Subject"] == "Digipunt Jette: wat het Gewest van u verwacht"
    forest_body = forest.get_content()
    assert "le rapport annuel 2025, attendu au plus tard le 31/03/2026" in forest_body
    assert "les statistiques de 10 semaine(s), à partir de la semaine du 29/12/2025" in forest_body
    assert "het jaarverslag 2025, uiterlijk verwacht op 31/03/2026" in jette.get_content()
    # the EPN without an address is said, not silently skipped
    assert "EPN-0003 n'a pas d'adresse e-mail de contact" in sent.stderr
    assert outbox(warehouse) == [
        ("EPN-0001", "forest@example.be", "fr", "sent"),
        ("EPN-0002", "jette@example.be", "nl", "sent"),
        ("EPN-0003", None, "fr", "no_contact"),
    ]

    again = epn("reminders", "--as-of", "2026-03-12", "--send", db=warehouse, port=controller.port)
    assert again.returncode == 0, again.stderr
    assert len(mailbox.messages) == 2  # not twice within 7 days
    assert "déjà envoyé il y a moins de 7 jours" in again.stdout
    assert "2 déjà envoyé(s) cette semaine" in again.stdout

    week_later = ("reminders", "--as-of", "2026-03-17", "--send")
    assert epn(*week_later, db=warehouse, port=controller.port).returncode == 0
    assert len(mailbox.messages) == 4  # a week on, what is still owed is asked again


def test_the_preview_lists_what_is_owed_and_writes_nothing(warehouse):
    shown = epn("reminders", "--as-of", AS_OF, "--json", db=warehouse)
    assert shown.returncode == 0, shown.stderr
    found = {r["epn_id"]: r for r in json.loads(shown.stdout)}
    assert found["EPN-0001"]["report_due"] == {"year": 2025, "deadline": "2026-03-31"}
    assert found["EPN-0001"]["missing_weeks"][0] == "2025-12-29"
    assert found["EPN-0003"]["outcome"] == "no_contact"
    assert {r["outcome"] for r in found.values()} == {"preview", "no_contact"}
    assert outbox(warehouse) == []
    after = epn("reminders", "--as-of", "2026-05-04", "--lang", "en", db=warehouse)
    assert "2025 report overdue (due 31/03/2026)" in after.stdout


def test_an_unreachable_server_is_said_and_recorded_nothing_else_changes(warehouse):
    before = _facts(warehouse)
    failed = epn("reminders", "--as-of", AS_OF, "--send", db=warehouse)  # nobody listens
    assert failed.returncode == 1
    assert "Le serveur d'e-mail 127.0.0.1:" in failed.stderr and "ne répond pas" in failed.stderr
    assert "Traceback" not in failed.stderr
    assert [row[3] for row in outbox(warehouse)] == ["failed", "failed", "no_contact"]
    assert _facts(warehouse) == before


def test_a_refused_recipient_is_named(tmp_path, smtp):
    controller, mailbox = smtp
    registry = tmp_path / "registry.csv"
    registry.write_bytes(REGISTRY.replace(b"jette@example.be", REFUSED.encode()))
    db = tmp_path / "epn.duckdb"
    assert epn("registry", "import", registry, db=db).returncode == 0
    sent = epn("reminders", "--as-of", AS_OF, "--send", db=db, port=controller.port)
    assert sent.returncode == 1
    assert f"refusé l'adresse {REFUSED}" in sent.stderr
    assert [m["To"] for m in mailbox.messages] == ["forest@example.be"]
    assert [row[3] for row in outbox(db)] == ["sent", "failed", "no_contact"]


def test_a_bad_language_in_the_registry_file_is_refused(tmp_path):
    registry = tmp_path / "registry.csv"
    registry.write_bytes(REGISTRY.replace(b",nl\n", b",de\n"))
    refused = epn("registry", "import", registry, db=tmp_path / "epn.duckdb")
    assert refused.returncode == 1
    assert "de" in refused.stderr + refused.stdout


def _facts(db: Path) -> tuple:
    with duckdb.connect(str(db), read_only=True) as con:
        return tuple(
            con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("registry_event", "upload", "cur_weekly", "app_user")
        )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
