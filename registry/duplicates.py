"""Near-duplicate applications: the same EPN registered twice under two ids.

An application is compared with every EPN already in the registry, whatever its status
(a re-application after a rejection is worth knowing about too). A match is only a
warning for the coordinator: the application is recorded all the same.
"""

from __future__ import annotations

import re
import unicodedata

import duckdb
from rapidfuzz import fuzz

NAME_THRESHOLD = 85  # rapidfuzz token_sort_ratio, 0-100, on folded names
# Words every EPN name may carry; they say nothing about which EPN it is.
GENERIC_PHRASES = (
    "espaces publics numeriques",
    "espace public numerique",
    "openbare computerruimtes",
    "openbare computerruimte",
    "public digital space",
    "a s b l",
    "v z w",
)
GENERIC_WORDS = frozenset(
    {
        "epn",
        "ocr",
        "asbl",
        "vzw",
        # function words, which only make two long names look alike
        "de",
        "du",
        "des",
        "la",
        "le",
        "les",
        "l",
        "d",
        "et",
        "a",
        "au",
        "aux",
        "het",
        "van",
        "der",
        "den",
        "en",
        "te",
        "in",
        "the",
        "of",
        "and",
    }
)
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def fold(text: str | None) -> str:
    """Lower case, no accents, single spaces: "Rue de l'Église" → "rue de l eglise"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _NOT_ALNUM.sub(" ", plain.casefold()).strip()


def name_key(name: str | None) -> str:
    """The folded name without its generic words; "" when nothing distinctive is left."""
    folded = f" {fold(name)} "
    for phrase in GENERIC_PHRASES:
        folded = folded.replace(f" {phrase} ", " ")
    return " ".join(word for word in folded.split() if word not in GENERIC_WORDS)


def name_score(a: str | None, b: str | None) -> float:
    key_a, key_b = name_key(a), name_key(b)
    if not key_a or not key_b:
        return 0.0
    return round(fuzz.token_sort_ratio(key_a, key_b), 1)


def possible_duplicates(con: duckdb.DuckDBPyConnection, identity: dict) -> list[dict]:
    """EPNs of the registry that look like ``identity``: [{epn_id, name, score, reason}].

    ``reason`` is ``name`` (name score ≥ NAME_THRESHOLD), ``address`` (same folded address
    in the same commune) or ``name_and_address``; ``score`` is the name score either way.
    """
    rows = con.execute(
        "SELECT epn_id, name, commune_nis, address FROM registry_identity"
        " WHERE epn_id <> ? ORDER BY epn_id",
        [identity.get("epn_id") or ""],
    ).fetchall()
    address = fold(identity.get("address"))
    found = []
    for epn_id, name, commune_nis, other_address in rows:
        score = name_score(identity.get("name"), name)
        similar_name = score >= NAME_THRESHOLD
        same_address = (
            bool(address)
            and address == fold(other_address)
            and (str(commune_nis) == str(identity.get("commune_nis")))
        )
        if similar_name or same_address:
            reason = (
                "name_and_address"
                if similar_name and same_address
                else ("name" if similar_name else "address")
            )
            found.append({"epn_id": epn_id, "name": name, "score": score, "reason": reason})
    return sorted(found, key=lambda d: (-d["score"], d["epn_id"]))
