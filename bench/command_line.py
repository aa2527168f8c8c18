"""The command line's start: ``epn --help`` and ``epn registry list --json`` as processes,
beside ``python -c 'import duckdb'``, the least any command needs (issue 12: within 2×)."""

from __future__ import annotations

from bench.floors import epn_command, import_duckdb_floor, run_process
from bench.measure import Measure
from bench.workload import Workload, register_epns

FLOOR_NAME = "python -c 'import duckdb'"
REGION_EPNS = 40  # the registry of the region today: the list a coordinator asks for


def command_line(workload: Workload) -> list[Measure]:
    repeat = workload.process_runs
    floor = import_duckdb_floor(repeat)["seconds"]
    epn = epn_command()
    help_run = run_process([*epn, "--help"], repeat)
    db = workload.workdir / "command-line.duckdb"
    for stale in workload.workdir.glob(db.name + "*"):
        stale.unlink()
    register_epns(db, workload.epn_ids[:REGION_EPNS])
    listing = run_process([*epn, "registry", "list", "--json", "--db", str(db)], repeat)
    details = {
        "runs": repeat,
        "command": " ".join(epn),
        "epns": min(REGION_EPNS, len(workload.epn_ids)),
    }
    return [
        Measure("epn --help", help_run["seconds"], "s", None, details, False, floor, FLOOR_NAME),
        Measure(
            "epn registry list",
            listing["seconds"],
            "s",
            None,
            details,
            False,
            floor,
            FLOOR_NAME,
        ),
    ]
