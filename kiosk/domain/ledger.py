"""The points ledger: append-only events (earn, redeem, expire, adjust); balances are
derived by replaying them, never stored.

Replay is idempotent by construction: events are keyed by their UUID, an event seen
again with the same body is a duplicate and counts once, and the same UUID with a
different body is a conflict, kept apart (the first body stays; a person reviews the
rest). Balances are sums, so any order of the same events gives the same balances.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kiosk.domain.journal import canonical_json
from kiosk.domain.loyalty_errors import PointsError
from kiosk.domain.money import Money, Rounding, divide

BASIS_POINTS = 10_000


class LedgerKind(enum.StrEnum):
    EARN = "earn"
    REDEEM = "redeem"
    EXPIRE = "expire"
    ADJUST = "adjust"


@dataclass(frozen=True, slots=True)
class LedgerEvent:
    """One change of a member's points. Its wire form is `sync.protocol.LedgerEvent`."""

    event_id: str
    member_id: str
    kind: LedgerKind
    points: int
    at: str
    sale_id: str | None = None
    data: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if self.kind is LedgerKind.EARN and self.points < 0:
            raise PointsError("earned points cannot be negative")
        if self.kind in (LedgerKind.REDEEM, LedgerKind.EXPIRE) and self.points > 0:
            raise PointsError(f"{self.kind.value} events take points away (negative)")

    def to_wire(self) -> dict[str, Any]:
        return {
            "event_id": self.event_id,
            "member_id": self.member_id,
            "kind": self.kind.value,
            "points": self.points,
            "sale_id": self.sale_id,
            "at": self.at,
            "data": dict(self.data),
        }

    @classmethod
    def from_wire(cls, d: Mapping[str, Any]) -> LedgerEvent:
        return cls(
            str(d["event_id"]).lower(),
            str(d["member_id"]).lower(),
            LedgerKind(d["kind"]),
            int(d["points"]),
            str(d["at"]),
            d.get("sale_id"),
            dict(d.get("data") or {}),
        )

    def fingerprint(self) -> str:
        return hashlib.sha256(canonical_json(self.to_wire())).hexdigest()


@dataclass(frozen=True, slots=True)
class Replay:
    balances: Mapping[str, int]
    accepted: Mapping[str, str]  # event id → fingerprint
    duplicates: int
    conflicts: tuple[LedgerEvent, ...]


def replay(events: Iterable[LedgerEvent]) -> Replay:
    """Balances from events, each event id counted once."""
    accepted: dict[str, str] = {}
    balances: dict[str, int] = {}
    duplicates = 0
    conflicts: list[LedgerEvent] = []
    for event in events:
        fp = event.fingerprint()
        seen = accepted.get(event.event_id)
        if seen is not None:
            if seen == fp:
                duplicates += 1
            else:
                conflicts.append(event)
            continue
        accepted[event.event_id] = fp
        balances[event.member_id] = balances.get(event.member_id, 0) + event.points
    return Replay(balances, accepted, duplicates, tuple(conflicts))


@dataclass(frozen=True, slots=True)
class PointsRule:
    """Earning: one point per `earn_minor` spent, times the tier's multiplier (rounded
    down); spending: `points_per_unit` points are worth `unit_minor`."""

    earn_minor: int = 100
    points_per_unit: int = 100
    unit_minor: int = 100

    def earned(self, paid: Money, multiplier_bp: int = BASIS_POINTS) -> int:
        if paid.minor <= 0:
            return 0
        base = paid.minor // self.earn_minor
        return divide(base * multiplier_bp, BASIS_POINTS, Rounding.DOWN)

    def value_of(self, points: int, currency: str) -> Money:
        return Money(points // self.points_per_unit * self.unit_minor, currency)


def safe_to_redeem(cached_balance: int, spent_since: int, offline_cap: int, *, online: bool) -> int:
    """How many points the kiosk may let a member spend now.

    Online, the central balance (just looked up) less what this kiosk spent since.
    Offline, also at most `offline_cap`: the member might be spending the same points at
    another kiosk, so exposure is bounded and the central ledger reconciles afterwards.
    """
    left = max(0, cached_balance - spent_since)
    return left if online else min(left, max(offline_cap, 0))
