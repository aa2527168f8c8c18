"""Belgian public holidays, from the maintained ``holidays`` calendar (never a hand-written
list): named on the weekly grid, taken off a week's opening days by the outlier review and
the demo's timetables."""

from __future__ import annotations

import datetime as dt
from functools import cache

import holidays

HOLIDAY_LANGUAGE = {"fr": "fr", "nl": "nl", "en": "en_US"}
WORKING_DAYS = 5  # an EPN's week, Monday to Friday, as the charter counts it


@cache
def belgian_holidays(year: int, lang: str = "fr") -> dict[dt.date, str]:
    """Date -> the holiday's name in ``lang``."""
    return dict(holidays.Belgium(years=year, language=HOLIDAY_LANGUAGE[lang]))


def holidays_of_week(monday: dt.date, lang: str) -> str:
    """The Belgian public holidays of the week, as « Toussaint (01/11) », comma-separated."""
    found = []
    for offset in range(7):
        date = monday + dt.timedelta(days=offset)
        name = belgian_holidays(date.year, lang).get(date)
        if name:
            found.append(f"{name} ({date:%d/%m})")
    return ", ".join(found)


def working_holidays(monday: dt.date) -> list[dt.date]:
    """The public holidays falling on a working day (Monday to Friday) of the week."""
    days = (monday + dt.timedelta(days=offset) for offset in range(WORKING_DAYS))
    return [d for d in days if d in belgian_holidays(d.year)]


def open_days(monday: dt.date) -> int:
    """The week's working days left once its public holidays are off."""
    return WORKING_DAYS - len(working_holidays(monday))


def short_weeks(first: dt.date, last: dt.date) -> dict[dt.date, int]:
    """Monday -> open days, for the weeks from ``first`` to ``last`` that a holiday shortens."""
    weeks = (first + dt.timedelta(weeks=n) for n in range(max(0, (last - first).days // 7 + 1)))
    return {monday: days for monday in weeks if (days := open_days(monday)) < WORKING_DAYS}
