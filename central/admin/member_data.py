"""A member's data in the console: find by member code or phone, see the tier, the points
ledger and the wallet, export everything held (JSON) and erase on request, each export
and erasure audited without the personal data itself.

The work on the data is the loyalty feature's (`central.loyalty.members.find`, `.export`,
`.erase`); this module adds who may do it and the audit entry, in the same transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from central.admin.service import Actor, record
from central.errors import NotFound
from central.keys import member_phone_key
from central.loyalty import members as loyalty
from central.loyalty.tables import coupon_uses, member_aliases, members, wallet
from sync.loyalty_protocol import LedgerLine


@dataclass(frozen=True, slots=True)
class WalletRow:
    code: str
    coupon_id: str
    campaign_id: str
    used: bool


@dataclass(frozen=True, slots=True)
class MemberView:
    member_id: str
    member_code: str
    tier: str
    points: int
    signed_up_at: str
    store_id: str
    marketing: bool
    erased: bool
    merged_ids: tuple[str, ...]
    ledger: tuple[LedgerLine, ...]
    wallet: tuple[WalletRow, ...]


def find(conn: Connection, secret: bytes, text: str) -> str:
    """The member id for a member code or a phone number (hashed, never kept)."""
    return loyalty.find(conn, member_phone_key(secret), text)


def settle(conn: Connection, now_ms: int) -> None:
    """Merges of members signed up twice while offline, settled before a member is shown."""
    loyalty.resolve_merges(conn, now_ms)


def view(conn: Connection, member_id: str) -> MemberView:
    """What the member's page shows; reads only (`settle` first)."""
    ledger = loyalty.ledger_of(conn, member_id)
    row = conn.execute(select(members).where(members.c.member_id == ledger.member_id)).first()
    if row is None:
        raise NotFound(f"no member {member_id}", reason="no_member")
    aliases = select(member_aliases.c.member_id).where(
        member_aliases.c.canonical_id == ledger.member_id
    )
    ids = [ledger.member_id, *sorted(conn.execute(aliases).scalars())]
    entries = conn.execute(
        select(wallet).where(wallet.c.member_id.in_(ids)).order_by(wallet.c.issued_at)
    ).all()
    codes = [w.code for w in entries]
    used = set(
        conn.execute(select(coupon_uses.c.code).where(coupon_uses.c.code.in_(codes))).scalars()
    )
    consent = json.loads(row.consent)
    return MemberView(
        member_id=row.member_id,
        member_code=row.member_code,
        tier=row.tier,
        points=ledger.balance,
        signed_up_at=row.created_at,
        store_id=row.store_id,
        marketing=bool(consent.get("marketing")),
        erased=consent.get("terms_version") == loyalty.ERASED_TERMS,
        merged_ids=tuple(ids[1:]),
        ledger=tuple(ledger.events),
        wallet=tuple(
            WalletRow(w.code, w.coupon_id, w.campaign_id, w.code in used) for w in entries
        ),
    )


def export(conn: Connection, actor: Actor, member_id: str, now_ms: int) -> dict[str, Any]:
    data = loyalty.export(conn, member_id, now_ms)
    target = data["member"]["member_id"]
    record(conn, actor, "member.export", target, None, {"sales": len(data["sales"])}, now_ms)
    return data


def erase(conn: Connection, actor: Actor, member_id: str, now_ms: int) -> dict[str, Any]:
    """Erase on request; the audit keeps the tier and the balance it had, never the
    phone's hash or the member code (the entry would otherwise undo the erasure)."""
    settle(conn, now_ms)
    before = view(conn, member_id)
    done = loyalty.erase(conn, member_id, now_ms)
    record(
        conn,
        actor,
        "member.erase",
        before.member_id,
        {"tier": before.tier, "points": before.points, "wallet": len(before.wallet)},
        done,
        now_ms,
    )
    return done
