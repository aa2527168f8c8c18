"""The pages' shared helpers that need no browser: escaping, numbers, evidence, labels."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd

from dashboards.ui import day, evidence_parts, label, number, plain_text


def test_plain_text_keeps_uploaded_markdown_inert():
    shown = plain_text("![x](http://evil.example/a.png) <b>**hi**</b> www.x.be a@b.c")
    assert "![" not in shown and "](" not in shown and "<b>" not in shown
    assert "://" not in shown and "www." not in shown
    assert shown.replace("\\", "").replace("\u200b", "") == (
        "![x](http://evil.example/a.png) <b>**hi**</b> www.x.be a@b.c"
    )


def test_plain_text_shows_missing_values_as_a_dash():
    assert plain_text(None) == plain_text(float("nan")) == "—"
    assert plain_text(12) == "12"


def test_numbers_use_the_readers_thousands_separator():
    assert number(39188, "fr") == "39\u202f188"
    assert number(39188, "nl") == "39.188"
    assert number(39188, "en") == "39,188"


def test_dates_as_belgian_readers_write_them():
    assert day(dt.date(2025, 3, 31), "fr") == day(dt.date(2025, 3, 31), "nl") == "31/03/2025"
    assert day(dt.date(2025, 3, 31), "en") == "31/03/2025"  # an ISO date is for machines


def test_labels_fall_back_to_the_code():
    assert label("app.rule", "signage", "en") == "Label and charter displayed"
    assert label("app.rule", "some_future_rule", "en") == "some_future_rule"


def test_week_evidence_becomes_items_and_a_week_table():
    evidence = {
        "weeks": [{"week_start": "2024-01-01", "public_hours": 10.0}],
        "minimum_hours": 15.0,
        "tolerance_weeks": 0,
    }
    items, weeks = evidence_parts(evidence, "fr")
    assert items.values.tolist() == [
        ["Minimum d'heures par semaine", "15"],
        ["Semaines tolérées", "0"],
    ]
    pd.testing.assert_frame_equal(
        weeks, pd.DataFrame({"week_start": ["01/01/2024"], "public_hours": ["10"]})
    )


def test_report_evidence_shows_booleans_and_rule_names():
    items, weeks = evidence_parts(
        {"label_sticker_displayed": True, "charter_displayed": False, "repeated_code": "signage"},
        "nl",
    )
    assert weeks is None
    assert items["value"].tolist() == ["✓", "✗", "Zichtbaarheid van label en charter"]


def test_missing_weeks_are_listed():
    _, weeks = evidence_parts({"missing_weeks": ["2024-01-01", "2024-01-08"]}, "en")
    assert weeks["week_start"].tolist() == ["01/01/2024", "08/01/2024"]


def test_evidence_is_shown_in_the_readers_formats_and_stored_unchanged():
    """Dates and decimals are formatted when shown; the finding's evidence keeps its ISO
    dates and plain numbers (what ``epn compliance --json`` prints)."""
    evidence = {
        "weeks": [{"week_start": "2024-01-01", "public_hours": 12.5}],
        "deadline": "2025-03-31",
        "first_received_on": None,
    }
    stored = json.dumps(evidence)
    items, weeks = evidence_parts(evidence, "nl")
    assert weeks.values.tolist() == [["01/01/2024", "12,5"]]
    assert items["value"].tolist() == ["31/03/2025", "—"]
    assert json.dumps(evidence) == stored


def test_a_finding_reads_in_the_readers_formats_on_a_page_only():
    """The page's message: dd/mm/yyyy, decimal comma, the rule's name; what the CLI and
    ``epn compliance --json`` print stays as it was (ISO dates, the code)."""
    from validation.charter.findings import Finding

    weeks = Finding(
        "EPN-0001",
        2024,
        "opening_hours_min",
        "breach",
        {"weeks": [{"week_start": "2024-01-01", "public_hours": 10.5}], "minimum_hours": 15.5},
    )
    assert weeks.message("fr", readable=True).endswith(
        "15,5 heures d'ouverture au public : 01/01/2024."
    )
    assert weeks.message("fr").endswith("15.5 heures d'ouverture au public : 2024-01-01.")
    assert weeks.to_dict("fr")["message"] == weeks.message("fr")
    repeated = Finding("EPN-0001", 2025, "repeated_breach", "breach", {"repeated_code": "signage"})
    assert label("app.rule", "signage", "nl") in repeated.message("nl", readable=True)
    assert "signage" in repeated.message("nl")
