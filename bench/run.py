"""The benchmark: the command line, statistics ingest, annual reports and compliance at
scale, each beside its floor (the least a careful program spends on the same work) and a
naive baseline.

    python -m bench.run [--epns N] [--files N] [--reports N] [--quick] [--json]

1. writes N statistics files (CSV with ``,``, CSV with ``;`` and decimal comma, xlsx) for
   many EPNs x the 52 weeks of a year;
2. ingests them with the real pipeline (``ingest_uploads``) and reports rows/s;
3. ingests realistic annual reports of a sample of the EPNs (``bench.reports``), end to
   end, as one batch, and reports reports/s;
4. evaluates the charter for the year (``evaluate``) and reports the time;
5. builds a ten-year warehouse at national scale (20,000 EPNs, ~10M weekly rows) and opens
   every page of the app on it as its role would, timing the queries each page runs
   (``bench.dashboards``; target: under 300 ms a page);
6. measures, in the same run and on a sample of the same files, what a naive program
   would do: pandas + openpyxl / plain CSV reading, a Python loop of validation, one
   ``INSERT`` per row into DuckDB (openpyxl's ``load_workbook`` for the reports), and a
   per-EPN, per-week Python compliance loop.
   Per-row (per-EPN) rates are extrapolated to the full scale;
7. measures, in the same run, each figure's floor (``bench.floors``): ``import duckdb`` for
   the command line (``bench.command_line``), pandas + Pandera + one insert for statistics
   ingest per row and for a 100,000-row CSV end to end (``bench.ingest_floor``), the plain
   SQL of the statistics rules for compliance, calamine + one transaction per annual report.
   Each figure is printed with its floor and its ratio to it, then the naive baseline.

A benchmark is a function ``(Workload) -> list[Measure]`` listed in ``BENCHMARKS``, each in
its own module.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from bench.command_line import command_line
from bench.compliance import compliance, naive_compliance  # noqa: F401  (importable from here)
from bench.dashboards import dashboards, one_page
from bench.ingest_floor import ingest_against_floor
from bench.measure import Measure, fmt
from bench.reports import annual_reports, default_reports
from bench.statistics import naive_ingest, statistics_ingest  # noqa: F401
from bench.workload import (  # noqa: F401
    FORMATS,
    YEAR,
    StatisticsFile,
    Workload,
    prepare,
    sample_files,
    week_mondays,
    weekly_frame,
)

FULL = {
    "epns": 20_000,
    "files": 200,
    "baseline_rows": 20_000,
    "baseline_epns": 400,
    "national_epns": 20_000,
}
QUICK = {"epns": 300, "files": 6, "baseline_rows": 1_500, "baseline_epns": 60, "national_epns": 300}


Benchmark = Callable[[Workload], list[Measure]]
BENCHMARKS: tuple[Benchmark, ...] = (
    command_line,
    statistics_ingest,
    ingest_against_floor,
    annual_reports,
    compliance,
    dashboards,
)


# ---------------------------------------------------------------- command line


def run(
    n_epns: int,
    n_files: int,
    baseline_rows: int,
    baseline_epns: int,
    workdir: Path | None = None,
    benchmarks=BENCHMARKS,
    n_reports: int | None = None,
    national_epns: int = 0,
    process_runs: int = 5,
) -> dict:
    """Every benchmark on one workload; returns the JSON document."""
    with tempfile.TemporaryDirectory(prefix="epn-bench-") as scratch:
        workload = prepare(Path(workdir or scratch), n_epns, n_files, baseline_rows, baseline_epns)
        workload.reports = default_reports(n_epns) if n_reports is None else n_reports
        workload.national_epns = national_epns
        workload.process_runs = process_runs
        measures = [m for bench in benchmarks for m in bench(workload)]
    return {
        "scale": {
            "epns": n_epns,
            "weeks": len(week_mondays(YEAR)),
            "rows": workload.rows,
            "files": len(workload.files),
            "formats": {f: sum(x.file_format == f for x in workload.files) for f in FORMATS},
            "reports": workload.reports,
            "national_epns": national_epns,
            "prepare_seconds": round(workload.seconds_to_prepare, 1),
        },
        "measures": [m.to_dict() for m in measures],
    }


def table(document: dict) -> str:
    scale = document["scale"]
    formats = ", ".join(f"{n} {f}" for f, n in scale["formats"].items())
    lines = [
        f"EPN benchmark: {scale['epns']:,} EPNs x {scale['weeks']} weeks = "
        f"{scale['rows']:,} rows in {scale['files']} files ({formats})"
        + (f"; {scale['reports']} annual reports" if scale.get("reports") else ""),
        "",
        "product: this software; floor: the least a careful program spends on the same work"
        " (× floor: times its cost); naive: a careless program (× faster than it)",
        "",
        f"{'measure':<26}{'product':>15}{'floor':>15}{'× floor':>9}"
        f"{'naive baseline':>17}{'× faster':>9}",
    ]
    for m in document["measures"]:
        floor = fmt(m["floor"], m["unit"]) if m.get("floor") else "-"
        floor_ratio = f"×{m['floor_ratio']:.1f}" if m.get("floor_ratio") else "-"
        base = fmt(m["baseline"], m["unit"]) if m["baseline"] else "-"
        ratio = f"×{m['ratio']:.1f}" if m["ratio"] else "-"
        name = f"  {m['name']}" if m["breakdown"] else m["name"]
        lines.append(
            f"{name:<26}{fmt(m['value'], m['unit']):>15}{floor:>15}{floor_ratio:>9}"
            f"{base:>17}{ratio:>9}"
        )
    floors = {m["floor_name"] for m in document["measures"] if m.get("floor_name")}
    lines += ["", "floors: " + "; ".join(sorted(floors))]
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
    parser.add_argument(
        "--reports", type=int, help="annual reports (default: one EPN in 50, at most 200)"
    )
    parser.add_argument(
        "--national-epns",
        type=int,
        help=f"EPNs of the dashboards' warehouse (default {FULL['national_epns']:,}; 0: none)",
    )
    parser.add_argument(
        "--process-runs", type=int, default=5, help="runs of each timed command (median kept)"
    )
    parser.add_argument("--quick", action="store_true", help="a small scale, for CI")
    parser.add_argument("--baseline-rows", type=int, help="rows in the baseline's sample")
    parser.add_argument("--baseline-epns", type=int, help="EPNs in the naive compliance sample")
    parser.add_argument("--workdir", type=Path, help="keep the warehouse and baseline here")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument(
        "--page",
        help="time only this page of the menu on the national warehouse (e.g. charter-what-if)",
    )
    args = parser.parse_args(argv)
    scale = QUICK if args.quick else FULL
    if args.page:
        return page_only(args, scale)
    document = run(
        args.epns or scale["epns"],
        args.files or scale["files"],
        args.baseline_rows or scale["baseline_rows"],
        args.baseline_epns or scale["baseline_epns"],
        args.workdir,
        n_reports=args.reports,
        national_epns=scale["national_epns"] if args.national_epns is None else args.national_epns,
        process_runs=args.process_runs,
    )
    if args.json:
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
    else:
        print(table(document))
    return 0


def page_only(args: argparse.Namespace, scale: dict) -> int:
    """``--page NAME``: that page alone on the national warehouse (kept in ``--workdir``)."""
    national = scale["national_epns"] if args.national_epns is None else args.national_epns
    with tempfile.TemporaryDirectory(prefix="epn-bench-") as scratch:
        workdir = Path(args.workdir or scratch)
        workdir.mkdir(parents=True, exist_ok=True)
        measures = one_page(args.page, national, workdir)
    if args.json:
        sys.stdout.write(json.dumps([m.to_dict() for m in measures], indent=2) + "\n")
    else:
        print("\n".join(m.line() for m in measures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
