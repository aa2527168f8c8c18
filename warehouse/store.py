"""Writes of checked uploads, several at a time. Callers hold the transaction.

A group of uploads costs one statement per table, whatever its size: the upload rows, their
audit entries and each typed table are loaded set-wise from one DataFrame (never row by row;
DuckDB scans a DataFrame found by the name of the local variable holding it, a replacement
scan, with no view to create and drop). A file is still all or nothing: its rows are written
in the same transaction as its upload row.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from epn.frames import frame_of
from epn.parsed import Parsed, iso_years
from epn.standard import REPORT_IDENTITY, report_sheet
from epn.tables import ROW
from warehouse import outlier_baseline

WEEKLY_FIELDS = (
    "epn_id, week_start, status, closure_reason, public_hours, facilitated_hours,"
    " visits, unique_users, new_users"
)

# an annual report's table -> (its history table, its columns, whether it keeps the
# spreadsheet row); the current report of an EPN and year is its latest accepted upload
# (view ``cur_report``), so a report's rows are only ever appended
REPORT_TABLES = {
    "report": ("hist_report", tuple(REPORT_IDENTITY.keys), False),
    "staff": ("hist_staff", tuple(report_sheet("staff").keys), True),
    "activities": ("hist_activity", tuple(report_sheet("activities").keys), True),
    "audience": ("hist_audience", tuple(report_sheet("audience").keys), True),
    "cooperation": ("hist_cooperation", tuple(report_sheet("cooperation").keys), True),
    "narrative": ("hist_narrative", ("key", "value"), False),
}


@dataclass
class Checked:
    """An upload whose untrusted path is over: what it was, what parsing made of it."""

    upload: object  # services.uploads.Upload
    parsed: Parsed
    errors: list[dict]

    @property
    def status(self) -> str:
        return "accepted" if self.parsed.accepted else "rejected"


def accepted_among(con: duckdb.DuckDBPyConnection, sha256s: list[str]) -> dict[str, tuple]:
    """sha256 -> (upload_id, kind, epn_ids, year) of its first accepted upload, for those of
    ``sha256s`` accepted."""
    rows = con.execute(
        "SELECT sha256, upload_id, kind, epn_ids, year FROM upload"
        " WHERE status = 'accepted' AND list_contains(?::VARCHAR[], sha256)"
        " QUALIFY row_number() OVER (PARTITION BY sha256 ORDER BY upload_id) = 1",
        [sha256s],
    ).fetchall()
    return {sha256: tuple(rest) for sha256, *rest in rows}


def write_group(con: duckdb.DuckDBPyConnection, group: list[Checked]) -> list[int]:
    """Every upload of ``group`` with, for the accepted ones, their tables; returns their
    upload ids, increasing in the group's order (a later file is a later version)."""
    upload_ids = reserve_upload_ids(con, len(group))
    record_uploads(con, group, upload_ids)
    accepted = [(i, c.parsed) for i, c in zip(upload_ids, group, strict=True) if c.parsed.accepted]
    reports = [(i, p) for i, p in accepted if p.kind == "annual_report"]
    for name, (target, columns, with_row) in REPORT_TABLES.items():
        frame = stacked(reports, name)
        if frame is not None:
            insert_rows(con, target, columns, frame, with_row)
    weekly = stacked(accepted, "weekly")
    if weekly is not None:
        store_weekly(con, weekly)
    return upload_ids


def reserve_upload_ids(con: duckdb.DuckDBPyConnection, count: int) -> list[int]:
    rows = con.execute("SELECT nextval('upload_seq') FROM range(?)", [count]).fetchall()
    return sorted(r[0] for r in rows)


def record_uploads(con: duckdb.DuckDBPyConnection, group: list[Checked], ids: list[int]) -> None:
    incoming_uploads = pd.DataFrame(  # noqa: F841  scanned by its name
        {
            "upload_id": ids,
            "sha256": [c.upload.sha256 for c in group],
            "filename": [c.upload.filename for c in group],
            "size_bytes": [len(c.upload.data) for c in group],
            "kind": [c.parsed.kind for c in group],
            "received_on": [c.upload.received_on for c in group],
            "uploaded_by": [c.upload.uploaded_by for c in group],
            "status": [c.status for c in group],
            "epn_ids": [list(c.parsed.epn_ids or []) for c in group],
            "year": pd.array([c.parsed.year for c in group], dtype="Int64"),
            "errors": [json.dumps(c.errors, ensure_ascii=False) for c in group],
        }
    )
    con.execute(
        "INSERT INTO upload (upload_id, sha256, filename, size_bytes, kind, received_on,"
        " uploaded_by, status, epn_ids, year, errors)"
        " SELECT upload_id, sha256, filename, size_bytes, kind, received_on::DATE, uploaded_by,"
        " status, epn_ids::VARCHAR[], year, errors::JSON FROM incoming_uploads"
    )


def stacked(accepted: list[tuple[int, Parsed]], name: str) -> pd.DataFrame | None:
    """Table ``name`` of every accepted upload, one frame, each row with its upload id."""
    parts = [
        (upload_id, parsed.tables[name])
        for upload_id, parsed in accepted
        if name in parsed.tables and len(parsed.tables[name])
    ]
    if not parts:
        return None
    frames = [frame for _, frame in parts]
    frame = frames[0].copy() if len(frames) == 1 else concatenated(frames)
    frame["upload_id"] = np.repeat([i for i, _ in parts], [len(f) for f in frames])
    return frame


def concatenated(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """``pd.concat(frames, ignore_index=True)``, column by column when every frame has the
    same columns, each of one dtype throughout, as the tables of a group's files have: pandas'
    general concatenation first compares the blocks of every frame, which costs more here."""
    names = list(frames[0].columns)
    if len(set(names)) != len(names) or any(list(f.columns) != names for f in frames):
        return pd.concat(frames, ignore_index=True)
    columns = {}
    for at, name in enumerate(names):
        arrays = [frame._get_column_array(at) for frame in frames]  # no Series: 10 µs each
        dtype = arrays[0].dtype
        if any(array.dtype != dtype for array in arrays):
            return pd.concat(frames, ignore_index=True)
        if isinstance(dtype, np.dtype):
            columns[name] = np.concatenate(arrays)
        else:
            columns[name] = type(arrays[0])._concat_same_type(arrays)
    frame = frame_of(columns)
    frame.columns = frames[0].columns
    return frame


def insert_rows(
    con: duckdb.DuckDBPyConnection,
    target: str,
    columns: tuple[str, ...],
    frame: pd.DataFrame,
    with_row: bool,
) -> None:
    names = ", ".join(f'"{c}"' for c in columns)
    into, select = (
        ("upload_id, source_row", f'upload_id, "{ROW}"') if with_row else ("upload_id",) * 2
    )
    incoming_rows = frame  # noqa: F841  scanned by its name
    con.execute(
        f"INSERT INTO {target} ({into}, {names}) SELECT {select}, {names} FROM incoming_rows"
    )


def store_weekly(con: duckdb.DuckDBPyConnection, incoming_weekly: pd.DataFrame) -> None:
    """History gets every row; current facts are replaced by key (epn_id, week_start), the
    latest upload of the group winning where several hold the same week.

    The frame is read once, into the history; the rest reads the group's rows back from
    there (fresh upload ids: only this group's), which DuckDB scans faster than it converts
    the frame's texts and dates again."""
    weeks = incoming_weekly["week_start"] = day_stamps(incoming_weekly["week_start"])  # a copy's
    con.execute(
        f"INSERT INTO hist_weekly (upload_id, source_row, {WEEKLY_FIELDS})"
        f' SELECT upload_id, "{ROW}", {WEEKLY_FIELDS} FROM incoming_weekly'
    )
    ids = np.unique(incoming_weekly["upload_id"].to_numpy()).tolist()
    group = (
        f"FROM hist_weekly WHERE upload_id BETWEEN {int(ids[0])} AND {int(ids[-1])}"
        " AND list_contains(?::BIGINT[], upload_id)"
    )
    con.execute(
        f"DELETE FROM cur_weekly c USING (SELECT DISTINCT epn_id, week_start {group}) n"
        " WHERE c.epn_id = n.epn_id AND c.week_start = n.week_start",
        [ids],
    )
    known = weeks[~np.isnat(weeks)].astype("datetime64[D]")
    outlier_baseline.forget(con, known.min().item(), known.max().item())
    con.execute(
        f"INSERT INTO cur_weekly SELECT * {group}"
        " QUALIFY row_number() OVER (PARTITION BY epn_id, week_start ORDER BY upload_id DESC) = 1",
        [ids],
    )


def day_stamps(days: pd.Series) -> np.ndarray:
    """Dates (objects) as datetime64[s], NaT where missing: DuckDB reads such a column as
    numbers rather than object by object (a third of the history's insert); each distinct
    week is converted once. Seconds span any date, where nanoseconds end in 2262."""
    codes, distinct = pd.factorize(days.to_numpy(dtype=object))
    stamps = np.array([*distinct, None], dtype="datetime64[s]")
    return stamps[codes]  # a missing day's code, -1, takes the last: NaT


def years_of(parsed: Parsed) -> list[int]:
    weekly = parsed.tables.get("weekly")
    years = set() if weekly is None else set(iso_years(weekly["week_start"]))  # distinct weeks
    if parsed.year:
        years.add(parsed.year)
    return sorted(years)
