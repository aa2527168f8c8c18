"""The charter's thresholds as data, read in this one place and versioned by effective date."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from epn.settings import get_settings

TERMS_FILE = Path(__file__).with_name("charter_terms.toml")


@dataclass(frozen=True)
class CharterTerms:
    effective_from: dt.date
    name: str
    min_public_hours: float
    min_facilitated_hours: float
    hours_tolerance_weeks: int
    report_deadline_month: int
    report_deadline_day: int

    def report_deadline(self, year: int) -> dt.date:
        return dt.date(year + 1, self.report_deadline_month, self.report_deadline_day)


@cache
def all_terms() -> tuple[CharterTerms, ...]:
    with TERMS_FILE.open("rb") as handle:
        versions = tomllib.load(handle)["version"]
    return tuple(sorted((CharterTerms(**v) for v in versions), key=lambda v: v.effective_from))


def terms_for(year: int, **overrides) -> CharterTerms:
    """The version in force on 1 January of ``year``; ``overrides`` simulate a change."""
    first_day = dt.date(year, 1, 1)
    versions = all_terms()
    terms = next((v for v in reversed(versions) if v.effective_from <= first_day), versions[0])
    tolerance = get_settings().hours_tolerance_weeks
    if tolerance is not None:
        terms = replace(terms, hours_tolerance_weeks=tolerance)
    return replace(terms, **{k: v for k, v in overrides.items() if v is not None})
