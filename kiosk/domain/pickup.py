"""A group-buy order collected at the kiosk, as the done screen, the receipt and the exit
pass name it: the order's short reference (the one on the pick list and the shelf label),
the buyer as the service shows them (masked), and what was handed out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


def short_ref(order_id: str) -> str:
    """The order id's last 6 characters, upper case: what the pick list and the bag's
    shelf label show (the central service's pick list uses this one too), so staff find
    the bag by it."""
    return order_id.replace("-", "")[-6:].upper()


@dataclass(frozen=True, slots=True)
class CollectedLine:
    gtin: str
    names: Mapping[str, str]
    units: int

    def name(self, language: str) -> str:
        return (
            self.names.get(language) or self.names.get("en") or next(iter(self.names.values()), "")
        )


@dataclass(frozen=True, slots=True)
class CollectedOrder:
    """One pickup: `pickup_id` is the id the kiosk reported it under (unique per pickup)."""

    order_id: str
    pickup_id: str
    buyer: str
    lines: tuple[CollectedLine, ...]
    from_staff: bool = False
    """Staff bring the goods (the store keeps them behind the counter), not the shelf."""

    @property
    def ref(self) -> str:
        return short_ref(self.order_id)

    @property
    def units(self) -> int:
        return sum(line.units for line in self.lines)
