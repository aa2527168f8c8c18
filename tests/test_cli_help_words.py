"""Help screens in the reader's language (issue 11, item 9): the fixed words Click writes
(« Usage: », « Options: », « Commands: », « Show this message and exit. », « [required] »)
come from the catalogue under ``--lang`` and ``EPN_LANGUAGE``; and a folder or a pipe given
as a registry document is called what it is, not « introuvable »."""

from __future__ import annotations

import contextlib
import io
import os
from pathlib import Path

import pytest

from epn.settings import get_settings
from tests.conftest import epn_process
from warehouse.db import connect

ROOT = Path(__file__).parents[1]
CLICK_WORDS = (
    "Usage:",
    "Options:",
    "Commands:",
    "Show this message and exit.",
    "[required]",
    "[default: ",
)
WORDS = {
    "fr": ("Utilisation : epn", "Options :", "Commandes :", "Affiche cette aide et s'arrête."),
    "nl": ("Gebruik: epn", "Opties:", "Opdrachten:", "Toont deze hulp en stopt."),
    "en": ("Usage: epn", "Options:", "Commands:", "Show this message and exit."),
}


def run(*args: str) -> tuple[int, str, str]:
    from cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def language(monkeypatch):
    def choose(lang: str) -> None:
        monkeypatch.setenv("EPN_LANGUAGE", lang)
        get_settings.cache_clear()

    yield choose
    get_settings.cache_clear()


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_the_command_list_speaks_epn_language(language, lang):
    language(lang)
    code, out, _ = run("--help")
    assert code == 0
    usage, options, commands, help_option = WORDS[lang]
    assert out.startswith(usage)
    assert f"\n{options}\n" in out and f"\n{commands}\n" in out and help_option in out
    assert "registry" in out and "compliance" in out
    if lang != "en":
        assert not any(words in out for words in CLICK_WORDS), out


def test_a_commands_options_speak_lang_over_epn_language(language):
    language("fr")
    code, out, _ = run("compliance", "--help", "--lang", "nl")
    assert code == 0
    assert out.startswith("Gebruik: epn compliance [OPTIES]")
    assert "Rapporteringsjaar.  [verplicht]" in out  # our text and Click's, both translated
    assert "[standaard: fr]" in out and "Toont deze hulp en stopt." in out
    assert not any(words in out for words in CLICK_WORDS)

    code, out, _ = run("registry", "apply", "--help", "--lang", "fr")
    assert code == 0 and out.startswith("Utilisation : epn registry apply")
    assert "[obligatoire]" in out and "[required]" not in out


def test_a_group_without_its_command_shows_its_help_in_words(language):
    language("nl")
    code, out, err = run("registry")
    assert code == 2 and out == ""
    assert err.startswith("Gebruik: epn registry [OPTIES] OPDRACHT [ARGUMENTEN]...")
    assert "\nOpdrachten:\n" in err and "Commands:" not in err


def test_the_real_entry_point_in_dutch():
    env = {**os.environ, "EPN_LANGUAGE": "nl"}
    done = epn_process("--help", env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Gebruik: epn") and "\nOpdrachten:\n" in done.stdout


APPLY = [
    "registry", "apply", "--epn-id", "EPN-0100", "--name", "Bibliothèque Sans Souci",
    "--commune-nis", "21009", "--authority-name", "Commune d'Ixelles", "--authority-type",
    "commune", "--received-on", "2025-01-06",
]  # fmt: skip


def registry_events(db) -> int:
    with connect(db) as con:
        return con.execute("SELECT count(*) FROM registry_event").fetchone()[0]


def test_a_folder_or_a_pipe_as_a_document_is_called_what_it_is(cli, registry, tmp_path):
    folder = tmp_path / "pièces"
    folder.mkdir()
    pipe = tmp_path / "tube"
    os.mkfifo(pipe)
    before = registry_events(registry)

    code, out, err = cli(*APPLY, "--document", f"decision={folder}")
    assert (code, out) == (1, "")
    assert f"{folder} est un dossier, pas un fichier" in err and "introuvable" not in err
    assert f"--document decision={folder}/decision.pdf" in err  # what to give instead

    code, _, err = cli("registry", "attach", "EPN-0001", "--document", f"evidence={folder}")
    assert code == 1 and "est un dossier, pas un fichier" in err

    # a pipe is never opened (reading one would wait for a writer forever)
    code, _, err = cli(
        "registry", "attach", "EPN-0001", "--document", f"evidence={pipe}", "--lang", "nl"
    )
    assert code == 1 and f"{pipe} is geen gewoon bestand" in err
    assert registry_events(registry) == before  # nothing written
