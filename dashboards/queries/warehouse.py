"""Brief reads of the warehouse: open, query, close (DuckDB lets one process in at a time)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from epn.settings import warehouse_path
from warehouse.db import connect


def read_frame(sql: str, params: list | tuple = ()) -> pd.DataFrame:
    with connect(warehouse_path()) as con:
        return con.execute(sql, list(params)).df()


def warehouse_stamp(path: Path) -> tuple[int, int]:
    """Changes whenever the warehouse does: the file's and its write-ahead log's mtimes."""
    wal = path.with_name(path.name + ".wal")
    return tuple(p.stat().st_mtime_ns if p.exists() else 0 for p in (path, wal))
