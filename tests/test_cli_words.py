"""The command line speaks the reader's language (issue 11, item 9), through the real `epn`.

Every line comes from the catalogue, in the language of ``--lang`` or ``EPN_LANGUAGE``
(French by default), usage errors included (exit status 2); ``epn ingest`` names each file
and its outcome in words; a folder or a pipe given as a file is called what it is.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import epn_process, stats_file, week_rows

ROOT = Path(__file__).parents[1]


def epn(*args, lang: str | None = None) -> tuple[int, str, str]:
    env = {k: v for k, v in os.environ.items() if k != "EPN_LANGUAGE"}
    if lang:
        env["EPN_LANGUAGE"] = lang
    done = epn_process(*args, env=env)
    return done.returncode, done.stdout, done.stderr


ENGLISH_USAGE = ("Usage:", "Error:", "Missing option", "No such", "Invalid value", "Try '")


def test_usage_errors_are_in_french_by_default_and_exit_2():
    code, out, err = epn("compliance")
    assert (code, out) == (2, "")
    assert "Utilisation : epn compliance" in err
    assert "il manque l'option --year" in err
    assert not any(words in err for words in ENGLISH_USAGE)


@pytest.mark.parametrize(
    "args, words",
    [
        (["bogus"], "la commande « bogus » n'existe pas"),
        (["registry", "lis"], "Vouliez-vous dire list ?"),
        (["compliance", "--year", "deux"], "« deux » n'est pas un nombre entier"),
        (["compliance", "--year", "2024", "--bogus"], "l'option --bogus n'existe pas"),
        (["registry", "withdraw", "X", "--on", "2024-01-01", "--reason", "x"], "Choisissez parmi"),
        (["registry", "ratify"], "il manque EPN_ID"),
        (["compliance", "--year", "2024", "--lang", "de"], "Choisissez fr, nl ou en"),
    ],
)
def test_common_usage_errors_say_how_to_fix_them(args, words):
    # in-process: the same code path as the command, without an interpreter per case
    import contextlib
    import io

    from cli import main

    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr):
        code = main(args)
    assert code == 2
    assert words in stderr.getvalue()
    assert not any(english in stderr.getvalue() for english in ENGLISH_USAGE)


def test_epn_language_sets_the_language_and_lang_overrides_it(registry):
    code, _, err = epn("compliance", "--db", registry, lang="nl")
    assert code == 2 and "de optie --year ontbreekt" in err
    code, _, err = epn("compliance", "--db", registry, "--lang", "en", lang="nl")
    assert code == 2 and "the option --year is missing" in err
    code, out, _ = epn("registry", "list", "--db", registry, lang="nl")
    assert code == 0 and "gelabeld" in out and "labelled" not in out


def test_ingest_names_each_file_and_its_outcome_in_words(registry, tmp_path):
    good = stats_file(tmp_path, "bon.csv", week_rows("EPN-0001", 2024))
    bad = stats_file(
        tmp_path, "mauvais.csv", [["EPN-0O01", "2024-01-01", "open", "", 20, 20, 5, 5, "x"]]
    )
    code, out, err = epn("ingest", good, bad, good, "--db", registry)
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith("bon.csv : accepté — Statistiques hebdomadaires, EPN-0001, 2024")
    assert any(
        line.startswith("mauvais.csv : refusé, rien n'a été enregistré") for line in lines
    ), out
    assert any(line.startswith("bon.csv : déjà reçu à l'identique") for line in lines)
    assert "ligne 2, colonne « Identifiant EPN » (epn_id) : " in err
    assert "ligne 2, colonne « Nouveaux usagers » (new_users) : " in err
    for english in ("ingest_", "[unknown_epn]", "row 2", "column epn_id", "(breach)"):
        assert english not in out + err
    code, out, err = epn("ingest", bad, "--db", registry, "--lang", "nl", "--dry-run")
    assert code == 1 and out.startswith("mauvais.csv: geweigerd")
    assert "rij 2, kolom « EPN-id » (epn_id): " in err


def test_ingest_json_keeps_its_shape_in_any_language(registry, tmp_path):
    good = stats_file(tmp_path, "bon.csv", week_rows("EPN-0001", 2024))
    code, out, _ = epn("ingest", good, "--json", "--dry-run", "--db", registry, lang="nl")
    [result] = json.loads(out)
    assert code == 0
    assert (result["file"], result["status"], result["kind"]) == (
        "bon.csv",
        "accepted",
        "statistics",
    )


def test_a_folder_or_a_pipe_is_not_called_missing(registry, tmp_path):
    code, out, err = epn("ingest", tmp_path, "--db", registry)
    assert (code, out) == (1, "")
    assert "est un dossier, pas un fichier" in err and "introuvable" not in err
    pipe = tmp_path / "pipe.csv"
    os.mkfifo(pipe)
    code, _, err = epn("registry", "import", pipe, "--db", registry, "--lang", "en")
    assert code == 1 and "is not a regular file (it is a pipe" in err
    code, _, err = epn("ingest", tmp_path / "absent.csv", "--db", registry)
    assert code == 1 and "est introuvable" in err
