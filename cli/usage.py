"""Usage errors in the reader's language: Typer (and the Click inside it) writes English.

Each kind of mistake on a command line (a missing option, a value refused, a command or an
option that does not exist...) gets a catalogue message saying how to fix it; the exit
status stays 2. What this module does not recognise keeps Click's own text, inside our
frame.
"""

from __future__ import annotations

import re

from typer._click.exceptions import (
    BadOptionUsage,
    BadParameter,
    MissingParameter,
    NoSuchOption,
    UsageError,
)

from cli.coercion import CatalogueBadParameter
from cli.help_words import usage_words
from epn.i18n import t

_NO_SUCH_COMMAND = re.compile(r"No such command '(?P<name>.*)'\.(?: Did you mean (?P<hint>.*)\?)?$")
_EXTRA_ARGUMENTS = re.compile(r"Got unexpected extra argument(?:\(s\)|s)? \((?P<arguments>.*)\)$")
_NEEDS_VALUE = re.compile(r"Option '(?P<option>.*)' requires")
_TAKES_NO_VALUE = re.compile(r"Option '(?P<option>.*)' does not take a value")


def usage_lines(error: UsageError, lang: str) -> list[str]:
    """What to print on stderr for ``error``: how the command is used, then what went wrong."""
    lines = []
    if error.ctx is not None:
        ctx = error.ctx
        pieces = " ".join(ctx.command.collect_usage_pieces(ctx))
        usage = f"{ctx.command_path} {usage_words(pieces, lang)}".strip()
        lines.append(t("cli.usage", lang, usage=usage))
        lines.append(t("cli.usage_help", lang, command=ctx.command_path))
        lines.append("")
    lines.append(t("cli.usage_error", lang, message=message(error, lang)))
    return lines


def message(error: UsageError, lang: str) -> str:
    if isinstance(error, MissingParameter):
        return _missing(error, lang)
    if isinstance(error, CatalogueBadParameter):
        text = t(error.code, lang, **error.params)
        return t("cli.bad_value", lang, option=_hint(error), message=text)
    if isinstance(error, BadParameter):
        return t("cli.bad_value", lang, option=_hint(error), message=error.message)
    if isinstance(error, NoSuchOption):
        return _no_such_option(error, lang)
    if isinstance(error, BadOptionUsage):
        return _matched(error.message, lang) or error.message
    return _matched(error.message, lang) or error.message


def _missing(error: MissingParameter, lang: str) -> str:
    param = error.param
    if param is None:
        return t("cli.missing_command", lang)
    if param.param_type_name == "argument":
        return t("cli.missing_argument", lang, argument=(param.name or "").upper())
    return t("cli.missing_option", lang, option=" / ".join(param.opts))


def _hint(error: BadParameter) -> str:
    if error.param_hint is not None:
        hint = error.param_hint
        return hint if isinstance(hint, str) else " / ".join(hint)
    if error.param is not None:
        param = error.param
        return " / ".join(param.opts) if param.opts else (param.name or "").upper()
    return "?"


def _no_such_option(error: NoSuchOption, lang: str) -> str:
    if error.possibilities:
        suggestions = ", ".join(sorted(error.possibilities))
        return t("cli.no_such_option_hint", lang, option=error.option_name, suggestions=suggestions)
    return t("cli.no_such_option", lang, option=error.option_name)


def _matched(text: str, lang: str) -> str | None:
    """The catalogue's words for one of Click's plain usage messages, if we know it."""
    if text.startswith("Missing command"):
        return t("cli.missing_command", lang)
    if found := _NO_SUCH_COMMAND.match(text):
        if found["hint"]:
            hint = ", ".join(re.findall(r"'([^']*)'", found["hint"])) or found["hint"]
            return t("cli.no_such_command_hint", lang, name=found["name"], suggestions=hint)
        return t("cli.no_such_command", lang, name=found["name"])
    if found := _EXTRA_ARGUMENTS.match(text):
        return t("cli.extra_arguments", lang, arguments=found["arguments"])
    if found := _NEEDS_VALUE.match(text):
        return t("cli.option_needs_value", lang, option=found["option"])
    if found := _TAKES_NO_VALUE.match(text):
        return t("cli.option_takes_no_value", lang, option=found["option"])
    return None
