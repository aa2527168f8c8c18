"""The charter's thresholds as data, versioned by effective date.

The versions live in the warehouse (table ``charter_version``, with ``charter_adoption``
saying which the COPIL adopted), seeded from the shipped default
(``validation/charter/charter_terms.toml``). A reporting year is judged by the adopted version
in force on its first day; of two versions taking effect on the same day, the later one.

Callers holding a connection pass it (``terms_for(year, con)``); the others get the versions
last read from the configured warehouse in this process (a cached read keyed by the
warehouse's path), else the shipped default.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import duckdb

from epn.errors import EpnError
from epn.settings import warehouse_path

TERMS_FILE = Path(__file__).with_name("charter_terms.toml")
# The years whose weeks and next-year deadline a date can hold. Ingestion refuses an
# implausible year, but a warehouse written before that (or by hand) may still hold a week
# dated 9999: a year outside this range fails in words, never as an OverflowError.
COMPUTABLE_YEARS = range(1, 9999)
THRESHOLDS = (
    "min_public_hours",
    "min_facilitated_hours",
    "hours_tolerance_weeks",
    "report_deadline_month",
    "report_deadline_day",
)


def check_computable(year: int) -> int:
    """``year`` itself, or a clear refusal when its dates cannot be computed."""
    if int(year) not in COMPUTABLE_YEARS:
        raise EpnError("year_not_computable", year=year)
    return int(year)


@dataclass(frozen=True)
class CharterTerms:
    effective_from: dt.date
    name: str
    min_public_hours: float
    min_facilitated_hours: float
    hours_tolerance_weeks: int
    report_deadline_month: int
    report_deadline_day: int
    reporting_from: int
    version_id: int | None = None  # the warehouse's id; None for the shipped default

    def report_deadline(self, year: int) -> dt.date:
        return dt.date(
            check_computable(year) + 1, self.report_deadline_month, self.report_deadline_day
        )

    def judges(self, year: int) -> bool:
        """Whether ``year`` is judged at all: obligations start with ``reporting_from``."""
        return year >= self.reporting_from


@cache
def shipped_terms() -> tuple[CharterTerms, ...]:
    """The default versions shipped with the code (what a new warehouse is seeded with)."""
    with TERMS_FILE.open("rb") as handle:
        versions = tomllib.load(handle)["version"]
    return tuple(sorted((CharterTerms(**v) for v in versions), key=lambda v: v.effective_from))


# warehouse path -> its adopted versions, as last read in this process
_read: dict[str, tuple[CharterTerms, ...]] = {}

VERSIONS_SQL = """
    SELECT v.effective_from, v.name, v.min_public_hours, v.min_facilitated_hours,
           v.hours_tolerance_weeks, v.report_deadline_month, v.report_deadline_day,
           v.reporting_from, v.version_id
    FROM charter_version v JOIN charter_adoption a USING (version_id)
    ORDER BY v.effective_from, v.version_id
"""


def all_terms(con: duckdb.DuckDBPyConnection | None = None) -> tuple[CharterTerms, ...]:
    """The adopted versions, oldest first: the warehouse's when ``con`` is given (or was
    read before for the configured warehouse), else the shipped default."""
    if con is None:
        return _read.get(_key(None)) or shipped_terms()
    try:
        rows = con.execute(VERSIONS_SQL).fetchall()
    except duckdb.CatalogException:  # a warehouse from before migration 0012
        return shipped_terms()
    versions = tuple(CharterTerms(*row) for row in rows) or shipped_terms()
    _read[_key(con)] = versions
    return versions


def terms_for(year: int, con: duckdb.DuckDBPyConnection | None = None, **overrides) -> CharterTerms:
    """The version in force on 1 January of ``year``; ``overrides`` simulate a change.

    A simulation names its changes here, explicitly: nothing else alters the stored terms,
    so every stored verdict is judged by the charter as it stands.
    """
    return terms_among(all_terms(con), year, **overrides)


def terms_among(versions: tuple[CharterTerms, ...], year: int, **overrides) -> CharterTerms:
    """``terms_for`` among versions already read (one read for every year of an evaluation)."""
    first_day = dt.date(year, 1, 1)
    terms = next((v for v in reversed(versions) if v.effective_from <= first_day), versions[0])
    return replace(terms, **{k: v for k, v in overrides.items() if v is not None})


def first_reporting_year(con: duckdb.DuckDBPyConnection | None = None) -> int:
    """The first reporting year judged: the earliest year its version in force judges."""
    versions = all_terms(con)
    candidates = [max(v.reporting_from, v.effective_from.year) for v in versions]
    return next(
        (y for y in sorted(candidates) if terms_for(y, con).judges(y)), versions[0].reporting_from
    )


def _key(con: duckdb.DuckDBPyConnection | None) -> str:
    if con is None:
        return _resolved(str(warehouse_path()))
    row = con.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    return _resolved(row[0]) if row and row[0] else ":memory:"


@cache
def _resolved(path: str) -> str:
    """The warehouse's absolute path: asked many times a file (every plausible week), it is
    resolved on disk once per path given."""
    return str(Path(path).resolve())
