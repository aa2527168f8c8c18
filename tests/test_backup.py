"""Backup, restore and check: a consistent copy taken while another process works on the
warehouse, put back on a fresh path with the same findings and registry; a damaged warehouse
or a full disk said in plain words with the way back; derived layers put right."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import stats_file, week_rows
from tests.test_concurrency import ROOT, epn, finish

# another process working on the warehouse as the app does: brief units of work one after
# the other, each writing (an audit row) and closing the file
APP_LIKE = """
import sys, time
from pathlib import Path
from warehouse.db import connect
from warehouse import audit
print("working", flush=True)
while not Path(sys.argv[2]).exists():
    with connect(sys.argv[1]) as con:
        audit.record(con, "app", "page", "overview", "shown")
    time.sleep(0.02)
"""
ANSWERS = (["compliance", "--year", "2024", "--json"], ["registry", "list", "--json"])


@pytest.fixture
def run(capsys):
    """``epn`` in-process with the arguments as given: (exit status, stdout, stderr)."""
    from cli import main

    def call(*args) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err

    return call


@pytest.fixture
def filled(registry, run, tmp_path) -> Path:
    for name, rows in (
        ("a.csv", week_rows("EPN-0001", 2024, hours=10)),
        ("b.csv", week_rows("EPN-0002", 2024, skip=(3, 4))),
    ):
        assert run("ingest", stats_file(tmp_path, name, rows), "--db", registry)[0] == 0
    return registry


def answers(run, db: Path) -> list:
    found = []
    for args in ANSWERS:
        code, out, err = run(*args, "--db", db)
        assert code == 0, err
        found.append(json.loads(out))
    return found


def test_backup_beside_a_working_process_restores_to_the_same_answers(filled, run, tmp_path):
    stop = tmp_path / "stop"
    app = subprocess.Popen(
        [sys.executable, "-c", APP_LIKE, str(filled), str(stop)], cwd=ROOT, stdout=subprocess.PIPE
    )
    assert app.stdout.readline().strip() == b"working"
    code, out, err = finish(epn(filled, "backup", "-o", tmp_path / "copy.duckdb", "--json"))
    still_working = app.poll() is None
    stop.touch()
    app.wait(timeout=60)
    assert code == 0, err
    assert still_working and app.returncode == 0  # the backup did not stop the other process
    with duckdb.connect(str(tmp_path / "copy.duckdb"), read_only=True) as copy:
        pages = "SELECT count(*) FROM audit_log WHERE action = 'page'"
        assert copy.execute(pages).fetchone()[0] > 0  # taken while the other one worked
    made = json.loads(out)
    assert made["path"] == str(tmp_path / "copy.duckdb") and made["tables"] > 20

    fresh = tmp_path / "new-machine" / "epn.duckdb"
    code, out, err = run("restore", tmp_path / "copy.duckdb", "--db", fresh, "--lang", "en")
    assert code == 0, err
    assert "restored" in out
    before = answers(run, filled)
    assert before[0] and before[1]  # findings and EPNs to compare
    assert answers(run, fresh) == before


def test_rotation_keeps_the_newest_dated_backups(filled, run, tmp_path, monkeypatch):
    from epn.settings import get_settings

    folder = tmp_path / "backups"
    folder.mkdir()
    for stamp in ("20250101-000000", "20250102-000000", "20250103-000000"):
        (folder / f"epn-{stamp}.duckdb").write_bytes(b"old")
    (folder / "keep-me.duckdb").write_bytes(b"mine")  # not a dated backup: never deleted
    monkeypatch.setenv("EPN_BACKUP_KEEP", "2")
    get_settings.cache_clear()
    code, out, err = run("backup", "-o", folder, "--db", filled, "--json")
    assert code == 0, err
    removed = {Path(p).name for p in json.loads(out)["removed"]}
    assert removed == {"epn-20250101-000000.duckdb", "epn-20250102-000000.duckdb"}
    left = sorted(p.name for p in folder.iterdir())
    assert left[0] == "epn-20250103-000000.duckdb" and "keep-me.duckdb" in left and len(left) == 3


def damage(path: Path, how: str) -> None:
    data = path.read_bytes()
    if how == "truncated":
        path.write_bytes(data[: len(data) // 2])
    else:  # a few bytes altered inside every block after the file's headers
        altered = bytearray(data)
        for offset in range(12288 + 512, len(data) - 64, 262144):
            altered[offset : offset + 64] = bytes(64)
        path.write_bytes(bytes(altered))


@pytest.mark.parametrize("how", ["truncated", "corrupted"])
def test_a_damaged_warehouse_says_what_to_do_then_restore_brings_it_back(
    filled, run, tmp_path, how
):
    from warehouse.db import connect

    with connect(filled) as con:  # enough data for a corruption to land in a data block
        con.execute(
            "INSERT INTO hist_narrative SELECT 0, 'k' || i, repeat('x', 200) FROM range(40000) t(i)"
        )
    assert run("backup", "-o", tmp_path / "good.duckdb", "--db", filled)[0] == 0
    before = answers(run, filled)
    damage(filled, how)
    code, out, err = run("check", "--db", filled)
    assert code == 1 and out == ""
    assert "epn restore" in err and "Traceback" not in err
    assert not err.startswith(("IO Error", "Error", "Corrupt"))
    code, _, err = run("check", "--db", filled, "--lang", "nl")
    assert code == 1 and "Zet de laatste back-up terug" in err

    code, out, err = run("restore", tmp_path / "good.duckdb", "--db", filled)
    assert code == 0, err
    assert "before-restore" in out  # the damaged file is kept aside, not lost
    assert run("check", "--db", filled)[0] == 0
    assert answers(run, filled) == before


def test_restore_refuses_what_is_not_a_whole_backup(filled, run, tmp_path):
    before = filled.read_bytes()
    bad = tmp_path / "bad.duckdb"
    for content in (b"not a warehouse at all" * 100, before[: len(before) // 3]):
        bad.write_bytes(content)
        code, out, err = run("restore", bad, "--db", filled)
        assert code == 1 and out == ""
        assert "Restauration refusée" in err and "n'a pas été modifié" in err
        assert filled.read_bytes() == before
        assert not list(filled.parent.glob(".*restoring*"))
    code, _, err = run("restore", tmp_path / "missing.duckdb", "--db", filled)
    assert code == 1 and "introuvable" in err


def no_room_to_write():
    """As a full disk does: every file write beyond 4 KiB fails (and no signal kills us)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))


def test_a_full_disk_is_said_in_plain_words_and_leaves_nothing(filled, tmp_path):
    env = {**os.environ, "EPN_DB": str(filled)}
    stats = stats_file(tmp_path, "c.csv", week_rows("EPN-0001", 2023))
    for args in (["ingest", stats], ["backup", "-o", tmp_path / "full" / "copy.duckdb"]):
        done = subprocess.run(
            [sys.executable, "-m", "cli", *map(str, args)],
            cwd=ROOT,
            env=env,
            preexec_fn=no_room_to_write,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 1
        assert done.stderr.startswith("Plus de place sur le disque"), done.stderr
        assert "Traceback" not in done.stderr
    assert list((tmp_path / "full").iterdir()) == []  # no half-written backup
    with duckdb.connect(str(filled)) as con:
        assert con.execute("SELECT count(*) FROM upload WHERE filename = 'c.csv'").fetchone() == (
            0,
        )


def test_check_puts_derived_layers_right(filled, run):
    from warehouse.db import connect

    assert json.loads(run("check", "--db", filled, "--json")[1])["repaired"] == ["mart_finding"]
    assert json.loads(run("check", "--db", filled, "--json")[1])["repaired"] == []
    with connect(filled) as con:
        expected = con.execute("SELECT * FROM cur_weekly ORDER BY ALL").fetchall()
        findings = con.execute("SELECT count(*) FROM mart_finding").fetchone()
        con.execute("DELETE FROM cur_weekly WHERE week_start < DATE '2024-03-01'")
        con.execute("UPDATE cur_weekly SET visits = 0 WHERE week_start = DATE '2024-06-03'")
        con.execute("DELETE FROM mart_finding")
    code, out, err = run("check", "--db", filled)
    assert code == 0, err
    # both layers named in words (the --json above keeps their table names)
    assert "statistiques hebdomadaires en vigueur" in out and "constats de la charte" in out
    assert "cur_weekly" not in out and "mart_finding" not in out
    with connect(filled) as con:
        assert con.execute("SELECT * FROM cur_weekly ORDER BY ALL").fetchall() == expected
        assert con.execute("SELECT count(*) FROM mart_finding").fetchone() == findings


def test_a_batch_killed_before_its_refresh_is_refilled_by_a_rerun(
    registry, run, tmp_path, monkeypatch
):
    from warehouse import finding_batch
    from warehouse.db import connect
    from warehouse.finding_mart import refresh_all

    files = [
        stats_file(tmp_path, "a.csv", week_rows("EPN-0001", 2024, hours=10)),
        stats_file(tmp_path, "b.csv", week_rows("EPN-0002", 2024, hours=10)),
    ]

    def killed(self, con, lang):
        raise SystemExit(137)  # the process dies after the commit, before the refresh

    monkeypatch.setattr(finding_batch.BatchFindings, "refresh", killed)
    with pytest.raises(SystemExit):
        import datetime as dt

        from services.uploads import ingest_uploads, uploads_from_paths

        ingest_uploads(uploads_from_paths(files, dt.date.today()), db=registry)
    monkeypatch.undo()
    with connect(registry) as con:
        assert con.execute("SELECT count(*) FROM mart_finding").fetchone() == (0,)
    code, out, err = run("ingest", *files, "--json", "--db", registry)  # all duplicates
    assert code == 0, err
    assert {o["status"] for o in json.loads(out)} == {"duplicate"}
    with connect(registry) as con:
        refilled = con.execute("SELECT * EXCLUDE (as_of) FROM mart_finding ORDER BY ALL").fetchall()
        con.execute("BEGIN")
        refresh_all(con)
        expected = con.execute("SELECT * EXCLUDE (as_of) FROM mart_finding ORDER BY ALL").fetchall()
        con.execute("ROLLBACK")
    assert refilled and refilled == expected
