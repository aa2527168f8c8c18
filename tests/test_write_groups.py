"""A batch writes its checked files in groups: same results as one by one, each file whole."""

from __future__ import annotations

import datetime as dt

import duckdb

from services.uploads import Upload, ingest_uploads
from tests.conftest import STATS_HEADER, csv_bytes, week_rows
from warehouse import store

RECEIVED = dt.date(2025, 1, 10)


def upload(name: str, rows: list[list]) -> Upload:
    return Upload(name, csv_bytes(STATS_HEADER, rows), RECEIVED, "coordinator")


def rows(db, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_a_correction_in_the_same_group_wins_and_history_keeps_both(registry):
    fix = [["EPN-0001", "2024-01-08", "open", "", 31.5, 30, 150, 90, 12]]
    batch = [upload("a.csv", week_rows("EPN-0001", 2024)), upload("b.csv", fix)]
    assert [o["status"] for o in ingest_uploads(batch, db=registry)] == ["accepted"] * 2
    assert rows(registry, "SELECT count(*), sum(public_hours) FROM cur_weekly") == [
        (52, 51 * 20.0 + 31.5)
    ]
    history = "SELECT count(*) FROM hist_weekly WHERE week_start = '2024-01-08'"
    assert rows(registry, history) == [(2,)]


def test_upload_ids_follow_the_batch_order_and_the_audit_names_each_file(registry):
    names = [f"{epn}.csv" for epn in ("EPN-0001", "EPN-0002", "EPN-9999")]
    batch = [upload(n, week_rows(n.removesuffix(".csv"), 2024)) for n in names]
    outcomes = ingest_uploads(batch, db=registry)
    assert [o["status"] for o in outcomes] == ["accepted", "accepted", "rejected"]
    uploads = rows(registry, "SELECT upload_id, filename, status, epn_ids FROM upload")
    assert [u[1:3] for u in sorted(uploads)] == [
        (names[0], "accepted"),
        (names[1], "accepted"),
        (names[2], "rejected"),
    ]
    audited = rows(
        registry,
        "SELECT target, outcome, detail->>'upload_id' FROM audit_log"
        " WHERE action = 'upload' ORDER BY audit_id",
    )
    assert [(t, o, int(i)) for t, o, i in audited] == [(u[1], u[2], u[0]) for u in sorted(uploads)]


def test_the_same_bytes_twice_in_a_group_are_a_duplicate_of_the_first(registry):
    first = upload("a.csv", week_rows("EPN-0001", 2024))
    again = Upload("a-again.csv", first.data, RECEIVED)
    outcomes = ingest_uploads([first, again], db=registry)
    assert [o["status"] for o in outcomes] == ["accepted", "duplicate"]
    [(upload_id,)] = rows(registry, "SELECT upload_id FROM upload")
    same_as = "SELECT detail->>'same_as_upload' FROM audit_log WHERE outcome = 'duplicate'"
    assert rows(registry, same_as) == [(str(upload_id),)]


def test_a_group_that_fails_is_written_file_by_file_and_only_the_faulty_file_fails(
    registry, monkeypatch
):
    write_group = store.write_group

    def fails_on_the_faulty_file(con, group):
        if any(c.upload.filename == "faulty.csv" for c in group):
            write_group(con, group)  # half written, then the failure: all must roll back
            raise duckdb.IOException("disk full")
        return write_group(con, group)

    monkeypatch.setattr(store, "write_group", fails_on_the_faulty_file)
    batch = [
        upload("one.csv", week_rows("EPN-0001", 2024)),
        upload("faulty.csv", week_rows("EPN-0002", 2024)),
        upload("three.csv", week_rows("EPN-0001", 2023)),
    ]
    outcomes = ingest_uploads(batch, db=registry)
    # the faulty file fails alone, nothing of it written; the batch goes on past it
    assert [o["status"] for o in outcomes] == ["accepted", "rejected", "accepted"]
    assert [e["code"] for e in outcomes[1]["errors"]] == ["write_failed"]
    assert "disk full" in outcomes[1]["errors"][0]["message"]
    assert rows(registry, "SELECT filename FROM upload ORDER BY upload_id") == [
        ("one.csv",),
        ("three.csv",),
    ]
    assert rows(registry, "SELECT DISTINCT epn_id FROM hist_weekly") == [("EPN-0001",)]
    assert rows(registry, "SELECT count(*) FROM cur_weekly") == [(104,)]


def test_a_group_is_written_when_full(registry, monkeypatch):
    monkeypatch.setenv("EPN_WRITE_GROUP_FILES", "2")
    from epn.settings import get_settings

    get_settings.cache_clear()
    sizes = []
    write_group = store.write_group
    monkeypatch.setattr(
        store, "write_group", lambda con, group: sizes.append(len(group)) or write_group(con, group)
    )
    batch = [upload(f"{y}.csv", week_rows("EPN-0001", y)) for y in (2021, 2022, 2023, 2024, 2025)]
    assert [o["status"] for o in ingest_uploads(batch, db=registry)] == ["accepted"] * 5
    assert sizes == [2, 2, 1]
    assert rows(registry, "SELECT count(DISTINCT upload_id) FROM cur_weekly") == [(5,)]
