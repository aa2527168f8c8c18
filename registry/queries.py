"""Read side of the registry: the current state of each EPN, derived from its events."""

from __future__ import annotations

import duckdb

from epn.identifiers import normalize_epn_id
from epn.records import plain
from epn.standard import REGISTRY_IDENTITY

LIST_COLUMNS = (
    "epn_id",
    *REGISTRY_IDENTITY,
    "status",
    "status_since",
    "labelled_on",
    "withdrawn_on",
    "received_on",
)


def _records(cursor) -> list[dict]:
    names = [d[0] for d in cursor.description]
    return [{n: plain(v) for n, v in zip(names, row, strict=True)} for row in cursor.fetchall()]


def list_epns(con: duckdb.DuckDBPyConnection, status: str | None = None) -> list[dict]:
    where, params = ("WHERE status = ?", [status]) if status else ("", [])
    cursor = con.execute(
        f"SELECT {', '.join(LIST_COLUMNS)} FROM registry_current {where} ORDER BY epn_id", params
    )
    return _records(cursor)


def identity_of(con: duckdb.DuckDBPyConnection, epn_id: str) -> dict | None:
    epn_id = normalize_epn_id(epn_id)
    found = _records(con.execute("SELECT * FROM registry_identity WHERE epn_id = ?", [epn_id]))
    return found[0] if found else None


def epn_state(con: duckdb.DuckDBPyConnection, epn_id: str) -> dict | None:
    epn_id = normalize_epn_id(epn_id)
    found = _records(
        con.execute(
            f"SELECT {', '.join(LIST_COLUMNS)} FROM registry_current WHERE epn_id = ?", [epn_id]
        )
    )
    return found[0] if found else None


def document_record(con: duckdb.DuckDBPyConnection, epn_id: str, lang: str) -> dict | None:
    """The EPN's identity with its commune's name in ``lang``, to prefill printed documents."""
    identity = identity_of(con, epn_id)
    if identity is None:
        return None
    column = "name_nl" if lang == "nl" else "name_fr"  # English uses the French name
    row = con.execute(
        f"SELECT {column} FROM commune WHERE commune_nis = ?", [identity.get("commune_nis")]
    ).fetchone()
    return {**identity, "commune_name": row[0] if row else None}
