"""Documents of an application, near-duplicates, and the printed charter and form."""

from __future__ import annotations

import hashlib
import json
import re
import zlib

import pytest

from registry.attachments import document_content
from registry.duplicates import name_key, possible_duplicates
from warehouse.db import connect

APPLY = [
    "registry", "apply", "--epn-id", "EPN-0100", "--name", "Bibliothèque Sans Souci",
    "--commune-nis", 21009, "--authority-name", "Commune d'Ixelles", "--authority-type",
    "commune", "--address", "Rue Mercelis 19", "--postcode", 1050,
    "--received-on", "2025-01-06", "--channel", "email",
]  # fmt: skip


def write(tmp_path, name: str, content: bytes):
    path = tmp_path / name
    path.write_bytes(content)
    return path


def table_count(db, table: str) -> int:
    with connect(db) as con:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_application_documents_are_stored_with_their_sha256(cli, db, tmp_path):
    files = {
        "decision": write(tmp_path, "délibération.pdf", b"%PDF-1.4 decision"),
        "identification": write(tmp_path, "form.pdf", b"%PDF-1.4 form"),
        "evidence": write(tmp_path, "diploma.jpg", b"\xff\xd8\xff jpeg bytes"),
    }
    specs = [arg for kind, path in files.items() for arg in ("--document", f"{kind}={path}")]
    code, out, err = cli(*APPLY, *specs, "--json")
    assert code == 0, err
    applied = json.loads(out)["history"][0]
    assert [d["kind"] for d in applied["data"]["documents"]] == list(files)

    code, out, _ = cli("registry", "documents", "EPN-0100", "--json")
    listed = json.loads(out)
    assert code == 0
    assert [(d["kind"], d["filename"]) for d in listed] == [
        ("decision", "délibération.pdf"), ("identification", "form.pdf"),
        ("evidence", "diploma.jpg"),
    ]  # fmt: skip
    for doc, path in zip(listed, files.values(), strict=True):
        content = path.read_bytes()
        assert doc["sha256"] == hashlib.sha256(content).hexdigest()
        assert doc["size_bytes"] == len(content)
        assert (doc["received_on"], doc["event_id"]) == ("2025-01-06", applied["event_id"])
        with connect(db) as con:
            assert document_content(con, "EPN-0100", doc["document_id"]) == content
    code, out, _ = cli("registry", "documents", "EPN-0100")
    assert code == 0 and listed[0]["sha256"] in out


def test_documents_attached_later_and_refused_once_closed(cli, db, tmp_path):
    assert cli(*APPLY)[0] == 0
    evidence = write(tmp_path, "hours.pdf", b"%PDF-1.4 opening hours")
    code, out, err = cli(
        "registry", "attach", "EPN-0100", "--document", f"evidence={evidence}",
        "--received-on", "2025-02-10", "--json",
    )  # fmt: skip
    assert code == 0, err
    shown = json.loads(out)
    assert shown["status"] == "applied"
    assert shown["history"][-1]["event"] == "attached"
    assert shown["documents"][0]["received_on"] == "2025-02-10"

    cli("registry", "recommend", "EPN-0100", "--unfavourable", "--on", "2025-03-01")
    cli("registry", "reject", "EPN-0100", "--on", "2025-03-20")
    before = table_count(db, "registry_document")
    code, _, err = cli("registry", "attach", "EPN-0100", "--document", f"other={evidence}")
    assert code == 1 and "epn registry apply" in err
    assert table_count(db, "registry_document") == before


@pytest.mark.parametrize(
    ("spec", "status", "needle"),
    [
        ("decision", 2, "decision=deliberation.pdf"),  # no path
        ("contract={file}", 2, "contract"),  # unknown kind
        ("evidence={missing}", 1, "introuvable"),
        ("evidence={empty}", 1, "vide"),
    ],
)
def test_bad_documents_write_nothing(cli, db, tmp_path, spec, status, needle):
    paths = {
        "file": write(tmp_path, "a.pdf", b"%PDF"),
        "missing": tmp_path / "absent.pdf",
        "empty": write(tmp_path, "empty.pdf", b""),
    }
    code, out, err = cli(*APPLY, "--document", spec.format(**paths))
    assert (code, out) == (status, "") and needle in err and "Traceback" not in err
    assert table_count(db, "registry_event") == 0


def test_attach_needs_a_document_and_documents_an_epn(cli):
    assert cli(*APPLY)[0] == 0
    assert cli("registry", "attach", "EPN-0100")[0] == 2
    code, _, err = cli("registry", "documents", "EPN-9999")
    assert code == 1 and "EPN-9999" in err


# --- near-duplicates ---------------------------------------------------------------------


def apply_other(cli, name: str, commune: int = 21009, address: str | None = None, *extra):
    args = [
        "registry", "apply", "--epn-id", "EPN-0200", "--name", name, "--commune-nis", commune,
        "--authority-name", "Asbl", "--authority-type", "non_market", *extra,
    ]  # fmt: skip
    return cli(*args, *(["--address", address] if address else []))


def test_a_similar_name_is_a_warning_not_a_refusal(cli):
    assert cli(*APPLY)[0] == 0
    code, out, err = apply_other(cli, "EPN – Bibliotheque sans-souci ASBL", 21015, None, "--json")
    assert code == 0
    assert "EPN-0100" in err and "Bibliothèque Sans Souci" in err
    (found,) = json.loads(out)["possible_duplicates"]
    assert found == {
        "epn_id": "EPN-0100", "name": "Bibliothèque Sans Souci", "score": 100.0,
        "reason": "name",
    }  # fmt: skip
    code, out, _ = cli("registry", "show", "EPN-0200", "--json")
    assert json.loads(out)["history"][0]["data"]["possible_duplicates"] == [found]


def test_the_same_address_in_the_same_commune_is_a_warning(cli):
    assert cli(*APPLY)[0] == 0
    code, out, err = apply_other(cli, "Cyberclub Flagey", 21009, "rue  MERCELIS, 19", "--json")
    assert code == 0 and "EPN-0100" in err
    assert [d["reason"] for d in json.loads(out)["possible_duplicates"]] == ["address"]


def test_different_epns_raise_no_warning(cli):
    assert cli(*APPLY)[0] == 0
    code, out, err = apply_other(cli, "Cyberclub Flagey", 21015, "Rue Mercelis 19", "--json")
    assert (code, err) == (0, "")  # same address, another commune
    assert json.loads(out)["possible_duplicates"] == []


def test_generic_words_alone_do_not_make_a_match(db):
    assert name_key("EPN – Espace public numérique ASBL") == ""
    assert name_key("Openbare computerruimte De Markten vzw") == "markten"
    with connect(db) as con:
        con.execute(
            "INSERT INTO registry_event (epn_id, event, status_after, data) VALUES"
            " ('EPN-0001', 'imported', 'applied',"
            ' \'{"name": "EPN asbl", "commune_nis": 21001}\')'
        )
        assert possible_duplicates(con, {"epn_id": "EPN-0002", "name": "Espace public numérique",
                                         "commune_nis": 21001}) == []  # fmt: skip
        found = possible_duplicates(con, {"epn_id": "EPN-0003", "name": "Épn ASBL"})
        assert found == []  # nothing distinctive is left of either name


# --- printed documents ---------------------------------------------------------------------

_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)


def shown_text(pdf: bytes) -> str:
    """The page text of an fpdf2 PDF (core fonts: literal strings in deflated streams)."""
    parts = []
    for stream in _STREAM.findall(pdf):
        try:
            parts.append(zlib.decompress(stream).decode("windows-1252", "replace"))
        except zlib.error:
            continue
    return " ".join(parts)


def test_charter_is_written_prefilled(cli, registry, tmp_path):
    target = tmp_path / "out" / "charter.pdf"
    code, out, err = cli("registry", "charter", "EPN-0002", "--lang", "nl", "-o", target)
    assert code == 0, err
    pdf = target.read_bytes()
    assert pdf.startswith(b"%PDF")
    text = shown_text(pdf)
    assert "EPN Ixelles" in text and "CPAS d'Ixelles" in text
    assert "Elsene" in text  # the commune's Dutch name, from the commune table


def test_application_form_prefilled_or_blank(cli, tmp_path):
    assert cli(*APPLY)[0] == 0
    target = tmp_path / "form.pdf"
    code, _, err = cli("registry", "application-form", "EPN-0100", "--lang", "fr", "-o", target)
    assert code == 0, err
    text = shown_text(target.read_bytes())
    assert "Bibliothèque Sans Souci" in text and "Rue Mercelis 19" in text
    assert "1050 Ixelles" in text and "Commune d'Ixelles" in text
    assert "15 heures" in text  # the minimum of the charter terms in force this year
    blank = tmp_path / "blank.pdf"
    assert cli("registry", "application-form", "--lang", "en", "-o", blank)[0] == 0
    assert blank.read_bytes().startswith(b"%PDF")
    assert "Sans Souci" not in shown_text(blank.read_bytes())


def test_printing_for_an_unknown_epn_or_language_fails_plainly(cli, registry, tmp_path):
    code, _, err = cli("registry", "charter", "EPN-9999", "-o", tmp_path / "x.pdf")
    assert code == 1 and "EPN-9999" in err and not (tmp_path / "x.pdf").exists()
    code, _, err = cli("registry", "charter", "EPN-0001", "--lang", "de", "-o", tmp_path / "x.pdf")
    assert code == 2 and "Traceback" not in err
