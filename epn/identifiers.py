"""The EPN identifier: one form and one pattern everywhere (registry, files, CLI, app).

The standard leaves the identifier to the Region (``EPN-0042`` in its examples), so the
pattern is broad but closed: letters, digits and the separators ``-``, ``.`` and ``_``,
starting with a letter or a digit, at most 40 characters. Every identifier is normalised
first (spaces around it dropped, upper case), so that ``epn-0001`` and ``EPN-0001`` are one
EPN and an empty identifier, a space, a line break or a formula never become one.
"""

from __future__ import annotations

import re

from epn.errors import EpnError, UsageError

EPN_ID_PATTERN = re.compile(r"[A-Z0-9][A-Z0-9._-]{0,39}")
EPN_ID_EXAMPLE = "EPN-0042"


def normalize_epn_id(value: object) -> str:
    """``value`` as an identifier is compared and stored: trimmed, in upper case."""
    return str(value).strip().upper() if value is not None else ""


def is_epn_id(value: str) -> bool:
    """Whether ``value`` (already normalised) follows the pattern."""
    return EPN_ID_PATTERN.fullmatch(value) is not None


def checked_epn_id(value: object, *, usage: bool = False) -> str:
    """The normalised identifier; ``EpnError("bad_epn_id")`` (a ``UsageError`` when
    ``usage``: a command-line argument) when it does not follow the pattern."""
    normalized = normalize_epn_id(value)
    if not is_epn_id(normalized):
        error = UsageError if usage else EpnError
        raise error("bad_epn_id", value=repr(str(value)), example=EPN_ID_EXAMPLE)
    return normalized
