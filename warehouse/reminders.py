"""What each labelled EPN owes on a given day: missing weeks of statistics, an annual report
due soon or overdue. Read from the warehouse in one pass; sending is ``services.reminders``.

- Missing weeks: the weeks of the current ISO year (from the week of the label date, or of
  the first reporting year) up to the last complete week, with no statistics row.
- Report due: the previous year's report when its deadline falls within ``DUE_WITHIN_DAYS``
  and none was accepted.
- Report overdue: a year from the first reporting year on whose deadline has passed, for
  which the EPN was labelled and sent no report (the latest such year).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb

from validation.charter.periods import iso_year_weeks, monday
from validation.charter.terms import first_reporting_year, terms_for

DUE_WITHIN_DAYS = 30
WEEKS_LISTED = 8  # the first missing weeks named in a message; the count says the rest


@dataclass
class Owed:
    epn_id: str
    name: str
    contact_email: str | None
    language: str | None
    missing_weeks: list[dt.date] = field(default_factory=list)
    report_due: tuple[int, dt.date] | None = None  # (year, deadline)
    report_overdue: tuple[int, dt.date] | None = None

    @property
    def anything(self) -> bool:
        return bool(self.missing_weeks or self.report_due or self.report_overdue)

    def fingerprint(self) -> str:
        """What is owed, so that the same reminder is recognised when asked again."""
        parts = [f"weeks:{len(self.missing_weeks)}"]
        if self.missing_weeks:
            parts.append(f"first:{self.missing_weeks[0].isoformat()}")
        if self.report_due:
            parts.append(f"due:{self.report_due[0]}")
        if self.report_overdue:
            parts.append(f"overdue:{self.report_overdue[0]}")
        return ";".join(parts)


def owed(con: duckdb.DuckDBPyConnection, as_of: dt.date) -> list[Owed]:
    """Every EPN labelled on ``as_of`` that owes something, by epn_id."""
    epns = {
        epn_id: Owed(epn_id, name, email or report_email, language)
        for epn_id, name, email, report_email, language in con.execute(
            """
            SELECT r.epn_id, r.name, nullif(trim(r.contact_email), ''),
                   (SELECT nullif(trim(c.contact_email), '') FROM cur_report c
                    WHERE c.epn_id = r.epn_id ORDER BY c.year DESC LIMIT 1),
                   r.language
            FROM registry_current r
            WHERE r.status = 'labelled' AND r.labelled_on <= ?
            ORDER BY r.epn_id
            """,
            [as_of],
        ).fetchall()
    }
    if not epns:
        return []
    _missing_weeks(con, as_of, epns)
    _reports(con, as_of, epns)
    return [o for o in epns.values() if o.anything]


def _missing_weeks(con, as_of: dt.date, epns: dict[str, Owed]) -> None:
    year = as_of.isocalendar()[0]
    first, _ = iso_year_weeks(max(year, first_reporting_year()))
    last = monday(as_of) - dt.timedelta(days=7)  # the last complete week
    if last < first:
        return
    rows = con.execute(
        """
        WITH weeks AS (
            SELECT unnest(generate_series(?::DATE, ?::DATE, INTERVAL 7 DAY))::DATE AS week_start
        )
        SELECT r.epn_id, w.week_start
        FROM registry_current r, weeks w
        WHERE list_contains(?::VARCHAR[], r.epn_id)
          AND w.week_start >= date_trunc('week', r.labelled_on)::DATE
          AND NOT EXISTS (SELECT 1 FROM cur_weekly c
                          WHERE c.epn_id = r.epn_id AND c.week_start = w.week_start)
        ORDER BY r.epn_id, w.week_start
        """,
        [first, last, list(epns)],
    ).fetchall()
    for epn_id, week in rows:
        epns[epn_id].missing_weeks.append(week)


def _reports(con, as_of: dt.date, epns: dict[str, Owed]) -> None:
    sent = {
        (epn_id, year)
        for epn_id, year in con.execute(
            "SELECT DISTINCT epn_id, year FROM cur_report"
            " WHERE list_contains(?::VARCHAR[], epn_id)",
            [list(epns)],
        ).fetchall()
    }
    labelled = dict(
        con.execute(
            "SELECT epn_id, labelled_on FROM registry_current WHERE list_contains(?, epn_id)",
            [list(epns)],
        ).fetchall()
    )
    for year in range(first_reporting_year(), as_of.year):
        deadline = terms_for(year).report_deadline(year)
        for epn_id, owed_by in epns.items():
            if labelled[epn_id].year > year or (epn_id, year) in sent:
                continue
            if deadline < as_of:
                owed_by.report_overdue = (year, deadline)  # the latest overdue year wins
            elif (deadline - as_of).days <= DUE_WITHIN_DAYS:
                owed_by.report_due = (year, deadline)
