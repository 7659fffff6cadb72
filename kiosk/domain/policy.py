"""A store's rules for its kiosks, set by the chain and synced down."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from kiosk.domain.codes import RcnRule
from kiosk.domain.money import Rounding, exponent_of
from kiosk.domain.tax import TaxClass, TaxMode

BASIS_POINTS = 10_000
MAX_TRANSFER_VALIDITY_HOURS = 24
"""A suspended cart is a basket of goods set aside: not kept past a day."""


@dataclass(frozen=True, slots=True)
class OverrideBounds:
    """How far staff may change a line's price per unit, in basis points of its shelf
    price: by default down to half and never above it (an override is a markdown for a
    damaged item or a price query won by the shopper, not a way to charge more).

    The central service re-checks every override against its own copy of the bounds.
    """

    floor_bp: int = 5_000
    ceiling_bp: int = BASIS_POINTS

    def __post_init__(self) -> None:
        if not 0 <= self.floor_bp <= self.ceiling_bp:
            raise ValueError(f"override bounds {self.floor_bp}..{self.ceiling_bp} bp")

    def allows(self, price_minor: int, shelf_minor: int) -> bool:
        """Whether `price_minor` is within the bounds of `shelf_minor`, exactly (integers)."""
        scaled = price_minor * BASIS_POINTS
        return shelf_minor * self.floor_bp <= scaled <= shelf_minor * self.ceiling_bp

    def range_of(self, shelf_minor: int) -> tuple[int, int]:
        """The lowest and highest allowed prices for `shelf_minor` (floor rounded up)."""
        return (
            -(-shelf_minor * self.floor_bp // BASIS_POINTS),
            shelf_minor * self.ceiling_bp // BASIS_POINTS,
        )


@dataclass(frozen=True, slots=True)
class AuditPolicy:
    """Which paid sales staff check the bag of (`kiosk.domain.audit`). `rate_bp`: the
    share of sales picked at random, in basis points (0: none, 10,000: all).
    `over_minor`: every sale whose total is above this many minor units of the store's
    currency is checked (None: no such amount)."""

    rate_bp: int = 0
    over_minor: int | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.rate_bp <= BASIS_POINTS:
            raise ValueError(f"an audit rate is 0..{BASIS_POINTS} bp, not {self.rate_bp}")
        if self.over_minor is not None and self.over_minor < 0:
            raise ValueError(f"an audit amount is not negative: {self.over_minor}")


@dataclass(frozen=True, slots=True)
class StorePolicy:
    """Everything pricing and the cart need to know about the store.

    `shopper_may_remove`: whether shoppers may delete their own lines before paying
    (many chains require staff for that, against "scan, remove, pocket" losses).
    `price_override`: the floor and ceiling of a supervisor's price override.
    `refund_returns_coupons`: whether a coupon used on a sale goes back to the member's
    wallet once every line it discounted has been refunded (`kiosk.domain.refund`).
    `transfer_validity_hours`: how long a suspended cart's transfer code may be resumed
    (its goods wait in a basket somewhere until then).
    `exit_audit`: which paid sales staff check the bag of before the exit pass is given
    (`kiosk.domain.audit`; none by default).
    """

    store_id: str
    currency: str
    tax_classes: Mapping[str, TaxClass]
    tax_mode: TaxMode = TaxMode.INCLUSIVE
    rounding: Rounding = Rounding.HALF_UP
    rcn_rules: tuple[RcnRule, ...] = ()
    shopper_may_remove: bool = True
    max_quantity_per_line: int = 99
    timezone: str = "Asia/Shanghai"
    price_override: OverrideBounds = field(default_factory=OverrideBounds)
    refund_returns_coupons: bool = False
    transfer_validity_hours: int = 2
    exit_audit: AuditPolicy = field(default_factory=AuditPolicy)
    extra: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        exponent_of(self.currency)
        if not 1 <= self.transfer_validity_hours <= MAX_TRANSFER_VALIDITY_HOURS:
            raise ValueError(
                f"a transfer code's validity must be 1..{MAX_TRANSFER_VALIDITY_HOURS} "
                f"hours, not {self.transfer_validity_hours}"
            )
