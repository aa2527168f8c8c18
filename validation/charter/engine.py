"""Evaluates the charter rules per EPN and reporting year, over the labelled period.

Each rule is a Pandera check named by its stable code. The three statistics rules run inside
DuckDB (``week_checks``: Pandera's Ibis backend on each EPN's count of failing weeks, in the
query that counts them); the report rules on the one frame of the years' latest reports.
Every year judged, and the year before each (``repeated_breach`` looks back), is evaluated
in the same two queries; a year before the first reporting year, or without any labelled
period, yields nothing.
"""

from __future__ import annotations

import datetime as dt
from operator import attrgetter

import duckdb
import pandas as pd
import pandera.pandas as pa

from validation.charter import week_checks
from validation.charter.collection import collector_paused
from validation.charter.evidence import REPORT_FIELDS, report_evidence
from validation.charter.findings import Finding
from validation.charter.frames import report_frames
from validation.charter.judged import JudgedYear, load_periods, lookback_year
from validation.charter.rules import REPEATED_BREACH, CharterRule, rules_of
from validation.charter.terms import all_terms, terms_among

# the order of a year's findings: by EPN, then rule (a repeated breach's by the rule it repeats)
BY_EPN_AND_CODE = attrgetter("epn_id", "code")


def failing_rows(frame: pd.DataFrame, rules: tuple[CharterRule, ...], terms=None):
    """{code: index of the rows where the commitment is not met}: each rule a Pandera check,
    run on its own; a schema's lazy run would gather the same rows as failure cases, through
    a reshaping that cost more than the checks themselves. (The report rules read everything,
    each year's deadline included, from the frame: ``terms`` is for rules that need them.)"""
    failing = {}
    for rule in rules:
        check = pa.Check(lambda f, r=rule: ~r.fails(f, terms), name=rule.code)
        passed = check(frame).check_output.to_numpy(dtype=bool)
        if not passed.all():
            failing[rule.code] = frame.index[~passed]
    return failing


def report_findings(frame: pd.DataFrame, judged: dict[int, JudgedYear]) -> list[Finding]:
    """The report rules' findings over every judged year's rows, from the failing rows."""
    findings = []
    rules = {rule.code: rule for rule in rules_of("report")}
    for code, index in failing_rows(frame, rules_of("report")).items():
        rule = rules[code]
        shown = ["year", "epn_id", "upload_id", *REPORT_FIELDS[code]]  # what the finding shows
        failing = frame.loc[index, shown]
        # the failing rows as records, column by column (``to_dict`` boxes cell by cell)
        records = [
            dict(zip(shown, row, strict=True)) for row in zip(*_columns(failing), strict=True)
        ]
        for row in records:
            terms = judged[row["year"]].terms
            evidence = report_evidence(code, row, terms)
            findings.append(
                Finding(row["epn_id"], row["year"], code, rule.severity, evidence, terms.version_id)
            )
    return findings


def _columns(frame: pd.DataFrame) -> list[list]:
    """Each column's values as Python objects, as ``DataFrame.to_dict`` gives them: a
    nullable column's missing value as None (``tolist`` keeps ``pd.NA``)."""
    columns = []
    for name in frame.columns:
        values = frame[name].tolist()
        if isinstance(frame[name].dtype, pd.api.extensions.ExtensionDtype):
            values = [None if value is pd.NA else value for value in values]
        columns.append(values)
    return columns


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


def base_findings(con, judged: list[JudgedYear], as_of, epn_ids) -> dict[int, list[Finding]]:
    """{year: its findings before ``repeated_breach``} for the judged years, in two queries."""
    by_year: dict[int, list[Finding]] = {j.year: [] for j in judged}
    if not judged:
        return by_year
    weeks = load_periods(con, judged, as_of, epn_ids)
    reports = report_frames(con, as_of)
    found = week_checks.week_findings(con, judged, weeks)
    found += report_findings(reports, {j.year: j for j in judged})
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
    base = base_findings(con, judged_years(con, asked, evidence, overrides), as_of, epn_ids)
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
