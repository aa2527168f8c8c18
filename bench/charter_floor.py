"""The charter's statistics rules at scale against their floor (issue 12): ``evaluate`` for a
year over every EPN, beside the plain DuckDB SQL of the three rules (the same findings'
EPNs, weeks and values, nothing else) and beside the what-if of the COPIL page.

The warehouse is built set-wise (registry events and current weeks written directly): the
ingest path is measured elsewhere. ``python -m bench.charter_floor --epns 20000``.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.workload import AS_OF, YEAR, epn_ids, register_epns, weekly_frame
from validation.charter.engine import evaluate
from warehouse.db import connect, transaction

FLOOR_SQL = """
WITH weeks AS (
    SELECT epn_id, unnest(generate_series(greatest(date_trunc('week', labelled_on)::DATE,
                                                   $first)::TIMESTAMP,
                                          $last::TIMESTAMP, INTERVAL 7 DAY))::DATE AS week_start
    FROM registry_current WHERE labelled_on IS NOT NULL
), joined AS (
    SELECT w.epn_id, w.week_start, c.status, c.public_hours, c.facilitated_hours,
           c.epn_id IS NOT NULL AS has_row
    FROM weeks w LEFT JOIN cur_weekly c USING (epn_id, week_start)
)
SELECT epn_id,
       list(week_start ORDER BY week_start) FILTER (WHERE has_row AND status = 'open'
           AND public_hours < 15) AS low_public,
       list(public_hours ORDER BY week_start) FILTER (WHERE has_row AND status = 'open'
           AND public_hours < 15) AS low_public_hours,
       list(week_start ORDER BY week_start) FILTER (WHERE has_row AND status = 'open'
           AND facilitated_hours < 15) AS low_facilitated,
       list(facilitated_hours ORDER BY week_start) FILTER (WHERE has_row AND status = 'open'
           AND facilitated_hours < 15) AS low_facilitated_hours,
       list(week_start ORDER BY week_start) FILTER (WHERE NOT has_row) AS missing
FROM joined GROUP BY epn_id
HAVING len(low_public) > 0 OR len(low_facilitated) > 0 OR len(missing) > 0
"""


def build(db: Path, n_epns: int) -> None:
    ids = epn_ids(n_epns)
    register_epns(db, ids)
    frame = weekly_frame(ids, YEAR, np.random.default_rng(1))
    frame = frame.drop(frame.sample(frac=0.002, random_state=1).index)  # a few missing weeks
    with connect(db) as con, transaction(con):
        con.register("bench_weeks", frame)
        con.execute("INSERT INTO cur_weekly SELECT 0, 0, * FROM bench_weeks")
        con.unregister("bench_weeks")


def best_of(runs: int, work) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return min(times), result


def measure(n_epns: int, runs: int = 3) -> dict:
    with tempfile.TemporaryDirectory(prefix="epn-charter-") as scratch:
        db = Path(scratch) / "epn.duckdb"
        build(db, n_epns)
        first = np.datetime64(f"{YEAR - 1}-12-29")  # ISO week 1 of the bench year
        with connect(db) as con:
            evaluate(con, YEAR, AS_OF)  # warm: imports, caches
            product, found = best_of(runs, lambda: evaluate(con, YEAR, AS_OF))
            what_if, _ = best_of(  # the COPIL's what-if: the year judged by changed hours
                runs, lambda: evaluate(con, YEAR, AS_OF, min_public_hours=20.0)
            )
            floor, rows = best_of(
                runs,
                lambda: con.execute(
                    FLOOR_SQL,
                    {"first": first.item(), "last": _last_week()},
                ).fetchall(),
            )
    week_codes = {"opening_hours_min", "facilitator_presence", "statistics_incomplete"}
    return {
        "epns": n_epns,
        "product_seconds": round(product, 3),
        "floor_seconds": round(floor, 3),
        "ratio": round(product / floor, 1),
        "what_if_seconds": round(what_if, 3),
        "week_findings": sum(f.code in week_codes for f in found),
        "floor_epns": len(rows),
    }


def _last_week():
    import datetime as dt

    cut = AS_OF - dt.timedelta(days=AS_OF.weekday() + 7)
    return min(dt.date.fromisocalendar(YEAR + 1, 1, 1) - dt.timedelta(days=7), cut)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--epns", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    print(json.dumps(measure(parser.parse_args().epns, parser.parse_args().runs), indent=2))


if __name__ == "__main__":
    main()
