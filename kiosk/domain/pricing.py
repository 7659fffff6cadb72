"""Pricing: a pure function from cart, catalog and rules to a priced receipt.

`price_cart` is the only place a total is computed. Its steps, in order:
1. price each active line from the catalog (per piece, per kg, or the label's price),
   or at the price per unit staff set for it (a price override);
2. ask each `PricingRule` (promotions, member prices, coupons: a later issue) for
   discounts on the lines as priced so far, in the order the rules are given. Lines
   with a price override are not shown to the rules: the staff's price is final (no
   promotion, member price or coupon lowers it further, and it counts towards no
   basket threshold), so the shopper pays exactly what staff agreed with them;
3. cap each discount at what is still left to discount on its lines and spread it
   over them (largest remainder), so no line goes below zero and parts add up;
4. tax per class on the discounted amounts, then the total.
Lines are priced in a canonical order (by content, not by scan order), so scanning
the same items in another order gives the same receipt amounts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from operator import attrgetter, sub
from typing import Protocol, cast

from kiosk.domain.cart import Cart, CartLine
from kiosk.domain.catalog import Product, Unit
from kiosk.domain.codes import Gtin
from kiosk.domain.errors import CatalogError
from kiosk.domain.money import Money, Rounding, allocate_minor
from kiosk.domain.policy import StorePolicy
from kiosk.domain.tax import TaxLine, tax_breakdown

GRAMS_PER_KG = 1000
_LINE_NO = attrgetter("line_no")
_KG = Unit.KG  # a global: `Unit.KG` takes the enum class's slow lookup, per line per scan


def weighed_price(per_kg: Money, grams: int, rounding: Rounding) -> Money:
    """What `grams` of an item sold at `per_kg` cost, rounded once by the store's rule: the
    cart's line and the kiosk scale's preview both use this, so they always agree."""
    return per_kg.fraction(grams, GRAMS_PER_KG, rounding)


@dataclass(frozen=True, slots=True)
class PricedLine:
    line_no: int
    gtin: Gtin
    quantity: int
    weight_g: int | None
    unit_price: Money
    gross: Money
    discount: Money
    deposit: Money
    tax_class: str
    shared: Money
    """The part of `discount` that is this line's share of discounts on the whole basket
    (`Discount.shared`): taxes and refunds need it spread, the shopper sees it on its own."""
    labelled: bool = False
    """Priced from a price label (an embedded price): what the shopper pays before
    promotions, so no member price rescales it."""
    overridden: bool = False
    """Priced at a price staff set (`CartLine.override`): no rule discounts it."""

    @property
    def amount(self) -> Money:
        """What the shopper pays for the goods on this line (deposit apart)."""
        return self.gross - self.discount

    @property
    def own_discount(self) -> Money:
        """The line's own savings (member price, item promotions), without basket shares."""
        return self.discount - self.shared

    @property
    def shelf_amount(self) -> Money:
        """The line's price as the shopper reads it in the cart: after its own savings,
        before the basket's (which change with every item scanned)."""
        return self.gross - self.own_discount


@dataclass(frozen=True, slots=True)
class Discount:
    """A discount that names its cause, so the receipt and the shopper can see why."""

    rule_id: str
    description: str
    amount: Money
    line_nos: tuple[int, ...]
    shared: bool = False
    """A discount on the basket as a whole (basket promotion, coupon, points), shown on a
    line of its own rather than in the lines' prices."""


@dataclass(frozen=True, slots=True)
class PricingContext:
    policy: StorePolicy
    now: datetime
    member_id: str | None = None
    member_tier: str | None = None
    products: Mapping[Gtin, Product] = field(default_factory=dict)
    cart_id: str = ""
    """The cart being priced, for rules that keep state per cart (its coupons)."""


class PricingRule(Protocol):
    """A promotion, member price or coupon. Must be deterministic and side-effect free."""

    @property
    def rule_id(self) -> str: ...

    def discounts(
        self, lines: tuple[PricedLine, ...], context: PricingContext
    ) -> Iterable[Discount]: ...


@dataclass(frozen=True, slots=True)
class PricedCart:
    currency: str
    lines: tuple[PricedLine, ...]
    discounts: tuple[Discount, ...]
    taxes: tuple[TaxLine, ...]
    subtotal: Money
    discount_total: Money
    deposit_total: Money
    tax_total: Money
    total: Money
    item_count: int


def _line_key(line: CartLine) -> tuple[str, int, int, str, str, str, int]:
    return (
        line.gtin,
        line.weight_g or 0,
        line.embedded_price.minor if line.embedded_price else -1,
        line.lot or "",
        line.serial or "",
        line.expiry.isoformat() if line.expiry else "",
        line.line_no,
    )


def _price_line(
    line: CartLine, product: Product, policy: StorePolicy, zero: Money | None = None
) -> PricedLine:
    currency = policy.currency
    if product.price.currency != currency:
        raise CatalogError(f"{product.gtin} is priced in {product.price.currency}, not {currency}")
    if zero is None:
        zero = Money.zero(currency)
    override = line.override
    shelf = product.price if override is None else Money(override.unit_minor, currency)
    if line.embedded_price is not None:
        unit_price = line.embedded_price if override is None else shelf
        gross = unit_price
    elif product.unit is _KG:
        if line.weight_g is None:
            raise CatalogError(f"{product.gtin} is sold by weight but the line has none")
        unit_price = shelf
        gross = weighed_price(shelf, line.weight_g, policy.rounding)
    else:
        unit_price = shelf
        one = line.quantity == 1 and type(unit_price) is Money
        gross = unit_price if one else unit_price.times(line.quantity)
    deposit = product.deposit.times(line.quantity) if product.deposit else zero
    return PricedLine(  # positionally: this runs for every line on every scan
        line.line_no,
        line.gtin,
        line.quantity,
        line.weight_g,
        unit_price,
        gross,
        zero,
        deposit,
        product.tax_class,
        zero,
        line.embedded_price is not None,
        override is not None,
    )


def shelf_unit_minor(line: CartLine, product: Product) -> int:
    """The line's price per unit without any override: what an override is bounded by."""
    return line.embedded_price.minor if line.embedded_price is not None else product.price.minor


def spread(amount: int, rooms: list[int]) -> list[int]:
    """How a discount of `amount` lands on lines with `rooms` left to discount: capped at
    their sum, split by largest remainder (empty when nothing is kept).

    The one rule for the pricing core (`_apply`) and the offers engine (`Basket.apply`),
    so the two never disagree by a fen. A negative room is refused (`allocate_minor`).
    """
    if len(rooms) == 1:  # most discounts: one line, nothing to split
        capped = min(max(amount, 0), rooms[0])
        if capped == 0:
            return []
        if rooms[0] < 0:
            allocate_minor(capped, rooms)  # raises
        return [capped]
    capped = min(max(amount, 0), sum(rooms))
    return allocate_minor(capped, rooms) if capped else []


def _apply(
    gross: list[int],
    taken: list[int],
    shared: list[int],
    position: Mapping[int, int],
    discount: Discount,
) -> Discount | None:
    """Spread `discount` over its lines, capped at what they have left; None if nothing left.

    Works on integer columns (`taken[i]`: discount so far on line i, `shared[i]` the part
    of it from shared discounts): a basket engine returns dozens of discounts per
    repricing, and this runs for each.
    """
    line_nos = discount.line_nos
    amount = discount.amount.minor
    if len(line_nos) == 1:
        i = position.get(line_nos[0])
        if i is None:
            return None
        targets = [i]
        rooms = [gross[i] - taken[i]]
    else:
        found = [*map(position.get, set(line_nos))]
        targets = [i for i in found if i is not None] if None in found else cast("list[int]", found)
        if not targets:
            return None
        targets.sort()
        rooms = list(map(sub, map(gross.__getitem__, targets), map(taken.__getitem__, targets)))
    shares = spread(amount, rooms)
    if not shares:
        return None
    for i, share in zip(targets, shares, strict=True):
        taken[i] += share
    if discount.shared:
        for i, share in zip(targets, shares, strict=True):
            shared[i] += share
    capped = sum(shares)
    if capped == amount and type(discount) is Discount:
        return discount  # kept whole (the usual case: the offers engine caps the same way)
    return Discount(
        discount.rule_id,
        discount.description,
        # Valid: no more than the discount's own (validated) amount, in its currency.
        Money._valid(capped, discount.amount.currency),
        line_nos,
        discount.shared,
    )


def _with_discounts(
    lines: list[PricedLine], taken: list[int], shared: list[int], currency: str
) -> tuple[PricedLine, ...]:
    """`lines` (as priced, undiscounted) with the discounts in `taken` and `shared`."""
    if not any(taken):
        return tuple(lines)  # the first rule, and every cart without a discount
    # The constructor, not `dataclasses.replace` (several times faster, per line per scan);
    # a line's discount never exceeds its (validated) gross, so the fast `Money` path holds.
    valid = Money._valid
    out = []
    for line, extra, part in zip(lines, taken, shared, strict=True):
        if not extra:
            out.append(line)
            continue
        discount = valid(extra, currency)
        out.append(
            PricedLine(
                line.line_no,
                line.gtin,
                line.quantity,
                line.weight_g,
                line.unit_price,
                line.gross,
                discount,
                line.deposit,
                line.tax_class,
                # All of it shared, none (an undiscounted line's zero), or a part.
                discount if part == extra else valid(part, currency) if part else line.shared,
                line.labelled,
                line.overridden,
            )
        )
    return tuple(out)


def price_cart(
    cart: Cart,
    products: Mapping[Gtin, Product],
    context: PricingContext,
    rules: Iterable[PricingRule] = (),
) -> PricedCart:
    """Price `cart` (active lines only). Raises `CatalogError` if a product is missing."""
    policy = context.policy
    currency = policy.currency
    ordered = sorted(cart.active_lines, key=_line_key)
    try:
        zero = Money.zero(currency)
        lines = [_price_line(line, products[line.gtin], policy, zero) for line in ordered]
    except KeyError as exc:
        raise CatalogError(f"product {exc.args[0]} left the catalog: re-scan it") from None
    applied: list[Discount] = []
    # Overridden lines are neither shown to the rules nor found by a discount naming them.
    position = {line.line_no: i for i, line in enumerate(lines) if not line.overridden}
    hidden = len(position) < len(lines)
    gross = [line.gross.minor for line in lines]
    taken = [0] * len(lines)
    shared = [0] * len(lines)
    for rule in rules:
        so_far = _with_discounts(lines, taken, shared, currency)
        if hidden:
            so_far = tuple(line for line in so_far if not line.overridden)
        for discount in rule.discounts(so_far, context):
            if discount.amount.currency != currency:
                raise CatalogError(f"rule {rule.rule_id} gave a discount in another currency")
            kept = _apply(gross, taken, shared, position, discount)
            if kept is not None:
                applied.append(kept)
    lines = list(_with_discounts(lines, taken, shared, currency))
    # Totals in plain integers, made `Money` once: this runs on every scan.
    by_class: dict[str, int] = {}
    for line, line_gross, line_taken in zip(lines, gross, taken, strict=True):
        by_class[line.tax_class] = by_class.get(line.tax_class, 0) + line_gross - line_taken
    taxes = tax_breakdown(
        {code: Money(amount, currency) for code, amount in by_class.items()},
        policy.tax_classes,
        policy.tax_mode,
        policy.rounding,
    )
    deposit_total = Money(sum(line.deposit.minor for line in lines), currency)
    goods = sum(t.gross.minor for t in taxes)
    return PricedCart(
        currency=currency,
        lines=tuple(sorted(lines, key=_LINE_NO)),
        discounts=tuple(applied),
        taxes=taxes,
        subtotal=Money(sum(gross), currency),
        discount_total=Money(sum(taken), currency),
        deposit_total=deposit_total,
        tax_total=Money(sum(t.tax.minor for t in taxes), currency),
        total=Money(goods, currency) + deposit_total,
        item_count=sum(1 if line.weight_g is not None else line.quantity for line in lines),
    )
