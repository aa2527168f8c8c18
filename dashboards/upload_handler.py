"""Files uploaded through the app go to the same pipeline as ``epn ingest``.

The page renders an :class:`UploadOutcome`; whatever goes wrong becomes a message in the
user's language, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

import pandas as pd

from dashboards.queries import upload_weeks
from epn.errors import EpnError
from epn.i18n import t
from epn.principal import Principal
from epn.settings import warehouse_path

log = logging.getLogger(__name__)

ERROR_COLUMNS = ("sheet", "row", "column", "cell", "value", "message")
FINDING_COLUMNS = ("epn_id", "code", "severity", "message")


@dataclass
class UploadOutcome:
    status: str  # accepted | rejected | duplicate | failed (the file could not be processed)
    dry_run: bool = False
    kind: str | None = None
    epn_ids: list[str] = field(default_factory=list)
    year: int | None = None
    weeks: dict | None = None  # weeks, first_week, last_week when known
    errors: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=ERROR_COLUMNS))
    findings: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=FINDING_COLUMNS))
    failure: str | None = None


def handle_upload(
    principal: Principal,
    filename: str,
    data: bytes,
    dry_run: bool,
    lang: str,
    receipt: tuple[dt.date, str, str] | None = None,
) -> UploadOutcome:
    """Ingests one uploaded file (or only checks it when ``dry_run``) for ``principal``.

    The file is received today by the server's clock; ``receipt`` (day, channel, note) is the
    coordinator's record of an earlier receipt by post or email.
    """
    try:
        return _ingest(principal, filename, data, dry_run, lang, receipt)
    except EpnError as error:
        return UploadOutcome("failed", dry_run, failure=error.message(lang))
    except Exception as error:  # a traceback shown to a user is a bug: log it, say it plainly
        log.exception("upload of %s failed", filename)
        detail = f"{type(error).__name__}: {error}"
        return UploadOutcome("failed", dry_run, failure=t("internal_error", lang, detail=detail))


def _ingest(principal, filename, data, dry_run, lang, receipt) -> UploadOutcome:
    from services.uploads import Receipt, Upload, submit  # heavy: loaded on the first upload

    earlier = Receipt(*receipt) if receipt else None
    upload = Upload(filename, data, dt.date.today(), principal.username, earlier)
    result = submit(principal, [upload], db=warehouse_path(), dry_run=dry_run, lang=lang)[0]
    outcome = outcome_of(result, dry_run)
    if outcome.weeks is None and not dry_run and result["status"] != "rejected":
        outcome.weeks = _stored_weeks(principal, upload.sha256)
    return outcome


def outcome_of(result: dict, dry_run: bool) -> UploadOutcome:
    """The pipeline's outcome dict as the page shows it."""
    errors = pd.DataFrame(result["errors"])
    findings = pd.DataFrame(result["findings"])
    return UploadOutcome(
        status=result["status"],
        dry_run=dry_run,
        kind=result["kind"],
        epn_ids=list(result["epn_ids"]),
        year=result["year"],
        weeks=result.get("weeks"),
        # Row numbers stay integers even when a problem (a missing column) has none.
        errors=errors.reindex(columns=list(ERROR_COLUMNS)).astype({"row": "Int64"}),
        findings=findings.reindex(columns=list(FINDING_COLUMNS)),
    )


def _stored_weeks(principal: Principal, sha256: str) -> dict | None:
    row = upload_weeks(principal, sha256).iloc[0]
    if not row["weeks"]:
        return None
    return {
        "weeks": int(row["weeks"]),
        "first_week": row["first_week"].date(),
        "last_week": row["last_week"].date(),
    }
