"""Help screens in the reader's language: Click writes its fixed words in English.

Click and Typer name the parts of a help screen (« Usage: », « Options: », « Commands: »,
« Show this message and exit. », « [required] », « [default: fr] ») through gettext, for
which no French or Dutch translation ships. The help is written by the formatter of each
command's context, so every command of the tree gets a context whose formatter takes those
words from the catalogue.

Our own texts (a command's description, its line in a group's list, each option's and
argument's help) are the catalogue's too, keyed by the command's path:
``help.cmd.epn.registry.list``, ``help.short.epn.registry.list`` and
``help.opt.epn.registry.list.status``, else the entry shared by every command that repeats
the option (``help.opt.db``). They are put in place only when a help screen is written
(``LocalizedContext.get_help``): a command that runs reads no help text at all.
"""

from __future__ import annotations

import re
from functools import cache

from typer._click.core import Command, Context, Parameter
from typer._click.formatting import HelpFormatter

from epn.i18n import catalogue, t

HEADINGS = {
    "Options": "cli.help.options",
    "Commands": "cli.help.commands",
    "Arguments": "cli.help.arguments",
}
HELP_OPTION = "Show this message and exit."
# what Typer appends to an option's help: « text  [default: fr; required] »
EXTRAS = re.compile(r"(?P<gap>(?:^|\s\s))\[(?P<extras>[^\[\]]*)\]$")
DEFAULT = "default: "
USAGE_WORDS = {"COMMAND [ARGS]...": "cli.help.usage_command", "[OPTIONS]": "cli.help.usage_options"}
# the type Typer writes beside an option (« --year <int> », « FILES <list[Path]> »)
METAVAR = re.compile(
    r"<(?P<many>list\[)?(?P<type>str|int|float|path|int range|float range)\]?>", re.IGNORECASE
)


class LocalizedFormatter(HelpFormatter):
    """Click's formatter with the catalogue's words in the language ``lang``."""

    lang = "fr"

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        if prefix is None:
            prefix = t("cli.usage", self.lang, usage="")
        super().write_usage(prog, usage_words(args, self.lang), prefix)

    def write_heading(self, heading: str) -> None:
        name = t(HEADINGS[heading], self.lang) if heading in HEADINGS else heading
        self.write(f"{'':>{self.current_indent}}{t('cli.help.heading', self.lang, heading=name)}\n")

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        super().write_dl(
            [(self.term(term), self.help_text(text)) for term, text in rows], col_max, col_spacing
        )

    def term(self, term: str) -> str:
        """« --year <int> » as « --year <entier> »: the kind of value in the reader's words
        (English keeps Typer's own)."""
        return term if self.lang == "en" else METAVAR.sub(self.metavar, term)

    def metavar(self, found: re.Match) -> str:
        kind = found["type"].lower().removesuffix(" range")
        many = ".many" if found["many"] else ""
        return f"<{t(f'cli.help.type.{kind}{many}', self.lang)}>"

    def help_text(self, text: str) -> str:
        if text == HELP_OPTION:
            return t("cli.help.help_option", self.lang)
        found = EXTRAS.search(text)
        if found is None:
            return text
        extras = "; ".join(self.extra(part) for part in found["extras"].split("; "))
        return f"{text[: found.start()]}{found['gap']}[{extras}]"

    def extra(self, part: str) -> str:
        if part == "required":
            return t("cli.help.required", self.lang)
        if part.startswith(DEFAULT):
            return t("cli.help.default", self.lang, value=part.removeprefix(DEFAULT))
        return part  # a range (« 1<=x<=60 ») reads the same in every language


def usage_words(pieces: str, lang: str) -> str:
    """A usage line's placeholders (« [OPTIONS] », « COMMAND [ARGS]... ») in ``lang``."""
    for english, code in USAGE_WORDS.items():
        pieces = pieces.replace(english, t(code, lang))
    return pieces


class LocalizedContext(Context):
    """A context that puts the catalogue's texts in its command before writing its help."""

    lang = "fr"

    def get_help(self) -> str:
        translate(self.command, tuple(self.command_path.split()), self.lang)
        return super().get_help()


@cache
def context_class(lang: str) -> type[Context]:
    """A context whose help screens are written in ``lang``."""
    formatter = type(f"LocalizedFormatter_{lang}", (LocalizedFormatter,), {"lang": lang})
    attributes = {"formatter_class": formatter, "lang": lang}
    return type(f"LocalizedContext_{lang}", (LocalizedContext,), attributes)


def command_key(path: tuple[str, ...]) -> str:
    """The catalogue entry of a command's description (``path``: « epn », « registry »...)."""
    return "help.cmd." + ".".join(path)


def short_key(path: tuple[str, ...]) -> str:
    """The entry of a command's line in its group's list of commands."""
    return "help.short." + ".".join(path)


def param_keys(path: tuple[str, ...], param: Parameter) -> tuple[str, str]:
    """The entries that may hold a parameter's help: its command's own, then the shared one."""
    name = (param.name or "").replace("_", "-")
    return f"help.opt.{'.'.join(path)}.{name}", f"help.opt.{name}"


def param_key(path: tuple[str, ...], param: Parameter) -> str | None:
    """The entry that holds the help of ``param`` of the command at ``path``, if any."""
    return next((key for key in param_keys(path, param) if key in catalogue()), None)


def translate(command: Command, path: tuple[str, ...], lang: str) -> None:
    """Puts the catalogue's texts in ``command`` (at ``path``), its parameters and the
    commands it lists; a text the catalogue lacks stays as written."""
    texts = catalogue()
    if command_key(path) in texts:
        command.help = t(command_key(path), lang)
    for param in command.params:
        if key := param_key(path, param):
            param.help = t(key, lang)
    for name, sub in getattr(command, "commands", {}).items():
        if short_key((*path, name)) in texts:
            sub.short_help = t(short_key((*path, name)), lang)


def localize(command: Command, lang: str) -> Command:
    """``command`` and every command under it, writing their help screens in ``lang``."""
    command.context_class = context_class(lang)
    for sub in getattr(command, "commands", {}).values():
        localize(sub, lang)
    return command
