"""The coordinator's reminders page through AppTest: the preview, the sending through a real
SMTP server on 127.0.0.1, the outbox."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from test_app_fixtures import build_warehouse, copy_warehouse, log_in
from test_reminders import Mailbox, _free_port

from epn.principal import COPIL, EPN_USER, REGION, Principal
from epn.settings import get_settings
from services import reminders
from services.access import AccessDenied
from warehouse.db import connect, transaction

APP = Path(__file__).resolve().parents[1] / "dashboards" / "app.py"
PAGE = "views/reminders.py"


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    return build_warehouse(tmp_path_factory.mktemp("wh") / "epn.duckdb")


@pytest.fixture
def smtp(monkeypatch):
    from aiosmtpd.controller import Controller

    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    monkeypatch.setenv("EPN_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("EPN_SMTP_PORT", str(controller.port))
    yield mailbox
    controller.stop()


def open_reminders(path: Path, monkeypatch, lang: str = "fr") -> AppTest:
    monkeypatch.setenv("EPN_DB", str(path))
    get_settings.cache_clear()
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = lang
    return log_in(at, "coord").switch_page(PAGE).run()


def cells(table) -> str:
    """A static table's text as the reader sees it (the app escapes Markdown)."""
    rows = table.value.astype(str).agg(" | ".join, axis=1)
    return "\n".join(rows).replace("\\", "").replace("\u200b", "")


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_the_page_previews_what_each_epn_owes(filled, monkeypatch, lang):
    at = open_reminders(filled, monkeypatch, lang)
    assert not at.exception
    assert at.title[0].value == {"fr": "Rappels aux EPN", "nl": "Herinneringen aan de EPN's"}.get(
        lang, "Reminders to EPNs"
    )
    shown = cells(at.table[0])
    assert all(epn_id in shown for epn_id in ("EPN-0001", "EPN-0002", "EPN-0003"))
    # nobody has an address in this registry: nothing to send, and the table says so
    assert at.button(key="reminders_send").disabled
    assert {"fr": "pas d'adresse", "nl": "geen adres", "en": "no address"}[lang] in shown
    assert "no_contact" not in shown and "None" not in shown
    get_settings.cache_clear()


def test_the_coordinator_sends_them_from_the_page(filled, tmp_path, monkeypatch, smtp):
    path = copy_warehouse(filled, tmp_path / "epn.duckdb")
    with connect(path) as con, transaction(con):
        con.execute(
            "UPDATE registry_event SET data = json_merge_patch(data,"
            ' \'{"contact_email": "anderlecht@example.be", "language": "nl"}\')'
            " WHERE epn_id = 'EPN-0001' AND data ->> 'name' IS NOT NULL"
        )
    at = open_reminders(path, monkeypatch)
    at.button(key="reminders_send").click().run()
    assert not at.exception
    assert [m["To"] for m in smtp.messages] == ["anderlecht@example.be"]
    assert "Espace numérique d'Anderlecht: wat het Gewest" in smtp.messages[0]["Subject"]
    assert at.success[0].value == "1 rappel(s) envoyé(s)."
    outbox = cells(at.table[-1])
    assert "anderlecht@example.be" in outbox and "envoyé" in outbox
    # sent today: the same reminder is not offered again
    assert at.button(key="reminders_send").disabled
    get_settings.cache_clear()


def test_only_the_coordinator_previews_or_sends(filled, monkeypatch):
    monkeypatch.setenv("EPN_DB", str(filled))
    get_settings.cache_clear()
    for role in (EPN_USER, COPIL, REGION):
        someone = Principal("someone", role, "EPN-0001" if role == EPN_USER else None)
        with pytest.raises(AccessDenied):
            reminders.preview(someone, dt.date.today())
        with pytest.raises(AccessDenied):
            reminders.send(someone, dt.date.today())
    get_settings.cache_clear()
