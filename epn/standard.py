"""The EPN reporting standard, version 1, as data: sheets, columns, types and ranges.

Readers, validators, the template writer and the docs all read this one declaration,
so a column is described once. Localized headers live in ``messages/fields.toml``
as ``header.<key>`` (French, Dutch, English).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    key: str
    type: str  # text | integer | decimal | date | yesno | code
    required: bool = False
    codes: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Column, ...]
    required: bool = True
    key_value: bool = False  # two columns key/value, one row per key
    unique_keys: tuple[str, ...] = field(default=())

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    @property
    def keys(self) -> list[str]:
        return [c.key for c in self.columns]


WEEKLY_COLUMNS = (
    Column("week_start", "date", required=True),
    Column("status", "code", required=True, codes=("open", "closed")),
    Column("closure_reason", "text"),
    Column("public_hours", "decimal", minimum=0, maximum=168),
    Column("facilitated_hours", "decimal", minimum=0),
    Column("visits", "integer", minimum=0),
    Column("unique_users", "integer", minimum=0),
    Column("new_users", "integer", minimum=0),
)

STATISTICS = Sheet(
    "statistics",
    (Column("epn_id", "text", required=True), *WEEKLY_COLUMNS),
    unique_keys=("epn_id", "week_start"),
)

FEES = ("free", "free_under_conditions", "paid")
ROLES = ("facilitator", "coordinator", "volunteer", "other")
FORMATS = ("individual", "collective")
ACTIVITY_KINDS = ("training", "info_session", "support", "free_access")
DOMAINS = (
    "e_administration",
    "job_search",
    "knowledge",
    "culture",
    "training",
    "citizen_participation",
    "basic_skills",
    "other",
)
AUDIENCE_CATEGORIES = {
    "age": ("0_17", "18_25", "26_44", "45_64", "65_plus", "unknown"),
    "gender": ("female", "male", "other", "unknown"),
    "status": ("student", "job_seeker", "employed", "retired", "other_inactive", "unknown"),
}
AUTHORITY_TYPES = (
    "regional_administration",
    "community_administration",
    "commune",
    "cpas",
    "local_body",
    "non_market",
)

REPORT_IDENTITY = Sheet(
    "epn",
    (
        Column("epn_id", "text", required=True),
        Column("year", "integer", required=True, minimum=2000, maximum=2100),
        Column("submitted_by", "text"),
        Column("contact_email", "text"),
        Column("workstations", "integer", required=True, minimum=0),
        Column("users_total", "integer", required=True, minimum=0),
        Column("nonprofit", "yesno", required=True),
        Column("fees", "code", required=True, codes=FEES),
        Column("label_sticker_displayed", "yesno", required=True),
        Column("charter_displayed", "yesno", required=True),
    ),
    key_value=True,
)

REPORT_SHEETS = (
    REPORT_IDENTITY,
    Sheet(
        "staff",
        (
            Column("staff_ref", "text", required=True),
            Column("role", "code", required=True, codes=ROLES),
            Column("qualified", "yesno", required=True),
            Column("qualification", "text"),
            Column("weekly_hours", "decimal", required=True, minimum=0, maximum=60),
        ),
    ),
    Sheet(
        "activities",
        (
            Column("activity_ref", "text", required=True),
            Column("title", "text", required=True),
            Column("format", "code", required=True, codes=FORMATS),
            Column("kind", "code", required=True, codes=ACTIVITY_KINDS),
            Column("domain", "code", required=True, codes=DOMAINS),
            Column("sessions", "integer", required=True, minimum=1),
            Column("hours", "decimal", required=True, minimum=0),
            Column("participants", "integer", required=True, minimum=0),
            Column("priority_participants", "integer", required=True, minimum=0),
        ),
        unique_keys=("activity_ref",),
    ),
    Sheet(
        "audience",
        (
            Column("dimension", "code", required=True, codes=tuple(AUDIENCE_CATEGORIES)),
            Column("category", "text", required=True),
            Column("users", "integer", required=True, minimum=0),
        ),
        unique_keys=("dimension", "category"),
    ),
    Sheet(
        "cooperation",
        (
            Column("partner", "text", required=True),
            Column("partner_epn_id", "text"),
            Column("action", "text", required=True),
            Column("date", "date"),
        ),
    ),
    Sheet("weekly", WEEKLY_COLUMNS, required=False, unique_keys=("week_start",)),
    Sheet(
        "narrative",
        (Column("highlights", "text"), Column("difficulties", "text"), Column("outlook", "text")),
        required=False,
        key_value=True,
    ),
)

REGISTRY = Sheet(
    "registry",
    (
        Column("epn_id", "text", required=True),
        Column("name", "text", required=True),
        Column("commune_nis", "integer", required=True, minimum=21001, maximum=21019),
        Column("address", "text"),
        Column("postcode", "integer", minimum=1000, maximum=1210),
        Column("authority_name", "text", required=True),
        Column("authority_type", "code", required=True, codes=AUTHORITY_TYPES),
        Column("labelled_on", "date"),
        Column("workstations", "integer", minimum=0),
        # extension of the standard: whom reminders go to, in which language
        Column("contact_email", "text"),
        Column("language", "code", codes=("fr", "nl", "en")),
    ),
    unique_keys=("epn_id",),
)
# What an application records about an EPN, and what it cannot go without.
# The labelling procedure's codes (command-line contract): how an application arrived,
# the documents that come with it, why a label is withdrawn.
CHANNELS = ("post", "email")
DOCUMENT_KINDS = ("decision", "identification", "evidence", "other")
WITHDRAWAL_REASONS = ("authority_request", "serious_breach", "repeated_breach")

REGISTRY_IDENTITY = tuple(k for k in REGISTRY.keys if k not in ("epn_id", "labelled_on"))
REGISTRY_REQUIRED = tuple(c.key for c in REGISTRY.columns if c.required)


def report_sheet(name: str) -> Sheet:
    return next(s for s in REPORT_SHEETS if s.name == name)
