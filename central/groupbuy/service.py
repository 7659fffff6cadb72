"""Community group-buy: campaigns, prepaid orders, the cut-off, the pick list, pickup.

The rules the figures follow are in `central.groupbuy.pricing`; this module keeps them
in the database. What makes the money safe:

- **Prepay** goes through the payment service like a kiosk's payment (`PaymentService`,
  any configured provider), on behalf of the pseudo-kiosk `groupbuy` of the pickup
  store; the order's id is the payment's sale id. An order is `pending` until its
  payment is paid (`_settle` reads the payments), and pending orders hold stock.
- **The cut-off** is two steps. One transaction (the campaign row locked) freezes the
  orders: the final tier of each product, each order's final total, and one refund
  row per order owed a difference (unique per order and kind, id derived from them).
  Then, outside any transaction, every refund row not yet confirmed is sent to the
  order's provider, which refunds once per refund id. Run it twice, or kill it
  between the steps or half-way through the sending, and run it again: the first
  step finds the campaign cut off and records nothing; the second re-sends only what
  was not confirmed, under the same ids. So each difference is refunded once.
- **Pickup codes** are signed by the service with the store's Ed25519 key (derived
  from the master key), in the exit code's scheme (`kiosk.domain.pickup_code`), so a
  kiosk checks them offline with the store's public key.
- **After-sales**: a buyer reports a problem with collected units of a line; the store
  refunds it (one refund row per problem, sent like the others, so a resolution sent
  twice refunds once, and never more than the units' final price) or rejects it.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import logging
import uuid
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import Connection, Engine, delete, func, insert, select, update
from sqlalchemy.exc import SQLAlchemyError

from central.auth import AuthedKiosk
from central.clock import iso_ms
from central.config import PHOTO_KEEP_DAYS
from central.db import insert_one_ignore
from central.errors import Forbidden, Invalid, NotFound
from central.feeds.tables import feed_items
from central.groupbuy.photos import KeptPhoto
from central.groupbuy.pricing import Ladder, Line, Tier, commission, difference, final_unit
from central.groupbuy.tables import (
    groupbuy_campaigns,
    groupbuy_items,
    groupbuy_lines,
    groupbuy_orders,
    groupbuy_pickups,
    groupbuy_problem_photos,
    groupbuy_problems,
    groupbuy_refunds,
    groupbuy_reviews,
    groupbuy_webhooks,
)
from central.payments.errors import ProviderRefused, ProviderUnavailable
from central.payments.providers.base import Order, RefundOrder
from central.payments.service import PaymentService, session_of
from central.payments.tables import payments
from central.sales.tables import sales
from kiosk.domain.errors import KioskError
from kiosk.domain.money import Money
from kiosk.domain.pickup import CollectedLine, CollectedOrder, short_ref
from kiosk.domain.pickup_code import PickupCodeError, PickupPass, encode, split
from sync.groupbuy_protocol import (
    HEADER_WEBHOOK_DELIVERY,
    HEADER_WEBHOOK_SIGNATURE,
    HEADER_WEBHOOK_TIMESTAMP,
    CampaignReport,
    CampaignView,
    CutOffResult,
    ItemView,
    JoinCampaign,
    NewCampaign,
    NewProblem,
    OrderLineView,
    OrderView,
    Pickup,
    PickupBatchItem,
    PickupBatchResult,
    PickupKey,
    PickupResult,
    ProblemView,
    RefundTotals,
    RefundView,
    Resolve,
    Review,
    ReviewView,
    TierWire,
    UnclaimedResult,
)
from sync.payment_protocol import CreatePayment

log = logging.getLogger(__name__)

PSEUDO_KIOSK = "groupbuy"
"""The `kiosk_id` of group-buy payments: the payment service's rows name who asked."""
PAID = ("paid", "ready", "partly_collected", "collected", "unclaimed", "kept")
"""An order in one of these was paid for: it counts as a buyer."""
HOLDS_STOCK = ("pending", *PAID)
HANDED_OUT = ("ready", "partly_collected", "kept")
"""An order the store may hand out."""
DAY_MS = 86_400_000
HOUR_MS = 3_600_000
PICKUP_HORIZON_DAYS = 365
"""A campaign's pickup window ends at most this long after it is created. Group-buys run
for days, a season at most: a later end is a mistyped year, which would also be past what
the pickup code's 4-byte `valid until` holds (2106) once far enough out."""
PICK_LIST_COLUMNS = (
    "order", "order_id", "buyer", "status", "gtin", "product", "quantity", "collected",
)  # fmt: skip
"""The pick list's columns, in order (its CSV's header row even when no order was paid)."""
WEBHOOK_ATTEMPTS = 5
FORGET_BATCH = 500

WEBHOOK_SIGNATURE_VERSION = "v1"

Post = Callable[[str, bytes, dict[str, str]], int]
"""(url, JSON body, headers) -> HTTP status; raises OSError when the address does not
answer."""


def pickup_key(master: bytes, store_id: str) -> Ed25519PrivateKey:
    """The store's pickup-code key: derived, so every replica signs alike, none stores it."""
    seed = hmac.new(master, b"pickup-code:v1:" + store_id.encode(), hashlib.sha256).digest()
    return Ed25519PrivateKey.from_private_bytes(seed)


def share_signature(master: bytes, campaign_id: str) -> str:
    key = hmac.new(master, b"groupbuy-share:v1", hashlib.sha256).digest()
    return hmac.new(key, campaign_id.encode(), hashlib.sha256).hexdigest()[:24]


def order_token(master: bytes, order_id: str) -> str:
    key = hmac.new(master, b"groupbuy-order:v1", hashlib.sha256).digest()
    return hmac.new(key, order_id.encode(), hashlib.sha256).hexdigest()[:32]


def refund_id_of(order_id: str, kind: str, problem_id: str = "") -> str:
    """One id per order and kind (and problem, for kind `problem`): the provider's
    idempotency key (`out_refund_no`)."""
    name = f"groupbuy-refund:{kind}" + (f":{problem_id}" if problem_id else "")
    return str(uuid.uuid5(uuid.UUID(order_id), name))


def leader_signature(master: bytes, leader: str) -> str:
    key = hmac.new(master, b"groupbuy-leader:v1", hashlib.sha256).digest()
    return hmac.new(key, leader.encode(), hashlib.sha256).hexdigest()[:24]


def webhook_signature(secret: bytes, timestamp: int, body: bytes) -> str:
    """`v1=` and the hex HMAC-SHA256 of "<timestamp>.<body>": the timestamp is signed
    so an old delivery replayed later fails the receiver's freshness check."""
    mac = hmac.new(secret, str(timestamp).encode() + b"." + body, hashlib.sha256)
    return f"{WEBHOOK_SIGNATURE_VERSION}={mac.hexdigest()}"


def webhook_signatures(secrets: Sequence[bytes], timestamp: int, body: bytes) -> str:
    """The signature header's value: one `v1=` signature per secret, comma-separated (the
    new and the old while a secret is rotated; a receiver accepts the delivery when any of
    them is its secret's)."""
    return ",".join(webhook_signature(secret, timestamp, body) for secret in secrets)


def _no_secret(store_id: str) -> tuple[bytes, ...]:
    return ()


def gtin14(gtin: str) -> str:
    """The catalog keys products by their GTIN-14; a GTIN-8, -12 or -13 is the same code
    with leading zeros."""
    return gtin.zfill(14)


def collected_with(conn: Connection, sale_id: str) -> list[CollectedOrder]:
    """The group-buy orders handed out at a kiosk with the sale `sale_id`, in the order they
    were collected (its e-receipt lists them, as the kiosk's paper receipt does). A pickup
    recorded as more than was left ("over": two kiosks offline) was handed out all the same."""
    picked = conn.execute(
        select(groupbuy_pickups, groupbuy_orders.c.buyer, groupbuy_orders.c.campaign_id)
        .join(groupbuy_orders, groupbuy_orders.c.order_id == groupbuy_pickups.c.order_id)
        .where(groupbuy_pickups.c.sale_id == sale_id)
        .order_by(groupbuy_pickups.c.at_ms, groupbuy_pickups.c.pickup_id)
    ).all()
    campaigns = {row.campaign_id for row in picked}
    names = {
        (item.campaign_id, item.gtin): json.loads(item.names)
        for item in conn.execute(
            select(groupbuy_items.c.campaign_id, groupbuy_items.c.gtin, groupbuy_items.c.names)
            .where(groupbuy_items.c.campaign_id.in_(campaigns))
        )
    } if campaigns else {}  # fmt: skip
    return [
        CollectedOrder(
            row.order_id,
            row.pickup_id,
            row.buyer,
            tuple(
                CollectedLine(gtin, names.get((row.campaign_id, gtin), {}), int(units))
                for gtin, units in json.loads(row.lines).items()
                if int(units) > 0
            ),
        )
        for row in picked
    ]


def _ms(text: str) -> int:
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise Invalid(f"{text!r} is not an ISO 8601 time", reason="validation") from None
    if when.tzinfo is None:
        raise Invalid(f"{text!r} needs a time zone", reason="validation")
    return int(when.timestamp() * 1000)


def forget_photos(conn: Connection, now_ms: int, keep_days: int, limit: int = FORGET_BATCH) -> int:
    """Deletes the photos of problems resolved `keep_days` or more ago, at most `limit` of
    them; how many it deleted. Read from the photos (kept ones only: few) by the problem's
    key, so the problems of every past year are not scanned."""
    due = (
        select(groupbuy_problem_photos.c.problem_id)
        .join(groupbuy_problems,
              groupbuy_problems.c.problem_id == groupbuy_problem_photos.c.problem_id)
        .where(groupbuy_problems.c.resolved_ms <= now_ms - keep_days * DAY_MS)
        .limit(limit)
    )  # fmt: skip
    gone = conn.execute(due).scalars().all()
    if not gone:
        return 0
    done = conn.execute(
        delete(groupbuy_problem_photos).where(groupbuy_problem_photos.c.problem_id.in_(gone))
    )
    # Another resolve (or the command) may have deleted some of them first.
    return done.rowcount


def _ladder(row: Any) -> Ladder:
    tiers = tuple(Tier(int(b), int(p)) for b, p in json.loads(row.tiers))
    return Ladder(int(row.price_minor), tiers)


@dataclass
class GroupBuyService:
    engine: Engine
    payments: PaymentService
    master: bytes
    clock_ms: Callable[[], int]
    webhook_secrets: Callable[[str], tuple[bytes, ...]] = _no_secret
    """The store's webhook secrets (`Settings.webhook_secrets_for`): none, one, or the new
    and the old while one is rotated."""
    photo_keep_days: int = PHOTO_KEEP_DAYS
    """Days a resolved problem's photo is kept (`Settings.photo_keep_days`)."""

    # ---------------------------------------------------------------- campaigns
    def create_campaign(self, body: NewCampaign, by: str, public_url: str) -> CampaignView:
        cutoff, start, until = _ms(body.cutoff_at), _ms(body.pickup_from), _ms(body.pickup_until)
        now = self.clock_ms()
        if not now < cutoff <= start < until:
            raise Invalid(
                "times must follow each other: now < cut-off <= pickup from < pickup until",
                reason="groupbuy_times",
            )
        if until - now > PICKUP_HORIZON_DAYS * DAY_MS:
            raise Invalid(
                f"the pickup window must end within {PICKUP_HORIZON_DAYS} days of now, "
                f"not at {body.pickup_until}: is the year right?",
                reason="groupbuy_times",
            )
        try:
            Money(0, body.currency)
        except KioskError as exc:
            raise Invalid(str(exc), reason="currency") from None
        body = body.model_copy(
            update={"items": [i.model_copy(update={"gtin": gtin14(i.gtin)}) for i in body.items]}
        )
        gtins = [item.gtin for item in body.items]
        if len(set(gtins)) != len(gtins):
            raise Invalid("a product is listed twice", reason="groupbuy_items")
        for item in body.items:
            Ladder(item.price_minor, tuple(Tier(t.min_buyers, t.price_minor) for t in item.tiers))
        if body.webhook_url and not self.webhook_secrets(body.store_id):
            raise Invalid(
                f"no webhook secret for store {body.store_id}: set "
                "CENTRAL_GROUPBUY_WEBHOOK_SECRETS, or leave the webhook out",
                reason="webhook_secret",
            )
        campaign_id = body.campaign_id.lower()
        with self.engine.begin() as conn:
            catalog = self._catalog(conn, gtins)
            fresh = insert_one_ignore(
                conn,
                groupbuy_campaigns,
                {
                    "campaign_id": campaign_id, "store_id": body.store_id, "leader": body.leader,
                    "title": body.title, "currency": body.currency, "cutoff_ms": cutoff,
                    "pickup_from_ms": start, "pickup_until_ms": until,
                    "commission_bp": body.commission_bp,
                    "unclaimed_policy": body.unclaimed_policy, "keep_days": body.keep_days,
                    "after_sales_hours": body.after_sales_hours,
                    "webhook_url": body.webhook_url, "status": "open", "created_by": by,
                    "created_ms": now,
                },
            )  # fmt: skip
            if not fresh:
                raise Invalid(
                    f"campaign {campaign_id} exists: a new campaign needs a new id",
                    reason="groupbuy_exists",
                )
            for position, item in enumerate(body.items):
                product = catalog[item.gtin]
                if product["currency"] != body.currency:
                    raise Invalid(
                        f"product {item.gtin} is priced in {product['currency']}",
                        reason="currency",
                    )
                conn.execute(
                    insert(groupbuy_items).values(
                        campaign_id=campaign_id, gtin=item.gtin, position=position,
                        names=json.dumps(product["names"], ensure_ascii=False),
                        price_minor=item.price_minor,
                        tiers=json.dumps([[t.min_buyers, t.price_minor] for t in item.tiers]),
                        per_person=item.per_person, stock=item.stock,
                    )
                )  # fmt: skip
            return self._campaign_view(conn, campaign_id, public_url)

    def _catalog(self, conn: Connection, gtins: Sequence[str]) -> dict[str, dict[str, Any]]:
        rows = conn.execute(
            select(feed_items.c.key, feed_items.c.data).where(
                feed_items.c.feed == "catalog",
                feed_items.c.key.in_(gtins),
                feed_items.c.deleted.is_(False),
            )
        ).all()
        found = {r.key: json.loads(r.data) for r in rows}
        for gtin in gtins:
            product = found.get(gtin)
            if product is None or not product.get("sellable", True) or product.get("recalled"):
                raise Invalid(
                    f"product {gtin} is not in the catalog, or not sellable: add it first",
                    reason="groupbuy_items",
                )
        return found

    def _campaign(self, conn: Connection, campaign_id: str, *, lock: bool = False) -> Any:
        query = select(groupbuy_campaigns).where(
            groupbuy_campaigns.c.campaign_id == campaign_id.lower()
        )
        row = conn.execute(query.with_for_update() if lock else query).first()
        if row is None:
            raise NotFound(f"no group-buy {campaign_id}", reason="campaign_not_found")
        return row

    def _items(self, conn: Connection, campaign_id: str) -> list[Any]:
        return list(
            conn.execute(
                select(groupbuy_items)
                .where(groupbuy_items.c.campaign_id == campaign_id)
                .order_by(groupbuy_items.c.position)
            )
        )

    def _buyers(self, conn: Connection, campaign_id: str) -> int:
        return int(
            conn.execute(
                select(func.count()).where(
                    groupbuy_orders.c.campaign_id == campaign_id,
                    groupbuy_orders.c.status.in_(PAID),
                )
            ).scalar_one()
        )

    def _taken(self, conn: Connection, campaign_id: str) -> dict[str, int]:
        rows = conn.execute(
            select(groupbuy_lines.c.gtin, func.sum(groupbuy_lines.c.quantity))
            .join(groupbuy_orders, groupbuy_orders.c.order_id == groupbuy_lines.c.order_id)
            .where(
                groupbuy_orders.c.campaign_id == campaign_id,
                groupbuy_orders.c.status.in_(HOLDS_STOCK),
            )
            .group_by(groupbuy_lines.c.gtin)
        ).all()
        return {gtin: int(total) for gtin, total in rows}

    def share_url(self, public_url: str, campaign_id: str) -> str:
        sig = share_signature(self.master, campaign_id)
        return f"{public_url.rstrip('/')}/g/{campaign_id}?s={sig}"

    def leader_url(self, public_url: str, leader: str) -> str:
        sig = leader_signature(self.master, leader)
        return f"{public_url.rstrip('/')}/g/leader?n={quote(leader, safe='')}&s={sig}"

    def leader_ok(self, leader: str, sig: str) -> bool:
        expected = leader_signature(self.master, leader)
        return hmac.compare_digest(expected.encode(), sig.encode())

    def share_ok(self, campaign_id: str, sig: str) -> bool:
        expected = share_signature(self.master, campaign_id.lower())
        return hmac.compare_digest(expected.encode(), sig.encode())

    def campaign(self, campaign_id: str, public_url: str | None) -> CampaignView:
        """The campaign as it stands; `public_url` None leaves the share link out."""
        with self.engine.begin() as conn:
            self._settle(conn, campaign_id.lower())
            return self._campaign_view(conn, campaign_id.lower(), public_url)

    def _campaign_view(
        self, conn: Connection, campaign_id: str, public_url: str | None
    ) -> CampaignView:
        row = self._campaign(conn, campaign_id)
        buyers = self._buyers(conn, row.campaign_id)
        if row.final_buyers is not None:
            buyers = int(row.final_buyers)
        taken = self._taken(conn, row.campaign_id)
        items = []
        for item in self._items(conn, row.campaign_id):
            ladder = _ladder(item)
            following = ladder.next_tier(buyers)
            items.append(
                ItemView(
                    gtin=item.gtin, names=json.loads(item.names), base_minor=ladder.base_minor,
                    price_minor=ladder.price(buyers), level=ladder.level(buyers),
                    tiers=[TierWire(min_buyers=t.min_buyers, price_minor=t.price_minor)
                           for t in ladder.tiers],
                    next_tier=None if following is None else TierWire(
                        min_buyers=following.min_buyers, price_minor=following.price_minor),
                    per_person=int(item.per_person), stock=int(item.stock),
                    left=max(0, int(item.stock) - taken.get(item.gtin, 0)),
                )
            )  # fmt: skip
        stars = conn.execute(
            select(func.count(), func.coalesce(func.sum(groupbuy_reviews.c.stars), 0)).where(
                groupbuy_reviews.c.campaign_id == row.campaign_id
            )
        ).one()
        return CampaignView(
            ratings=int(stars[0]), rating_avg=_average(int(stars[1]), int(stars[0])),
            leader_url=None if public_url is None else self.leader_url(public_url, row.leader),
            campaign_id=row.campaign_id, store_id=row.store_id, leader=row.leader,
            title=row.title, currency=row.currency, cutoff_at=iso_ms(row.cutoff_ms),
            pickup_from=iso_ms(row.pickup_from_ms), pickup_until=iso_ms(row.pickup_until_ms),
            status=row.status, buyers=buyers, commission_bp=int(row.commission_bp),
            unclaimed_policy=row.unclaimed_policy, keep_days=int(row.keep_days), items=items,
            after_sales_hours=None if row.after_sales_hours is None else int(row.after_sales_hours),
            share_url=None if public_url is None else self.share_url(public_url, row.campaign_id),
        )  # fmt: skip

    # ---------------------------------------------------------------- orders
    def join(self, campaign_id: str, body: JoinCampaign, public_url: str) -> OrderView:
        """Record the order at today's tier prices, then open its payment.

        The campaign row is locked while stock and the per-person limit are counted,
        so two joins cannot both take the last unit."""
        order_id = body.order_id.lower()
        buyer_key = hmac.new(
            hmac.new(self.master, b"groupbuy-buyer:v1", hashlib.sha256).digest(),
            f"{campaign_id.lower()}:{body.phone.lstrip('+')}".encode(),
            hashlib.sha256,
        ).hexdigest()
        now = self.clock_ms()
        with self.engine.begin() as conn:
            campaign = self._campaign(conn, campaign_id, lock=True)
            existing = self._order_row(conn, order_id)
            if existing is not None:
                if existing.buyer_key != buyer_key or existing.campaign_id != campaign.campaign_id:
                    raise Invalid(
                        f"order {order_id} exists: a new order needs a new id",
                        reason="groupbuy_exists",
                    )
            else:
                self._settle(conn, campaign.campaign_id)
                self._record_order(conn, campaign, order_id, body, buyer_key, now)
            order = self._order_row(conn, order_id)
        if order.status == "pending":
            self._open_payment(campaign, order, public_url, body.provider)
        return self.order(order_id, None, public_url, with_token=True)

    def _record_order(
        self,
        conn: Connection,
        campaign: Any,
        order_id: str,
        body: JoinCampaign,
        buyer_key: str,
        now: int,
    ) -> None:
        if campaign.status != "open" or now >= campaign.cutoff_ms:
            raise Invalid("this group-buy has closed: orders ended at the cut-off",
                          reason="groupbuy_closed")  # fmt: skip
        items = {item.gtin: item for item in self._items(conn, campaign.campaign_id)}
        wanted: dict[str, int] = {}
        for line in body.lines:
            gtin = gtin14(line.gtin)
            if gtin not in items:
                raise Invalid(f"product {line.gtin} is not in this group-buy",
                              reason="groupbuy_items")  # fmt: skip
            wanted[gtin] = wanted.get(gtin, 0) + line.quantity
        before = self._bought_by(conn, campaign.campaign_id, buyer_key)
        taken = self._taken(conn, campaign.campaign_id)
        buyers = self._buyers(conn, campaign.campaign_id)
        total = 0
        for gtin, quantity in wanted.items():
            item = items[gtin]
            if before.get(gtin, 0) + quantity > item.per_person:
                raise Invalid(
                    f"at most {item.per_person} of product {gtin} per person",
                    reason="groupbuy_limit",
                )
            if taken.get(gtin, 0) + quantity > item.stock:
                left = max(0, int(item.stock) - taken.get(gtin, 0))
                raise Invalid(f"only {left} of product {gtin} left", reason="groupbuy_stock")
            total += quantity * _ladder(item).price(buyers)
        conn.execute(
            insert(groupbuy_orders).values(
                order_id=order_id, campaign_id=campaign.campaign_id, buyer=body.buyer,
                buyer_key=buyer_key, status="pending", payment_id=str(uuid.uuid4()),
                paid_minor=total, created_ms=now,
            )
        )  # fmt: skip
        conn.execute(
            insert(groupbuy_lines),
            [
                {"order_id": order_id, "gtin": gtin, "quantity": quantity,
                 "unit_minor": _ladder(items[gtin]).price(buyers), "collected": 0}
                for gtin, quantity in wanted.items()
            ],
        )  # fmt: skip

    def _bought_by(self, conn: Connection, campaign_id: str, buyer_key: str) -> dict[str, int]:
        rows = conn.execute(
            select(groupbuy_lines.c.gtin, func.sum(groupbuy_lines.c.quantity))
            .join(groupbuy_orders, groupbuy_orders.c.order_id == groupbuy_lines.c.order_id)
            .where(
                groupbuy_orders.c.campaign_id == campaign_id,
                groupbuy_orders.c.buyer_key == buyer_key,
                groupbuy_orders.c.status.in_(HOLDS_STOCK),
            )
            .group_by(groupbuy_lines.c.gtin)
        ).all()
        return {gtin: int(total) for gtin, total in rows}

    def _open_payment(
        self, campaign: Any, order: Any, public_url: str, provider: str | None = None
    ) -> None:
        request = CreatePayment(
            payment_id=order.payment_id,
            sale_id=order.order_id,
            amount_minor=int(order.paid_minor),
            currency=campaign.currency,
            provider=provider,
            description=campaign.title[:127],
        )
        self.payments.create(self._kiosk(campaign.store_id), request, public_url)

    @staticmethod
    def _kiosk(store_id: str) -> AuthedKiosk:
        return AuthedKiosk(kiosk_id=PSEUDO_KIOSK, store_id=store_id, key_id="")

    def _order_row(self, conn: Connection, order_id: str) -> Any:
        return conn.execute(
            select(groupbuy_orders).where(groupbuy_orders.c.order_id == order_id.lower())
        ).first()

    def token_ok(self, order_id: str, token: str) -> bool:
        expected = order_token(self.master, order_id.lower())
        return hmac.compare_digest(expected.encode(), token.encode())

    def order(
        self, order_id: str, token: str | None, public_url: str, *, with_token: bool = False
    ) -> OrderView:
        """The order as its shopper sees it (`token` None: the service itself asks)."""
        order_id = order_id.lower()
        if token is not None and not self.token_ok(order_id, token):
            raise NotFound(f"no order {order_id}", reason="order_not_found")
        with self.engine.begin() as conn:
            row = self._order_row(conn, order_id)
            if row is None:
                raise NotFound(f"no order {order_id}", reason="order_not_found")
            still_open = self._open_payments(conn, groupbuy_orders.c.order_id == order_id)
        for payment_id in still_open:
            # No callback yet: the payment service asks the provider when a check is due.
            self.payments.refresh(payment_id, None, public_url)
        with self.engine.begin() as conn:
            self._settle(conn, row.campaign_id)
            return self._order_view(conn, order_id, with_token=with_token)

    def _open_payments(self, conn: Connection, *where: Any) -> list[str]:
        """The open payments of pending orders (`where` narrows them down). A pending order
        may have none: the provider did not answer its join (a re-sent join tries again)."""
        return list(
            conn.execute(
                select(payments.c.payment_id)
                .join(groupbuy_orders, groupbuy_orders.c.payment_id == payments.c.payment_id)
                .where(
                    groupbuy_orders.c.status == "pending",
                    payments.c.status.in_(("created", "shown")),
                    *where,
                )
            ).scalars()
        )

    def _order_view(
        self, conn: Connection, order_id: str, *, with_token: bool = False
    ) -> OrderView:
        row = self._order_row(conn, order_id)
        campaign = self._campaign(conn, row.campaign_id)
        names = {item.gtin: json.loads(item.names) for item in self._items(conn, row.campaign_id)}
        lines = conn.execute(
            select(groupbuy_lines)
            .where(groupbuy_lines.c.order_id == order_id)
            .order_by(groupbuy_lines.c.gtin)
        ).all()
        refunds = conn.execute(
            select(groupbuy_refunds)
            .where(groupbuy_refunds.c.order_id == order_id)
            .order_by(groupbuy_refunds.c.created_ms)
        ).all()
        payment = conn.execute(
            select(payments.c.status, payments.c.qr_payload).where(
                payments.c.payment_id == row.payment_id
            )
        ).first()
        code = None
        if row.status in ("paid", *HANDED_OUT):
            code = self._pickup_code(campaign, row, sum(int(line.quantity) for line in lines))
        review = conn.execute(
            select(groupbuy_reviews).where(groupbuy_reviews.c.order_id == order_id)
        ).first()
        problems = conn.execute(
            select(groupbuy_problems)
            .where(groupbuy_problems.c.order_id == order_id)
            .order_by(groupbuy_problems.c.created_ms, groupbuy_problems.c.problem_id)
        ).all()
        until = self._report_until(conn, order_id, campaign)
        now = self.clock_ms()
        return OrderView(
            review=None if review is None else ReviewView(
                stars=int(review.stars), text=review.text, at=iso_ms(int(review.updated_ms))),
            problems=[self._problem_view(conn, p, row) for p in problems],
            order_id=row.order_id, campaign_id=row.campaign_id, store_id=campaign.store_id,
            buyer=row.buyer, status=row.status, currency=campaign.currency,
            paid_minor=int(row.paid_minor),
            final_minor=None if row.final_minor is None else int(row.final_minor),
            lines=[
                OrderLineView(
                    gtin=line.gtin, names=names.get(line.gtin, {}),
                    quantity=int(line.quantity), unit_minor=int(line.unit_minor),
                    final_unit_minor=None if line.final_unit_minor is None
                    else int(line.final_unit_minor),
                    collected=int(line.collected),
                    report_until=iso_ms(until.get(line.gtin)),
                    may_report=line.collected > 0 and now <= until.get(line.gtin, now),
                )
                for line in lines
            ],
            refunds=[
                RefundView(kind=r.kind, amount_minor=int(r.amount_minor), status=r.status)
                for r in refunds
            ],
            payment_status=payment.status if payment else "created",
            pay_url=payment.qr_payload if payment and row.status == "pending" else None,
            pickup_code=code,
            token=order_token(self.master, row.order_id) if with_token else None,
        )  # fmt: skip

    def _settle(self, conn: Connection, campaign_id: str) -> None:
        """Bring pending orders in line with their payments: paid, or expired (the
        payment ended unpaid, so the stock it held is free again)."""
        rows = conn.execute(
            select(groupbuy_orders.c.order_id, payments.c.status, payments.c.paid_at)
            .join(payments, payments.c.payment_id == groupbuy_orders.c.payment_id)
            .where(
                groupbuy_orders.c.campaign_id == campaign_id,
                groupbuy_orders.c.status == "pending",
                payments.c.status.in_(("paid", "expired", "cancelled", "failed")),
            )
        ).all()
        for order_id, status, paid_at in rows:
            conn.execute(
                update(groupbuy_orders)
                .where(
                    groupbuy_orders.c.order_id == order_id, groupbuy_orders.c.status == "pending"
                )
                .values(
                    status="paid" if status == "paid" else "expired",
                    paid_ms=paid_at if status == "paid" else None,
                )
            )

    def cancel(self, order_id: str, token: str, public_url: str) -> OrderView:
        """Before the cut-off, a shopper may cancel: an open payment is closed, a paid
        order is refunded in full (once: the refund row is unique per order and kind)."""
        order_id = order_id.lower()
        if not self.token_ok(order_id, token):
            raise NotFound(f"no order {order_id}", reason="order_not_found")
        with self.engine.begin() as conn:
            row = self._order_row(conn, order_id)
            if row is None:
                raise NotFound(f"no order {order_id}", reason="order_not_found")
            campaign = self._campaign(conn, row.campaign_id)
        if row.status in ("cancelled", "expired"):
            return self.order(order_id, None, public_url)
        _check_cancellable(campaign, self.clock_ms())
        with self.engine.begin() as conn:
            still_open = self._open_payments(conn, groupbuy_orders.c.order_id == order_id)
        for payment_id in still_open:
            self.payments.cancel(payment_id, self._kiosk(campaign.store_id), public_url)
        with self.engine.begin() as conn:
            # Checked again under the lock the cut-off takes: one that froze the orders
            # since the check above counted this buyer in the final tier and owes the order
            # its difference, so a full refund now would pay back more than was paid.
            campaign = self._campaign(conn, row.campaign_id, lock=True)
            now = self.clock_ms()
            _check_cancellable(campaign, now)
            self._settle(conn, row.campaign_id)
            row = self._order_row(conn, order_id)
            if row.status == "paid":
                self._record_refund(
                    conn, row, "cancel", int(row.paid_minor), campaign.currency, now
                )
            if row.status in ("pending", "paid", "expired"):
                conn.execute(
                    update(groupbuy_orders)
                    .where(groupbuy_orders.c.order_id == order_id)
                    .values(status="cancelled")
                )
        self.send_refunds([refund_id_of(order_id, "cancel")])
        return self.order(order_id, None, public_url)

    def can_cancel(self, order: OrderView, campaign: CampaignView) -> bool:
        return (
            order.status in ("pending", "paid")
            and campaign.status == "open"
            and self.clock_ms() < _ms(campaign.cutoff_at)
        )

    # ---------------------------------------------------------------- refunds
    def _record_refund(
        self, conn: Connection, order: Any, kind: str, amount: int, currency: str, now: int,
        problem_id: str = "",
    ) -> bool:  # fmt: skip
        if amount <= 0:
            return False
        return insert_one_ignore(
            conn,
            groupbuy_refunds,
            {
                "refund_id": refund_id_of(order.order_id, kind, problem_id),
                "order_id": order.order_id, "kind": kind, "amount_minor": amount,
                "currency": currency, "status": "pending", "created_ms": now,
                "updated_ms": now, "problem_id": problem_id,
            },
        )  # fmt: skip

    def send_refunds(self, refund_ids: Iterable[str]) -> None:
        """Send each refund not confirmed yet to its order's provider (again, under the
        same id, if an earlier attempt got no final answer)."""
        for refund_id in refund_ids:
            with self.engine.begin() as conn:
                row = conn.execute(
                    select(groupbuy_refunds, groupbuy_orders.c.payment_id)
                    .join(
                        groupbuy_orders, groupbuy_orders.c.order_id == groupbuy_refunds.c.order_id
                    )
                    .where(
                        groupbuy_refunds.c.refund_id == refund_id,
                        groupbuy_refunds.c.status.in_(("pending", "processing")),
                    )
                ).first()
                payment = None
                if row is not None:
                    payment = conn.execute(
                        select(payments).where(payments.c.payment_id == row.payment_id)
                    ).first()
            if row is None or payment is None:
                continue
            state, reference, detail = self._refund_at_provider(row, payment)
            with self.engine.begin() as conn:
                conn.execute(
                    update(groupbuy_refunds)
                    .where(
                        groupbuy_refunds.c.refund_id == refund_id,
                        groupbuy_refunds.c.status.in_(("pending", "processing")),
                    )
                    .values(
                        status=state, provider_ref=reference, failure=detail[:200] or None,
                        updated_ms=self.clock_ms(),
                    )
                )  # fmt: skip

    def _refund_at_provider(self, row: Any, payment: Any) -> tuple[str, str | None, str]:
        provider: Any = self.payments.providers.get(payment.store_id, payment.provider)
        if not hasattr(provider, "refund"):
            return "failed", None, f"{payment.provider} cannot refund: pay back at the store"
        order = Order(session_of(payment), payment.kiosk_id, payment.store_id, "", "")
        refund = RefundOrder(
            row.refund_id, order, Money(int(row.amount_minor), row.currency),
            f"group-buy {row.kind}",
        )  # fmt: skip
        try:
            report = provider.refund(refund)
        except (ProviderUnavailable, ProviderRefused) as exc:
            log.warning("group-buy refund %s not sent: %s", row.refund_id, exc)
            return "pending", None, str(exc)
        return report.state, report.reference, report.detail

    def _unsent(self, conn: Connection, campaign_id: str) -> list[str]:
        return list(
            conn.execute(
                select(groupbuy_refunds.c.refund_id)
                .join(groupbuy_orders, groupbuy_orders.c.order_id == groupbuy_refunds.c.order_id)
                .where(
                    groupbuy_orders.c.campaign_id == campaign_id,
                    groupbuy_refunds.c.status.in_(("pending", "processing")),
                )
                .order_by(groupbuy_refunds.c.refund_id)
            ).scalars()
        )

    # ---------------------------------------------------------------- cut-off
    def cut_off(self, campaign_id: str, public_url: str) -> CutOffResult:
        """Freeze the orders at the final tier and give back the differences, once."""
        campaign_id = campaign_id.lower()
        now = self.clock_ms()
        with self.engine.begin() as conn:
            campaign = self._campaign(conn, campaign_id)
            if campaign.status == "open" and now < campaign.cutoff_ms:
                raise Invalid(f"the cut-off is at {iso_ms(campaign.cutoff_ms)}",
                              reason="groupbuy_not_yet")  # fmt: skip
            pending = self._open_payments(conn, groupbuy_orders.c.campaign_id == campaign_id)
        # Orders still unpaid at the cut-off are closed (money that came first is paid).
        for payment_id in pending:
            self.payments.cancel(payment_id, self._kiosk(campaign.store_id), public_url)
        with self.engine.begin() as conn:
            campaign = self._campaign(conn, campaign_id, lock=True)
            if campaign.status == "open":
                self._freeze(conn, campaign, now)
            unsent = self._unsent(conn, campaign_id)
        self.send_refunds(unsent)
        with self.engine.begin() as conn:
            campaign = self._campaign(conn, campaign_id)
            counts = self._status_counts(conn, campaign_id)
            refunds = conn.execute(
                select(func.count(), func.coalesce(func.sum(groupbuy_refunds.c.amount_minor), 0))
                .join(groupbuy_orders, groupbuy_orders.c.order_id == groupbuy_refunds.c.order_id)
                .where(
                    groupbuy_orders.c.campaign_id == campaign_id,
                    groupbuy_refunds.c.kind == "difference",
                    groupbuy_refunds.c.status == "refunded",
                )
            ).one()
            left = len(self._unsent(conn, campaign_id))
        return CutOffResult(
            campaign_id=campaign_id, buyers=int(campaign.final_buyers or 0),
            orders=sum(counts.get(s, 0) for s in PAID), expired=counts.get("expired", 0),
            refunds=int(refunds[0]), refunded_minor=int(refunds[1]), unsent=left,
        )  # fmt: skip

    def _freeze(self, conn: Connection, campaign: Any, now: int) -> None:
        """The first step of the cut-off, in the caller's transaction: all or nothing."""
        self._settle(conn, campaign.campaign_id)
        conn.execute(
            update(groupbuy_orders)
            .where(
                groupbuy_orders.c.campaign_id == campaign.campaign_id,
                groupbuy_orders.c.status == "pending",
            )
            .values(status="expired")
        )
        buyers = self._buyers(conn, campaign.campaign_id)
        finals = {
            item.gtin: _ladder(item).price(buyers)
            for item in self._items(conn, campaign.campaign_id)
        }
        orders = conn.execute(
            select(groupbuy_orders).where(
                groupbuy_orders.c.campaign_id == campaign.campaign_id,
                groupbuy_orders.c.status == "paid",
            )
        ).all()
        for order in orders:
            lines = conn.execute(
                select(groupbuy_lines).where(groupbuy_lines.c.order_id == order.order_id)
            ).all()
            priced = [(Line(int(line.quantity), int(line.unit_minor)), finals[line.gtin])
                      for line in lines]  # fmt: skip
            for line in lines:
                conn.execute(
                    update(groupbuy_lines)
                    .where(groupbuy_lines.c.order_id == order.order_id,
                           groupbuy_lines.c.gtin == line.gtin)
                    .values(final_unit_minor=final_unit(int(line.unit_minor), finals[line.gtin]))
                )  # fmt: skip
            back = difference(priced)
            conn.execute(
                update(groupbuy_orders)
                .where(groupbuy_orders.c.order_id == order.order_id)
                .values(final_minor=int(order.paid_minor) - back)
            )
            self._record_refund(conn, order, "difference", back, campaign.currency, now)
        conn.execute(
            update(groupbuy_campaigns)
            .where(groupbuy_campaigns.c.campaign_id == campaign.campaign_id)
            .values(status="cut_off", final_buyers=buyers, cut_off_ms=now)
        )

    def _status_counts(self, conn: Connection, campaign_id: str) -> dict[str, int]:
        rows = conn.execute(
            select(groupbuy_orders.c.status, func.count())
            .where(groupbuy_orders.c.campaign_id == campaign_id)
            .group_by(groupbuy_orders.c.status)
        ).all()
        return {status: int(n) for status, n in rows}

    # ---------------------------------------------------------------- the store
    def pick_list(self, campaign_id: str) -> tuple[Any, list[dict[str, Any]]]:
        """(campaign, one row per order line) of the orders frozen at the cut-off."""
        with self.engine.begin() as conn:
            campaign = self._campaign(conn, campaign_id)
            if campaign.status == "open":
                raise Invalid("the pick list is made at the cut-off", reason="groupbuy_not_yet")
            names = {i.gtin: json.loads(i.names) for i in self._items(conn, campaign.campaign_id)}
            rows = conn.execute(
                select(groupbuy_orders.c.order_id, groupbuy_orders.c.buyer,
                       groupbuy_orders.c.status, groupbuy_lines.c.gtin,
                       groupbuy_lines.c.quantity, groupbuy_lines.c.collected)
                .join(groupbuy_lines, groupbuy_lines.c.order_id == groupbuy_orders.c.order_id)
                .where(groupbuy_orders.c.campaign_id == campaign.campaign_id,
                       groupbuy_orders.c.status.in_(PAID))
                .order_by(groupbuy_orders.c.order_id, groupbuy_lines.c.gtin)
            ).all()  # fmt: skip
        return campaign, [
            {
                "order": short_ref(r.order_id), "order_id": r.order_id, "buyer": r.buyer,
                "status": r.status, "gtin": r.gtin,
                "product": _name(names.get(r.gtin, {})),
                "quantity": int(r.quantity), "collected": int(r.collected),
            }
            for r in rows
        ]  # fmt: skip

    def mark_ready(self, campaign_id: str, order_ids: Sequence[str] | None) -> tuple[int, bool]:
        """(orders now ready, whether a webhook is queued). Only paid orders of a campaign
        that was cut off; the webhook is written to an outbox row here and posted after
        the answer (`deliver_webhooks`), so a slow integration never holds the store up."""
        now = self.clock_ms()
        with self.engine.begin() as conn:
            campaign = self._campaign(conn, campaign_id, lock=True)
            if campaign.status == "open":
                raise Invalid(
                    "orders are marked ready after the cut-off", reason="groupbuy_not_yet"
                )
            query = select(groupbuy_orders.c.order_id).where(
                groupbuy_orders.c.campaign_id == campaign.campaign_id,
                groupbuy_orders.c.status == "paid",
            )
            if order_ids is not None:
                query = query.where(groupbuy_orders.c.order_id.in_([o.lower() for o in order_ids]))
            ready = list(conn.execute(query).scalars())
            if ready:
                conn.execute(
                    update(groupbuy_orders)
                    .where(groupbuy_orders.c.order_id.in_(ready))
                    .values(status="ready", ready_ms=now)
                )
            queued = bool(ready and campaign.webhook_url)
            if queued:
                body = {
                    "event": "orders.ready",
                    "campaign_id": campaign.campaign_id,
                    "store_id": campaign.store_id,
                    "order_ids": ready,
                    "at": iso_ms(now),
                }
                conn.execute(
                    insert(groupbuy_webhooks).values(
                        campaign_id=campaign.campaign_id, url=campaign.webhook_url,
                        body=json.dumps(body), attempts=0, created_ms=now,
                    )
                )  # fmt: skip
        return len(ready), queued

    def deliver_webhooks(self, post: Post, limit: int = 100) -> int:
        """Post the webhooks not delivered yet (each up to `WEBHOOK_ATTEMPTS` times, one
        try per call); returns how many were delivered."""
        with self.engine.begin() as conn:
            rows = conn.execute(
                select(groupbuy_webhooks, groupbuy_campaigns.c.store_id)
                .join(groupbuy_campaigns,
                      groupbuy_campaigns.c.campaign_id == groupbuy_webhooks.c.campaign_id)
                .where(groupbuy_webhooks.c.delivered_ms.is_(None),
                       groupbuy_webhooks.c.attempts < WEBHOOK_ATTEMPTS)
                .order_by(groupbuy_webhooks.c.id)
                .limit(limit)
            ).all()  # fmt: skip
        delivered = 0
        for row in rows:
            body = row.body.encode()
            secrets = self.webhook_secrets(row.store_id)
            error: str | None
            if not secrets:
                # Never sent unsigned: the receiver could not tell it from a forgery.
                error = f"no webhook secret for store {row.store_id}"
            else:
                # Signed at each attempt: the timestamp says when this one was sent.
                now_s = self.clock_ms() // 1000
                headers = {
                    HEADER_WEBHOOK_TIMESTAMP: str(now_s),
                    HEADER_WEBHOOK_SIGNATURE: webhook_signatures(secrets, now_s, body),
                    HEADER_WEBHOOK_DELIVERY: str(row.id),
                }
                try:
                    status = post(row.url, body, headers)
                    error = None if 200 <= status < 300 else f"HTTP {status}"
                except OSError as exc:
                    error = str(exc)
            delivered += error is None
            with self.engine.begin() as conn:
                conn.execute(
                    update(groupbuy_webhooks)
                    .where(groupbuy_webhooks.c.id == row.id)
                    .values(
                        attempts=groupbuy_webhooks.c.attempts + 1,
                        delivered_ms=self.clock_ms() if error is None else None,
                        last_error=None if error is None else error[:200],
                    )
                )
        return delivered

    # ---------------------------------------------------------------- pickup
    def _pickup_code(self, campaign: Any, order: Any, units: int) -> str:
        until = int(campaign.pickup_until_ms)
        if campaign.unclaimed_policy == "keep":
            until += int(campaign.keep_days) * DAY_MS
        if order.kept_until_ms is not None:
            until = max(until, int(order.kept_until_ms))
        pickup = PickupPass(
            store_id=campaign.store_id, order_id=order.order_id, units=min(units, 0xFFFF),
            valid_until=datetime.fromtimestamp(until // 1000, UTC),
        )  # fmt: skip
        key = pickup_key(self.master, campaign.store_id)
        return encode(pickup, key.sign(pickup.signed_bytes()))

    def public_key(self, store_id: str) -> PickupKey:
        key = pickup_key(self.master, store_id).public_key()
        raw = key.public_bytes(Encoding.Raw, PublicFormat.Raw)
        return PickupKey(store_id=store_id, public_key=raw.hex())

    def check_code(self, code: str) -> PickupPass:
        """The pickup pass of a code signed with its store's key, or `Invalid`."""
        try:
            data, signature = split(code)
            pickup = PickupPass.from_signed_bytes(data)
        except PickupCodeError as exc:
            raise Invalid(f"not a pickup code: {exc}", reason="pickup_code") from None
        try:
            pickup_key(self.master, pickup.store_id).public_key().verify(signature, data)
        except InvalidSignature:
            raise Invalid("the pickup code's signature does not verify: call staff",
                          reason="pickup_code") from None  # fmt: skip
        return pickup

    def pickup(self, body: Pickup, by: str, store_id: str | None) -> PickupResult:
        """Hand out an order, or part of it, once per `pickup_id`.

        A pickup of more than is left (the same code collected on two kiosks while
        offline) is kept as `over` for staff to see and changes nothing."""
        pickup = self.check_code(body.code)
        if store_id is not None and pickup.store_id != store_id:
            raise Forbidden("this order is collected at another store", reason="pickup_store")
        now = self.clock_ms()
        pickup_id = body.pickup_id.lower()
        with self.engine.begin() as conn:
            order = self._order_row(conn, pickup.order_id)
            if order is None:
                raise NotFound(f"no order {pickup.order_id}", reason="order_not_found")
            self._campaign(conn, order.campaign_id, lock=True)
            seen = conn.execute(
                select(groupbuy_pickups.c.result).where(groupbuy_pickups.c.pickup_id == pickup_id)
            ).scalar()
            if seen is not None:
                view = self._order_view(conn, order.order_id)
                return PickupResult(result="duplicate", order=view)
            # A collected order is recorded as `over` below: that is the double pickup.
            if order.status not in (*HANDED_OUT, "collected"):
                raise Invalid(f"this order is {order.status}, not ready for pickup",
                              reason="pickup_not_ready")  # fmt: skip
            lines = {
                r.gtin: r
                for r in conn.execute(
                    select(groupbuy_lines).where(groupbuy_lines.c.order_id == order.order_id)
                )
            }
            left = {g: int(r.quantity) - int(r.collected) for g, r in lines.items()}
            wanted = dict(body.lines) if body.lines is not None else {
                g: n for g, n in left.items() if n > 0}  # fmt: skip
            if any(g not in lines or n < 0 for g, n in wanted.items()):
                raise Invalid("a line of the pickup is not in the order", reason="pickup_lines")
            over = not any(wanted.values()) or any(n > left[g] for g, n in wanted.items())
            conn.execute(
                insert(groupbuy_pickups).values(
                    pickup_id=pickup_id, order_id=order.order_id, lines=json.dumps(wanted),
                    by=by[:128], at_ms=now, result="over" if over else "stored",
                    sale_id=None if body.sale_id is None else body.sale_id.lower(),
                )
            )  # fmt: skip
            if over:
                view = self._order_view(conn, order.order_id)
                return PickupResult(
                    result="over", order=view,
                    detail="more than is left of this order: it was collected already",
                )  # fmt: skip
            for gtin, n in wanted.items():
                conn.execute(
                    update(groupbuy_lines)
                    .where(groupbuy_lines.c.order_id == order.order_id,
                           groupbuy_lines.c.gtin == gtin)
                    .values(collected=groupbuy_lines.c.collected + n)
                )  # fmt: skip
            done = all(left[g] - wanted.get(g, 0) == 0 for g in left)
            conn.execute(
                update(groupbuy_orders)
                .where(groupbuy_orders.c.order_id == order.order_id)
                .values(status="collected" if done else "partly_collected", collected_ms=now)
            )
            return PickupResult(result="stored", order=self._order_view(conn, order.order_id))

    def pickup_batch(self, pickups: Sequence[Pickup], by: str, store_id: str) -> PickupBatchResult:
        """A kiosk's pickups, each on its own: one that cannot be stored as reported
        (collected elsewhere first, not ready, a bad code) is a `conflict` with the reason,
        which the kiosk keeps for staff; it never holds up the others."""
        results = []
        for body in pickups:
            try:
                done = self.pickup(body, by, store_id)
            except (Invalid, Forbidden, NotFound) as exc:
                results.append(PickupBatchItem(pickup_id=body.pickup_id.lower(),
                                               result="conflict", detail=str(exc)))  # fmt: skip
                continue
            result = "conflict" if done.result == "over" else done.result
            results.append(
                PickupBatchItem(pickup_id=body.pickup_id.lower(), result=result, detail=done.detail)
            )
        return PickupBatchResult(results=results)

    def ready_orders(self, store_id: str) -> list[OrderView]:
        """What a kiosk of the store keeps for offline pickup."""
        with self.engine.begin() as conn:
            ids = conn.execute(
                select(groupbuy_orders.c.order_id)
                .join(groupbuy_campaigns,
                      groupbuy_campaigns.c.campaign_id == groupbuy_orders.c.campaign_id)
                .where(groupbuy_campaigns.c.store_id == store_id,
                       groupbuy_orders.c.status.in_(HANDED_OUT))
                .order_by(groupbuy_orders.c.order_id)
            ).scalars().all()  # fmt: skip
            return [self._order_view(conn, order_id) for order_id in ids]

    # ---------------------------------------------------------------- after the window
    def unclaimed(self, campaign_id: str) -> UnclaimedResult:
        """After the pickup window: refund what was not collected, or keep it `keep_days`
        more (the campaign's policy); a kept order is refunded when that time is up."""
        now = self.clock_ms()
        refunded = kept = 0
        with self.engine.begin() as conn:
            campaign = self._campaign(conn, campaign_id, lock=True)
            if campaign.status == "open" or now < campaign.pickup_until_ms:
                raise Invalid(f"the pickup window ends at {iso_ms(campaign.pickup_until_ms)}",
                              reason="groupbuy_not_yet")  # fmt: skip
            orders = conn.execute(
                select(groupbuy_orders).where(
                    groupbuy_orders.c.campaign_id == campaign.campaign_id,
                    groupbuy_orders.c.status.in_(("paid", *HANDED_OUT)),
                )
            ).all()
            for order in orders:
                if campaign.unclaimed_policy == "keep" and order.status != "kept":
                    until = int(campaign.pickup_until_ms) + int(campaign.keep_days) * DAY_MS
                    if now < until:
                        conn.execute(
                            update(groupbuy_orders)
                            .where(groupbuy_orders.c.order_id == order.order_id)
                            .values(status="kept", kept_until_ms=until)
                        )
                        kept += 1
                        continue
                if order.kept_until_ms is not None and now < order.kept_until_ms:
                    continue
                lines = conn.execute(
                    select(groupbuy_lines).where(groupbuy_lines.c.order_id == order.order_id)
                ).all()
                amount = sum(
                    (int(line.quantity) - int(line.collected)) * int(line.final_unit_minor)
                    for line in lines
                )
                self._record_refund(conn, order, "unclaimed", amount, campaign.currency, now)
                conn.execute(
                    update(groupbuy_orders)
                    .where(groupbuy_orders.c.order_id == order.order_id)
                    .values(status="unclaimed")
                )
                refunded += 1
            still = (
                conn.execute(
                    select(groupbuy_orders.c.order_id).where(
                        groupbuy_orders.c.campaign_id == campaign.campaign_id,
                        groupbuy_orders.c.status.in_(HANDED_OUT),
                    )
                )
                .scalars()
                .all()
            )
            if not still:
                conn.execute(
                    update(groupbuy_campaigns)
                    .where(groupbuy_campaigns.c.campaign_id == campaign.campaign_id)
                    .values(status="closed")
                )
            unsent = self._unsent(conn, campaign.campaign_id)
        self.send_refunds(unsent)
        with self.engine.begin() as conn:
            left = [self._order_view(conn, order_id) for order_id in still]
        return UnclaimedResult(refunded=refunded, kept=kept, left=left)

    # ---------------------------------------------------------------- after-sales
    def _shopper_order(self, conn: Connection, order_id: str, token: str) -> Any:
        """The order its token opens, or NotFound: a buyer reaches only their own."""
        order_id = order_id.lower()
        row = self._order_row(conn, order_id) if self.token_ok(order_id, token) else None
        if row is None:
            raise NotFound(f"no order {order_id}", reason="order_not_found")
        return row

    def review(self, order_id: str, token: str, body: Review, public_url: str) -> OrderView:
        """The buyer's stars and words, once something was collected; one per order,
        and sending again changes it (a buyer whose problem was put right may think
        better of the campaign)."""
        now = self.clock_ms()
        with self.engine.begin() as conn:
            row = self._shopper_order(conn, order_id, token)
            if not self._collected(conn, row.order_id):
                raise Invalid("an order is rated once it was collected",
                              reason="groupbuy_not_collected")  # fmt: skip
            text = body.text.strip()
            fresh = insert_one_ignore(
                conn,
                groupbuy_reviews,
                {"order_id": row.order_id, "campaign_id": row.campaign_id, "stars": body.stars,
                 "text": text, "created_ms": now, "updated_ms": now},
            )  # fmt: skip
            if not fresh:
                conn.execute(
                    update(groupbuy_reviews)
                    .where(groupbuy_reviews.c.order_id == row.order_id)
                    .values(stars=body.stars, text=text, updated_ms=now)
                )
        return self.order(row.order_id, None, public_url)

    def _collected(self, conn: Connection, order_id: str) -> dict[str, Any]:
        """The order's lines of which something was collected, by product."""
        return {
            line.gtin: line
            for line in conn.execute(
                select(groupbuy_lines).where(
                    groupbuy_lines.c.order_id == order_id, groupbuy_lines.c.collected > 0
                )
            )
        }

    def report_problem(
        self,
        order_id: str,
        token: str,
        body: NewProblem,
        public_url: str,
        photo: KeptPhoto | None = None,
    ) -> OrderView:
        """A problem with collected units of one line, for the store to resolve. The
        units already in an open or refunded problem of that line cannot be reported
        again, so what the store may refund never passes what was handed out. `photo`,
        the buyer's (`photos.kept_photo`), is kept with it; a re-sent report keeps the
        first one's."""
        now = self.clock_ms()
        problem_id = body.problem_id.lower()
        gtin = gtin14(body.gtin)
        with self.engine.begin() as conn:
            row = self._shopper_order(conn, order_id, token)
            campaign = self._campaign(conn, row.campaign_id, lock=True)
            seen = conn.execute(
                select(groupbuy_problems.c.order_id).where(
                    groupbuy_problems.c.problem_id == problem_id
                )
            ).scalar()
            if seen is not None:
                if seen != row.order_id:
                    raise Invalid(f"problem {problem_id} exists: a new one needs a new id",
                                  reason="groupbuy_exists")  # fmt: skip
                return self._order_view(conn, row.order_id)
            line = self._collected(conn, row.order_id).get(gtin)
            if line is None:
                raise Invalid("report a problem with something you collected",
                              reason="groupbuy_not_collected")  # fmt: skip
            until = self._report_until(conn, row.order_id, campaign).get(gtin)
            if until is not None and now > until:
                raise Invalid(
                    f"problems with product {gtin} were taken until {iso_ms(until)}",
                    reason="after_sales_closed",
                )
            taken = self._reported(conn, row.order_id, gtin)
            if body.quantity > int(line.collected) - taken:
                raise Invalid(
                    f"at most {int(line.collected) - taken} of product {gtin} can be reported",
                    reason="problem_quantity",
                )
            conn.execute(
                insert(groupbuy_problems).values(
                    problem_id=problem_id, order_id=row.order_id, campaign_id=row.campaign_id,
                    store_id=campaign.store_id, gtin=gtin, quantity=body.quantity,
                    reason=body.reason, note=body.note.strip(), status="open", created_ms=now,
                )
            )  # fmt: skip
            if photo is not None:
                conn.execute(
                    insert(groupbuy_problem_photos).values(
                        problem_id=problem_id, jpeg=photo.jpeg, width=photo.width,
                        height=photo.height, created_ms=now,
                    )
                )  # fmt: skip
            return self._order_view(conn, row.order_id)

    def problem_photo(self, problem_id: str, stores: Collection[str] | None) -> bytes:
        """The JPEG kept with a problem of these stores (None: every store); NotFound when
        there is none, or the problem is another store's."""
        with self.engine.begin() as conn:
            problem = self._problem_row(conn, problem_id.lower(), stores)
            if not self._photo_kept(problem):
                raise NotFound(
                    f"problem {problem_id}'s photo was deleted {self.photo_keep_days} days "
                    "after the problem was resolved",
                    reason="problem_not_found",
                )
            jpeg = conn.execute(
                select(groupbuy_problem_photos.c.jpeg).where(
                    groupbuy_problem_photos.c.problem_id == problem_id.lower()
                )
            ).scalar()
        if jpeg is None:
            raise NotFound(f"problem {problem_id} has no photo", reason="problem_not_found")
        return bytes(jpeg)

    def _report_until(self, conn: Connection, order_id: str, campaign: Any) -> dict[str, int]:
        """When each product of the order collected so far stops taking problem reports:
        its last pickup and the campaign's after-sales hours (none for a campaign made
        before the window existed). A product collected in parts has its window from the
        last part, which may be the one found wrong."""
        if campaign.after_sales_hours is None:
            return {}
        last: dict[str, int] = {}
        # Only pickups that handed something out: one refused as more than was left (the
        # same code on a second kiosk, synced days later) must not reopen the window.
        for pickup in conn.execute(
            select(groupbuy_pickups.c.lines, groupbuy_pickups.c.at_ms).where(
                groupbuy_pickups.c.order_id == order_id, groupbuy_pickups.c.result == "stored"
            )
        ):
            for gtin, units in json.loads(pickup.lines).items():
                if units > 0:
                    last[gtin] = max(last.get(gtin, 0), int(pickup.at_ms))
        window = int(campaign.after_sales_hours) * HOUR_MS
        return {gtin: at + window for gtin, at in last.items()}

    def _reported(self, conn: Connection, order_id: str, gtin: str) -> int:
        return int(
            conn.execute(
                select(func.coalesce(func.sum(groupbuy_problems.c.quantity), 0)).where(
                    groupbuy_problems.c.order_id == order_id,
                    groupbuy_problems.c.gtin == gtin,
                    groupbuy_problems.c.status.in_(("open", "refunded")),
                )
            ).scalar_one()
        )

    def _problem_view(
        self, conn: Connection, problem: Any, order: Any | None = None
    ) -> ProblemView:
        order = order if order is not None else self._order_row(conn, problem.order_id)
        line = conn.execute(
            select(groupbuy_lines).where(
                groupbuy_lines.c.order_id == problem.order_id,
                groupbuy_lines.c.gtin == problem.gtin,
            )
        ).one()
        names = conn.execute(
            select(groupbuy_items.c.names).where(
                groupbuy_items.c.campaign_id == problem.campaign_id,
                groupbuy_items.c.gtin == problem.gtin,
            )
        ).scalar_one()
        currency = conn.execute(
            select(groupbuy_campaigns.c.currency).where(
                groupbuy_campaigns.c.campaign_id == problem.campaign_id
            )
        ).scalar_one()
        return ProblemView(
            currency=currency,
            problem_id=problem.problem_id, order_id=problem.order_id,
            campaign_id=problem.campaign_id, store_id=problem.store_id, buyer=order.buyer,
            gtin=problem.gtin, names=json.loads(names), quantity=int(problem.quantity),
            reason=problem.reason, note=problem.note, status=problem.status,
            refundable_minor=int(problem.quantity) * _final_unit(line),
            amount_minor=None if problem.amount_minor is None else int(problem.amount_minor),
            answer=problem.answer, created_at=iso_ms(int(problem.created_ms)),
            resolved_at=iso_ms(problem.resolved_ms), resolved_by=problem.resolved_by,
            photo=self._photo_kept(problem) and conn.execute(
                select(groupbuy_problem_photos.c.problem_id).where(
                    groupbuy_problem_photos.c.problem_id == problem.problem_id
                )
            ).first() is not None,
        )  # fmt: skip

    def _photo_kept(self, problem: Any) -> bool:
        """Whether a problem's photo is still kept: one past its time is gone to every
        reader, whenever `forget_photos` deletes it."""
        resolved = problem.resolved_ms
        return resolved is None or self.clock_ms() - int(resolved) < self.photo_keep_days * DAY_MS

    def problems(
        self,
        stores: Collection[str] | None,
        status: str | None = "open",
        limit: int = 200,
        conn: Connection | None = None,
    ) -> list[ProblemView]:
        """Problems of these stores (None: every store), oldest first; read on `conn` when
        given (a page's snapshot, whose lists must agree), else in a transaction of their own.
        """
        query = select(groupbuy_problems).order_by(
            groupbuy_problems.c.created_ms, groupbuy_problems.c.problem_id
        )
        if stores is not None:
            query = query.where(groupbuy_problems.c.store_id.in_(sorted(stores)))
        if status is not None:
            query = query.where(groupbuy_problems.c.status == status)
        with contextlib.nullcontext(conn) if conn is not None else self.engine.begin() as reading:
            return [self._problem_view(reading, p) for p in reading.execute(query.limit(limit))]

    def resolve(
        self, problem_id: str, body: Resolve, by: str, stores: Collection[str] | None
    ) -> ProblemView:
        """Refund the problem's units at the line's final price, or reject it with a
        reason. Once: the same decision sent again changes nothing (a refund not yet
        confirmed is sent again under its id); the other decision is refused."""
        problem_id = problem_id.lower()
        now = self.clock_ms()
        refund_id = None
        with self.engine.begin() as conn:
            problem = self._problem_row(conn, problem_id, stores)
            campaign = self._campaign(conn, problem.campaign_id, lock=True)
            problem = self._problem_row(conn, problem_id, stores)
            done = {"refund": "refunded", "reject": "rejected"}[body.action]
            if problem.status not in ("open", done):
                raise Invalid(f"this problem was {problem.status} already",
                              reason="problem_resolved")  # fmt: skip
            if body.action == "reject" and not body.answer.strip():
                raise Invalid("say why the problem is rejected", reason="problem_answer")
            order = self._order_row(conn, problem.order_id)
            if body.action == "refund":
                refund_id = refund_id_of(order.order_id, "problem", problem_id)
            if problem.status == "open":
                amount = None
                if body.action == "refund":
                    line = conn.execute(
                        select(groupbuy_lines).where(
                            groupbuy_lines.c.order_id == order.order_id,
                            groupbuy_lines.c.gtin == problem.gtin,
                        )
                    ).one()
                    amount = int(problem.quantity) * _final_unit(line)
                    self._check_line_cap(conn, order.order_id, line, amount)
                    self._record_refund(conn, order, "problem", amount, campaign.currency, now,
                                        problem_id)  # fmt: skip
                conn.execute(
                    update(groupbuy_problems)
                    .where(groupbuy_problems.c.problem_id == problem_id,
                           groupbuy_problems.c.status == "open")
                    .values(status=done, amount_minor=amount, resolved_by=by[:128],
                            resolved_ms=now, answer=body.answer.strip() or None)
                )  # fmt: skip
        if refund_id is not None:
            self.send_refunds([refund_id])
        with self.engine.begin() as conn:
            view = self._problem_view(conn, self._problem_row(conn, problem_id, stores))
        self._forget_due_photos(now)
        return view

    def _forget_due_photos(self, now: int) -> None:
        """Resolving problems is when photos come due: those past their time go here, a
        batch at a time (`central groupbuy forget-photos` where problems stop being
        resolved). The decision is made and answered whatever becomes of this: a failure
        (two resolves deleting the same batch, a busy database) is logged, and the photos
        are deleted by the next resolve; no reader sees them meanwhile (`_photo_kept`)."""
        try:
            with self.engine.begin() as conn:
                forget_photos(conn, now, self.photo_keep_days)
        except SQLAlchemyError:
            log.warning("photos past their time were not deleted; the next decision will",
                        exc_info=True)  # fmt: skip

    def _problem_row(
        self, conn: Connection, problem_id: str, stores: Collection[str] | None
    ) -> Any:
        row = conn.execute(
            select(groupbuy_problems).where(groupbuy_problems.c.problem_id == problem_id)
        ).first()
        # Another store's problem is as unknown as a missing one: staff see only theirs.
        if row is None or (stores is not None and row.store_id not in stores):
            raise NotFound(f"no problem {problem_id}", reason="problem_not_found")
        return row

    def _check_line_cap(self, conn: Connection, order_id: str, line: Any, amount: int) -> None:
        """Problem refunds of a line never pass what its collected units cost after the
        cut-off's difference (the uncollected units are the unclaimed refund's)."""
        before = conn.execute(
            select(func.coalesce(func.sum(groupbuy_refunds.c.amount_minor), 0))
            .join(groupbuy_problems,
                  groupbuy_problems.c.problem_id == groupbuy_refunds.c.problem_id)
            .where(groupbuy_refunds.c.order_id == order_id,
                   groupbuy_refunds.c.kind == "problem",
                   groupbuy_problems.c.gtin == line.gtin)
        ).scalar_one()  # fmt: skip
        if int(before) + amount > int(line.collected) * _final_unit(line):
            raise Invalid("more than was paid for this line", reason="problem_quantity")

    # ---------------------------------------------------------------- the leader
    def leader_campaigns(self, leader: str, limit: int = 50) -> list[CampaignReport]:
        """The leader's campaigns, newest first, each with its report (commission)."""
        with self.engine.begin() as conn:
            ids = conn.execute(
                select(groupbuy_campaigns.c.campaign_id)
                .where(groupbuy_campaigns.c.leader == leader)
                .order_by(groupbuy_campaigns.c.created_ms.desc())
                .limit(limit)
            ).scalars().all()  # fmt: skip
        return [self.report(campaign_id) for campaign_id in ids]

    # ---------------------------------------------------------------- report
    def report(self, campaign_id: str) -> CampaignReport:
        with self.engine.begin() as conn:
            campaign = self._campaign(conn, campaign_id)
            cid = campaign.campaign_id
            counts = self._status_counts(conn, cid)
            buyers = sum(counts.get(s, 0) for s in PAID)
            paid = select(groupbuy_orders.c.order_id).where(
                groupbuy_orders.c.campaign_id == cid, groupbuy_orders.c.status.in_(PAID)
            )
            units = conn.execute(
                select(func.coalesce(func.sum(groupbuy_lines.c.quantity), 0)).where(
                    groupbuy_lines.c.order_id.in_(paid)
                )
            ).scalar_one()
            takings = conn.execute(
                select(func.coalesce(func.sum(groupbuy_orders.c.paid_minor), 0)).where(
                    groupbuy_orders.c.order_id.in_(paid)
                )
            ).scalar_one()
            refund_rows = conn.execute(
                select(groupbuy_refunds.c.kind, func.count(),
                       func.coalesce(func.sum(groupbuy_refunds.c.amount_minor), 0))
                .join(groupbuy_orders, groupbuy_orders.c.order_id == groupbuy_refunds.c.order_id)
                .where(groupbuy_orders.c.campaign_id == cid)
                .group_by(groupbuy_refunds.c.kind)
            ).all()  # fmt: skip
            refunds = {kind: RefundTotals(count=int(n), amount_minor=int(a))
                       for kind, n, a in refund_rows}  # fmt: skip
            waits = sorted(
                int(c) - int(r)
                for r, c in conn.execute(
                    select(groupbuy_orders.c.ready_ms, groupbuy_orders.c.collected_ms).where(
                        groupbuy_orders.c.campaign_id == cid,
                        groupbuy_orders.c.collected_ms.is_not(None),
                        groupbuy_orders.c.ready_ms.is_not(None),
                    )
                )
            )
            doubles = conn.execute(
                select(func.count())
                .select_from(groupbuy_pickups)
                .join(groupbuy_orders, groupbuy_orders.c.order_id == groupbuy_pickups.c.order_id)
                .where(groupbuy_orders.c.campaign_id == cid, groupbuy_pickups.c.result == "over")
            ).scalar_one()
            final_buyers = (
                int(campaign.final_buyers) if campaign.final_buyers is not None else buyers
            )
            levels = {i.gtin: _ladder(i).level(final_buyers) for i in self._items(conn, cid)}
            stars = conn.execute(
                select(func.count(), func.coalesce(func.sum(groupbuy_reviews.c.stars), 0))
                .where(groupbuy_reviews.c.campaign_id == cid)
            ).one()  # fmt: skip
            problems = {
                (reason, status): int(n)
                for reason, status, n in conn.execute(
                    select(groupbuy_problems.c.reason, groupbuy_problems.c.status, func.count())
                    .where(groupbuy_problems.c.campaign_id == cid)
                    .group_by(groupbuy_problems.c.reason, groupbuy_problems.c.status)
                )
            }  # fmt: skip
            problem_refunds = conn.execute(
                select(func.coalesce(func.sum(groupbuy_problems.c.amount_minor), 0)).where(
                    groupbuy_problems.c.campaign_id == cid,
                    groupbuy_problems.c.status == "refunded",
                )
            ).scalar_one()
            extra = self._extra_spend(conn, cid)
        # Money kept = paid by the buyers, less every refund (differences, unclaimed).
        revenue = int(takings) - sum(
            t.amount_minor for kind, t in refunds.items() if kind != "cancel"
        )
        was_ready = sum(counts.get(s, 0) for s in ("ready", "partly_collected", "collected",
                                                    "unclaimed", "kept"))  # fmt: skip
        collected = counts.get("collected", 0) + counts.get("partly_collected", 0)
        return CampaignReport(
            campaign_id=cid, status=campaign.status, currency=campaign.currency,
            buyers=buyers, units=int(units), revenue_minor=revenue, levels=levels,
            orders_by_status=counts,
            pickup_rate=round(collected / was_ready, 4) if was_ready else None,
            median_pickup_s=waits[len(waits) // 2] // 1000 if waits else None,
            refunds=refunds, double_pickups=int(doubles),
            commission_bp=int(campaign.commission_bp),
            commission_minor=commission(revenue, int(campaign.commission_bp)),
            ratings=int(stars[0]), rating_avg=_average(int(stars[1]), int(stars[0])),
            problems=_by_reason(problems),
            problems_open=sum(n for (_, status), n in problems.items() if status == "open"),
            problems_refunded_minor=int(problem_refunds),
            collectors_who_shopped=extra[0], extra_sales=extra[1], extra_spend_minor=extra[2],
        )  # fmt: skip

    def _extra_spend(self, conn: Connection, campaign_id: str) -> tuple[int, int, int]:
        """(orders collected in a session that ended in a sale, those sales, their total):
        a kiosk's pickup names its sale in progress; a paid sale of that id is what the
        shopper bought besides (a session with no purchase leaves no sale)."""
        linked = (
            select(groupbuy_pickups.c.order_id, groupbuy_pickups.c.sale_id)
            .join(groupbuy_orders, groupbuy_orders.c.order_id == groupbuy_pickups.c.order_id)
            .where(groupbuy_orders.c.campaign_id == campaign_id,
                   groupbuy_pickups.c.result == "stored",
                   groupbuy_pickups.c.sale_id.is_not(None))
            .subquery()
        )  # fmt: skip
        orders = conn.execute(
            select(func.count(func.distinct(linked.c.order_id)))
            .select_from(linked.join(sales, sales.c.sale_id == linked.c.sale_id))
            .where(sales.c.status == "paid", sales.c.training.is_(False))
        ).scalar_one()  # fmt: skip
        # A sale counts once even when two orders were collected in it.
        shopped = select(func.distinct(linked.c.sale_id)).scalar_subquery()
        n, total = conn.execute(
            select(func.count(), func.coalesce(func.sum(sales.c.total_minor), 0)).where(
                sales.c.sale_id.in_(shopped),
                sales.c.status == "paid",
                sales.c.training.is_(False),
            )
        ).one()
        return int(orders), int(n), int(total)


def _check_cancellable(campaign: Any, now: int) -> None:
    if campaign.status != "open" or now >= campaign.cutoff_ms:
        raise Invalid("orders can be cancelled only before the cut-off",
                      reason="groupbuy_closed")  # fmt: skip


def _final_unit(line: Any) -> int:
    """What one unit of the line cost the buyer in the end (before the cut-off: paid)."""
    final = line.final_unit_minor
    return int(line.unit_minor) if final is None else int(final)


def _by_reason(problems: dict[tuple[str, str], int]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for (reason, _), n in problems.items():
        counts[reason] = counts.get(reason, 0) + n
    return counts


def _average(total: int, count: int) -> float | None:
    return round(total / count, 2) if count else None


def _name(names: dict[str, str]) -> str:
    """The name the store's staff read: Chinese, else English."""
    return names.get("zh_CN") or names.get("en", "")
