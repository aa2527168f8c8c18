"""Evaluates the charter rules per EPN and reporting year, over the labelled period.

Each rule is a Pandera check named by its stable code, built by Pandera's Ibis backend and
run inside DuckDB as the SQL it compiles to (kept between processes): the three statistics
rules on each EPN's count of failing weeks, in the query that counts them (``week_checks``);
the report rules on the frame of the years' latest reports (``report_checks``). Neither
pandas nor Pandera is loaded to evaluate once the checks are compiled. Every year judged,
and the year before each (``repeated_breach`` looks back), is evaluated in the same two
queries; a year before the first reporting year, or without any labelled period, yields
nothing.
"""

from __future__ import annotations

import datetime as dt
from operator import attrgetter

import duckdb

from validation.charter import report_checks, week_checks
from validation.charter.collection import collector_paused
from validation.charter.findings import Finding
from validation.charter.judged import JudgedYear, load_periods, lookback_year
from validation.charter.rules import REPEATED_BREACH
from validation.charter.terms import all_terms, terms_among

# the order of a year's findings: by EPN, then rule (a repeated breach's by the rule it repeats)
BY_EPN_AND_CODE = attrgetter("epn_id", "code")


def judged_years(con, years: list[int], evidence: bool, overrides: dict) -> list[JudgedYear]:
    """The years asked for that the charter judges, and the year before each (judged without
    evidence unless asked for too): all one evaluation needs."""
    versions = all_terms(con)
    judged: dict[int, JudgedYear] = {}
    for year in sorted(set(years)):
        terms = terms_among(versions, year, **overrides)
        if terms.judges(year):
            judged[year] = JudgedYear(year, terms, evidence)
    for year in list(judged):
        before = lookback_year(year)
        if before is None or before in judged:
            continue
        terms = terms_among(versions, before, **overrides)
        if terms.judges(before):
            judged[before] = JudgedYear(before, terms, False)
    return sorted(judged.values(), key=lambda j: j.year)


def base_findings(
    con, judged: list[JudgedYear], as_of, epn_ids, asked: list[int]
) -> dict[int, list[Finding]]:
    """{year: its findings before ``repeated_breach``} for the judged years, in two queries;
    the report rules' only when one of them may fail in a year ``asked`` (a year judged only
    for ``repeated_breach`` matters through the asked year's findings alone)."""
    by_year: dict[int, list[Finding]] = {j.year: [] for j in judged}
    if not judged:
        return by_year
    weeks = load_periods(con, judged, as_of, epn_ids)
    found = week_checks.week_findings(con, judged, weeks)
    if report_checks.any_report_can_fail(con, asked, as_of):
        found += report_checks.report_findings(con, judged, as_of)
    for finding in found:
        by_year[finding.year].append(finding)
    return by_year


def repeated(current: list[Finding], previous: list[Finding]) -> list[Finding]:
    """Article 10: a breach that fired last year and fires again; one finding per code."""
    before = {(f.epn_id, f.code) for f in previous if f.severity == "breach"}
    return [
        Finding(
            f.epn_id,
            f.year,
            REPEATED_BREACH.code,
            REPEATED_BREACH.severity,
            {"repeated_code": f.code, "previous_year": f.year - 1},
            f.charter_version,
        )
        for f in current
        if f.severity == "breach" and (f.epn_id, f.code) in before
    ]


def evaluate_years(
    con: duckdb.DuckDBPyConnection,
    years: list[int],
    as_of: dt.date | None = None,
    epn_ids: list[str] | None = None,
    *,
    evidence: bool = True,
    **overrides,
) -> dict[int, list[Finding]]:
    """{year: its findings, sorted by EPN and code} for ``years``; each year, and the year
    before each (``repeated_breach`` looks back), evaluated once, all in the same queries.

    ``evidence=False`` leaves out which weeks failed and by how much: the same findings
    (EPN, rule, severity) for a reader that only counts them, such as the what-if."""
    as_of = as_of or dt.date.today()
    asked = sorted(set(years))
    with collector_paused():
        return _evaluated(con, asked, as_of, epn_ids, evidence, overrides)


def _evaluated(con, asked: list[int], as_of, epn_ids, evidence, overrides) -> dict:
    judged = judged_years(con, asked, evidence, overrides)
    base = base_findings(con, judged, as_of, epn_ids, asked)
    result = {}
    for year in asked:
        current = sorted(base.get(year, []), key=BY_EPN_AND_CODE)
        previous = base.get(year - 1, []) if current else []
        # a year's base findings are one per EPN and rule; its repeated breaches come in the
        # order of the rules they repeat, which a stable sort keeps
        found = current + repeated(current, previous)
        found.sort(key=BY_EPN_AND_CODE)
        result[year] = found
    return result


def evaluate(
    con: duckdb.DuckDBPyConnection,
    year: int,
    as_of: dt.date | None = None,
    epn_ids: list[str] | None = None,
    *,
    evidence: bool = True,
    **overrides,
) -> list[Finding]:
    """Every finding of ``year`` as of ``as_of`` (default: today), sorted by EPN and code."""
    return evaluate_years(con, [year], as_of, epn_ids, evidence=evidence, **overrides)[year]
