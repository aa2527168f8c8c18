"""What the Region's figures of a year rest on, and a running year compared like for like.

A regional figure is only as good as the EPNs behind it: ``coverage`` counts, among the
EPNs labelled during the year, those with weeks of statistics and those with an annual
report (the source of users and of the priority-public share). ``same_weeks`` sums the
weekly figures of the first ``weeks`` ISO weeks of a year, so that a running year is set
against the same weeks of the year before it rather than against a whole year.
"""

from __future__ import annotations

import datetime as dt

import duckdb

from validation.charter.periods import iso_year_weeks
from warehouse.indicators import labelled_during

SIGNIFICANT_EPNS = 3  # a figure resting on fewer EPNs is not yet significant
SIGNIFICANT_SHARE = 0.5  # ...nor one resting on under half of the EPNs expected


def significant(epns: int, expected: int) -> bool:
    return epns >= SIGNIFICANT_EPNS and epns >= SIGNIFICANT_SHARE * expected


def coverage(con: duckdb.DuckDBPyConnection, year: int) -> dict:
    """labelled, with_weeks, with_report: EPNs labelled during ``year`` and what they sent."""
    first, last = iso_year_weeks(year)
    with labelled_during(con, year, dt.date.today()):
        labelled, with_weeks, with_report = con.execute(
            """
            SELECT count(*),
                   count(*) FILTER (WHERE epn_id IN (
                       SELECT epn_id FROM cur_weekly WHERE week_start BETWEEN $first AND $last)),
                   count(*) FILTER (WHERE epn_id IN (
                       SELECT epn_id FROM cur_report WHERE year = $year))
            FROM indicator_epns
            """,
            {"first": first, "last": last, "year": year},
        ).fetchall()[0]
    return {"labelled": labelled, "with_weeks": with_weeks, "with_report": with_report}


def last_week(con: duckdb.DuckDBPyConnection, year: int, today: dt.date) -> int | None:
    """The ISO week number of the latest week of ``year`` with statistics, up to today."""
    first, last = iso_year_weeks(year)
    newest = con.execute(
        "SELECT max(week_start) FROM cur_weekly WHERE week_start BETWEEN ? AND ?",
        [first, min(last, today)],
    ).fetchone()[0]
    return None if newest is None else newest.isocalendar().week


def same_weeks(con: duckdb.DuckDBPyConnection, year: int, weeks: int) -> dict:
    """visits, weekly_public_hours over ISO weeks 1..``weeks`` of ``year``, for the EPNs
    labelled during it (the sums of ``warehouse.indicators``, on fewer weeks)."""
    first, last = iso_year_weeks(year)
    through = min(first + dt.timedelta(weeks=weeks - 1), last)
    with labelled_during(con, year, dt.date.today()):
        visits, hours = con.execute(
            """
            WITH weeks AS (
                SELECT epn_id,
                       avg(public_hours) FILTER (WHERE status = 'open') AS hours,
                       sum(visits) AS visits
                FROM cur_weekly
                WHERE week_start BETWEEN $first AND $through
                  AND epn_id IN (SELECT epn_id FROM indicator_epns)
                GROUP BY epn_id
            )
            SELECT coalesce(sum(visits), 0), coalesce(sum(hours), 0) FROM weeks
            """,
            {"first": first, "through": through},
        ).fetchall()[0]
    return {"visits": int(visits), "weekly_public_hours": round(float(hours), 1)}
