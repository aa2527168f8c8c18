"""Retracting an accepted upload: the coordinator's action, from the app or
``epn uploads retract``. The role is checked, then the retraction, the findings refresh of
the EPNs and years it touched and its audit row are one transaction."""

from __future__ import annotations

from epn.errors import UsageError
from epn.principal import COORDINATOR, Principal
from epn.settings import warehouse_path
from services.access import require_role
from warehouse import audit, retraction
from warehouse.db import connect, transaction
from warehouse.finding_mart import refresh_epns


def retract_upload(
    principal: Principal, upload_id: int, reason: str, db=None
) -> retraction.Retracted:
    """Retracts upload ``upload_id`` for ``reason`` (required: the audit trail says why)."""
    require_role(principal, COORDINATOR, what="uploads.retract")
    reason = (reason or "").strip()
    if not reason:
        raise UsageError("retract_reason_required")
    with connect(warehouse_path(db)) as con, transaction(con):
        done = retraction.retract(con, int(upload_id), principal.username, reason)
        if done.epn_ids and done.years:
            refresh_epns(con, done.epn_ids, done.years)
        audit.record(
            con,
            principal.username,
            "retract",
            done.filename,
            "retracted",
            upload_id=done.upload_id,
            reason=reason,
            epn_ids=done.epn_ids,
            years=done.years,
        )
    return done


def list_uploads(principal: Principal, db=None, limit: int = 200) -> list[dict]:
    """The latest received files, newest first, with the retraction of those retracted."""
    require_role(principal, COORDINATOR, what="uploads.list")
    with connect(warehouse_path(db)) as con:
        frame = con.execute(
            "SELECT u.upload_id, u.uploaded_at, u.received_on, u.filename, u.kind, u.status,"
            " u.epn_ids, u.year, u.uploaded_by, r.retracted_by, r.retracted_at, r.reason"
            " FROM upload u LEFT JOIN upload_retraction r USING (upload_id)"
            " ORDER BY u.upload_id DESC LIMIT ?",
            [limit],
        ).fetchall()
        names = [d[0] for d in con.description]
    return [dict(zip(names, row, strict=True)) for row in frame]
