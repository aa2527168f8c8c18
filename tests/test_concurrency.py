"""Several processes on one warehouse: the CLI works while another process holds the file,
two uploads at once both land, nothing is lost or duplicated, and kill -9 leaves every file
fully in or fully out."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from tests.conftest import stats_file, week_rows

ROOT = Path(__file__).parents[1]


def epn(db: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "EPN_DB": str(db)}
    return subprocess.Popen(
        [sys.executable, "-m", "cli", *map(str, args)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=120)
    return process.returncode, out, err


def holder(db: Path, seconds: float) -> subprocess.Popen:
    """Another process holding the warehouse read-write for a while."""
    code = (
        "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]);"
        " print('held', flush=True); time.sleep(float(sys.argv[2])); con.close()"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code, str(db), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout.readline().strip() == "held"
    return process


def test_cli_waits_for_a_process_holding_the_warehouse(registry):
    busy = holder(registry, 2.0)
    started = time.monotonic()
    code, out, err = finish(epn(registry, "registry", "list", "--json"))
    busy.wait()
    assert code == 0, err
    assert "EPN-0001" in out and "Traceback" not in err
    assert time.monotonic() - started >= 1.5


def test_two_uploads_at_once_both_land(registry, tmp_path):
    first = stats_file(tmp_path, "a.csv", week_rows("EPN-0001", 2024))
    second = stats_file(tmp_path, "b.csv", week_rows("EPN-0002", 2024))
    same = tmp_path / "a-again.csv"
    same.write_bytes(first.read_bytes())
    runs = [epn(registry, "ingest", path, "--json") for path in (first, second, same)]
    results = [finish(run) for run in runs]
    assert [code for code, _, _ in results] == [0, 0, 0], [err for *_, err in results]
    statuses = sorted('"duplicate"' in out for _, out, _ in results)
    assert statuses == [False, False, True]  # one of the identical files is the duplicate
    with duckdb.connect(str(registry)) as con:
        assert con.execute("SELECT count(*) FROM upload").fetchone()[0] == 2
        assert con.execute("SELECT count(*) FROM cur_weekly").fetchone()[0] == 104


def consistent(db: Path, sizes: dict[str, int]) -> set[str]:
    """Every accepted upload has all its rows; no row exists without its upload."""
    with duckdb.connect(str(db)) as con:
        uploads = con.execute(
            "SELECT u.filename, count(h.upload_id) FROM upload u"
            " LEFT JOIN hist_weekly h USING (upload_id) WHERE u.status = 'accepted'"
            " GROUP BY u.filename"
        ).fetchall()
        orphans = con.execute(
            "SELECT count(*) FROM hist_weekly WHERE upload_id NOT IN (SELECT upload_id FROM upload)"
        ).fetchone()[0]
    assert orphans == 0
    for filename, rows in uploads:
        assert rows == sizes[filename], filename
    return {filename for filename, _ in uploads}


def test_kill_9_at_random_points_leaves_files_whole(registry, tmp_path):
    ids = [f"EPN-{n:04d}" for n in range(1, 3)]
    files = [
        stats_file(tmp_path, f"s{n:02d}.csv", week_rows(ids[n % 2], 2019 + n // 2))
        for n in range(12)
    ]
    sizes = {f.name: len(f.read_text().splitlines()) - 1 for f in files}
    rng = random.Random(20261126)
    for _ in range(10):  # ten kills at random points of the batch, each checked
        run = epn(registry, "ingest", *files)
        time.sleep(rng.uniform(0.8, 3.0))
        run.send_signal(signal.SIGKILL)
        run.wait()
        consistent(registry, sizes)
    code, _, err = finish(epn(registry, "ingest", *files))
    assert code == 0, err
    assert consistent(registry, sizes) == set(sizes)


def test_a_page_run_opens_the_warehouse_once_and_closes_it(registry):
    from warehouse.db import connect, held_open

    with held_open():
        with connect(registry) as first:
            first.execute("CREATE TEMP TABLE seen (x INTEGER)")
        with connect(registry) as second:
            assert second is first  # the same connection: its temporary table is there
            assert second.execute("SELECT count(*) FROM seen").fetchone() == (0,)
    try:
        first.execute("SELECT 1")
    except duckdb.ConnectionException:
        pass
    else:
        raise AssertionError("the page's connection is still open")
    with connect(registry) as later:  # outside: a fresh connection each time
        assert later is not first
