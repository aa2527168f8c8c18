"""Demo accounts: one per role, with passwords everyone reading the README knows.

Only for the demo warehouse: ``demo-<role>`` passwords are public. Running it again changes
nothing (existing accounts are left as they are and reported with ``created: False``).
"""

from __future__ import annotations

from pathlib import Path

from epn.principal import ADMIN, COORDINATOR, COPIL, EPN_USER, REGION
from warehouse import accounts
from warehouse.db import connect, transaction

DEMO_ACCOUNTS = (
    # username, role, display name
    ("coordinator", COORDINATOR, "Coordination régionale (démo)"),
    ("copil", COPIL, "Comité de pilotage (démo)"),
    ("region", REGION, "Analyste de la Région (démo)"),
    ("admin", ADMIN, "Administrateur (démo)"),
)


def create_demo_accounts(db_path: Path | str) -> list[dict]:
    """One account per role (and an EPN user for the first labelled EPN), idempotent.

    Returns ``username, role, epn_id, password, created`` for each demo account.
    """
    with connect(db_path) as con, transaction(con):
        wanted = [(u, r, None, n) for u, r, n in DEMO_ACCOUNTS]
        epn_id = _first_labelled_epn(con)
        if epn_id:
            wanted.append((epn_id.lower(), EPN_USER, epn_id, f"{epn_id} (démo)"))
        return [_ensure(con, *account) for account in wanted]


def demo_password(role: str) -> str:
    return f"demo-{role.replace('_', '-')}"


def _ensure(con, username: str, role: str, epn_id: str | None, name: str) -> dict:
    exists = con.execute("SELECT 1 FROM app_user WHERE username = ?", [username]).fetchone()
    if not exists:
        accounts.add_user(con, username, role, epn_id, demo_password(role), name, by="demo")
    return {
        "username": username,
        "role": role,
        "epn_id": epn_id,
        "password": demo_password(role),
        "created": not exists,
    }


def _first_labelled_epn(con) -> str | None:
    row = con.execute(
        "SELECT epn_id FROM registry_current WHERE status = 'labelled' ORDER BY epn_id LIMIT 1"
    ).fetchone()
    return row[0] if row else None
