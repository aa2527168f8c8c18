"""Evaluates the charter rules per EPN and reporting year, over the labelled period.

Each rule is a Pandera check named by its stable code. The three statistics rules run inside
DuckDB (``week_checks``: Pandera's Ibis backend on each EPN's count of failing weeks, the
failing weeks by query); the report rules on the one frame of the year's latest reports. A
year before the first reporting year, or without any labelled period, is not evaluated; each
year is evaluated once however many years are asked for (``evaluate_years``).
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pandera.pandas as pa

from validation.charter import week_checks
from validation.charter.evidence import report_evidence
from validation.charter.findings import Finding
from validation.charter.frames import report_frame
from validation.charter.periods import labelled_periods
from validation.charter.rules import REPEATED_BREACH, CharterRule, rules_of
from validation.charter.terms import CharterTerms, terms_for


def failing_rows(frame: pd.DataFrame, rules: tuple[CharterRule, ...], terms: CharterTerms):
    """{code: index of the rows where the commitment is not met}: each rule a Pandera check,
    run on its own; a schema's lazy run would gather the same rows as failure cases, through
    a reshaping that cost more than the checks themselves."""
    failing = {}
    for rule in rules:
        check = pa.Check(lambda f, r=rule: ~r.fails(f, terms), name=rule.code)
        passed = check(frame).check_output.to_numpy(dtype=bool)
        if not passed.all():
            failing[rule.code] = frame.index[~passed]
    return failing


def report_findings(frame: pd.DataFrame, year: int, terms: CharterTerms) -> list[Finding]:
    """The report rules' findings, from the failing rows as records."""
    findings = []
    for code, index in failing_rows(frame, rules_of("report"), terms).items():
        rule = next(r for r in rules_of("report") if r.code == code)
        for row in frame.loc[index].to_dict("records"):
            evidence = report_evidence(code, row, terms)
            findings.append(
                Finding(row["epn_id"], year, code, rule.severity, evidence, terms.version_id)
            )
    return findings


def year_findings(con, year, as_of, epn_ids=None, *, evidence=True, **overrides) -> list[Finding]:
    """The findings of ``year`` before ``repeated_breach``: none before the first reporting
    year, none without a labelled period (nothing is then evaluated); without ``evidence``,
    the statistics rules' findings carry none (who breaches what, at a fraction of the cost)."""
    terms = terms_for(year, con, **overrides)
    if not terms.judges(year):
        return []
    periods = labelled_periods(con, year, as_of, epn_ids)
    if periods.empty:
        return []
    reports = report_frame(con, periods, year, as_of, terms.report_deadline(year))
    weeks = week_checks.week_findings(con, year, terms, periods, evidence=evidence)
    return weeks + report_findings(reports, year, terms)


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
    before one that has findings (``repeated_breach`` looks back), evaluated once.

    ``evidence=False`` leaves out which weeks failed and by how much: the same findings
    (EPN, rule, severity) for a reader that only counts them, such as the what-if."""
    as_of = as_of or dt.date.today()
    base: dict[int, list[Finding]] = {}

    def findings_of(year: int) -> list[Finding]:
        if year not in base:
            base[year] = year_findings(con, year, as_of, epn_ids, evidence=evidence, **overrides)
        return base[year]

    def breaches_before(year: int, current: list[Finding]) -> list[Finding]:
        """Last year's findings of the EPNs breaching this year: all ``repeated`` needs, and
        at a fraction of a whole year's cost when last year is not asked for itself."""
        if year - 1 in base or year - 1 in years:
            return findings_of(year - 1)
        breaching = sorted({f.epn_id for f in current if f.severity == "breach"})
        if not breaching:
            return []
        return year_findings(con, year - 1, as_of, breaching, evidence=False, **overrides)

    result = {}
    for year in sorted(set(years)):
        current = findings_of(year)
        previous = breaches_before(year, current) if current else []
        found = current + repeated(current, previous)
        result[year] = sorted(found, key=_order)
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


def _order(f: Finding) -> tuple:
    return (f.epn_id, f.code, str(f.evidence.get("repeated_code")))
