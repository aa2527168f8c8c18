"""The benchmark: statistics ingest and compliance at scale, each beside a naive baseline.

    python -m bench.run [--epns N] [--files N] [--quick] [--json]

1. writes N statistics files (CSV with ``,``, CSV with ``;`` and decimal comma, xlsx) for
   many EPNs x the 52 weeks of a year;
2. ingests them with the real pipeline (``ingest_uploads``) and reports rows/s;
3. evaluates the charter for the year (``evaluate``) and reports the time;
4. measures, in the same run and on a sample of the same files, what a naive program
   would do: pandas + openpyxl / plain CSV reading, a Python loop of validation, one
   ``INSERT`` per row into DuckDB, and a per-EPN, per-week Python compliance loop.
   Per-row (per-EPN) rates are extrapolated to the full scale; each figure is printed
   with its ratio to the baseline.

A benchmark is a function ``(Workload) -> list[Measure]`` listed in ``BENCHMARKS``; annual
reports per second or dashboard queries can be added as further functions or modules.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
from openpyxl import Workbook

from epn.i18n import t
from epn.settings import get_settings
from epn.standard import STATISTICS
from ingest.pipeline import Upload, ingest_uploads
from validation.charter.engine import evaluate
from warehouse.db import connect, transaction

YEAR = 2024  # 52 ISO weeks
LABELLED_ON = dt.date(YEAR, 1, 1)  # first year of the label: no previous year to compare
RECEIVED_ON = dt.date(YEAR + 1, 2, 15)
AS_OF = dt.date(YEAR + 1, 2, 20)  # before the reports' deadline: the statistics rules speak
FORMATS = ("csv", "csv_fr", "xlsx")  # round-robin over the files
KEYS = STATISTICS.keys
FULL = {"epns": 20_000, "files": 200, "baseline_rows": 20_000, "baseline_epns": 400}
QUICK = {"epns": 300, "files": 6, "baseline_rows": 1_500, "baseline_epns": 60}


# ---------------------------------------------------------------- results


@dataclass
class Measure:
    name: str
    value: float
    unit: str  # "rows/s" (higher is better) or "s" (lower is better)
    baseline: float | None = None
    details: dict = field(default_factory=dict)
    breakdown: bool = False  # a part of the measure above it, indented in the table

    @property
    def higher_is_better(self) -> bool:
        return self.unit.endswith("/s")

    @property
    def ratio(self) -> float | None:
        """How many times better than the baseline (>1 is faster)."""
        if not self.baseline or not self.value:
            return None
        return self.value / self.baseline if self.higher_is_better else self.baseline / self.value

    def line(self) -> str:
        shown = _fmt(self.value, self.unit)
        if self.baseline is None:
            return f"{self.name}: {shown}"
        return (
            f"{self.name}: {shown} (baseline {_fmt(self.baseline, self.unit)}, ×{self.ratio:.1f})"
        )

    def to_dict(self) -> dict:
        return {
            **asdict(self),
            "ratio": self.ratio,
            "higher_is_better": self.higher_is_better,
            "line": self.line(),
        }


def _fmt(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value:,.2f} s" if value < 100 else f"{value:,.0f} s"
    return f"{value:,.0f} {unit}"


# ---------------------------------------------------------------- workload


@dataclass
class StatisticsFile:
    name: str
    file_format: str
    data: bytes
    rows: int


@dataclass
class Workload:
    workdir: Path
    db: Path
    epn_ids: list[str]
    files: list[StatisticsFile]
    baseline_rows: int
    baseline_epns: int
    seconds_to_prepare: float = 0.0

    @property
    def rows(self) -> int:
        return sum(f.rows for f in self.files)


def epn_ids(count: int) -> list[str]:
    return [f"EPN-{n:06d}" for n in range(1, count + 1)]


def register_epns(db: Path, ids: list[str]) -> None:
    """Labels every EPN since 1 January of the year.

    Written set-wise into the registry's event table: the registry importer checks each
    row against the registry (one query per row), fine for a region's 40 EPNs, hours for
    20,000, and it is not what this benchmark measures.
    """
    frame = pd.DataFrame({"epn_id": ids})
    frame["commune_nis"] = 21001 + np.arange(len(ids)) % 19
    with connect(db) as con, transaction(con):
        con.register("bench_epns", frame)
        con.execute(
            """
            INSERT INTO registry_event (epn_id, event, status_after, occurred_on, recorded_by,
                                        data)
            SELECT epn_id, 'imported', 'labelled', ?, 'bench',
                   to_json({name: 'EPN ' || epn_id, commune_nis: commune_nis,
                            authority_name: 'Commune', authority_type: 'commune'})
            FROM bench_epns
            """,
            [LABELLED_ON],
        )
        con.unregister("bench_epns")


def week_mondays(year: int) -> list[dt.date]:
    first = dt.date.fromisocalendar(year, 1, 1)
    return [first + dt.timedelta(weeks=n) for n in range(dt.date(year, 12, 28).isocalendar()[1])]


def weekly_frame(ids: list[str], year: int, rng: np.random.Generator) -> pd.DataFrame:
    """Plausible weeks: summer and Christmas closures, about one EPN in ten under 15 hours."""
    weeks = week_mondays(year)
    n_epns, n_weeks = len(ids), len(weeks)
    size = n_epns * n_weeks
    week_no = np.tile(np.arange(1, n_weeks + 1), n_epns)
    summer = np.repeat(rng.integers(28, 32, n_epns), n_weeks)
    closed = (
        (week_no >= summer) & (week_no < summer + np.repeat(rng.integers(2, 5, n_epns), n_weeks))
    ) | (week_no == n_weeks)
    base = np.repeat(rng.choice([18, 20, 22.5, 24, 25, 28, 30, 32, 35], n_epns), n_weeks)
    public = base + rng.choice([0, 0, 0, 0, -1.5, 1.5], size)
    weak = np.repeat(rng.random(n_epns) < 0.1, n_weeks) & (rng.random(size) < 0.05)
    public = np.where(weak, 12.0, np.maximum(public, 15.0))
    gap = np.repeat(np.where(rng.random(n_epns) < 0.7, 0.0, 1.0), n_weeks)
    facilitated = np.where(weak, public, np.maximum(public - gap, 15.0))
    visits = np.round(public * rng.uniform(2, 6, size)).astype(int)
    unique = np.round(visits * rng.uniform(0.45, 0.8, size)).astype(int)
    new = np.round(unique * rng.uniform(0.05, 0.2, size)).astype(int)
    zero = np.where(closed, 0, 1)
    return pd.DataFrame(
        {
            "epn_id": np.repeat(ids, n_weeks),
            "week_start": np.tile(np.array(weeks, dtype=object), n_epns),
            "status": np.where(closed, "closed", "open"),
            "closure_reason": np.where(
                closed, np.where(week_no == n_weeks, "Vacances de Noël", "Congés d'été"), None
            ),
            "public_hours": public * zero,
            "facilitated_hours": facilitated * zero,
            "visits": visits * zero,
            "unique_users": unique * zero,
            "new_users": new * zero,
        }
    )


def write_file(frame: pd.DataFrame, file_format: str) -> bytes:
    """CSV by the book, CSV as a Belgian Excel saves it (``;``, decimal comma), or xlsx."""
    if file_format == "csv":
        return frame.to_csv(index=False).encode()
    if file_format == "csv_fr":
        french = [t(f"header.{k}", "fr") for k in KEYS]
        return frame.to_csv(index=False, sep=";", decimal=",", header=french).encode("utf-8")
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Statistiques")
    sheet.append(KEYS)
    for row in frame.itertuples(index=False):
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def prepare(
    workdir: Path, n_epns: int, n_files: int, baseline_rows: int, baseline_epns: int, seed: int = 1
) -> Workload:
    """A fresh warehouse with the EPNs registered, and the statistics files in memory."""
    started = time.perf_counter()
    rows_per_file = -(-n_epns // n_files) * len(week_mondays(YEAR))
    if rows_per_file > get_settings().max_rows:
        raise SystemExit(
            f"{rows_per_file:,} rows per file exceeds the upload cap "
            f"({get_settings().max_rows:,}): ask for more --files."
        )
    db = workdir / "bench.duckdb"
    for stale in workdir.glob("*.duckdb*"):  # a kept workdir starts afresh
        stale.unlink()
    ids = epn_ids(n_epns)
    register_epns(db, ids)
    rng = np.random.default_rng(seed)
    files = []
    for index, chunk in enumerate(np.array_split(np.array(ids), n_files)):
        if not len(chunk):
            continue
        file_format = FORMATS[index % len(FORMATS)]
        frame = weekly_frame(chunk.tolist(), YEAR, rng)
        extension = "xlsx" if file_format == "xlsx" else "csv"
        files.append(
            StatisticsFile(
                f"stats_{index:04d}_{file_format}.{extension}",
                file_format,
                write_file(frame, file_format),
                len(frame),
            )
        )
    workload = Workload(workdir, db, ids, files, baseline_rows, baseline_epns)
    workload.seconds_to_prepare = time.perf_counter() - started
    return workload


def sample_files(files: list[StatisticsFile], target_rows: int) -> list[StatisticsFile]:
    """At least one file of every format, then more in turn until ``target_rows`` rows."""
    queues = {f: [x for x in files if x.file_format == f] for f in FORMATS}
    sample: list[StatisticsFile] = []
    while any(queues.values()):
        for queue in queues.values():
            if queue:
                sample.append(queue.pop(0))
        if sum(x.rows for x in sample) >= target_rows:
            break
    return sample


# ---------------------------------------------------------------- naive baseline


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


# ---------------------------------------------------------------- benchmarks


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


def compliance(workload: Workload) -> list[Measure]:
    """``evaluate`` for the year over every EPN; the naive loop on a sample, extrapolated."""
    with connect(workload.db) as con:
        started = time.perf_counter()
        found = evaluate(con, YEAR, AS_OF)
        seconds = time.perf_counter() - started
    sample = workload.epn_ids[: workload.baseline_epns]
    started = time.perf_counter()
    naive_compliance(workload.db, sample, YEAR, AS_OF)
    per_epn = (time.perf_counter() - started) / len(sample)
    return [
        Measure(
            f"compliance {YEAR}",
            seconds,
            "s",
            per_epn * len(workload.epn_ids),
            {
                "epns": len(workload.epn_ids),
                "findings": len(found),
                "baseline_sample_epns": len(sample),
            },
        )
    ]


Benchmark = Callable[[Workload], list[Measure]]
BENCHMARKS: tuple[Benchmark, ...] = (statistics_ingest, compliance)


# ---------------------------------------------------------------- command line


def run(
    n_epns: int,
    n_files: int,
    baseline_rows: int,
    baseline_epns: int,
    workdir: Path | None = None,
    benchmarks=BENCHMARKS,
) -> dict:
    """Every benchmark on one workload; returns the JSON document."""
    with tempfile.TemporaryDirectory(prefix="epn-bench-") as scratch:
        workload = prepare(Path(workdir or scratch), n_epns, n_files, baseline_rows, baseline_epns)
        measures = [m for bench in benchmarks for m in bench(workload)]
    return {
        "scale": {
            "epns": n_epns,
            "weeks": len(week_mondays(YEAR)),
            "rows": workload.rows,
            "files": len(workload.files),
            "formats": {f: sum(x.file_format == f for x in workload.files) for f in FORMATS},
            "prepare_seconds": round(workload.seconds_to_prepare, 1),
        },
        "measures": [m.to_dict() for m in measures],
    }


def table(document: dict) -> str:
    scale = document["scale"]
    formats = ", ".join(f"{n} {f}" for f, n in scale["formats"].items())
    lines = [
        f"EPN benchmark: {scale['epns']:,} EPNs x {scale['weeks']} weeks = "
        f"{scale['rows']:,} rows in {scale['files']} files ({formats})",
        "",
        f"{'measure':<22}{'pipeline':>18}{'naive baseline':>20}{'ratio':>9}",
    ]
    for m in document["measures"]:
        base = _fmt(m["baseline"], m["unit"]) if m["baseline"] else "-"
        ratio = f"×{m['ratio']:.1f}" if m["ratio"] else "-"
        name = f"  {m['name']}" if m["breakdown"] else m["name"]
        lines.append(f"{name:<22}{_fmt(m['value'], m['unit']):>18}{base:>20}{ratio:>9}")
    lines.append("")
    lines += [m["line"] for m in document["measures"] if not m["breakdown"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.run",
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--epns", type=int, help=f"EPNs (default {FULL['epns']:,})")
    parser.add_argument("--files", type=int, help=f"statistics files (default {FULL['files']})")
    parser.add_argument("--quick", action="store_true", help="a small scale, for CI")
    parser.add_argument("--baseline-rows", type=int, help="rows in the baseline's sample")
    parser.add_argument("--baseline-epns", type=int, help="EPNs in the naive compliance sample")
    parser.add_argument("--workdir", type=Path, help="keep the warehouse and baseline here")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    args = parser.parse_args(argv)
    scale = QUICK if args.quick else FULL
    document = run(
        args.epns or scale["epns"],
        args.files or scale["files"],
        args.baseline_rows or scale["baseline_rows"],
        args.baseline_epns or scale["baseline_epns"],
        args.workdir,
    )
    if args.json:
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
    else:
        print(table(document))
    return 0


if __name__ == "__main__":
    sys.exit(main())
