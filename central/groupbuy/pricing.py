"""The arithmetic of a group-buy, with no I/O: tier prices, what a buyer owes at cut-off,
the difference to give back, the leader's commission.

Every figure is integer minor units. A buyer pays the tier in force when they join;
at cut-off the tier the campaign reached applies to everyone. Cancellations can make
the final tier a dearer one than a buyer paid: nobody pays more than they agreed to,
so each line's final unit price is the lower of the two (`final_unit`), and the
difference is never negative.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from central.errors import Invalid
from kiosk.domain.money import Rounding, divide

BASIS_POINTS = 10_000
MAX_TIERS = 8


@dataclass(frozen=True, slots=True)
class Tier:
    """From `min_buyers` paid orders on, a unit costs `price_minor`."""

    min_buyers: int
    price_minor: int


@dataclass(frozen=True, slots=True)
class Ladder:
    """A product's group price and its cheaper tiers, checked when made."""

    base_minor: int
    tiers: tuple[Tier, ...] = ()

    def __post_init__(self) -> None:
        if self.base_minor <= 0:
            raise Invalid("a group price must be above zero", reason="groupbuy_price")
        if len(self.tiers) > MAX_TIERS:
            raise Invalid(f"at most {MAX_TIERS} price tiers", reason="groupbuy_price")
        buyers, price = 1, self.base_minor
        for tier in self.tiers:
            if tier.min_buyers <= buyers:
                raise Invalid(
                    "each tier needs more buyers than the one before (the first at least 2)",
                    reason="groupbuy_price",
                )
            if not 0 < tier.price_minor < price:
                raise Invalid(
                    "each tier's price must be above zero and below the one before",
                    reason="groupbuy_price",
                )
            buyers, price = tier.min_buyers, tier.price_minor

    def level(self, buyers: int) -> int:
        """0 for the group price, n for the n-th tier reached with `buyers`."""
        return sum(1 for tier in self.tiers if buyers >= tier.min_buyers)

    def price(self, buyers: int) -> int:
        level = self.level(buyers)
        return self.base_minor if level == 0 else self.tiers[level - 1].price_minor

    def next_tier(self, buyers: int) -> Tier | None:
        """The next cheaper tier still to reach, if any."""
        level = self.level(buyers)
        return self.tiers[level] if level < len(self.tiers) else None


def final_unit(paid_unit_minor: int, final_tier_minor: int) -> int:
    return min(paid_unit_minor, final_tier_minor)


@dataclass(frozen=True, slots=True)
class Line:
    quantity: int
    paid_unit_minor: int


def final_total(lines: Iterable[tuple[Line, int]]) -> int:
    """What an order costs at cut-off: (line, final tier price) pairs."""
    return sum(line.quantity * final_unit(line.paid_unit_minor, tier) for line, tier in lines)


def paid_total(lines: Iterable[Line]) -> int:
    return sum(line.quantity * line.paid_unit_minor for line in lines)


def difference(lines: Sequence[tuple[Line, int]]) -> int:
    """What goes back to the buyer at cut-off: never negative."""
    return paid_total(line for line, _ in lines) - final_total(lines)


def commission(revenue_minor: int, rate_bp: int) -> int:
    """The leader's share of the revenue, rounded half up once."""
    return divide(revenue_minor * rate_bp, BASIS_POINTS, Rounding.HALF_UP)
