"""The points ledger: balances are derived, and replays of retried events agree."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.domain.ledger import LedgerEvent, LedgerKind, PointsRule, replay, safe_to_redeem
from kiosk.domain.loyalty_errors import PointsError
from kiosk.domain.money import Money

MEMBERS = ["018f0000-0000-7000-8000-00000000000" + str(i) for i in range(3)]


def event(n: int, member: int, kind: LedgerKind, points: int) -> LedgerEvent:
    return LedgerEvent(
        f"018f0000-0000-7000-8000-{n:012d}", MEMBERS[member], kind, points, "2026-11-23T10:00:00"
    )


events = st.lists(
    st.builds(
        lambda n, m, k, p: event(
            n, m, k, p if k in (LedgerKind.EARN,) else -p if k is not LedgerKind.ADJUST else p
        ),
        st.integers(0, 10_000),
        st.integers(0, 2),
        st.sampled_from(list(LedgerKind)),
        st.integers(0, 5000),
    ),
    max_size=30,
    unique_by=lambda e: e.event_id,
)


@settings(max_examples=200)
@given(events, st.randoms(use_true_random=False), st.integers(0, 4))
def test_any_interleaving_of_retries_gives_the_same_balances(
    original: list[LedgerEvent], rnd: random.Random, copies: int
) -> None:
    expected: dict[str, int] = {}
    for e in original:
        expected[e.member_id] = expected.get(e.member_id, 0) + e.points
    # Retries: every event sent 1..copies+1 times, in any order, as a kiosk's outbox
    # relay and a central service crash between storing and acknowledging would do.
    stream = [e for e in original for _ in range(1 + rnd.randint(0, copies))]
    rnd.shuffle(stream)
    result = replay(stream)
    assert dict(result.balances) == expected
    assert result.duplicates == len(stream) - len(original)
    assert result.conflicts == ()
    # Re-serialised events (what the wire round trip gives) are the same events.
    again = replay([LedgerEvent.from_wire(e.to_wire()) for e in stream])
    assert again.balances == result.balances


def test_same_id_different_body_is_a_conflict_not_a_second_event() -> None:
    first = event(1, 0, LedgerKind.EARN, 100)
    changed = event(1, 0, LedgerKind.EARN, 1000)
    result = replay([first, changed, first])
    assert result.balances == {MEMBERS[0]: 100}
    assert result.conflicts == (changed,)


def test_signs_are_checked() -> None:
    with pytest.raises(PointsError):
        event(1, 0, LedgerKind.REDEEM, 10)
    with pytest.raises(PointsError):
        event(1, 0, LedgerKind.EARN, -10)


def test_points_floor_the_paid_amount_first_then_apply_the_tier_multiplier() -> None:
    # ¥12.99 at 1.5×: floor(12.99) = 12 points, × 1.5 = 18. Multiplying first would give
    # floor(19.485) = 19; the order is documented in docs/loyalty.md (issue #12.12).
    rule = PointsRule()
    assert rule.earned(Money(1299, "CNY"), 15_000) == 18
    assert rule.earned(Money(99, "CNY"), 30_000) == 0  # under ¥1 earns nothing, whatever tier


def test_points_rule_and_offline_cap() -> None:
    rule = PointsRule()
    assert rule.earned(Money(12_345, "CNY")) == 123
    assert rule.earned(Money(12_345, "CNY"), 20_000) == 246  # royal: double points
    assert rule.earned(Money(-5, "CNY")) == 0
    assert rule.value_of(250, "CNY") == Money(200, "CNY")
    assert safe_to_redeem(1000, 200, 300, online=True) == 800
    assert safe_to_redeem(1000, 200, 300, online=False) == 300
    assert safe_to_redeem(100, 200, 300, online=False) == 0
