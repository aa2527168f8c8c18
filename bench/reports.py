"""Annual reports per second, end to end: guard, parse, validate, store and findings.

A fresh warehouse registers the EPNs whose reports it receives; their filled templates
(``report_files``) go through ``ingest_uploads`` as one batch, as the command line sends
them. The naive path (``naive_reports``: openpyxl, Python loops, one INSERT per row) runs on
a sample of the same files, and its per-report rate is compared with the pipeline's.
"""

from __future__ import annotations

import resource
import time

import duckdb
import numpy as np

from bench.floors import reports_floor
from bench.measure import Measure
from bench.naive_reports import create_tables, naive_ingest
from bench.report_files import filled_reports
from bench.workload import RECEIVED_ON, YEAR, Workload, register_epns
from services.uploads import Upload, ingest_uploads
from validation.parse_ahead import worker_count

EPNS_PER_REPORT = 50  # a sample of the region's reports: one EPN in fifty...
MAX_REPORTS = 200  # ...and at most this many
BASELINE_REPORTS = 20


def default_reports(n_epns: int) -> int:
    return min(MAX_REPORTS, n_epns // EPNS_PER_REPORT)


def annual_reports(workload: Workload) -> list[Measure]:
    """The real pipeline on every report; the naive path on a sample, extrapolated."""
    if not workload.reports:
        return []
    ids = workload.epn_ids[: workload.reports]
    files = filled_reports(ids, YEAR, np.random.default_rng(7))
    db = workload.workdir / "reports.duckdb"
    for stale in workload.workdir.glob("reports.duckdb*"):
        stale.unlink()
    register_epns(db, ids)
    uploads = [
        Upload(f"rapport-{i}-{YEAR}.xlsx", f, RECEIVED_ON) for i, f in zip(ids, files, strict=True)
    ]
    # A dry run of one report first, so that loading the parsing libraries is not charged.
    ingest_uploads(uploads[:1], db=db, dry_run=True)
    cpu = _cpu_seconds()
    started = time.perf_counter()
    outcomes = ingest_uploads(uploads, db=db)
    seconds = time.perf_counter() - started
    cpu = _cpu_seconds() - cpu
    rejected = [o for o in outcomes if o["status"] != "accepted"]
    if rejected:
        raise SystemExit(f"{len(rejected)} benchmark reports were rejected: {rejected[0]}")
    base_seconds, sample = naive_seconds(workload, uploads[:BASELINE_REPORTS], set(ids))
    floor = reports_floor(workload.workdir, files)
    return [
        Measure(
            "annual reports",
            len(uploads) / seconds,
            "reports/s",
            sample / base_seconds,
            {
                "reports": len(uploads),
                "seconds": seconds,
                "cpu_seconds": cpu,
                "parse_workers": worker_count(),
                "rows_per_report": _rows(outcomes, db),
                "baseline_sample_reports": sample,
                "floor": floor,
            },
            floor=floor["reports"] / floor["seconds"],
            floor_name="calamine + one transaction a report",
        )
    ]


def naive_seconds(workload: Workload, sample: list[Upload], known: set[str]) -> tuple[float, int]:
    con = duckdb.connect(str(workload.workdir / "baseline-reports.duckdb"))
    try:
        create_tables(con)
        started = time.perf_counter()
        for upload in sample:
            errors = naive_ingest(con, upload.filename, upload.data, known)
            if errors:
                raise SystemExit(f"the naive path rejects {upload.filename}: {errors[:3]}")
        return time.perf_counter() - started, len(sample)
    finally:
        con.close()


def _cpu_seconds() -> float:
    """This process and its (waited-for) children: the parse workers' work counts too."""
    own, children = (
        resource.getrusage(r) for r in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _rows(outcomes: list[dict], db) -> float:
    tables = ("hist_staff", "hist_activity", "hist_audience", "hist_cooperation", "hist_weekly")
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = sum(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables)
    finally:
        con.close()
    return rows / len(outcomes)
