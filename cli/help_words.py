"""Help screens in the reader's language: Click writes its fixed words in English.

Click and Typer name the parts of a help screen (« Usage: », « Options: », « Commands: »,
« Show this message and exit. », « [required] », « [default: fr] ») through gettext, for
which no French or Dutch translation ships. The help is written by the formatter of each
command's context, so every command of the tree gets a context whose formatter takes those
words from the catalogue; the texts of our own commands and options are left as written.
"""

from __future__ import annotations

import re
from functools import cache

from typer._click.core import Command, Context
from typer._click.formatting import HelpFormatter

from epn.i18n import t

HEADINGS = {
    "Options": "cli.help.options",
    "Commands": "cli.help.commands",
    "Arguments": "cli.help.arguments",
}
HELP_OPTION = "Show this message and exit."
# what Typer appends to an option's help: « text  [default: fr; required] »
EXTRAS = re.compile(r"(?P<gap>(?:^|\s\s))\[(?P<extras>[^\[\]]*)\]$")
DEFAULT = "default: "


class LocalizedFormatter(HelpFormatter):
    """Click's formatter with the catalogue's words in the language ``lang``."""

    lang = "fr"

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        if prefix is None:
            prefix = t("cli.usage", self.lang, usage="")
        super().write_usage(prog, args, prefix)

    def write_heading(self, heading: str) -> None:
        name = t(HEADINGS[heading], self.lang) if heading in HEADINGS else heading
        self.write(f"{'':>{self.current_indent}}{t('cli.help.heading', self.lang, heading=name)}\n")

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        super().write_dl(
            [(term, self.help_text(text)) for term, text in rows], col_max, col_spacing
        )

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


@cache
def context_class(lang: str) -> type[Context]:
    """A context whose help screens are written in ``lang``."""
    formatter = type(f"LocalizedFormatter_{lang}", (LocalizedFormatter,), {"lang": lang})
    return type(f"LocalizedContext_{lang}", (Context,), {"formatter_class": formatter})


def localize(command: Command, lang: str) -> Command:
    """``command`` and every command under it, writing their help screens in ``lang``."""
    command.context_class = context_class(lang)
    for sub in getattr(command, "commands", {}).values():
        localize(sub, lang)
    return command
