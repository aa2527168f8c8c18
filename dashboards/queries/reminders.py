"""What the reminders page reads: the outbox, newest first (the coordinator's only)."""

from __future__ import annotations

import pandas as pd

from dashboards.queries.warehouse import read_frame
from epn.principal import COORDINATOR, Principal
from services.access import require_role

OUTBOX_ROWS = 200


def outbox(principal: Principal) -> pd.DataFrame:
    """recorded_at, epn_id, recipient, language, subject, outcome, detail."""
    require_role(principal, COORDINATOR, what="reminders.outbox")
    return read_frame(
        "SELECT recorded_at, epn_id, recipient, language, subject, outcome, detail"
        f" FROM reminder_outbox ORDER BY message_id DESC LIMIT {OUTBOX_ROWS}"
    )
