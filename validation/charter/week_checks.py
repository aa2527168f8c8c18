"""The three statistics rules (opening_hours_min, facilitator_presence, statistics_incomplete)
evaluated inside DuckDB.

The weeks of the labelled periods stay in the database (a temporary table); one query
counts each EPN's failing weeks per rule; the commitments are Pandera checks named by their
stable codes, run on that count table through Pandera's Ibis backend (``pandera.ibis``), so
that a check fails for the EPNs whose failing weeks exceed what the charter tolerates. The
evidence (which weeks, which values) comes from one query per failing rule, for the EPNs its
check named. Nothing is rebuilt per EPN in pandas.
"""

from __future__ import annotations

from contextlib import contextmanager

import duckdb
import pandas as pd

from epn.records import plain
from validation.charter.evidence import HOURS_COLUMN, MINIMUM
from validation.charter.findings import Finding
from validation.charter.rules import rules_of
from validation.charter.terms import CharterTerms

WEEKS = "charter_weeks"  # temporary: one row per EPN and week of its labelled period
FAILS = {  # where each rule's commitment is not met, on one week (an SQL condition)
    "opening_hours_min": "has_row AND status = 'open' AND coalesce(public_hours < $public, false)",
    "facilitator_presence": (
        "has_row AND status = 'open' AND coalesce(facilitated_hours < $facilitated, false)"
    ),
    "statistics_incomplete": "NOT has_row",
}


# each week of the labelled periods (the frame registered as ``labelled_periods``) with its
# current statistics, or none (``has_row``)
WEEKS_OF_PERIODS = """
    WITH weeks AS (
        SELECT epn_id,
               unnest(generate_series(first_week::TIMESTAMP, last_week::TIMESTAMP,
                                      INTERVAL 7 DAY))::DATE AS week_start
        FROM labelled_periods
    )
    SELECT w.epn_id, w.week_start, c.status, c.public_hours, c.facilitated_hours,
           c.epn_id IS NOT NULL AS has_row
    FROM weeks w
    LEFT JOIN cur_weekly c ON c.epn_id = w.epn_id AND c.week_start = w.week_start
"""


@contextmanager
def periods_registered(con: duckdb.DuckDBPyConnection, periods: pd.DataFrame):
    con.register("labelled_periods", periods)
    try:
        yield
    finally:
        con.unregister("labelled_periods")


def load_weeks(con: duckdb.DuckDBPyConnection, periods: pd.DataFrame) -> None:
    """Fills the temporary table of weeks for these labelled periods (epn_id, first_week,
    last_week), with each week's current statistics."""
    with periods_registered(con, periods):
        con.execute(f"CREATE OR REPLACE TEMP TABLE {WEEKS} AS {WEEKS_OF_PERIODS}")


def _limits(terms: CharterTerms) -> dict:
    return {"public": terms.min_public_hours, "facilitated": terms.min_facilitated_hours}


def _used(condition: str, params: dict) -> dict:
    """The parameters a condition names (DuckDB refuses unused ones)."""
    return {key: value for key, value in params.items() if f"${key}" in condition}


def failing_counts(con: duckdb.DuckDBPyConnection, terms: CharterTerms, weeks: str = WEEKS) -> str:
    """A temporary table: each EPN's number of failing weeks per rule (one column per code),
    counted from the table of weeks or, given as ``(query)``, from the weeks' query itself."""
    counts = ", ".join(f"count(*) FILTER (WHERE {FAILS[code]}) AS {code}" for code in FAILS)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE charter_week_counts AS"
        f" SELECT epn_id, {counts} FROM {weeks} GROUP BY epn_id",
        _limits(terms),
    )
    return "charter_week_counts"


def breaching_epns(
    con: duckdb.DuckDBPyConnection, counts_table: str, terms: CharterTerms
) -> dict[str, list[str]]:
    """{code: EPN ids whose failing weeks exceed the tolerance}, from one lazy Pandera run
    of the rules' checks on the count table, inside DuckDB (Pandera's Ibis backend)."""
    import ibis  # heavy: imported when the charter is evaluated, not by every command
    import pandera.ibis as pa
    from pandera.errors import SchemaErrors

    checks = []
    for rule in rules_of("week"):
        allowed = terms.hours_tolerance_weeks if rule.tolerated else 0
        checks.append(
            pa.Check(lambda data, code=rule.code, n=allowed: data.table[code] <= n, name=rule.code)
        )
    # Ibis sets the connection's time zone to UTC and turns off DuckDB's scan of Python
    # frames by name, which the warehouse's writes use on this same connection: put back both.
    kept = {
        name: con.execute(f"SELECT current_setting('{name}')").fetchone()[0]
        for name in ("TimeZone", "python_enable_replacements")
    }
    try:
        table = ibis.duckdb.from_connection(con).table(counts_table)
        pa.DataFrameSchema(checks=checks).validate(table, lazy=True)
    except SchemaErrors as errors:
        cases = errors.failure_cases
        return {
            code: sorted({case["epn_id"] for case in group["failure_case"]})
            for code, group in cases.groupby("check")
        }
    finally:
        con.execute(f"SET TimeZone = '{kept['TimeZone']}'")
        con.execute(f"SET python_enable_replacements = {str(kept['python_enable_replacements'])}")
    return {}


def week_findings(
    con: duckdb.DuckDBPyConnection,
    year: int,
    terms: CharterTerms,
    periods: pd.DataFrame,
    *,
    evidence: bool = True,
) -> list[Finding]:
    """The findings of the three statistics rules for these labelled periods; without
    ``evidence``, no failing weeks are fetched (most of the cost when many EPNs breach)."""
    if evidence:  # the weeks are kept: the evidence lists the failing ones
        load_weeks(con, periods)
        counts = failing_counts(con, terms)
    else:  # counted on the fly: a million weeks at national scale need not be stored
        with periods_registered(con, periods):
            counts = failing_counts(con, terms, f"({WEEKS_OF_PERIODS})")
    failing = breaching_epns(con, counts, terms)
    findings = []
    for rule in rules_of("week"):
        if rule.code not in failing:
            continue
        if not evidence:  # every EPN named exceeds the tolerance: it has failing weeks
            findings += [
                Finding(epn_id, year, rule.code, rule.severity, {}, terms.version_id)
                for epn_id in failing[rule.code]
            ]
            continue
        for epn_id, weeks, values in failing_weeks(con, rule.code, failing[rule.code], terms):
            evidence = week_evidence(rule.code, weeks, values, terms)
            findings.append(
                Finding(epn_id, year, rule.code, rule.severity, evidence, terms.version_id)
            )
    return findings


def failing_weeks(con, code: str, epn_ids: list[str], terms: CharterTerms) -> list[tuple]:
    """(epn_id, [week_start], [the week's hours]) of each EPN's failing weeks, by EPN."""
    column = HOURS_COLUMN.get(code, "NULL")
    return con.execute(
        f"""
        SELECT epn_id, list(week_start ORDER BY week_start),
               list({column} ORDER BY week_start)
        FROM {WEEKS}
        WHERE ({FAILS[code]}) AND list_contains($epn_ids, epn_id)
        GROUP BY epn_id ORDER BY epn_id
        """,
        {**_used(FAILS[code], _limits(terms)), "epn_ids": epn_ids},
    ).fetchall()


def week_evidence(code: str, weeks: list, values: list, terms: CharterTerms) -> dict:
    if code == "statistics_incomplete":
        return {"missing_weeks": [plain(d) for d in weeks]}
    column = HOURS_COLUMN[code]
    return {
        "weeks": [
            {"week_start": plain(d), column: plain(v)} for d, v in zip(weeks, values, strict=True)
        ],
        "minimum_hours": getattr(terms, MINIMUM[code]),
        "tolerance_weeks": terms.hours_tolerance_weeks,
    }
