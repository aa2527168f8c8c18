"""The charter findings mart: evaluated once, read by every dashboard.

An upload or a registry step refreshes the EPNs and years it touches (and the next year,
whose ``repeated_breach`` looks back); a full refresh runs when the day changes, since
deadlines and the current week move with time.
"""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import pandas as pd

from validation.charter.engine import evaluate, evaluate_years
from validation.charter.findings import Finding
from validation.charter.terms import first_reporting_year

MART = "findings"
# set by accepted uploads until their refresh has run: left behind, an upload's refresh was
# interrupted (a process killed after its commit), and the next batch refreshes everything
PENDING = "findings.pending"


def years_with_data(con: duckdb.DuckDBPyConnection, today: dt.date) -> list[int]:
    """The years from the first with data (never before the first reporting year) to today's."""
    first = con.execute(
        "SELECT least((SELECT min(isoyear(week_start)) FROM cur_weekly),"
        " (SELECT min(year) FROM hist_report),"
        " (SELECT min(year(labelled_on)) FROM registry_current))"
    ).fetchone()[0]
    if not first:
        return []
    return list(range(max(int(first), first_reporting_year(con)), today.year + 1))


def _frame(findings: list[Finding], as_of: dt.date) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "epn_id": [f.epn_id for f in findings],
            "year": pd.Series([f.year for f in findings], dtype="int64"),
            "code": [f.code for f in findings],
            "severity": [f.severity for f in findings],
            "evidence": [json.dumps(f.evidence, ensure_ascii=False) for f in findings],
            "as_of": [as_of] * len(findings),
            "charter_version": pd.Series([f.charter_version for f in findings], dtype="Int64"),
        }
    )


def _replace(con, findings: list[Finding], as_of: dt.date, where: str, params: list) -> None:
    con.execute(f"DELETE FROM mart_finding WHERE {where}", params)
    if findings:
        con.register("fresh_findings", _frame(findings, as_of))
        try:
            con.execute("INSERT INTO mart_finding BY NAME SELECT * FROM fresh_findings")
        finally:
            con.unregister("fresh_findings")


def refresh_epns(con, epn_ids: list[str], years: list[int], today: dt.date | None = None) -> list:
    """Re-evaluates ``epn_ids`` over ``years`` (and each next year); returns the findings."""
    today = today or dt.date.today()
    touched = sorted({y for year in years for y in (year, year + 1) if y <= today.year})
    by_year = evaluate_years(con, touched, today, list(epn_ids))
    found = [f for year in touched for f in by_year[year]]
    where = "list_contains(?::VARCHAR[], epn_id) AND list_contains(?::INTEGER[], year)"
    _replace(con, found, today, where, [list(epn_ids), touched])
    return [f for f in found if f.year in years]


def refresh_all(con, today: dt.date | None = None) -> int:
    today = today or dt.date.today()
    by_year = evaluate_years(con, years_with_data(con, today), today)
    found = [f for findings in by_year.values() for f in findings]
    _replace(con, found, today, "TRUE", [])
    con.execute("DELETE FROM mart_refresh WHERE name = ?", [PENDING])
    con.execute(
        "INSERT OR REPLACE INTO mart_refresh (name, refreshed_on) VALUES (?, ?)", [MART, today]
    )
    return len(found)


def read_findings(
    con, year: int, epn_ids: list[str] | None = None, code: str | None = None
) -> list[Finding]:
    """The mart's findings of ``year`` (of ``epn_ids``, of rule ``code`` when given)."""
    rows = con.execute(
        "SELECT epn_id, year, code, severity, evidence, charter_version FROM mart_finding"
        " WHERE year = ?"
        " AND (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], epn_id))"
        " AND (?::VARCHAR IS NULL OR code = ?)"
        " ORDER BY epn_id, code, evidence ->> 'repeated_code'",
        [year, epn_ids, epn_ids, code, code],
    ).fetchall()
    return [mart_finding(*row) for row in rows]


def read_breaches(con, year: int) -> dict[str, list[str]]:
    """{epn_id: the sorted codes of its breaches} in ``year``, as the mart holds them."""
    rows = con.execute(
        "SELECT epn_id, list(DISTINCT code ORDER BY code) FROM mart_finding"
        " WHERE year = ? AND severity = 'breach' GROUP BY epn_id",
        [year],
    ).fetchall()
    return {epn_id: list(codes) for epn_id, codes in rows}


def mart_finding(
    epn_id: str,
    year: int,
    code: str,
    severity: str,
    evidence: str | None,
    charter_version: int | None = None,
) -> Finding:
    """A row of the mart (its evidence as stored, JSON text) as a Finding."""
    evidence = json.loads(evidence) if evidence else {}
    return Finding(epn_id, int(year), code, severity, evidence, charter_version)


def findings_as_of(
    con,
    year: int,
    as_of: dt.date | None = None,
    epn_ids: list[str] | None = None,
    code: str | None = None,
) -> list[Finding]:
    """Today's findings from the mart (refreshed first when stale, so the caller holds a
    transaction), another day's straight from the charter engine; of rule ``code`` only
    when given."""
    today = dt.date.today()
    if as_of is None or as_of == today:
        ensure_fresh(con, today)
        return read_findings(con, year, epn_ids, code)
    found = evaluate(con, year, as_of, epn_ids)
    return [f for f in found if code is None or f.code == code]


def is_fresh(con, today: dt.date | None = None) -> bool:
    row = con.execute("SELECT refreshed_on FROM mart_refresh WHERE name = ?", [MART]).fetchone()
    return row is not None and row[0] == (today or dt.date.today())


def judged_today(con, year: int, version_id: int | None, today: dt.date | None = None) -> bool:
    """Whether the mart's findings of ``year`` are what the charter engine would find today
    by version ``version_id``: refreshed today, no upload's refresh left pending, and every
    finding of the year judged by that version. A reader may then take them for the
    evaluation itself."""
    if not is_fresh(con, today):
        return False
    pending, other_version = con.execute(
        "SELECT (SELECT count(*) FROM mart_refresh WHERE name = $pending),"
        " (SELECT count(*) FROM mart_finding"
        "  WHERE year = $year AND charter_version IS DISTINCT FROM $version)",
        {"pending": PENDING, "year": year, "version": version_id},
    ).fetchone()
    return pending == 0 and other_version == 0


def ensure_fresh(con, today: dt.date | None = None) -> bool:
    """Refreshes the whole mart when it was last refreshed on another day; True if it did."""
    if is_fresh(con, today):
        return False
    refresh_all(con, today)
    return True
