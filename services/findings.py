"""Keeping the findings mart current for its readers.

The policy, owned by ``warehouse.finding_mart``: a write refreshes, in its own transaction,
the findings of the EPNs and years it touches (uploads, registry steps); the whole mart is
refreshed once the day changes, since deadlines move with the calendar. Readers (pages,
commands) call :func:`refresh_if_stale` before they read it.
"""

from __future__ import annotations

import datetime as dt

from epn.settings import warehouse_path
from warehouse.db import connect, transaction
from warehouse.finding_mart import ensure_fresh, is_fresh


def refresh_if_stale(db=None, today: dt.date | None = None) -> bool:
    """Refreshes the mart when it was last refreshed on another day; True if it did."""
    today = today or dt.date.today()
    with connect(warehouse_path(db)) as con:
        if is_fresh(con, today):
            return False
        with transaction(con):
            return ensure_fresh(con, today)
