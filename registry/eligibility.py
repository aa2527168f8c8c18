"""Who may apply for the label (art. 4): the organising authorities, as data.

Every authority type of the reporting standard (section 1) is eligible; each keeps the
point of article 4 it comes from, so a change of the decree is a change of this table.
"""

from __future__ import annotations

from dataclasses import dataclass

from epn.errors import StepRefused


@dataclass(frozen=True)
class EligibleAuthority:
    code: str  # as in epn.standard.AUTHORITY_TYPES
    article: str  # where article 4 names it


ELIGIBLE_AUTHORITIES = (
    EligibleAuthority("regional_administration", "art. 4, 1°"),
    EligibleAuthority("community_administration", "art. 4, 2°"),
    EligibleAuthority("commune", "art. 4, 3°"),
    EligibleAuthority("cpas", "art. 4, 4°"),
    EligibleAuthority("local_body", "art. 4, 5°"),
    EligibleAuthority("non_market", "art. 4, 6°"),
)
ELIGIBLE_CODES = tuple(authority.code for authority in ELIGIBLE_AUTHORITIES)


def is_eligible(authority_type: str | None) -> bool:
    return authority_type in ELIGIBLE_CODES


def check_eligible(epn_id: str, authority_type: str | None) -> None:
    """Refuses an application whose organising authority article 4 does not name."""
    if not is_eligible(authority_type):
        raise StepRefused(
            "authority_not_eligible",
            epn_id=epn_id,
            value=authority_type,
            eligible=", ".join(ELIGIBLE_CODES),
        )
