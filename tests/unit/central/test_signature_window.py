"""A nonce is remembered for as long as a replay of its request would pass the timestamp
check: the purge and the check agree, in whole seconds, at every edge."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from central.kiosks.service import nonce_cutoff_ms, timestamp_ok

NOW = 1_795_000_000_000


@given(
    window=st.integers(1, 900),
    skew=st.integers(-1000, 1000),
    first_ms=st.integers(0, 999),
    later_ms=st.integers(0, 2_000_000),
)
def test_a_replay_the_timestamp_check_lets_through_finds_its_nonce(
    window: int, skew: int, first_ms: int, later_ms: int
) -> None:
    seen = NOW + first_ms
    timestamp = seen // 1000 + skew
    replay = seen + later_ms
    if timestamp_ok(timestamp, seen, window) and timestamp_ok(timestamp, replay, window):
        assert seen >= nonce_cutoff_ms(replay, window)


def test_the_edge_the_probe_found() -> None:
    # Signed at the far edge of the window, replayed 2 × window seconds and 999 ms later:
    # the timestamp still passes, so the nonce must still be there.
    window, seen = 300, NOW
    timestamp = seen // 1000 + window
    replay = seen + 2 * window * 1000 + 999
    assert timestamp_ok(timestamp, replay, window)
    assert seen >= nonce_cutoff_ms(replay, window)
