"""What each finding shows as evidence: the weeks and values, or the report's answers."""

from __future__ import annotations

import pandas as pd

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


def week_evidence(code: str, weeks: pd.DataFrame, terms) -> dict:
    if code == "statistics_incomplete":
        return {"missing_weeks": [plain(d) for d in weeks["week_start"]]}
    column = HOURS_COLUMN[code]
    return {
        "weeks": [
            {"week_start": plain(d), column: plain(v)}
            for d, v in zip(weeks["week_start"], weeks[column], strict=True)
        ],
        "minimum_hours": getattr(terms, MINIMUM[code]),
        "tolerance_weeks": terms.hours_tolerance_weeks,
    }


def report_evidence(code: str, row: pd.Series, terms) -> dict:
    evidence = {name: plain(row[name]) for name in REPORT_FIELDS[code]}
    if row.get("upload_id") is not None and not pd.isna(row.get("upload_id")):
        evidence["upload_id"] = plain(row["upload_id"])
    return evidence
