"""Members: sign-up (idempotent by the kiosk-made member UUID), lookup, the append-only
points ledger (idempotent by event UUID), merges, tiers, operators' adjustments and
expiry. Balances are derived by summing the ledger, never stored.

Merges: a member signed up offline whose phone was already registered arrives as a
`phone_registered` conflict (`sign_up`); `resolve_merges` maps the kiosk-made id to
the registered member, whose balance, wallet and limits then include both.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, delete, func, insert, or_, select, update

from central.auth import AuthedKiosk
from central.clock import iso_ms
from central.db import insert_one_ignore
from central.errors import Invalid, NotFound
from central.feeds import service as feeds
from central.feeds.tables import feed_items
from central.loyalty.tables import (
    coupon_uses,
    member_aliases,
    member_ledger,
    member_tier_moves,
    members,
    redemptions,
    wallet,
)
from central.sales.service import body_hash, record_conflict
from central.sales.tables import conflicts, sales
from kiosk.domain.errors import KioskError
from kiosk.domain.ids import IdFactory
from kiosk.domain.ledger import PointsRule
from kiosk.domain.members import TierPolicy, carrefour_tiers, member_code_for, phone_hashes
from kiosk.domain.money import Money
from kiosk.domain.promotions import parse_when
from sync.loyalty_protocol import (
    ERASURES_FEED,
    Adjustment,
    ExpireRequest,
    LedgerLine,
    LoyaltyMember,
    MemberLedger,
    WalletCoupon,
)
from sync.protocol import (
    Consent,
    LedgerEvent,
    LedgerResult,
    Member,
    MemberResult,
    MemberSignUp,
)

TIERS_KEY = "policy"
DEFAULT_TIER = "basic"


def _row(conn: Connection, member_code: str | None, digests: Sequence[str]) -> Any:
    """The member row with this code, or stored under the first of a phone's `digests`
    (its hash, then the forms older kiosks made: `phone_hashes`) found, in one query."""
    if bool(member_code) == bool(digests):
        raise Invalid("give exactly one of member_code or phone_hash", reason="bad_lookup")
    if member_code:
        row = conn.execute(select(members).where(members.c.member_code == member_code)).first()
    else:
        row = _by_phone(conn, digests)
    if row is None:
        raise NotFound("no member with this code or phone", reason="no_member")
    return row


def _by_phone(conn: Connection, digests: Sequence[str]) -> Any:
    rows = conn.execute(select(members).where(members.c.phone_hash.in_(digests)))
    held = {r.phone_hash: r for r in rows}
    return next((held[d] for d in digests if d in held), None)


def lookup(conn: Connection, member_code: str | None, digests: Sequence[str]) -> Member:
    row = _row(conn, member_code, digests)
    points = conn.execute(
        select(func.coalesce(func.sum(member_ledger.c.points), 0)).where(
            member_ledger.c.member_id == row.member_id
        )
    ).scalar_one()
    return Member(
        member_id=row.member_id,
        member_code=row.member_code,
        phone_hash=row.phone_hash,
        tier=row.tier,
        points=int(points),
        consent=Consent.model_validate(json.loads(row.consent)),
        created_at=row.created_at,
    )


def sign_up(
    conn: Connection, kiosk: AuthedKiosk, signups: Sequence[MemberSignUp], now_ms: int
) -> list[MemberResult]:
    results = []
    for signup in signups:
        legacy = signup.legacy_phone_hashes
        # An older kiosk's sign-up (no earlier hashes) hashes as it did before they existed:
        # the same sign-up sent again must not become a conflict.
        unsent = None if legacy else {"legacy_phone_hashes"}
        document = signup.model_dump(mode="json", exclude=unsent)
        digest = body_hash(document)
        member_id = signup.member_id.lower()
        code = member_code_for(member_id)
        # A member an older kiosk stored under one of this phone's earlier hashes has it.
        inserted = not (legacy and _by_phone(conn, legacy)) and insert_one_ignore(
            conn,
            members,
            {
                "member_id": member_id,
                "member_code": code,
                "phone_hash": signup.phone_hash,
                "tier": DEFAULT_TIER,
                "consent": signup.consent.model_dump_json(),
                # Where the kiosk is enrolled, not what it names: another store's tier
                # figures and member export are not a kiosk's to write.
                "store_id": kiosk.store_id,
                "kiosk_id": kiosk.kiosk_id,
                "created_at": signup.created_at,
                "received_at": now_ms,
                "body_hash": digest,
            },
        )
        if inserted:
            results.append(MemberResult(member_id=member_id, result="stored", member_code=code))
            continue
        row = conn.execute(
            select(members.c.body_hash).where(members.c.member_id == member_id)
        ).first()
        if row is not None and row.body_hash == digest:
            results.append(MemberResult(member_id=member_id, result="duplicate", member_code=code))
            continue
        if row is None:
            # The phone is already registered to another member: one phone, one member.
            other = _by_phone(conn, [signup.phone_hash, *legacy])
            reason = "phone_registered"
            detail = f"phone already belongs to member {other.member_id if other else '?'}"
            code = other.member_code if other else ""
        else:
            reason, detail = "body_differs", "a different sign-up with this member id exists"
        record_conflict(conn, "member", member_id, kiosk.kiosk_id, reason, digest, document, now_ms)
        results.append(
            MemberResult(
                member_id=member_id,
                result="conflict",
                member_code=code,
                detail=f"{reason}: {detail}",
            )
        )
    return results


def append_ledger(
    conn: Connection, kiosk: AuthedKiosk, events: Sequence[LedgerEvent], now_ms: int
) -> list[LedgerResult]:
    """Store a kiosk's points events, each once, if it follows from a sale the service holds.

    What a kiosk may book: `earn` for a paid sale of its own store to this member, at most
    once per sale and at most what the chain's points rule gives for the sale at the best
    tier; `redeem` for such a sale, at most the member's balance. Anything else is
    refused: answered `conflict` with the reason and kept in `conflicts` for review.
    """
    results = []
    for event in events:
        document = event.model_dump(mode="json")
        digest = body_hash(document)
        event_id = event.event_id.lower()
        stored = conn.execute(
            select(member_ledger.c.body_hash).where(member_ledger.c.event_id == event_id)
        ).scalar_one_or_none()
        if stored is None:
            reason = _ledger_refusal(conn, kiosk, event)
        else:
            reason = None if stored == digest else "body_differs"
        if reason is None and stored is None:
            inserted = insert_one_ignore(
                conn,
                member_ledger,
                {
                    "event_id": event_id,
                    "member_id": event.member_id.lower(),
                    "kind": event.kind,
                    "points": event.points,
                    "sale_id": event.sale_id.lower() if event.sale_id else None,
                    "at": event.at,
                    "data": json.dumps(event.data, ensure_ascii=False),
                    "kiosk_id": kiosk.kiosk_id,
                    "store_id": kiosk.store_id,
                    "received_at": now_ms,
                    "body_hash": digest,
                },
            )
            results.append(
                LedgerResult(event_id=event_id, result="stored" if inserted else "duplicate")
            )
        elif reason is None:
            results.append(LedgerResult(event_id=event_id, result="duplicate"))
        else:
            record_conflict(
                conn, "ledger", event_id, kiosk.kiosk_id, reason, digest, document, now_ms
            )
            results.append(LedgerResult(event_id=event_id, result="conflict", detail=reason))
    return results


KIOSK_LEDGER_KINDS = frozenset({"earn", "redeem"})


def own_paid_sale(
    conn: Connection, kiosk: AuthedKiosk, sale_id: str
) -> tuple[str | None, dict[str, Any]]:
    """(None, its document) if the service holds `sale_id` as a paid, real (not training)
    sale of `kiosk`'s store, else (why not, {}): what a kiosk's points event or coupon
    redemption must name."""
    sale = conn.execute(
        select(sales.c.store_id, sales.c.status, sales.c.training, sales.c.document).where(
            sales.c.sale_id == sale_id
        )
    ).first()
    if sale is None:
        return "unknown_sale", {}
    if sale.store_id != kiosk.store_id:
        return "store_mismatch", {}
    if sale.status != "paid" or sale.training:
        return "sale_not_paid", {}
    return None, json.loads(sale.document)


def _ledger_refusal(conn: Connection, kiosk: AuthedKiosk, event: LedgerEvent) -> str | None:
    """Why a kiosk's new points event may not be booked, or None."""
    if event.kind not in KIOSK_LEDGER_KINDS:
        return "kind"  # expiry and adjustments are the operators' (`expire`, `adjust`)
    if (event.kind == "earn") != (event.points >= 0):
        return "sign"
    if event.sale_id is None:
        return "no_sale"
    sale_id = event.sale_id.lower()
    refusal, doc = own_paid_sale(conn, kiosk, sale_id)
    if refusal is not None:
        return refusal
    member_id = canonical(conn, event.member_id.lower())
    if not doc.get("member_id") or canonical(conn, str(doc["member_id"]).lower()) != member_id:
        return "member_mismatch"
    if erased(conn, member_id):
        # A kiosk that has not pulled the erasure yet still took the member's card: the
        # sale stands, but nothing more is booked to a member who asked to be forgotten,
        # and the conflict shows which kiosk is behind.
        return "member_erased"
    if event.kind == "redeem":
        return "over_balance" if -event.points > balance(conn, _ids_of(conn, member_id)) else None
    earned_before = conn.execute(
        select(member_ledger.c.event_id).where(
            member_ledger.c.sale_id == sale_id, member_ledger.c.kind == "earn"
        )
    ).first()
    if earned_before is not None:
        return "already_earned"
    paid = int(doc.get("total_minor", 0)) - int(doc.get("deposit_minor", 0))
    best = max(rule.points_multiplier_bp for rule in tier_policy(conn).rules)
    return (
        "over_policy"
        if event.points > PointsRule().earned(Money(max(paid, 0), doc["currency"]), best)
        else None
    )


def tier_policy(conn: Connection) -> TierPolicy:
    row = conn.execute(
        select(feed_items.c.data).where(
            feed_items.c.feed == "tiers",
            feed_items.c.key == TIERS_KEY,
            feed_items.c.deleted.is_(False),
        )
    ).first()
    return TierPolicy.from_wire(json.loads(row.data)["tiers"]) if row else carrefour_tiers()


def resolve_merges(conn: Connection, now_ms: int) -> int:
    """Turn `phone_registered` sign-up conflicts into aliases of the registered member."""
    known = {r.member_id for r in conn.execute(select(member_aliases.c.member_id))}
    merged = 0
    rows = conn.execute(
        select(conflicts.c.entity_id, conflicts.c.document).where(
            conflicts.c.entity == "member", conflicts.c.reason == "phone_registered"
        )
    ).all()
    for row in rows:
        if row.entity_id in known:
            continue
        document = json.loads(row.document)
        held = _by_phone(conn, [document["phone_hash"], *document.get("legacy_phone_hashes", [])])
        owner = held.member_id if held is not None else None
        if owner is None or owner == row.entity_id:
            continue
        if insert_one_ignore(
            conn,
            member_aliases,
            {"member_id": row.entity_id, "canonical_id": owner, "merged_at": now_ms},
        ):
            merged += 1
            known.add(row.entity_id)
    return merged


def canonical(conn: Connection, member_id: str) -> str:
    found = conn.execute(
        select(member_aliases.c.canonical_id).where(member_aliases.c.member_id == member_id)
    ).scalar_one_or_none()
    return str(found) if found else member_id


def _ids_of(conn: Connection, canonical_id: str) -> list[str]:
    aliases = [
        r.member_id
        for r in conn.execute(
            select(member_aliases.c.member_id).where(member_aliases.c.canonical_id == canonical_id)
        )
    ]
    return [canonical_id, *sorted(aliases)]


def balance(conn: Connection, ids: Sequence[str]) -> int:
    return int(
        conn.execute(
            select(func.coalesce(func.sum(member_ledger.c.points), 0)).where(
                member_ledger.c.member_id.in_(list(ids))
            )
        ).scalar_one()
    )


def member_for_kiosk(
    conn: Connection, member_code: str | None, digests: Sequence[str], now_ms: int
) -> LoyaltyMember:
    """The member with balance, wallet and coupon uses: what a kiosk caches."""
    resolve_merges(conn, now_ms)
    row = _row(conn, member_code, digests)
    member_id = canonical(conn, row.member_id)
    if member_id != row.member_id:
        row = conn.execute(select(members).where(members.c.member_id == member_id)).first()
        if row is None:
            raise NotFound("the merged member is missing", reason="no_member")
    ids = _ids_of(conn, member_id)
    used = {
        r.code
        for r in conn.execute(
            select(coupon_uses.c.code)
            .join(wallet, wallet.c.code == coupon_uses.c.code)
            .where(wallet.c.member_id.in_(ids))
        )
    }
    entries = [
        WalletCoupon(
            code=r.code,
            coupon_id=r.coupon_id,
            state="used" if r.code in used else "available",
            campaign_id=r.campaign_id,
        )
        for r in conn.execute(
            select(wallet).where(wallet.c.member_id.in_(ids)).order_by(wallet.c.code)
        )
    ]
    uses: dict[str, int] = {}
    for r in conn.execute(
        select(redemptions.c.coupon_id, func.count())
        .where(redemptions.c.member_id.in_(ids), redemptions.c.status == "accepted")
        .group_by(redemptions.c.coupon_id)
    ):
        uses[str(r[0])] = int(r[1])
    policy = tier_policy(conn)
    tier = row.tier if any(r.tier == row.tier for r in policy.rules) else policy.base.tier
    return LoyaltyMember(
        member_id=row.member_id,
        member_code=row.member_code,
        phone_hash=row.phone_hash,
        tier=tier,
        points=balance(conn, ids),
        wallet=entries,
        coupon_uses=uses,
        merged_ids=ids[1:],
    )


def member_ledger_view(conn: Connection, member_id: str, now_ms: int) -> MemberLedger:
    resolve_merges(conn, now_ms)
    return ledger_of(conn, member_id)


def ledger_of(conn: Connection, member_id: str) -> MemberLedger:
    """A member's ledger, their merged ids' included, as stored (reads only: pending
    merges are `resolve_merges`' to settle first)."""
    member_id = canonical(conn, member_id.lower())
    ids = _ids_of(conn, member_id)
    rows = conn.execute(
        select(member_ledger)
        .where(member_ledger.c.member_id.in_(ids))
        .order_by(member_ledger.c.event_id)
    ).all()
    return MemberLedger(
        member_id=member_id,
        balance=sum(int(r.points) for r in rows),
        events=[
            LedgerLine(
                event_id=r.event_id,
                member_id=r.member_id,
                kind=r.kind,
                points=int(r.points),
                sale_id=r.sale_id,
                at=r.at,
            )
            for r in rows
        ],
    )


def recompute_tiers(conn: Connection, now_ms: int) -> dict[str, int]:
    """Apply the tier policy: channel of sign-up (consent document) or rolling spend."""
    policy = tier_policy(conn)
    now = datetime.fromtimestamp(now_ms / 1000, UTC)
    spend: dict[str, int] = {}
    window = max(r.window_days for r in policy.rules)
    since = (now - timedelta(days=window)).isoformat()
    for r in conn.execute(
        select(sales.c.document).where(sales.c.status == "paid", sales.c.created_at >= since)
    ):
        doc = json.loads(r.document)
        if doc.get("member_id") and not doc.get("training"):
            mid = canonical(conn, str(doc["member_id"]))
            spend[mid] = spend.get(mid, 0) + int(doc.get("total_minor", 0))
    changed: dict[str, int] = {}
    moves = []
    columns = (members.c.member_id, members.c.tier, members.c.consent, members.c.store_id,
               members.c.kiosk_id)  # fmt: skip
    for row in conn.execute(select(*columns)).all():
        channel = str(json.loads(row.consent).get("channel", "kiosk"))
        tier = policy.tier_for(channel, spend.get(row.member_id, 0))
        current = policy.rule(row.tier)
        # Tiers only go up here; a downgrade is a separate, announced policy decision.
        if policy.rule(tier).rank > current.rank or row.tier not in {r.tier for r in policy.rules}:
            conn.execute(
                update(members).where(members.c.member_id == row.member_id).values(tier=tier)
            )
            changed[tier] = changed.get(tier, 0) + 1
            # A tier the policy does not know counts as its base tier (as kiosks see it), so
            # naming it in the policy is no move.
            if current.tier != tier:
                moves.append(
                    {"member_id": row.member_id, "store_id": row.store_id,
                     "kiosk_id": row.kiosk_id, "from_tier": current.tier, "to_tier": tier,
                     "at_ms": now_ms}
                )  # fmt: skip
    if moves:
        # Kept for the reports' tier moves (the member row holds only the tier now).
        conn.execute(insert(member_tier_moves), moves)
    return changed


def _central_event(
    conn: Connection, member_id: str, kind: str, points: int, data: dict[str, Any], now_ms: int
) -> str:
    event_id = IdFactory(lambda: now_ms).new()
    document = {"event_id": event_id, "member_id": member_id, "kind": kind, "points": points,
                "sale_id": None, "at": now_iso(now_ms), "data": data}  # fmt: skip
    conn.execute(
        insert(member_ledger).values(
            event_id=event_id,
            member_id=member_id,
            kind=kind,
            points=points,
            sale_id=None,
            at=document["at"],
            data=json.dumps(data, ensure_ascii=False),
            kiosk_id="central",
            received_at=now_ms,
            body_hash=body_hash(document),
        )
    )
    return event_id


def adjust(conn: Connection, member_id: str, body: Adjustment, now_ms: int) -> MemberLedger:
    """An operator's correction: an `adjust` event, never an edited balance."""
    resolve_merges(conn, now_ms)
    member_id = canonical(conn, member_id.lower())
    if (
        conn.execute(select(members.c.member_id).where(members.c.member_id == member_id)).first()
        is None
    ):
        raise NotFound("no such member", reason="no_member")
    _central_event(conn, member_id, "adjust", body.points, {"reason": body.reason}, now_ms)
    return member_ledger_view(conn, member_id, now_ms)


def expire(conn: Connection, body: ExpireRequest, now_ms: int) -> dict[str, int]:
    """Expire points earned before a date that were not spent (first in, first out).

    For each member: old = points earned (and added by adjustment) before the date,
    minus everything ever spent or expired; at most the balance. Running it again with
    the same date expires nothing more: the earlier expiry counts as spent.
    """
    resolve_merges(conn, now_ms)
    cutoff = parse_when(body.earned_before)
    if cutoff is None:
        raise Invalid("give a date", reason="bad_date")
    totals: dict[str, dict[str, int]] = {}
    for r in conn.execute(
        select(
            member_ledger.c.member_id,
            member_ledger.c.kind,
            member_ledger.c.points,
            member_ledger.c.at,
        )
    ):
        mid = canonical(conn, r.member_id)
        t = totals.setdefault(mid, {"old": 0, "out": 0, "balance": 0})
        points = int(r.points)
        t["balance"] += points
        if points > 0 and r.kind in ("earn", "adjust") and _before(r.at, cutoff):
            t["old"] += points
        elif points < 0:
            t["out"] -= points
    expired_members = expired_points = 0
    for mid, t in sorted(totals.items()):
        amount = min(max(t["old"] - t["out"], 0), max(t["balance"], 0))
        if amount > 0:
            _central_event(
                conn, mid, "expire", -amount, {"earned_before": cutoff.isoformat()}, now_ms
            )
            expired_members += 1
            expired_points += amount
    return {"members": expired_members, "points": expired_points}


def _before(at: str, cutoff: datetime) -> bool:
    try:
        moment = datetime.fromisoformat(at)
    except ValueError:
        return False
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment < cutoff


def now_iso(now_ms: int) -> str:
    return iso_ms(now_ms) or ""


def sale_points(conn: Connection, sale_id: str) -> tuple[str | None, int, int]:
    """(member, points earned, points spent) that a sale booked, from the ledger."""
    rows = conn.execute(
        select(member_ledger.c.member_id, member_ledger.c.kind, member_ledger.c.points).where(
            member_ledger.c.sale_id == sale_id, member_ledger.c.kind.in_(KIOSK_LEDGER_KINDS)
        )
    ).all()
    member = rows[0].member_id if rows else None
    earned = sum(int(r.points) for r in rows if r.kind == "earn")
    spent = -sum(int(r.points) for r in rows if r.kind == "redeem")
    return member, earned, spent


def book_refund(
    conn: Connection, member_id: str, refund_id: str, taken_back: int, returned: int, now_ms: int
) -> None:
    """A refund's points: earned ones taken back, spent ones returned, as `adjust` events
    written in the refund's own transaction (so once, like the refund)."""
    member_id = canonical(conn, member_id)
    if taken_back:
        data = {"refund_id": refund_id, "reason": "refund_takes_back_earned"}
        _central_event(conn, member_id, "adjust", -taken_back, data, now_ms)
    if returned:
        data = {"refund_id": refund_id, "reason": "refund_returns_spent"}
        _central_event(conn, member_id, "adjust", returned, data, now_ms)


# ------------------------------------------------------------------ a member's own data
ERASED_TERMS = "erased"


def find(conn: Connection, phone_key: bytes, text: str) -> str:
    """The (canonical) member with this member code or phone number; NotFound if none.

    The service never holds a phone number, only its keyed hash (`phone_hash`), so a
    phone is found by hashing what was typed, as a kiosk does."""
    typed = text.strip()
    if typed.upper().startswith("M") and typed[1:].isalnum():
        found = lookup(conn, typed.upper(), ())
    else:
        try:
            digests = phone_hashes(phone_key, typed)
        except KioskError as exc:
            raise Invalid(exc.message, reason="bad_phone", say="bad_phone") from None
        found = lookup(conn, None, digests)
    return canonical(conn, found.member_id)


def _member_row(conn: Connection, member_id: str) -> Any:
    row = conn.execute(select(members).where(members.c.member_id == member_id)).first()
    if row is None:
        raise NotFound(f"no member {member_id}", reason="no_member")
    return row


def erased(conn: Connection, member_id: str) -> bool:
    """Whether the member was erased on request (False for an id with no member row: one
    signed up at a kiosk and not received yet, or merged into another)."""
    consent = conn.execute(
        select(members.c.consent).where(members.c.member_id == member_id)
    ).scalar_one_or_none()
    return consent is not None and bool(json.loads(consent).get("terms_version") == ERASED_TERMS)


def export(conn: Connection, member_id: str, now_ms: int) -> dict[str, Any]:
    """Everything the service holds about a member (a data subject's access request under
    PIPL art. 45 / GDPR art. 15): the record, the points ledger, the wallet, coupon
    redemptions and the sales that name them (merged ids included)."""
    member_id = canonical(conn, member_id.lower())
    row = _member_row(conn, member_id)
    ids = _ids_of(conn, member_id)
    sale_rows = conn.execute(
        select(sales.c.sale_id, sales.c.document)
        .where(or_(*(sales.c.document.contains(i) for i in ids)))
        .order_by(sales.c.created_at)
    ).all()
    return {
        "exported_at": now_iso(now_ms),
        "member": {
            "member_id": row.member_id,
            "merged_ids": ids[1:],
            "member_code": row.member_code,
            "phone": "held only as a keyed hash, never as the number",
            "phone_hash": row.phone_hash,
            "tier": row.tier,
            "consent": json.loads(row.consent),
            "signed_up_at": row.created_at,
            "signed_up_store": row.store_id,
            "signed_up_kiosk": row.kiosk_id,
        },
        "points": member_ledger_view(conn, member_id, now_ms).model_dump(mode="json"),
        "wallet": [
            {
                "code": r.code,
                "coupon_id": r.coupon_id,
                "campaign_id": r.campaign_id,
                "channel": r.channel,
                "issued_at": iso_ms(r.issued_at),
            }
            for r in conn.execute(select(wallet).where(wallet.c.member_id.in_(ids)))
        ],
        "redemptions": [
            {
                "coupon_id": r.coupon_id,
                "sale_id": r.sale_id,
                "at": r.at,
                "amount_minor": r.amount_minor,
                "currency": r.currency,
                "status": r.status,
            }
            for r in conn.execute(select(redemptions).where(redemptions.c.member_id.in_(ids)))
        ],
        # A sale names its member only inside its document: the LIKE finds the candidates,
        # the parsed document decides.
        "sales": [
            doc
            for doc in (json.loads(r.document) for r in sale_rows)
            if str(doc.get("member_id") or "").lower() in ids
        ],
    }


def erase(conn: Connection, member_id: str, now_ms: int) -> dict[str, Any]:
    """Erase a member on request (PIPL art. 47 / GDPR art. 17), keeping the books whole.

    What identifies the person goes: the phone's hash and the member code are replaced by
    random values nothing can reproduce (the phone and the member QR find nobody, and the
    number may sign up again as a new member), marketing consent is withdrawn, unused
    wallet coupons are removed, the phone's hash is cut from sign-up conflicts kept for
    review. What the accounts need stays, under the member id, which now leads to nobody:
    the append-only ledger (each earn and redeem of past sales, so sales, points and
    coupon reports add up as before), used coupons and redemptions, and the sales, whose
    documents are the kiosks' signed, hash-chained records. The remaining balance is
    forfeited by one `adjust` event (nobody can spend it any more), not by an edit.
    Returns what was done, for the audit log."""
    member_id = canonical(conn, member_id.lower())
    row = _member_row(conn, member_id)
    if erased(conn, member_id):
        raise Invalid(f"member {member_id} is already erased", reason="erased")
    ids = _ids_of(conn, member_id)
    consent = {**json.loads(row.consent), "terms_version": ERASED_TERMS, "marketing": False}
    conn.execute(
        update(members)
        .where(members.c.member_id == member_id)
        .values(
            phone_hash=secrets.token_hex(32),
            member_code=("ERASED" + secrets.token_hex(13)).upper(),
            consent=json.dumps(consent),
        )
    )
    used = select(coupon_uses.c.code)
    dropped = conn.execute(
        delete(wallet).where(wallet.c.member_id.in_(ids), wallet.c.code.not_in(used))
    ).rowcount
    for conflict in conn.execute(
        select(conflicts.c.id, conflicts.c.document).where(
            conflicts.c.entity == "member", conflicts.c.document.contains(row.phone_hash)
        )
    ).all():
        document = json.loads(conflict.document)
        document["phone_hash"] = ERASED_TERMS
        conn.execute(
            update(conflicts)
            .where(conflicts.c.id == conflict.id)
            .values(document=json.dumps(document, ensure_ascii=False))
        )
    forfeited = balance(conn, ids)
    if forfeited:
        _central_event(conn, member_id, "adjust", -forfeited, {"reason": "member_erased"}, now_ms)
    # Kiosks that cached the member (any of their ids: one made at each kiosk that signed
    # them up, merged here) forget them and refuse their member QR from the next pull on.
    feeds.write(conn, ERASURES_FEED, [{"member_id": i} for i in ids], [],
                validators={ERASURES_FEED: _erasure_item})  # fmt: skip
    return {"erased": True, "points_forfeited": forfeited, "wallet_coupons_removed": dropped}


def _erasure_item(data: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    member_id = str(data["member_id"])
    return member_id, {"member_id": member_id}
