"""Reviews of charter findings and the exchange about them (tables of migration 0017).

A finding is named by its stable key in the findings mart (``FindingKey``): the EPN, the
year, the rule's code and, for a repeated breach, the code that repeats. Rows are only ever
added; the current review of a finding is its latest row. Writes go through
``services.finding_review``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

STATUSES = ("confirmed", "justified")
KEY_COLUMNS = "epn_id, year, code, repeated_code"


@dataclass(frozen=True)
class FindingKey:
    epn_id: str
    year: int
    code: str
    repeated_code: str = ""  # only a repeated breach names the code that repeats

    @classmethod
    def of(cls, finding) -> FindingKey:
        """The key of a ``validation.charter.findings.Finding``."""
        repeated = (finding.evidence or {}).get("repeated_code") or ""
        return cls(finding.epn_id, int(finding.year), finding.code, repeated)

    def params(self) -> list:
        return [self.epn_id, self.year, self.code, self.repeated_code]


def finding_exists(con: duckdb.DuckDBPyConnection, key: FindingKey) -> bool:
    return (
        con.execute(
            "SELECT 1 FROM mart_finding WHERE epn_id = ? AND year = ? AND code = ?"
            " AND coalesce(evidence ->> 'repeated_code', '') = ?",
            key.params(),
        ).fetchone()
        is not None
    )


def add_review(con, key: FindingKey, status: str, reason: str | None, by: str) -> int:
    return con.execute(
        f"INSERT INTO finding_review ({KEY_COLUMNS}, status, reason, reviewed_by)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING review_id",
        [*key.params(), status, reason, by],
    ).fetchone()[0]


def add_message(con, key: FindingKey, author: str, role: str, body: str) -> int:
    return con.execute(
        f"INSERT INTO finding_message ({KEY_COLUMNS}, author, author_role, body)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING message_id",
        [*key.params(), author, role, body],
    ).fetchone()[0]


def current_reviews(
    con, years: list[int], epn_ids: list[str] | None = None
) -> dict[FindingKey, dict]:
    """Key -> {status, reason, reviewed_on (date), by}: the latest review of each finding of
    ``years`` (of ``epn_ids`` when given) that was ever reviewed."""
    rows = con.execute(
        f"SELECT {KEY_COLUMNS}, status, reason, reviewed_at, reviewed_by"
        " FROM finding_review_current WHERE list_contains(?::INTEGER[], year)"
        " AND (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], epn_id))",
        [years, epn_ids, epn_ids],
    ).fetchall()
    return {
        FindingKey(*row[:4]): {
            "status": row[4],
            "reason": row[5],
            "reviewed_on": row[6].date(),
            "by": row[7],
        }
        for row in rows
    }


def justified_codes(con, epn_ids: list[str], year: int) -> dict[tuple[str, str], dict]:
    """(epn_id, code) -> the latest justified review {year, reason, by} that takes the
    repeat of ``code`` in ``year`` off the withdrawal candidates: the finding of ``code`` of
    ``year`` or of the year before, or the repeated breach of ``year`` itself."""
    rows = con.execute(
        "SELECT epn_id, CASE WHEN repeated_code <> '' THEN repeated_code ELSE code END AS rule,"
        " year, reason, reviewed_by FROM finding_review_current"
        " WHERE status = 'justified' AND list_contains(?::VARCHAR[], epn_id)"
        " AND ((repeated_code = '' AND year IN (? - 1, ?)) OR (repeated_code <> '' AND year = ?))"
        " ORDER BY review_id",
        [epn_ids, year, year, year],
    ).fetchall()
    return {(e, rule): {"year": y, "reason": r, "by": b} for e, rule, y, r, b in rows}


def thread(con, key: FindingKey) -> list[dict]:
    """The finding's reviews and messages, oldest first: {kind, happened_at, author, role,
    status, reason, body}."""
    rows = con.execute(
        "SELECT 'review' AS kind, reviewed_at AS happened_at, reviewed_by AS author,"
        " 'coordinator' AS role, status, reason, NULL AS body, review_id AS n FROM finding_review"
        " WHERE epn_id = ? AND year = ? AND code = ? AND repeated_code = ?"
        " UNION ALL SELECT 'message', written_at, author, author_role, NULL, NULL, body,"
        " message_id FROM finding_message"
        " WHERE epn_id = ? AND year = ? AND code = ? AND repeated_code = ?"
        " ORDER BY happened_at, kind DESC, n",
        key.params() * 2,
    ).fetchall()
    names = ("kind", "happened_at", "author", "role", "status", "reason", "body")
    return [dict(zip(names, row[:7], strict=True)) for row in rows]


def reviewed_on_iso(review: dict | None) -> dict | None:
    """A review as ``epn compliance --json`` prints it (its day as ISO text)."""
    if review is None:
        return None
    day: dt.date = review["reviewed_on"]
    return {**review, "reviewed_on": day.isoformat()}
