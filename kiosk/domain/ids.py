"""Time-ordered identifiers (UUIDv7, RFC 9562 §5.7) made on the device that creates the entity.

Python 3.11 has no `uuid.uuid7`; this is the RFC layout: 48-bit Unix milliseconds,
version 7, 12 random bits, variant 10, 62 random bits. Time and randomness are
injected so tests are deterministic; device time orders ids but nothing relies on
it for correctness (the central service keys on the whole id).
"""

from __future__ import annotations

import secrets
import time
import uuid
from collections.abc import Callable
from typing import NewType

SaleId = NewType("SaleId", str)


def uuid7(unix_ms: int, random_bits: int) -> uuid.UUID:
    """Assemble a UUIDv7 from a millisecond timestamp and 74 random bits."""
    if not 0 <= unix_ms < 1 << 48:
        raise ValueError("timestamp out of UUIDv7 range")
    rand_a = (random_bits >> 62) & 0xFFF
    rand_b = random_bits & ((1 << 62) - 1)
    value = (unix_ms << 80) | (0x7 << 76) | (rand_a << 64) | (0b10 << 62) | rand_b
    return uuid.UUID(int=value)


class IdFactory:
    """Makes UUIDv7 strings; monotonic within one process even if the clock steps back."""

    def __init__(
        self,
        clock_ms: Callable[[], int] = lambda: time.time_ns() // 1_000_000,
        random_bits: Callable[[], int] = lambda: secrets.randbits(74),
    ) -> None:
        self._clock_ms = clock_ms
        self._random_bits = random_bits
        self._last = 0

    def new(self) -> str:
        candidate = uuid7(self._clock_ms(), self._random_bits()).int
        if candidate <= self._last:
            candidate = self._last + 1
        self._last = candidate
        return str(uuid.UUID(int=candidate))
