"""Statistics ingest, rows per second: the real pipeline on every file of the workload,
and a naive program (pandas + openpyxl or read_csv, a Python loop of validation, one INSERT
per row) on a sample of the same files."""

from __future__ import annotations

import datetime as dt
import io
import time

import duckdb
import pandas as pd

from bench.measure import Measure
from bench.workload import FORMATS, KEYS, RECEIVED_ON, StatisticsFile, Workload, sample_files
from services.uploads import Upload, ingest_uploads


def naive_read(file: StatisticsFile) -> pd.DataFrame:
    """What one would write first: pandas with openpyxl for xlsx, read_csv for CSV."""
    if file.file_format == "xlsx":
        frame = pd.read_excel(io.BytesIO(file.data), engine="openpyxl")
    elif file.file_format == "csv_fr":
        frame = pd.read_csv(io.BytesIO(file.data), sep=";", decimal=",")
    else:
        frame = pd.read_csv(io.BytesIO(file.data))
    frame.columns = KEYS  # the baseline trusts the column order
    return frame


def _number(value) -> float | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    return float(str(value).replace(",", "."))


def naive_validate(frame: pd.DataFrame, known: set[str]) -> tuple[list[tuple], list[str]]:
    """A Python loop over the rows: types, ranges, cross-field rules and duplicate keys."""
    rows, errors, seen = [], [], set()
    for number, row in enumerate(frame.itertuples(index=False), start=2):
        epn_id, week, status, reason, *figures = row
        try:
            week = week.date() if hasattr(week, "date") else dt.date.fromisoformat(str(week))
            public, facilitated, visits, unique, new = (_number(v) for v in figures)
        except ValueError as error:
            errors.append(f"row {number}: {error}")
            continue
        if epn_id not in known:
            errors.append(f"row {number}: unknown EPN {epn_id}")
        if week.weekday() != 0:
            errors.append(f"row {number}: {week} is not a Monday")
        if status not in ("open", "closed"):
            errors.append(f"row {number}: bad status {status}")
        if status == "closed" and (reason is None or reason != reason):
            errors.append(f"row {number}: closure reason missing")
        if public is not None and not 0 <= public <= 168:
            errors.append(f"row {number}: public hours out of range")
        if facilitated is not None and public is not None and facilitated > public:
            errors.append(f"row {number}: facilitated over public hours")
        if unique is not None and visits is not None and unique > visits:
            errors.append(f"row {number}: unique users over visits")
        if new is not None and unique is not None and new > unique:
            errors.append(f"row {number}: new users over unique users")
        if (epn_id, week) in seen:
            errors.append(f"row {number}: duplicate week")
        seen.add((epn_id, week))
        rows.append(
            (
                epn_id,
                week,
                status,
                None if reason != reason else reason,
                public,
                facilitated,
                visits,
                unique,
                new,
            )
        )
    return rows, errors


def naive_insert(con: duckdb.DuckDBPyConnection, rows: list[tuple]) -> None:
    """One INSERT per row, one transaction per file (all or nothing, like the pipeline)."""
    con.execute("BEGIN TRANSACTION")
    for row in rows:
        con.execute("INSERT INTO weekly VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
    con.execute("COMMIT")


def naive_ingest(workload: Workload, sample: list[StatisticsFile]) -> dict[str, dict]:
    """Seconds per stage and rows, per format, over the sample."""
    con = duckdb.connect(str(workload.workdir / "baseline.duckdb"))
    con.execute(
        "CREATE OR REPLACE TABLE weekly (epn_id VARCHAR, week_start DATE, status VARCHAR,"
        " closure_reason VARCHAR, public_hours DOUBLE, facilitated_hours DOUBLE,"
        " visits DOUBLE, unique_users DOUBLE, new_users DOUBLE)"
    )
    known = set(workload.epn_ids)
    stages: dict[str, dict] = {}
    try:
        for file in sample:
            stage = stages.setdefault(
                file.file_format, {"rows": 0, "read": 0.0, "validate": 0.0, "insert": 0.0}
            )
            started = time.perf_counter()
            frame = naive_read(file)
            read = time.perf_counter()
            rows, _ = naive_validate(frame, known)
            validated = time.perf_counter()
            naive_insert(con, rows)
            stage["rows"] += file.rows
            stage["read"] += read - started
            stage["validate"] += validated - read
            stage["insert"] += time.perf_counter() - validated
    finally:
        con.close()
    return stages


def statistics_ingest(workload: Workload) -> list[Measure]:
    """The real pipeline on every file, timed per format; the baseline on a sample."""
    seconds = {f: 0.0 for f in FORMATS}
    rows = {f: 0 for f in FORMATS}
    rejected = 0
    # A dry run first, so that imports and first-call costs are not charged to one format.
    ingest_uploads(
        [Upload("warm-up.csv", workload.files[0].data, RECEIVED_ON)], db=workload.db, dry_run=True
    )
    for file in workload.files:
        upload = Upload(file.name, file.data, RECEIVED_ON)
        started = time.perf_counter()
        outcome = ingest_uploads([upload], db=workload.db)[0]
        seconds[file.file_format] += time.perf_counter() - started
        rows[file.file_format] += file.rows
        rejected += outcome["status"] != "accepted"
    if rejected:
        raise SystemExit(f"{rejected} benchmark files were rejected: the benchmark is broken.")

    stages = naive_ingest(workload, sample_files(workload.files, workload.baseline_rows))
    base_rate = {
        f: s["rows"] / (s["read"] + s["validate"] + s["insert"]) for f, s in stages.items()
    }
    # The baseline's time for the whole workload, from its per-row rate in each format.
    base_seconds = sum(rows[f] / base_rate[f] for f in FORMATS if rows[f])
    total_seconds = sum(seconds.values())
    measures = [
        Measure(
            "statistics ingest",
            workload.rows / total_seconds,
            "rows/s",
            workload.rows / base_seconds,
            {
                "rows": workload.rows,
                "files": len(workload.files),
                "seconds": total_seconds,
                "baseline_sample_rows": sum(s["rows"] for s in stages.values()),
                "baseline_stages_seconds": stages,
            },
        )
    ]
    for f in FORMATS:
        if rows[f] and f in base_rate:
            measures.append(
                Measure(
                    f"{f}",
                    rows[f] / seconds[f],
                    "rows/s",
                    base_rate[f],
                    {"rows": rows[f], "seconds": seconds[f]},
                    breakdown=True,
                )
            )
    return measures
