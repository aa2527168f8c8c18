"""Compliance of a year, in seconds: ``evaluate`` over every EPN of the workload, beside
its floor (the plain DuckDB SQL of the three statistics rules on the same warehouse), both
timed in turn in the same process, and a naive per-EPN, per-week Python loop on a sample of
them; then ``epn compliance --json`` as a whole process, beside ``python -c 'import duckdb'``
(issue 12: under a second for 20,000 EPNs)."""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import time
from pathlib import Path

from bench.command_line import FLOOR_NAME
from bench.floors import compliance_sql_floor, epn_command, run_process
from bench.measure import Measure
from bench.workload import AS_OF, YEAR, Workload, week_mondays
from validation.charter.engine import evaluate
from warehouse.db import connect


def naive_compliance(db: Path, ids: list[str], year: int, as_of: dt.date) -> int:
    """Per EPN: its label dates and weeks fetched, then a Python loop over the year's weeks.

    Only the statistics rules (hours, facilitator, missing weeks), so it does less than
    the real evaluation: the ratio is, if anything, in the baseline's favour.
    """
    mondays = week_mondays(year)
    cut = as_of - dt.timedelta(days=as_of.weekday() + 7)
    findings = 0
    with connect(db) as con:
        for epn_id in ids:
            label = con.execute(
                "SELECT labelled_on, withdrawn_on FROM registry_current WHERE epn_id = ?", [epn_id]
            ).fetchone()
            if not label or label[0] is None:
                continue
            weeks = {
                r[0]: r[1:]
                for r in con.execute(
                    "SELECT week_start, status, public_hours, facilitated_hours FROM cur_weekly"
                    " WHERE epn_id = ?",
                    [epn_id],
                ).fetchall()
            }
            low, unfacilitated, missing = [], [], []
            for monday in mondays:
                if monday + dt.timedelta(days=6) < label[0] or monday > cut:
                    continue
                if label[1] and monday >= label[1] - dt.timedelta(days=label[1].weekday()):
                    continue
                if monday not in weeks:
                    missing.append(monday)
                    continue
                status, public, facilitated = weeks[monday]
                if status == "open" and (public is None or public < 15):
                    low.append(monday)
                if status == "open" and (facilitated is None or facilitated < 15):
                    unfacilitated.append(monday)
            findings += bool(low) + bool(unfacilitated) + bool(missing)
    return findings


RUNS = 3  # timed runs of the product and of its floor, taken in turn (medians kept)


def compliance(workload: Workload) -> list[Measure]:
    """The year's evaluation in the process, then the command as a whole process."""
    return [compliance_in_process(workload), compliance_process(workload)]


def compliance_process(workload: Workload) -> Measure:
    """``epn compliance --json`` on the workload's warehouse, a fresh process each time, and
    ``python -c 'import duckdb'``, taken in turn (medians kept) after an untimed run (which
    compiles the checks if nothing compiled is kept yet)."""
    command = [*epn_command(), "compliance", "--year", str(YEAR), "--as-of", AS_OF.isoformat()]
    command += ["--json", "--db", str(workload.db)]
    floor_command = [sys.executable, "-c", "import duckdb"]
    run_process(command, 1)
    product, floor, peak = [], [], 0.0
    for _ in range(workload.process_runs):
        floor.append(run_process(floor_command, 1)["seconds"])
        run = run_process(command, 1)
        product.append(run["seconds"])
        peak = max(peak, run["peak_mib"])
    details = {"runs": workload.process_runs, "epns": len(workload.epn_ids), "peak_mib": peak}
    return Measure(
        "epn compliance --json (process)",
        statistics.median(product),
        "s",
        None,
        details,
        floor=statistics.median(floor),
        floor_name=FLOOR_NAME,
    )


def compliance_in_process(workload: Workload) -> Measure:
    """``evaluate`` for the year over every EPN, beside its floor, each the median of
    ``RUNS`` runs taken in turn after an untimed one (imports and first-call costs: the
    checks' compilation, the floor's first scan); the naive loop on a sample, extrapolated."""
    with connect(workload.db) as con:
        found = evaluate(con, YEAR, AS_OF)
        floor = compliance_sql_floor(con, YEAR, AS_OF)
        product_runs, floor_runs = [], []
        for _ in range(RUNS):
            started = time.perf_counter()
            found = evaluate(con, YEAR, AS_OF)
            product_runs.append(time.perf_counter() - started)
            floor = compliance_sql_floor(con, YEAR, AS_OF)
            floor_runs.append(floor["seconds"])
    seconds = statistics.median(product_runs)
    rules = {code for _, code in floor["findings"]}
    product_findings = sorted((f.epn_id, f.code) for f in found if f.code in rules)
    sample = workload.epn_ids[: workload.baseline_epns]
    started = time.perf_counter()
    naive_compliance(workload.db, sample, YEAR, AS_OF)
    per_epn = (time.perf_counter() - started) / len(sample)
    return Measure(
        f"compliance {YEAR}",
        seconds,
        "s",
        per_epn * len(workload.epn_ids),
        {
            "epns": len(workload.epn_ids),
            "findings": len(found),
            "baseline_sample_epns": len(sample),
            "floor_findings": len(floor["findings"]),
            "floor_findings_identical": product_findings == floor["findings"],
        },
        floor=statistics.median(floor_runs),
        floor_name="plain SQL of the 3 statistics rules",
    )
