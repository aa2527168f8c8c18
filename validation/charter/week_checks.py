"""The three statistics rules (opening_hours_min, facilitator_presence, statistics_incomplete)
evaluated inside DuckDB, every judged year in one query.

One pass over each EPN's weekly rows within its labelled periods counts its failing weeks
per rule and year (and, for the years whose evidence is asked for, lists them); the
commitments are Pandera checks named by their stable codes, built by Pandera's Ibis backend
(``pandera.ibis``) on that count table: a check fails for the EPN-years whose failing weeks
exceed what the charter tolerates. Their Ibis expression is compiled to DuckDB SQL once (it
does not depend on the terms: each year's tolerance is a column of the count table; the SQL
is kept between processes by ``compiled_cache``) and runs as the last step of the same
query, so the weeks are never scanned twice and nothing is rebuilt per EPN or per year in
pandas.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache, reduce
from itertools import compress
from operator import or_
from pathlib import Path

import duckdb

from validation.charter.compiled_cache import digest, kept_sql
from validation.charter.evidence import HOURS_COLUMN, MINIMUM
from validation.charter.findings import Finding
from validation.charter.judged import PERIODS, JudgedYear
from validation.charter.rules import rules_of

COUNTS = "charter_week_counts"  # one row per EPN and judged year: its failing weeks per rule
# each hours rule's minimum, a column of the labelled periods (the year's terms)
MINIMUM_COLUMN = {"opening_hours_min": "public", "facilitator_presence": "facilitated"}


def _falls_short(hours: str, minimum: str) -> str:
    """Whether ``hours`` fall short of the rule's ``minimum`` (SQL; missing hours do not)."""
    return f"coalesce({hours} < {minimum}, false)"


# where an hours rule's commitment is not met, on one week that has its row (an SQL condition)
FAILS = {
    code: f"c.status = 'open' AND {_falls_short(f'c.{hours}', f'p.{MINIMUM_COLUMN[code]}')}"
    for code, hours in HOURS_COLUMN.items()
}
CODES = (*FAILS, "statistics_incomplete")  # the statistics rules, in the order of ``RULES``
FAILING = "failing_weeks"  # per EPN-year, its weeks failing an hours rule (when evidence is asked)


def _week_flags() -> str:
    """Per week read, whether it fails each hours rule: computed once, then counted and listed."""
    return ", ".join(f"{fails} AS fails_{code}" for code, fails in FAILS.items())


def _hours_columns(evidence: bool) -> str:
    """Per EPN-year, each hours rule's count of failing weeks and, where the year's evidence
    is asked for, the weeks failing either rule, unordered: one list for both rules, of
    structs (each week's date and hours), sorted by week and split by rule only for the
    EPN-years that breach. An ordered list per rule and per field costs the aggregation a
    third more; which rule a week fails, kept in the struct, a fifth. Without evidence
    (the what-if), no list at all."""
    columns = [f"count(*) FILTER (WHERE fails_{code}) AS {code}" for code in FAILS]
    if not evidence:
        return ",\n".join([*columns, f"NULL AS {FAILING}"])
    fields = ["'week_start': week_start"]
    fields += [f"'{HOURS_COLUMN[code]}': {HOURS_COLUMN[code]}" for code in FAILS]
    failing = " OR ".join(f"fails_{code}" for code in FAILS)
    columns.append(
        f"list({{{', '.join(fields)}}}) FILTER (WHERE ({failing}) AND evidence) AS {FAILING}"
    )
    return ",\n".join(columns)


def _counted_columns() -> str:
    """The count table's columns from the weeks counted: each rule's count, the failing
    weeks, and each rule's minimum (which of those weeks fail which rule)."""
    columns = [f"coalesce(w.{code}, 0) AS {code}" for code in FAILS]
    columns += [f"w.{FAILING}", *(f"p.{column}" for column in MINIMUM_COLUMN.values())]
    return ", ".join(columns)


# {periods}: the table of labelled periods (``judged.PERIODS``); {checks}: the compiled
# Pandera checks.
# The weeks of a labelled period are Mondays: the rows of ``cur_weekly`` (one per EPN and
# week, ``warehouse.integrity``) within it are read once, on a join with the periods, each
# judged against each hours rule once (a flag counted and listed, not a condition evaluated
# per aggregate); a missing week is one the period counts and no row holds. Which weeks are
# missing is only listed for the EPN-years that breach ``statistics_incomplete``, when asked
# for.
WEEKS_QUERY = """
    WITH reported AS (
        SELECT year, epn_id, count(*) AS present, {hours_columns}
        FROM (
            SELECT p.year, p.epn_id, p.evidence, c.week_start, {hours}, {week_flags}
            FROM {periods} p
            JOIN cur_weekly c
              ON c.epn_id = p.epn_id AND c.week_start BETWEEN p.first_week AND p.last_week
            WHERE c.week_start BETWEEN $earliest AND $latest AND isodow(c.week_start) = 1
        )
        GROUP BY year, epn_id
    ), {counts} AS (
        SELECT p.year::BIGINT AS year, p.epn_id, p.tolerance::BIGINT AS tolerance,
               {counted_columns},
               datediff('day', p.first_week, p.last_week) // 7 + 1 - coalesce(w.present, 0)
                   AS statistics_incomplete
        FROM {periods} p
        LEFT JOIN reported w ON w.year = p.year AND w.epn_id = p.epn_id
    ), checked AS (
        {checks}
    ){gaps}
    SELECT k.year, k.epn_id, {breached}, {evidence}
    FROM checked k {gaps_joined}
    ORDER BY k.epn_id, k.year
"""
# the missing weeks of the EPN-years breaching ``statistics_incomplete`` whose evidence is asked
GAPS = """, gaps AS (
        SELECT g.year, g.epn_id,
               list(g.week_start ORDER BY g.week_start) AS weeks_statistics_incomplete
        FROM (
            SELECT k.year, k.epn_id,
                   unnest(generate_series(p.first_week::TIMESTAMP, p.last_week::TIMESTAMP,
                                          INTERVAL 7 DAY))::DATE AS week_start
            FROM checked k
            JOIN {periods} p ON p.year = k.year AND p.epn_id = k.epn_id
            WHERE k.breached_statistics_incomplete AND p.evidence
        ) g
        ANTI JOIN (  -- the rows of those EPNs only: the anti join builds on this side
            SELECT c.epn_id, c.week_start FROM cur_weekly c
            WHERE c.week_start BETWEEN $earliest AND $latest
              AND c.epn_id IN (SELECT epn_id FROM checked WHERE breached_statistics_incomplete)
        ) c ON c.epn_id = g.epn_id AND c.week_start = g.week_start
        GROUP BY g.year, g.epn_id
    )
"""


def _week_json(code: str) -> str:
    """The failing weeks as the evidence's JSON, in week order: each week's date as ISO text
    and, for the hours rules, its hours as ``epn.records.plain`` writes them (15.0 as 15)."""
    if code not in HOURS_COLUMN:
        weeks = f"weeks_{code}"
        return f"to_json(list_transform({weeks}, lambda d: d::VARCHAR))::VARCHAR AS evidence_{code}"
    column = HOURS_COLUMN[code]
    hours = f"w.{column}"
    plain = (
        f"CASE WHEN {hours} = trunc({hours}) THEN to_json({hours}::BIGINT)"
        f" ELSE to_json({hours}) END"
    )
    # the weeks in the list are open (both rules ask it): this rule's are those short of its
    # minimum
    short = _falls_short(f"w.{column}", f"k.{MINIMUM_COLUMN[code]}")
    weeks = f"list_filter(list_sort({FAILING}), lambda w: {short})"
    return (
        f"to_json(list_transform({weeks}, lambda w: json_object('week_start',"
        f" w.week_start::VARCHAR, '{column}', {plain})))::VARCHAR AS evidence_{code}"
    )


@cache
def compiled_checks() -> str:
    """The rules' Pandera checks (Ibis backend) over the count table, compiled to DuckDB SQL:
    the count table's rows with a ``breached_<code>`` column per rule, where any breaches.
    Compiled once per process, and kept between processes for the same Pandera, Ibis and
    code (``compiled_cache``)."""
    definition = repr([(rule.code, rule.tolerated) for rule in rules_of("week")])
    key = digest((Path(__file__),), definition)
    return kept_sql("week_checks", key, compile_checks)


def compile_checks() -> str:
    """Pandera's Ibis backend compiling the week rules' checks (``compiled_checks``)."""
    import ibis  # heavy: imported when the charter is first evaluated, not by every command
    import pandera.ibis as pa

    schema = {"year": "int64", "epn_id": "string", "tolerance": "int64"}
    schema |= dict.fromkeys(FAILS, "int64")
    fields = ["week_start: date", *(f"{HOURS_COLUMN[code]}: float64" for code in FAILS)]
    schema[FAILING] = f"array<struct<{', '.join(fields)}>>"
    schema |= dict.fromkeys(MINIMUM_COLUMN.values(), "float64")
    schema["statistics_incomplete"] = "int64"
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
def weeks_query(evidence: bool) -> str:
    """The week rules' query: with the evidence of the years that ask for it, or with none
    at all (the what-if)."""
    return WEEKS_QUERY.format(
        gaps=GAPS.format(periods=PERIODS) if evidence else "",
        gaps_joined="LEFT JOIN gaps USING (year, epn_id)" if evidence else "",
        periods=PERIODS,
        hours_columns=_hours_columns(evidence),
        hours=", ".join(f"c.{column}" for column in HOURS_COLUMN.values()),
        week_flags=_week_flags(),
        counts=COUNTS,
        counted_columns=_counted_columns(),
        checks=compiled_checks(),
        breached=", ".join(f"breached_{code}" for code in CODES),
        evidence=", ".join(
            _week_json(code) if evidence else f"NULL AS evidence_{code}" for code in CODES
        ),
    )


def week_findings(
    con: duckdb.DuckDBPyConnection, judged: list[JudgedYear], weeks: tuple[dt.date, dt.date]
) -> list[Finding]:
    """The findings of the three statistics rules over the labelled periods loaded
    (``judged.load_periods``), whose weeks lie within ``weeks``; a year judged without
    ``evidence`` gets none (which weeks failed and by how much): most of the cost when many
    EPNs breach."""
    if not judged:
        return []
    by_year = {j.year: j for j in judged}
    evidence = any(j.evidence for j in judged)
    earliest, latest = weeks
    rows = con.execute(weeks_query(evidence), {"earliest": earliest, "latest": latest}).fetchall()
    if not rows:
        return []
    years, epns, *columns = zip(*rows, strict=True)  # the failing EPN-years, by column
    terms = {year: j.terms for year, j in by_year.items()}
    rules = rules_of("week")
    found, texts = [], []  # each finding's (row, rule) and failing weeks, by rule then row
    for rule, breached, shown in zip(rules, columns, columns[len(rules) :], strict=False):
        rows_breached = list(compress(range(len(years)), breached))
        found += [(k, rule) for k in rows_breached]
        texts += [shown[k] for k in rows_breached]
    # every finding's failing weeks parsed at once: one JSON array, not a parse per finding
    listed = [text for text in texts if text is not None]
    parsed = iter(json.loads(f"[{','.join(listed)}]") if listed else ())
    return [
        Finding(
            epns[k],
            years[k],
            rule.code,
            rule.severity,
            {} if text is None else week_evidence(rule.code, next(parsed), terms[years[k]]),
            terms[years[k]].version_id,
        )
        for (k, rule), text in zip(found, texts, strict=True)
    ]


def week_evidence(code: str, weeks: list, terms) -> dict:
    """The evidence of a statistics finding, from its failing weeks (parsed from JSON)."""
    if code == "statistics_incomplete":
        return {"missing_weeks": weeks}
    return {
        "weeks": weeks,
        "minimum_hours": getattr(terms, MINIMUM[code]),
        "tolerance_weeks": terms.hours_tolerance_weeks,
    }
