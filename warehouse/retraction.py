"""Retraction of an accepted upload: its values leave the current facts, history keeps them.

The upload's status becomes ``retracted`` (with who, when and why in ``upload_retraction``);
current weekly facts of its EPNs are rebuilt from the uploads still accepted, so the
previous version of each key comes back; the current report (view ``cur_report``) and the
charter read accepted uploads only. The caller holds the transaction and refreshes the
findings of the EPNs and years returned.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from epn.errors import EpnError
from validation.plausible import year_span
from warehouse.integrity import rebuild_weekly


@dataclass(frozen=True)
class Retracted:
    upload_id: int
    filename: str
    kind: str
    epn_ids: list[str]
    years: list[int]


def retract(
    con: duckdb.DuckDBPyConnection, upload_id: int, username: str, reason: str
) -> Retracted:
    row = con.execute(
        "SELECT filename, kind, status, epn_ids, year FROM upload WHERE upload_id = ?",
        [upload_id],
    ).fetchone()
    if row is None:
        raise EpnError("retract_unknown_upload", upload_id=upload_id)
    filename, kind, status, epn_ids, year = row
    if status != "accepted":
        raise EpnError("retract_not_accepted", upload_id=upload_id, filename=filename)
    weeks_years = con.execute(
        "SELECT DISTINCT isoyear(week_start) FROM hist_weekly WHERE upload_id = ? ORDER BY 1",
        [upload_id],
    ).fetchall()
    # the years judged again: those of the reporting span only (a week dated 9999 that an
    # old warehouse holds is taken back with the file, but names no year to recompute)
    first, last = year_span()
    dated = {y for (y,) in weeks_years} | ({year} if year else set())
    years = sorted(y for y in dated if first <= y <= last)
    con.execute("UPDATE upload SET status = 'retracted' WHERE upload_id = ?", [upload_id])
    con.execute(
        "INSERT INTO upload_retraction (upload_id, retracted_by, reason) VALUES (?, ?, ?)",
        [upload_id, username, reason],
    )
    epn_ids = list(epn_ids or [])
    if kind == "statistics" or weeks_years:
        rebuild_weekly(con, epn_ids)
    return Retracted(upload_id, filename, kind, epn_ids, years)
