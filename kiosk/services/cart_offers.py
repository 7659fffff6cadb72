"""The loyalty side of the cart in progress: its coupons (printed, or from the member's
wallet) and the points the member spends, priced as one rule of the checkout.

The coupons and points are saved per cart on every change (the store's loyalty
sessions), so a restart restores them with the cart. `rule` is the `PricingRule` the
checkout prices with: it reads that state for the cart being priced (the pricing
context names it) and runs the offers engine, so a coupon, a promotion and a member
price are decided by one engine in one pass. `Checkout` adds and removes coupons
through this service and re-prices; nothing here holds the checkout.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kiosk.domain.cart import Cart
from kiosk.domain.coupons import (
    CouponGrant,
    CouponRefusal,
    CouponSource,
    CouponUsage,
    CouponVerdict,
    looks_like_coupon,
    parse_printed_code,
)
from kiosk.domain.errors import Reason
from kiosk.domain.loyalty_errors import CouponRejected, PointsError
from kiosk.domain.offers import Hint, OfferResult, OfferSession, PointsRequest
from kiosk.domain.pricing import Discount, PricedLine, PricingContext
from kiosk.services.loyalty import LoyaltySettings, OfferCatalog
from kiosk.services.members import Members, MemberView
from kiosk.store.uow import KioskStore

# Refusals that will not go away by adding goods: the coupon leaves the cart.
FINAL_REFUSALS = frozenset(
    {
        CouponRefusal.UNKNOWN_COUPON,
        CouponRefusal.BAD_SIGNATURE,
        CouponRefusal.EXPIRED,
        CouponRefusal.NOT_YET_VALID,
        CouponRefusal.TIER_ONLY,
        CouponRefusal.ALREADY_USED,
        CouponRefusal.OTHER_MEMBER,
        CouponRefusal.LIMIT_REACHED,
        CouponRefusal.NOT_OFFLINE,
        CouponRefusal.WRONG_CURRENCY,
    }
)
_NOTHING = OfferResult((), (), ())


@dataclass(frozen=True, slots=True)
class WalletCouponView:
    code: str
    coupon_id: str
    name: str
    names: dict[str, str]
    in_cart: bool


@dataclass(frozen=True, slots=True)
class LoyaltyView:
    """What the member and coupon panels show for the cart as it was last priced."""

    member: MemberView | None
    wallet: tuple[WalletCouponView, ...]
    coupons: tuple[CouponVerdict, ...]  # every coupon in the cart: applied or why not
    hints: tuple[Hint, ...]  # next-best offers, best first
    discounts: tuple[Discount, ...]
    points_used: int


class _Rule:
    """The offers engine as a `PricingRule` over the priced cart's coupons and points."""

    rule_id = "loyalty"

    def __init__(self, offers: CartOffers) -> None:
        self._offers = offers

    def discounts(self, lines: tuple[PricedLine, ...], context: PricingContext) -> list[Discount]:
        return list(self._offers.evaluate(lines, context).discounts)


class CartOffers:
    """Like `Checkout`, not thread-safe: call it from the thread that owns the store."""

    def __init__(
        self,
        store: KioskStore,
        members: Members,
        catalog: OfferCatalog,
        settings: LoyaltySettings,
    ) -> None:
        self._repo = store.loyalty
        self._members = members
        self._catalog = catalog
        self._settings = settings
        self._last: tuple[tuple[Any, ...], OfferResult] | None = None
        self.rule = _Rule(self)

    # ------------------------------------------------------------ pricing
    def evaluate(self, lines: tuple[PricedLine, ...], context: PricingContext) -> OfferResult:
        """The engine's answer for these lines; the last one is kept for `verdict`/`view`
        (pricing the same cart twice in a row runs the engine once)."""
        session = self._session(context.cart_id, context.member_id)
        engine = self._catalog.engine()
        key = (lines, context.now, context.member_id, session, self._catalog.version)
        if self._last is not None and self._last[0] == key:
            return self._last[1]
        result = engine.evaluate(lines, context, session)
        self._last = (key, result)
        return result

    def verdict(self, code: str) -> CouponVerdict:
        """What the last pricing decided about the coupon `code` (price the cart first)."""
        found = self._last[1].verdict(code) if self._last is not None else None
        if found is None:
            raise CouponRejected("this coupon is not in the cart", reason=Reason.UNKNOWN_COUPON)
        return found

    def view(self, cart: Cart) -> LoyaltyView:
        """The panels' view of `cart`, from its last pricing (every checkout command has
        just priced it, so nothing is priced again here)."""
        result = self._last[1] if self._last is not None else _NOTHING
        member_id = cart.member_id
        member = self._members.view(member_id) if member_id else None
        in_cart = {v.code for v in result.verdicts}
        wallet = []
        if member_id:
            for entry in self._repo.wallet(member_id):
                definition = self._catalog.coupon(entry.coupon_id)
                if entry.state != "available" or definition is None:
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

    # ------------------------------------------------------------ changes to a cart
    def grant(self, cart: Cart, text: str) -> CouponGrant:
        """Put a scanned printed coupon, or a code from the member's wallet, on `cart`."""
        text = text.strip()
        grant = self._wallet_entry(cart, text)
        if grant is None:
            if looks_like_coupon(text):
                grant = parse_printed_code(self._members.keys.coupon, text)
            elif cart.member_id is None:
                raise CouponRejected(
                    "scan your member code to use your coupons", reason=Reason.MEMBER_ONLY
                )
            else:
                raise CouponRejected(
                    "this coupon is not in your wallet", reason=Reason.UNKNOWN_COUPON
                )
        data = self._data(cart.cart_id)
        if any(g["code"] == grant.code for g in data["grants"]):
            raise CouponRejected(
                "this coupon is already in the cart", reason=Reason.ALREADY_IN_CART
            )
        data["grants"].append(
            {
                "code": grant.code,
                "coupon_id": grant.coupon_id,
                "source": grant.source.value,
                "member_id": grant.member_id,
            }
        )
        self._repo.save_session(cart.cart_id, data)
        return grant

    def remove(self, cart: Cart, code: str) -> None:
        data = self._data(cart.cart_id)
        data["grants"] = [g for g in data["grants"] if g["code"] != code]
        self._repo.save_session(cart.cart_id, data)

    def request_points(self, cart: Cart, points: int) -> None:
        """Spend up to `points` on `cart` (0 cancels); more than is safe is refused."""
        if points < 0:
            raise PointsError("points to spend cannot be negative")
        member = self._members.cached(cart.member_id) if cart.member_id else None
        if member is None:
            raise PointsError("scan your member code to spend points", reason=Reason.MEMBER_ONLY)
        spendable = self._members.spendable(member)
        if points > spendable:
            raise PointsError(
                f"you can spend up to {spendable} points now", reason=Reason.POINTS_OVER_LIMIT
            )
        data = self._data(cart.cart_id)
        data["points"] = points
        self._repo.save_session(cart.cart_id, data)

    # ------------------------------------------------------------ internals
    def _wallet_entry(self, cart: Cart, code: str) -> CouponGrant | None:
        """A code from the attached member's wallet (scanned from the app, or tapped)."""
        member_id = cart.member_id
        if member_id is None:
            return None
        for entry in self._repo.wallet(member_id):
            if entry.code == code:
                return CouponGrant(entry.code, entry.coupon_id, CouponSource.WALLET, member_id)
        return None

    def _data(self, cart_id: str) -> dict[str, Any]:
        return self._repo.session(cart_id) or {"grants": [], "points": 0}

    def _session(self, cart_id: str, member_id: str | None) -> OfferSession:
        data = self._data(cart_id)
        grants = tuple(
            CouponGrant(g["code"], g["coupon_id"], CouponSource(g["source"]), g.get("member_id"))
            for g in data["grants"]
        )
        member = self._members.cached(member_id) if member_id else None
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
                min(int(data["points"]), self._members.spendable(member)),
                rule.points_per_unit,
                rule.unit_minor,
            )
        return OfferSession(
            member_id,
            tier,
            grants,
            CouponUsage(self._repo.used_codes(g.code for g in grants), uses),
            online=member is not None and self._members.is_online(member.member_id),
            points=points,
        )
