"""The charter engine before issue 12 (pandas frames per EPN and year), kept as the oracle
that tests/test_charter_in_database.py compares the in-database evaluation with.

Evaluates the charter rules per EPN and reporting year, over the labelled period.

Each rule runs as a Pandera check named by its stable code; the failing rows become one
finding per EPN and code, with the evidence (which weeks, which values).
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pandera.pandas as pa
from legacy_charter_frames import report_frame, week_evidence, week_frame
from pandera.errors import SchemaErrors

from validation.charter.evidence import report_evidence
from validation.charter.findings import Finding
from validation.charter.periods import labelled_periods
from validation.charter.rules import REPEATED_BREACH, CharterRule, rules_of
from validation.charter.terms import CharterTerms, terms_for


def failing_rows(frame: pd.DataFrame, rules: tuple[CharterRule, ...], terms: CharterTerms):
    """{code: index of the rows where the commitment is not met}, via one lazy Pandera run."""
    schema = pa.DataFrameSchema(
        checks=[pa.Check(lambda f, r=r: ~r.fails(f, terms), name=r.code) for r in rules]
    )
    try:
        schema.validate(frame, lazy=True)
    except SchemaErrors as errors:
        cases = errors.failure_cases.dropna(subset=["index"])
        return {code: pd.Index(group["index"].unique()) for code, group in cases.groupby("check")}
    return {}


def week_findings(frame, year, terms) -> list[Finding]:
    findings = []
    for code, index in failing_rows(frame, rules_of("week"), terms).items():
        rule = next(r for r in rules_of("week") if r.code == code)
        tolerance = terms.hours_tolerance_weeks if rule.tolerated else 0
        for epn_id, weeks in frame.loc[index].groupby("epn_id", sort=True):
            if len(weeks) > tolerance:
                evidence = week_evidence(code, weeks, terms)
                findings.append(
                    Finding(epn_id, year, code, rule.severity, evidence, terms.version_id)
                )
    return findings


def report_findings(frame, year, terms) -> list[Finding]:
    findings = []
    for code, index in failing_rows(frame, rules_of("report"), terms).items():
        rule = next(r for r in rules_of("report") if r.code == code)
        for _, row in frame.loc[index].iterrows():
            evidence = report_evidence(code, row, terms)
            findings.append(
                Finding(row["epn_id"], year, code, rule.severity, evidence, terms.version_id)
            )
    return findings


def base_findings(con, year, as_of, epn_ids=None, **overrides) -> list[Finding]:
    terms = terms_for(year, con, **overrides)
    if not terms.judges(year):  # before obligations start: no findings at all
        return []
    periods = labelled_periods(con, year, as_of, epn_ids)
    if periods.empty:
        return []
    weeks = week_frame(con, periods)
    reports = report_frame(con, periods, year, as_of, terms.report_deadline(year))
    return week_findings(weeks, year, terms) + report_findings(reports, year, terms)


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


def evaluate(
    con: duckdb.DuckDBPyConnection,
    year: int,
    as_of: dt.date | None = None,
    epn_ids: list[str] | None = None,
    **overrides,
) -> list[Finding]:
    """Every finding of ``year`` as of ``as_of`` (default: today), sorted by EPN and code."""
    as_of = as_of or dt.date.today()
    current = base_findings(con, year, as_of, epn_ids, **overrides)
    previous = base_findings(con, year - 1, as_of, epn_ids, **overrides) if current else []
    found = current + repeated(current, previous)
    return sorted(found, key=lambda f: (f.epn_id, f.code, str(f.evidence.get("repeated_code"))))
