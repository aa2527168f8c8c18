"""Weeks and report years outside the plausible span (first reporting year .. now) are
rejected at their row and column, through ``epn ingest`` as an EPN sends them."""

from __future__ import annotations

import datetime as dt
import json

from tests.conftest import stats_file
from tests.test_report_ingest import clean_report, xlsx


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def row(week: dt.date) -> list:
    return ["EPN-0001", week.isoformat(), "open", "", 20, 20, 100, 60, 10]


def ingest(cli, path, *more) -> list[dict]:
    code, out, err = cli("ingest", path, "--json", *more)
    assert "Traceback" not in err
    return json.loads(out)


def test_weeks_far_in_the_past_or_future_are_rejected_at_their_row(cli, registry, tmp_path):
    this_week = monday(dt.date.today())
    weeks = [
        dt.date(9999, 12, 27),  # a placeholder year: the pages could not show it
        dt.date(2100, 1, 4),
        dt.date(1, 1, 1),
        dt.date(2018, 12, 24),  # the last week before the first reporting year
        this_week + dt.timedelta(weeks=2),
    ]
    [result] = ingest(cli, stats_file(tmp_path, "far.csv", [row(w) for w in weeks]))
    assert result["status"] == "rejected"
    found = [(e["row"], e["column"], e["code"]) for e in result["errors"]]
    assert found == [(n, "week_start", "week_implausible") for n in range(2, 7)]
    assert "31/12/2018" in result["errors"][0]["message"]  # week 1 of 2019, as read in Brussels


def test_the_span_runs_from_the_first_reporting_year_to_next_week(cli, registry, tmp_path):
    this_week = monday(dt.date.today())
    weeks = [dt.date(2018, 12, 31), this_week, this_week + dt.timedelta(weeks=1)]
    [result] = ingest(cli, stats_file(tmp_path, "near.csv", [row(w) for w in weeks]))
    assert result["status"] == "accepted", result["errors"]


def test_a_report_for_an_implausible_year_is_rejected_once(cli, registry, tmp_path):
    sheets = clean_report()
    sheets["epn"][2] = ["year", 2018]
    sheets["epn"][1] = ["epn_id", "EPN-0001"]
    path = tmp_path / "rapport.xlsx"
    path.write_bytes(xlsx(sheets))
    [result] = ingest(cli, path, "--lang", "en")
    assert result["status"] == "rejected"
    year_problems = [e for e in result["errors"] if e["column"] == "year"]
    assert [(e["sheet"], e["row"], e["code"]) for e in year_problems] == [
        ("epn", 3, "year_implausible")
    ]
    assert "2019 to" in year_problems[0]["message"]
    # its weeks are not each reported again as outside a year that is itself wrong
    assert {e["code"] for e in result["errors"]} == {"year_implausible"}
