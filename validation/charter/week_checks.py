"""The three statistics rules (opening_hours_min, facilitator_presence, statistics_incomplete)
evaluated inside DuckDB, every judged year in one query.

One pass over the weeks of the labelled periods counts each EPN's failing weeks per rule and
year (and, for the years whose evidence is asked for, lists them); the commitments are Pandera
checks named by their stable codes, built by Pandera's Ibis backend (``pandera.ibis``) on that
count table: a check fails for the EPN-years whose failing weeks exceed what the charter
tolerates. Their Ibis expression is compiled to DuckDB SQL once per process (it does not
depend on the terms: each year's tolerance is a column of the count table) and runs as the
last step of the same query, so the failing weeks are never scanned twice and nothing is
rebuilt per EPN or per year in pandas.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache, reduce
from operator import or_

import duckdb

from validation.charter.evidence import HOURS_COLUMN, MINIMUM
from validation.charter.findings import Finding
from validation.charter.judged import JudgedYear, periods_params, periods_sql
from validation.charter.rules import rules_of

COUNTS = "charter_week_counts"  # one row per EPN and judged year: its failing weeks per rule
FAILS = {  # where each rule's commitment is not met, on one week (an SQL condition)
    "opening_hours_min": (
        "c.epn_id IS NOT NULL AND c.status = 'open' AND coalesce(c.public_hours < w.public, false)"
    ),
    "facilitator_presence": (
        "c.epn_id IS NOT NULL AND c.status = 'open'"
        " AND coalesce(c.facilitated_hours < w.facilitated, false)"
    ),
    "statistics_incomplete": "c.epn_id IS NULL",
}


def _count_columns() -> str:
    columns = []
    for code in FAILS:
        columns.append(f"count(*) FILTER (WHERE fails_{code}) AS {code}")
        columns.append(
            f"list(week_start ORDER BY week_start) FILTER (WHERE fails_{code} AND evidence)"
            f" AS weeks_{code}"
        )
        if code in HOURS_COLUMN:
            column = HOURS_COLUMN[code]
            columns.append(
                f"list({column} ORDER BY week_start) FILTER (WHERE fails_{code} AND evidence)"
                f" AS hours_{code}"
            )
    return ",\n".join(columns)


# {periods}: the CTEs of ``judged.periods_sql``; {checks}: the compiled Pandera checks
WEEKS_QUERY = """
    WITH {periods},
    weeks AS (
        SELECT year, epn_id, public, facilitated, tolerance, evidence,
               unnest(generate_series(first_week::TIMESTAMP, last_week::TIMESTAMP,
                                      INTERVAL 7 DAY))::DATE AS week_start
        FROM labelled_periods
    ), marked AS (
        SELECT w.year, w.epn_id, w.week_start, w.tolerance, w.evidence,
               c.public_hours, c.facilitated_hours, {fails}
        FROM weeks w
        LEFT JOIN cur_weekly c ON c.epn_id = w.epn_id AND c.week_start = w.week_start
    ), {counts} AS (
        SELECT year::BIGINT AS year, epn_id, any_value(tolerance)::BIGINT AS tolerance,
               {count_columns}
        FROM marked GROUP BY year, epn_id
    )
    SELECT year, epn_id, {breached}, {evidence}
    FROM ({checks})
    ORDER BY epn_id, year
"""


def _week_json(code: str) -> str:
    """The failing weeks as the evidence's JSON: each week's date as ISO text and, for the
    hours rules, its hours as ``epn.records.plain`` writes them (15.0 as 15)."""
    weeks = f"weeks_{code}"
    if code not in HOURS_COLUMN:
        return f"to_json(list_transform({weeks}, lambda d: d::VARCHAR))::VARCHAR AS evidence_{code}"
    column = HOURS_COLUMN[code]
    hours = f"hours_{code}[i]"
    plain = (
        f"CASE WHEN {hours} = trunc({hours}) THEN to_json({hours}::BIGINT)"
        f" ELSE to_json({hours}) END"
    )
    return (
        f"to_json(list_transform({weeks}, lambda d, i: json_object('week_start', d::VARCHAR,"
        f" '{column}', {plain})))::VARCHAR AS evidence_{code}"
    )


@cache
def compiled_checks() -> str:
    """The rules' Pandera checks (Ibis backend) over the count table, compiled to DuckDB SQL:
    the count table's rows with a ``breached_<code>`` column per rule, where any breaches."""
    import ibis  # heavy: imported when the charter is first evaluated, not by every command
    import pandera.ibis as pa

    schema = {"year": "int64", "epn_id": "string", "tolerance": "int64"}
    for code in FAILS:
        schema[code] = "int64"
        schema[f"weeks_{code}"] = "array<date>"
        if code in HOURS_COLUMN:
            schema[f"hours_{code}"] = "array<float64>"
    counts = ibis.table(schema, name=COUNTS)
    breached = {}
    for rule in rules_of("week"):
        check = pa.Check(
            lambda data, code=rule.code, tolerated=rule.tolerated: (
                data.table[code] <= (data.table["tolerance"] if tolerated else 0)
            ),
            name=rule.code,
        )
        breached[f"breached_{rule.code}"] = ~check(counts).check_output
    failing = counts.mutate(**breached).filter(reduce(or_, breached.values()))
    return ibis.to_sql(failing, dialect="duckdb")


@cache
def weeks_query(some_epns: bool) -> str:
    fails = ", ".join(f"{condition} AS fails_{code}" for code, condition in FAILS.items())
    return WEEKS_QUERY.format(
        periods=periods_sql([] if some_epns else None),
        fails=fails,
        counts=COUNTS,
        count_columns=_count_columns(),
        breached=", ".join(f"breached_{code}" for code in FAILS),
        evidence=", ".join(_week_json(code) for code in FAILS),
        checks=compiled_checks(),
    )


def week_findings(
    con: duckdb.DuckDBPyConnection,
    judged: list[JudgedYear],
    as_of: dt.date,
    epn_ids: list[str] | None = None,
) -> list[Finding]:
    """The findings of the three statistics rules for the judged years; a year judged without
    ``evidence`` gets none (which weeks failed and by how much): most of the cost when many
    EPNs breach."""
    if not judged:
        return []
    by_year = {j.year: j for j in judged}
    rows = con.execute(
        weeks_query(epn_ids is not None), periods_params(judged, as_of, epn_ids)
    ).fetchall()
    rules = rules_of("week")
    findings = []
    for year, epn_id, *verdicts in rows:
        terms = by_year[year].terms
        breached, evidence = verdicts[: len(rules)], verdicts[len(rules) :]
        for rule, fired, weeks in zip(rules, breached, evidence, strict=True):
            if fired:
                shown = week_evidence(rule.code, weeks, terms) if weeks is not None else {}
                findings.append(
                    Finding(epn_id, year, rule.code, rule.severity, shown, terms.version_id)
                )
    return findings


def week_evidence(code: str, weeks: str, terms) -> dict:
    """The evidence of a statistics finding, from its failing weeks as JSON text."""
    if code == "statistics_incomplete":
        return {"missing_weeks": json.loads(weeks)}
    return {
        "weeks": json.loads(weeks),
        "minimum_hours": getattr(terms, MINIMUM[code]),
        "tolerance_weeks": terms.hours_tolerance_weeks,
    }
