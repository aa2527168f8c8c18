"""The words of the report template, all taken from the message catalogue."""

from __future__ import annotations

import datetime as dt

from epn.i18n import t
from epn.standard import AUDIENCE_CATEGORIES, Column


def label(key: str, lang: str) -> str:
    """The localized header of a column: what the readers recognise besides the key."""
    return t(f"header.{key}", lang)


def help_text(key: str, lang: str) -> str:
    return t(f"template.help.{key}", lang)


def sheet_title(name: str, lang: str) -> str | None:
    """The localized title of a sheet, or None while the catalogue has none."""
    code = f"sheet.{name}"
    title = t(code, lang)
    return None if title in (code, name) else title


def code_label(code: str, lang: str) -> str:
    return t(f"template.code.{code}", lang)


def yes_no(lang: str) -> tuple[str, str]:
    """The chosen language's words for yes/no; the readers accept those of every language."""
    return t("template.yes", lang), t("template.no", lang)


def long_date(day: dt.date, lang: str) -> str:
    month = t("template.months", lang).split(",")[day.month - 1]
    return f"{day.day} {month} {day.year}"


def number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def range_text(column: Column, lang: str) -> str | None:
    """The allowed range of a numeric column in words, e.g. "de 0 à 60"."""
    if column.minimum is None:
        return None
    if column.maximum is None:
        return t("template.range.at_least", lang, minimum=number(column.minimum))
    return t(
        "template.range.between",
        lang,
        minimum=number(column.minimum),
        maximum=number(column.maximum),
    )


def date_range_text(bounds: tuple[dt.date, dt.date], lang: str) -> str:
    return t("template.range.dates", lang, start=bounds[0].isoformat(), end=bounds[1].isoformat())


def audience_category_codes() -> tuple[str, ...]:
    """Every category of every dimension, once: the list offered in the category column."""
    seen: dict[str, None] = {}
    for categories in AUDIENCE_CATEGORIES.values():
        seen.update(dict.fromkeys(categories))
    return tuple(seen)


def choices(column: Column, lang: str) -> tuple[str, ...]:
    """The values a drop-down offers for ``column``; empty when it is free input.

    Codes are offered as their labels in the template's language, which the readers accept
    as well as the codes; the audience dimensions stay codes, as the prefilled rows hold them.
    """
    if column.type == "code":
        if column.key == "dimension":
            return column.codes
        return tuple(code_label(code, lang) for code in column.codes)
    if column.type == "yesno":
        return yes_no(lang)
    if column.key == "category":  # typed text in the standard, but a closed list in practice
        return audience_category_codes()
    return ()


def allowed_values_text(column: Column, lang: str, bounds: tuple[dt.date, dt.date]) -> str:
    """What the instructions sheet shows under "allowed values" for one column."""
    if column.type == "code":
        return "\n".join(f"{code} — {code_label(code, lang)}" for code in column.codes)
    if column.type == "yesno":
        return " / ".join(yes_no(lang))
    if column.key == "category":
        return "\n".join(
            f"{dimension}: " + ", ".join(categories)
            for dimension, categories in AUDIENCE_CATEGORIES.items()
        )
    if column.type in ("integer", "decimal"):
        return range_text(column, lang) or ""
    if column.type == "date":
        return date_range_text(bounds, lang)
    return ""
