from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from kiosk.domain.cart import Cart, LineState, StaffAction
from kiosk.domain.catalog import Unit
from kiosk.domain.codes import ProductCode
from kiosk.domain.errors import CartError, CartFrozen, ItemRefused, NotAllowed
from kiosk.domain.policy import StorePolicy
from kiosk.domain.staff import Role, Staff
from tests.helpers import make_product

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 10, tzinfo=UTC)
ASSOCIATE = Staff("1", "Ann", Role.ASSOCIATE)
SUPERVISOR = Staff("2", "Sam", Role.SUPERVISOR)


def scan(cart: Cart, product, policy: StorePolicy, **code) -> Cart:  # type: ignore[no-untyped-def]
    new, _ = cart.add(
        product, ProductCode(product.gtin, product.gtin, **code), today=TODAY, policy=policy
    )
    return new


def test_same_product_merges_into_one_line(policy: StorePolicy) -> None:
    p = make_product(1)
    cart = scan(scan(Cart("c"), p, policy), p, policy)
    assert [(line.line_no, line.quantity) for line in cart.lines] == [(1, 2)]


def test_different_lots_and_weighed_items_stay_separate(policy: StorePolicy) -> None:
    p, kg = make_product(1), make_product(2, unit=Unit.KG)
    cart = scan(scan(Cart("c"), p, policy, lot="A"), p, policy, lot="B")
    cart = scan(scan(cart, kg, policy, weight_g=500), kg, policy, weight_g=500)
    assert len(cart.lines) == 4


@pytest.mark.parametrize(
    ("product_changes", "code", "reason"),
    [
        ({"recalled": True}, {}, "recalled"),
        ({"recalled_lots": frozenset({"L1"})}, {"lot": "L1"}, "recalled"),
        ({"sellable": False}, {}, "not_sellable"),
        ({}, {"expiry": date(2026, 11, 22)}, "expired"),
        ({"unit": Unit.KG}, {}, "needs_weight"),
        # The produce item's own code read as a weight label: 0 g is no weight (#16:
        # "Fuji Apples 0.000 kg ¥0.00" was added to the cart).
        ({"unit": Unit.KG}, {"weight_g": 0}, "needs_weight"),
    ],
)
def test_unsellable_items_are_refused_with_a_reason(
    policy: StorePolicy, product_changes: dict, code: dict, reason: str
) -> None:
    product = replace(make_product(1), **product_changes)
    with pytest.raises(ItemRefused) as info:
        scan(Cart("c"), product, policy, **code)
    assert info.value.reason == reason


def test_item_expiring_today_is_still_sold(policy: StorePolicy) -> None:
    cart = scan(Cart("c"), make_product(1), policy, expiry=TODAY)
    assert len(cart.active_lines) == 1


def test_quantity_limit(policy: StorePolicy) -> None:
    tight = replace(policy, max_quantity_per_line=2)
    p = make_product(1)
    cart = scan(scan(Cart("c"), p, tight), p, tight)
    with pytest.raises(ItemRefused, match="at most 2"):
        scan(cart, p, tight)


def test_shopper_removal_follows_store_policy(policy: StorePolicy) -> None:
    cart = scan(Cart("c"), make_product(1), policy)
    removed, _ = cart.remove(1, policy=policy)
    assert removed.lines[0].state is LineState.REMOVED
    assert removed.is_empty
    strict = replace(policy, shopper_may_remove=False)
    with pytest.raises(NotAllowed):
        cart.remove(1, policy=strict)
    with pytest.raises(NotAllowed):
        cart.set_quantity(1, 0, policy=strict)


def test_staff_void_keeps_the_line_with_who_and_why(policy: StorePolicy) -> None:
    cart = scan(Cart("c"), make_product(1), policy)
    voided, event = cart.void_line(1, ASSOCIATE, StaffAction("1", NOW, "damaged"))
    line = voided.lines[0]
    assert line.state is LineState.VOIDED
    assert line.void == StaffAction("1", NOW, "damaged")
    assert event.line_no == 1
    with pytest.raises(CartError, match="reason"):
        cart.void_line(1, ASSOCIATE, StaffAction("1", NOW, ""))


def test_whole_sale_void_needs_a_supervisor(policy: StorePolicy) -> None:
    cart = scan(Cart("c"), make_product(1), policy)
    with pytest.raises(NotAllowed):
        cart.void_sale(ASSOCIATE, StaffAction("1", NOW, "walked away"))
    voided, _ = cart.void_sale(SUPERVISOR, StaffAction("2", NOW, "walked away"))
    assert voided.voided
    assert all(line.state is LineState.VOIDED for line in voided.lines)
    with pytest.raises(CartError):
        scan(voided, make_product(2), policy)


def test_age_restricted_item_blocks_payment_until_approved(policy: StorePolicy) -> None:
    beer = make_product(3, age_min=18)
    cart = scan(Cart("c"), beer, policy)
    assert cart.needs_approval
    with pytest.raises(NotAllowed) as info:
        cart.freeze(NOW)
    assert info.value.reason == "approval_needed"
    approved, event = cart.approve_age(ASSOCIATE, StaffAction("1", NOW, "ID checked"))
    assert event.line_nos == (1,)
    assert approved.freeze(NOW).frozen


def test_frozen_cart_cannot_change(policy: StorePolicy) -> None:
    cart = scan(Cart("c"), make_product(1), policy).freeze(NOW)
    with pytest.raises(CartFrozen):
        scan(cart, make_product(2), policy)
    with pytest.raises(CartFrozen):
        cart.set_quantity(1, 3, policy=policy)
    with pytest.raises(CartFrozen):
        cart.void_line(1, ASSOCIATE, StaffAction("1", NOW, "x"))
    assert len(scan(cart.unfreeze(), make_product(2), policy).lines) == 2
    assert (cart.priced_at, cart.unfreeze().priced_at) == (NOW, None)


def test_empty_cart_cannot_be_paid() -> None:
    with pytest.raises(CartError, match="empty"):
        Cart("c").freeze(NOW)


def test_the_same_serial_number_cannot_be_scanned_twice(policy: StorePolicy) -> None:
    p = make_product(1)
    cart = scan(Cart("c"), p, policy, serial="S1")
    with pytest.raises(ItemRefused, match="serial"):
        scan(cart, p, policy, serial="S1")
    assert len(scan(cart, p, policy, serial="S2").lines) == 2
