"""Settings in one place: environment variables prefixed ``EPN_`` override the defaults.

Charter thresholds are not here: they are versioned data
in the warehouse (``epn charter``, seeded from ``validation/charter/charter_terms.toml``); a
simulation names its changes explicitly
(``epn compliance --tolerance-weeks``...). Single sign-on (OIDC through
``st.login``) is configured in ``.streamlit/secrets.toml``, not here.

A plain dataclass, not a settings framework: every ``epn`` command reads these before it
starts, and importing pydantic-settings alone cost it a sixth of a second.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path

ENV_PREFIX = "EPN_"


@dataclass(frozen=True)
class Settings:
    db: Path = Path("data") / "epn.duckdb"
    language: str = "fr"
    # Uploads are untrusted: caps applied before any parser sees a file.
    max_upload_bytes: int = 20 * 1024 * 1024
    max_uncompressed_bytes: int = 200 * 1024 * 1024
    max_compression_ratio: float = 200.0
    max_rows: int = 100_000
    max_columns: int = 200
    parse_timeout_seconds: float = 60.0
    parse_memory_bytes: int = 2 * 1024 * 1024 * 1024
    # A batch writes its checked files in groups (one statement per table per group), each
    # group holding at most this many files or typed rows. Each group write stalls the
    # parsers ahead (they wait for the parent): 100 annual reports a group, not 25, is a
    # tenth more reports a second; a group is still at most 200,000 rows in memory.
    write_group_files: int = 100
    write_group_rows: int = 200_000
    # Waiting for another process that holds the warehouse (DuckDB allows one writer).
    lock_wait_seconds: float = 30.0
    # Accounts: lock an account for a while after repeated failed logins.
    max_failed_logins: int = 5
    lockout_minutes: int = 15
    # Backups (``epn backup``): where dated copies go and how many of them are kept.
    backup_dir: Path = Path("data") / "backups"
    backup_keep: int = 14
    # Reminders to EPNs go out by e-mail through this SMTP server (``epn reminders --send``).
    smtp_host: str = "localhost"
    smtp_port: int = 25
    smtp_sender: str = "epn@localhost"
    smtp_starttls: bool = False
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_timeout_seconds: float = 10.0
    # How long a login lasts (reloads, bookmarks and new tabs included) before asking again.
    session_hours: int = 12

    @classmethod
    def from_environment(cls, environ: dict[str, str] | None = None) -> Settings:
        """The defaults, overridden by every ``EPN_*`` variable set (names case-insensitive)."""
        environ = os.environ if environ is None else environ
        by_name = {name.upper(): value for name, value in environ.items()}
        values = {}
        for setting in fields(cls):
            raw = by_name.get(ENV_PREFIX + setting.name.upper())
            if raw is not None:
                values[setting.name] = _parse(setting.name, setting.type, raw)
        return cls(**values)


class SettingsError(ValueError):
    """An ``EPN_*`` variable whose value does not read as its setting's type."""


# pydantic's wording, which these messages kept when the settings left pydantic-settings
_TYPE_WORDS = {
    "int": ("integer", "an integer"),
    "float": ("number", "a number"),
    "bool": ("boolean", "a boolean"),
}
_BOOLEANS = {"true": True, "1": True, "yes": True, "on": True}
_BOOLEANS |= {"false": False, "0": False, "no": False, "off": False}


def _parse(name: str, type_name: str, raw: str) -> object:
    text = raw.strip()
    try:
        if type_name == "int":
            return int(text)
        if type_name == "float":
            return float(text)
        if type_name == "bool":
            return _BOOLEANS[text.lower()]
    except (ValueError, KeyError):
        variable = ENV_PREFIX + name.upper()
        word, with_article = _TYPE_WORDS[type_name]
        raise SettingsError(
            f"1 validation error for Settings\n{name}\n  Input should be a valid {word}, "
            f"unable to parse string as {with_article} [type={type_name}_parsing, "
            f"input_value={raw!r}, input_type=str] (set {variable} right, or unset it)"
        ) from None
    return Path(text) if type_name == "Path" else raw


@cache
def get_settings() -> Settings:
    return Settings.from_environment()


def warehouse_path(db: Path | str | None = None) -> Path:
    """The warehouse file: ``db`` when given, else ``$EPN_DB``, else ``data/epn.duckdb``."""
    return Path(db) if db else Path(get_settings().db)
