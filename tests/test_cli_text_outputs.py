"""The commands' text output reads as the coordinator writes (issue 13): on the demo warehouse,
in French and Dutch, no ISO date, no catalogue or standard code, no `None` or `nan` in what
`epn` prints — findings, registry history and documents, withdrawal candidates, indicators
(live, frozen, published), charter versions, uploads, reminders, a refused step, a possible
duplicate — while `--json` keeps the stored values (ISO dates, codes) exactly as before."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
from pathlib import Path

import pytest

from tests.conftest import demo_copy_in, epn_process
from tests.test_page_texts import raw_values
from validation.charter.findings import Finding

ROOT = Path(__file__).parents[1]
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


@pytest.fixture(scope="module")
def warehouse(demo_warehouse, tmp_path_factory) -> Path:
    """A private copy of the demo warehouse (steps, freezes and attachments write to it)."""
    return demo_copy_in(demo_warehouse, tmp_path_factory.mktemp("cli-texts"))


def epn(db: Path, *args: str) -> tuple[int, str, str]:
    """``epn ARGS --db DB`` in-process: (exit status, stdout, stderr)."""
    from cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([*map(str, args), "--db", str(db)])
    return code, out.getvalue(), err.getvalue()


# what each command prints, with a few words it must show (the line is really there)
COMMANDS = [
    (("compliance", "--year", "2025"), {"fr": "27/01/2025", "nl": "27/01/2025"}),
    (("compliance", "--year", "2026"), {"fr": "« Statistiques incomplètes »", "nl": "Onvolledige"}),
    (("compliance", "--year", "2024"), {"fr": "Manquement", "nl": "Tekortkoming"}),
    (
        ("registry", "show", "EPN-0001"),
        {"fr": "05/04/2019  import", "nl": "05/04/2019"},
    ),
    (("registry", "show", "EPN-0019"), {"fr": "18/03/2025  retrait du label", "nl": "18/03/2025"}),
    (("registry", "show", "EPN-0032"), {"fr": "ratification par le COPIL", "nl": "20/10/2026"}),
    (("registry", "documents", "EPN-0001"), {"fr": "03/02/2025", "nl": "03/02/2025"}),
    (("registry", "list"), {"fr": "Forest", "nl": "Vorst"}),
    (("registry", "candidates", "--year", "2025"), {"fr": "Statistiques", "nl": "statistieken"}),
    (("indicators", "--year", "2025"), {"fr": "2,48", "nl": "16.770"}),
    (("indicators", "--year", "2025", "--freeze"), {"fr": "publiés", "nl": "gepubliceerd"}),
    (("indicators", "--year", "2025", "--published"), {"fr": "Chiffres publiés le", "nl": "op"}),
    (("charter", "list"), {"fr": "01/01/2019", "nl": "week/weken tolerantie"}),
    (("uploads", "list", "--limit", "500"), {"fr": "accepté", "nl": "aanvaard"}),
    (("reminders", "--as-of", "2026-04-01"), {"fr": "31/03/2026", "nl": "31/03/2026"}),
    (
        ("registry", "ratify", "EPN-0001", "--on", "2025-01-01"),
        {"fr": "« labellisé »", "nl": "« gelabeld »"},
    ),
]


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_text_outputs_show_no_iso_date_and_no_code(warehouse, tmp_path, lang):
    paper = tmp_path / "courrier.pdf"
    paper.write_bytes(b"%PDF-1.4 a letter of the commune\n" * 40)
    code, _, err = epn(
        warehouse,
        *("registry", "attach", "EPN-0001", "--document", f"evidence={paper}"),
        *("--received-on", "2025-02-03", "--lang", lang),
    )
    assert code == 0, err
    problems, missing = {}, {}
    for args, shown in COMMANDS:
        code, out, err = epn(warehouse, *args, "--lang", lang)
        assert code in (0, 1), (args, err)
        text = out + err
        assert text.strip(), args
        found = raw_values(text.splitlines())
        if found:
            problems[" ".join(args)] = sorted(found)[:5]
        if shown[lang] not in text:
            missing[" ".join(args)] = (shown[lang], text[:300])
    assert problems == {}
    assert missing == {}


def test_a_possible_duplicate_cites_its_score_as_a_reader_writes_it(warehouse):
    code, _, err = epn(
        warehouse,
        *("registry", "apply", "--epn-id", "EPN-0150", "--name", "Espace numérique d'Etterbeek"),
        *("--commune-nis", "21005", "--authority-name", "Commune d'Etterbeek"),
        *("--authority-type", "commune", "--received-on", "2026-01-05"),
    )
    assert code == 0, err
    assert "EPN-0005" in err and "similarité du nom 100 %" in err
    assert raw_values(err.splitlines()) == set()


def test_json_keeps_the_stored_values(warehouse):
    code, out, _ = epn(warehouse, "compliance", "--year", "2025", "--json", "--lang", "nl")
    findings = json.loads(out)
    assert code == 0 and findings
    for record in findings:
        assert set(record) >= {"epn_id", "year", "code", "severity", "message", "evidence"}
        # the message as `--json` has always printed it: the evidence as stored
        kept = Finding(
            record["epn_id"], record["year"], record["code"], record["severity"], record["evidence"]
        )
        assert record["message"] == kept.message("nl")
    messages = " ".join(r["message"] for r in findings)
    assert ISO_DATE.search(messages) and "statistics_incomplete" in messages

    code, out, _ = epn(warehouse, "registry", "show", "EPN-0019", "--json")
    state = json.loads(out)
    assert state["status"] == "withdrawn" and state["commune_nis"] == 21011
    assert [e["occurred_on"] for e in state["history"]][:2] == ["2021-09-24", "2025-03-18"]

    code, out, _ = epn(warehouse, "registry", "list", "--json")
    assert {"epn_id", "name", "commune_nis", "status"} <= set(json.loads(out)[0])
    assert json.loads(out)[0]["commune_nis"] == 21007

    code, out, _ = epn(warehouse, "indicators", "--year", "2025", "--json")
    region = json.loads(out)["region"]
    assert isinstance(region["epns_per_100k"], float) and isinstance(region["visits"], int)


def test_the_real_command_prints_readable_findings(warehouse):
    """Through the installed entry point, in French by default."""
    env = {k: v for k, v in os.environ.items() if k != "EPN_LANGUAGE"}
    done = epn_process("compliance", "--year", "2025", "--db", warehouse, env=env)
    assert done.returncode == 0, done.stderr
    assert "moins de 15 heures d'animateur qualifié : 27/01/2025, 03/02/2025" in done.stdout
    assert "est arrivé le 08/05/2026, après l'échéance du 31/03/2026" in done.stdout
    assert "Manquement répété : « Statistiques incomplètes » constaté en 2024" in done.stdout
    assert not ISO_DATE.search(done.stdout)


def test_ingest_cites_its_findings_as_a_page_does(cli, registry, tmp_path):
    from tests.conftest import stats_file, week_rows

    low = stats_file(tmp_path, "peu.csv", week_rows("EPN-0001", 2024, hours=5.5))
    code, out, err = cli("ingest", low, "--dry-run", "--json", "--lang", "nl")
    [result] = json.loads(out)
    assert code == 0 and ISO_DATE.search(" ".join(f["message"] for f in result["findings"]))
    code, out, err = cli("ingest", low, "--lang", "nl")
    assert code == 0, err
    assert "minder dan 15 uren gekwalificeerde begeleiding: 01/01/2024, 08/01/2024" in out
    assert "Herhaalde tekortkoming: « Ontbrekend jaarverslag »" in out
    assert raw_values(out.splitlines()) == set()
