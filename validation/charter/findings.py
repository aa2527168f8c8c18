"""A charter finding: code, EPN, year, severity, a human message and the evidence."""

from __future__ import annotations

from dataclasses import dataclass, field

from epn.i18n import t


@dataclass(frozen=True)
class Finding:
    epn_id: str
    year: int
    code: str
    severity: str
    evidence: dict = field(default_factory=dict)
    charter_version: int | None = None  # the charter version the year was judged by

    def message(self, lang: str | None = None) -> str:
        return t(f"finding.{self.code}", lang, year=self.year, **self.evidence_params())

    def evidence_params(self) -> dict:
        params = {k: v for k, v in self.evidence.items() if not isinstance(v, list | dict)}
        weeks = self.evidence.get("weeks") or self.evidence.get("missing_weeks") or []
        params["count"] = len(weeks)
        params["week_list"] = ", ".join(
            w["week_start"] if isinstance(w, dict) else w for w in weeks[:5]
        ) + (" …" if len(weeks) > 5 else "")
        return params

    def to_dict(self, lang: str | None = None) -> dict:
        return {
            "epn_id": self.epn_id,
            "year": self.year,
            "code": self.code,
            "severity": self.severity,
            "message": self.message(lang),
            "evidence": self.evidence,
            "charter_version": self.charter_version,
        }
