"""Time as the service keeps it: Unix milliseconds in the database, ISO 8601 on the wire."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from typing import overload

from kiosk.domain.promotions import YEARS, in_years


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


def console_day(text: str) -> date:
    """A day typed in the console ("2026-11-23"), in the years an offer may fall in
    (`YEARS`); ValueError otherwise. At the calendar's ends there is no day after an end
    date, nor weeks before a period, to count with: 9999-12-31 was a 500, not a refusal."""
    found = date.fromisoformat(text.strip())
    if not in_years(found):
        raise ValueError(f"{text.strip()!r} is not between the years {YEARS[0]} and {YEARS[1]}")
    return found
