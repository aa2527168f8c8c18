"""The charter rules (standard §5) as code, each beside its French description.

A rule says where the commitment is *not* met (``fails``) over one frame:
- ``week`` rules look at one row per EPN and week of the labelled period;
- ``report`` rules at one row per EPN labelled during the year, with its latest report.
``repeated_breach`` is derived from the other breaches by the engine.

The engine runs them inside DuckDB (``week_checks``, ``report_checks``: the same conditions as
Pandera checks compiled to SQL); ``fails`` is each rule on a pandas frame, as the previous
engine (the oracle in tests) runs it. pandas is not imported here: a frame brings it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from validation.charter.terms import CharterTerms

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class CharterRule:
    code: str
    severity: str  # breach | warning
    scope: str  # week | report
    description_fr: str
    fails: Callable[[pd.DataFrame, CharterTerms], pd.Series]
    tolerated: bool = False  # whether the terms' week tolerance applies


def _open(f: pd.DataFrame) -> pd.Series:
    return f["has_row"] & (f["status"] == "open")


def _below(values: pd.Series, minimum: float) -> pd.Series:
    return (values < minimum).fillna(True).astype(bool)  # an open week without hours fails


def _report(f: pd.DataFrame) -> pd.Series:
    return f["has_report"].astype(bool)


def _never(f: pd.DataFrame) -> pd.Series:
    import pandas as pd  # loaded already: ``f`` is a pandas frame

    return pd.Series(False, index=f.index)


RULES = (
    CharterRule(
        "opening_hours_min",
        "breach",
        "week",
        "Ouvert au public au moins 15 heures par semaine (seuil selon la version de la charte).",
        lambda f, t: _open(f) & _below(f["public_hours"], t.min_public_hours),
        tolerated=True,
    ),
    CharterRule(
        "facilitator_presence",
        "breach",
        "week",
        "Un animateur multimédia qualifié est présent pendant les heures d'ouverture minimales.",
        lambda f, t: _open(f) & _below(f["facilitated_hours"], t.min_facilitated_hours),
        tolerated=True,
    ),
    CharterRule(
        "statistics_incomplete",
        "breach",
        "week",
        "Chaque semaine de la période labellisée a sa ligne de statistiques.",
        lambda f, t: ~f["has_row"].astype(bool),
    ),
    CharterRule(
        "qualified_facilitator",
        "breach",
        "report",
        "L'équipe compte au moins un animateur qualifié.",
        lambda f, t: _report(f) & (f["qualified_facilitators"].fillna(0) == 0),
    ),
    CharterRule(
        "priority_public",
        "breach",
        "report",
        "Les activités touchent le public le plus éloigné du numérique.",
        lambda f, t: _report(f) & (f["priority_participants"].fillna(0) == 0),
    ),
    CharterRule(
        "nonprofit",
        "breach",
        "report",
        "L'EPN reste sans but lucratif.",
        lambda f, t: _report(f) & f["nonprofit"].eq(False),
    ),
    CharterRule(
        "cooperation",
        "breach",
        "report",
        "L'EPN coopère avec d'autres EPN ou partenaires.",
        lambda f, t: _report(f) & (f["cooperation_actions"].fillna(0) == 0),
    ),
    CharterRule(
        "signage",
        "breach",
        "report",
        "L'autocollant du label et la charte sont affichés.",
        lambda f, t: (
            _report(f) & (f["label_sticker_displayed"].eq(False) | f["charter_displayed"].eq(False))
        ),
    ),
    CharterRule(
        "report_missing",
        "breach",
        "report",
        "Le rapport annuel parvient à la Région au plus tard à l'échéance (31 mars par défaut).",
        lambda f, t: ~_report(f) & f["deadline_passed"].astype(bool),
    ),
    CharterRule(
        "report_late",
        "warning",
        "report",
        "Le premier rapport accepté est arrivé après l'échéance.",
        lambda f, t: _report(f) & (f["first_received_on"] > f["deadline"]).fillna(False),
    ),
    CharterRule(
        "fees_charged",
        "warning",
        "report",
        "Les services sont gratuits ou gratuits sous conditions.",
        lambda f, t: _report(f) & (f["fees"] == "paid").fillna(False),
    ),
)

REPEATED_BREACH = CharterRule(
    "repeated_breach",
    "breach",
    "history",
    "Un manquement constaté l'année précédente se répète (article 10).",
    lambda f, t: _never(f),
)

ALL_CODES = tuple(rule.code for rule in RULES) + (REPEATED_BREACH.code,)


def rules_of(scope: str) -> tuple[CharterRule, ...]:
    return tuple(rule for rule in RULES if rule.scope == scope)


def rule(code: str) -> CharterRule:
    return next(r for r in (*RULES, REPEATED_BREACH) if r.code == code)
