"""A supervisor's price override: bounded by the store policy, priced by `price_cart`, final
(no promotion or coupon lowers it further), and the totals stay consistent integers."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.cart import StaffAction
from kiosk.domain.catalog import Unit
from kiosk.domain.codes import ProductCode
from kiosk.domain.errors import KioskError, NotAllowed, Reason
from kiosk.domain.policy import OverrideBounds
from kiosk.domain.pricing import shelf_unit_minor
from kiosk.domain.staff import Role, Staff
from tests.helpers import make_product
from tests.unit.kiosk.test_pricing import POLICY, FixedOff, build, price

AT = datetime(2026, 11, 23, 10, tzinfo=UTC)
SUPERVISOR = Staff("S-2", "Li Na", Role.SUPERVISOR)
ASSOCIATE = Staff("S-1", "Wang Wei", Role.ASSOCIATE)
WHY = StaffAction("S-2", AT, "damaged packaging")


def test_bounds_are_exact_in_integers() -> None:
    bounds = OverrideBounds()  # half the shelf price up to the shelf price
    assert bounds.range_of(999) == (500, 999)  # the floor 499.5 rounds up: never below half
    assert bounds.allows(500, 999)
    assert not bounds.allows(499, 999)
    assert not bounds.allows(1000, 999)
    with pytest.raises(ValueError, match="bounds"):
        OverrideBounds(floor_bp=6000, ceiling_bp=5000)


def test_only_a_supervisor_with_a_reason_within_the_bounds() -> None:
    crisps = make_product(2, price=750)
    cart = build([crisps], [ProductCode(crisps.gtin, "c")])
    with pytest.raises(NotAllowed) as denied:
        cart.override_price(1, 600, 750, ASSOCIATE, WHY, policy=POLICY)
    assert denied.value.reason is Reason.PERMISSION_DENIED
    with pytest.raises(KioskError) as no_reason:
        cart.override_price(1, 600, 750, SUPERVISOR, replace(WHY, reason=""), policy=POLICY)
    assert no_reason.value.reason is Reason.REASON_REQUIRED
    for outside in (374, 751, -1):
        with pytest.raises(NotAllowed) as bounded:
            cart.override_price(1, outside, 750, SUPERVISOR, WHY, policy=POLICY)
        assert bounded.value.reason is Reason.OVERRIDE_OUT_OF_BOUNDS
    overridden, event = cart.override_price(1, 375, 750, SUPERVISOR, WHY, policy=POLICY)
    assert event.override.unit_minor == 375
    assert overridden.line(1).override == event.override
    # A second override is bounded by the shelf price, not by the first override.
    again, _ = overridden.override_price(1, 700, 123, SUPERVISOR, WHY, policy=POLICY)
    assert again.line(1).override is not None
    assert again.line(1).override.shelf_minor == 750


def test_the_next_scan_of_the_same_item_is_at_the_shelf_price() -> None:
    water = make_product(1, price=200)
    cart = build([water], [ProductCode(water.gtin, "w")] * 2)
    cart, _ = cart.override_price(1, 150, 200, SUPERVISOR, WHY, policy=POLICY)
    cart, scanned = cart.add(water, ProductCode(water.gtin, "w"), today=AT.date(), policy=POLICY)
    assert not scanned.merged
    priced = price(cart, [water])
    assert [(line.quantity, line.gross.minor) for line in priced.lines] == [(2, 300), (1, 200)]


def test_weighed_and_labelled_lines_take_the_override_per_unit() -> None:
    apples = make_product(3, price=1280, unit=Unit.KG, tax_class="reduced")
    cart = build([apples], [ProductCode(apples.gtin, "a", weight_g=734)])
    line = cart.line(1)
    assert shelf_unit_minor(line, apples) == 1280
    cart, _ = cart.override_price(1, 1000, 1280, SUPERVISOR, WHY, policy=POLICY)
    (priced,) = price(cart, [apples]).lines
    assert (priced.unit_price.minor, priced.gross.minor, priced.overridden) == (1000, 734, True)


@given(
    prices=st.lists(st.integers(1, 100_000), min_size=1, max_size=6),
    quantities=st.lists(st.integers(1, 5), min_size=6, max_size=6),
    picks=st.lists(st.tuples(st.integers(0, 5), st.integers(0, 10_000)), max_size=6),
    off=st.integers(0, 50_000),
)
def test_totals_stay_consistent_integers_and_overridden_lines_take_no_discount(
    prices: list[int], quantities: list[int], picks: list[tuple[int, int]], off: int
) -> None:
    products = [make_product(n, price=p) for n, p in enumerate(prices, start=1)]
    codes = [
        ProductCode(p.gtin, str(n)) for n, p in enumerate(products) for _ in range(quantities[n])
    ]
    cart = build(products, codes)
    catalog = {p.gtin: p for p in products}
    for index, bp in picks:
        line = cart.lines[index % len(cart.lines)]
        shelf = catalog[line.gtin].price.minor
        low, high = POLICY.price_override.range_of(shelf)
        unit = low + (high - low) * bp // 10_000
        cart, _ = cart.override_price(line.line_no, unit, shelf, SUPERVISOR, WHY, policy=POLICY)
    priced = price(cart, products, [FixedOff(off, shared=True)])
    for line in priced.lines:
        override = cart.line(line.line_no).override
        assert type(line.gross.minor) is int
        assert type(line.discount.minor) is int
        assert 0 <= line.discount.minor <= line.gross.minor
        if override is not None:
            assert line.unit_price.minor == override.unit_minor
            assert line.gross.minor == override.unit_minor * line.quantity
            assert line.discount.minor == 0
            assert POLICY.price_override.allows(override.unit_minor, override.shelf_minor)
    assert priced.subtotal.minor == sum(line.gross.minor for line in priced.lines)
    assert priced.discount_total.minor == sum(d.amount.minor for d in priced.discounts)
    goods = priced.subtotal.minor - priced.discount_total.minor
    assert priced.total.minor == goods + priced.deposit_total.minor
    assert sum(t.gross.minor for t in priced.taxes) == goods
    untouched = sum(
        line.gross.minor for line in priced.lines if cart.line(line.line_no).override is None
    )
    assert priced.discount_total.minor == min(off, untouched)
