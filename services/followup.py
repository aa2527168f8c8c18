"""The coordinator's follow-up flags on outlier weeks: set and clear, each with a note.

Every action appends a row to ``followup_flag`` (the history is never rewritten) and is
audited in the same transaction; a refused action writes nothing but its audit row.
"""

from __future__ import annotations

import datetime as dt

from epn.errors import EpnError
from epn.principal import COORDINATOR, Principal
from epn.settings import warehouse_path
from services.access import role_scope
from warehouse import audit
from warehouse.db import connect, transaction
from warehouse.outlier_baseline import MEASURES

NOTE_MAX = 500  # a note, not a report


def set_flag(
    principal: Principal, epn_id: str, week_start: dt.date, measure: str, note: str = ""
) -> int:
    """Marks the week's ``measure`` for follow-up (again, to change the note); the row id."""
    return _record(principal, "set", epn_id, week_start, measure, note)


def clear_flag(
    principal: Principal, epn_id: str, week_start: dt.date, measure: str, note: str = ""
) -> int:
    """Closes the follow-up of a flagged week; refused when it is not flagged."""
    return _record(principal, "clear", epn_id, week_start, measure, note)


def _record(principal, action, epn_id, week_start, measure, note) -> int:
    scope = role_scope(principal, (COORDINATOR,))  # a refusal audits itself
    note = (note or "").strip()
    with connect(warehouse_path()) as con:
        try:
            with transaction(con):
                _check(con, scope, action, epn_id, week_start, measure, note)
                flag_id = con.execute(
                    "INSERT INTO followup_flag"
                    " (epn_id, week_start, measure, action, note, recorded_by)"
                    " VALUES (?, ?, ?, ?, ?, ?) RETURNING flag_id",
                    [epn_id, week_start, measure, action, note or None, principal.username],
                ).fetchone()[0]
                audit.record(
                    con,
                    principal.username,
                    f"followup_{action}",
                    epn_id,
                    "ok",
                    week_start=week_start,
                    measure=measure,
                    note=note,
                    flag_id=flag_id,
                )
        except EpnError as error:
            with transaction(con):
                audit.record(
                    con,
                    principal.username,
                    f"followup_{action}",
                    epn_id,
                    "refused",
                    week_start=week_start,
                    measure=measure,
                    code=error.code,
                )
            raise
    return flag_id


def _check(con, scope, action, epn_id, week_start, measure, note) -> None:
    if measure not in MEASURES or not scope.keeps(epn_id):
        raise EpnError("app.coordinator.followup.unknown_week", epn_id=epn_id, week=week_start)
    if len(note) > NOTE_MAX:
        raise EpnError("app.coordinator.followup.note_too_long", limit=NOTE_MAX)
    week = con.execute(
        "SELECT 1 FROM cur_weekly WHERE epn_id = ? AND week_start = ?", [epn_id, week_start]
    ).fetchone()
    if week is None:
        raise EpnError("app.coordinator.followup.unknown_week", epn_id=epn_id, week=week_start)
    state = con.execute(
        "SELECT flagged FROM followup_current WHERE epn_id = ? AND week_start = ? AND measure = ?",
        [epn_id, week_start, measure],
    ).fetchone()
    if action == "clear" and not (state and state[0]):
        raise EpnError("app.coordinator.followup.not_flagged", epn_id=epn_id, week=week_start)
