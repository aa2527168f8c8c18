"""Help screens speak the reader's language through and through: every command's description,
its line in its group's list and every option's and argument's help come from the catalogue
(``epn/messages/cli_help.toml``) in French, Dutch and English, not only Click's fixed words
(``test_cli_help_words.py``). A command or an option added without its texts fails here."""

from __future__ import annotations

import contextlib
import io
import os
import re
from pathlib import Path

import pytest
import typer

from cli import app
from cli.help_words import command_key, param_key, short_key
from epn.i18n import catalogue, t
from tests.conftest import epn_process

ROOT = Path(__file__).parents[1]
LANGUAGES = ("fr", "nl", "en")
# words of an English sentence that a French or Dutch help screen never holds
ENGLISH = re.compile(r"\b(the|and|with|this|from|each|every|which|Show|Print|Write|Reporting)\b")


def words(text: str | None) -> str:
    return " ".join((text or "").split())


def tree(command=None, path=("epn",)):
    """(path, command) for the root and every command under it, as Click builds them."""
    command = command or typer.main.get_command(app)
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from tree(sub, (*path, name))


def help_keys() -> set[str]:
    """Every help entry the command tree reads."""
    keys = set()
    for path, command in tree():
        keys.add(command_key(path))
        if len(path) > 1:
            keys.add(short_key(path))
        keys |= {param_key(path, param) for param in command.params}
    return keys


def english_texts() -> list[str]:
    """The English of every help entry (the words a French or Dutch screen must not show)."""
    return [words(t(key, "en")) for key in help_keys() if key and len(t(key, "en")) > 12]


def test_every_command_and_option_has_its_texts_in_three_languages():
    texts, missing, stale = catalogue(), [], []
    commands = list(tree())
    assert len(commands) >= 46  # the whole tree, groups and their commands
    for path, command in commands:
        keys = [command_key(path)] + ([short_key(path)] if len(path) > 1 else [])
        missing += [key for key in keys if key not in texts]
        # the English entry is the text the code declares: a changed docstring shows here
        if command_key(path) in texts and words(texts[command_key(path)]["en"]) != words(
            command.help
        ):
            stale.append(command_key(path))
        for param in command.params:
            key = param_key(path, param)
            if key is None:
                missing.append(f"help.opt.{'.'.join(path)}.{param.name}")
            elif words(texts[key]["en"]) != words(param.help):
                stale.append(key)
    assert missing == [] and stale == []
    for key in help_keys():
        entry = texts[key]
        assert sorted(entry) == sorted(LANGUAGES), key
        assert all(entry[lang].strip() for lang in LANGUAGES), key
        assert "{" not in "".join(entry.values()), key  # nothing left to fill in
    assert all(len(texts[short_key(path)]["fr"]) <= 55 for path, _ in commands[1:])


def test_the_catalogue_holds_no_help_text_of_a_command_that_is_gone():
    used = help_keys()
    kept = {key for key in catalogue() if key.startswith(("help.cmd.", "help.short.", "help.opt."))}
    assert kept - used == set()


def help_screen(*args: str, lang: str) -> str:
    env = {**os.environ, "EPN_LANGUAGE": lang}
    done = epn_process(*args, "--help", env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_real_help_screens_have_no_english_sentence(lang):
    english = english_texts()
    screens = {
        "epn": help_screen(lang=lang),
        "registry": help_screen("registry", lang=lang),
        "review": help_screen("findings", "review", lang=lang),
    }
    for screen in screens.values():
        shown = words(screen)
        assert [text for text in english if text in shown] == []
        assert ENGLISH.findall(shown) == [], shown
    epn, registry, review = (words(screen) for screen in screens.values())
    if lang == "fr":
        assert "Label EPN : registre, réception des rapports" in epn
        assert "findings L'examen des constats par la coordination." in epn
        assert "list Chaque EPN avec le statut de son label." in registry
        assert "Marque un constat comme confirmé ou justifié" in review
        assert "--year <entier> L'année du constat. [obligatoire]" in review
    else:
        assert "EPN-label: register, ontvangst van verslagen" in epn
        assert "ratify Het stuurcomité bekrachtigt het label." in registry
        assert "Markeert een vaststelling als bevestigd of verantwoord" in review
        assert "--db <pad> Bestand van het datawarehouse" in review


def in_process_help(args: list[str]) -> str:
    from cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        assert main([*args, "--help"]) == 0
    return out.getvalue()


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_every_help_screen_is_in_the_readers_language(monkeypatch, lang):
    from epn.settings import get_settings

    monkeypatch.setenv("EPN_LANGUAGE", lang)
    get_settings.cache_clear()
    english = english_texts()
    try:
        for path, _ in tree():
            shown = words(in_process_help(list(path[1:])))
            assert words(t(command_key(path), lang)) in shown, path
            assert [text for text in english if text in shown] == [], path
    finally:
        get_settings.cache_clear()


def test_english_keeps_the_declared_texts_and_typers_value_kinds():
    shown = words(in_process_help(["compliance", "--lang", "en"]))
    assert "The charter findings of that year (standard §5)." in shown
    assert "--year <int> Reporting year. [required]" in shown
