"""One way to run a registry step, for the CLI and the app: a transaction, then the audit.

A step that is done commits together with its audit row. A refused step (an ``EpnError``,
such as a step out of order) is rolled back whole, and only then is the refusal recorded,
in a transaction of its own, so the audit keeps it while the registry stays untouched.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import duckdb

from epn import audit
from epn.errors import EpnError
from warehouse.db import connect, transaction
from warehouse.finding_mart import refresh_epns, years_with_data

ACTION = "registry_step"


def perform(
    db_path: Path | str | None,
    username: str | None,
    step: str,
    epn_id: str,
    run: Callable[[duckdb.DuckDBPyConnection], int],
) -> int:
    """Runs ``run(con)`` (a ``registry.service`` step returning its event id) and audits it.

    ``step`` names the step in the audit log (apply, recommend, visit, ratify, reject,
    sign, withdraw, attach); the error of a refused step is raised again for the caller.
    """
    with connect(db_path) as con:
        try:
            with transaction(con):
                event_id = run(con)
                # a label or a withdrawal moves the labelled period: re-judge this EPN
                refresh_epns(con, [epn_id], years_with_data(con, dt.date.today()))
                audit.record(con, username, ACTION, epn_id, "ok", step=step, event_id=event_id)
        except EpnError as error:
            with transaction(con):
                audit.record(con, username, ACTION, epn_id, "refused", step=step, code=error.code)
            raise
    return event_id
