"""The charter's versions as the Charte page shows them (read-only)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from epn.principal import Principal
from epn.settings import warehouse_path
from services.access import require
from validation.charter.terms import CharterTerms, terms_for
from warehouse.charter_versions import last_judged_year, versions
from warehouse.db import connect

VERSION_COLUMNS = (
    "version_id",
    "name",
    "effective_from",
    "min_public_hours",
    "min_facilitated_hours",
    "hours_tolerance_weeks",
    "deadline",
    "reporting_from",
    "status",
    "proposed_by",
    "adopted_by",
    "note",
)


def charter_versions(principal: Principal) -> pd.DataFrame:
    """One row per version, proposed or adopted, by effective date (VERSION_COLUMNS, with
    the deadline's month and day apart as ``deadline_month`` and ``deadline_day``)."""
    require(principal, "charter.read", what="charter.versions")
    with connect(warehouse_path()) as con:
        found = versions(con)
    rows = [
        {
            **v.to_dict(),
            "effective_from": v.terms.effective_from,
            "deadline_month": v.terms.report_deadline_month,
            "deadline_day": v.terms.report_deadline_day,
            "deadline": None,
        }
        for v in found
    ]
    columns = [*VERSION_COLUMNS, "deadline_month", "deadline_day"]
    return pd.DataFrame(rows, columns=columns)


def charter_calendar(principal: Principal, today: dt.date | None = None) -> dict:
    """The terms in force this year, the last year judged (None when none is) and the first
    year a new version may take effect."""
    require(principal, "charter.read", what="charter.calendar")
    today = today or dt.date.today()
    with connect(warehouse_path()) as con:
        judged = last_judged_year(con, today)
        first_open = max(today.year, (judged or 0) + 1)
        in_force: CharterTerms = terms_for(today.year, con)
        next_terms: CharterTerms = terms_for(first_open, con)
    return {
        "in_force": in_force,
        "last_judged": judged,
        "first_open": first_open,
        "next_terms": next_terms,
    }
