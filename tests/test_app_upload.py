"""The upload handler behind the upload page, called directly: rights and failures."""

from __future__ import annotations

import datetime as dt

import pytest
from test_app_fixtures import (
    build_warehouse,
    copy_warehouse,
    csv_bytes,
    statistics_files,
    weekly_lines,
)

from dashboards import queries, upload_handler
from epn.principal import COORDINATOR, COPIL, EPN_USER, REGION, Principal
from tests.conftest import use_warehouse

COORD = Principal("coord", COORDINATOR)
EPN_1 = Principal("anderlecht", EPN_USER, "EPN-0001")
DAY = dt.date(2025, 2, 3)


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return build_warehouse(tmp_path_factory.mktemp("wh") / "epn.duckdb")


@pytest.fixture(autouse=True)
def warehouse(template, tmp_path, monkeypatch):
    yield from use_warehouse(copy_warehouse(template, tmp_path / "epn.duckdb"), monkeypatch)


def upload(principal, name, data, dry_run=False, lang="fr"):
    return upload_handler.handle_upload(principal, name, data, DAY, dry_run, lang)


def test_an_epn_user_files_its_own_statistics():
    data = csv_bytes(weekly_lines("EPN-0001", 2025, visits=7)[:3])
    outcome = upload(EPN_1, "mine.csv", data)
    assert outcome.status == "accepted" and outcome.epn_ids == ["EPN-0001"]
    assert outcome.weeks == {
        "weeks": 3,
        "first_week": dt.date(2024, 12, 30),
        "last_week": dt.date(2025, 1, 13),
    }
    assert queries.upload_history(EPN_1)["uploaded_by"].iloc[0] == "anderlecht"


def test_an_epn_user_cannot_file_another_epns_rows():
    before = len(queries.upload_history(COORD))
    outcome = upload(EPN_1, "theirs.csv", statistics_files()["stats-0002-0003.csv"], lang="en")
    assert outcome.status == "failed"
    assert "EPN-0002, EPN-0003" in outcome.failure and "only files its own" in outcome.failure
    assert len(queries.upload_history(COORD)) == before


@pytest.mark.parametrize("role", [COPIL, REGION])
def test_reading_roles_cannot_upload(role):
    outcome = upload(Principal("reader", role), "x.csv", statistics_files()["stats-0001.csv"])
    assert outcome.status == "failed" and "ne permet pas de déposer" in outcome.failure


def test_a_duplicate_is_reported_with_the_weeks_it_brought():
    outcome = upload(COORD, "again.csv", statistics_files()["stats-0001.csv"])
    assert outcome.status == "duplicate" and outcome.weeks["weeks"] == 52


def test_a_check_only_upload_reports_findings_and_stores_nothing():
    data = csv_bytes(weekly_lines("EPN-0002", 2024, visits=40, short_weeks=5))
    before = len(queries.upload_history(COORD))
    outcome = upload(COORD, "check.csv", data, dry_run=True)
    assert outcome.status == "accepted" and outcome.dry_run
    assert "opening_hours_min" in set(outcome.findings["code"])
    assert len(queries.upload_history(COORD)) == before


def test_an_unexpected_error_becomes_the_catalogue_message(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("services.uploads.ingest_uploads", broken)
    outcome = upload(COORD, "x.csv", b"epn_id\n", lang="en")
    assert outcome.status == "failed"
    assert outcome.failure.startswith("Unexpected error: RuntimeError: disk on fire.")
