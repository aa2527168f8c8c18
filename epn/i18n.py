"""One message catalogue for the CLI and the app (French first, Dutch and English beside).

Messages live in ``epn/messages/*.toml``, one file per area; each entry is a stable
code with ``fr``, ``nl`` and ``en`` texts using ``{name}`` placeholders.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from epn.locale import DEFAULT_LANGUAGE, normalize_language

_CATALOGUE_DIR = Path(__file__).parent / "messages"


class _KeepMissing(dict):
    """Leaves an unknown placeholder visible instead of raising mid-message."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@cache
def catalogue() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for path in sorted(_CATALOGUE_DIR.glob("*.toml")):
        with path.open("rb") as handle:
            entries = tomllib.load(handle)
        for code, texts in entries.items():
            if code in merged:
                raise ValueError(f"message code {code!r} is defined twice ({path.name})")
            merged[code] = texts
    return merged


def t(code: str, lang: str | None = None, /, **params: object) -> str:
    """The message ``code`` in ``lang`` (falling back to French), placeholders filled."""
    texts = catalogue().get(code)
    if texts is None:
        return code
    template = texts.get(normalize_language(lang)) or texts[DEFAULT_LANGUAGE]
    return template.format_map(_KeepMissing({k: _show(v) for k, v in params.items()}))


def _show(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
