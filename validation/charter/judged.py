"""The years one evaluation judges, each with its terms, and their labelled periods.

Every rule runs once over all the years judged together (the years asked for and the year
before each, which ``repeated_breach`` looks back to): the labelled periods of every judged
year, each with its year's terms, fill one temporary table (``load_periods``) that the rules'
queries read, rather than being run once a year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from validation.charter.periods import iso_year_weeks, monday, period_bounds
from validation.charter.terms import COMPUTABLE_YEARS, CharterTerms


@dataclass(frozen=True)
class JudgedYear:
    year: int
    terms: CharterTerms
    evidence: bool  # whether its statistics findings list their failing weeks

    def parameter(self, as_of: dt.date) -> dict:
        first, last = iso_year_weeks(self.year)
        deadline = self.terms.report_deadline(self.year)
        return {
            "year": self.year,
            "first_week": first,
            "last_week": last,
            "public": float(self.terms.min_public_hours),
            "facilitated": float(self.terms.min_facilitated_hours),
            "tolerance": int(self.terms.hours_tolerance_weeks),
            "deadline": deadline,
            "deadline_passed": as_of > deadline,
            "evidence": self.evidence,
        }


def judged_parameter(judged: list[JudgedYear], as_of: dt.date) -> list[dict]:
    return [j.parameter(as_of) for j in judged]


def lookback_year(year: int) -> int | None:
    """The year before ``year`` when its dates can be computed at all."""
    return year - 1 if year - 1 in COMPUTABLE_YEARS else None


def cut_week(as_of: dt.date) -> dt.date:
    """The last week an evaluation on ``as_of`` judges: the week before ``as_of``'s."""
    return monday(as_of) - dt.timedelta(days=7)


PERIODS = "charter_periods"  # temporary: one row per EPN labelled during a judged year

# One row per judged year (the fields of ``JudgedYear.parameter``).
JUDGED_YEARS = "SELECT unnest($judged, recursive := true)"

# One row per EPN labelled during a judged year (``periods.period_bounds``, as
# ``periods.labelled_periods``), every year at once, with the year's terms. ``{epns}`` narrows
# it to the EPNs asked for.
LABELLED_PERIODS = f"""
    WITH judged_years AS ({{judged_years}})
    SELECT * FROM (
        SELECT j.year, r.epn_id, j.public, j.facilitated, j.tolerance, j.evidence,
               j.deadline, j.deadline_passed,
               {period_bounds("j.first_week", "j.last_week", "$cut::DATE", "r.")}
        FROM registry_current r CROSS JOIN judged_years j
        WHERE r.labelled_on IS NOT NULL {{epns}}
    )
    WHERE first_week <= last_week
"""


def load_periods(
    con, judged: list[JudgedYear], as_of: dt.date, epn_ids: list[str] | None
) -> tuple[dt.date, dt.date]:
    """Fills the temporary table ``PERIODS`` that every rule's query reads, so that the
    registry's view is planned and read once per evaluation, not once per reference; returns
    the first and last week any judged year holds."""
    epns = "AND list_contains($epn_ids::VARCHAR[], r.epn_id)" if epn_ids is not None else ""
    params: dict[str, object] = {"judged": judged_parameter(judged, as_of), "cut": cut_week(as_of)}
    if epn_ids is not None:
        params["epn_ids"] = list(epn_ids)
    query = LABELLED_PERIODS.format(judged_years=JUDGED_YEARS, epns=epns)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {PERIODS} AS {query}", params)
    years = params["judged"]
    return min(y["first_week"] for y in years), max(y["last_week"] for y in years)
