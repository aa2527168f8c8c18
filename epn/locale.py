"""The reader's conventions in one place: languages, numbers, dates, commune names.

French groups thousands with a (narrow) no-break space and writes a decimal comma, Dutch
groups with a dot and writes a decimal comma, English groups with a comma and writes a
decimal point. Brussels communes are named in French and Dutch; English readers get the
French name. Views pick the name column here; SQL never takes the language.
"""

from __future__ import annotations

import datetime as dt
import re

LANGUAGES = ("fr", "nl", "en")
DEFAULT_LANGUAGE = "fr"


def normalize_language(lang: str | None) -> str:
    lang = (lang or DEFAULT_LANGUAGE).strip().lower()[:2]
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def group_separator(lang: str, *, narrow: bool = True) -> str:
    return {"fr": "\u202f" if narrow else "\u00a0", "nl": "."}.get(lang, ",")


def decimal_mark(lang: str) -> str:
    return "." if lang == "en" else ","


def number(value: float, decimals: int, lang: str, *, narrow: bool = True) -> str:
    """``value`` with ``decimals`` decimals, grouped and marked as the reader writes it."""
    text = f"{value:,.{decimals}f}"
    group, mark = group_separator(lang, narrow=narrow), decimal_mark(lang)
    return text.replace(",", "\0").replace(".", mark).replace("\0", group)


def decimal(value: float, lang: str, spec: str = ".4g") -> str:
    """``value`` formatted by ``spec`` (ungrouped), with the reader's decimal mark."""
    return format(value, spec).replace(".", decimal_mark(lang))


def day(value: dt.date, lang: str) -> str:
    """A date as Belgian readers write it (31/03/2025), whatever their language: an ISO date
    is for machines."""
    return value.strftime("%d/%m/%Y")


ISO_DAY = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?)?")


def readable_iso(value: object, lang: str) -> str | None:
    """An ISO date (or date-time) string as a reader writes it, else None: stored evidence and
    audit details keep ISO dates, a page shows them this way. A text shaped like a date but
    none (« 2024-13-45 », typed in a note) is not one: None, and the caller shows it as is."""
    found = ISO_DAY.fullmatch(value.strip()) if isinstance(value, str) else None
    if found is None:
        return None
    try:
        shown = day(dt.date.fromisoformat(found.group(1)), lang)
    except ValueError:
        return None
    return f"{shown} {found.group(2)}" if found.group(2) else shown


def commune_name_column(lang: str) -> str:
    return "name_nl" if lang == "nl" else "name_fr"
