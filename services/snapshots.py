"""Publishing a year's indicators (a snapshot): the coordinator's action, from the app or
``epn indicators --freeze``. The role is checked, then the freeze and its audit row are one
transaction (``warehouse.snapshots.freeze``)."""

from __future__ import annotations

from epn.principal import COORDINATOR, Principal
from epn.settings import warehouse_path
from services.access import AccessDenied
from warehouse import snapshots
from warehouse.db import connect, transaction


def freeze_year(principal: Principal, year: int, db=None) -> snapshots.Snapshot:
    """Publishes today's figures of ``year``."""
    if principal.role != COORDINATOR:
        raise AccessDenied("app.region.freeze_denied", role=principal.role)
    with connect(warehouse_path(db)) as con, transaction(con):
        return snapshots.freeze(con, year, principal.username)
