"""The Charte page through AppTest on a real warehouse: the coordinator proposes a version,
the COPIL adopts it, both see the versions; a refused proposal says what to do."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest
from test_app_fixtures import build_warehouse, open_page_as, private_copy

from warehouse.db import connect

PAGE = "views/charter.py"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    return build_warehouse(tmp_path_factory.mktemp("charter") / "epn.duckdb")


@pytest.fixture
def db(warehouse, tmp_path, monkeypatch):
    yield from private_copy(warehouse, tmp_path, monkeypatch)


def open_as(username: str, lang: str = "fr") -> AppTest:
    return open_page_as(PAGE, username, lang)


def text_of(at: AppTest) -> str:
    parts = [e.value for kind in ("markdown", "caption", "info", "success", "warning", "error")
             for e in getattr(at, kind)]  # fmt: skip
    parts += [frame.value.to_string() for frame in at.dataframe]
    return "\n".join(str(p) for p in parts)


def versions(db) -> list[tuple]:
    with connect(db) as con:
        return con.execute(
            "SELECT v.version_id, v.min_public_hours, a.adopted_by FROM charter_version v"
            " LEFT JOIN charter_adoption a USING (version_id) ORDER BY v.version_id"
        ).fetchall()


def test_the_coordinator_proposes_and_the_copil_adopts(db):
    at = open_as("coord")
    assert not at.exception
    assert "Charte 2019" in text_of(at) and "En vigueur en" in text_of(at)
    at.text_input(key="charter_name").input("Charte 2027")
    at.number_input(key="charter_year").set_value(2027)
    at.number_input(key="charter_public").set_value(12.0)
    at.text_area(key="charter_note").input("Horaires réduits")
    at.button[0].click().run()  # the form's submit button
    assert not at.exception
    assert "Version 2 proposée" in text_of(at)
    assert versions(db) == [(1, 15.0, "system"), (2, 12.0, None)]

    at = open_as("copil", "nl")
    assert not at.exception
    assert "voorgesteld" in text_of(at)
    at.button(key="charter_adopt").click().run()
    assert "Versie 2 « Charte 2027 » aannemen?" in text_of(at)
    at.button(key="charter_adopt_yes").click().run()
    assert not at.exception
    assert "aangenomen: ze beoordeelt de jaren vanaf 2027" in text_of(at)
    assert versions(db) == [(1, 15.0, "system"), (2, 12.0, "copil")]
    with connect(db) as con:
        actions = con.execute(
            "SELECT username, action, outcome FROM audit_log WHERE action LIKE 'charter_%'"
            " ORDER BY audit_id"
        ).fetchall()
    assert actions == [("coord", "charter_propose", "ok"), ("copil", "charter_adopt", "ok")]


def test_a_refused_proposal_says_what_to_do_and_writes_nothing(db):
    at = open_as("coord", "en")
    at.text_input(key="charter_name").input("   ")
    at.button[0].click().run()
    assert not at.exception
    assert "Give the new version of the charter a name" in "\n".join(e.value for e in at.error)
    assert versions(db) == [(1, 15.0, "system")]
    with connect(db) as con:
        (detail,) = con.execute(
            "SELECT detail FROM audit_log WHERE action = 'charter_propose'"
        ).fetchone()
    assert json.loads(detail)["code"] == "charter.name_missing"


def test_the_copil_sees_the_versions_but_no_proposal_form(db):
    at = open_as("copil")
    assert not at.exception
    assert "Charte 2019" in text_of(at)
    assert "Aucune version n'attend d'adoption" in text_of(at)
    assert not [t for t in at.text_input if t.key == "charter_name"]
