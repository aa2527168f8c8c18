"""Settings in one place: environment variables prefixed ``EPN_`` override the defaults.

Charter thresholds are not here: they are versioned data
(``validation/charter/charter_terms.toml``); a simulation names its changes explicitly
(``epn compliance --tolerance-weeks``...). Single sign-on (OIDC through
``st.login``) is configured in ``.streamlit/secrets.toml``, not here.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="EPN_", extra="ignore")

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
    # group holding at most this many files or typed rows.
    write_group_files: int = 25
    write_group_rows: int = 200_000
    # Waiting for another process that holds the warehouse (DuckDB allows one writer).
    lock_wait_seconds: float = 30.0
    # Accounts: lock an account for a while after repeated failed logins.
    max_failed_logins: int = 5
    lockout_minutes: int = 15
    # How long a login lasts (reloads, bookmarks and new tabs included) before asking again.
    session_hours: int = 12


@cache
def get_settings() -> Settings:
    return Settings()


def warehouse_path(db: Path | str | None = None) -> Path:
    """The warehouse file: ``db`` when given, else ``$EPN_DB``, else ``data/epn.duckdb``."""
    return Path(db) if db else Path(get_settings().db)
