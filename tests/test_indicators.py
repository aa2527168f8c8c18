"""`epn indicators --year --json` as the command-line contract says."""

from __future__ import annotations

import json

from tests.conftest import stats_file, week_rows

REQUIRED = {
    "labelled_epns",
    "epns_per_100k",
    "weekly_public_hours",
    "visits",
    "users_total",
    "priority_share",
    "share_without_breach",
}


def test_indicators_per_commune_and_region(cli, registry, tmp_path):
    rows = week_rows("EPN-0001", 2024, hours=20) + [
        r for r in week_rows("EPN-0002", 2024, hours=30) if r[1] >= "2024-07-01"
    ]
    rows[10][2:9] = ["closed", "Travaux", 0, 0, 0, 0, 0]
    assert cli("ingest", stats_file(tmp_path, "s.csv", rows))[0] == 0
    code, out, err = cli("indicators", "--year", "2024", "--json")
    assert code == 0, err
    document = json.loads(out)
    assert document["year"] == 2024
    assert set(document["region"]) >= REQUIRED
    communes = {c["commune_nis"]: c for c in document["communes"]}
    assert len(communes) == 19 and all(set(c) >= REQUIRED for c in communes.values())
    anderlecht, ixelles = communes[21001], communes[21009]
    assert anderlecht["labelled_epns"] == 1
    assert anderlecht["epns_per_100k"] == round(100_000 / 120887, 2)
    assert anderlecht["weekly_public_hours"] == 20.0  # average over open weeks only
    assert anderlecht["visits"] == 51 * 100
    assert ixelles["weekly_public_hours"] == 30.0
    assert communes[21010]["labelled_epns"] == 0  # EPN-0003 only applied
    region = document["region"]
    assert region["labelled_epns"] == 2 and region["weekly_public_hours"] == 50.0
    assert region["visits"] == anderlecht["visits"] + ixelles["visits"]
    # no report by the deadline: both EPNs breach the charter in 2024
    assert region["share_without_breach"] == 0.0
    assert 21010 in region["communes_without_epn"]


def test_indicators_of_an_empty_warehouse(cli):
    code, out, _ = cli("indicators", "--year", "2025", "--json")
    document = json.loads(out)
    assert code == 0 and document["region"]["labelled_epns"] == 0
    assert document["region"]["share_without_breach"] is None
