"""Tax classes and the tax breakdown printed on every receipt.

Rates are integer basis points (1300 = 13 %). Tax is computed once per tax class
on the class's total, not per line, so a receipt's tax lines add up exactly and
match what a tax office recomputes from the printed totals.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass

from kiosk.domain.errors import CatalogError
from kiosk.domain.money import Money, Rounding

BASIS_POINTS = 10_000


class TaxMode(enum.StrEnum):
    """Shelf prices include tax (CN, KR, EU) or tax is added at the till (US)."""

    INCLUSIVE = "inclusive"
    EXCLUSIVE = "exclusive"


@dataclass(frozen=True, slots=True)
class TaxClass:
    code: str
    rate_bp: int
    label: str = ""

    def __post_init__(self) -> None:
        if not 0 <= self.rate_bp <= BASIS_POINTS:
            raise CatalogError(f"tax class {self.code}: rate {self.rate_bp} bp is out of range")


@dataclass(frozen=True, slots=True)
class TaxLine:
    tax_class: str
    rate_bp: int
    net: Money
    tax: Money
    gross: Money


def tax_breakdown(
    amounts: Mapping[str, Money],
    classes: Mapping[str, TaxClass],
    mode: TaxMode,
    rounding: Rounding,
) -> tuple[TaxLine, ...]:
    """One `TaxLine` per tax class, in class-code order.

    `amounts` are shelf amounts after discounts: gross when prices include tax,
    net when tax is added on top.
    """
    lines = []
    for code in sorted(amounts):
        amount = amounts[code]
        try:
            rate = classes[code].rate_bp
        except KeyError:
            raise CatalogError(
                f"unknown tax class {code!r}: add it to the store settings"
            ) from None
        if mode is TaxMode.INCLUSIVE:
            tax = amount.fraction(rate, BASIS_POINTS + rate, rounding)
            lines.append(TaxLine(code, rate, amount - tax, tax, amount))
        else:
            tax = amount.fraction(rate, BASIS_POINTS, rounding)
            lines.append(TaxLine(code, rate, amount, tax, amount + tax))
    return tuple(lines)
