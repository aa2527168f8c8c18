"""The charter's versions in the warehouse: proposed by the coordinator, adopted by the COPIL.

A version row is never updated nor deleted: a change of the charter is a new version. A
version may only take effect from a year no verdict is final for yet: the years judged
(closed, their annual report's deadline passed, with a labelled EPN) keep the version they
were judged by. The caller holds the transaction; ``services.charter`` checks the principal
and writes the audit row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from epn.errors import EpnError
from validation.charter.terms import THRESHOLDS, CharterTerms, all_terms, terms_for

LIMITS = {  # the range each threshold may take, checked before anything is written
    "min_public_hours": (0, 168),
    "min_facilitated_hours": (0, 168),
    "hours_tolerance_weeks": (0, 53),
    "reporting_from": (2000, 2100),
}


@dataclass(frozen=True)
class Version:
    """A version as listed: its terms, who proposed it, and whether (and by whom) adopted."""

    terms: CharterTerms
    proposed_by: str
    proposed_at: dt.datetime
    note: str | None
    adopted_by: str | None
    adopted_at: dt.datetime | None

    @property
    def version_id(self) -> int:
        return self.terms.version_id

    @property
    def adopted(self) -> bool:
        return self.adopted_by is not None

    def to_dict(self) -> dict:
        t = self.terms
        return {
            "version_id": t.version_id,
            "name": t.name,
            "effective_from": t.effective_from.isoformat(),
            "min_public_hours": t.min_public_hours,
            "min_facilitated_hours": t.min_facilitated_hours,
            "hours_tolerance_weeks": t.hours_tolerance_weeks,
            "report_deadline_month": t.report_deadline_month,
            "report_deadline_day": t.report_deadline_day,
            "reporting_from": t.reporting_from,
            "status": "adopted" if self.adopted else "proposed",
            "proposed_by": self.proposed_by,
            "proposed_at": self.proposed_at.isoformat(timespec="seconds"),
            "adopted_by": self.adopted_by,
            "adopted_at": self.adopted_at.isoformat(timespec="seconds")
            if self.adopted_at
            else None,
            "note": self.note,
        }


def versions(con: duckdb.DuckDBPyConnection) -> list[Version]:
    """Every version, proposed or adopted, by effective date then id."""
    rows = con.execute(
        """
        SELECT v.effective_from, v.name, v.min_public_hours, v.min_facilitated_hours,
               v.hours_tolerance_weeks, v.report_deadline_month, v.report_deadline_day,
               v.reporting_from, v.version_id,
               v.proposed_by, v.proposed_at, v.note, a.adopted_by, a.adopted_at
        FROM charter_version v LEFT JOIN charter_adoption a USING (version_id)
        ORDER BY v.effective_from, v.version_id
        """
    ).fetchall()
    return [Version(CharterTerms(*row[:9]), *row[9:]) for row in rows]


def last_judged_year(con: duckdb.DuckDBPyConnection, today: dt.date) -> int | None:
    """The latest year whose verdicts are final: closed (deadline passed), judged (from the
    first reporting year on) and with an EPN labelled by its end; None when there is none."""
    first_labelled = con.execute(
        "SELECT min(year(labelled_on)) FROM registry_current WHERE labelled_on IS NOT NULL"
    ).fetchone()[0]
    if first_labelled is None:
        return None
    closed = [
        year
        for year in range(int(first_labelled), today.year + 1)
        if terms_for(year, con).judges(year) and terms_for(year, con).report_deadline(year) < today
    ]
    return max(closed, default=None)


def propose(
    con: duckdb.DuckDBPyConnection,
    effective_from: dt.date,
    name: str,
    proposed_by: str,
    today: dt.date,
    note: str | None = None,
    **thresholds,
) -> int:
    """Records a proposed version; thresholds not given are those in force on that date."""
    name = (name or "").strip()
    if not name:
        raise EpnError("charter.name_missing")
    if (effective_from.month, effective_from.day) != (1, 1):
        raise EpnError("charter.not_first_january", year=effective_from.year)
    check_open_year(con, effective_from.year, today)
    base = terms_for(effective_from.year, con)
    values = {key: getattr(base, key) for key in (*THRESHOLDS, "reporting_from")}
    values.update({key: value for key, value in thresholds.items() if value is not None})
    check_values(values)
    return con.execute(
        """
        INSERT INTO charter_version (effective_from, name, min_public_hours,
            min_facilitated_hours, hours_tolerance_weeks, report_deadline_month,
            report_deadline_day, reporting_from, proposed_by, note)
        VALUES ($effective_from, $name, $min_public_hours, $min_facilitated_hours,
            $hours_tolerance_weeks, $report_deadline_month, $report_deadline_day,
            $reporting_from, $proposed_by, $note)
        RETURNING version_id
        """,
        {
            "effective_from": effective_from,
            "name": name,
            "proposed_by": proposed_by,
            "note": (note or "").strip() or None,
            **values,
        },
    ).fetchone()[0]


def adopt(
    con: duckdb.DuckDBPyConnection, version_id: int, adopted_by: str, today: dt.date
) -> CharterTerms:
    """Adopts a proposed version; it judges the years from its effective date on."""
    found = {v.version_id: v for v in versions(con)}
    if version_id not in found:
        raise EpnError("charter.unknown_version", version_id=version_id)
    version = found[version_id]
    if version.adopted:
        raise EpnError("charter.already_adopted", version_id=version_id)
    check_open_year(con, version.terms.effective_from.year, today)
    con.execute(
        "INSERT INTO charter_adoption (version_id, adopted_by) VALUES (?, ?)",
        [version_id, adopted_by],
    )
    all_terms(con)  # the versions this process reads without a connection, anew
    return version.terms


def check_open_year(con: duckdb.DuckDBPyConnection, year: int, today: dt.date) -> None:
    judged = last_judged_year(con, today)
    if judged is not None and year <= judged:
        raise EpnError("charter.year_judged", year=year, judged=judged, next=judged + 1)


def check_values(values: dict) -> None:
    for key, (low, high) in LIMITS.items():
        if not low <= values[key] <= high:
            raise EpnError(f"charter.bad_{key}", value=values[key], low=low, high=high)
    try:
        dt.date(2001, values["report_deadline_month"], values["report_deadline_day"])
    except ValueError:
        raise EpnError(
            "charter.bad_deadline",
            month=values["report_deadline_month"],
            day=values["report_deadline_day"],
        ) from None
