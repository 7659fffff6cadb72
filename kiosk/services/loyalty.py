"""Loyalty use cases the UI drives: find or sign up a member (online, or offline from the
cache), add coupons (scanned printed codes or the member's wallet), spend points, see
why a coupon was refused and what the next-best offer is, and book the loyalty side of
a finished sale (points earned and spent, coupon redemptions) for the central service.

Wiring (the composition root does this):

    loyalty = LoyaltyService(store, clock, ids, keys, LoyaltySettings(...), store_id,
                             lookup=central_lookup_or_None)
    checkout = Checkout(store, identity, policy, clock, ids, rules=[loyalty.rule])
    loyalty.bind(checkout)
    ...
    sale = checkout.complete_sale(tender)
    loyalty.book_sale(sale)            # and loyalty.recover() once at start-up

`loyalty.rule` is a `PricingRule` that reads the loyalty state of the cart in progress
(its coupons and points; the member comes from `Cart.member_id`), so `Checkout` needs no
change. The sale and its loyalty booking are two transactions; the loyalty state of a
cart is saved on every change and `recover()` books any sale a crash left unbooked, so
nothing is lost and nothing is booked twice.

`directory()` adapts the service to `kiosk.services.member_port.MemberDirectory`, the
port the UI's member screen already uses.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from kiosk.domain.coupons import (
    CouponDefinition,
    CouponGrant,
    CouponSource,
    CouponUsage,
    CouponVerdict,
    looks_like_coupon,
    parse_printed_code,
)
from kiosk.domain.ids import IdFactory
from kiosk.domain.ledger import LedgerEvent, LedgerKind, PointsRule, safe_to_redeem
from kiosk.domain.loyalty_errors import CouponRejected, LoyaltyError, MemberError, PointsError
from kiosk.domain.members import (
    Consent,
    MemberCard,
    TierPolicy,
    carrefour_tiers,
    derive_key,
    mask_phone,
    member_code_for,
    member_qr,
    parse_member_qr,
    phone_hash,
)
from kiosk.domain.money import Money
from kiosk.domain.offers import (
    POINTS_RULE_PREFIX,
    Hint,
    OfferEngine,
    OfferResult,
    OfferSession,
    PointsRequest,
)
from kiosk.domain.pricing import Discount, PricedLine, PricingContext
from kiosk.domain.sale import Sale, SaleStatus
from kiosk.services.checkout import CartState, Checkout
from kiosk.services.member_port import (
    UNAVAILABLE,
    CentralAnswer,
    LookupUnavailable,
    MemberLookup,
    RemoteMember,
)
from kiosk.services.member_port import Member as PortMember
from kiosk.services.ports import Clock
from kiosk.store.loyalty import (
    TIERS,
    CachedMember,
    LoyaltyRepository,
    Redemption,
    WalletEntry,
)
from kiosk.store.uow import KioskStore

COUPON_RULE_PREFIX = "coupon:"
FRESH_FOR = timedelta(minutes=15)
# Refusals that will not go away by adding goods: the coupon leaves the cart.
FINAL_REFUSALS = frozenset(
    {
        "unknown_coupon",
        "bad_signature",
        "expired",
        "not_yet_valid",
        "tier_only",
        "already_used",
        "other_member",
        "limit_reached",
        "not_offline",
        "wrong_currency",
    }
)

log = logging.getLogger(__name__)


# ------------------------------------------------------------------ configuration
@dataclass(frozen=True, slots=True)
class LoyaltyKeys:
    phone: bytes
    member_qr: bytes
    coupon: bytes

    @classmethod
    def from_chain_key(cls, chain_key: bytes) -> LoyaltyKeys:
        """All three from the chain's member key that enrolment gives each kiosk."""
        return cls(
            chain_key,
            derive_key(chain_key, "member-qr:v1"),
            derive_key(chain_key, "coupon-code:v1"),
        )


@dataclass(frozen=True, slots=True)
class LoyaltySettings:
    tiers: TierPolicy = field(default_factory=carrefour_tiers)
    points: PointsRule = field(default_factory=PointsRule)
    offline_points_cap: int = 2000  # points a member may spend per sale while offline
    terms_version: str = "2026-11"
    channel: str = "kiosk"


# ------------------------------------------------------------------ what the UI shows
@dataclass(frozen=True, slots=True)
class MemberView:
    member_id: str
    member_code: str
    masked_phone: str
    tier: str
    tier_name: Mapping[str, str]
    points: int  # best estimate: central balance at lookup + what this kiosk booked since
    spendable: int  # what may be spent now (capped while offline)
    offline: bool  # shown from the cache, not confirmed by the central service just now
    new: bool = False  # signed up on this kiosk, not yet confirmed centrally
    card_qr: str = ""  # the member QR to print or show (printed card: no expiry)


@dataclass(frozen=True, slots=True)
class WalletCouponView:
    code: str
    coupon_id: str
    name: str
    names: Mapping[str, str]
    in_cart: bool


@dataclass(frozen=True, slots=True)
class LoyaltyView:
    member: MemberView | None
    wallet: tuple[WalletCouponView, ...]
    coupons: tuple[CouponVerdict, ...]  # every coupon in the cart: applied or why not
    hints: tuple[Hint, ...]  # next-best offers, best first
    discounts: tuple[Discount, ...]
    points_used: int


@dataclass(frozen=True, slots=True)
class CouponOutcome:
    verdict: CouponVerdict
    state: CartState


@dataclass(frozen=True, slots=True)
class Booked:
    """What `book_sale` wrote: ledger events and coupon redemptions (all queued to sync)."""

    events: tuple[LedgerEvent, ...] = ()
    redemptions: tuple[Redemption, ...] = ()


class _LiveRule:
    """The loyalty engine as a `PricingRule` over the current cart's loyalty state."""

    rule_id = "loyalty"

    def __init__(self, service: LoyaltyService) -> None:
        self._service = service

    def discounts(self, lines: tuple[PricedLine, ...], context: PricingContext) -> list[Discount]:
        return list(self._service._evaluate(lines, context).discounts)


class LoyaltyService:
    """The loyalty side of one kiosk's checkout. Like `Checkout`, not thread-safe: call it
    from the thread that owns the checkout (and its store connection)."""

    def __init__(
        self,
        store: KioskStore,
        clock: Clock,
        ids: IdFactory,
        keys: LoyaltyKeys,
        settings: LoyaltySettings,
        store_id: str,
        *,
        lookup: MemberLookup | None = None,
    ) -> None:
        self._store = store
        self._repo = store.loyalty
        self._clock = clock
        self._ids = ids
        self._keys = keys
        self._settings = settings
        self._store_id = store_id
        self._lookup = lookup
        self._checkout: Checkout | None = None
        self._engine = OfferEngine(())
        self._tiers = settings.tiers
        self._engine_version = -1
        self._last: tuple[tuple[Any, ...], OfferResult] | None = None
        self._fresh: dict[str, datetime] = {}  # members confirmed online, and when
        self.rule = _LiveRule(self)

    def bind(self, checkout: Checkout) -> None:
        """Follow `checkout`: its cart's loyalty state, and every sale it finishes is booked."""
        self._checkout = checkout
        checkout.on_sale_finished(self.book_sale)

    @property
    def repository(self) -> LoyaltyRepository:
        return self._repo

    @property
    def keys(self) -> LoyaltyKeys:
        """The chain's member-QR and coupon keys as this kiosk holds them."""
        return self._keys

    # ------------------------------------------------------------ offers
    def engine(self) -> OfferEngine:
        version = self._repo.offers_version()
        if version != self._engine_version:
            self._engine = OfferEngine(self._repo.promotions(), self._repo.coupons())
            pulled = self._repo.raw_offers(TIERS)
            self._tiers = (
                TierPolicy.from_wire(pulled[0]["tiers"]) if pulled else self._settings.tiers
            )
            self._engine_version = version
        return self._engine

    def tiers(self) -> TierPolicy:
        """The chain's tier policy as last pulled (`tiers` feed), else the configured one."""
        self.engine()
        return self._tiers

    def _coupon(self, coupon_id: str) -> CouponDefinition | None:
        return self.engine().coupons.get(coupon_id)

    # ------------------------------------------------------------ members
    # Each member step is two calls: `ask_*` puts the question to the central service and
    # touches no database, so the UI runs it on a worker thread while the screen stays
    # live; the step itself then decides with that answer and the kiosk's cache. Without
    # an answer the step asks first (scripts, tests, the benchmark).
    @property
    def asks_central(self) -> bool:
        return self._lookup is not None

    def ask_by_qr(self, text: str) -> CentralAnswer:
        card = self._card(text)
        return self._ask(lambda lookup: lookup.by_code(card.member_code))

    def ask_by_phone(self, phone: str) -> CentralAnswer:
        digest = phone_hash(self._keys.phone, phone)
        return self._ask(lambda lookup: lookup.by_phone_hash(digest))

    def member_by_qr(self, text: str, answer: CentralAnswer | None = None) -> MemberView:
        """The member a scanned member QR names (checked offline by its signature)."""
        card = self._card(text)
        answer = answer or self.ask_by_qr(text)
        if answer.remote is not None:
            return self._view(self._cache_remote(answer.remote, masked=None))
        # Not known centrally, or not answered: a genuine card we have never seen (signed
        # up elsewhere, offline) gets its base tier now; the central ledger settles later.
        cached = self._repo.member(card.member_id) or self._cache_new(
            card.member_id, None, "", origin="card"
        )
        return self._view(cached)

    def member_by_phone(self, phone: str, answer: CentralAnswer | None = None) -> MemberView:
        digest = phone_hash(self._keys.phone, phone)
        answer = answer or self.ask_by_phone(phone)
        if answer.remote is not None:
            return self._view(self._cache_remote(answer.remote, masked=mask_phone(phone)))
        cached = self._repo.member_by_phone_hash(digest)
        if answer.unavailable:
            if cached is None:
                raise MemberError(
                    "no member with this phone on this kiosk: sign up, or scan your member code",
                    reason="unknown_member",
                )
            return self._view(cached)
        if cached is not None and cached.origin == "kiosk":
            return self._view(cached)  # signed up here, not synced yet
        raise MemberError("no member has this phone number", reason="unknown_member")

    def sign_up(
        self,
        phone: str,
        *,
        consent: bool,
        marketing: bool = False,
        answer: CentralAnswer | None = None,
    ) -> MemberView:
        """One step, online or offline: the member's UUID is made here and synced later
        (the central service merges it if the phone was registered meanwhile)."""
        if not consent:
            raise MemberError("signing up needs your consent", reason="consent_required")
        digest = phone_hash(self._keys.phone, phone)
        answer = answer or self.ask_by_phone(phone)
        if answer.remote is not None:
            return self._view(self._cache_remote(answer.remote, masked=mask_phone(phone)))
        existing = self._repo.member_by_phone_hash(digest)
        if existing is not None:
            return self._view(existing)
        now = self._clock.now()
        member_id = self._ids.new()
        tier = self.tiers().tier_for(self._settings.channel, 0)
        agreed = Consent(self._settings.terms_version, marketing, now.isoformat())
        member = CachedMember(
            member_id,
            member_code_for(member_id),
            digest,
            tier,
            "kiosk",
            {"masked_phone": mask_phone(phone), "points": 0, "consent": agreed.to_wire()},
            now.isoformat(),
        )
        with self._store.transaction():
            self._repo.put_member(member)
            self._store.outbox.add(
                "member",
                member_id,
                {
                    "member_id": member_id,
                    "phone_hash": digest,
                    "consent": agreed.to_wire(),
                    "store_id": self._store_id,
                    "created_at": now.isoformat(),
                },
                now,
            )
        view = self._view(member)
        return MemberView(**{**_fields(view), "new": True, "card_qr": self.card_qr(member_id)})

    def card_qr(self, member_id: str, ttl_s: int = 0) -> str:
        """The member QR to print (no expiry) or show on screen (`ttl_s` seconds)."""
        expires = int(self._clock.now().timestamp()) + ttl_s if ttl_s else 0
        return member_qr(self._keys.member_qr, member_id, expires)

    def member_view(self, member_id: str) -> MemberView | None:
        cached = self._repo.member(member_id)
        return None if cached is None else self._view(cached)

    def directory(self) -> LoyaltyDirectory:
        return LoyaltyDirectory(self)

    def _card(self, text: str) -> MemberCard:
        return parse_member_qr(self._keys.member_qr, text, int(self._clock.now().timestamp()))

    def _ask(self, ask: Callable[[MemberLookup], RemoteMember | None]) -> CentralAnswer:
        if self._lookup is None:
            return UNAVAILABLE
        try:
            return CentralAnswer(ask(self._lookup))
        except LookupUnavailable:
            return UNAVAILABLE
        except Exception:
            # A shopper at the till gets their membership from the kiosk's cache whatever
            # went wrong with the question; what went wrong goes to the log.
            log.exception("member lookup failed unexpectedly; answering from the cache")
            return UNAVAILABLE

    def _cache_new(
        self, member_id: str, digest: str | None, masked: str, *, origin: str
    ) -> CachedMember:
        member = CachedMember(
            member_id,
            member_code_for(member_id),
            digest,
            self.tiers().base.tier,
            origin,
            {"masked_phone": masked, "points": 0},
            self._clock.now().isoformat(),
        )
        self._repo.put_member(member)
        return member

    def _cache_remote(self, remote: RemoteMember, masked: str | None) -> CachedMember:
        now = self._clock.now()
        old = self._repo.member(remote.member_id)
        keep = old.data.get("masked_phone", "") if old else ""
        member = CachedMember(
            remote.member_id,
            remote.member_code,
            remote.phone_hash,
            remote.tier,
            "central",
            {
                "masked_phone": masked or keep,
                "points": remote.points,
                "coupon_uses": dict(remote.coupon_uses),
                "ledger_mark": self._repo.ledger_mark(remote.member_id),
            },
            now.isoformat(),
        )
        with self._store.transaction():
            self._repo.put_member(member)
            self._repo.replace_wallet(
                remote.member_id,
                [
                    WalletEntry(w.code, remote.member_id, w.coupon_id, w.state, {})
                    for w in remote.wallet
                ],
            )
        self._fresh[remote.member_id] = now
        return member

    def _online(self, member_id: str) -> bool:
        seen = self._fresh.get(member_id)
        return seen is not None and self._clock.now() - seen <= FRESH_FOR

    def _balance(self, member: CachedMember) -> int:
        central = int(member.data.get("points", 0))
        mark = member.data.get("ledger_mark", {"last": "", "unsent": []})
        return central + self._repo.local_points(member.member_id, mark)

    def _view(self, member: CachedMember) -> MemberView:
        balance = self._balance(member)
        online = self._online(member.member_id)
        spendable = safe_to_redeem(balance, 0, self._settings.offline_points_cap, online=online)
        rule = self.tiers().rule(member.tier)
        return MemberView(
            member.member_id,
            member.member_code,
            str(member.data.get("masked_phone", "")),
            member.tier,
            dict(rule.names),
            balance,
            spendable,
            offline=not online,
            new=member.origin == "kiosk",
        )

    # ------------------------------------------------------------ the cart's loyalty state
    def _cart_id(self) -> str:
        if self._checkout is None:
            raise LoyaltyError("the loyalty service is not bound to a checkout")
        return self._checkout.cart.cart_id

    def _session_data(self, cart_id: str) -> dict[str, Any]:
        return self._repo.session(cart_id) or {"grants": [], "points": 0}

    def _save(self, data: dict[str, Any]) -> CartState:
        assert self._checkout is not None
        self._repo.save_session(self._cart_id(), data)
        return self._checkout.state()

    def _session(self, cart_id: str, member_id: str | None) -> OfferSession:
        data = self._session_data(cart_id)
        grants = tuple(
            CouponGrant(g["code"], g["coupon_id"], CouponSource(g["source"]), g.get("member_id"))
            for g in data["grants"]
        )
        member = self._repo.member(member_id) if member_id else None
        tier = member.tier if member else None
        uses = dict(member.data.get("coupon_uses", {})) if member else {}
        if member_id:
            since = member.cached_at if member and member.origin == "central" else ""
            for coupon_id, count in self._repo.member_uses(member_id, since).items():
                uses[coupon_id] = uses.get(coupon_id, 0) + count
        points = None
        if member is not None and int(data.get("points", 0)) > 0:
            rule = self._settings.points
            points = PointsRequest(
                member.member_id,
                min(int(data["points"]), self._view(member).spendable),
                rule.points_per_unit,
                rule.unit_minor,
            )
        return OfferSession(
            member_id,
            tier,
            grants,
            CouponUsage(self._repo.used_codes(g.code for g in grants), uses),
            online=member is not None and self._online(member.member_id),
            points=points,
        )

    def _evaluate(self, lines: tuple[PricedLine, ...], context: PricingContext) -> OfferResult:
        cart_id = self._cart_id() if self._checkout is not None else ""
        session = self._session(cart_id, context.member_id)
        engine = self.engine()
        key = (lines, context.now, context.member_id, session, self._engine_version)
        if self._last is not None and self._last[0] == key:
            return self._last[1]
        result = engine.evaluate(lines, context, session)
        self._last = (key, result)
        return result

    # ------------------------------------------------------------ coupons and points
    def add_coupon(self, text: str) -> CouponOutcome:
        """A scanned printed coupon, or a code from the member's wallet."""
        text = text.strip()
        grant = self._in_wallet(text)
        if grant is None:
            if looks_like_coupon(text):
                grant = parse_printed_code(self._keys.coupon, text)
            else:
                grant = self._wallet_grant(text)
        data = self._session_data(self._cart_id())
        if any(g["code"] == grant.code for g in data["grants"]):
            raise CouponRejected("this coupon is already in the cart", reason="already_in_cart")
        data["grants"].append(
            {
                "code": grant.code,
                "coupon_id": grant.coupon_id,
                "source": grant.source.value,
                "member_id": grant.member_id,
            }
        )
        state = self._save(data)
        verdict = self._verdict(grant.code)
        if not verdict.accepted and verdict.reason in FINAL_REFUSALS:
            state = self.remove_coupon(grant.code)
        return CouponOutcome(verdict, state)

    def _in_wallet(self, code: str) -> CouponGrant | None:
        """A code from the attached member's wallet (scanned from the app, or tapped)."""
        member_id = self._checkout.cart.member_id if self._checkout else None
        if member_id is None:
            return None
        for entry in self._repo.wallet(member_id):
            if entry.code == code:
                return CouponGrant(entry.code, entry.coupon_id, CouponSource.WALLET, member_id)
        return None

    def _wallet_grant(self, code: str) -> CouponGrant:
        member_id = self._checkout.cart.member_id if self._checkout else None
        if member_id is None:
            raise CouponRejected("scan your member code to use your coupons", reason="member_only")
        for entry in self._repo.wallet(member_id):
            if entry.code == code:
                return CouponGrant(entry.code, entry.coupon_id, CouponSource.WALLET, member_id)
        raise CouponRejected("this coupon is not in your wallet", reason="unknown_coupon")

    def remove_coupon(self, code: str) -> CartState:
        data = self._session_data(self._cart_id())
        data["grants"] = [g for g in data["grants"] if g["code"] != code]
        return self._save(data)

    def spend_points(self, points: int) -> CartState:
        """Spend up to `points` (0 cancels); more than is safe to spend is refused."""
        if points < 0:
            raise PointsError("points to spend cannot be negative")
        assert self._checkout is not None
        member_id = self._checkout.cart.member_id
        member = self._repo.member(member_id) if member_id else None
        if member is None:
            raise PointsError("scan your member code to spend points", reason="member_only")
        spendable = self._view(member).spendable
        if points > spendable:
            raise PointsError(
                f"you can spend up to {spendable} points now", reason="points_over_limit"
            )
        data = self._session_data(self._cart_id())
        data["points"] = points
        return self._save(data)

    def _verdict(self, code: str) -> CouponVerdict:
        assert self._checkout is not None
        self._checkout.state()
        assert self._last is not None
        found = self._last[1].verdict(code)
        assert found is not None
        return found

    def view(self, priced: CartState | None = None) -> LoyaltyView:
        """Everything the member and coupon panels show, for the cart as it is now.

        `priced`: the state the checkout has just priced for its current cart, as every
        command returns it; that pricing already ran the offers engine, so the cart is not
        priced a second time just to read the engine's answer.
        """
        assert self._checkout is not None
        if priced is None or priced.cart is not self._checkout.cart:
            self._checkout.state()
        result = self._last[1] if self._last is not None else OfferResult((), (), ())
        member_id = self._checkout.cart.member_id
        member = self.member_view(member_id) if member_id else None
        in_cart = {v.code for v in result.verdicts}
        wallet = []
        if member_id:
            for entry in self._repo.wallet(member_id):
                if entry.state != "available":
                    continue
                definition = self._coupon(entry.coupon_id)
                if definition is None:
                    continue
                wallet.append(
                    WalletCouponView(
                        entry.code,
                        entry.coupon_id,
                        definition.name,
                        dict(definition.names),
                        entry.code in in_cart,
                    )
                )
        return LoyaltyView(
            member,
            tuple(wallet),
            result.verdicts,
            result.hints,
            result.discounts,
            result.points_used,
        )

    # ------------------------------------------------------------ the sale
    def book_sale(self, sale: Sale) -> Booked:
        """Points earned and spent, coupons redeemed: written once, queued for the
        central service. Call after `Checkout.complete_sale` / `void_sale`."""
        with self._store.transaction():
            if self._repo.session(sale.sale_id) is None and not _has_loyalty(sale):
                return Booked()
            booked = self._book(sale) if sale.status is SaleStatus.PAID else Booked()
            self._repo.delete_session(sale.sale_id)
        self._last = None
        return booked

    def recover(self) -> int:
        """Book sales a crash left unbooked (their loyalty state is still saved), and
        forget the loyalty state of abandoned carts. Run once at start-up, after `bind`."""
        if self._checkout is not None:
            self._repo.delete_stale_sessions(self._checkout.cart.cart_id)
        count = 0
        for sale_id in self._repo.sessions_of_finished_sales():
            sale = self._stored_sale(sale_id)
            with self._store.transaction():
                if sale is not None and sale["status"] == SaleStatus.PAID.value:
                    self._book_document(sale)
                self._repo.delete_session(sale_id)
            count += 1
        return count

    def _stored_sale(self, sale_id: str) -> dict[str, Any] | None:
        row = self._store.store.db.conn.execute(
            "SELECT document FROM sales WHERE sale_id = ?", (sale_id,)
        ).fetchone()
        if row is None:
            return None
        document: dict[str, Any] = json.loads(row[0])
        return document

    def _book(self, sale: Sale) -> Booked:
        return self._book_document(sale.to_wire())

    def _book_document(self, document: Mapping[str, Any]) -> Booked:
        sale_id = str(document["sale_id"])
        if self._repo.booked(sale_id):
            return Booked()  # a second call (retry, recovery after a crash) books nothing
        now = self._clock.now()
        at = now.isoformat()
        member_id = document.get("member_id")
        currency = str(document["currency"])
        events: list[LedgerEvent] = []
        redemptions: list[Redemption] = []
        session = self._repo.session(sale_id) or {"grants": []}
        sources = {g["code"]: g["source"] for g in session.get("grants", [])}
        member = self._repo.member(member_id) if member_id else None
        online = member is not None and self._online(member.member_id)
        for d in document.get("discounts", []):
            rule_id = str(d["rule_id"])
            if rule_id.startswith(COUPON_RULE_PREFIX):
                _, coupon_id, code = rule_id.split(":", 2)
                definition = self._coupon(coupon_id)
                redemption = Redemption(
                    self._ids.new(),
                    code,
                    coupon_id,
                    member_id,
                    sale_id,
                    at,
                    {
                        "amount_minor": int(d["amount_minor"]),
                        "currency": currency,
                        "source": sources.get(code, "printed"),
                        "offline": not online,
                        "campaign_id": definition.campaign_id if definition else "",
                        "kind": definition.kind.value if definition else "",
                    },
                )
                self._repo.add_redemption(redemption)
                self._store.outbox.add(
                    "coupon_redemption",
                    redemption.redemption_id,
                    _redemption_wire(redemption, self._store_id),
                    now,
                )
                redemptions.append(redemption)
            elif rule_id.startswith(POINTS_RULE_PREFIX) and member_id:
                rule = self._settings.points
                spent = int(d["amount_minor"]) // rule.unit_minor * rule.points_per_unit
                events.append(
                    LedgerEvent(
                        self._ids.new(),
                        member_id,
                        LedgerKind.REDEEM,
                        -spent,
                        at,
                        sale_id,
                        {"amount_minor": int(d["amount_minor"]), "offline": not online},
                    )
                )
        if member_id:
            paid = int(document["total_minor"]) - int(document.get("deposit_minor", 0))
            tier = member.tier if member else self.tiers().base.tier
            multiplier = self.tiers().rule(tier).points_multiplier_bp
            earned = self._settings.points.earned(Money(max(paid, 0), currency), multiplier)
            if earned > 0:
                events.append(
                    LedgerEvent(
                        self._ids.new(),
                        member_id,
                        LedgerKind.EARN,
                        earned,
                        at,
                        sale_id,
                        {"paid_minor": paid, "tier": tier, "multiplier_bp": multiplier},
                    )
                )
        for event in events:
            self._repo.append_event(event)
            self._store.outbox.add("ledger", event.event_id, event.to_wire(), now)
        return Booked(tuple(events), tuple(redemptions))


def _has_loyalty(sale: Sale) -> bool:
    return sale.cart.member_id is not None or any(
        d.rule_id.startswith(COUPON_RULE_PREFIX) for d in sale.priced.discounts
    )


def _redemption_wire(r: Redemption, store_id: str) -> dict[str, Any]:
    """The `coupon_redemption` outbox row: what the central service's loyalty API takes."""
    return {
        "redemption_id": r.redemption_id,
        "code": r.code,
        "coupon_id": r.coupon_id,
        "member_id": r.member_id,
        "sale_id": r.sale_id,
        "store_id": store_id,
        "at": r.at,
        "amount_minor": int(r.data["amount_minor"]),
        "currency": str(r.data["currency"]),
        "source": str(r.data["source"]),
        "offline": bool(r.data["offline"]),
    }


def _fields(view: MemberView) -> dict[str, Any]:
    return {name: getattr(view, name) for name in MemberView.__slots__}


class LoyaltyDirectory:
    """`kiosk.services.member_port.MemberDirectory` over the loyalty service."""

    def __init__(self, service: LoyaltyService) -> None:
        self._service = service

    @staticmethod
    def _port(view: MemberView) -> PortMember:
        return PortMember(view.member_id, view.masked_phone, view.tier)

    @property
    def asks_central(self) -> bool:
        return self._service.asks_central

    def ask_by_code(self, code: str) -> CentralAnswer:
        return self._service.ask_by_qr(code)

    def ask_by_phone(self, phone: str) -> CentralAnswer:
        return self._service.ask_by_phone(phone)

    def by_code(self, code: str, answer: CentralAnswer | None = None) -> PortMember:
        return self._port(self._service.member_by_qr(code, answer))

    def by_phone(self, phone: str, answer: CentralAnswer | None = None) -> PortMember:
        return self._port(self._service.member_by_phone(phone, answer))

    def sign_up(
        self, phone: str, *, consent: bool, answer: CentralAnswer | None = None
    ) -> PortMember:
        return self._port(self._service.sign_up(phone, consent=consent, answer=answer))
