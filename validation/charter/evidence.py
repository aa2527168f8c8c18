"""What a report finding shows as evidence: the report's answers (the statistics rules'
evidence is built in ``week_checks``)."""

from __future__ import annotations

import math
import sys

from epn.records import plain

HOURS_COLUMN = {"opening_hours_min": "public_hours", "facilitator_presence": "facilitated_hours"}
MINIMUM = {"opening_hours_min": "min_public_hours", "facilitator_presence": "min_facilitated_hours"}
REPORT_FIELDS = {
    "qualified_facilitator": ("staff_rows", "qualified_facilitators"),
    "priority_public": ("participants", "priority_participants"),
    "nonprofit": ("nonprofit",),
    "cooperation": ("cooperation_actions",),
    "signage": ("label_sticker_displayed", "charter_displayed"),
    "fees_charged": ("fees",),
    "report_missing": ("deadline",),
    "report_late": ("deadline", "first_received_on"),
}


def report_evidence(code: str, row: dict, terms) -> dict:
    """The fields ``code`` shows from a report frame's row (a dict, or the previous
    engine's pandas row), with the report's upload when there is one."""
    evidence = {name: plain(row[name]) for name in REPORT_FIELDS[code]}
    if not _missing(row.get("upload_id")):
        evidence["upload_id"] = plain(row["upload_id"])
    return evidence


def _missing(value: object) -> bool:
    """None or NaN, or pandas' missing value where pandas is loaded (only a pandas row can
    hold one): the engine itself no longer loads pandas."""
    if value is None:
        return True
    pandas = sys.modules.get("pandas")
    if pandas is not None:
        return bool(pandas.isna(value))
    return isinstance(value, float) and math.isnan(value)
