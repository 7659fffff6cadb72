"""A store's rules for its kiosks, set by the chain and synced down."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from kiosk.domain.codes import RcnRule
from kiosk.domain.money import CURRENCY_EXPONENT, MAX_MINOR, Rounding, exponent_of
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
        if self.over_minor is not None and not 0 <= self.over_minor <= MAX_MINOR:
            raise ValueError(f"an audit amount is 0..{MAX_MINOR}, not {self.over_minor}")


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


MAX_QUANTITY_PER_LINE = 999


@dataclass(frozen=True, slots=True)
class StoreRules:
    """The part of a store's policy the chain sets centrally, for every kiosk of the store
    (the central `policies` feed, keyed by store id): what staff and shoppers may do. The
    store's fiscal setup (currency, taxes, rounding, time zone) stays the kiosk's own, set
    at enrolment: changing it under running sales is not a setting, it is a migration.

    Each field means what the `StorePolicy` field of the same name means; the audit policy
    is two fields on the wire (`exit_audit_rate_bp`, `exit_audit_over_minor`).
    """

    shopper_may_remove: bool
    max_quantity_per_line: int
    refund_returns_coupons: bool
    transfer_validity_hours: int
    exit_audit: AuditPolicy
    currency: str
    """The currency of `exit_audit.over_minor`: rules for another currency's store do not
    apply (an amount in fen read as won is a hundred times off)."""

    def __post_init__(self) -> None:
        if self.currency not in CURRENCY_EXPONENT:
            raise ValueError(f"unknown currency {self.currency!r}")
        if not 1 <= self.max_quantity_per_line <= MAX_QUANTITY_PER_LINE:
            raise ValueError(
                f"at most 1..{MAX_QUANTITY_PER_LINE} of one item per sale, "
                f"not {self.max_quantity_per_line}"
            )
        if not 1 <= self.transfer_validity_hours <= MAX_TRANSFER_VALIDITY_HOURS:
            raise ValueError(
                f"a transfer code's validity must be 1..{MAX_TRANSFER_VALIDITY_HOURS} "
                f"hours, not {self.transfer_validity_hours}"
            )

    @classmethod
    def of(cls, policy: StorePolicy) -> StoreRules:
        return cls(
            policy.shopper_may_remove,
            policy.max_quantity_per_line,
            policy.refund_returns_coupons,
            policy.transfer_validity_hours,
            policy.exit_audit,
            policy.currency,
        )

    def applied_to(self, policy: StorePolicy) -> StorePolicy:
        """`policy` with these rules; ValueError for a store of another currency."""
        if self.currency != policy.currency:
            raise ValueError(
                f"the rules are for a store in {self.currency}, this one is in {policy.currency}"
            )
        return replace(
            policy,
            shopper_may_remove=self.shopper_may_remove,
            max_quantity_per_line=self.max_quantity_per_line,
            refund_returns_coupons=self.refund_returns_coupons,
            transfer_validity_hours=self.transfer_validity_hours,
            exit_audit=self.exit_audit,
        )


def store_rules_to_wire(rules: StoreRules) -> dict[str, Any]:
    return {
        "shopper_may_remove": rules.shopper_may_remove,
        "max_quantity_per_line": rules.max_quantity_per_line,
        "refund_returns_coupons": rules.refund_returns_coupons,
        "transfer_validity_hours": rules.transfer_validity_hours,
        "exit_audit_rate_bp": rules.exit_audit.rate_bp,
        "exit_audit_over_minor": rules.exit_audit.over_minor,
        "currency": rules.currency,
    }


def store_rules_from_wire(data: Mapping[str, Any]) -> StoreRules:
    """A store's rules from the wire, every field required and of its own type (a rule
    left out would silently fall back to something nobody chose); ValueError says which
    is wrong."""

    def flag(name: str) -> bool:
        value = data.get(name)
        if not isinstance(value, bool):
            raise ValueError(f"{name} must be true or false, not {value!r}")
        return value

    def whole(name: str) -> int:
        value = data.get(name)
        if type(value) is not int:  # bool is refused: True is no count
            raise ValueError(f"{name} must be a whole number, not {value!r}")
        return value

    if "exit_audit_over_minor" not in data:
        raise ValueError("exit_audit_over_minor is missing (null: no such amount)")
    currency = data.get("currency")
    if not isinstance(currency, str):
        raise ValueError(f"currency must be a currency code, not {currency!r}")
    return StoreRules(
        shopper_may_remove=flag("shopper_may_remove"),
        max_quantity_per_line=whole("max_quantity_per_line"),
        refund_returns_coupons=flag("refund_returns_coupons"),
        transfer_validity_hours=whole("transfer_validity_hours"),
        exit_audit=AuditPolicy(
            whole("exit_audit_rate_bp"),
            None if data["exit_audit_over_minor"] is None else whole("exit_audit_over_minor"),
        ),
        currency=currency,
    )
