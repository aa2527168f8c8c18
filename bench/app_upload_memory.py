"""The worst statistics file through the real app: its memory, measured (issue 11).

A CSV at the upload cap (20 MiB) where every cell is wrong must be rejected through the app
without the server passing 1 GiB. This starts the app as it is served
(``streamlit run dashboards/server.py``) over a demo warehouse, signs in as the demo
coordinator in Debian's chromium (Playwright), uploads the file on the « Déposer » page,
waits for the rejection, and samples the resident memory of the server's whole process tree
(the server and the parser workers it starts) every 50 ms from ``/proc``. It prints the
server's memory before, its peak, and how long the answer took.

    .venv/bin/python -m bench.app_upload_memory [--db DEMO.duckdb] [--port 8614] [--json]

Without ``--db`` a demo warehouse is built first (``epn demo``, a few minutes).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from epn.i18n import t
from epn.settings import get_settings

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
HEADER = (
    "epn_id,week_start,status,closure_reason,public_hours,facilitated_hours,"
    "visits,unique_users,new_users\n"
)
# every cell wrong: an identifier off the pattern, no date, no status, words for numbers
WRONG_ROW = "EPN-{n:08d}-XX,not-a-date-{n:08d},bogus-{n:08d},,{w},{w},{w},{w},{w}\n"


def worst_csv(path: Path, size: int, max_rows: int) -> dict:
    """A statistics CSV of at most ``size`` bytes and ``max_rows`` data rows where every
    cell is wrong, its rows padded so that the file reaches the cap with the rows allowed."""
    per_row = (size - len(HEADER)) // max_rows
    word = "x" * max(1, (per_row - len(WRONG_ROW.format(n=0, w=""))) // 5)
    rows = 0
    with path.open("w", encoding="ascii") as out:
        out.write(HEADER)
        written = len(HEADER)
        for n in range(max_rows):
            line = WRONG_ROW.format(n=n, w=word)
            if written + len(line) > size:
                break
            out.write(line)
            written, rows = written + len(line), rows + 1
    return {"bytes": path.stat().st_size, "rows": rows}


def app_upload_cap(max_upload_bytes: int) -> int:
    """The largest file the app's uploader takes: it is given the cap in whole megabytes
    (20 for 20 MiB) and counts a megabyte as 1,000,000 bytes, so 20,000,000 bytes."""
    return min(max_upload_bytes, max(1, max_upload_bytes // 2**20) * 10**6)


def tree_rss(root: int) -> int:
    """Resident bytes of ``root`` and every process descending from it, from /proc."""
    return sum(tree_rss_by_process(root).values())


def tree_rss_by_process(root: int) -> dict[int, int]:
    """{pid: resident bytes} of ``root`` and every process descending from it."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        parent = int(stat.rpartition(")")[2].split()[1])
        children.setdefault(parent, []).append(int(entry))
    resident, stack = {}, [root]
    while stack:
        pid = stack.pop()
        try:
            resident[pid] = int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE
        except OSError:
            continue
        stack.extend(children.get(pid, []))
    return resident


class Sampler(threading.Thread):
    """The peak of ``tree_rss(pid)`` while running, sampled every ``interval`` seconds."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak = pid, interval, 0
        self.server_peak = self.workers_peak = 0  # the server itself; the rest of its tree
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            resident = tree_rss_by_process(self.pid)
            self.peak = max(self.peak, sum(resident.values()))
            server = resident.get(self.pid, 0)
            self.server_peak = max(self.server_peak, server)
            self.workers_peak = max(self.workers_peak, sum(resident.values()) - server)
            time.sleep(self.interval)

    def stop(self) -> int:
        self.stopping.set()
        self.join()
        return self.peak


def demo_warehouse(folder: Path) -> Path:
    db = folder / "demo.duckdb"
    subprocess.run(
        [sys.executable, "-m", "cli", "demo", "--db", str(db), "--files-dir", str(folder / "f")],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return db


def serve(db: Path, port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboards/server.py"]
        + ["--server.port", str(port), "--server.headless", "true"],
        cwd=ROOT,
        env={**os.environ, "EPN_DB": str(db)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("the app stopped while starting")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("the app did not start")


def settle(page) -> None:
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=120_000
    )


def upload_through_the_app(url: str, csv: Path, server: subprocess.Popen) -> dict:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page()
        page.goto(url)
        settle(page)
        page.get_by_label(t("app.login.username", "fr"), exact=True).fill("coordinator")
        password = page.get_by_label(t("app.login.password", "fr"), exact=True)
        password.fill("demo-coordinator")
        page.get_by_role("button", name=t("app.login.submit", "fr")).click()
        password.wait_for(state="detached", timeout=120_000)
        settle(page)
        page.locator('[data-testid="stSidebarNav"] a', has_text=t("app.page.upload", "fr")).click()
        page.get_by_role("heading", name=t("app.page.upload", "fr")).wait_for(timeout=120_000)
        settle(page)
        before = tree_rss(server.pid)
        sampler = Sampler(server.pid)
        sampler.start()
        started = time.perf_counter()
        page.locator('input[type="file"]').set_input_files(str(csv))
        page.locator('[data-testid="stFileChipName"]').wait_for(timeout=300_000)
        page.locator('[data-testid="stFileChipIconSpinner"]').wait_for(
            state="detached", timeout=300_000
        )  # sent to the server
        if page.locator('[data-testid="stFileChipIconError"]').count():
            uploader = page.locator('[data-testid="stFileUploader"]').inner_text()
            raise SystemExit(f"the uploader refused the file: {uploader}")
        settle(page)
        page.get_by_role("button", name=t("app.upload.submit", "fr")).click()
        answer = page.locator('[data-testid="stAlertContentError"]').first
        answer.wait_for(timeout=600_000)
        seconds = time.perf_counter() - started
        time.sleep(1)  # what the server keeps once it has answered
        peak = sampler.stop()
        after = tree_rss(server.pid)
        text = answer.inner_text()
        browser.close()
    return {
        "before": before,
        "peak": peak,
        "server_peak": sampler.server_peak,
        "workers_peak": sampler.workers_peak,
        "after": after,
        "seconds": seconds,
        "answer": text,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.app_upload_memory")
    parser.add_argument("--db", type=Path, help="a demo warehouse (default: built anew)")
    parser.add_argument("--port", type=int, default=8614)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    settings = get_settings()
    with tempfile.TemporaryDirectory(prefix="epn-upload-memory-") as scratch:
        folder = Path(scratch)
        db = args.db or demo_warehouse(folder)
        csv = folder / "every-cell-wrong.csv"
        shape = worst_csv(csv, app_upload_cap(settings.max_upload_bytes), settings.max_rows)
        server = serve(db, args.port)
        try:
            measured = upload_through_the_app(f"http://127.0.0.1:{args.port}", csv, server)
        finally:
            server.terminate()
            server.wait(timeout=30)
    mib = 2**20
    result = {
        "file_bytes": shape["bytes"],
        "file_rows": shape["rows"],
        "server_mib_before": round(measured["before"] / mib),
        "server_mib_peak": round(measured["peak"] / mib),
        "server_process_mib_peak": round(measured["server_peak"] / mib),
        "worker_processes_mib_peak": round(measured["workers_peak"] / mib),
        "server_mib_after": round(measured["after"] / mib),
        "seconds_to_answer": round(measured["seconds"], 1),
        "under_1_gib": measured["peak"] < 2**30,
        "answer": measured["answer"][:300],
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(
            f"{shape['bytes'] / mib:.1f} MiB CSV, {shape['rows']:,} rows, every cell wrong:"
            f" server {result['server_mib_before']} MiB before, peak"
            f" {result['server_mib_peak']} MiB ({'under' if result['under_1_gib'] else 'OVER'}"
            f" 1 GiB), answered in {result['seconds_to_answer']} s"
        )
        print(result["answer"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
