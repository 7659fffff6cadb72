"""Group-buy pickup at the kiosk, offline: check a scanned pickup code, show the order,
hand it out (all or part), and report the pickup to the central service.

The kiosk holds, from its last pull (`sync.worker.pull_pickups`), the store's pickup key
and the store's orders that may be handed out (`central.groupbuy`). A code is checked
with that key alone (`kiosk.domain.pickup_code`, the exit code's scheme), so a pickup
works while the network is down. Each pickup is one outbox row (kind `groupbuy_pickup`,
keyed by its own id), written in the same transaction as this kiosk's count of what it
handed out, which it never forgets: what is left of an order is its quantity less the
larger of what the service last said was collected and what this kiosk handed out. A
second pickup of an order this kiosk emptied is refused and flagged here; one made on
another kiosk while both were offline is caught by the service, which answers
`conflict` and the relay keeps it for staff (`sync.relay.CONFLICTS_KEY`).
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from kiosk.domain.errors import KioskError, Reason
from kiosk.domain.pickup_code import PickupCodeError, PickupPass, split
from kiosk.store.uow import KioskStore

PICKUP_KIND = "groupbuy_pickup"
"""The outbox kind of pickups, keyed by the pickup's id."""
PICKUP_KEY_KEY = "groupbuy.pickup_key"
"""Settings: {"store_id", "public_key" (Ed25519, hex)} of this kiosk's store."""
READY_ORDERS_KEY = "groupbuy.ready_orders"
"""Settings: the store's orders that may be handed out, as the service last sent them."""
HANDED_OUT_KEY = "groupbuy.handed_out"
"""Settings: {order id: {gtin: units}} this kiosk handed out."""
CLOCK_SKEW = timedelta(minutes=5)


class PickupCheck(enum.StrEnum):
    """The outcome of checking a scanned pickup code; only VALID hands anything out."""

    VALID = "valid"
    UNREADABLE = "unreadable"
    NO_KEY = "no_key"
    """The kiosk has not pulled its store's key yet: staff check the order."""
    FORGED = "forged"
    OTHER_STORE = "other_store"
    EXPIRED = "expired"
    NOT_READY = "not_ready"
    """Signed, but not among the ready orders of the last pull: staff bring it, or check."""
    COLLECTED = "collected"
    """Nothing left to hand out: collected already (flag it to staff)."""


PICKUP_NOTICES: dict[PickupCheck, Reason] = {
    PickupCheck.COLLECTED: Reason.PICKUP_COLLECTED,
    PickupCheck.NOT_READY: Reason.PICKUP_NOT_READY,
    PickupCheck.NO_KEY: Reason.PICKUP_NOT_READY,
}
"""What the shopper is told about a code that hands nothing out; the rest PICKUP_INVALID."""


class PickupRefused(KioskError):
    """A pickup of more than is left of the order, or of a product not in it."""


@dataclass(frozen=True, slots=True)
class PickupLine:
    gtin: str
    names: Mapping[str, str]
    quantity: int
    left: int


@dataclass(frozen=True, slots=True)
class PickupVerdict:
    check: PickupCheck
    code: str = ""
    pickup: PickupPass | None = None
    buyer: str = ""
    lines: tuple[PickupLine, ...] = ()

    @property
    def ok(self) -> bool:
        return self.check is PickupCheck.VALID


class PickupCounter:
    """Checks pickup codes and hands orders out, at one kiosk."""

    def __init__(self, store: KioskStore, skew: timedelta = CLOCK_SKEW) -> None:
        self._store = store
        self._skew = skew

    def verify(self, text: str, now: datetime) -> PickupVerdict:
        code = text.strip()
        try:
            data, signature = split(code)
            pickup = PickupPass.from_signed_bytes(data)
        except PickupCodeError:
            return PickupVerdict(PickupCheck.UNREADABLE, code)
        key = self._store.settings.get(PICKUP_KEY_KEY)
        if not key:
            return PickupVerdict(PickupCheck.NO_KEY, code, pickup)
        if pickup.store_id != key["store_id"]:
            return PickupVerdict(PickupCheck.OTHER_STORE, code, pickup)
        try:
            Ed25519PublicKey.from_public_bytes(bytes.fromhex(key["public_key"])).verify(
                signature, data
            )
        except (InvalidSignature, ValueError):
            return PickupVerdict(PickupCheck.FORGED, code, pickup)
        if pickup.valid_until + self._skew < now:
            return PickupVerdict(PickupCheck.EXPIRED, code, pickup)
        order = self._ready_order(pickup.order_id)
        if order is None:
            return PickupVerdict(PickupCheck.NOT_READY, code, pickup)
        here = self._store.settings.get(HANDED_OUT_KEY, {}).get(pickup.order_id, {})
        lines = tuple(
            PickupLine(
                gtin=line["gtin"],
                names=line["names"],
                quantity=int(line["quantity"]),
                left=int(line["quantity"])
                - max(int(line["collected"]), int(here.get(line["gtin"], 0))),
            )
            for line in order["lines"]
        )
        check = PickupCheck.VALID if any(line.left > 0 for line in lines) else PickupCheck.COLLECTED
        return PickupVerdict(check, code, pickup, str(order["buyer"]), lines)

    def _ready_order(self, order_id: str) -> dict[str, Any] | None:
        for order in self._store.settings.get(READY_ORDERS_KEY, []):
            if order["order_id"] == order_id:
                found: dict[str, Any] = order
                return found
        return None

    def hand_out(
        self,
        verdict: PickupVerdict,
        now: datetime,
        units: Mapping[str, int] | None = None,
        sale_id: str | None = None,
    ) -> PickupVerdict:
        """Hand out `units` per product (None: everything left), record it and queue the
        report, in one transaction; returns the order as it stands after. `sale_id`, the
        cart in progress (which becomes the sale's id when paid), goes with the report so
        the service can tell what a shopper who came to collect bought besides."""
        if not verdict.ok or verdict.pickup is None:
            raise PickupRefused(f"this pickup code does not hand anything out: {verdict.check}")
        left = {line.gtin: line.left for line in verdict.lines}
        taken = {g: n for g, n in (units or left).items() if n > 0}
        if not taken or any(g not in left or n > left[g] for g, n in taken.items()):
            raise PickupRefused("more than is left of this order: ask staff")
        order_id = verdict.pickup.order_id
        pickup_id = str(uuid.uuid4())
        with self._store.transaction():
            handed = dict(self._store.settings.get(HANDED_OUT_KEY, {}))
            here = dict(handed.get(order_id, {}))
            collected = {line.gtin: line.quantity - line.left for line in verdict.lines}
            for gtin, n in taken.items():
                here[gtin] = collected[gtin] + n
            handed[order_id] = here
            self._store.settings.set(HANDED_OUT_KEY, handed)
            self._store.outbox.add(
                PICKUP_KIND,
                pickup_id,
                {"pickup_id": pickup_id, "code": verdict.code, "lines": taken}
                | ({"sale_id": sale_id} if sale_id else {}),
                now,
            )
        return self.verify(verdict.code, now)
