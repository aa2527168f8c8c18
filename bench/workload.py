"""The benchmark's workload: a fresh warehouse with many labelled EPNs, and the statistics
files of a year for them, written in memory in turn as CSV, CSV the Belgian way and xlsx."""

from __future__ import annotations

import datetime as dt
import io
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook

from epn.i18n import t
from epn.settings import get_settings
from epn.standard import STATISTICS
from warehouse.db import connect, transaction

YEAR = 2024  # 52 ISO weeks
LABELLED_ON = dt.date(YEAR, 1, 1)  # first year of the label: no previous year to compare
RECEIVED_ON = dt.date(YEAR + 1, 2, 15)
AS_OF = dt.date(YEAR + 1, 2, 20)  # before the reports' deadline: the statistics rules speak
FORMATS = ("csv", "csv_fr", "xlsx")  # round-robin over the files
KEYS = STATISTICS.keys


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
    reports: int = 0  # annual reports to ingest (bench.reports)
    national_epns: int = 0  # EPNs of the dashboards' ten-year warehouse (bench.dashboards)
    process_runs: int = 5  # runs of each short process timed (bench.command_line), median kept

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
