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
    rows = con.execute(
        """
            WITH latest_report AS (  -- each EPN's latest report, read once for all
                SELECT epn_id, nullif(trim(contact_email), '') AS contact_email
                FROM cur_report
                QUALIFY row_number() OVER (PARTITION BY epn_id ORDER BY year DESC) = 1
            )
            SELECT r.epn_id, r.name, nullif(trim(r.contact_email), ''), c.contact_email,
                   r.language, r.labelled_on
            FROM registry_current r LEFT JOIN latest_report c USING (epn_id)
            WHERE r.status = 'labelled' AND r.labelled_on <= ?
            ORDER BY r.epn_id
            """,
        [as_of],
    ).fetchall()
    if not rows:
        return []
    epns = {row[0]: Owed(row[0], row[1], row[2] or row[3], row[4]) for row in rows}
    # the registry (a view over its events) is read once: both checks take the dates from here
    labelled = {row[0]: row[5] for row in rows}
    _missing_weeks(con, as_of, epns, labelled)
    _reports(con, as_of, epns, labelled)
    return [o for o in epns.values() if o.anything]


def _missing_weeks(
    con, as_of: dt.date, epns: dict[str, Owed], labelled: dict[str, dt.date]
) -> None:
    year = as_of.isocalendar()[0]
    first, _ = iso_year_weeks(max(year, first_reporting_year()))
    last = monday(as_of) - dt.timedelta(days=7)  # the last complete week
    if last < first:
        return
    rows = con.execute(
        """
        WITH weeks AS (
            SELECT unnest(generate_series($first::DATE, $last::DATE, INTERVAL 7 DAY))::DATE
                AS week_start
        ), labelled AS (
            SELECT unnest($epn_ids::VARCHAR[]) AS epn_id, unnest($since::DATE[]) AS labelled_on
        ), owed AS (
            SELECT r.epn_id, w.week_start
            FROM labelled r, weeks w
            WHERE w.week_start >= date_trunc('week', r.labelled_on)::DATE
        ), sent AS (  -- this year's weeks only: the anti-join then reads no other year
            SELECT epn_id, week_start FROM cur_weekly
            WHERE week_start BETWEEN $first::DATE AND $last::DATE
        )
        SELECT epn_id, week_start FROM owed ANTI JOIN sent USING (epn_id, week_start)
        ORDER BY epn_id, week_start
        """,
        {"first": first, "last": last, "epn_ids": list(labelled), "since": list(labelled.values())},
    ).fetchall()
    for epn_id, week in rows:
        epns[epn_id].missing_weeks.append(week)


def _reports(con, as_of: dt.date, epns: dict[str, Owed], labelled: dict[str, dt.date]) -> None:
    """The reports a labelled EPN has not sent, found by the database (a national registry is
    tens of thousands of EPNs times each reporting year), oldest year first."""
    unsent = con.execute(
        """
        WITH labelled AS (
            SELECT unnest($epn_ids::VARCHAR[]) AS epn_id, unnest($since::DATE[]) AS labelled_on
        ), owing AS (
            SELECT l.epn_id, y.year
            FROM labelled l, (SELECT unnest($years::INTEGER[]) AS year) y
            WHERE year(l.labelled_on) <= y.year
        )
        SELECT epn_id, year FROM owing ANTI JOIN cur_report USING (epn_id, year)
        ORDER BY year, epn_id
        """,
        {
            "epn_ids": list(labelled),
            "since": list(labelled.values()),
            "years": list(range(first_reporting_year(), as_of.year)),
        },
    ).fetchall()
    deadlines = {}
    for epn_id, year in unsent:
        if year not in deadlines:
            deadlines[year] = terms_for(year).report_deadline(year)
        deadline, owed_by = deadlines[year], epns[epn_id]
        if deadline < as_of:
            owed_by.report_overdue = (year, deadline)  # the latest overdue year wins
        elif (deadline - as_of).days <= DUE_WITHIN_DAYS:
            owed_by.report_due = (year, deadline)
