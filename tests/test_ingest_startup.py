"""What a fresh parser process loads, and how ``epn ingest`` ends (issue 12, item 2).

A parser's worker may start cold (``ParsesAhead.begin``): it then loads only what its own
file needs, and a statistics file every rule accepts needs no Pandera at all (``Rules``).
``epn`` ends without the interpreter's teardown (``cli.finish``), which must keep what a
caller counts on: the whole output, the command's status, the exit handlers.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import STATS_HEADER, csv_bytes, epn_process, week_rows

ROOT = Path(__file__).parents[1]

PARSE = """
import json, sys
from validation.parse import parse_upload
parsed = parse_upload(sys.stdin.buffer.read(), "csv", frozenset({"EPN-0001"}), 1000)
print(json.dumps({
    "pandera": "pandera" in sys.modules,
    "codes": [p.code for p in parsed.problems],
    "rows": [p.row for p in parsed.problems],
}))
"""


def fresh_parse(data: bytes) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", PARSE], input=data, cwd=ROOT, capture_output=True, timeout=120
    )
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    return json.loads(done.stdout)


def test_a_file_every_rule_accepts_is_parsed_without_pandera():
    rows = week_rows("EPN-0001", 2024)[:6]
    assert fresh_parse(csv_bytes(STATS_HEADER, rows)) == {"pandera": False, "codes": [], "rows": []}


def test_a_broken_rule_is_reported_by_pandera_as_before():
    rows = week_rows("EPN-0001", 2024)[:6]
    rows[2][5] = 30  # facilitated hours above the 20 public hours, on the file's row 4
    rows[4][0] = "EPN-0404"  # an EPN the registry does not know, row 6
    assert fresh_parse(csv_bytes(STATS_HEADER, rows)) == {
        "pandera": True,
        "codes": ["facilitated_over_public", "unknown_epn"],
        "rows": [4, 6],
    }


def epn(*args: str) -> subprocess.CompletedProcess:
    return epn_process(*args)


def test_ingest_ends_with_its_whole_output_and_status(registry, tmp_path):
    accepted, rejected = tmp_path / "ok.csv", tmp_path / "bad.csv"
    accepted.write_bytes(csv_bytes(STATS_HEADER, week_rows("EPN-0001", 2024)))
    rows = week_rows("EPN-0002", 2024)[30:]
    rows[0][4] = "vingt"
    rejected.write_bytes(csv_bytes(STATS_HEADER, rows))
    done = epn("ingest", accepted, "--json", "--db", registry)
    assert done.returncode == 0, done.stderr[-2000:]
    [result] = json.loads(done.stdout)  # the whole document, flushed before the end
    assert result["status"] == "accepted" and len(result["epn_ids"]) == 1
    done = epn("ingest", rejected, "--json", "--db", registry)
    assert done.returncode == 1
    [result] = json.loads(done.stdout)
    assert [e["code"] for e in result["errors"]] == ["not_a_number"]


def test_the_exit_handlers_still_run():
    probe = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('handlers ran', file=sys.stderr))\n"
        "sys.argv = ['epn', 'nonsense-command']\n"
        "from cli import run\n"
        "run()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2  # a usage error, as the contract says
    assert done.stderr.rstrip().endswith("handlers ran")
