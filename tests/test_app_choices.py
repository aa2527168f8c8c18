"""A choice survives a language switch: selectors hold codes and name them in the language of
the page (the browser holds a choice by its label, which the new language does not offer)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboards.audit_details import detail_text
from epn.i18n import t
from tests.conftest import use_warehouse

APP = Path(__file__).resolve().parents[1] / "dashboards" / "app.py"


@pytest.fixture(scope="module")
def demo_copy(demo_warehouse, tmp_path_factory):
    folder = tmp_path_factory.mktemp("choices")
    shutil.copyfile(demo_warehouse["db"], folder / "demo.duckdb")
    return folder / "demo.duckdb"


def on_page(demo_warehouse, role: str, page: str) -> AppTest:
    account = next(a for a in demo_warehouse["accounts"] if a["role"] == role)
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["lang"] = "fr"
    at.run()
    at.text_input(key="login_username").input(account["username"])
    at.text_input(key="login_password").input(account["password"])
    at.button(key="login_submit").click().run()
    return at.switch_page(f"views/{page}").run()


def switch_to(at: AppTest, lang: str) -> AppTest:
    at.radio(key="lang").set_value(lang).run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_region_measure_is_kept_under_its_new_name(
    demo_copy, demo_warehouse, monkeypatch, lang
):
    next(use_warehouse(demo_copy, monkeypatch))
    at = on_page(demo_warehouse, "region", "region.py")
    at.selectbox(key="region_measure").set_value("visits").run()
    switch_to(at, lang)
    picker = at.selectbox(key="region_measure")
    assert picker.value == "visits"
    assert picker.options[picker.index] == t("app.region.measure.visits", lang)
    # the browser is told the new label: left alone, it would keep showing the French one
    assert picker.proto.set_value and picker.proto.raw_value == picker.options[picker.index]
    switch_to(at, "fr")  # and back
    assert at.selectbox(key="region_measure").value == "visits"


def test_the_account_picked_and_the_rules_filtered_are_kept(demo_copy, demo_warehouse, monkeypatch):
    next(use_warehouse(demo_copy, monkeypatch))
    at = on_page(demo_warehouse, "admin", "accounts.py")
    at.selectbox(key="acc_pick").set_value("copil").run()
    switch_to(at, "nl")
    assert at.selectbox(key="acc_pick").value == "copil"
    assert at.selectbox(key="acc_pick").proto.raw_value == f"copil — {t('app.role.copil', 'nl')}"
    assert f"copil — {t('app.role.copil', 'nl')}" in at.selectbox(key="acc_pick").options

    at = on_page(demo_warehouse, "coordinator", "findings.py")
    at.multiselect(key="f_rule").set_value(["opening_hours_min", "signage"]).run()
    switch_to(at, "en")
    assert at.multiselect(key="f_rule").value == ["opening_hours_min", "signage"]


def test_audit_details_are_labelled_in_the_readers_language():
    stored = (
        '{"step": "ratify", "event_id": 57, "received_on": "2023-04-18",'
        ' "epn_ids": ["EPN-0024"], "kind": "statistics", "code": "step_needs_ratify"}'
    )
    french = detail_text(stored, "fr")
    assert french.startswith("Étape : ratification · Événement n° : 57 · Reçu le : 18/04/2023")
    assert t("app.kind.statistics", "fr") in french
    assert "{" not in french and "epn registry" not in french and "ratify" not in french
    english = detail_text(stored, "en")
    assert english.startswith("Step: ratification · Event no.: 57 · Received on: 18/04/2023")
    assert detail_text('{"new_key_later": true}', "nl") == "new key later: ja"
    assert detail_text(None, "fr") == ""
    # a note shaped like a date but none is the user's own text (it stopped the audit page)
    assert detail_text('{"note": "2024-13-45"}', "fr").endswith("2024-13-45")
