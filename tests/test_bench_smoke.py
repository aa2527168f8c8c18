"""The benchmark runs end to end at a tiny scale; its timings are never asserted."""

from __future__ import annotations

import json

from bench.run import FORMATS, main, sample_files, table, weekly_frame
from dashboards.navigation import PAGES


def test_benchmark_document_has_every_measure_with_its_baseline(tmp_path, capsys):
    code = main(
        [
            "--epns",
            "30",
            "--files",
            "3",
            "--baseline-rows",
            "50",
            "--baseline-epns",
            "5",
            "--national-epns",
            "40",
            "--process-runs",
            "1",
            "--workdir",
            str(tmp_path),
            "--json",
        ]
    )
    document = json.loads(capsys.readouterr().out)
    assert code == 0
    assert document["scale"]["rows"] == 30 * 52
    assert document["scale"]["formats"] == dict.fromkeys(FORMATS, 1)
    names = [m["name"] for m in document["measures"]]
    pages = [spec.url_path for spec in PAGES]
    against_floors = [
        "ingest per row",
        "fixed per file",
        "vs DuckDB read_csv",
        f"{27 * 52:,}-row CSV, process",  # 30 EPNs: a small file of 2, a large one of 27
        "peak memory",
    ]
    assert names == [
        "epn --help",
        "epn registry list",
        "statistics ingest",
        *FORMATS,
        *against_floors,
        "compliance 2024",
        "epn compliance --json (process)",
        "dashboards: slowest page",
        *pages,
    ]
    for measure in document["measures"]:
        assert measure["value"] >= 0  # a fixed cost fitted at this tiny scale may be nil
        assert (measure["baseline"] or 0) > 0 or (measure["floor"] or 0) > 0, measure["name"]
        assert measure["unit"] in ("rows/s", "s", "ms", "µs/row", "MiB")
        assert measure["line"].startswith(measure["name"])
    by_name = {m["name"]: m for m in document["measures"]}
    timed = ("epn --help", "epn registry list", "ingest per row", "compliance 2024")
    for name in (*timed, "epn compliance --json (process)"):
        assert by_name[name]["value"] > 0 and by_name[name]["floor"] > 0, name
        assert by_name[name]["floor_ratio"] > 0, name
    assert by_name["compliance 2024"]["baseline"] > 0  # the naive column stays beside
    assert by_name["compliance 2024"]["details"]["floor_findings_identical"] is True
    assert [m["breakdown"] for m in document["measures"]] == (
        [False, False, False, True, True, True, False, True, True, False, True, False, False]
        + [False]
        + [True] * len(pages)
    )
    slowest = by_name["dashboards: slowest page"]["details"]
    assert slowest["rows"]["cur_weekly"] > 40 * 52 * 9  # ten years of weeks, this one begun
    assert set(slowest) >= {"page", "target_seconds", "pages_over_target"}
    ingest = by_name["statistics ingest"]["details"]
    assert set(ingest["baseline_stages_seconds"]) == set(FORMATS)
    shown = table(document)
    assert "statistics ingest" in shown
    assert all(column in shown for column in ("product", "floor", "× floor", "naive baseline"))


def test_generated_weeks_follow_the_standard():
    import numpy as np

    frame = weekly_frame(["EPN-000001", "EPN-000002"], 2024, np.random.default_rng(3))
    assert len(frame) == 104
    assert (frame["facilitated_hours"] <= frame["public_hours"]).all()
    assert (frame["unique_users"] <= frame["visits"]).all()
    assert (frame["new_users"] <= frame["unique_users"]).all()
    closed = frame[frame["status"] == "closed"]
    assert len(closed) and closed["closure_reason"].notna().all()
    assert (closed["public_hours"] == 0).all()


def test_the_baseline_sample_covers_every_format():
    from bench.run import StatisticsFile

    files = [StatisticsFile(f"f{i}", FORMATS[i % 3], b"", 100) for i in range(9)]
    sample = sample_files(files, target_rows=1)
    assert {f.file_format for f in sample} == set(FORMATS)
    assert len(sample_files(files, target_rows=10_000)) == 9


def test_the_dashboard_benchmark_opens_every_page_of_the_app():
    from bench.dashboard_pages import PAGE_VISITS

    for spec in PAGES:
        role, queries = PAGE_VISITS[spec.url_path]
        assert role in spec.roles and queries, spec.url_path


def test_one_page_is_timed_alone_beside_its_floor(tmp_path, capsys):
    import json

    from bench.run import main

    assert main(["--page", "charter-what-if", "--national-epns", "40", "--workdir", str(tmp_path),
                 "--json"]) == 0  # fmt: skip
    [measure] = json.loads(capsys.readouterr().out)
    assert measure["name"] == "dashboards: charter-what-if"
    assert set(measure["details"]["queries"]) == {"closed_years", "what_if"}
    assert measure["floor"] > 0 and "3 statistics rules" in measure["floor_name"]
    assert (tmp_path / "national.built").exists()  # a second run reuses the warehouse
