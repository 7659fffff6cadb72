"""Time as the service keeps it: Unix milliseconds in the database, ISO 8601 on the wire."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import overload


def system_clock_ms() -> int:
    return time.time_ns() // 1_000_000


@overload
def iso_ms(value: int) -> str: ...
@overload
def iso_ms(value: None) -> None: ...
@overload
def iso_ms(value: int | None) -> str | None: ...
def iso_ms(value: int | None) -> str | None:
    if value is None:
        return None
    return datetime.fromtimestamp(value / 1000, UTC).isoformat(timespec="milliseconds")
