"""What the kiosks sent that the service kept aside for people to review (#15.7): the
conflicts (the same id with another body, a sale the checks refused, a coupon used twice,
…) with the document as it arrived, and the kiosks' journal chain breaks and sequence gaps.
Read through the sales service's own report (`central.sales.service`), which the bearer
API (`/v1/admin/reports/integrity`, `/v1/admin/conflicts`) also serves; a store manager
sees their own stores' kiosks only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import Connection, select

from central.admin.service import Account, Permission, Role, require
from central.kiosks.tables import kiosks
from central.sales import service as sales

LIMIT = 100


@dataclass(frozen=True, slots=True)
class Kiosk:
    kiosk_id: str
    name: str
    store_id: str


@dataclass(frozen=True, slots=True)
class Conflict:
    entity: str
    """What was sent: sale, journal, member, ledger, redemption."""
    entity_id: str
    kiosk: Kiosk
    reason: str
    received_at: str
    document: str
    """As the kiosk sent it, indented for reading."""


@dataclass(frozen=True, slots=True)
class ChainIssue:
    kiosk: Kiosk
    kind: str
    """chain_break, conflict (an entry re-sent with another body) or gap."""
    index: int
    detail: str
    detected_at: str


@dataclass(frozen=True, slots=True)
class Review:
    conflicts: tuple[Conflict, ...]
    issues: tuple[ChainIssue, ...]


def review(conn: Connection, who: Account, limit: int = LIMIT) -> Review:
    """The newest `limit` conflicts and the chain issues of the kiosks `who` may see."""
    require(who, Permission.REVIEW_INTEGRITY)
    stmt = select(kiosks.c.kiosk_id, kiosks.c.name, kiosks.c.store_id)
    if who.role is Role.STORE_MANAGER:
        stmt = stmt.where(kiosks.c.store_id.in_(sorted(who.stores)))
    known = {r.kiosk_id: Kiosk(r.kiosk_id, r.name, r.store_id) for r in conn.execute(stmt)}
    scope = None if who.role is not Role.STORE_MANAGER else sorted(known)

    def kiosk(kiosk_id: str) -> Kiosk:
        # A kiosk row outlives revocation; a missing one is shown by its id.
        return known.get(kiosk_id, Kiosk(kiosk_id, kiosk_id, ""))

    conflicts = tuple(
        Conflict(
            c["entity"],
            c["entity_id"],
            kiosk(c["kiosk_id"]),
            c["reason"],
            c["received_at"] or "",
            json.dumps(c["document"], ensure_ascii=False, indent=2, sort_keys=True),
        )
        for c in sales.list_conflicts(conn, limit, kiosk_ids=scope)
    )
    report = sales.integrity_report(conn, limit, kiosk_ids=scope)
    issues = tuple(
        ChainIssue(kiosk(i.kiosk_id), i.kind, i.index, i.detail, i.detected_at)
        for i in (*report.issues, *report.sequence_gaps)
    )
    return Review(conflicts, issues)
