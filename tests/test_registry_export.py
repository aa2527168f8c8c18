"""`epn registry export`: the public directory of labelled EPNs (art. 5)."""

from __future__ import annotations

import csv
import io
import json

from registry.directory import COLUMNS, directory_csv, safe_cell
from tests.conftest import load_registry

HOSTILE = '=HYPERLINK("http://evil","x")'


def directory(db):
    """EPN-0001 and -0002 labelled, -0003 applicant, -0004 labelled then withdrawn."""
    load_registry(db, [
        ["EPN-0001", "EPN Anderlecht", 21001, "Commune d'Anderlecht", "commune", "2020-01-15"],
        ["EPN-0002", HOSTILE, 21009, "+32 CPAS d'Ixelles", "cpas", "2024-07-03"],
        ["EPN-0003", "EPN Jette", 21010, "Asbl Jette", "non_market", ""],
        ["EPN-0004", "EPN Évere", 21006, "@Evere", "commune", "2021-03-01"],
    ])  # fmt: skip


def test_csv_lists_labelled_epns_only_with_communes(cli, db):
    directory(db)
    assert cli("registry", "withdraw", "EPN-0004", "--on", "2024-05-01", "--reason",
               "authority_request")[0] == 0  # fmt: skip
    code, out, err = cli("registry", "export", "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert tuple(rows[0]) == COLUMNS
    assert [r["epn_id"] for r in rows] == ["EPN-0001", "EPN-0002"]  # by commune
    first = rows[0]
    assert (first["commune_nis"], first["commune_name_fr"], first["commune_name_nl"]) == (
        "21001", "Anderlecht", "Anderlecht",
    )  # fmt: skip
    assert (first["authority_type"], first["labelled_since"]) == ("commune", "2020-01-15")
    assert rows[1]["commune_name_nl"] == "Elsene"


def test_csv_defuses_formulas_and_keeps_numbers(cli, db, tmp_path):
    directory(db)
    target = tmp_path / "out" / "directory.csv"
    code, out, err = cli("registry", "export", "-o", target)
    assert code == 0, err
    data = target.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")  # UTF-8 without BOM
    text = data.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    ixelles = dict(zip(rows[0], rows[3], strict=True))  # by commune: 21001, 21006, 21009
    assert ixelles["name"] == "'" + HOSTILE
    assert ixelles["authority_name"] == "'+32 CPAS d'Ixelles"
    assert ",21009," in text and '"21009"' not in text  # a bare number, not quoted text
    assert ",EPN Anderlecht,,,21001,Anderlecht," in text  # missing address and postcode


def test_safe_cell_rules():
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert safe_cell(start + "1") == "'" + start + "1"
    assert safe_cell("Rue de l'Église 1") == "Rue de l'Église 1"
    assert safe_cell(-5) == -5 and safe_cell(1050) == 1050 and safe_cell(None) == ""
    text = directory_csv([{"name": "-2+3", "postcode": 1000}]).decode("utf-8")
    assert text.splitlines()[1].startswith(",'-2+3,,1000,")


def test_json_export_keeps_values_as_they_are(cli, db, tmp_path):
    directory(db)
    code, out, err = cli("registry", "export", "--format", "json")
    assert code == 0, err
    records = json.loads(out)
    assert [r["epn_id"] for r in records] == ["EPN-0001", "EPN-0004", "EPN-0002"]
    evere = records[1]
    assert (evere["name"], evere["commune_nis"], evere["commune_name_fr"]) == (
        "EPN Évere", 21006, "Evere",
    )  # fmt: skip
    assert records[2]["name"] == HOSTILE  # JSON is data, not a spreadsheet
    target = tmp_path / "directory.json"
    assert cli("registry", "export", "--format", "json", "-o", target)[0] == 0
    assert json.loads(target.read_text(encoding="utf-8")) == records


def test_empty_directory_and_bad_format(cli, db):
    code, out, _ = cli("registry", "export")
    assert code == 0 and out.strip() == ",".join(COLUMNS)
    code, _, err = cli("registry", "export", "--format", "xlsx")
    assert code == 2 and "Traceback" not in err


def test_csv_quotes_a_field_holding_a_separator_a_quote_or_a_line_break(cli, db, tmp_path):
    """`x;=1+1` came out unquoted: a Belgian Excel split it on ";" into a live `=1+1`."""
    load_registry(db, [
        ["EPN-0001", "x;=1+1", 21001, 'Asbl "Le lien"', "non_market", "2020-01-15"],
        ["EPN-0002", "Deux,virgules", 21009, "CPAS\nd'Ixelles", "cpas", "2024-07-03"],
    ])  # fmt: skip
    code, out, err = cli("registry", "export", "--format", "csv")
    assert code == 0, err
    assert '"x;=1+1"' in out and '"Asbl ""Le lien"""' in out and '"Deux,virgules"' in out
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["name"], r["authority_name"]) for r in rows] == [
        ("x;=1+1", 'Asbl "Le lien"'),
        ("Deux,virgules", "CPAS\nd'Ixelles"),
    ]
