"""What the kiosk's three loyalty services share: the chain's keys, the loyalty settings,
and the offers as last pulled (`OfferCatalog`).

The services themselves, each one concept:
- `kiosk.services.members.Members`: find or sign up a member, online or from the cache;
- `kiosk.services.cart_offers.CartOffers`: the coupons and points on the cart in
  progress, as a pricing rule of the checkout;
- `kiosk.services.loyalty_booking.LoyaltyBooking`: the loyalty side of a finished sale
  (points earned and spent, coupon redemptions), booked once and queued for sync.

`app.core.build_core` wires them: the checkout prices with `CartOffers.rule` and tells
the booking about every sale it finishes; none of them holds the checkout.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from kiosk.domain.coupons import CouponDefinition
from kiosk.domain.errors import UNREADABLE
from kiosk.domain.ledger import PointsRule
from kiosk.domain.members import TierPolicy, carrefour_tiers, derive_key
from kiosk.domain.offers import OfferEngine
from kiosk.store.loyalty import TIERS, LoyaltyRepository

log = logging.getLogger(__name__)


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


class OfferCatalog:
    """The promotions, coupons and tier policy the kiosk last pulled, as an `OfferEngine`
    rebuilt only when the stored offers change (a sync between two scans)."""

    def __init__(self, repository: LoyaltyRepository, settings: LoyaltySettings) -> None:
        self._repo = repository
        self._settings = settings
        self._engine = OfferEngine(())
        self._tiers = settings.tiers
        self._version = -1

    @property
    def version(self) -> int:
        return self._version

    def engine(self) -> OfferEngine:
        version = self._repo.offers_version()
        if version != self._version:
            self._engine = OfferEngine(self._repo.promotions(), self._repo.coupons())
            self._tiers = self._pulled_tiers() or self._settings.tiers
            self._version = version
        return self._engine

    def _pulled_tiers(self) -> TierPolicy | None:
        """The chain's tier policy as last pulled; one an older version stored unread and
        this one cannot read is logged, not a failure of every sale."""
        pulled = self._repo.raw_offers(TIERS)
        if not pulled:
            return None
        try:
            return TierPolicy.from_wire(pulled[0]["tiers"])
        except UNREADABLE as exc:
            log.error("the stored tier policy cannot be read; the configured one applies: %s", exc)
            return None

    def tiers(self) -> TierPolicy:
        """The chain's tier policy as last pulled (`tiers` feed), else the configured one."""
        self.engine()
        return self._tiers

    def coupon(self, coupon_id: str) -> CouponDefinition | None:
        return self.engine().coupons.get(coupon_id)
