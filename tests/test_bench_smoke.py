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
    assert names == [
        "statistics ingest",
        *FORMATS,
        "compliance 2024",
        "dashboards: slowest page",
        *pages,
    ]
    for measure in document["measures"]:
        assert measure["value"] > 0 and measure["baseline"] > 0 and measure["ratio"] > 0
        assert measure["unit"] in ("rows/s", "s")
        assert measure["line"].startswith(measure["name"])
    assert [m["breakdown"] for m in document["measures"]] == (
        [False, True, True, True, False, False] + [True] * len(pages)
    )
    slowest = document["measures"][5]["details"]
    assert slowest["rows"]["cur_weekly"] > 40 * 52 * 9  # ten years of weeks, this one begun
    assert set(slowest) >= {"page", "target_seconds", "pages_over_target"}
    ingest = document["measures"][0]["details"]
    assert set(ingest["baseline_stages_seconds"]) == set(FORMATS)
    assert "statistics ingest" in table(document)


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
