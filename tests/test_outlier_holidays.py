"""Public holidays in the outlier review: the demo's week of 11 November 2025 (Armistice, a
Tuesday) flags nobody, while a week far from the EPN's usual figures is still flagged, an
ordinary week or a holiday week alike."""

from __future__ import annotations

import datetime as dt

import pytest

from epn.principal import COORDINATOR, Principal
from epn.public_holidays import open_days, short_weeks
from services.uploads import Upload, ingest_uploads
from tests.conftest import STATS_HEADER, csv_bytes, use_warehouse
from tests.test_app_fixtures import copy_warehouse
from warehouse.db import connect

COORD = Principal("coord", COORDINATOR)
ARMISTICE_WEEK = dt.date(2025, 11, 10)
ORDINARY_WEEK = dt.date(2025, 12, 1)


@pytest.fixture
def demo(demo_warehouse, tmp_path, monkeypatch):
    """A private copy of the demo warehouse, the default of the queries."""
    copy = copy_warehouse(demo_warehouse["db"], tmp_path / "demo.duckdb")
    yield from use_warehouse(copy, monkeypatch)


def flagged_weeks(year: int = 2025):
    from dashboards.queries.coordinator_outliers import outliers

    frame = outliers(COORD, year, page_size=1000)
    return frame, {(r.epn_id, r.week_start.date(), r.measure) for r in frame.itertuples()}


def test_the_calendar_knows_which_weeks_a_holiday_shortens():
    assert open_days(ARMISTICE_WEEK) == 4  # Tuesday 11 November
    assert open_days(dt.date(2025, 10, 27)) == 5  # 1 November 2025 is a Saturday
    assert short_weeks(dt.date(2025, 12, 1), dt.date(2025, 12, 29)) == {
        dt.date(2025, 12, 22): 4,  # Christmas
        dt.date(2025, 12, 29): 4,  # New Year's Day 2026
    }


def test_the_week_of_11_november_flags_nobody_in_the_demo(demo):
    frame, flagged = flagged_weeks()
    with connect(demo) as con:
        open_that_week = con.execute(
            "SELECT count(*) FROM cur_weekly WHERE week_start = ? AND status = 'open'",
            [ARMISTICE_WEEK],
        ).fetchone()[0]
    assert open_that_week > 20  # the week is reviewed: most EPNs were open
    assert not [key for key in flagged if key[1] == ARMISTICE_WEEK]
    assert len(frame) < 5  # before holidays counted, 25 weeks were flagged, all of them this one
    assert set(frame["open_days"]) == {5}  # what is left are ordinary weeks


def test_a_truly_atypical_week_is_still_flagged(demo):
    """One EPN sends four times its usual visits in an ordinary week, and two hours in the
    holiday week: both are far from its usual week and from that week less a day."""
    with connect(demo) as con:
        epn_id, hours, visits = con.execute(
            "SELECT epn_id, median(public_hours), median(visits)::INTEGER FROM cur_weekly"
            " WHERE status = 'open' AND week_start BETWEEN '2025-01-01' AND '2025-09-01'"
            " AND epn_id IN (SELECT epn_id FROM cur_weekly WHERE status = 'open'"
            "   AND week_start IN (?, ?) GROUP BY epn_id HAVING count(*) = 2)"
            " GROUP BY epn_id ORDER BY epn_id LIMIT 1",
            [ARMISTICE_WEEK, ORDINARY_WEEK],
        ).fetchone()
    rows = [
        [epn_id, ORDINARY_WEEK.isoformat(), "open", "", hours, hours, visits * 4, visits, 5],
        [epn_id, ARMISTICE_WEEK.isoformat(), "open", "", 2, 2, visits // 2, visits // 3, 1],
    ]
    upload = Upload("corrections.csv", csv_bytes(STATS_HEADER, rows), dt.date(2026, 1, 5))
    assert ingest_uploads([upload], db=demo)[0]["status"] == "accepted"
    frame, flagged = flagged_weeks()
    assert (epn_id, ORDINARY_WEEK, "visits") in flagged
    assert (epn_id, ARMISTICE_WEEK, "public_hours") in flagged
    holiday = frame[(frame["epn_id"] == epn_id) & (frame["week_start"] == str(ARMISTICE_WEEK))]
    assert holiday["open_days"].tolist() == [4] * len(holiday)
    # nobody else's 11 November became unusual
    assert {key[0] for key in flagged if key[1] == ARMISTICE_WEEK} == {epn_id}
