"""Members, coupons and promotions on the central service: definitions (promotions,
coupons, campaigns, tiers) as delta feeds the kiosks pull, wallets (coupons claimed or
issued to members), coupon redemptions with single use enforced, member merges, the
ledger view, and reports (coupon claims vs redemptions, campaign sales, tiers).

Definitions live in `feed_items` under the feeds in `LOYALTY_FEEDS`, so kiosks page
them by the same opaque cursor as the catalog (`central.feeds.page`); each item is
validated by the kiosk's own parser (`kiosk.domain.promotions`, `.coupons`), so
what the service accepts the kiosk can read.

Single use: the first redemption of a code to reach the service wins (`coupon_uses`,
primary key `code`, insert-if-absent); a later one with another redemption id is
stored as `double_use` and answered `conflict`, so the kiosk reports it and the
operator sees it in the reports. A re-sent redemption (same id, same body) is a
duplicate and harmless; same id, different body is a conflict kept for review.

Merges: a member signed up offline whose phone was already registered arrives as a
`phone_registered` conflict (`central.members`); `resolve_merges` maps the kiosk-made
id to the registered member, whose balance, wallet and limits then include both.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Integer,
    MetaData,
    String,
    Table,
    func,
    insert,
    select,
    update,
)

from central import feeds
from central.db import (
    conflicts,
    feed_items,
    insert_ignore,
    insert_one_ignore,
    member_ledger,
    members,
    sales,
)
from central.errors import Invalid, NotFound
from central.keys import member_phone_key
from central.kiosks import AuthedKiosk, iso_ms
from central.sales import body_hash, record_conflict
from kiosk.domain.coupons import (
    coupon_from_csv,
    coupon_from_wire,
    coupon_to_wire,
    printed_code,
)
from kiosk.domain.errors import KioskError
from kiosk.domain.ids import IdFactory
from kiosk.domain.loyalty_errors import OfferError
from kiosk.domain.members import TierPolicy, carrefour_tiers, derive_key
from kiosk.domain.promotions import (
    offer_rows,
    parse_when,
    promotion_from_csv,
    promotion_from_wire,
    promotion_to_wire,
)
from sync.loyalty_protocol import (
    Adjustment,
    ExpireRequest,
    ImportResult,
    IssueRequest,
    IssueResult,
    LedgerLine,
    LoyaltyMember,
    MemberLedger,
    PrintRequest,
    RedemptionIn,
    RedemptionResult,
    WalletCoupon,
)

TIERS_KEY = "policy"
MAX_CSV_ROWS = 20_000

loyalty_metadata = MetaData()

wallet = Table(
    "loyalty_wallet",
    loyalty_metadata,
    Column("code", String(128), primary_key=True),
    Column("coupon_id", String(64), nullable=False, index=True),
    Column("member_id", String(36), nullable=False, index=True),
    Column("campaign_id", String(64), nullable=False),
    Column("channel", String(32), nullable=False),
    Column("issued_at", BigInteger, nullable=False),
)

redemptions = Table(
    "loyalty_redemptions",
    loyalty_metadata,
    Column("redemption_id", String(36), primary_key=True),
    Column("code", String(128), nullable=False, index=True),
    Column("coupon_id", String(64), nullable=False),
    Column("member_id", String(36)),
    Column("sale_id", String(36), nullable=False),
    Column("store_id", String(64), nullable=False),
    Column("kiosk_id", String(64), nullable=False),
    Column("at", String(64), nullable=False),
    Column("amount_minor", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("source", String(16), nullable=False),
    Column("offline", Boolean, nullable=False),
    Column("status", String(16), nullable=False),
    Column("received_at", BigInteger, nullable=False),
    Column("body_hash", String(64), nullable=False),
)

coupon_uses = Table(
    "loyalty_coupon_uses",
    loyalty_metadata,
    Column("code", String(128), primary_key=True),
    Column("redemption_id", String(36), nullable=False),
    Column("used_at", BigInteger, nullable=False),
)

member_aliases = Table(
    "loyalty_member_aliases",
    loyalty_metadata,
    Column("member_id", String(36), primary_key=True),
    Column("canonical_id", String(36), nullable=False, index=True),
    Column("merged_at", BigInteger, nullable=False),
)

issue_counters = Table(
    "loyalty_issue_counters",
    loyalty_metadata,
    Column("coupon_id", String(64), primary_key=True),
    Column("value", Integer, nullable=False),
)


# ------------------------------------------------------------------ definitions (feeds)
def _campaign_item(data: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    cid = str(data.get("campaign_id") or "").strip()
    if not cid or len(cid) > 64:
        raise Invalid("a campaign needs a 'campaign_id' of 1 to 64 characters", reason="bad_offer")
    try:
        starts = parse_when(data.get("starts_at"))
        ends = parse_when(data.get("ends_at"), end=True)
    except KioskError as exc:
        raise Invalid(f"campaign {cid}: {exc}", reason="bad_offer") from exc
    return cid, {
        "campaign_id": cid,
        "name": str(data.get("name") or cid),
        "starts_at": starts.isoformat() if starts else None,
        "ends_at": ends.isoformat() if ends else None,
        "season": str(data.get("season") or ""),
    }


def _promotion_item(data: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    try:
        promo = promotion_from_wire(data)
    except KioskError as exc:
        raise Invalid(str(exc), reason="bad_offer") from exc
    return promo.promotion_id, promotion_to_wire(promo)


def _coupon_item(data: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    try:
        coupon = coupon_from_wire(data)
    except KioskError as exc:
        raise Invalid(str(exc), reason="bad_offer") from exc
    return coupon.coupon_id, coupon_to_wire(coupon)


def _tiers_item(data: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    try:
        policy = TierPolicy.from_wire(data.get("tiers", []))
    except (KioskError, KeyError, TypeError, ValueError) as exc:
        raise Invalid(f"tier policy: {exc}", reason="bad_tiers") from exc
    return TIERS_KEY, {"tiers": policy.to_wire()}


VALIDATORS: dict[str, feeds.Validator] = {
    "promotions": _promotion_item,
    "coupons": _coupon_item,
    "campaigns": _campaign_item,
    "tiers": _tiers_item,
}


def check_feed(feed: str) -> str:
    if feed not in VALIDATORS:
        raise NotFound(f"no loyalty feed {feed!r}", reason="no_feed")
    return feed


def write_definitions(
    conn: Connection, feed: str, items: Iterable[Mapping[str, Any]], deletions: Iterable[str]
) -> int:
    """Upsert and tombstone definitions in a feed; unchanged items keep their sequence
    (`central.feeds.write` with the loyalty validators)."""
    return feeds.write(conn, check_feed(feed), items, deletions, validators=VALIDATORS)


def definitions(conn: Connection, feed: str) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(feed_items.c.data)
        .where(feed_items.c.feed == check_feed(feed), feed_items.c.deleted.is_(False))
        .order_by(feed_items.c.key)
    ).all()
    return [json.loads(r.data) for r in rows]


def definition(conn: Connection, feed: str, key: str) -> dict[str, Any]:
    row = conn.execute(
        select(feed_items.c.data).where(
            feed_items.c.feed == check_feed(feed),
            feed_items.c.key == key,
            feed_items.c.deleted.is_(False),
        )
    ).first()
    if row is None:
        raise NotFound(f"no {feed[:-1]} {key!r}", reason="no_offer")
    data: dict[str, Any] = json.loads(row.data)
    return data


CSV_PARSERS: dict[str, Callable[[Mapping[str, str]], dict[str, Any]]] = {
    "promotions": lambda row: promotion_to_wire(promotion_from_csv(row, _tz(row))),
    "coupons": lambda row: coupon_to_wire(coupon_from_csv(row, _tz(row))),
    "campaigns": lambda row: dict(row),
}


def _tz(row: Mapping[str, str]) -> tzinfo:
    """Dates in a CSV are store-local; `utc_offset` (e.g. +08:00) says which, default +08:00."""
    offset = (row.get("utc_offset") or "+08:00").strip()
    sign = -1 if offset.startswith("-") else 1
    hours, _, minutes = offset.lstrip("+-").partition(":")
    return timezone(sign * timedelta(hours=int(hours or 0), minutes=int(minutes or 0)))


def import_csv(conn: Connection, feed: str, text: str) -> ImportResult:
    """All rows or none: the first bad row is reported with its line number."""
    parse = CSV_PARSERS.get(check_feed(feed))
    if parse is None:
        raise Invalid(f"{feed} cannot be imported from CSV", reason="bad_csv")
    items: list[dict[str, Any]] = []
    try:
        for number, row in offer_rows(io.StringIO(text.lstrip("\ufeff"))):
            if len(items) >= MAX_CSV_ROWS:
                raise Invalid(f"at most {MAX_CSV_ROWS} rows per import", reason="bad_csv")
            try:
                items.append(parse(row))
            except (KioskError, ValueError) as exc:
                raise Invalid(f"row {number}: {exc}", reason="bad_csv") from exc
    except OfferError as exc:
        raise Invalid(str(exc), reason="bad_csv") from exc
    changed = write_definitions(conn, feed, items, [])
    return ImportResult(imported=len(items), changed=changed)


def tier_policy(conn: Connection) -> TierPolicy:
    row = conn.execute(
        select(feed_items.c.data).where(
            feed_items.c.feed == "tiers",
            feed_items.c.key == TIERS_KEY,
            feed_items.c.deleted.is_(False),
        )
    ).first()
    return TierPolicy.from_wire(json.loads(row.data)["tiers"]) if row else carrefour_tiers()


# ------------------------------------------------------------------ members
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
        digest = json.loads(row.document).get("phone_hash")
        owner = conn.execute(
            select(members.c.member_id).where(members.c.phone_hash == digest)
        ).scalar_one_or_none()
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
    conn: Connection, member_code: str | None, phone_hash: str | None, now_ms: int
) -> LoyaltyMember:
    """The member with balance, wallet and coupon uses: what a kiosk caches."""
    if bool(member_code) == bool(phone_hash):
        raise Invalid("give exactly one of member_code or phone_hash", reason="bad_lookup")
    resolve_merges(conn, now_ms)
    where = (
        members.c.member_code == member_code if member_code else members.c.phone_hash == phone_hash
    )
    row = conn.execute(select(members).where(where)).first()
    if row is None:
        raise NotFound("no member with this code or phone", reason="no_member")
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
    for row in conn.execute(select(members.c.member_id, members.c.tier, members.c.consent)).all():
        channel = str(json.loads(row.consent).get("channel", "kiosk"))
        tier = policy.tier_for(channel, spend.get(row.member_id, 0))
        current = policy.rule(row.tier)
        # Tiers only go up here; a downgrade is a separate, announced policy decision.
        if policy.rule(tier).rank > current.rank or row.tier not in {r.tier for r in policy.rules}:
            conn.execute(
                update(members).where(members.c.member_id == row.member_id).values(tier=tier)
            )
            changed[tier] = changed.get(tier, 0) + 1
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


# ------------------------------------------------------------------ wallets
def issue(conn: Connection, request: IssueRequest, secret: bytes, now_ms: int) -> IssueResult:
    """Put a coupon into members' wallets (a campaign push, or a member's "download")."""
    coupon = coupon_from_wire(definition(conn, "coupons", request.coupon_id))
    targets = [m.lower() for m in request.member_ids]
    if request.tier:
        targets += [
            r.member_id
            for r in conn.execute(select(members.c.member_id).where(members.c.tier == request.tier))
        ]
    if not targets:
        raise Invalid("name members or a tier to issue the coupon to", reason="no_targets")
    codes = []
    serials = _serials(conn, coupon.coupon_id, len(set(targets)))
    key = coupon_key(secret)
    for member_id, serial in zip(sorted(set(targets)), serials, strict=True):
        code = printed_code(key, coupon.coupon_id, f"W{serial:08d}")
        conn.execute(
            insert(wallet).values(
                code=code,
                coupon_id=coupon.coupon_id,
                member_id=canonical(conn, member_id),
                campaign_id=request.campaign_id or coupon.campaign_id,
                channel=request.channel,
                issued_at=now_ms,
            )
        )
        codes.append(code)
    return IssueResult(issued=len(codes), codes=codes)


def print_codes(conn: Connection, request: PrintRequest, secret: bytes) -> list[str]:
    coupon = coupon_from_wire(definition(conn, "coupons", request.coupon_id))
    key = coupon_key(secret)
    return [
        printed_code(key, coupon.coupon_id, f"P{serial:08d}")
        for serial in _serials(conn, coupon.coupon_id, request.count)
    ]


def _serials(conn: Connection, coupon_id: str, count: int) -> list[int]:
    bumped = conn.execute(
        update(issue_counters)
        .where(issue_counters.c.coupon_id == coupon_id)
        .values(value=issue_counters.c.value + count)
    )
    if bumped.rowcount == 0:
        conn.execute(insert(issue_counters).values(coupon_id=coupon_id, value=count))
        return list(range(1, count + 1))
    last = int(
        conn.execute(
            select(issue_counters.c.value).where(issue_counters.c.coupon_id == coupon_id)
        ).scalar_one()
    )
    return list(range(last - count + 1, last + 1))


def coupon_key(secret: bytes) -> bytes:
    """The key kiosks check printed and wallet codes with (derived like theirs)."""
    return derive_key(member_phone_key(secret), "coupon-code:v1")


def member_qr_key(secret: bytes) -> bytes:
    return derive_key(member_phone_key(secret), "member-qr:v1")


# ------------------------------------------------------------------ redemptions
def redeem(
    conn: Connection, kiosk: AuthedKiosk, batch: Sequence[RedemptionIn], now_ms: int
) -> list[RedemptionResult]:
    results = []
    for r in batch:
        document = r.model_dump(mode="json")
        digest = body_hash(document)
        rid = r.redemption_id.lower()
        stored = conn.execute(
            select(redemptions.c.body_hash).where(redemptions.c.redemption_id == rid)
        ).scalar_one_or_none()
        if stored is not None:
            if stored == digest:
                first = conn.execute(
                    select(redemptions.c.status).where(redemptions.c.redemption_id == rid)
                ).scalar_one()
                results.append(
                    RedemptionResult(
                        redemption_id=rid,
                        result="duplicate" if first == "accepted" else "conflict",
                        detail="" if first == "accepted" else "already_used",
                    )
                )
            else:
                record_conflict(
                    conn,
                    "redemption",
                    rid,
                    kiosk.kiosk_id,
                    "body_differs",
                    digest,
                    document,
                    now_ms,
                )
                results.append(
                    RedemptionResult(redemption_id=rid, result="conflict", detail="body_differs")
                )
            continue
        first_use = insert_one_ignore(
            conn, coupon_uses, {"code": r.code, "redemption_id": rid, "used_at": now_ms}
        )
        status = "accepted" if first_use else "double_use"
        conn.execute(
            insert_ignore(conn, redemptions).values(
                redemption_id=rid,
                code=r.code,
                coupon_id=r.coupon_id,
                member_id=canonical(conn, r.member_id.lower()) if r.member_id else None,
                sale_id=r.sale_id.lower(),
                store_id=r.store_id,
                kiosk_id=kiosk.kiosk_id,
                at=r.at,
                amount_minor=r.amount_minor,
                currency=r.currency,
                source=r.source,
                offline=r.offline,
                status=status,
                received_at=now_ms,
                body_hash=digest,
            )
        )
        if first_use:
            results.append(RedemptionResult(redemption_id=rid, result="stored"))
            continue
        winner = conn.execute(
            select(redemptions.c.sale_id, redemptions.c.kiosk_id)
            .join(coupon_uses, coupon_uses.c.redemption_id == redemptions.c.redemption_id)
            .where(coupon_uses.c.code == r.code)
        ).first()
        where = (
            f" (first used in sale {winner.sale_id} at kiosk {winner.kiosk_id})" if winner else ""
        )
        record_conflict(
            conn, "redemption", rid, kiosk.kiosk_id, "double_use", digest, document, now_ms
        )
        results.append(
            RedemptionResult(redemption_id=rid, result="conflict", detail=f"already_used{where}")
        )
    return results


# ------------------------------------------------------------------ reports
def coupon_report(conn: Connection) -> list[dict[str, Any]]:
    """Claims (wallet) vs redemptions, by coupon type and campaign."""
    coupons = {c["coupon_id"]: c for c in definitions(conn, "coupons")}
    rows: dict[tuple[str, str], dict[str, Any]] = {}

    def bucket(coupon_id: str, campaign: str | None) -> dict[str, Any]:
        coupon = coupons.get(coupon_id, {})
        kind = str(coupon.get("kind", "unknown"))
        camp = campaign if campaign else str(coupon.get("campaign_id", ""))
        return rows.setdefault(
            (kind, camp),
            {"coupon_kind": kind, "campaign_id": camp, "claimed": 0, "redeemed": 0,
             "redeemed_from_wallet": 0, "double_uses": 0, "offline_redemptions": 0,
             "discount_minor": 0},
        )  # fmt: skip

    for r in conn.execute(
        select(wallet.c.coupon_id, wallet.c.campaign_id, func.count()).group_by(
            wallet.c.coupon_id, wallet.c.campaign_id
        )
    ):
        bucket(r[0], r[1])["claimed"] += int(r[2])
    wallet_codes = {
        r.code: r.campaign_id for r in conn.execute(select(wallet.c.code, wallet.c.campaign_id))
    }
    for r in conn.execute(select(redemptions)):
        b = bucket(r.coupon_id, wallet_codes.get(r.code))
        if r.status == "accepted":
            b["redeemed"] += 1
            b["discount_minor"] += int(r.amount_minor)
            b["redeemed_from_wallet"] += 1 if r.code in wallet_codes else 0
            b["offline_redemptions"] += 1 if r.offline else 0
        else:
            b["double_uses"] += 1
    out = []
    for key in sorted(rows):
        b = rows[key]
        b["redemption_rate_bp"] = (
            b["redeemed_from_wallet"] * 10_000 // b["claimed"] if b["claimed"] else None
        )
        out.append(b)
    return out


def campaign_report(conn: Connection) -> list[dict[str, Any]]:
    """Sales that used a campaign's promotions or coupons: count, revenue, discounts."""
    campaign_of: dict[str, str] = {}
    for p in definitions(conn, "promotions"):
        if p.get("campaign_id"):
            campaign_of[str(p["promotion_id"])] = str(p["campaign_id"])
    coupon_campaign = {
        str(c["coupon_id"]): str(c["campaign_id"])
        for c in definitions(conn, "coupons")
        if c.get("campaign_id")
    }
    names = {str(c["campaign_id"]): str(c.get("name", "")) for c in definitions(conn, "campaigns")}
    totals: dict[str, dict[str, Any]] = {}
    for r in conn.execute(select(sales.c.document).where(sales.c.status == "paid")):
        doc = json.loads(r.document)
        if doc.get("training"):
            continue
        seen: dict[str, int] = {}
        for d in doc.get("discounts", []):
            rule = str(d.get("rule_id", ""))
            campaign = campaign_of.get(rule)
            if rule.startswith("coupon:"):
                campaign = coupon_campaign.get(rule.split(":", 2)[1])
            if campaign:
                seen[campaign] = seen.get(campaign, 0) + int(d.get("amount_minor", 0))
        for campaign, discount in seen.items():
            t = totals.setdefault(
                campaign,
                {"campaign_id": campaign, "name": names.get(campaign, ""), "sales": 0,
                 "revenue_minor": 0, "discount_minor": 0, "members": 0, "_members": set()},
            )  # fmt: skip
            t["sales"] += 1
            t["revenue_minor"] += int(doc.get("total_minor", 0))
            t["discount_minor"] += discount
            if doc.get("member_id"):
                t["_members"].add(doc["member_id"])
    out = []
    for campaign in sorted(totals):
        t = totals[campaign]
        t["members"] = len(t.pop("_members"))
        out.append(t)
    return out


def reconciliation_report(conn: Connection) -> list[dict[str, Any]]:
    """What offline acceptance let through: coupons used twice, negative balances."""
    rows: list[dict[str, Any]] = []
    first = {
        r.code: (r.sale_id, r.kiosk_id)
        for r in conn.execute(
            select(coupon_uses.c.code, redemptions.c.sale_id, redemptions.c.kiosk_id).join(
                redemptions, redemptions.c.redemption_id == coupon_uses.c.redemption_id
            )
        )
    }
    for r in conn.execute(
        select(redemptions)
        .where(redemptions.c.status == "double_use")
        .order_by(redemptions.c.redemption_id)
    ):
        sale, kiosk = first.get(r.code, ("", ""))
        rows.append({"issue": "coupon_used_twice", "member_id": r.member_id or "", "code": r.code,
                     "coupon_id": r.coupon_id, "sale_id": r.sale_id, "kiosk_id": r.kiosk_id,
                     "amount_minor": int(r.amount_minor), "first_sale_id": sale,
                     "first_kiosk_id": kiosk, "points": 0})  # fmt: skip
    balances: dict[str, int] = {}
    for r in conn.execute(
        select(member_ledger.c.member_id, func.sum(member_ledger.c.points)).group_by(
            member_ledger.c.member_id
        )
    ):
        mid = canonical(conn, str(r[0]))
        balances[mid] = balances.get(mid, 0) + int(r[1])
    for mid, points in sorted(balances.items()):
        if points < 0:
            rows.append({"issue": "negative_balance", "member_id": mid, "code": "", "coupon_id": "",
                         "sale_id": "", "kiosk_id": "", "amount_minor": 0, "first_sale_id": "",
                         "first_kiosk_id": "", "points": points})  # fmt: skip
    return rows


def tier_report(conn: Connection) -> list[dict[str, Any]]:
    policy = tier_policy(conn)
    counts = {
        r[0]: int(r[1])
        for r in conn.execute(select(members.c.tier, func.count()).group_by(members.c.tier))
    }
    rows = [
        {"tier": r.tier, "rank": r.rank, "members": counts.pop(r.tier, 0)}
        for r in sorted(policy.rules, key=lambda r: r.rank)
    ]
    rows += [{"tier": t, "rank": None, "members": n} for t, n in sorted(counts.items())]
    return rows


def to_csv(rows: Sequence[Mapping[str, Any]]) -> str:
    if not rows:
        return ""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0].keys()), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def now_iso(now_ms: int) -> str:
    return iso_ms(now_ms) or ""
