"""The annual-report rules run as Pandera checks compiled to DuckDB SQL (issue 12, item 3):
the SQL kept is what Pandera compiles now, it says what the rules say on every combination
of answers (missing ones included), and ``epn compliance`` on a warm cache loads neither
pandas nor Pandera (nor Ibis) while finding what the golden scenario expects."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from validation.charter import compiled_cache, report_checks
from validation.charter.rules import rules_of

ROOT = Path(__file__).parents[1]
GOLDEN = ROOT / "tests" / "golden" / "scenario"
EXPECTED = json.loads((GOLDEN / "expected_findings.json").read_text(encoding="utf-8"))
FRAME_LIBRARIES = ("pandas", "pandera", "ibis")


def test_the_kept_sql_is_what_pandera_compiles_now():
    assert report_checks.compiled_checks() == report_checks.compile_checks()
    if os.access(compiled_cache.CACHE_DIR, os.W_OK):  # a read-only checkout keeps nothing
        kept = compiled_cache.CACHE_DIR.glob("report_checks.*.sql")
        assert report_checks.compile_checks() in {path.read_text(encoding="utf-8") for path in kept}


# each column of the report frame and the values drawn for it (SQL literals)
ANSWER = ("NULL", "true", "false")
COUNT = ("NULL", "0", "1", "3")
DRAWN = {
    "has_report": ("true", "false"),
    "nonprofit": ANSWER,
    "fees": ("NULL", "'free'", "'paid'", "'conditional'"),
    "label_sticker_displayed": ANSWER,
    "charter_displayed": ANSWER,
    "staff_rows": COUNT,
    "qualified_facilitators": COUNT,
    "participants": COUNT,
    "priority_participants": COUNT,
    "cooperation_actions": COUNT,
    "first_received_on": ("NULL", "DATE '2025-03-30'", "DATE '2025-03-31'", "DATE '2025-04-01'"),
    "deadline_passed": ("true", "false"),
}
FIXED = {"year": "2024", "deadline": "DATE '2025-03-31'"}
SQL_TYPES = {"int32": "INTEGER", "int64": "HUGEINT", "boolean": "BOOLEAN", "string": "VARCHAR"}


def random_frame(rows: int) -> str:
    """A report frame's rows (SQL) with every kind of answer, missing ones included; each row
    named by its EPN. (A count is HUGEINT, as DuckDB sums the participants.)"""
    draw = random.Random(12)
    values = []
    for k in range(rows):
        row = FIXED | {"epn_id": f"'EPN-{k:04d}'", "upload_id": str(k)}
        row |= {name: draw.choice(choices) for name, choices in DRAWN.items()}
        values.append(
            ", ".join(
                f"{row[name]}::{SQL_TYPES.get(kind, kind)}"
                for name, kind in report_checks.FRAME_SCHEMA.items()
            )
        )
    columns = ", ".join(report_checks.FRAME_SCHEMA)
    return f"SELECT * FROM (VALUES ({'), ('.join(values)})) AS f({columns})"


def test_the_compiled_checks_say_what_the_rules_say_on_every_answer():
    con = duckdb.connect()
    con.execute(f"CREATE TABLE {report_checks.FRAME} AS {random_frame(600)}")
    frame = con.execute(f"SELECT * FROM {report_checks.FRAME} ORDER BY epn_id").df()
    failing = con.execute(f"SELECT * FROM ({report_checks.compiled_checks()}) ORDER BY epn_id").df()
    for rule in rules_of("report"):
        # a missing answer is no breach: the rule's pandas expression leaves it missing
        fails = rule.fails(frame, None).fillna(False).astype(bool)
        expected = sorted(frame.loc[fails, "epn_id"])
        found = sorted(failing.loc[failing[f"breached_{rule.code}"], "epn_id"])
        assert found == expected, rule.code
        assert 0 < len(found) < len(frame), rule.code  # each rule both breached and kept


@pytest.fixture
def scenario(golden_scenario, cli):
    return golden_scenario


PROBE = """
import json, sys
from cli import main
status = main(json.loads(sys.argv[1]))
loaded = sorted(m for m in {libraries!r} if m in sys.modules)
print(json.dumps({{"status": status, "loaded": loaded}}), file=sys.stderr)
"""


def compliance_in_a_fresh_interpreter(db: Path, year: int) -> tuple[dict, list[dict]]:
    args = ["compliance", "--year", str(year), "--as-of", EXPECTED["as_of"], "--json"]
    args += ["--db", str(db)]
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(libraries=FRAME_LIBRARIES), json.dumps(args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return json.loads(done.stderr.strip().splitlines()[-1]), json.loads(done.stdout)


@pytest.mark.skipif(
    not os.access(compiled_cache.CACHE_DIR.parent, os.W_OK), reason="nothing can be kept"
)
def test_compliance_on_a_warm_cache_loads_no_frame_library(scenario):
    compliance_in_a_fresh_interpreter(scenario, 2024)  # compiles, if nothing is kept yet
    probe, findings = compliance_in_a_fresh_interpreter(scenario, 2024)
    assert probe == {"status": 0, "loaded": []}
    found = sorted((f["epn_id"], f["code"]) for f in findings)
    assert found == sorted((e["epn_id"], e["code"]) for e in EXPECTED["2024"])
    assert {"report_late", "report_missing"} <= {code for _, code in found}  # report rules ran


def test_the_words_kept_for_report_findings_are_each_findings_own():
    from validation.charter.findings import Finding

    findings = [
        Finding("EPN-0001", 2024, "report_missing", "breach", {"deadline": "2025-03-31"}, 1),
        Finding("EPN-0002", 2024, "report_missing", "breach", {"deadline": "2025-03-31"}, 1),
        Finding("EPN-0002", 2025, "report_missing", "breach", {"deadline": "2026-03-31"}, 1),
        Finding("EPN-0003", 2024, "qualified_facilitator", "breach", {"staff_rows": 1}, 1),
        # equal keys for a dict (True == 1), not equal words
        Finding("EPN-0004", 2024, "repeated_breach", "breach", {"previous_year": 1}, 1),
        Finding("EPN-0004", 2024, "repeated_breach", "breach", {"previous_year": True}, 1),
    ]
    for lang in ("fr", "nl", "en"):
        for readable in (False, True):
            reader = lang if readable else None
            words = [f.message(lang, readable=readable) for f in findings]
            assert words == [f._words(lang, reader) for f in findings]
    assert findings[0].message("fr", readable=True) != findings[0].message("fr")  # its date
    assert findings[0].message("nl") != findings[0].message("fr")
    assert findings[-2].message("en") != findings[-1].message("en")
