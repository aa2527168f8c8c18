"""The product installs: the wheel, put in a fresh virtual environment outside the checkout,
gives the `epn` command and the app, with every data file they read.

Built and installed once for the module (about 5 s with uv's cache: the dependencies are the
ones already locked and downloaded for .venv); every command then runs with a temporary
folder as working directory and no PYTHONPATH, so nothing can come from the checkout.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOT_SHIPPED = {"tests", "bench"}  # folders of code that stay in the checkout
TIMEOUT = 120


@dataclass(frozen=True)
class Installed:
    venv: Path
    site_packages: Path
    work: Path  # the working directory of every command: outside the checkout
    env: dict[str, str]

    def run(self, *args: str | Path, timeout: float = TIMEOUT) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(arg) for arg in args],
            cwd=self.work,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def epn(self, *args: str | Path) -> subprocess.CompletedProcess:
        return self.run(self.venv / "bin" / "epn", *args)

    def python(self, code: str) -> subprocess.CompletedProcess:
        return self.run(self.venv / "bin" / "python", "-c", code)


def find_uv() -> list[str] | None:
    """uv as `make` installs it (`python3 -m uv`), or in this venv, or on the PATH."""
    candidates = [[sys.executable, "-m", "uv"], ["python3", "-m", "uv"]]
    if shutil.which("uv"):
        candidates.append([shutil.which("uv")])
    for command in candidates:
        try:
            subprocess.run([*command, "--version"], capture_output=True, check=True, timeout=30)
        except (OSError, subprocess.SubprocessError):
            continue
        return command
    return None


def run_uv(uv: list[str], *args: str | Path) -> None:
    """Offline first (uv's cache holds what `uv sync` downloaded), else with the network."""
    command = [*uv, *map(str, args)]
    done = subprocess.run([*command, "--offline"], capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, f"{' '.join(command)}\n{done.stderr}"


def clean_env(venv: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EPN_", "PYTHON", "VIRTUAL"))}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    # the venv's modules get their bytecode on first import: later commands start 3x faster
    env["PYTHONUNBUFFERED"] = "1"
    return env


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Installed:
    uv = find_uv()
    if uv is None:
        pytest.skip("uv is missing: `make test` installs it")
    base = tmp_path_factory.mktemp("install")
    dist, venv, work = base / "dist", base / "venv", base / "work"
    work.mkdir()
    run_uv(uv, "build", "--wheel", "--out-dir", dist, ROOT)
    [wheel] = dist.glob("*.whl")
    # the versions of .venv (uv.lock), so that the install needs nothing new
    frozen = subprocess.run(
        [*uv, "pip", "freeze", "--exclude-editable", "--python", sys.executable],
        capture_output=True,
        text=True,
        check=True,
    )
    constraints = base / "constraints.txt"
    constraints.write_text(frozen.stdout, encoding="utf-8")
    run_uv(uv, "venv", "--quiet", "--python", sys.executable, venv)
    run_uv(
        uv, "pip", "install", "--quiet", "--python", venv / "bin/python", "-c", constraints, wheel
    )
    env = clean_env(venv)
    done = subprocess.run(
        [venv / "bin/python", "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=work,
    )
    return Installed(venv, Path(done.stdout.strip()), work, env)


def shipped_packages() -> list[str]:
    return sorted({p.parent.name for p in ROOT.glob("*/__init__.py")} - NOT_SHIPPED)


def checkout_files(package: str) -> set[str]:
    """Every file of a package folder (modules and data), as a path from the checkout root."""
    return {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / package).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }


# --- what the wheel holds ---------------------------------------------------------------------


def test_every_module_and_data_file_is_installed(installed):
    packages = shipped_packages()
    assert {"epn", "cli", "dashboards", "reporting", "services", "demo"} <= set(packages)
    expected = set().union(*map(checkout_files, packages))
    assert {
        "epn/messages/app.toml",
        "warehouse/migrations/0001_uploads.sql",
        "warehouse/reference/brussels_communes.geojson",
        "validation/charter/charter_terms.toml",
        "registry/charter_commitments.toml",
        "reporting/template/__init__.py",
    } <= expected
    missing = sorted(f for f in expected if not (installed.site_packages / f).is_file())
    assert missing == []


def test_the_app_settings_are_installed_next_to_the_app(installed):
    config = installed.site_packages / "dashboards" / ".streamlit" / "config.toml"
    assert config.read_bytes() == (ROOT / ".streamlit" / "config.toml").read_bytes()


def test_imports_come_from_the_installed_package(installed):
    code = (
        "import json, pathlib, cli, dashboards, demo, epn, ingest, registry, reporting, services,"
        " validation, warehouse\n"
        "from dashboards.__main__ import APP, config_file, streamlit_argv\n"
        "from epn.i18n import t\n"
        "modules = [cli, dashboards, demo, epn, ingest, registry, reporting, services, validation,"
        " warehouse]\n"
        "catalogue = pathlib.Path(epn.__file__).parent / 'messages'\n"
        "print(json.dumps({'files': [m.__file__ for m in modules], 'app': str(APP),"
        " 'config': str(config_file()), 'argv': streamlit_argv([]),"
        " 'catalogue': sorted(p.name for p in catalogue.glob('*.toml')),"
        " 'title': t('app.login.title', 'fr')}))"
    )
    done = installed.python(code)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    site = installed.site_packages
    assert all(Path(f).is_relative_to(site) for f in found["files"]), found["files"]
    assert found["app"] == str(site / "dashboards" / "server.py")
    assert found["config"] == str(site / "dashboards" / ".streamlit" / "config.toml")
    assert "--theme.primaryColor=#1F5AA6" in found["argv"]
    assert found["catalogue"] == sorted(p.name for p in (ROOT / "epn" / "messages").glob("*.toml"))
    assert found["title"] == "Connexion"


# --- the epn command --------------------------------------------------------------------------


def test_epn_help(installed):
    done = installed.epn("--help")
    assert done.returncode == 0, done.stderr
    for command in ("registry", "ingest", "compliance", "indicators", "demo"):
        assert command in done.stdout


REGISTRY_CSV = """\
epn_id,name,commune_nis,address,postcode,authority_name,authority_type,labelled_on,workstations
EPN-0001,EPN Anderlecht,21001,Rue Wayez 1,1070,Commune d'Anderlecht,commune,2020-01-15,8
EPN-0002,EPN Jette,21010,,,Asbl Jette,non_market,,
"""
STATS_HEADER = (
    "epn_id,week_start,status,closure_reason,public_hours,facilitated_hours,visits,"
    "unique_users,new_users"
)
SHORT_WEEK = dt.date(2025, 3, 3)  # open 12 hours only: below the charter's 15


def statistics_2025() -> str:
    """EPN-0001, every ISO week of 2025: one closed for holidays, one too short."""
    rows = [STATS_HEADER]
    for week in range(1, dt.date(2025, 12, 28).isocalendar()[1] + 1):
        monday = dt.date.fromisocalendar(2025, week, 1)
        if monday == SHORT_WEEK:
            rows.append(f"EPN-0001,{monday},open,,12,12,50,30,2")
        elif week == 31:
            rows.append(f"EPN-0001,{monday},closed,congés,0,0,0,0,0")
        else:
            rows.append(f"EPN-0001,{monday},open,,20,18,100,60,5")
    return "\n".join(rows) + "\n"


def test_registry_ingest_and_compliance(installed):
    work = installed.work
    db = work / "data" / "epn.duckdb"
    (work / "registry.csv").write_text(REGISTRY_CSV, encoding="utf-8")
    (work / "stats-2025.csv").write_text(statistics_2025(), encoding="utf-8")

    done = installed.epn("registry", "import", "registry.csv", "--db", db)
    assert done.returncode == 0, done.stderr
    listed = installed.epn("registry", "list", "--db", db, "--json")
    assert listed.returncode == 0, listed.stderr
    statuses = {row["epn_id"]: row["status"] for row in json.loads(listed.stdout)}
    assert statuses == {"EPN-0001": "labelled", "EPN-0002": "applied"}

    done = installed.epn("ingest", "stats-2025.csv", "--db", db, "--json")
    assert done.returncode == 0, done.stderr
    [result] = json.loads(done.stdout)
    assert (result["status"], result["kind"], result["year"]) == ("accepted", "statistics", 2025)
    assert (result["epn_ids"], result["errors"]) == (["EPN-0001"], [])

    done = installed.epn("compliance", "--db", db, "--year", "2025", "--json")
    assert done.returncode == 0, done.stderr
    findings = json.loads(done.stdout)
    codes = {f["code"] for f in findings}
    assert {"opening_hours_min", "facilitator_presence"} <= codes
    assert "statistics_incomplete" not in codes  # every week of the file went in
    assert {f["epn_id"] for f in findings} == {"EPN-0001"}
    short = next(f for f in findings if f["code"] == "opening_hours_min")
    assert short["severity"] == "breach"
    assert short["evidence"]["weeks"] == [{"week_start": str(SHORT_WEEK), "public_hours": 12}]


# --- the app ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_app_starts_from_the_installed_package(installed):
    port = free_port()
    db = installed.work / "app.duckdb"
    server = subprocess.Popen(
        [installed.venv / "bin/python", "-m", "dashboards", "--server.port", str(port)],
        cwd=installed.work,
        env={**installed.env, "EPN_DB": str(db)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, server.stderr.read()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health") as answer:
                    assert answer.status == 200
                    break
            except OSError:
                assert time.monotonic() < deadline, "the app did not start"
                time.sleep(0.3)
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_installed_app_shows_the_login_page(installed):
    code = (
        "import json, pathlib, dashboards\n"
        "from streamlit.testing.v1 import AppTest\n"
        "app = pathlib.Path(dashboards.__file__).with_name('app.py')\n"
        "at = AppTest.from_file(str(app), default_timeout=60).run()\n"
        "print(json.dumps({'exception': [str(e.value) for e in at.exception],"
        " 'titles': [t.value for t in at.title]}))"
    )
    env = {**installed.env, "EPN_DB": str(installed.work / "apptest.duckdb")}
    done = subprocess.run(
        [installed.venv / "bin/python", "-c", code],
        cwd=installed.work,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert done.returncode == 0, done.stderr
    page = json.loads(done.stdout.strip().splitlines()[-1])
    assert page == {"exception": [], "titles": ["Connexion"]}
