"""Published indicators: `epn indicators --freeze` and `--published`, history and differences."""

from __future__ import annotations

import json

from tests.conftest import stats_file, week_rows
from warehouse import snapshots
from warehouse.db import connect


def ingest_weeks(cli, tmp_path, name: str, hours: float) -> None:
    rows = week_rows("EPN-0001", 2024, hours=hours) + week_rows("EPN-0002", 2024, hours=20)
    assert cli("ingest", stats_file(tmp_path, name, rows))[0] == 0


def test_published_figures_do_not_move_with_late_corrections(cli, registry, tmp_path):
    ingest_weeks(cli, tmp_path, "first.csv", hours=20)
    live_before = json.loads(cli("indicators", "--year", "2024", "--json")[1])
    code, out, err = cli("indicators", "--year", "2024", "--freeze", "--json")
    assert code == 0 and json.loads(out) == live_before
    assert "2024" in err  # the confirmation goes to stderr, stdout holds the JSON
    ingest_weeks(cli, tmp_path, "late.csv", hours=25)  # a correction after publication
    live = json.loads(cli("indicators", "--year", "2024", "--json")[1])
    published = json.loads(cli("indicators", "--year", "2024", "--json", "--published")[1])
    assert published == live_before != live
    assert live["communes"][0]["weekly_public_hours"] == 25.0
    assert published["communes"][0]["weekly_public_hours"] == 20.0
    code, out, _ = cli("indicators", "--year", "2024", "--published", "--lang", "en")
    assert code == 0 and "by system" in out and "2 figure(s) differ today" in out


def test_the_default_output_is_the_contract_whatever_was_published(cli, registry, tmp_path):
    ingest_weeks(cli, tmp_path, "s.csv", hours=20)
    before = cli("indicators", "--year", "2024", "--json")[1]
    text_before = cli("indicators", "--year", "2024")[1]
    assert cli("indicators", "--year", "2024", "--freeze")[0] == 0
    assert cli("indicators", "--year", "2024", "--json")[1] == before
    assert cli("indicators", "--year", "2024")[1] == text_before
    assert set(json.loads(before)) == {"year", "region", "communes"}


def test_a_new_freeze_becomes_current_and_keeps_the_history(cli, registry, tmp_path):
    ingest_weeks(cli, tmp_path, "first.csv", hours=20)
    cli("indicators", "--year", "2024", "--freeze")
    ingest_weeks(cli, tmp_path, "late.csv", hours=25)
    code, out, _ = cli("indicators", "--year", "2024", "--freeze", "--lang", "en")
    assert code == 0 and out.startswith("2024 indicators published (snapshot 2,")
    with connect(registry) as con:
        current = snapshots.published(con, 2024)
        assert [h["snapshot_id"] for h in snapshots.history(con, 2024)] == [2, 1]
        assert current.snapshot_id == 2 and current.frozen_by == "system"
        assert current.document["communes"][0]["weekly_public_hours"] == 25.0
        assert snapshots.published(con, 2023) is None
        audit = con.execute(
            "SELECT count(*) FROM audit_log WHERE action = 'indicators_freeze'"
        ).fetchone()
    assert audit == (2,)


def test_differences_name_the_commune_the_measure_and_both_values(registry):
    with connect(registry) as con:
        from warehouse.indicators import indicators

        published = indicators(con, 2024)
    live = json.loads(json.dumps(published))
    live["communes"][0]["visits"] += 7
    live["region"]["visits"] += 7
    changes = snapshots.differences(published, live)
    assert changes == [
        {"commune_nis": None, "measure": "visits", "published": 0, "live": 7},
        {"commune_nis": 21001, "measure": "visits", "published": 0, "live": 7},
    ]
    assert snapshots.differences(published, published) == []


def test_published_before_any_freeze_and_clashing_options_are_refused(cli, registry):
    code, _, err = cli("indicators", "--year", "2024", "--published", "--json")
    assert code == 1 and "--freeze" in err
    code, _, err = cli("indicators", "--year", "2024", "--freeze", "--published")
    assert code == 2 and "--published" in err
