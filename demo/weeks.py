"""Weekly opening and attendance figures of one EPN, with the rhythm of a real year.

Summer and Christmas closures, public holidays that cost a day of opening, a busier
autumn and a quieter summer, a slow trend over the years and some noise. Non-compliance
is never accidental here: it comes from the site's profile (see ``demo.catalogue``).

The weeks run from January 2023 to the last complete week before the day the demo runs
(``last_week``). A week's figures never depend on that day: the run date only decides how
many weeks there are, so the years already covered stay the same from one run to the next.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from demo import catalogue as c
from epn.public_holidays import belgian_holidays

FIRST_WEEK = dt.date(2023, 1, 2)  # ISO week 1 of 2023
STORY_YEARS = (2022, 2023, 2024, 2025)  # the closures drawn from the site's own stream
MIN_HOURS = 15.0  # the charter's minimum; compliant sites never go below it

SUMMER_REASONS = ("Fermeture estivale", "Congés d'été", "Vacances annuelles du personnel")
CHRISTMAS_REASONS = ("Vacances de Noël", "Fermeture de fin d'année", "Congés de fin d'année")
OTHER_REASONS = (
    "Travaux de rénovation",
    "Maintenance du parc informatique",
    "Formation de l'équipe",
    "Panne de la connexion internet",
    "Déménagement temporaire de l'espace",
)
# Attendance by month: busy autumn and early spring, quiet summer and December.
SEASON = {
    1: 0.92,
    2: 1.0,
    3: 1.06,
    4: 0.95,
    5: 1.0,
    6: 0.93,
    7: 0.72,
    8: 0.68,
    9: 1.12,
    10: 1.15,
    11: 1.08,
    12: 0.85,
}
# New users arrive mostly at the start of the school and calendar years.
NEWCOMERS = {1: 1.3, 9: 1.5, 10: 1.2}


@dataclass(frozen=True)
class Habits:
    """What makes one EPN's weeks look like its own."""

    base_hours: float
    facilitation_gap: float  # public hours without a qualified facilitator
    visits_per_hour: float
    yearly_growth: float
    unique_ratio: float
    new_ratio: float
    summer_start: int  # days after 7 July
    summer_weeks: int


def habits(rng: random.Random) -> Habits:
    base = rng.choice((18, 20, 22.5, 24, 25, 27.5, 28, 30, 32, 35))
    return Habits(
        base_hours=base,
        facilitation_gap=0.0 if rng.random() < 0.7 else rng.choice((0.5, 1, 2, 3)),
        visits_per_hour=rng.uniform(40, 200) / base,
        yearly_growth=rng.uniform(-0.04, 0.12),
        unique_ratio=rng.uniform(0.45, 0.8),
        new_ratio=rng.uniform(0.06, 0.2),
        summer_start=rng.randint(0, 4) * 7,
        summer_weeks=rng.randint(2, 4),
    )


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def last_week(today: dt.date) -> dt.date:
    """The Monday of the last complete week before ``today``'s week."""
    return monday(today) - dt.timedelta(weeks=1)


def mondays(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(weeks=i) for i in range((last - first).days // 7 + 1)]


def public_holidays(year: int) -> set[dt.date]:
    """Belgian public holidays falling on a working day."""
    return {d for d in belgian_holidays(year) if d.weekday() < 5}


def closures(h: Habits, rng: random.Random, until: int) -> dict[dt.date, str]:
    """Closed weeks -> reason: summer, Christmas, and now and then works or maintenance.

    The story's years draw from ``rng``; each later year up to ``until`` from a stream of
    its own, seeded by the site's habits, so that covering one more year changes nothing
    in the earlier ones.
    """
    closed: dict[dt.date, str] = {}
    for year in STORY_YEARS:
        _close_year(closed, year, h, rng)
    for year in range(STORY_YEARS[-1] + 1, until + 1):
        _close_year(closed, year, h, random.Random(f"{h!r}:{year}"))
    return closed


def _close_year(closed: dict[dt.date, str], year: int, h: Habits, rng: random.Random) -> None:
    start = monday(dt.date(year, 7, 7) + dt.timedelta(days=h.summer_start + 3))
    reason = rng.choice(SUMMER_REASONS)
    for i in range(h.summer_weeks):
        closed[start + dt.timedelta(weeks=i)] = reason
    christmas = monday(dt.date(year, 12, 25))
    reason = rng.choice(CHRISTMAS_REASONS)
    closed[christmas] = reason
    if rng.random() < 0.6:
        closed[christmas + dt.timedelta(weeks=1)] = reason
    if rng.random() < 0.25:
        start = monday(dt.date(year, rng.choice((2, 3, 5, 10, 11)), rng.randint(3, 20)))
        reason = rng.choice(OTHER_REASONS)
        for i in range(rng.randint(1, 2)):
            closed.setdefault(start + dt.timedelta(weeks=i), reason)


def _half(hours: float) -> float:
    return round(hours * 2) / 2


def open_hours(h: Habits, week: dt.date, holidays: set[dt.date], rng: random.Random) -> float:
    """The base hours, less a day for a public holiday, now and then a little more or less."""
    hours = h.base_hours
    days_off = sum(1 for i in range(5) if week + dt.timedelta(days=i) in holidays)
    hours -= days_off * h.base_hours / 5
    if rng.random() < 0.08:
        hours += rng.choice((-2, -1.5, 1.5, 2, 3))
    return _half(max(MIN_HOURS, hours))


LOW_WEEKS_2026 = (dt.date(2026, 2, 9), dt.date(2026, 2, 16))  # two colleagues off sick


def profile_hours(
    profile: str, week: dt.date, public: float, facilitated: float, rng: random.Random
) -> tuple[float, float]:
    """The hours a non-compliant profile really had that week."""
    if profile == c.LOW_HOURS_2024 and dt.date(2024, 3, 4) <= week <= dt.date(2024, 5, 27):
        if rng.random() < 0.6:  # staff shortage: some weeks on a reduced timetable
            public = rng.choice((10, 11, 12, 12.5, 13, 14))
            facilitated = public
    elif profile == c.LOW_HOURS_2024 and week in LOW_WEEKS_2026:
        public = facilitated = rng.choice((11, 12, 12.5, 13))  # short-staffed again
    elif profile == c.FACILITATOR_GAP_2025 and dt.date(2025, 1, 27) <= week <= dt.date(2025, 4, 7):
        facilitated = rng.choice((6, 8, 9, 10, 12))  # the facilitator on sick leave
    elif profile == c.CHRONIC_LOW_HOURS and rng.random() < 0.35:
        public = rng.choice((10, 11, 12, 13, 14))  # three half-days instead of four
        facilitated = public
    return public, facilitated


def skipped(profile: str, week: dt.date) -> bool:
    """Weeks a profile never reports."""
    if profile == c.MISSING_WEEKS:
        # not in 2023: the warehouse has no 2022 to compare with, a repeat would be spurious
        return dt.date(2024, 10, 21) <= week <= dt.date(2024, 11, 4) or week in (
            dt.date(2025, 6, 16),
            dt.date(2025, 6, 23),
        )
    if profile == c.STOPS_SENDING:
        return week >= dt.date(2025, 5, 26)
    return False


def simulate(
    epn_id: str, profile: str, first: dt.date, last: dt.date, rng: random.Random
) -> list[dict]:
    """One row per reported week from ``first`` to ``last`` (Mondays), standard §3 keys."""
    h = habits(rng)
    closed = closures(h, rng, last.year + 1)
    holidays = set().union(*(public_holidays(y) for y in range(first.year, last.year + 2)))
    rows = []
    for week in mondays(first, last):
        if skipped(profile, week):
            continue
        if week in closed:
            rows.append(
                {
                    "epn_id": epn_id,
                    "week_start": week,
                    "status": "closed",
                    "closure_reason": closed[week],
                    "public_hours": 0,
                    "facilitated_hours": 0,
                    "visits": 0,
                    "unique_users": 0,
                    "new_users": 0,
                }
            )
            continue
        public = open_hours(h, week, holidays, rng)
        facilitated = _half(max(MIN_HOURS, public - h.facilitation_gap))
        public, facilitated = profile_hours(profile, week, public, min(facilitated, public), rng)
        rows.append(
            {
                "epn_id": epn_id,
                "week_start": week,
                "status": "open",
                "closure_reason": None,
                "public_hours": public,
                "facilitated_hours": facilitated,
                **attendance(h, week, public, rng),
            }
        )
    return rows


def attendance(h: Habits, week: dt.date, public: float, rng: random.Random) -> dict:
    years = (week - FIRST_WEEK).days / 365.25
    trend = (1 + h.yearly_growth) ** years
    visits = public * h.visits_per_hour * SEASON[week.month] * trend * rng.lognormvariate(0, 0.12)
    visits = max(20, min(260, round(visits)))
    unique = min(visits, max(1, round(visits * h.unique_ratio * rng.uniform(0.9, 1.1))))
    newcomers = h.new_ratio * NEWCOMERS.get(week.month, 1.0) * rng.uniform(0.7, 1.3)
    return {
        "visits": visits,
        "unique_users": unique,
        "new_users": min(unique, round(unique * newcomers)),
    }
