"""The findings mart follows uploads, registry steps and the calendar."""

from __future__ import annotations

import datetime as dt

from tests.conftest import stats_file, week_rows
from validation.charter.engine import evaluate
from warehouse.db import connect
from warehouse.finding_mart import ensure_fresh, is_fresh, refresh_all


def mart(db) -> set[tuple]:
    with connect(db) as con:
        return set(con.execute("SELECT epn_id, year, code FROM mart_finding").fetchall())


def engine(db, year) -> set[tuple]:
    with connect(db) as con:
        return {(f.epn_id, f.year, f.code) for f in evaluate(con, year)}


def test_an_upload_refreshes_its_epns_and_years(cli, registry, tmp_path):
    cli("ingest", stats_file(tmp_path, "s.csv", week_rows("EPN-0001", 2024, hours=10)))
    touched = {row for row in mart(registry) if row[0] == "EPN-0001" and row[1] == 2024}
    assert {code for *_, code in touched} >= {"opening_hours_min", "facilitator_presence"}
    assert touched == {r for r in engine(registry, 2024) if r[0] == "EPN-0001"}


def test_a_withdrawal_refreshes_the_epn(cli, registry, tmp_path):
    cli("ingest", stats_file(tmp_path, "s.csv", week_rows("EPN-0001", 2024, hours=10)))
    cli("registry", "withdraw", "EPN-0001", "--on", "2023-12-01", "--reason", "serious_breach")
    assert not {row for row in mart(registry) if row[0] == "EPN-0001" and row[1] == 2024}


def test_full_refresh_once_a_day(registry):
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    with connect(registry) as con:
        refresh_all(con)
        assert is_fresh(con) and not is_fresh(con, tomorrow)
        assert ensure_fresh(con, tomorrow) is True
        assert ensure_fresh(con, tomorrow) is False
    every_year = set().union(*(engine(registry, y) for y in range(2020, dt.date.today().year + 1)))
    assert mart(registry) == every_year
