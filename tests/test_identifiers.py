"""One EPN identifier everywhere: trimmed, upper case, one pattern (registry, files, CLI)."""

from __future__ import annotations

import json

import pytest

from epn.identifiers import checked_epn_id, is_epn_id, normalize_epn_id
from tests.conftest import REGISTRY_HEADER, csv_bytes, stats_file, week_rows

APPLY = ["--name", "EPN Forest", "--commune-nis", "21007", "--authority-name", "Commune"]
APPLY += ["--authority-type", "commune"]


@pytest.mark.parametrize("value", ["EPN-0042", "EPN-A", "EPN-000001", "EPN-0001", "X.1_2"])
def test_the_standards_and_the_tests_ids_are_valid(value):
    assert is_epn_id(value) and checked_epn_id(value) == value


@pytest.mark.parametrize(
    "value", ["", "  ", "EPN-1\nX", "EPN 1", "=1+1", "-EPN", "É" * 2, "A" * 41]
)
def test_ids_off_the_pattern_are_refused(value):
    assert not is_epn_id(normalize_epn_id(value))


@pytest.mark.parametrize("value", ["", "EPN-1\nX", "EPN 0001"])
def test_apply_refuses_a_bad_id_with_a_message(cli, registry, value):
    code, out, err = cli("registry", "apply", "--epn-id", value, *APPLY)
    assert code == 2 and out == ""
    assert "n'est pas valide" in err and "EPN-0042" in err


def test_lower_case_and_spaces_name_the_same_epn(cli, registry, tmp_path):
    code, _, err = cli("registry", "apply", "--epn-id", " epn-0001 ", *APPLY)
    assert code == 1 and "déjà dans le registre" in err  # EPN-0001 exists
    code, out, _ = cli("registry", "show", "epn-0001", "--json")
    assert code == 0 and json.loads(out)["epn_id"] == "EPN-0001"
    code, out, err = cli("registry", "apply", "--epn-id", "epn-0042", *APPLY, "--json")
    assert code == 0, err
    ids = [e["epn_id"] for e in json.loads(cli("registry", "list", "--json")[1])]
    assert "EPN-0042" in ids and "epn-0042" not in ids
    # a registry file naming an EPN in lower case: the same EPN, unchanged, not a second one
    again = tmp_path / "again.csv"
    row = ["epn-0001", "EPN Anderlecht", 21001, "Commune d'Anderlecht", "commune", "2020-01-15"]
    again.write_bytes(csv_bytes(REGISTRY_HEADER, [row]))
    code, out, err = cli("registry", "import", again, "--json")
    assert code == 0, err
    assert json.loads(out)["unchanged"] == ["EPN-0001"]
    # a statistics file too
    rows = [[" epn-0002 ", *r[1:]] for r in week_rows("EPN-0002", 2024)]
    code, out, err = cli("ingest", stats_file(tmp_path, "s.csv", rows), "--json")
    assert code == 0, err
    assert json.loads(out)[0]["epn_ids"] == ["EPN-0002"]


def test_a_registry_row_with_a_line_break_in_its_id_is_rejected(cli, db, tmp_path):
    bad = tmp_path / "registry.csv"
    rows = [
        ["EPN-0001\nX", "EPN Anderlecht", 21001, "Commune", "commune", "2020-01-15"],
        ["EPN-0002", "EPN Ixelles", 21009, "CPAS", "cpas", "2024-07-03"],
        ["epn-0002", "EPN Ixelles bis", 21009, "CPAS", "cpas", "2024-07-03"],
    ]
    bad.write_bytes(csv_bytes(REGISTRY_HEADER, rows))
    code, out, _ = cli("registry", "import", bad, "--json")
    assert code == 1
    rejected = json.loads(out)["rejected"]
    assert {(r["row"], r["code"]) for r in rejected} >= {(2, "bad_epn_id_cell")}
    assert any(r["row"] in (3, 4) and r["column"] == "epn_id" for r in rejected)  # one EPN twice
    assert json.loads(cli("registry", "list", "--json")[1]) == []


def test_an_unknown_status_is_a_usage_error_naming_the_valid_ones(cli, registry):
    code, out, err = cli("registry", "list", "--status", "bogus", "--json")
    assert code == 2 and out == ""
    assert "labelled" in err and "withdrawn" in err
    code, out, _ = cli("registry", "list", "--status", "labelled", "--json")
    assert code == 0 and {e["status"] for e in json.loads(out)} == {"labelled"}
