"""Writes the tables of an accepted annual report into its history tables.

Each table is loaded set-wise: one INSERT ... SELECT scans the DataFrame, found by the name
of the local variable holding it (DuckDB's replacement scan; ``register`` would create and
drop a view for each table, which costs as much as the insert). The caller holds the
transaction. The current report of an EPN and year is the latest accepted upload (view
``cur_report``), so nothing here is ever overwritten.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from epn.standard import REPORT_IDENTITY, report_sheet
from ingest.tables import ROW

# parsed table -> (history table, its columns, whether it keeps the spreadsheet row)
REPORT_TABLES = {
    "report": ("hist_report", tuple(REPORT_IDENTITY.keys), False),
    "staff": ("hist_staff", tuple(report_sheet("staff").keys), True),
    "activities": ("hist_activity", tuple(report_sheet("activities").keys), True),
    "audience": ("hist_audience", tuple(report_sheet("audience").keys), True),
    "cooperation": ("hist_cooperation", tuple(report_sheet("cooperation").keys), True),
    "narrative": ("hist_narrative", ("key", "value"), False),
}


def insert_frame(
    con: duckdb.DuckDBPyConnection,
    upload_id: int,
    frame: pd.DataFrame,
    target: str,
    columns: tuple[str, ...],
    with_row: bool,
) -> None:
    names = ", ".join(f'"{c}"' for c in columns)
    into = f"upload_id, source_row, {names}" if with_row else f"upload_id, {names}"
    select = f'{int(upload_id)}, "{ROW}", {names}' if with_row else f"{int(upload_id)}, {names}"
    incoming_report_rows = frame  # noqa: F841  scanned by its name (see the module's doc)
    con.execute(f"INSERT INTO {target} ({into}) SELECT {select} FROM incoming_report_rows")


def store_report(con: duckdb.DuckDBPyConnection, upload_id: int, parsed) -> None:
    """Every report table of ``parsed`` into its ``hist_*`` table; weekly rows go elsewhere."""
    for name, (target, columns, with_row) in REPORT_TABLES.items():
        frame = parsed.tables.get(name)
        if frame is not None and len(frame):
            insert_frame(con, upload_id, frame, target, columns, with_row)
