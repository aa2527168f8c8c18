"""The Region's inclusion indicators per commune and for the Region, for one reporting year.

EPNs counted are those labelled during the year (the same labelled period as the charter);
their weeks are the year's ISO weeks, their users and participants come from their current
annual report of that year. Sums are taken in DuckDB, per commune and for the Region in one
pass, so that the figures stay quick at national scale (20,000 EPNs, 10 years of weeks).

An EPN "breaches" when it has a breach finding that year: read from the findings mart for
today's figures (the mart holds what the charter engine says today), from the charter
engine itself for any other evaluation date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
import pandas as pd

from epn.records import plain
from validation.charter.engine import evaluate
from validation.charter.periods import iso_year_weeks, labelled_periods
from validation.charter.terms import check_computable
from warehouse.finding_mart import ensure_fresh

MEASURES = (
    "labelled_epns",
    "epns_per_100k",
    "weekly_public_hours",
    "visits",
    "users_total",
    "priority_share",
    "share_without_breach",
)
MART_BREACHES = "SELECT epn_id FROM mart_finding WHERE year = $year AND severity = 'breach'"
ENGINE_BREACHES = "SELECT epn_id FROM engine_breaches"


def indicators(con: duckdb.DuckDBPyConnection, year: int, as_of: dt.date | None = None) -> dict:
    """The contract document of ``epn indicators --json``: {year, region, communes}.

    For today, the findings mart is refreshed first when stale, then read; for another
    date the charter engine is run, exactly as the mart would have been filled.
    """
    today = dt.date.today()
    if as_of is None or as_of == today:
        ensure_fresh(con, today)
        return live_indicators(con, year)
    return engine_indicators(con, year, as_of)


def engine_indicators(con: duckdb.DuckDBPyConnection, year: int, as_of: dt.date) -> dict:
    """The same document with breaches straight from the charter engine (slower)."""
    breaching = {f.epn_id for f in evaluate(con, year, as_of) if f.severity == "breach"}
    frame = pd.DataFrame({"epn_id": pd.Series(sorted(breaching), dtype="string")})
    con.register("engine_breaches", frame)
    try:
        return _document(con, year, as_of, ENGINE_BREACHES)
    finally:
        con.unregister("engine_breaches")


def live_indicators(con: duckdb.DuckDBPyConnection, year: int) -> dict:
    """Today's document with breaches from the findings mart as it stands (no refresh)."""
    return _document(con, year, dt.date.today(), MART_BREACHES)


@contextmanager
def labelled_during(con: duckdb.DuckDBPyConnection, year: int, as_of: dt.date) -> Iterator[None]:
    """The EPNs labelled during ``year``, as the view ``indicator_epns`` while in the block.

    A past year is counted in full (the evaluation date is at least 10 January next year).
    """
    counted_until = max(as_of, dt.date(check_computable(year) + 1, 1, 10))
    con.register("indicator_epns", labelled_periods(con, year, counted_until))
    try:
        yield
    finally:
        con.unregister("indicator_epns")


def live_figures(con: duckdb.DuckDBPyConnection, year: int) -> tuple[dict, dict]:
    """Today's document and its details (activities by domain, breaches by rule), at once."""
    with labelled_during(con, year, dt.date.today()):
        details = {"activities": _domains(con, year), "breaches_by_rule": _rules(con, year)}
        return _sums_document(con, year, MART_BREACHES), details


def _document(con, year: int, as_of: dt.date, breaches: str) -> dict:
    with labelled_during(con, year, as_of):
        return _sums_document(con, year, breaches)


def _sums_document(con, year: int, breaches: str) -> dict:
    first, last = iso_year_weeks(year)
    params = {"year": year, "first": first, "last": last}
    sums = con.execute(SQL_SUMS.format(breaches=breaches), params).fetchall()
    by_commune = {row[0]: row[1:] for row in sums if not row[-1]}
    region_sums = next((row[1:] for row in sums if row[-1]), None)
    communes = con.execute(
        "SELECT commune_nis, name_fr, name_nl, inhabitants FROM commune ORDER BY commune_nis"
    ).fetchall()
    rows = [
        {
            "commune_nis": nis,
            "name_fr": name_fr,
            "name_nl": name_nl,
            "inhabitants": inhabitants,
            **_measures(by_commune.get(nis), inhabitants),
        }
        for nis, name_fr, name_nl, inhabitants in communes
    ]
    population = sum(c[3] for c in communes)
    region = {"inhabitants": population, **_measures(region_sums, population)}
    region = {k: plain(v) for k, v in region.items()}
    region["communes_without_epn"] = [r["commune_nis"] for r in rows if r["labelled_epns"] == 0]
    return {"year": year, "region": region, "communes": rows}


def _measures(sums: tuple | None, inhabitants: int) -> dict:
    labelled, hours, visits, users, participants, priority, without_breach, _ = sums or (0,) * 8
    return {
        "labelled_epns": int(labelled),
        "epns_per_100k": round(labelled / inhabitants * 100_000, 2) if inhabitants else None,
        "weekly_public_hours": round(float(hours or 0), 1),
        "visits": int(visits or 0),
        "users_total": int(users or 0),
        "priority_share": round(int(priority) / int(participants), 4) if participants else None,
        "share_without_breach": round(without_breach / labelled, 4) if labelled else None,
    }


# Weeks are Mondays (the standard), so a range on week_start is the ISO year, and prunable.
SQL_SUMS = """
WITH weeks AS (
    SELECT epn_id,
           avg(public_hours) FILTER (WHERE status = 'open') AS avg_open_week_hours,
           sum(visits) AS visits
    FROM cur_weekly
    WHERE week_start BETWEEN $first AND $last
    GROUP BY epn_id
), reports AS (
    SELECT r.epn_id, any_value(r.users_total) AS users_total,
           sum(a.participants) AS participants,
           sum(a.priority_participants) AS priority_participants
    FROM cur_report r LEFT JOIN hist_activity a USING (upload_id)
    WHERE r.year = $year
    GROUP BY r.epn_id
), epns AS (
    SELECT i.commune_nis, e.epn_id IN ({breaches}) AS has_breach,
           coalesce(w.avg_open_week_hours, 0) AS hours, coalesce(w.visits, 0) AS visits,
           coalesce(r.users_total, 0) AS users_total,
           coalesce(r.participants, 0) AS participants,
           coalesce(r.priority_participants, 0) AS priority_participants
    FROM indicator_epns e
    JOIN registry_identity i USING (epn_id)
    LEFT JOIN weeks w USING (epn_id)
    LEFT JOIN reports r USING (epn_id)
)
SELECT commune_nis, count(*), sum(hours), sum(visits), sum(users_total), sum(participants),
       sum(priority_participants), count(*) FILTER (WHERE NOT has_breach),
       grouping(commune_nis) = 1 AS is_region
FROM epns
GROUP BY GROUPING SETS ((commune_nis), ())
"""


def activities_by_domain(con: duckdb.DuckDBPyConnection, year: int) -> list[dict]:
    """Activities of the year's current reports of labelled EPNs, per domain (most first)."""
    with labelled_during(con, year, dt.date.today()):
        return _domains(con, year)


def _domains(con, year: int) -> list[dict]:
    cursor = con.execute(SQL_DOMAINS, {"year": year})
    names = [d[0] for d in cursor.description]
    return [{k: plain(v) for k, v in zip(names, row, strict=True)} for row in cursor.fetchall()]


SQL_DOMAINS = """
SELECT a.domain, count(*) AS activities, count(DISTINCT r.epn_id) AS epns,
       coalesce(sum(a.sessions), 0)::BIGINT AS sessions,
       round(coalesce(sum(a.hours), 0), 1) AS hours,
       coalesce(sum(a.participants), 0)::BIGINT AS participants,
       coalesce(sum(a.priority_participants), 0)::BIGINT AS priority_participants
FROM cur_report r JOIN hist_activity a USING (upload_id)
WHERE r.year = $year AND r.epn_id IN (SELECT epn_id FROM indicator_epns)
GROUP BY a.domain
ORDER BY participants DESC, a.domain
"""


def breaches_by_rule(con: duckdb.DuckDBPyConnection, year: int) -> list[dict]:
    """Findings of labelled EPNs in the findings mart, per rule and severity (most first)."""
    with labelled_during(con, year, dt.date.today()):
        return _rules(con, year)


def _rules(con, year: int) -> list[dict]:
    rows = con.execute(SQL_RULES, [year]).fetchall()
    return [{"code": c, "severity": s, "epns": e, "findings": f} for c, s, e, f in rows]


SQL_RULES = """
SELECT code, severity, count(DISTINCT epn_id) AS epns, count(*) AS findings
FROM mart_finding
WHERE year = ? AND epn_id IN (SELECT epn_id FROM indicator_epns)
GROUP BY code, severity
ORDER BY severity, epns DESC, code
"""
