"""The floors: the least a program could spend on the same work, measured in the same run.

Where the naive baseline says how far the product is above a careless program, a floor
says how far it is from the best a careful one could do with the same libraries:

- the command line: ``python -c 'import duckdb'`` (every command needs at least that);
- the statistics rules of the charter: their plain DuckDB SQL on the same warehouse;
- statistics ingest: pandas ``read_csv`` + a Pandera schema holding every check of §3 of
  the standard + one DuckDB insert (and, below it, DuckDB's own ``read_csv``);
- annual reports: calamine reading every sheet + one transaction per report.

Each function returns plain figures; the benchmarks put them beside the product's.
"""

from __future__ import annotations

import datetime as dt
import io
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pandas as pd

ROOT = Path(__file__).parents[1]
TIME = "/usr/bin/time"  # GNU time: a process's peak memory (Debian's package ``time``)
STATISTICS_COLUMNS = (
    "epn_id VARCHAR, week_start DATE, status VARCHAR, closure_reason VARCHAR,"
    " public_hours DOUBLE, facilitated_hours DOUBLE, visits BIGINT, unique_users BIGINT,"
    " new_users BIGINT"
)


# ------------------------------------------------------------------ processes


def run_process(argv: list[str], repeat: int = 5) -> dict:
    """Median wall time and largest peak memory (MiB) of ``repeat`` runs of ``argv``.

    The peak is read by ``/usr/bin/time``: a child forked straight from this process would
    start with this process's own (large) memory counted in its peak.
    """
    seconds, peak_kib = [], 0
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        for _ in range(repeat):
            started = time.perf_counter()
            done = subprocess.run(
                [TIME, "-f", "%M", "-o", report.name, *map(str, argv)],
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            seconds.append(time.perf_counter() - started)
            if done.returncode not in (0, 1):
                raise SystemExit(f"{' '.join(map(str, argv))} failed: {done.stderr[-2000:]}")
            report.seek(0)
            peak_kib = max(peak_kib, int(report.read().split()[-1]))
    return {"seconds": statistics.median(seconds), "peak_mib": peak_kib / 1024, "runs": repeat}


def epn_command() -> list[str]:
    """The installed ``epn`` entry point beside this interpreter, else ``python -m cli``."""
    installed = Path(sys.executable).with_name("epn")
    return [str(installed)] if installed.exists() else [sys.executable, "-m", "cli"]


def import_duckdb_floor(repeat: int = 5) -> dict:
    return run_process([sys.executable, "-c", "import duckdb"], repeat)


# ------------------------------------------------------------------ compliance


def compliance_sql_floor(con: duckdb.DuckDBPyConnection, year: int, as_of: dt.date) -> dict:
    """The three statistics rules (public hours, facilitator, missing weeks) in one query:
    each EPN's current weekly rows within its labelled weeks, counted against how many
    weeks that period holds (the weeks themselves are never generated)."""
    from validation.charter.periods import iso_year_weeks, monday
    from validation.charter.terms import terms_for

    terms = terms_for(year)
    first, last = iso_year_weeks(year)
    cut = monday(as_of) - dt.timedelta(days=7)
    started = time.perf_counter()
    rows = con.execute(
        """
        WITH periods AS (
            SELECT epn_id,
                   greatest(date_trunc('week', labelled_on)::DATE, $first) AS first_week,
                   least($last, $cut,
                         coalesce(date_trunc('week', withdrawn_on)::DATE - 7, $last)) AS last_week
            FROM registry_current WHERE labelled_on IS NOT NULL
        ), judged AS (
            SELECT p.epn_id,
                   any_value(datediff('day', p.first_week, p.last_week) // 7 + 1)
                       - count(c.week_start) AS missing,
                   count(*) FILTER (WHERE c.status = 'open'
                       AND coalesce(c.public_hours < $public, TRUE)) AS low_public,
                   count(*) FILTER (WHERE c.status = 'open'
                       AND coalesce(c.facilitated_hours < $facilitated, TRUE)) AS low_facilitated
            FROM periods p LEFT JOIN cur_weekly c
                ON c.epn_id = p.epn_id AND c.week_start BETWEEN p.first_week AND p.last_week
            WHERE p.first_week <= p.last_week
            GROUP BY p.epn_id
        )
        SELECT epn_id, 'statistics_incomplete' FROM judged WHERE missing > 0
        UNION ALL SELECT epn_id, 'opening_hours_min' FROM judged WHERE low_public > $tolerance
        UNION ALL SELECT epn_id, 'facilitator_presence' FROM judged
            WHERE low_facilitated > $tolerance
        """,
        {
            "first": first,
            "last": last,
            "cut": cut,
            "public": terms.min_public_hours,
            "facilitated": terms.min_facilitated_hours,
            "tolerance": terms.hours_tolerance_weeks,
        },
    ).fetchall()
    return {"seconds": time.perf_counter() - started, "findings": sorted(rows)}


# ------------------------------------------------------------------ statistics ingest


def statistics_schema(known: set[str]):
    """§3 of the standard as one Pandera schema: types, codes, ranges, cross-field rules,
    Mondays, one row per EPN and week, EPNs of the registry."""
    import pandera.pandas as pa

    count = pa.Column("Int64", pa.Check.ge(0), nullable=False)
    hours = pa.Column(float, pa.Check.in_range(0, 168), nullable=False)
    return pa.DataFrameSchema(
        {
            "epn_id": pa.Column(str, pa.Check.isin(sorted(known))),
            "week_start": pa.Column(
                "datetime64[ns]", pa.Check(lambda s: s.dt.day_of_week == 0, element_wise=False)
            ),
            "status": pa.Column(str, pa.Check.isin(["open", "closed"])),
            "closure_reason": pa.Column(str, nullable=True),
            "public_hours": hours,
            "facilitated_hours": hours,
            "visits": count,
            "unique_users": count,
            "new_users": count,
        },
        checks=[
            pa.Check(lambda f: f["facilitated_hours"] <= f["public_hours"]),
            pa.Check(lambda f: f["unique_users"] <= f["visits"]),
            pa.Check(lambda f: f["new_users"] <= f["unique_users"]),
            pa.Check(lambda f: (f["status"] != "closed") | f["closure_reason"].notna()),
            pa.Check(lambda f: (f["status"] != "closed") | (f["public_hours"] == 0)),
        ],
        unique=["epn_id", "week_start"],
        coerce=True,
        strict=True,
    )


def pandas_pandera_insert(data: bytes, known: set[str], con: duckdb.DuckDBPyConnection) -> int:
    """The floor of one CSV file: read, validate every rule lazily, insert in one statement."""
    frame = pd.read_csv(io.BytesIO(data), dtype={"closure_reason": "string"})
    frame = statistics_schema(known).validate(frame, lazy=True)
    con.execute("BEGIN TRANSACTION")
    con.execute("INSERT INTO weekly SELECT * FROM frame")
    con.execute("COMMIT")
    return len(frame)


def duckdb_read_csv(path: Path, con: duckdb.DuckDBPyConnection) -> int:
    """Below every floor: DuckDB parsing the file into a table, no checks at all."""
    con.execute(
        "CREATE OR REPLACE TABLE raw AS SELECT * FROM read_csv(?, header = true)", [str(path)]
    )
    return con.execute("SELECT count(*) FROM raw").fetchone()[0]


def floor_connection(path: Path) -> duckdb.DuckDBPyConnection:
    for stale in path.parent.glob(path.name + "*"):
        stale.unlink()
    con = duckdb.connect(str(path))
    con.execute(f"CREATE TABLE weekly ({STATISTICS_COLUMNS}, PRIMARY KEY (epn_id, week_start))")
    return con


FLOOR_SCRIPT = """
import sys
from pathlib import Path
from bench.floors import floor_connection, pandas_pandera_insert
data = Path(sys.argv[1]).read_bytes()
known = set(Path(sys.argv[2]).read_text().split())
con = floor_connection(Path(sys.argv[3]))
pandas_pandera_insert(data, known, con)
con.close()
"""


def fit(points: list[tuple[int, float]]) -> tuple[float, float]:
    """Fixed cost and cost per row (a + b·rows) through the smallest and largest points;
    when noise makes the larger file the quicker (tiny files, a busy machine), the average
    cost per row of the larger one and no fixed cost."""
    (n1, t1), (n2, t2) = min(points), max(points)
    per_row = (t2 - t1) / (n2 - n1) if n2 != n1 and t2 > t1 else t2 / n2
    return max(t1 - per_row * n1, 0.0), per_row


# ------------------------------------------------------------------ annual reports


def calamine_transaction(con: duckdb.DuckDBPyConnection, data: bytes, number: int) -> int:
    """The floor of one annual report: calamine reads every sheet's cells, one transaction
    stores them (one row per cell, as a loader that knows nothing more would)."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    cells = [
        (number, name, r, c, str(value))
        for name in book.sheet_names
        for r, row in enumerate(book.get_sheet_by_name(name).to_python())
        for c, value in enumerate(row)
        if value != ""
    ]
    con.register("report_cells", pd.DataFrame(cells, columns=["report", "sheet", "r", "c", "v"]))
    con.execute("BEGIN TRANSACTION")
    con.execute("INSERT INTO cell SELECT * FROM report_cells")
    con.execute("COMMIT")
    con.unregister("report_cells")
    return len(cells)


def reports_floor(workdir: Path, files: list[bytes]) -> dict:
    path = workdir / "floor-reports.duckdb"
    for stale in workdir.glob(path.name + "*"):
        stale.unlink()
    con = duckdb.connect(str(path))
    try:
        con.execute(
            "CREATE TABLE cell (report INTEGER, sheet VARCHAR, r INTEGER, c INTEGER, v VARCHAR)"
        )
        started = time.perf_counter()
        cells = sum(calamine_transaction(con, data, n) for n, data in enumerate(files))
        seconds = time.perf_counter() - started
    finally:
        con.close()
    return {"seconds": seconds, "reports": len(files), "cells_per_report": cells / len(files)}
