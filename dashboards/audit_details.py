"""An audit entry's details as a reader reads them: « Étape : ratification · Événement n° : 57 »
rather than the stored ``{"step": "ratify", "event_id": 57}``.

The audit log keeps its JSON as written (keys, codes, ISO dates); only the page and the CSV a
reader downloads show it labelled, in the reader's language and formats.
"""

from __future__ import annotations

import json
import re

from epn import locale
from epn.i18n import catalogue, t

# Where a key's label is looked up, first found wins (the audit's own, then the columns and
# evidence items the app already names).
KEY_LABELS = ("app.audit.detail", "app.charter.col", "app.col", "app.evidence")
# Keys whose values are codes of a list the catalogue names.
VALUE_LABELS = {
    "role": "app.role",
    "kind": "app.kind",
    "measure": "app.coordinator.measure",
    "channel": "app.upload.channel",
    "step": "app.audit.step",
    "reason": "app.audit.reason",
    "method": "app.audit.method",
    "parts": "app.audit.part",
    "repaired": "app.audit.part",
}
FINGERPRINT = 12  # characters of a SHA-256 shown: enough to tell two files apart
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
COMMAND = re.compile(r"\s*\((?:--|epn )[^)]*\)")  # « (epn registry ratify) » is for the CLI


def detail_text(raw: object, lang: str) -> str:
    """The stored detail (JSON text or already a dict) as « label : value » pairs."""
    if raw is None or raw == "":
        return ""
    detail = raw
    if isinstance(raw, str):
        try:
            detail = json.loads(raw)
        except ValueError:
            return raw
    if not isinstance(detail, dict):
        return value_text("", detail, lang)
    colon = " : " if lang == "fr" else ": "
    return " · ".join(
        f"{key_label(key, lang)}{colon}{value_text(key, value, lang)}"
        for key, value in detail.items()
        if value not in (None, "", [], {})
    )


def key_label(key: str, lang: str) -> str:
    for prefix in KEY_LABELS:
        if f"{prefix}.{key}" in catalogue():
            return t(f"{prefix}.{key}", lang)
    return key.replace("_", " ")  # a key added later: still words, never snake_case


def value_text(key: str, value: object, lang: str) -> str:
    if isinstance(value, bool):
        return t("template.yes" if value else "template.no", lang)
    if isinstance(value, int | float):
        return locale.decimal(value, lang, "g") if value != int(value) else str(int(value))
    if isinstance(value, list | tuple):
        return ", ".join(value_text(key, item, lang) for item in value)
    if isinstance(value, dict):
        return ", ".join(
            f"{key_label(k, lang)} {value_text(k, v, lang)}"
            for k, v in value.items()
            if v not in (None, "")
        )
    text = str(value)
    if key == "code" and text in catalogue():
        # the refusal's message, without the parameters it had then and the CLI's commands
        message = COMMAND.sub("", catalogue()[text].get(lang, text))
        return PLACEHOLDER.sub("…", message)
    if key == "sha256":
        return text[:FINGERPRINT] + "…"
    if key in VALUE_LABELS and f"{VALUE_LABELS[key]}.{text}" in catalogue():
        return t(f"{VALUE_LABELS[key]}.{text}", lang)
    return locale.readable_iso(text, lang) or text
