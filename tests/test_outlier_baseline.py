"""The outlier baselines kept per review window: computed once, forgotten when their weeks
change, and only the windows computed last are kept."""

from __future__ import annotations

import datetime as dt

from services.uploads import Upload, ingest_uploads
from tests.conftest import STATS_HEADER, csv_bytes, week_rows
from warehouse import outlier_baseline
from warehouse.db import connect, transaction

MONDAY = dt.date(2024, 1, 1)


def windows(con) -> list[tuple]:
    return con.execute(
        "SELECT DISTINCT base_start, base_end FROM mart_outlier_baseline ORDER BY 2"
    ).fetchall()


def test_a_window_is_computed_once_then_read(registry):
    data = csv_bytes(STATS_HEADER, week_rows("EPN-0001", 2024))
    ingest_uploads([Upload("s.csv", data, dt.date(2025, 1, 10))], db=registry)
    start, end = MONDAY, MONDAY + dt.timedelta(weeks=20)
    with connect(registry) as con, transaction(con):
        assert outlier_baseline.ensure(con, start, end) is True
        assert outlier_baseline.ensure(con, start, end) is False
        assert con.execute(
            "SELECT epn_id, history_weeks FROM mart_outlier_baseline"
        ).fetchall() == [("EPN-0001", 21)]
        outlier_baseline.forget(con, end, end + dt.timedelta(weeks=4))  # its last week changed
        assert windows(con) == []
        assert outlier_baseline.ensure(con, start, end) is True


def test_only_the_windows_computed_last_are_kept(registry):
    data = csv_bytes(STATS_HEADER, week_rows("EPN-0001", 2024))
    ingest_uploads([Upload("s.csv", data, dt.date(2025, 1, 10))], db=registry)
    ends = [MONDAY + dt.timedelta(weeks=12 + n) for n in range(outlier_baseline.KEPT_WINDOWS + 2)]
    with connect(registry) as con, transaction(con):
        for end in ends:
            outlier_baseline.ensure(con, MONDAY, end)
        kept = windows(con)
    assert [end for _, end in kept] == ends[2:]
