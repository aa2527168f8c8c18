"""`epn registry import` and `list` as the command-line contract says."""

from __future__ import annotations

import json

from tests.conftest import REGISTRY_HEADER, csv_bytes


def write_registry(tmp_path, rows, delimiter=","):
    path = tmp_path / "registry.csv"
    path.write_bytes(csv_bytes(REGISTRY_HEADER, rows, delimiter))
    return path


GOOD = [
    ["EPN-0001", "EPN Anderlecht", "21001", "Commune d'Anderlecht", "commune", "2020-01-15"],
    ["EPN-0002", "Bibliothèque d'Ixelles", "21009", "CPAS d'Ixelles", "cpas", ""],
]


def test_import_then_list_gives_statuses(cli, tmp_path):
    code, out, err = cli("registry", "import", write_registry(tmp_path, GOOD, ";"))
    assert code == 0, err
    code, out, _ = cli("registry", "list", "--json")
    listed = json.loads(out)
    assert code == 0
    assert [(e["epn_id"], e["status"], e["commune_nis"]) for e in listed] == [
        ("EPN-0001", "labelled", 21001),
        ("EPN-0002", "applied", 21009),
    ]
    assert listed[0]["name"] == "EPN Anderlecht" and listed[0]["labelled_on"] == "2020-01-15"


def test_rejected_rows_are_listed_and_not_loaded(cli, tmp_path):
    rows = [*GOOD, ["EPN-0003", "", "21030", "X", "bank", "2020-02-30"], GOOD[0]]
    code, out, err = cli("registry", "import", write_registry(tmp_path, rows), "--json")
    report = json.loads(out)
    problems = {(p["row"], p["column"], p["code"]) for p in report["rejected"]}
    assert code == 1
    assert problems == {
        (4, "name", "required"),
        (4, "commune_nis", "out_of_range"),
        (4, "authority_type", "not_a_code"),
        (4, "labelled_on", "not_a_date"),
        (2, "epn_id", "duplicate_key"),
        (5, "epn_id", "duplicate_key"),
    }
    assert report["loaded"] == ["EPN-0002"]
    _, out, _ = cli("registry", "list", "--json")
    assert [e["epn_id"] for e in json.loads(out)] == ["EPN-0002"]


def test_reimport_is_idempotent_and_conflicts_are_rejected(cli, tmp_path):
    path = write_registry(tmp_path, GOOD)
    assert cli("registry", "import", path)[0] == 0
    code, out, _ = cli("registry", "import", path, "--json")
    assert code == 0 and json.loads(out)["unchanged"] == ["EPN-0001", "EPN-0002"]
    changed = write_registry(tmp_path, [[*GOOD[0][:1], "Autre nom", *GOOD[0][2:]]])
    code, out, _ = cli("registry", "import", changed, "--json")
    assert code == 1
    assert json.loads(out)["rejected"][0]["code"] == "registry_already_registered"


def test_localized_headers_and_bom_are_accepted(cli, tmp_path):
    header = (
        "\ufeffIdentifiant EPN;Nom;Code INS de la commune;Pouvoir organisateur;"
        "Type de pouvoir organisateur\n"
    )
    path = tmp_path / "fr.csv"
    path.write_text(header + "EPN-0009;EPN Evere;21006;Commune d'Evere;commune\n", encoding="utf-8")
    assert cli("registry", "import", path)[0] == 0
    assert json.loads(cli("registry", "list", "--json")[1])[0]["commune_nis"] == 21006


def test_missing_file_and_bad_usage_exit_codes(cli, tmp_path):
    code, out, err = cli("registry", "import", tmp_path / "absent.csv")
    assert (code, out) == (1, "") and "introuvable" in err and "Traceback" not in err
    code, _, err = cli("registry", "frobnicate")
    assert code == 2 and "Traceback" not in err


def test_json_output_is_only_json(cli, tmp_path):
    cli("registry", "import", write_registry(tmp_path, GOOD))
    _, out, _ = cli("registry", "list", "--json")
    json.loads(out)  # one document, nothing else on stdout
