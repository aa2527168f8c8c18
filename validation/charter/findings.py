"""A charter finding: code, EPN, year, severity, a human message and the evidence."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from epn import locale
from epn.i18n import catalogue, t
from epn.settings import get_settings


@dataclass(frozen=True)
class Finding:
    epn_id: str
    year: int
    code: str
    severity: str
    evidence: dict = field(default_factory=dict)
    charter_version: int | None = None  # the charter version the year was judged by

    def message(self, lang: str | None = None, *, readable: bool = False) -> str:
        """The finding in words. ``readable``: dates dd/mm/yyyy and the reader's decimal mark,
        as a page shows it; without it, as the CLI and ``--json`` have always printed it."""
        reader = (lang or get_settings().language) if readable else None
        if all(type(value) in SCALARS for value in self.evidence.values()):
            # a report finding: the same words for every EPN with the same answers (each
            # value's type in the key: True and 1 are equal keys, not equal words)
            shown = tuple((k, type(v), v) for k, v in self.evidence.items())
            return _words(self.code, self.year, lang, reader, shown)
        return self._words(lang, reader)

    def _words(self, lang: str | None, reader: str | None) -> str:
        return t(f"finding.{self.code}", lang, year=self.year, **self.evidence_params(reader))

    def evidence_params(self, reader: str | None = None) -> dict:
        """The message's parameters; formatted for ``reader``'s language when given."""
        shown = (lambda v, k="": _readable(v, reader, k)) if reader else (lambda v, k="": v)
        params = {
            k: shown(v, k) for k, v in self.evidence.items() if not isinstance(v, list | dict)
        }
        weeks = self.evidence.get("weeks") or self.evidence.get("missing_weeks") or []
        params["count"] = len(weeks)
        params["week_list"] = ", ".join(
            shown(w["week_start"] if isinstance(w, dict) else w) for w in weeks[:5]
        ) + (" …" if len(weeks) > 5 else "")
        return params

    def to_dict(self, lang: str | None = None, *, readable: bool = False) -> dict:
        return {
            "epn_id": self.epn_id,
            "year": self.year,
            "code": self.code,
            "severity": self.severity,
            "message": self.message(lang, readable=readable),
            "evidence": self.evidence,
            "charter_version": self.charter_version,
        }


# evidence values that a message can be kept for (a list of weeks is not one)
SCALARS = frozenset({str, int, float, bool, type(None)})


@lru_cache(maxsize=1024)
def _words(code: str, year: int, lang: str | None, reader: str | None, shown: tuple) -> str:
    """A finding's message from its evidence's scalar values, kept: a national year has tens
    of thousands of report findings in a handful of different words."""
    evidence = {key: value for key, _, value in shown}
    return Finding("", year, code, "", evidence)._words(lang, reader)


def _readable(value: object, lang: str, key: str = "") -> object:
    """An evidence value as a reader writes it: an ISO date as dd/mm/yyyy, 15.0 as 15 and
    2.5 as 2,5 in French and Dutch, a repeated rule by its name; anything else unchanged."""
    if key == "repeated_code" and f"app.rule.{value}" in catalogue():
        return t(f"app.rule.{value}", lang)
    if (written := locale.readable_iso(value, lang)) is not None:
        return written
    if isinstance(value, float) and not isinstance(value, bool):
        return str(int(value)) if value.is_integer() else locale.decimal(value, lang, "g")
    return value
