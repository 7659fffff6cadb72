from __future__ import annotations

import uuid

from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.ids import IdFactory, uuid7


@given(st.integers(min_value=0, max_value=2**48 - 1), st.integers(min_value=0, max_value=2**74 - 1))
def test_uuid7_layout(ms: int, bits: int) -> None:
    u = uuid7(ms, bits)
    assert u.version == 7
    assert u.variant == uuid.RFC_4122
    assert u.int >> 80 == ms


def test_ids_are_ordered_even_when_the_clock_steps_back() -> None:
    times = iter([1000, 1000, 999, 1001])
    factory = IdFactory(clock_ms=lambda: next(times), random_bits=lambda: 5)
    ids = [factory.new() for _ in range(4)]
    assert ids == sorted(ids)
    assert len(set(ids)) == 4
