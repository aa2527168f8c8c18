"""Plausible dates: the span of weeks and years a file may speak of.

A week before the first reporting year the charter judges, or one beyond the current week,
is a typing mistake (2204 for 2024, 9999 for a placeholder), never data: accepted, it would
reach every page that lists or computes years. The margin lets an EPN send the week that
starts on the coming Monday (a file prepared on a Friday or a Sunday); nothing later.
"""

from __future__ import annotations

import datetime as dt

from validation.charter.terms import first_reporting_year

FUTURE_MARGIN = dt.timedelta(weeks=1)


def week_span(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """(first, last) Monday a statistics row may start on, both included."""
    today = today or dt.date.today()
    first = dt.date.fromisocalendar(first_reporting_year(), 1, 1)
    this_monday = today - dt.timedelta(days=today.weekday())
    return first, this_monday + FUTURE_MARGIN


def year_span(today: dt.date | None = None) -> tuple[int, int]:
    """(first, last) year an annual report may be for, both included."""
    return first_reporting_year(), (today or dt.date.today()).year
