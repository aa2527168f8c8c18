"""The charter's thresholds as data, read in this one place and versioned by effective date."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

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
def _shipped() -> dict:
    with TERMS_FILE.open("rb") as handle:
        return tomllib.load(handle)


def all_terms() -> tuple[CharterTerms, ...]:
    versions = _shipped()["version"]
    return tuple(sorted((CharterTerms(**v) for v in versions), key=lambda v: v.effective_from))


def first_reporting_year() -> int:
    """The first reporting year this software judges (``reporting_from``)."""
    return int(_shipped()["reporting_from"])


def terms_for(year: int, **overrides) -> CharterTerms:
    """The version in force on 1 January of ``year``; ``overrides`` simulate a change.

    A simulation names its changes here, explicitly: nothing else alters the stored terms,
    so every stored verdict is judged by the charter as it stands.
    """
    first_day = dt.date(year, 1, 1)
    versions = all_terms()
    terms = next((v for v in reversed(versions) if v.effective_from <= first_day), versions[0])
    return replace(terms, **{k: v for k, v in overrides.items() if v is not None})
