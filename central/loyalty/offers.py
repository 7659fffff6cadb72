"""Offers on the central service: definitions (promotions, coupons, campaigns, tiers) as
delta feeds the kiosks pull, wallets (coupons claimed or issued to members), printed
codes, and coupon redemptions with single use enforced.

Definitions live in `feed_items` under their own feed names, so kiosks page them by
the same opaque cursor as the catalog (`central.feeds.service.page`); each item is
validated by the kiosk's own parser (`kiosk.domain.promotions`, `.coupons`), so
what the service accepts the kiosk can read.

Single use: the first redemption of a code to reach the service wins (`coupon_uses`,
primary key `code`, insert-if-absent); a later one with another redemption id is
stored as `double_use` and answered `conflict`, so the kiosk reports it and the
operator sees it in the reports. A re-sent redemption (same id, same body) is a
duplicate and harmless; same id, different body is a conflict kept for review.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import timedelta, timezone, tzinfo
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from central.auth import AuthedKiosk
from central.db import insert_ignore, insert_one_ignore
from central.errors import Invalid, NotFound
from central.feeds import service as feeds
from central.feeds.tables import feed_items
from central.keys import member_phone_key
from central.loyalty.members import TIERS_KEY, canonical, own_paid_sale
from central.loyalty.tables import coupon_uses, issue_counters, members, redemptions, wallet
from central.sales.service import body_hash, record_conflict
from kiosk.domain.coupons import (
    COUPON_RULE_PREFIX,
    coupon_from_csv,
    coupon_from_wire,
    coupon_to_wire,
    printed_code,
)
from kiosk.domain.errors import UNREADABLE, KioskError
from kiosk.domain.loyalty_errors import OfferError
from kiosk.domain.members import TierPolicy, derive_key
from kiosk.domain.promotions import (
    known_currency,
    offer_rows,
    parse_when,
    promotion_from_csv,
    promotion_from_wire,
    promotion_to_wire,
)
from sync.loyalty_protocol import (
    ImportResult,
    IssueRequest,
    IssueResult,
    PrintRequest,
    RedemptionIn,
    RedemptionResult,
)

MAX_CSV_ROWS = 20_000


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
        known_currency(promo.currency)
    except UNREADABLE as exc:
        raise Invalid(str(exc), reason="bad_offer") from exc
    return promo.promotion_id, promotion_to_wire(promo)


def _coupon_item(data: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    try:
        coupon = coupon_from_wire(data)
        known_currency(coupon.currency)
    except UNREADABLE as exc:
        raise Invalid(str(exc), reason="bad_offer") from exc
    return coupon.coupon_id, coupon_to_wire(coupon)


def _tiers_item(data: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    try:
        policy = TierPolicy.from_wire(data.get("tiers", []))
    except UNREADABLE as exc:
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
    "campaigns": lambda row: campaign_from_row(row),
}


def campaign_from_row(row: Mapping[str, str]) -> dict[str, Any]:
    """A campaign typed in a CSV or the console: its dates are store-local, by the row's
    `utc_offset` as an offer's are (they were read as UTC, so a Chinese store's campaign
    began 8 hours after the offers typed with the same dates)."""
    tz = _tz(row)
    data: dict[str, Any] = {k: v for k, v in row.items() if k != "utc_offset"}
    for field, end in (("starts_at", False), ("ends_at", True)):
        when = parse_when(row.get(field), tz, end=end)
        data[field] = when.isoformat() if when else ""
    return data


_OFFSET = re.compile(r"([+-])(\d{2}):(\d{2})")


def _tz(row: Mapping[str, str]) -> tzinfo:
    """Dates in a CSV are store-local; `utc_offset` (e.g. +08:00) says which, default +08:00."""
    offset = (row.get("utc_offset") or "+08:00").strip()
    found = _OFFSET.fullmatch(offset)
    # UTC-12:00 to UTC+14:00 are the offsets in use; "abc" or "+25:00" said int()'s or
    # timedelta's own words before.
    if found is None or not -12 * 60 <= _minutes(found) <= 14 * 60 or int(found[3]) >= 60:
        raise OfferError(
            f"utc_offset: {offset!r} is not an offset such as +08:00 (-12:00 to +14:00)"
        )
    return timezone(timedelta(minutes=_minutes(found)))


def _minutes(found: re.Match[str]) -> int:
    return (-1 if found[1] == "-" else 1) * (int(found[2]) * 60 + int(found[3]))


def import_csv(conn: Connection, feed: str, text: str) -> ImportResult:
    """All rows or none: the first bad row is reported with its row number."""
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
                raise Invalid(
                    f"row {number}: {exc}",
                    reason="bad_csv",
                    say="csv_row",
                    params={"row": number, "detail": exc},
                ) from exc
    except OfferError as exc:
        raise Invalid.of(exc, "bad_csv") from exc
    changed = write_definitions(conn, feed, items, [])
    return ImportResult(imported=len(items), changed=changed)


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


def _redemption_refusal(conn: Connection, kiosk: AuthedKiosk, r: RedemptionIn) -> str | None:
    """Why a kiosk's new redemption may not be stored, or None: it must be of its own
    store, and the paid sale it names (sent before it, `sync.relay.ROUTES`) must hold the
    coupon's discount at that amount, as the points ledger's events must (`_ledger_refusal`).
    """
    if r.store_id != kiosk.store_id:
        return "store_mismatch"
    refusal, doc = own_paid_sale(conn, kiosk, r.sale_id.lower())
    if refusal is not None:
        return refusal
    rule_id = f"{COUPON_RULE_PREFIX}{r.coupon_id}:{r.code}"
    given = [d.get("amount_minor") for d in doc.get("discounts", []) if d.get("rule_id") == rule_id]
    if given != [r.amount_minor] or doc.get("currency") != r.currency:
        return "not_in_sale"
    return None


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
                        # A use a refund gave back was still stored once: a duplicate.
                        result="duplicate" if first in ("accepted", "returned") else "conflict",
                        detail="" if first in ("accepted", "returned") else "already_used",
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
        refusal = _redemption_refusal(conn, kiosk, r)
        if refusal is not None:
            # Not stored, and the code is not used up: a kiosk cannot spend a coupon, nor
            # book a discount in a store's figures, with a sale the service does not hold.
            record_conflict(
                conn, "redemption", rid, kiosk.kiosk_id, refusal, digest, document, now_ms
            )
            results.append(RedemptionResult(redemption_id=rid, result="conflict", detail=refusal))
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


def return_coupons(conn: Connection, sale_id: str, codes: Sequence[str]) -> list[str]:
    """Give back coupons a refund freed: each code's use by this sale is undone (its
    redemption becomes `returned`, which no use count or report counts, and the
    single-use mark is lifted), so the member's wallet shows it available and it can be
    used again. Run in the refund's transaction, so once; a code whose current use is
    not this sale's (returned already, or not arrived) is left alone. The codes given
    back."""
    given = []
    for code in codes:
        use = conn.execute(
            select(coupon_uses.c.redemption_id)
            .join(redemptions, redemptions.c.redemption_id == coupon_uses.c.redemption_id)
            .where(coupon_uses.c.code == code, redemptions.c.sale_id == sale_id)
        ).scalar_one_or_none()
        if use is None:
            continue
        conn.execute(
            update(redemptions).where(redemptions.c.redemption_id == use).values(status="returned")
        )
        conn.execute(delete(coupon_uses).where(coupon_uses.c.code == code))
        given.append(code)
    return given
