"""The offers engine's working view of a priced cart: what is left to discount, per line
and per unit, and which units a non-stackable offer has already taken.

`Basket.apply` and the pricing core's `_apply` both land a discount by one function,
`kiosk.domain.pricing.spread` (cap at what is left on the discount's lines, split by
largest remainder in line order), so the engine's own book-keeping and the pricing core
never disagree by a fen.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, NamedTuple, TypeVar

from kiosk.domain.catalog import Product
from kiosk.domain.codes import Gtin
from kiosk.domain.money import (
    CURRENCY_EXPONENT,
    MAX_MINOR,
    Money,
    Rounding,
    divide,
)
from kiosk.domain.pricing import Discount, PricedLine, spread

BASIS_POINTS = 10_000
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Scope:
    """Which goods an offer covers: any listed GTIN, brand or category (empty: everything)."""

    gtins: frozenset[str] = frozenset()
    brands: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()
    exclude_gtins: frozenset[str] = frozenset()

    @property
    def everything(self) -> bool:
        return not (self.gtins or self.brands or self.categories)

    def matches(self, gtin: str, product: Product | None) -> bool:
        if gtin in self.exclude_gtins:
            return False
        if gtin in self.gtins:
            return True
        if product is not None and (
            product.brand in self.brands or product.category in self.categories
        ):
            return True
        return not (self.gtins or self.brands or self.categories)

    def describe(self) -> str:
        parts = []
        if self.brands:
            parts.append("brand " + "/".join(sorted(self.brands)))
        if self.categories:
            parts.append("category " + "/".join(sorted(self.categories)))
        if self.gtins:
            parts.append(f"{len(self.gtins)} item(s)")
        return ", ".join(parts) or "everything"


@dataclass(slots=True)
class BasketLine:
    """One priced line. A weighed or price-labelled line is one indivisible unit."""

    index: int
    line_no: int
    gtin: Gtin
    product: Product | None
    units: int
    gross: int
    room: int  # what is still left to discount on the line (mirrors the pricing core)
    taken: int = 0  # units taken by non-stackable item offers
    basket_taken: bool = False  # taken by a non-stackable basket offer or coupon
    base: int = 0  # value of the line when the item stage began (after member prices)
    spend: int = 0  # value of the line when the basket stage began: what thresholds count
    weight_g: int | None = None  # weighed goods: what a per-kg member price multiplies
    labelled: bool = False  # priced from a price label: no member price applies

    @property
    def free_units(self) -> int:
        return self.units - self.taken

    def unit_value(self) -> int:
        """Value of one unit at the start of the item stage (floor)."""
        return self.base // self.units if self.units else 0

    def value_of(self, count: int) -> int:
        """Value of `count` units of what is left now (floor)."""
        if count >= self.units:
            return self.room
        return self.room * count // self.units


class ScopeIndex(Generic[T]):
    """Items (promotions, coupons) by the GTINs, brands and categories their scopes name,
    so matching a cart costs a few dict lookups per line instead of a scan of every item."""

    def __init__(self, items: Iterable[tuple[T, Iterable[Scope]]]) -> None:
        self._by_gtin: dict[str, list[T]] = {}
        self._by_brand: dict[str, list[T]] = {}
        self._by_category: dict[str, list[T]] = {}
        self.everywhere: list[T] = []
        for item, scopes in items:
            for scope in scopes:
                if scope.everything:
                    self.everywhere.append(item)
                    continue
                for g in scope.gtins:
                    self._by_gtin.setdefault(g, []).append(item)
                for b in scope.brands:
                    self._by_brand.setdefault(b, []).append(item)
                for c in scope.categories:
                    self._by_category.setdefault(c, []).append(item)

    def near(self, gtin: str, product: Product | None) -> list[T]:
        """Items whose scope may cover this line (not the storewide ones); may repeat."""
        found = list(self._by_gtin.get(gtin, ()))
        if product is not None:
            found.extend(self._by_brand.get(product.brand, ()))
            found.extend(self._by_category.get(product.category, ()))
        return found


class Unit(NamedTuple):
    """One unit of goods, for multi-buys: its value and where it lives (a named tuple:
    carts expand to many units, and tuples are cheap to make)."""

    value: int
    line: int  # BasketLine.index


class Basket:
    def __init__(
        self,
        lines: Iterable[PricedLine],
        products: Mapping[Gtin, Product],
        currency: str,
        rounding: Rounding,
    ) -> None:
        self.currency = currency
        self.rounding = rounding
        self._known_currency = currency in CURRENCY_EXPONENT  # for the fast `Money` path
        self.lines: list[BasketLine] = []
        for i, line in enumerate(lines):
            units = 1 if line.weight_g is not None else line.quantity
            room = line.gross.minor - line.discount.minor  # `line.amount`, without a `Money`
            self.lines.append(
                BasketLine(  # positionally: this runs for every line on every scan
                    i,
                    line.line_no,
                    line.gtin,
                    products.get(line.gtin),
                    max(units, 1),
                    line.gross.minor,
                    room,
                    0,  # taken
                    False,  # basket_taken
                    room,  # base
                    0,  # spend
                    line.weight_g,
                    line.labelled,
                )
            )
        self.applied: list[Discount] = []

    def money(self, minor: int) -> Money:
        return Money(minor, self.currency)

    def percent(self, amount: int, bp: int) -> int:
        return divide(amount * bp, BASIS_POINTS, self.rounding)

    def in_scope(self, scope: Scope) -> list[BasketLine]:
        return [line for line in self.lines if scope.matches(line.gtin, line.product)]

    def units(self, lines: Iterable[BasketLine], *, free_only: bool) -> list[Unit]:
        """Units, most valuable first (ties by line order: deterministic)."""
        out: list[Unit] = []
        for line in lines:
            count = line.free_units if free_only else line.units
            if count <= 0:
                continue
            value = line.unit_value() if free_only else line.value_of(1)
            out.extend([Unit(value, line.index)] * count)
        out.sort(key=_by_value_desc)
        return out

    def runs(self, lines: Iterable[BasketLine], *, free_only: bool) -> list[tuple[int, int, int]]:
        """(unit value, line index, units) per line: `units` without expanding them."""
        # `free_units`, `unit_value()` and `value_of(1)` spelled out: this runs for every
        # evaluation of every promotion.
        out = []
        if free_only:
            for line in lines:
                units = line.units
                count = units - line.taken
                if count > 0:
                    out.append((line.base // units if units else 0, line.index, count))
        else:
            for line in lines:
                units = line.units
                if units > 0:
                    room = line.room
                    out.append((room if units <= 1 else room // units, line.index, units))
        return out

    def sorted_runs(
        self, lines: Iterable[BasketLine], *, free_only: bool
    ) -> list[tuple[int, int, int]]:
        """`runs` in the order of `units` (most valuable first, ties by line order): unit
        i of `units` is in the run where the counts up to it pass i."""
        out = self.runs(lines, free_only=free_only)
        out.sort(key=_run_by_value_desc)
        return out

    def start_item_stage(self) -> None:
        for line in self.lines:
            line.base = line.room

    def start_basket_stage(self) -> None:
        for line in self.lines:
            line.spend = line.room

    def apply(
        self,
        rule_id: str,
        description: str,
        amount: int,
        indexes: Sequence[int],
        *,
        shared: bool = False,
    ) -> Discount | None:
        """Cap and spread by the pricing core's rule (`pricing.spread`); record and
        return the kept discount."""
        lines = self.lines
        # Most discounts are on one line: nothing to deduplicate or sort.
        targets = [lines[i] for i in (indexes if len(indexes) == 1 else sorted(set(indexes)))]
        shares = spread(amount, [line.room for line in targets])
        if not shares:
            return None
        for line, share in zip(targets, shares, strict=True):
            line.room -= share
        capped = sum(shares)
        kept = Discount(
            rule_id,
            description,
            # No more than what is left on lines of validated amounts; an absurd sum or
            # an unknown currency still meets the strict constructor (and its error).
            Money._valid(capped, self.currency)
            if capped <= MAX_MINOR and self._known_currency
            else self.money(capped),
            tuple([line.line_no for line in targets]),
            shared,
        )
        self.applied.append(kept)
        return kept


def _by_value_desc(unit: Unit) -> tuple[int, int]:
    return (-unit.value, unit.line)


def _run_by_value_desc(run: tuple[int, int, int]) -> tuple[int, int]:
    return (-run[0], run[1])
