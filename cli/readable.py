"""Values as a reader writes them, for the commands' text output (``--json`` keeps its own).

Stored values are for machines: ISO dates, snake_case codes, numbers with a decimal point.
A line printed to the coordinator shows a date dd/mm/yyyy, a number with the reader's
decimal mark and a code in words from the catalogue, as the app's pages do.
"""

from __future__ import annotations

import datetime as dt

from epn import locale
from epn.errors import EpnError
from epn.i18n import catalogue, t

# a refused registry step names the EPN's status by its code: « statut « labelled » » reads
# « statut « labellisé » » (other errors' parameters are what the user typed: kept as typed)
STEP_WORDS = {"status": "app.registry.status.", "step": "step."}


def when(value: object, lang: str) -> str:
    """A date (dd/mm/yyyy), a date-time (dd/mm/yyyy hh:mm) or an ISO string of either, as
    the reader writes it; nothing known as « — »."""
    if value is None or value == "":
        return "—"
    if isinstance(value, dt.datetime):
        return f"{locale.day(value.date(), lang)} {value:%H:%M}"
    if isinstance(value, dt.date):
        return locale.day(value, lang)
    return locale.readable_iso(str(value), lang) or str(value)


def decimal(value: float | None, decimals: int, lang: str) -> str:
    """A number with ``decimals`` decimals and the reader's marks; nothing known as « — »."""
    return "—" if value is None else locale.number(value, decimals, lang)


def percent(value: float, lang: str) -> str:
    """A score out of 100 (« 91,2 % »)."""
    return t("cli.percent", lang, value=locale.decimal(value, lang, "g"))


def size(size_bytes: int, lang: str) -> str:
    """A file's size as the reader writes it: bytes below a kilobyte, else « 12,5 ko »."""
    if size_bytes < 1000:
        return t("cli.size_bytes", lang, size=size_bytes)
    return t("cli.size_kb", lang, size=locale.number(size_bytes / 1000, 1, lang))


def commune_names(con, lang: str) -> dict[int, str]:
    """Each commune's name in the reader's language, by NIS code."""
    column = locale.commune_name_column(lang)
    return dict(con.execute(f"SELECT commune_nis, {column} FROM commune").fetchall())


def finding_message(record: dict, lang: str) -> str:
    """The message of a finding given as its ``to_dict()`` record, as a page shows it
    (rule names, dd/mm/yyyy, the reader's decimal mark): the record keeps its own."""
    from validation.charter.findings import Finding

    finding = Finding(
        epn_id=record["epn_id"],
        year=record["year"],
        code=record["code"],
        severity=record["severity"],
        evidence=record.get("evidence") or {},
    )
    return finding.message(lang, readable=True)


def error_text(error: EpnError, lang: str) -> str:
    """An error's message with its dates, numbers and codes in the reader's words."""
    words = STEP_WORDS if error.code.startswith("step_") else {}
    params = {key: param(value, lang, words.get(key)) for key, value in error.params.items()}
    return t(error.code, lang, **params)


def param(value: object, lang: str, words: str | None = None) -> object:
    """One parameter of a message as the reader writes it; ``words``: the catalogue prefix
    of the code it holds, if any."""
    if words and isinstance(value, str) and f"{words}{value}" in catalogue():
        return t(f"{words}{value}", lang)
    if isinstance(value, dt.date):
        return when(value, lang)
    if isinstance(value, str):
        return locale.readable_iso(value, lang) or value
    if isinstance(value, float) and not value.is_integer():
        return locale.decimal(value, lang, "g")
    return value
