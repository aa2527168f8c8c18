"""What motivates a withdrawal (art. 10): the charter findings behind it.

A withdrawal for breaches keeps, in its event, the EPN's breach findings of the year the
COPIL relied on; ``withdrawal_candidates`` lists the labelled EPNs whose breaches repeat
from one year to the next, the case article 10 names. A repeated code whose finding of
either year the coordination justified (``services.finding_review``) is left out, and
named in ``set_aside`` so that the page can say so.
"""

from __future__ import annotations

import datetime as dt

import duckdb

from validation.charter.rules import REPEATED_BREACH
from warehouse.finding_mart import findings_as_of
from warehouse.finding_review import justified_codes


def finding_record(finding, lang: str = "fr", *, readable: bool = False) -> dict:
    """A finding as the withdrawal keeps it: code, year, message (and the repeated code);
    ``readable``: the message as a page shows it (rule names, dd/mm/yyyy)."""
    message = finding.message(lang, readable=readable)
    record = {"code": finding.code, "year": finding.year, "message": message}
    if finding.evidence.get("repeated_code"):
        record["repeated_code"] = finding.evidence["repeated_code"]
    return record


def breach_findings(
    con: duckdb.DuckDBPyConnection,
    epn_id: str,
    year: int,
    as_of: dt.date | None = None,
    lang: str = "fr",
) -> list[dict]:
    """The EPN's breach findings of ``year`` as of ``as_of`` (warnings do not motivate)."""
    found = findings_as_of(con, year, as_of, [epn_id])
    return [finding_record(f, lang) for f in found if f.severity == "breach"]


def withdrawal_candidates(
    con: duckdb.DuckDBPyConnection,
    year: int,
    as_of: dt.date | None = None,
    lang: str = "fr",
    *,
    readable: bool = False,
) -> list[dict]:
    """Labelled EPNs with a ``repeated_breach`` finding in ``year``, with the codes repeated
    (those the coordination justified left out).

    [{epn_id, name, commune_nis, labelled_on, year, repeated_codes, findings}], by EPN id.
    """
    return withdrawal_review(con, year, as_of, lang, readable=readable)[0]


def withdrawal_review(
    con: duckdb.DuckDBPyConnection,
    year: int,
    as_of: dt.date | None = None,
    lang: str = "fr",
    *,
    readable: bool = False,
) -> tuple[list[dict], list[dict]]:
    """(candidates, set_aside): the candidates as ``withdrawal_candidates`` lists them, and
    the repeated codes left out because a finding of either year was justified:
    [{epn_id, name, repeated_code, year (of the justified finding), reason}]."""
    labelled = {
        row[0]: row[1:]
        for row in con.execute(
            "SELECT epn_id, name, commune_nis, labelled_on FROM registry_current"
            " WHERE status = 'labelled'"
        ).fetchall()
    }
    repeated: dict[str, list] = {}
    found = findings_as_of(con, year, as_of, code=REPEATED_BREACH.code) if labelled else []
    for finding in found:
        if finding.code == REPEATED_BREACH.code and finding.epn_id in labelled:
            repeated.setdefault(finding.epn_id, []).append(finding)
    justified = justified_codes(con, sorted(repeated), year)
    candidates, set_aside = [], []
    for epn_id, findings in sorted(repeated.items()):
        name, commune_nis, labelled_on = labelled[epn_id]
        kept = []
        for f in findings:
            code = f.evidence["repeated_code"]
            why = justified.get((epn_id, code))
            if why is None:
                kept.append(f)
            else:
                set_aside.append({"epn_id": epn_id, "name": name, "repeated_code": code, **why})
        if not kept:
            continue
        candidates.append(
            {
                "epn_id": epn_id,
                "name": name,
                "commune_nis": commune_nis,
                "labelled_on": labelled_on.isoformat() if labelled_on else None,
                "year": year,
                "repeated_codes": sorted({f.evidence["repeated_code"] for f in kept}),
                "findings": [finding_record(f, lang, readable=readable) for f in kept],
            }
        )
    return candidates, set_aside
