from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.cart import Cart
from kiosk.domain.catalog import Product, Unit
from kiosk.domain.codes import ProductCode
from kiosk.domain.errors import CatalogError
from kiosk.domain.money import Money
from kiosk.domain.policy import StorePolicy
from kiosk.domain.pricing import (
    Discount,
    PricedCart,
    PricedLine,
    PricingContext,
    price_cart,
)
from kiosk.domain.tax import TaxMode
from kiosk.services.config import demo_policy
from tests.helpers import make_product

NOW = datetime(2026, 11, 23, 10, tzinfo=UTC)
POLICY = demo_policy()


def build(
    products: Iterable[Product], codes: Iterable[ProductCode], policy: StorePolicy = POLICY
) -> Cart:
    cart = Cart("c")
    by_gtin = {p.gtin: p for p in products}
    for code in codes:
        cart, _ = cart.add(by_gtin[code.gtin], code, today=date(2026, 11, 23), policy=policy)
    return cart


def price(
    cart: Cart,
    products: Iterable[Product],
    rules: Iterable[object] = (),
    policy: StorePolicy = POLICY,
) -> PricedCart:
    catalog = {p.gtin: p for p in products}
    return price_cart(cart, catalog, PricingContext(policy, NOW, products=catalog), rules)  # type: ignore[arg-type]


@dataclass(frozen=True)
class FixedOff:
    """A test rule: a fixed amount off the given lines (the promotions issue brings real ones)."""

    amount: int
    line_nos: tuple[int, ...] | None = None
    rule_id: str = "test"
    shared: bool = False

    def discounts(self, lines: tuple[PricedLine, ...], context: PricingContext) -> list[Discount]:
        targets = self.line_nos or tuple(line.line_no for line in lines)
        amount = Money(self.amount, "CNY")
        return [Discount(self.rule_id, f"{self.amount} off", amount, targets, self.shared)]


def test_realistic_basket_hand_checked() -> None:
    """Water 2.00 x3 (9 %), crisps 7.50 (13 %), apples 12.80/kg x 734 g (9 %), beer 6.50 + 0.50
    deposit (13 %). Goods 6.00 + 7.50 + 9.40 (9.3952 rounded half up) + 6.50 = 29.40."""
    water = make_product(1, price=200, tax_class="reduced")
    crisps = make_product(2, price=750)
    apples = make_product(3, price=1280, unit=Unit.KG, tax_class="reduced")
    beer = make_product(4, price=650, deposit=Money(50, "CNY"))
    products = [water, crisps, apples, beer]
    cart = build(
        products,
        [ProductCode(water.gtin, "w")] * 3
        + [
            ProductCode(crisps.gtin, "c"),
            ProductCode(apples.gtin, "a", weight_g=734),
            ProductCode(beer.gtin, "b"),
        ],
    )
    priced = price(cart, products)
    assert [line.gross.minor for line in priced.lines] == [600, 750, 940, 650]
    assert priced.deposit_total.minor == 50
    assert priced.total.minor == 2940 + 50
    assert priced.item_count == 6
    reduced, standard = priced.taxes
    # 9 %: 15.40 gross -> tax 15.40 * 9/109 = 1.2716 -> 1.27; 13 %: 14.00 -> 1.6106 -> 1.61
    assert (reduced.tax_class, reduced.gross.minor, reduced.tax.minor) == ("reduced", 1540, 127)
    assert (standard.gross.minor, standard.tax.minor, standard.net.minor) == (1400, 161, 1239)


def test_tax_exclusive_store_adds_tax_on_top() -> None:
    policy = replace(demo_policy(), tax_mode=TaxMode.EXCLUSIVE)
    item = make_product(1, price=1000)
    cart = build([item], [ProductCode(item.gtin, "x")], policy)
    priced = price(cart, [item], policy=policy)
    assert priced.tax_total.minor == 130
    assert priced.total.minor == 1130


def test_embedded_label_price_wins_over_the_catalog_price() -> None:
    item = make_product(1, price=999, unit=Unit.KG)
    cart = build([item], [ProductCode(item.gtin, "x", price_minor=1234, price_decimals=2)])
    assert price(cart, [item]).total.minor == 1234


def test_discounts_are_capped_at_what_they_discount() -> None:
    item = make_product(1, price=300)
    cart = build([item], [ProductCode(item.gtin, "x")])
    priced = price(cart, [item], [FixedOff(1000)])
    assert priced.total.minor == 0
    assert priced.discounts[0].amount.minor == 300


def test_voided_and_removed_lines_are_not_charged() -> None:
    a, b = make_product(1, price=300), make_product(2, price=500)
    cart = build([a, b], [ProductCode(a.gtin, "a"), ProductCode(b.gtin, "b")])
    cart, _ = cart.remove(1, policy=POLICY)
    assert price(cart, [a, b]).total.minor == 500


# ------------------------------------------------------------------ properties
catalog_strategy = st.lists(
    st.tuples(
        st.integers(0, 50_000), st.sampled_from(["standard", "reduced", "zero"]), st.booleans()
    ),
    min_size=1,
    max_size=8,
).map(
    lambda specs: [
        make_product(i, price=p, tax_class=t, unit=Unit.KG if kg else Unit.EACH)
        for i, (p, t, kg) in enumerate(specs)
    ]
)


@st.composite
def baskets(draw: st.DrawFn) -> tuple[list[Product], list[ProductCode]]:
    products = draw(catalog_strategy)
    codes = []
    for _ in range(draw(st.integers(1, 25))):
        p = draw(st.sampled_from(products))
        weight = draw(st.integers(1, 20_000)) if p.unit is Unit.KG else None
        codes.append(ProductCode(p.gtin, p.gtin, weight_g=weight))
    return products, codes


rules_strategy = st.lists(
    st.builds(FixedOff, amount=st.integers(0, 100_000), shared=st.booleans()), max_size=3
)
modes = st.sampled_from(list(TaxMode))


@given(baskets(), rules_strategy, modes)
def test_total_is_lines_minus_discounts_and_never_negative(basket, rules, mode) -> None:  # type: ignore[no-untyped-def]
    products, codes = basket
    policy = replace(POLICY, tax_mode=mode)
    priced = price(build(products, codes, policy), products, rules, policy)
    goods = sum(line.gross.minor for line in priced.lines) - priced.discount_total.minor
    assert goods == sum(line.amount.minor for line in priced.lines)
    added_tax = priced.tax_total.minor if mode is TaxMode.EXCLUSIVE else 0
    assert priced.total.minor == goods + added_tax + priced.deposit_total.minor
    assert priced.total.minor >= 0
    assert all(0 <= line.discount.minor <= line.gross.minor for line in priced.lines)
    assert sum(t.tax.minor for t in priced.taxes) == priced.tax_total.minor
    # The basket's shared discounts are spread over the lines, and only they: the cart
    # shows each line before them, and them once on their own.
    shared = sum(d.amount.minor for d in priced.discounts if d.shared)
    assert sum(line.shared.minor for line in priced.lines) == shared
    for line in priced.lines:
        assert 0 <= line.shared.minor <= line.discount.minor
        assert line.shelf_amount - line.shared == line.amount
    assert sum(line.shelf_amount.minor for line in priced.lines) - shared == goods


@given(baskets(), rules_strategy, modes, st.randoms(use_true_random=False))
def test_scan_order_does_not_change_the_amounts(basket, rules, mode, rng) -> None:  # type: ignore[no-untyped-def]
    products, codes = basket
    policy = replace(POLICY, tax_mode=mode)
    shuffled = list(codes)
    rng.shuffle(shuffled)
    first = price(build(products, codes, policy), products, rules, policy)
    second = price(build(products, shuffled, policy), products, rules, policy)
    assert first.total == second.total
    assert first.taxes == second.taxes
    assert sorted(line.amount.minor for line in first.lines) == sorted(
        line.amount.minor for line in second.lines
    )


@given(baskets(), modes)
def test_pricing_is_deterministic(basket, mode) -> None:  # type: ignore[no-untyped-def]
    products, codes = basket
    policy = replace(POLICY, tax_mode=mode)
    cart = build(products, codes, policy)
    assert price(cart, products, [FixedOff(77)], policy) == price(
        cart, products, [FixedOff(77)], policy
    )


def test_unknown_tax_class_is_a_clear_error() -> None:
    item = make_product(1, tax_class="luxury")
    cart = build([item], [ProductCode(item.gtin, "x")])
    with pytest.raises(CatalogError, match="unknown tax class 'luxury'"):
        price(cart, [item])
