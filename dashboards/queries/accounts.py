"""What the administrator's accounts page reads: the accounts and the EPNs to tie them to.

Changes go through ``services.accounts``.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboards.queries.warehouse import read_frame
from epn.principal import Principal
from services.access import require


def account_list(principal: Principal) -> pd.DataFrame:
    """username, display_name, email, role, epn_id, disabled, locked, created_at."""
    require(principal, "accounts.manage", what="accounts.list")
    return read_frame(
        """
        SELECT username, display_name, email, role, epn_id, disabled,
               coalesce(locked_until > ?, false) AS locked, created_at
        FROM app_user ORDER BY username
        """,
        [dt.datetime.now()],  # lock-outs are set in local time (warehouse.accounts)
    )


def epn_choices(principal: Principal) -> pd.DataFrame:
    """epn_id, name of every EPN of the registry, for tying an EPN user to its EPN."""
    require(principal, "accounts.manage", what="accounts.epn_choices")
    return read_frame("SELECT epn_id, name FROM registry_current ORDER BY epn_id")
