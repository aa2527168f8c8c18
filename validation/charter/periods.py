"""The labelled period of each EPN within a reporting year (standard §5), in ISO weeks."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import duckdb

from validation.charter.terms import check_computable

if TYPE_CHECKING:
    import pandas as pd  # the frames' type: DuckDB's ``df()`` loads pandas


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def iso_year_weeks(year: int) -> tuple[dt.date, dt.date]:
    """Monday of the first and of the last ISO week of ``year``."""
    check_computable(year)
    first = dt.date.fromisocalendar(year, 1, 1)
    return first, dt.date.fromisocalendar(year + 1, 1, 1) - dt.timedelta(days=7)


def period_bounds(first: str, last: str, cut: str, registry: str = "") -> str:
    """The SQL of a labelled period's first and last week within a year (the standard's §5):
    from the week holding the label date (or the year's first week ``first``) to the year's
    last week ``last``, or earlier to the week before the withdrawal's week or the evaluation
    date's week ``cut``. One definition for every query that needs it; ``registry``: the
    alias of ``registry_current`` with its dot, if any."""
    return (
        f"greatest(date_trunc('week', {registry}labelled_on)::DATE, {first}) AS first_week, "
        f"least({last}, {cut}, coalesce(date_trunc('week', {registry}withdrawn_on)::DATE - 7,"
        f" {last})) AS last_week"
    )


def labelled_periods(
    con: duckdb.DuckDBPyConnection, year: int, as_of: dt.date, epn_ids: list[str] | None = None
) -> pd.DataFrame:
    """One row per EPN labelled during the year: epn_id, first_week, last_week
    (``period_bounds``)."""
    first, last = iso_year_weeks(year)
    cut = monday(as_of) - dt.timedelta(days=7)
    where = "AND epn_id IN (SELECT unnest(?))" if epn_ids is not None else ""
    params = [first, last, cut, *([epn_ids] if epn_ids is not None else [])]
    return con.execute(
        f"""
        SELECT * FROM (
            SELECT epn_id, {period_bounds("$1::DATE", "$2::DATE", "$3::DATE")}
            FROM registry_current
            WHERE labelled_on IS NOT NULL {where.replace("?", "$4")}
        )
        WHERE first_week <= last_week
        ORDER BY epn_id
        """,
        params,
    ).df()
