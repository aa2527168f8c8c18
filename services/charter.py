"""Charter versions, for the app and the CLI: the coordinator proposes, the COPIL adopts.

The role is checked first (``services.access.require``); then the step and its audit row are
one transaction. A refused step (an ``EpnError``: a year already judged, an unknown version,
a bad threshold) is rolled back whole and only then recorded as refused, in a transaction of
its own; its error is raised again. An adoption refreshes the findings mart in the same
transaction, so every page reads the years as the new version judges them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from epn.errors import EpnError
from epn.principal import Principal
from epn.settings import warehouse_path
from services.access import require
from validation.charter.terms import CharterTerms
from warehouse import audit, charter_versions
from warehouse.db import connect, transaction
from warehouse.finding_mart import refresh_all

PROPOSE = "charter.propose"
ADOPT = "charter.adopt"


def propose(
    principal: Principal,
    effective_from: dt.date,
    name: str,
    *,
    note: str | None = None,
    db=None,
    **thresholds,
) -> int:
    """Records a proposed version (thresholds not given: those in force); its id."""

    def run(con, today):
        return charter_versions.propose(
            con, effective_from, name, principal.username, today, note, **thresholds
        )

    detail = {"effective_from": effective_from, "name": name, **thresholds}
    return _perform(principal, PROPOSE, "charter_propose", run, detail, db)


def adopt(principal: Principal, version_id: int, *, db=None) -> CharterTerms:
    """Adopts a proposed version and re-judges the years it now judges."""

    def run(con, today):
        terms = charter_versions.adopt(con, version_id, principal.username, today)
        refresh_all(con, today)
        return terms

    return _perform(principal, ADOPT, "charter_adopt", run, {"version_id": version_id}, db)


def _perform(principal: Principal, right: str, action: str, run: Callable, detail: dict, db):
    require(principal, right, what=right)
    today = dt.date.today()
    with connect(warehouse_path(db)) as con:
        try:
            with transaction(con):
                done = run(con, today)
                target = done.version_id if isinstance(done, CharterTerms) else done
                audit.record(con, principal.username, action, str(target), "ok", **detail)
        except EpnError as error:
            with transaction(con):
                audit.record(
                    con, principal.username, action, None, "refused", code=error.code, **detail
                )
            raise
    return done
