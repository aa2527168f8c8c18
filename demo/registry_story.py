"""The registry's history: a history import of long-labelled EPNs, then the procedure.

EPNs labelled before the software existed arrive as a registry CSV (standard §1); the
later ones go through every step of ``registry.service`` (application, recommendation,
courtesy visit, COPIL decision, signature) on realistic dates, so their history reads
like the real procedure. Withdrawals come last, after the statistics that justify them.

The procedures still open are the recent ones, in 2026. Nothing happens after the day the
demo runs: run earlier than their last step, they all move back by whole weeks (COPIL
still meets on Tuesdays) so that this step falls before that day.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb

from demo import catalogue as c
from demo.catalogue import Site
from epn.standard import REGISTRY
from registry import service
from registry.importer import import_registry
from validation.charter.engine import evaluate

REGISTRY_COLUMNS = REGISTRY.keys


@dataclass
class Step:
    on: dt.date
    run: Callable[[duckdb.DuckDBPyConnection], object]


@dataclass
class Entry:
    """One EPN of the demo: its site, identifier and registry dates."""

    site: Site
    epn_id: str = ""
    labelled_on: dt.date | None = None
    withdrawn_on: dt.date | None = None
    applied_on: dt.date | None = None
    steps: list[Step] = field(default_factory=list)

    def identity(self) -> dict:
        s = self.site
        return {
            "epn_id": self.epn_id,
            "name": s.name,
            "commune_nis": s.commune_nis,
            "address": s.address,
            "postcode": s.postcode,
            "authority_name": s.authority_name,
            "authority_type": s.authority_type,
            "workstations": s.workstations,
            # whom reminders go to, in the language the EPN works in
            "contact_email": f"epn.{self.epn_id.lower()}@example.be",
            "language": s.lang,
        }


def _day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    """A working day between two dates."""
    day = first + dt.timedelta(days=rng.randint(0, (last - first).days))
    return day - dt.timedelta(days=max(0, day.weekday() - 4))


IMPORTED = (c.LABELLED, c.LABELLED_2023, c.WITHDRAWN_REQUEST, c.WITHDRAWN_REPEATED)


def plan_registry(
    sites: tuple[Site, ...], rng: random.Random, today: dt.date | None = None
) -> list[Entry]:
    """Entries with identifiers given in labelling order, as the Region would have."""
    entries = [Entry(site) for site in sites]
    open_keys = {e.site.key for e in entries if e.site.story in OPEN}
    shift = open_procedures_shift(open_keys, today or dt.date.today())
    for entry in entries:
        story = entry.site.story
        if story == c.LABELLED_2023:
            entry.labelled_on = _day(rng, dt.date(2023, 2, 1), dt.date(2023, 10, 31))
        elif story in IMPORTED:
            entry.labelled_on = _day(rng, dt.date(2019, 3, 1), dt.date(2022, 12, 15))
    imported = sorted((e for e in entries if e.labelled_on), key=lambda e: e.labelled_on)
    procedure = [e for e in entries if not e.labelled_on]
    for entry in procedure:
        _plan_procedure(entry, shift if entry.site.story in OPEN else dt.timedelta(0))
    procedure.sort(key=lambda e: e.applied_on)
    for number, entry in enumerate(imported + procedure, start=1):
        entry.epn_id = f"EPN-{number:04d}"
    return entries


# The procedure's dates per story: (applied, [(step, date, note)...]); COPIL meets on Tuesdays.
_PROCEDURES = {
    "saint-josse-actiris": (
        dt.date(2023, 10, 16),
        "email",
        [
            (
                "recommend",
                dt.date(2023, 12, 5),
                True,
                "Dossier complet, 20 postes, animatrice qualifiée à temps plein.",
            ),
            (
                "visit",
                dt.date(2024, 1, 18),
                None,
                "Visite de courtoisie: espace lumineux, "
                "accessible aux personnes à mobilité réduite.",
            ),
            ("ratify", dt.date(2024, 2, 20), None, None),
            ("sign", dt.date(2024, 3, 11), None, None),
        ],
    ),
    "uccle-commune": (
        dt.date(2024, 2, 26),
        "post",
        [
            (
                "recommend",
                dt.date(2024, 5, 14),
                True,
                "Avis favorable, horaires élargis le samedi.",
            ),
            (
                "visit",
                dt.date(2024, 6, 4),
                None,
                "Visite avec l'échevine de l'inclusion numérique.",
            ),
            ("ratify", dt.date(2024, 6, 25), None, None),
            ("sign", dt.date(2024, 9, 16), None, None),
        ],
    ),
    "forest-saint-antoine": (
        dt.date(2024, 1, 22),
        "post",
        [
            (
                "visit",
                dt.date(2024, 2, 27),
                None,
                "Local partagé avec l'école de devoirs, 4 postes.",
            ),
            (
                "recommend",
                dt.date(2024, 3, 12),
                False,
                "Ouverture au public limitée à 8 heures par semaine, pas d'animateur qualifié.",
            ),
            (
                "reject",
                dt.date(2024, 4, 23),
                None,
                "Le COPIL suit l'avis défavorable; une nouvelle candidature reste possible.",
            ),
        ],
    ),
    "saint-gilles-porte-de-hal": (
        dt.date(2026, 2, 9),
        "email",
        [
            (
                "recommend",
                dt.date(2026, 4, 21),
                True,
                "Projet solide, partenariat avec la mission locale.",
            ),
            ("visit", dt.date(2026, 5, 12), None, None),
            ("ratify", dt.date(2026, 10, 20), None, None),
        ],
    ),
    "schaerbeek-helmet": (
        dt.date(2026, 5, 18),
        "post",
        [
            ("visit", dt.date(2026, 6, 30), None, "Visite: ateliers seniors le mercredi."),
            (
                "recommend",
                dt.date(2026, 9, 8),
                True,
                "Avis favorable sous réserve du recrutement d'un animateur qualifié.",
            ),
        ],
    ),
    "ixelles-flagey": (dt.date(2026, 10, 5), "email", []),
    "saint-josse-commune": (dt.date(2026, 11, 3), "post", []),
}


OPEN = (c.APPLIED, c.RECOMMENDED, c.RATIFIED)  # stories whose procedure is still going on


def open_procedures_shift(open_keys: set[str], today: dt.date) -> dt.timedelta:
    """How far back the open procedures move so that their last step precedes ``today``."""
    last = max(
        max([applied_on, *(step[1] for step in steps)])
        for key, (applied_on, _, steps) in _PROCEDURES.items()
        if key in open_keys
    )
    late_by = (last - today).days + 1  # days to move back so that it falls before today
    return -dt.timedelta(weeks=-(-late_by // 7)) if late_by > 0 else dt.timedelta(0)


def _plan_procedure(entry: Entry, shift: dt.timedelta) -> None:
    applied_on, channel, steps = _PROCEDURES[entry.site.key]
    applied_on += shift
    entry.applied_on = applied_on
    entry.steps.append(
        Step(
            applied_on,
            lambda con: service.apply(con, entry.identity(), applied_on, channel=channel),
        )
    )
    for name, on, favourable, note in steps:
        on += shift
        entry.steps.append(Step(on, _procedure_step(entry, name, on, favourable, note)))
        if name == "sign":
            entry.labelled_on = on


def _procedure_step(entry: Entry, name: str, on: dt.date, favourable, note):
    def run(con):
        epn_id = entry.epn_id
        if name == "recommend":
            return service.recommend(con, epn_id, favourable, on, note=note)
        return getattr(service, name)(con, epn_id, on, note=note)

    return run


def registry_csv(entries: list[Entry]) -> bytes:
    """The history import: every EPN labelled before the procedure was run in the software."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(REGISTRY_COLUMNS)
    for entry in sorted(entries, key=lambda e: e.epn_id):
        if entry.site.story in IMPORTED:
            row = {**entry.identity(), "labelled_on": entry.labelled_on.isoformat()}
            writer.writerow([row[key] for key in REGISTRY_COLUMNS])
    return buffer.getvalue().encode("utf-8")


def record_registry(con: duckdb.DuckDBPyConnection, entries: list[Entry], csv_data: bytes) -> dict:
    """Imports the history file, then runs the procedure's steps in date order."""
    result = import_registry(con, csv_data, user="demo")
    steps = sorted((s for e in entries for s in e.steps), key=lambda s: s.on)
    for step in steps:
        step.run(con)
    return result


# Withdrawals: the date and the reason, decided once the statistics were in.
WITHDRAWALS = {
    c.WITHDRAWN_REQUEST: (
        dt.date(2024, 9, 30),
        "authority_request",
        "Fin du subside: l'asbl arrête son activité d'espace public numérique.",
    ),
    c.WITHDRAWN_REPEATED: (
        dt.date(2025, 3, 18),
        "repeated_breach",
        "Heures d'ouverture sous le minimum en 2023 et en 2024 (article 10).",
    ),
}


def plan_withdrawals(entries: list[Entry]) -> None:
    for entry in entries:
        if entry.site.story in WITHDRAWALS:
            entry.withdrawn_on = WITHDRAWALS[entry.site.story][0]


def record_withdrawals(con: duckdb.DuckDBPyConnection, entries: list[Entry]) -> None:
    """The COPIL withdraws labels, a repeated breach with the findings it relied on."""
    for entry in entries:
        if entry.site.story not in WITHDRAWALS:
            continue
        on, reason, note = WITHDRAWALS[entry.site.story]
        findings = []
        if reason == "repeated_breach":
            found = evaluate(con, on.year - 1, on, epn_ids=[entry.epn_id])
            findings = [f.to_dict("fr") for f in found if f.code == "repeated_breach"]
        service.withdraw(con, entry.epn_id, on, reason, note=note, user="demo", findings=findings)
