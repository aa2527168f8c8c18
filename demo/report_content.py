"""What an EPN writes in its annual report (standard §2), consistent with its weeks.

Users, activities and audience follow from the year's statistics; staff, cooperation and
the narrative are drawn from plausible Brussels practice. An ``issue`` makes one charter
commitment fail on purpose (see ``demo.reports.REPORT_ISSUES``).
"""

from __future__ import annotations

import datetime as dt
import random

from demo.registry_story import Entry
from epn.standard import AUDIENCE_CATEGORIES

FIRST_NAMES = (
    "Sarah",
    "Mohamed",
    "Julie",
    "Kevin",
    "Fatima",
    "Thomas",
    "Nadia",
    "Pieter",
    "Aïcha",
    "Marc",
    "Leïla",
    "Sofie",
    "Youssef",
    "Camille",
    "Ana",
    "Bram",
)
LAST_NAMES = (
    "Janssens",
    "El Amrani",
    "Dubois",
    "Peeters",
    "Benali",
    "Lambert",
    "Haddad",
    "De Smet",
    "Diallo",
    "Vandenberghe",
    "Ouali",
    "Claes",
    "Kaya",
    "Mertens",
)
QUALIFICATIONS = {
    "fr": (
        "Formation d'animateur multimédia (CF2m)",
        "Bachelier en informatique de gestion",
        "Animatrice EPN certifiée (Interface3)",
        "Formation d'animateur multimédia (Bruxelles Formation)",
    ),
    "nl": (
        "Opleiding multimediabegeleider (Bruxelles Formation)",
        "Bachelor toegepaste informatica",
        "Digitale coach (Digipunt-opleiding)",
    ),
}
# (title fr, title nl, format, kind, domain)
ACTIVITIES = (
    ("Initiation à l'ordinateur", "Computerinitiatie", "collective", "training", "basic_skills"),
    (
        "Permanence e-administration (MyMinfin, Irisbox)",
        "Permanentie e-overheid",
        "individual",
        "support",
        "e_administration",
    ),
    (
        "Atelier recherche d'emploi en ligne",
        "Online werk zoeken",
        "collective",
        "training",
        "job_search",
    ),
    (
        "Accès libre accompagné",
        "Vrije toegang met begeleiding",
        "individual",
        "free_access",
        "other",
    ),
    (
        "Smartphone et tablette pour seniors",
        "Smartphone en tablet voor senioren",
        "collective",
        "training",
        "basic_skills",
    ),
    (
        "itsme, eID et CSAM: se connecter aux services publics",
        "itsme, eID en CSAM",
        "collective",
        "info_session",
        "e_administration",
    ),
    (
        "Arnaques en ligne: les reconnaître",
        "Online oplichting herkennen",
        "collective",
        "info_session",
        "knowledge",
    ),
    (
        "Aide au CV et à la lettre de motivation",
        "Hulp bij cv en motivatiebrief",
        "individual",
        "support",
        "job_search",
    ),
    (
        "Traitement de texte et tableur",
        "Tekstverwerking en rekenblad",
        "collective",
        "training",
        "training",
    ),
    (
        "Découverte de l'intelligence artificielle",
        "Kennismaking met AI",
        "collective",
        "info_session",
        "knowledge",
    ),
    ("Photo numérique et retouche", "Digitale fotografie", "collective", "training", "culture"),
    (
        "Budget participatif: voter en ligne",
        "Burgerbegroting: online stemmen",
        "collective",
        "info_session",
        "citizen_participation",
    ),
)
PARTNERS = (
    "Lire et Écrire Bruxelles",
    "Actiris",
    "CABAN (Collectif des acteurs bruxellois de l'accessibilité numérique)",
    "Maison de l'emploi",
    "Service seniors de la commune",
    "École de promotion sociale",
)
ACTIONS = (
    "Orientation de demandeurs d'emploi vers nos ateliers",
    "Échange de pratiques entre animateurs",
    "Atelier commun pendant la Semaine du numérique",
    "Accueil d'un groupe d'alphabétisation",
    "Réunion du réseau des EPN bruxellois",
    "Prêt de matériel pour une formation",
)
NARRATIVE = {
    "highlights": (
        "Forte demande d'aide pour les démarches en ligne (itsme, MyMinfin).",
        "Nouveau cycle d'initiation pour les seniors, complet toute l'année.",
        "Partenariat renforcé avec la mission locale pour la recherche d'emploi.",
    ),
    "difficulties": (
        "Postes vieillissants, remplacement prévu.",
        "Difficile de recruter un animateur qualifié.",
        "Connexion internet instable pendant plusieurs semaines.",
    ),
    "outlook": (
        "Ouvrir un créneau le samedi matin.",
        "Renouveler la moitié des postes.",
        "Former deux bénévoles à l'accueil des publics éloignés du numérique.",
    ),
}


def person(rng: random.Random) -> tuple[str, str]:
    """A full name and the initials used as pseudonym in the staff sheet."""
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    return f"{first} {last}", f"{first[0]}.{''.join(w[0] for w in last.split())}."


def users_total(rows: list[dict]) -> int:
    """Distinct users over the year: the year's newcomers plus a returning core."""
    opened = [r for r in rows if r["status"] == "open"]
    if not opened:
        return 0
    core = sum(r["unique_users"] for r in opened) / len(opened) * 1.5
    return max(
        max(r["unique_users"] for r in opened), round(sum(r["new_users"] for r in opened) + core)
    )


def split(total: int, weights: dict[str, float], rng: random.Random) -> dict[str, int]:
    """``total`` shared by jittered weights; largest remainders keep the sum exact."""
    shares = {k: w * rng.uniform(0.8, 1.2) for k, w in weights.items()}
    scale = total / sum(shares.values())
    raw = {k: v * scale for k, v in shares.items()}
    counts = {k: int(v) for k, v in raw.items()}
    for k in sorted(raw, key=lambda k: raw[k] - counts[k], reverse=True)[
        : total - sum(counts.values())
    ]:
        counts[k] += 1
    return counts


AUDIENCE_WEIGHTS = {
    "age": (0.04, 0.1, 0.24, 0.3, 0.28, 0.04),
    "gender": (0.56, 0.42, 0.01, 0.01),
    "status": (0.06, 0.3, 0.14, 0.3, 0.17, 0.03),
}


def audience(total: int, rng: random.Random) -> dict[tuple[str, str], int]:
    counts = {}
    for dimension, categories in AUDIENCE_CATEGORIES.items():
        weights = dict(zip(categories, AUDIENCE_WEIGHTS[dimension], strict=True))
        counts.update({(dimension, k): v for k, v in split(total, weights, rng).items()})
    return counts


def staff(lang: str, unqualified: bool, rng: random.Random) -> list[dict]:
    yes, no = ("ja", "nee") if lang == "nl" else ("oui", "non")
    rows = []
    for _ in range(1 if unqualified else rng.choice((1, 1, 2))):
        rows.append(
            {
                "staff_ref": person(rng)[1],
                "role": "facilitator",
                "qualified": no if unqualified else yes,
                "qualification": None if unqualified else rng.choice(QUALIFICATIONS[lang]),
                "weekly_hours": rng.choice((19, 24, 30.4, 38)),
            }
        )
    rows.append(
        {
            "staff_ref": person(rng)[1],
            "role": "coordinator",
            "qualified": no,
            "weekly_hours": rng.choice((8, 10, 12, 19)),
        }
    )
    for _ in range(rng.randint(0, 2)):
        rows.append(
            {
                "staff_ref": person(rng)[1],
                "role": "volunteer",
                "qualified": no,
                "weekly_hours": rng.choice((3, 4, 6, 8)),
            }
        )
    return rows


def activities(
    rows: list[dict], users: int, lang: str, no_priority: bool, rng: random.Random
) -> list[dict]:
    opened = [r for r in rows if r["status"] == "open"]
    chosen = [
        ACTIVITIES[3],
        *rng.sample([a for a in ACTIVITIES if a[3] != "free_access"], rng.randint(3, 7)),
    ]
    out = []
    for number, (title_fr, title_nl, fmt, kind, domain) in enumerate(chosen, start=1):
        if kind == "free_access":
            sessions, hours = len(opened), sum(r["public_hours"] for r in opened)
            participants = round(users * rng.uniform(0.5, 0.8))
        elif fmt == "individual":
            sessions = rng.randint(40, 260)
            hours = sessions * rng.choice((0.5, 0.75, 1))
            participants = round(sessions * rng.uniform(0.4, 0.8))
        else:
            sessions = rng.randint(2, 8) if kind == "info_session" else rng.randint(6, 24)
            hours = sessions * rng.choice((1.5, 2, 2.5, 3))
            participants = rng.randint(8, 60)
        priority = 0 if no_priority else round(participants * rng.uniform(0.35, 0.85))
        out.append(
            {
                "activity_ref": f"A{number:02d}",
                "title": title_nl if lang == "nl" else title_fr,
                "format": fmt,
                "kind": kind,
                "domain": domain,
                "sessions": max(1, sessions),
                "hours": max(0.5, hours),
                "participants": participants,
                "priority_participants": priority,
            }
        )
    return out


def cooperation(entry: Entry, year: int, peers: list[Entry], rng: random.Random) -> list[dict]:
    """One to four actions, often with another labelled EPN of the Region."""
    out = []
    for _ in range(rng.randint(1, 4)):
        day = rng.randint(1, 360)
        if peers and rng.random() < 0.5:
            peer = rng.choice(peers)
            partner, partner_id = peer.site.name, peer.epn_id
        else:
            partner, partner_id = rng.choice(PARTNERS), None
        out.append(
            {
                "partner": partner,
                "partner_epn_id": partner_id,
                "action": rng.choice(ACTIONS),
                "date": dt.date(year, 1, 1) + dt.timedelta(days=day - 1),
            }
        )
    return out


def narrative(rng: random.Random) -> dict[str, str]:
    return {key: rng.choice(texts) for key, texts in NARRATIVE.items()}
