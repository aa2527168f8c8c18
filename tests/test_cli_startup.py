"""A quick command line: a command loads only what it uses (issue 12, item 1).

Each check runs the real ``epn`` entry point in a fresh interpreter and reads
``sys.modules`` when it is done: timings are never asserted, what was imported is.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]
# What used to load before any command started (about 1.5 s): data frames, their checks,
# PDF and workbook writers, the app, and pydantic (Typer's own reading of values, and the
# settings once).
HEAVY = ("pandas", "pandera", "fpdf", "openpyxl", "streamlit", "pydantic", "numpy", "pyarrow")

PROBE = """
import json, sys
from cli import main
statuses = [main(args) for args in json.loads(sys.argv[1])]
heavy = sorted(m for m in {heavy!r} if m in sys.modules)
print(json.dumps({{"status": max(statuses), "heavy": heavy}}), file=sys.stderr)
"""


def run_epn(*args: str, more: list[list[str]] = ()) -> tuple[dict, str]:
    """Runs ``epn ARGS`` (then each of ``more``) in one fresh interpreter."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=HEAVY), json.dumps([list(args), *more])],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    probe = json.loads(done.stderr.strip().splitlines()[-1])
    return probe, done.stdout


def test_help_loads_nothing_heavy():
    probe, out = run_epn("--help")
    assert "registry" in out and "ingest" in out
    assert probe == {"status": 0, "heavy": []}


def test_every_commands_help_loads_nothing_heavy():
    from cli import app
    from tests.test_docs import command_names

    names = [name.split()[1:] for name in command_names(app)]
    assert ["registry", "list"] in names and ["ingest"] in names
    probe, out = run_epn("--help", more=[[*words, "--help"] for words in names])
    assert probe == {"status": 0, "heavy": []}
    for words in names:
        assert f"Utilisation : epn {' '.join(words)} " in out, words  # French by default


def test_registry_list_json_loads_nothing_heavy(tmp_path):
    db = tmp_path / "epn.duckdb"
    probe, out = run_epn("registry", "list", "--json", "--db", str(db))
    assert probe == {"status": 0, "heavy": []}
    assert json.loads(out) == []


def test_a_bad_value_is_read_without_pydantic_and_is_a_usage_error():
    probe, _ = run_epn("compliance", "--year", "twenty")
    assert probe == {"status": 2, "heavy": []}
