"""Statistics ingest against its floor: per row in-process, and a 100,000-row CSV end to end.

Per row: a small and a large CSV go through ``ingest_uploads`` in-process, then through
the floor (pandas ``read_csv`` + a Pandera schema with every check of §3 + one DuckDB
insert) and DuckDB's own ``read_csv``; a + b·rows through the two points gives each one's
fixed cost per file and cost per row. End to end: ``epn ingest`` of the large file as a
process against the floor's process, wall time and peak memory.
"""

from __future__ import annotations

import sys
import time

import numpy as np

from bench.floors import (
    FLOOR_SCRIPT,
    duckdb_read_csv,
    epn_command,
    fit,
    floor_connection,
    pandas_pandera_insert,
    run_process,
)
from bench.measure import Measure
from bench.workload import RECEIVED_ON, YEAR, Workload, register_epns, week_mondays, weekly_frame
from services.uploads import Upload, ingest_uploads

LARGE_EPNS = 100_000 // 52  # 1,923 EPNs: the largest file under the 100,000-row cap
FLOOR_NAME = "pandas + Pandera §3 + one insert"


def ingest_against_floor(workload: Workload) -> list[Measure]:
    large_count = min(LARGE_EPNS, len(workload.epn_ids) * 10 // 11)
    small_count = max(1, large_count // 10)
    ids = workload.epn_ids[: small_count + large_count]
    rng = np.random.default_rng(11)
    files = {}
    for name, chosen in (("small", ids[:small_count]), ("large", ids[small_count:])):
        data = weekly_frame(chosen, YEAR, rng).to_csv(index=False).encode()
        path = workload.workdir / f"floor-{name}.csv"
        path.write_bytes(data)
        files[name] = (path, data, len(chosen) * len(week_mondays(YEAR)))
    known = set(ids)
    product, floor, raw = [], [], []
    db = workload.workdir / "floor-product.duckdb"
    for stale in workload.workdir.glob(db.name + "*"):
        stale.unlink()
    register_epns(db, ids)
    floor_con = floor_connection(workload.workdir / "floor-pandas.duckdb")
    raw_con = floor_connection(workload.workdir / "floor-raw.duckdb")
    # first-call costs (loading the libraries, a first parse) are charged to neither: the
    # floor's first insert is undone, the product's first ingest is a dry run
    pandas_pandera_insert(files["small"][1], known, floor_con)
    floor_con.execute("DELETE FROM weekly")
    path, data, _ = files["small"]
    ingest_uploads([Upload(path.name, data, RECEIVED_ON)], db=db, dry_run=True)
    try:
        for name, (path, data, rows) in files.items():
            started = time.perf_counter()
            [outcome] = ingest_uploads([Upload(path.name, data, RECEIVED_ON)], db=db)
            product.append((rows, time.perf_counter() - started))
            if outcome["status"] != "accepted":
                raise SystemExit(f"the floor's {name} file was {outcome['status']}")
            started = time.perf_counter()
            pandas_pandera_insert(data, known, floor_con)
            floor.append((rows, time.perf_counter() - started))
            started = time.perf_counter()
            duckdb_read_csv(path, raw_con)
            raw.append((rows, time.perf_counter() - started))
    finally:
        floor_con.close()
        raw_con.close()
    (p_fixed, p_row), (f_fixed, f_row), (r_fixed, r_row) = fit(product), fit(floor), fit(raw)
    details = {
        "rows": [product[0][0], product[1][0]],
        "product_seconds": [s for _, s in product],
        "floor_seconds": [s for _, s in floor],
        "duckdb_read_csv_seconds": [s for _, s in raw],
        "duckdb_read_csv_us_per_row": r_row * 1e6,
        "duckdb_read_csv_fixed_ms": r_fixed * 1e3,
    }
    measures = [
        Measure(
            "ingest per row",
            p_row * 1e6,
            "µs/row",
            None,
            details,
            False,
            f_row * 1e6,
            FLOOR_NAME,
        ),
        Measure("fixed per file", p_fixed * 1e3, "ms", None, {}, True, f_fixed * 1e3, FLOOR_NAME),
        Measure(
            "vs DuckDB read_csv",
            p_row * 1e6,
            "µs/row",
            None,
            {"fixed_ms": r_fixed * 1e3},
            True,
            r_row * 1e6,
            "DuckDB read_csv, no checks",
        ),
    ]
    return measures + whole_process(workload, ids, files["large"])


def whole_process(workload: Workload, ids: list[str], large) -> list[Measure]:
    """``epn ingest`` of the large file as a process, beside the floor's process."""
    path, _, rows = large
    db = workload.workdir / "floor-process.duckdb"
    for stale in workload.workdir.glob(db.name + "*"):
        stale.unlink()
    register_epns(db, ids)
    known = workload.workdir / "floor-known.txt"
    known.write_text("\n".join(ids))
    product = run_process([*epn_command(), "ingest", str(path), "--json", "--db", str(db)], 1)
    floor_db = workload.workdir / "floor-process-pandas.duckdb"
    floor = run_process(
        [sys.executable, "-c", FLOOR_SCRIPT, str(path), str(known), str(floor_db)], 1
    )
    name = f"{rows:,}-row CSV, process"
    details = {"rows": rows, "product": product, "floor": floor}
    return [
        Measure(name, product["seconds"], "s", None, details, False, floor["seconds"], FLOOR_NAME),
        Measure(
            "peak memory",
            product["peak_mib"],
            "MiB",
            None,
            {},
            True,
            floor["peak_mib"],
            FLOOR_NAME,
        ),
    ]
