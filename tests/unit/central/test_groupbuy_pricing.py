"""The arithmetic of a group-buy: tiers, the final price, the difference, the commission;
and the pickup code's bytes."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from central.errors import Invalid
from central.groupbuy.pricing import (
    Ladder,
    Line,
    Tier,
    commission,
    difference,
    final_total,
    final_unit,
    paid_total,
)
from kiosk.domain.pickup_code import PickupCodeError, PickupPass, encode, split


@st.composite
def ladders(draw: st.DrawFn) -> Ladder:
    """A valid ladder: more buyers, lower prices."""
    base = draw(st.integers(2, 10**7))
    count = draw(st.integers(0, min(5, base - 1)))
    thresholds = sorted(draw(st.sets(st.integers(2, 10_000), min_size=count, max_size=count)))
    prices = sorted(
        draw(st.sets(st.integers(1, base - 1), min_size=count, max_size=count)), reverse=True
    )
    n = min(len(thresholds), len(prices))
    return Ladder(base, tuple(Tier(b, p) for b, p in zip(thresholds[:n], prices[:n], strict=True)))


def test_the_example_of_the_issue() -> None:
    ladder = Ladder(3990, (Tier(20, 3590), Tier(50, 3290)))
    assert [ladder.price(n) for n in (0, 19, 20, 49, 50, 10_000)] == [
        3990, 3990, 3590, 3590, 3290, 3290,
    ]  # fmt: skip
    assert ladder.next_tier(25) == Tier(50, 3290)
    assert ladder.next_tier(50) is None


@pytest.mark.parametrize(
    "tiers",
    [
        (Tier(1, 100),),  # one buyer is the group price
        (Tier(5, 100), Tier(5, 90)),  # not more buyers
        (Tier(5, 100), Tier(9, 100)),  # not cheaper
        (Tier(5, 200),),  # not below the group price
        (Tier(5, 0),),  # free
    ],
)
def test_ladders_that_do_not_get_cheaper_are_refused(tiers: tuple[Tier, ...]) -> None:
    with pytest.raises(Invalid):
        Ladder(200, tiers)


@given(ladders(), st.integers(0, 20_000), st.integers(0, 20_000))
def test_more_buyers_never_cost_more(ladder: Ladder, a: int, b: int) -> None:
    low, high = sorted((a, b))
    assert ladder.price(high) <= ladder.price(low) <= ladder.base_minor
    assert ladder.level(high) >= ladder.level(low)


@given(
    ladders(),
    st.lists(st.tuples(st.integers(1, 999), st.integers(0, 20_000)), min_size=1, max_size=6),
    st.integers(0, 20_000),
)
def test_the_difference_is_what_was_paid_less_the_final_price_and_never_negative(
    ladder: Ladder, joins: list[tuple[int, int]], final_buyers: int
) -> None:
    """Each line paid the tier in force when its buyer joined; the difference brings it
    to the final tier, and a final tier dearer than paid (cancellations) costs nothing."""
    lines = [Line(quantity, ladder.price(buyers)) for quantity, buyers in joins]
    final = ladder.price(final_buyers)
    priced = [(line, final) for line in lines]
    back = difference(priced)
    assert back >= 0
    assert paid_total(lines) - back == final_total(priced)
    assert final_total(priced) == sum(
        line.quantity * min(line.paid_unit_minor, final) for line in lines
    )
    if all(buyers <= final_buyers for _, buyers in joins):
        assert final_total(priced) == sum(line.quantity for line in lines) * final
    assert final_unit(ladder.base_minor, final) == final


@given(st.integers(0, 10**9), st.integers(0, 5000))
def test_commission_rounds_half_up_once(revenue: int, rate_bp: int) -> None:
    share = commission(revenue, rate_bp)
    assert abs(share * 10_000 - revenue * rate_bp) <= 5_000
    assert 0 <= share <= revenue


@given(
    st.text(min_size=1, max_size=40).filter(lambda s: len(s.encode()) < 256),
    st.uuids(),
    st.integers(0, 0xFFFF),
    st.integers(0, 2**32 - 1),
)
def test_pickup_codes_round_trip(store: str, order: uuid.UUID, units: int, until: int) -> None:
    pickup = PickupPass(store, str(order), units, datetime.fromtimestamp(until, UTC))
    code = encode(pickup, b"\x07" * 64)
    data, signature = split(code)
    assert signature == b"\x07" * 64
    assert PickupPass.from_signed_bytes(data) == pickup


@pytest.mark.parametrize("text", ["EX1.ABC", "PU1.", "PU1.%%%", "PU1.0000", "hello"])
def test_what_is_not_a_pickup_code_says_so(text: str) -> None:
    def read() -> PickupPass:
        data, _ = split(text)
        return PickupPass.from_signed_bytes(data)

    with pytest.raises(PickupCodeError):
        read()
