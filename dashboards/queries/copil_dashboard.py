"""The steering committee's dashboard: the network and its compliance over the years, and
the decisions waiting for the committee. Every query reads ten years at most up to ``year``.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboards.queries.coordinator_common import (
    STEERING_ROLES,
    compliance_over_years,
    read,
    scope_sql,
)
from dashboards.queries.registry_board import set_aside_in
from epn.locale import commune_name_column
from epn.principal import Principal
from epn.settings import warehouse_path
from registry import withdrawal
from services.access import role_scope
from warehouse.db import connect, transaction

YEARS_SHOWN = 10


def _first(year: int, first_year: int | None) -> int:
    return year - YEARS_SHOWN + 1 if first_year is None else first_year


def network_by_year(
    principal: Principal, year: int, *, first_year: int | None = None
) -> pd.DataFrame:
    """year, labelled (at 31 December), applications, labels, rejections, withdrawals.

    A status holds from its event's date until the EPN's next status event; the years
    start with the registry's first event.
    """
    where, params = scope_sql(role_scope(principal, STEERING_ROLES))
    return read(
        f"""
        WITH status_events AS (
            SELECT epn_id, event, status_after, occurred_on,
                   lead(occurred_on) OVER (PARTITION BY epn_id ORDER BY event_id) AS until
            FROM registry_event WHERE status_after IS NOT NULL AND {where}
        ), years AS (  -- none for an empty registry
            SELECT unnest(range(greatest($first_year, first), $year + 1)) AS year
            FROM (SELECT min(year(occurred_on)) AS first FROM status_events)
            WHERE first IS NOT NULL
        ), dated AS (
            SELECT y.year, s.*, make_date(y.year, 12, 31) AS year_end,
                   year(s.occurred_on) = y.year AS in_year
            FROM years y LEFT JOIN status_events s ON s.occurred_on <= make_date(y.year, 12, 31)
        )
        SELECT year::INTEGER AS year,
               count(DISTINCT epn_id) FILTER (WHERE status_after = 'labelled'
                   AND coalesce(until > year_end, TRUE))::INTEGER AS labelled,
               count(*) FILTER (WHERE in_year AND status_after = 'applied')::INTEGER
                   AS applications,
               count(*) FILTER (WHERE in_year AND status_after = 'labelled')::INTEGER AS labels,
               count(*) FILTER (WHERE in_year AND event = 'rejected')::INTEGER AS rejections,
               count(*) FILTER (WHERE in_year AND event = 'withdrawn')::INTEGER AS withdrawals
        FROM dated GROUP BY year ORDER BY year
        """,
        {**params, "first_year": _first(year, first_year), "year": year},
    )


def compliance_by_year(
    principal: Principal,
    year: int,
    *,
    first_year: int | None = None,
    as_of: dt.date | None = None,
) -> pd.DataFrame:
    """year, labelled, compliant, share: EPNs labelled during the year without a breach."""
    scope = role_scope(principal, STEERING_ROLES)
    years = list(range(_first(year, first_year), year + 1))
    return compliance_over_years(scope, years, as_of or dt.date.today())


def breaches_by_rule(
    principal: Principal, year: int, *, first_year: int | None = None
) -> pd.DataFrame:
    """year, code, epns: how many EPNs breached each rule each year."""
    where, params = scope_sql(role_scope(principal, STEERING_ROLES))
    return read(
        f"""
        SELECT year, code, count(DISTINCT epn_id)::INTEGER AS epns
        FROM mart_finding
        WHERE severity = 'breach' AND year BETWEEN $first_year AND $year AND {where}
        GROUP BY ALL ORDER BY year, code
        """,
        {**params, "first_year": _first(year, first_year), "year": year},
    )


def withdrawal_candidates(principal: Principal, year: int, *, lang: str = "fr") -> pd.DataFrame:
    """epn_id, name, commune, labelled_on, repeated_codes: labelled EPNs whose breach of
    ``year`` repeats the year before (art. 10).

    The very list of the COPIL's decisions page (``registry.withdrawal``), so that both
    pages name the same candidates.
    """
    scope = role_scope(principal, STEERING_ROLES)
    with connect(warehouse_path()) as con, transaction(con):  # a stale mart is refreshed
        found = withdrawal.withdrawal_candidates(con, year, dt.date.today(), lang)
        names = dict(
            con.execute(f"SELECT commune_nis, {commune_name_column(lang)} FROM commune").fetchall()
        )
    rows = [
        {
            "epn_id": c["epn_id"],
            "name": c["name"],
            "commune": names.get(c["commune_nis"]),
            "labelled_on": pd.Timestamp(c["labelled_on"]) if c["labelled_on"] else pd.NaT,
            "repeated_codes": c["repeated_codes"],
        }
        for c in found
        if scope.keeps(c["epn_id"])
    ]
    return pd.DataFrame(rows, columns=CANDIDATE_COLUMNS)


CANDIDATE_COLUMNS = ["epn_id", "name", "commune", "labelled_on", "repeated_codes"]


def set_aside_repeats(principal: Principal, year: int, *, lang: str = "fr") -> pd.DataFrame:
    """epn_id, name, repeated_code, year, reason: the repeated breaches of ``year`` left out
    of the candidates because the coordination justified a finding of either year."""
    return set_aside_in(role_scope(principal, STEERING_ROLES), year, lang)


def pending_decisions(principal: Principal, year: int) -> pd.DataFrame:
    """One row: recommended (applications awaiting ratification), candidates (withdrawal
    candidates of ``year``, as ``withdrawal_candidates`` lists them)."""
    where, params = scope_sql(role_scope(principal, STEERING_ROLES), "r.epn_id")
    frame = read(
        f"""
        SELECT (SELECT count(*) FROM registry_current r
                WHERE r.status = 'recommended' AND {where})::INTEGER AS recommended
        """,
        params,
    )
    frame["candidates"] = len(withdrawal_candidates(principal, year))
    return frame
