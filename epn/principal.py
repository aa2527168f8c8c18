"""Who is asking: the logged-in user's role and EPN, as the server knows them.

Every query and every write is scoped from a Principal built on the server from the users
table, never from anything a page, URL or widget sends.
"""

from __future__ import annotations

from dataclasses import dataclass

EPN_USER = "epn_user"
COORDINATOR = "coordinator"
COPIL = "copil"
REGION = "region"
ADMIN = "admin"
ROLES = (EPN_USER, COORDINATOR, COPIL, REGION, ADMIN)


@dataclass(frozen=True)
class Principal:
    username: str
    role: str
    epn_id: str | None = None  # only for EPN users: the one EPN they act for

    def sees_all_epns(self) -> bool:
        return self.role in (COORDINATOR, COPIL)

    def sees_epn(self, epn_id: str) -> bool:
        return self.sees_all_epns() or (self.role == EPN_USER and self.epn_id == epn_id)


SYSTEM = Principal("system", COORDINATOR)  # the CLI run by the coordinator's own scripts
