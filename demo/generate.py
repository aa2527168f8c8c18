"""Builds the demo warehouse: registry, then files written to disk and ingested as uploads.

Nothing is inserted behind the pipeline's back: the registry goes through the importer
and ``registry.service``, every statistics file and annual report through
``ingest_uploads`` with the day it reached the Region, in the order the files arrived.

The data runs up to the day the demo is run (``today``, by default the clock's): weeks
from January 2023 to the last complete week, the files received by then, the registry's
steps before then. A seed and a day always give the same warehouse.
"""

from __future__ import annotations

import datetime as dt
import random
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from demo.catalogue import SITES
from demo.planned import PlannedFile, stream
from demo.registry_story import (
    Entry,
    plan_registry,
    plan_withdrawals,
    record_registry,
    record_withdrawals,
    registry_csv,
)
from demo.reports import report_files
from demo.statistics_files import statistics_files
from demo.weeks import FIRST_WEEK, last_week, monday, simulate
from epn.principal import SYSTEM
from services import charter
from services.uploads import Upload, ingest_uploads
from validation.charter.engine import evaluate
from validation.charter.periods import labelled_periods
from validation.charter.terms import terms_for
from warehouse.db import connect, transaction
from warehouse.finding_mart import refresh_all

DEFAULT_SEED = 2025
FIRST_YEAR = 2023
EARLIEST_RUN = dt.date(2026, 1, 1)  # the story's hard-coded past runs through 2025
REGISTRY_FILE = "registre_epn.csv"

# What the demo sends, one producer per kind of file. Each gets the EPNs, their weeks, its
# own random stream and the day the demo runs, and returns the files received by that day
# with the day each reached the Region.
Producer = Callable[[list[Entry], dict[str, list[dict]], random.Random, dt.date], list[PlannedFile]]
PRODUCERS: dict[str, Producer] = {"statistics": statistics_files, "reports": report_files}


class DemoRefused(Exception):
    """The demo only fills an empty warehouse, so it never mixes with real data."""


@dataclass
class DemoResult:
    db: Path
    files_dir: Path
    epns: int
    communes: int
    statuses: dict[str, int]
    files: int
    uploads: dict[str, int]  # accepted | rejected | duplicate -> count
    weekly_rows: int
    weeks: tuple[str, str]
    findings: dict[int, dict[str, int]]  # year -> code -> count, up to the current year
    evaluated: dict[int, int]  # year -> EPNs labelled during the year
    compliant: dict[int, int]  # year -> of those, EPNs without any breach
    seconds: float = 0.0
    outcomes: list[dict] = field(default_factory=list, repr=False)

    def to_dict(self) -> dict:
        data = asdict(self)
        data.pop("outcomes")
        return {**data, "db": str(self.db), "files_dir": str(self.files_dir)}


def run_demo(
    db: Path, files_dir: Path | None = None, seed: int = DEFAULT_SEED, as_of: dt.date | None = None
) -> DemoResult:
    """Fills the empty warehouse ``db`` as it stands on ``as_of`` (default: today).

    The data runs to the week before ``as_of``'s week and the summary's findings are
    evaluated as of that day.
    """
    started = time.perf_counter()
    today = as_of or dt.date.today()
    if today < EARLIEST_RUN:
        raise ValueError(f"the demo's story runs through 2025: run it from {EARLIEST_RUN}")
    check_empty(db)
    files_dir = Path(files_dir or tempfile.mkdtemp(prefix="epn-demo-"))
    files_dir.mkdir(parents=True, exist_ok=True)

    start_reporting(db)
    entries = plan_entries(seed, today)
    registry_path = files_dir / REGISTRY_FILE
    registry_path.write_bytes(registry_csv(entries))
    with connect(db) as con, transaction(con):
        record_registry(con, entries, registry_path.read_bytes())

    weeks = plan_weeks(entries, seed, today)
    planned = [
        f
        for kind, produce in PRODUCERS.items()
        for f in produce(entries, weeks, stream(seed, kind), today)
    ]
    outcomes = ingest_uploads(write_files(planned, files_dir), db=db)

    with connect(db) as con, transaction(con):
        record_withdrawals(con, entries)
        refresh_all(con, today)  # withdrawals move labelled periods: the mart starts current
    result = summarize(db, files_dir, outcomes, today)
    result.seconds = round(time.perf_counter() - started, 1)
    return result


def start_reporting(db: Path) -> None:
    """Obligations start with the demo's data (its EPNs are labelled since 2019, their
    reporting since 2023): a version of the charter, proposed and adopted through the
    charter's own procedure while the warehouse is still empty, judges from FIRST_YEAR on."""
    with connect(db) as con:
        shipped = terms_for(FIRST_YEAR, con)
    version_id = charter.propose(
        SYSTEM,
        shipped.effective_from,
        f"{shipped.name} (rapports depuis {FIRST_YEAR})",
        note="demo",
        db=db,
        reporting_from=FIRST_YEAR,
    )
    charter.adopt(SYSTEM, version_id, db=db)


def plan_entries(seed: int, today: dt.date) -> list[Entry]:
    """The registry's EPNs and their dates, nothing after ``today``."""
    entries = plan_registry(SITES, stream(seed, "registry"), today)
    plan_withdrawals(entries)
    return entries


def plan_weeks(entries: list[Entry], seed: int, today: dt.date) -> dict[str, list[dict]]:
    """epn_id -> its reported weeks, up to the week before ``today``'s."""
    return {
        e.epn_id: simulate(
            e.epn_id,
            e.site.profile,
            *reported_span(e, today),
            stream(seed, f"weeks:{e.site.key}"),
        )
        for e in entries
        if e.site.sends_statistics
    }


def years(today: dt.date) -> range:
    """The reporting years with weeks by ``today``: from 2023 to the current one."""
    return range(FIRST_YEAR, last_week(today).isocalendar()[0] + 1)


def check_empty(db: Path) -> None:
    with connect(db) as con:
        events, uploads = con.execute(
            "SELECT (SELECT count(*) FROM registry_event), (SELECT count(*) FROM upload)"
        ).fetchone()
    if events or uploads:
        raise DemoRefused(str(db))


def reported_span(entry: Entry, today: dt.date) -> tuple[dt.date, dt.date]:
    """From the label week (or January 2023) to the week before today's or the withdrawal."""
    first = max(FIRST_WEEK, monday(entry.labelled_on))
    last = last_week(today)
    if entry.withdrawn_on:
        last = min(last, monday(entry.withdrawn_on) - dt.timedelta(weeks=1))
    return first, last


def write_files(planned: list[PlannedFile], files_dir: Path) -> list[Upload]:
    """Writes every file, then reads them back as uploads in the order they arrived."""
    uploads = []
    for file in sorted(planned, key=lambda f: (f.received_on, f.folder, f.filename)):
        folder = files_dir / file.folder
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / file.filename
        path.write_bytes(file.data)
        uploads.append(Upload(path.name, path.read_bytes(), file.received_on, "demo"))
    return uploads


def summarize(db: Path, files_dir: Path, outcomes: list[dict], as_of: dt.date) -> DemoResult:
    with connect(db) as con:
        statuses = dict(
            con.execute(
                "SELECT status, count(*) FROM registry_current GROUP BY status ORDER BY status"
            ).fetchall()
        )
        epns, communes = con.execute(
            "SELECT count(*), count(DISTINCT commune_nis) FROM registry_current"
        ).fetchone()
        rows, first, last = con.execute(
            "SELECT count(*), min(week_start), max(week_start) FROM cur_weekly"
        ).fetchone()
        findings, evaluated, compliant = {}, {}, {}
        for year in years(as_of):
            found = evaluate(con, year, as_of)
            findings[year] = dict(sorted(Counter(f.code for f in found).items()))
            labelled = set(labelled_periods(con, year, as_of)["epn_id"])
            breached = {f.epn_id for f in found if f.severity == "breach"}
            evaluated[year] = len(labelled)
            compliant[year] = len(labelled - breached)
    return DemoResult(
        db=db,
        files_dir=files_dir,
        epns=epns,
        communes=communes,
        statuses=statuses,
        files=len(outcomes),
        uploads=dict(Counter(o["status"] for o in outcomes)),
        weekly_rows=rows,
        weeks=(str(first), str(last)),
        findings=findings,
        evaluated=evaluated,
        compliant=compliant,
        outcomes=outcomes,
    )
