"""Migrations that upgrade: a warehouse made at every earlier migration, with data in it,
upgrades to the latest and loses nothing; the runner stops before a named migration; a
warehouse newer than the code is refused untouched, in three languages.

Every test works on a real DuckDB file. A new migration is covered without touching this
file (its tables get a row made from their column types); give them realistic rows in
``SEED`` when that generic row does not fit their constraints.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil

import duckdb
import pytest

from epn.errors import EpnError
from warehouse import migrate as runner
from warehouse.migrate import available_migrations, latest_version, migrate, migration_version

MIGRATIONS = available_migrations()
LATEST = latest_version()
# Tables filled by the migrations themselves (reference data), not by the software.
REFERENCE_TABLES = {"commune"}
BOOKKEEPING = {"schema_migration"}

IDENTITY = {
    "name": "EPN Anderlecht",
    "commune_nis": 21001,
    "address": "Rue Wayez 1",
    "postcode": 1070,
    "authority_name": "Commune d'Anderlecht",
    "authority_type": "commune",
    "workstations": 8,
}

# Realistic rows per table, in an order that satisfies the references (ids come from the
# sequences: the n-th row of a table with an id sequence gets id n).
SEED: dict[str, list[dict]] = {
    "upload": [
        {
            "sha256": "a" * 64,
            "filename": "statistiques_EPN-0001_2024.csv",
            "size_bytes": 2_048,
            "kind": "statistics",
            "received_on": dt.date(2024, 4, 2),
            "uploaded_by": "anderlecht",
            "status": "accepted",
            "epn_ids": ["EPN-0001"],
            "year": 2024,
            "errors": None,
        },
        {
            "sha256": "b" * 64,
            "filename": "rapport_annuel_EPN-0001_2024.xlsx",
            "size_bytes": 48_213,
            "kind": "annual_report",
            "received_on": dt.date(2025, 3, 14),
            "uploaded_by": "anderlecht",
            "status": "accepted",
            "epn_ids": ["EPN-0001"],
            "year": 2024,
            "errors": None,
        },
        {
            "sha256": "c" * 64,
            "filename": "statistiques_faux.csv",
            "size_bytes": 311,
            "kind": None,
            "received_on": dt.date(2024, 4, 3),
            "uploaded_by": "ixelles",
            "status": "rejected",
            "epn_ids": None,
            "year": None,
            "errors": json.dumps([{"row": 3, "column": "visits", "code": "not_a_number"}]),
        },
    ],
    "registry_event": [
        {
            "epn_id": "EPN-0001",
            "event": "imported",
            "status_after": "labelled",
            "occurred_on": dt.date(2020, 1, 15),
            "recorded_by": "coordinateur",
            "note": "Registre historique",
            "data": json.dumps(IDENTITY),
        },
        {
            "epn_id": "EPN-0002",
            "event": "applied",
            "status_after": "applied",
            "occurred_on": dt.date(2024, 9, 1),
            "recorded_by": "coordinateur",
            "note": None,
            "data": json.dumps({**IDENTITY, "name": "EPN Ixelles", "commune_nis": 21009}),
        },
        {
            "epn_id": "EPN-0001",
            "event": "visited",
            "status_after": None,
            "occurred_on": dt.date(2024, 10, 8),
            "recorded_by": "coordinateur",
            "note": "Visite de contrôle : charte affichée",
            "data": None,
        },
    ],
    "hist_weekly": [
        {
            "upload_id": 1,
            "source_row": row,
            "epn_id": "EPN-0001",
            "week_start": dt.date(2024, 1, 1) + dt.timedelta(weeks=row - 2),
            "status": "closed" if row == 4 else "open",
            "closure_reason": "holiday" if row == 4 else None,
            "public_hours": 0.0 if row == 4 else 20.5,
            "facilitated_hours": 0.0 if row == 4 else 6.0,
            "visits": 0 if row == 4 else 40 + row,
            "unique_users": 0 if row == 4 else 25,
            "new_users": 0 if row == 4 else 3,
        }
        for row in range(2, 6)
    ],
    "cur_weekly": [],  # filled from hist_weekly below, as the ingest does
    "hist_report": [
        {
            "upload_id": 2,
            "epn_id": "EPN-0001",
            "year": 2024,
            "submitted_by": "Marie Dupont",
            "contact_email": "epn@anderlecht.brussels",
            "workstations": 8,
            "users_total": 412,
            "nonprofit": True,
            "fees": "free",
            "label_sticker_displayed": True,
            "charter_displayed": True,
        }
    ],
    "hist_staff": [
        {
            "upload_id": 2,
            "source_row": 2,
            "staff_ref": "S1",
            "role": "animateur",
            "qualified": True,
            "qualification": "Bachelier en informatique",
            "weekly_hours": 38.0,
        }
    ],
    "hist_activity": [
        {
            "upload_id": 2,
            "source_row": 2,
            "activity_ref": "A1",
            "title": "Initiation à l'ordinateur",
            "format": "group",
            "kind": "training",
            "domain": "basic_skills",
            "sessions": 12,
            "hours": 24.0,
            "participants": 9,
            "priority_participants": 6,
        }
    ],
    "hist_audience": [
        {"upload_id": 2, "source_row": 2, "dimension": "age", "category": "65+", "users": 120}
    ],
    "hist_cooperation": [
        {
            "upload_id": 2,
            "source_row": 2,
            "partner": "Bibliothèque d'Anderlecht",
            "partner_epn_id": None,
            "action": "Ateliers communs",
            "date": dt.date(2024, 5, 15),
        }
    ],
    "hist_narrative": [
        {"upload_id": 2, "key": "highlights", "value": "Une année de reprise après travaux."}
    ],
    "app_user": [
        {
            "username": "anderlecht",
            "display_name": "EPN Anderlecht",
            "role": "epn_user",
            "epn_id": "EPN-0001",
            "password_hash": "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA",
            "email": "epn@anderlecht.brussels",
        },
        {
            "username": "coordinateur",
            "display_name": "Coordination régionale",
            "role": "coordinator",
            "epn_id": None,
            "password_hash": None,
            "email": "coordination@region.brussels",
        },
    ],
    "app_session": [
        {
            "session_id": "k3v9QmZ2xW8rT1yB",
            "username": "anderlecht",
            "role": "epn_user",
            "epn_id": "EPN-0001",
            "method": "password",
            "token_hash": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            "handoff_hash": None,
            "handoff_expires_at": None,
            "expires_at": dt.datetime(2025, 3, 4, 21, 0),
            "ended_at": dt.datetime(2025, 3, 4, 17, 30),
            "end_reason": "logout",
        }
    ],
    "audit_log": [
        {
            "username": "anderlecht",
            "action": "upload",
            "target": "statistiques_EPN-0001_2024.csv",
            "outcome": "accepted",
            "detail": json.dumps({"upload_id": 1, "rows": 4}),
        },
        {
            "username": "ixelles",
            "action": "access_denied",
            "target": "EPN-0001",
            "outcome": "refused",
            "detail": None,
        },
    ],
    "registry_document": [
        {
            "epn_id": "EPN-0002",
            "event_id": 2,
            "kind": "decision",
            "filename": "decision_college.pdf",
            "sha256": "d" * 64,
            "size_bytes": 9,
            "content": b"%PDF-1.7\n",
            "received_on": dt.date(2024, 9, 1),
            "recorded_by": "coordinateur",
        }
    ],
    "mart_finding": [
        {
            "epn_id": "EPN-0001",
            "year": 2024,
            "code": "public_hours_below_minimum",
            "severity": "warning",
            "evidence": json.dumps({"weeks": 1}),
            "as_of": dt.date(2025, 3, 31),
        }
    ],
    "mart_refresh": [{"name": "finding_mart", "refreshed_on": dt.date(2025, 3, 31)}],
    # a second charter version, proposed by the coordinator and adopted by the COPIL
    "charter_version": [
        {
            "effective_from": dt.date(2026, 1, 1),
            "name": "Charte 2026",
            "min_public_hours": 12.0,
            "min_facilitated_hours": 12.0,
            "hours_tolerance_weeks": 2,
            "report_deadline_month": 4,
            "report_deadline_day": 30,
            "reporting_from": 2019,
            "proposed_by": "coordinateur",
            "note": "Révision de l'article 6",
        }
    ],
    "charter_adoption": [{"version_id": 2, "adopted_by": "copil-presidente"}],  # the one above
    "followup_flag": [
        {
            "epn_id": "EPN-0001",
            "week_start": dt.date(2024, 1, 15),
            "measure": "visits",
            "action": "set",
            "note": "À vérifier avec l'EPN",
            "recorded_by": "coordinateur",
        }
    ],
    "finding_review": [
        {
            "epn_id": "EPN-0001",
            "year": 2025,
            "code": "opening_hours_min",
            "repeated_code": "",
            "status": "justified",
            "reason": "Fermeture pour travaux convenue en janvier",
            "reviewed_by": "coordinateur",
        }
    ],
    "finding_message": [
        {
            "epn_id": "EPN-0001",
            "year": 2025,
            "code": "opening_hours_min",
            "repeated_code": "",
            "author": "anderlecht",
            "author_role": "epn_user",
            "body": "Merci, la salle rouvre en mars.",
        }
    ],
    "indicator_snapshot": [
        {
            "year": 2024,
            "frozen_by": "coordinateur",
            "document": json.dumps({"year": 2024, "region": {"labelled": 1}}),
            "details": None,
        }
    ],
    "mart_outlier_baseline": [
        {
            "base_start": dt.date(2023, 1, 2),
            "base_end": dt.date(2023, 12, 25),
            "epn_id": "EPN-0001",
            "history_weeks": 48,
            "visits_median": 42.0,
            "visits_mad": 3.0,
            "visits_mean_ad": None,
            "public_hours_median": 20.5,
            "public_hours_mad": 0.0,
            "public_hours_mean_ad": 0.4,
        }
    ],
    "mart_outlier_window": [{"base_start": dt.date(2023, 1, 2), "base_end": dt.date(2023, 12, 25)}],
}


def base_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [
        row[0]
        for row in con.execute(
            "SELECT table_name FROM duckdb_tables()"
            " WHERE database_name = current_database() ORDER BY table_oid"
        ).fetchall()
    ]


def columns(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str, str | None]]:
    """(name, type, default) of the columns of ``table``, in order."""
    return con.execute(
        "SELECT column_name, data_type, column_default FROM duckdb_columns()"
        " WHERE database_name = current_database() AND table_name = ? ORDER BY column_index",
        [table],
    ).fetchall()


def insert(con: duckdb.DuckDBPyConnection, table: str, row: dict) -> None:
    names = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    con.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", list(row.values()))


def synthetic_row(con: duckdb.DuckDBPyConnection, table: str) -> dict:
    """A row made from the column types, for a table that ``SEED`` does not know yet."""
    values = {
        "VARCHAR": "EPN-0001",
        "INTEGER": 2024,
        "BIGINT": 1,
        "DOUBLE": 1.5,
        "BOOLEAN": True,
        "DATE": dt.date(2024, 1, 1),
        "TIMESTAMP": dt.datetime(2024, 1, 1, 12, 0),
        "JSON": "{}",
        "BLOB": b"\x00",
        "VARCHAR[]": ["EPN-0001"],
    }
    return {
        name: values.get(kind) for name, kind, default in columns(con, table) if default is None
    }


def seed(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Fills every table that exists at this version; returns the rows put in each."""
    present = set(base_tables(con)) - REFERENCE_TABLES - BOOKKEEPING
    counts = {}
    for table in [t for t in SEED if t in present] + sorted(present - set(SEED)):
        rows = SEED.get(table) or []
        if table == "cur_weekly":
            con.execute("INSERT INTO cur_weekly SELECT * FROM hist_weekly")
        elif table in SEED:
            for row in rows:
                insert(con, table, row)
        else:
            try:
                insert(con, table, synthetic_row(con, table))
            except duckdb.Error as error:
                pytest.fail(f"add realistic rows for the new table {table} to SEED: {error}")
        counts[table] = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        assert counts[table] > 0, table
    return counts


def contents(con: duckdb.DuckDBPyConnection, table: str, names: list[str]) -> list[tuple]:
    listed = ", ".join(names)
    return con.execute(f"SELECT {listed} FROM {table} ORDER BY ALL").fetchall()


def recorded_versions(con: duckdb.DuckDBPyConnection) -> list[int]:
    return [v for (v,) in con.execute("SELECT version FROM schema_migration ORDER BY 1").fetchall()]


@pytest.fixture
def con(tmp_path):
    connection = duckdb.connect(str(tmp_path / "epn.duckdb"))
    yield connection
    connection.close()


def test_the_migration_files_are_numbered_once_each_without_gaps():
    on_disk = sorted(p.name for p in runner.MIGRATIONS_DIR.glob("*.sql"))
    assert [path.name for _, _, path in MIGRATIONS] == on_disk  # none skipped by the pattern
    assert [version for version, _, _ in MIGRATIONS] == list(range(1, LATEST + 1))


@pytest.mark.parametrize("stop", [v for v, _, _ in MIGRATIONS], ids=lambda v: f"{v:04d}")
def test_a_warehouse_of_every_earlier_version_upgrades_without_losing_anything(tmp_path, stop):
    path = tmp_path / "epn.duckdb"
    con = duckdb.connect(str(path))
    assert migrate(con, stop_before=stop) == list(range(1, stop))
    assert recorded_versions(con) == list(range(1, stop))
    counts = seed(con)
    before = {}
    for table in set(base_tables(con)) - BOOKKEEPING:
        names = [name for name, _, _ in columns(con, table)]
        before[table] = (names, contents(con, table, names))
    con.close()

    # The upgrade runs as the software runs it: on a file opened again.
    con = duckdb.connect(str(path))
    try:
        assert migrate(con) == list(range(stop, LATEST + 1))
        assert recorded_versions(con) == list(range(1, LATEST + 1))
        for table, (names, rows) in before.items():
            assert contents(con, table, names) == rows, f"{table} changed in the upgrade"
        for table, count in counts.items():
            assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == count, table

        # A few values read back through the views the software uses.
        if "upload" in counts:
            assert con.execute(
                "SELECT filename, status, epn_ids FROM upload WHERE upload_id = 2"
            ).fetchone() == ("rapport_annuel_EPN-0001_2024.xlsx", "accepted", ["EPN-0001"])
        if "registry_event" in counts:
            assert con.execute(
                "SELECT name, commune_nis, status, labelled_on FROM registry_current"
                " WHERE epn_id = 'EPN-0001'"
            ).fetchone() == ("EPN Anderlecht", 21001, "labelled", dt.date(2020, 1, 15))
        if "cur_weekly" in counts:
            assert con.execute(
                "SELECT sum(visits), sum(public_hours) FROM cur_weekly WHERE epn_id = 'EPN-0001'"
            ).fetchone() == (42 + 43 + 45, 61.5)
        if "hist_report" in counts:
            assert con.execute(
                "SELECT users_total, received_on FROM cur_report WHERE epn_id = 'EPN-0001'"
            ).fetchone() == (412, dt.date(2025, 3, 14))
        if "app_user" in counts:
            assert con.execute(
                "SELECT role, epn_id FROM app_user WHERE username = 'anderlecht'"
            ).fetchone() == ("epn_user", "EPN-0001")
            assert con.execute(
                "SELECT action, outcome FROM audit_log ORDER BY audit_id"
            ).fetchall() == [("upload", "accepted"), ("access_denied", "refused")]
        assert con.execute("SELECT count(*) FROM commune").fetchone()[0] == 19

        # The sequences carried on: new rows get fresh ids after the upgraded ones.
        for table, count in counts.items():
            keyed = [
                name
                for name, _, default in columns(con, table)
                if default and "nextval(" in default
            ]
            if keyed and SEED.get(table):
                insert(con, table, SEED[table][0])
                top = con.execute(f"SELECT max({keyed[0]}) FROM {table}").fetchone()[0]
                assert top == count + 1, table
    finally:
        con.close()


def test_stop_before_leaves_out_that_migration_and_the_later_ones(con):
    assert migrate(con, stop_before=5) == [1, 2, 3, 4]
    tables = set(base_tables(con))
    assert {"upload", "commune", "registry_event", "hist_weekly", "cur_weekly"} <= tables
    assert not tables & {"hist_report", "app_user", "audit_log", "mart_finding"}
    assert recorded_versions(con) == [1, 2, 3, 4]
    # Going on by file stem, then by name, then to the end.
    assert migrate(con, stop_before="0007_registry_documents") == [5, 6]
    assert "app_user" in base_tables(con) and "registry_document" not in base_tables(con)
    assert migrate(con, stop_before="finding_mart") == [7]
    assert migrate(con) == list(range(8, LATEST + 1))


@pytest.mark.parametrize("name", [5, "5", "0005", "0005_reports", "0005_reports.sql", "reports"])
def test_a_migration_is_named_by_number_or_stem(name):
    assert migration_version(name) == 5


@pytest.mark.parametrize("name", [LATEST + 1, "0000", "no_such_migration"])
def test_an_unknown_stop_before_is_refused_before_anything_is_applied(con, name):
    with pytest.raises(ValueError, match="no migration"):
        migrate(con, stop_before=name)
    assert base_tables(con) == []


def test_a_warehouse_newer_than_the_code_is_refused_untouched(tmp_path):
    path = tmp_path / "epn.duckdb"
    con = duckdb.connect(str(path))
    migrate(con)
    con.execute(
        "INSERT INTO schema_migration (version, name) VALUES (?, 'from_a_newer_release')",
        [LATEST + 1],
    )
    con.execute("DROP TABLE mart_outlier_window")  # would be made again if the runner went on
    with pytest.raises(EpnError) as caught:
        migrate(con)
    assert caught.value.code == "warehouse_newer_than_code"
    assert "mart_outlier_window" not in base_tables(con)
    assert recorded_versions(con) == list(range(1, LATEST + 2))
    con.close()

    newer, known = f"{LATEST + 1:04d}", f"{LATEST:04d}"
    messages = {lang: caught.value.message(lang) for lang in ("fr", "nl", "en")}
    for text in messages.values():
        assert newer in text and known in text and str(path) in text
    assert "version plus récente du logiciel" in messages["fr"]
    assert "Mettez le logiciel à jour" in messages["fr"] and "sauvegarde" in messages["fr"]
    assert "recentere versie van de software" in messages["nl"]
    assert "Werk de software bij" in messages["nl"] and "back-up" in messages["nl"]
    assert "newer version of the software" in messages["en"]
    assert "Upgrade the software" in messages["en"] and "backup" in messages["en"]
    assert str(caught.value) == messages["fr"]


def test_the_software_refuses_a_newer_warehouse_when_it_opens_it(tmp_path):
    from warehouse.db import connect

    path = tmp_path / "newer.duckdb"
    con = duckdb.connect(str(path))
    migrate(con)
    con.execute("INSERT INTO schema_migration VALUES (?, 'from_a_newer_release', now())", [99])
    con.close()
    with pytest.raises(EpnError, match="0099"), connect(path):
        pass


def test_migrating_twice_changes_nothing(con):
    assert migrate(con) == list(range(1, LATEST + 1))
    tables = base_tables(con)
    stamps = con.execute("SELECT * FROM schema_migration ORDER BY version").fetchall()
    assert migrate(con) == []
    assert migrate(con, stop_before=3) == []
    assert base_tables(con) == tables
    assert con.execute("SELECT * FROM schema_migration ORDER BY version").fetchall() == stamps
    assert con.execute("SELECT count(*) FROM commune").fetchone()[0] == 19


def test_a_failing_migration_leaves_nothing_of_itself(tmp_path, monkeypatch):
    folder = tmp_path / "migrations"
    shutil.copytree(runner.MIGRATIONS_DIR, folder)
    broken = LATEST + 1
    (folder / f"{broken:04d}_broken.sql").write_text(
        "CREATE TABLE half_done (x INTEGER);\nINSERT INTO upload (sha256) VALUES ('x');\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(runner, "MIGRATIONS_DIR", folder)
    con = duckdb.connect(str(tmp_path / "epn.duckdb"))
    migrate(con, stop_before=broken)
    with pytest.raises(duckdb.ConstraintException):
        migrate(con)
    assert "half_done" not in base_tables(con)
    assert recorded_versions(con) == list(range(1, LATEST + 1))
    con.close()


def test_two_migrations_of_one_number_are_refused(tmp_path, monkeypatch):
    folder = tmp_path / "migrations"
    shutil.copytree(runner.MIGRATIONS_DIR, folder)
    (folder / f"{LATEST:04d}_other_branch.sql").write_text("SELECT 1;", encoding="utf-8")
    monkeypatch.setattr(runner, "MIGRATIONS_DIR", folder)
    with pytest.raises(RuntimeError, match="renumber"):
        available_migrations()


def test_an_in_memory_warehouse_newer_than_the_code_is_refused_too():
    con = duckdb.connect(":memory:")
    migrate(con)
    con.execute("INSERT INTO schema_migration VALUES (?, 'x', now())", [LATEST + 1])
    with pytest.raises(EpnError) as caught:
        migrate(con)
    assert ":memory:" in caught.value.message("en")
