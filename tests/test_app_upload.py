"""The upload handler behind the upload page, called directly: rights and failures."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest
from test_app_fixtures import (
    csv_bytes,
    log_in,
    open_page_as,
    statistics_files,
    weekly_lines,
)

from dashboards import queries, upload_handler
from epn.principal import COORDINATOR, COPIL, EPN_USER, REGION, Principal

COORD = Principal("coord", COORDINATOR)
EPN_1 = Principal("anderlecht", EPN_USER, "EPN-0001")
DAY = dt.date(2025, 2, 3)
APP = Path(__file__).resolve().parents[1] / "dashboards" / "app.py"


pytestmark = pytest.mark.usefixtures("warehouse")  # each test on its own copy


def upload(principal, name, data, dry_run=False, lang="fr"):
    return upload_handler.handle_upload(principal, name, data, dry_run, lang)


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


# --- receipts: the server's date, or the coordinator's record of an earlier one ------------


def last_upload(warehouse) -> tuple:
    with duckdb.connect(str(warehouse)) as con:
        received_on = con.execute(
            "SELECT received_on FROM upload ORDER BY upload_id DESC LIMIT 1"
        ).fetchone()[0]
        detail = con.execute(
            "SELECT detail FROM audit_log WHERE action = 'upload' ORDER BY audit_id DESC LIMIT 1"
        ).fetchone()[0]
    return received_on, json.loads(detail)


def test_a_file_at_the_products_cap_gets_past_the_uploader_to_the_guard():
    """The uploader's browser side counts megabytes of 10**6 bytes: at 20 it refused files of
    20,000,001 to 20 MiB in English, before the guard could answer in the user's words."""
    import tomllib

    from epn.settings import get_settings

    cap = get_settings().max_upload_bytes
    at = open_page_as("views/upload.py", "anderlecht")
    (uploader,) = at.get("file_uploader")
    assert uploader.proto.max_upload_size_mb * 1_000_000 >= cap
    config = tomllib.loads((APP.parents[1] / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] * 1024 * 1024 >= cap  # the server counts MiB


def test_an_epn_users_file_is_received_on_the_servers_date(warehouse):
    data = csv_bytes(weekly_lines("EPN-0001", 2025, visits=9)[:2])
    assert upload(EPN_1, "today.csv", data).status == "accepted"
    received_on, detail = last_upload(warehouse)
    assert received_on == dt.date.today() and "receipt" not in detail


def test_an_epn_user_cannot_record_an_earlier_receipt(warehouse):
    before = len(queries.upload_history(COORD))
    data = csv_bytes(weekly_lines("EPN-0001", 2025, visits=9)[:2])
    outcome = upload_handler.handle_upload(
        EPN_1, "late.csv", data, False, "en", receipt=(DAY, "post", "stamped")
    )
    assert outcome.status == "failed" and "Only the regional coordinator" in outcome.failure
    assert len(queries.upload_history(COORD)) == before


def test_the_coordinator_records_a_file_that_came_by_post(warehouse):
    data = csv_bytes(weekly_lines("EPN-0002", 2025, visits=9)[:2])
    receipt = (DAY, "post", "courrier du 03/02, cachet de la poste")
    outcome = upload_handler.handle_upload(COORD, "post.csv", data, False, "fr", receipt=receipt)
    assert outcome.status == "accepted"
    received_on, detail = last_upload(warehouse)
    assert received_on == DAY
    assert detail["receipt"] == {"channel": "post", "note": receipt[2]}


@pytest.mark.parametrize(
    ("receipt", "says"),
    [
        ((DAY, "post", "  "), "needs a note"),
        ((DAY, "pigeon", "note"), "choose one of post, email"),
        ((dt.date.today() + dt.timedelta(days=1), "email", "note"), "cannot be in the future"),
    ],
)
def test_a_bad_earlier_receipt_is_refused_and_writes_nothing(receipt, says):
    before = len(queries.upload_history(COORD))
    data = csv_bytes(weekly_lines("EPN-0002", 2025, visits=9)[:2])
    outcome = upload_handler.handle_upload(COORD, "x.csv", data, False, "en", receipt=receipt)
    assert outcome.status == "failed" and says in outcome.failure
    assert len(queries.upload_history(COORD)) == before


def test_the_command_lines_received_on_is_recorded_as_such(warehouse, tmp_path):
    from cli import main

    path = tmp_path / "cli.csv"
    path.write_bytes(csv_bytes(weekly_lines("EPN-0003", 2025, visits=9)[:2]))
    assert main(["ingest", str(path), "--received-on", "2025-02-03", "--db", str(warehouse)]) == 0
    received_on, detail = last_upload(warehouse)
    assert received_on == DAY
    assert detail["receipt"] == {"channel": "command_line", "note": "--received-on"}


def page(username: str):
    at = log_in(AppTest.from_file(APP, default_timeout=60), username)
    return at.switch_page("views/upload.py").run()


def test_the_upload_page_offers_no_receipt_date_to_an_epn_user():
    at = page("anderlecht")
    assert not at.exception
    assert not at.date_input and not at.toggle
    assert any("Date de réception : aujourd'hui" in c.value for c in at.caption)


def test_the_upload_page_lets_the_coordinator_record_an_earlier_receipt():
    at = page("coord")
    assert not at.date_input
    at = at.toggle(key="upload_earlier").set_value(True).run()
    assert at.date_input(key="upload_received_on").value == dt.date.today()
    assert at.selectbox(key="upload_channel").options == ["courrier postal", "e-mail"]
