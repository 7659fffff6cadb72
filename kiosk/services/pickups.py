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
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from kiosk.domain.errors import KioskError, Reason
from kiosk.domain.pickup import CollectedLine, CollectedOrder
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
PICKUP_FROM_KEY = "groupbuy.pickup_from"
"""Settings: where collected orders wait: "shelf" (the default: the shopper takes them
from the pickup shelf) or "staff" (behind the counter: collecting calls staff to bring
them). `kiosk pickup-from`."""
PICKUP_FROM = ("shelf", "staff")
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
    PickupCheck.EXPIRED: Reason.PICKUP_EXPIRED,
    PickupCheck.OTHER_STORE: Reason.PICKUP_OTHER_STORE,
}
"""What the shopper is told about a code that hands nothing out; the rest (unreadable,
forged) PICKUP_INVALID: the shopper cannot tell those apart, staff check the order."""


class PickupRefused(KioskError):
    """A pickup of more than is left of the order, or of a product not in it, or of a code
    that hands nothing out (any more). `verdict` is the order as this kiosk's records stand
    now, which a sync round may have changed since the code was scanned; `reason` is what
    the shopper is told."""

    def __init__(self, message: str, verdict: PickupVerdict) -> None:
        # Still valid, yet short of what was chosen: part of it was collected meanwhile.
        reason = Reason.PICKUP_COLLECTED if verdict.ok else verdict.reason
        super().__init__(message, reason=reason)
        self.verdict = verdict


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

    @property
    def reason(self) -> Reason:
        """What the shopper is told when the code hands nothing out."""
        return PICKUP_NOTICES.get(self.check, Reason.PICKUP_INVALID)


class PickupStage(enum.StrEnum):
    """What the pickup screen shows."""

    CHOOSE = "choose"
    """The order's lines, each with what is left and how many to take now."""
    COLLECTED = "collected"
    """Handed out: where to take it from, then shop on or finish."""
    PROBLEM = "problem"
    """The code hands nothing out: what happened, and staff are called."""


@dataclass(frozen=True, slots=True)
class PickupView:
    """The pickup screen's state (`ShopperSession` decides every change)."""

    verdict: PickupVerdict
    stage: PickupStage
    chosen: Mapping[str, int] = field(default_factory=dict)
    """Units of each product to hand out now (at most what is left)."""
    from_staff: bool = False
    collected: CollectedOrder | None = None
    """What the Collect tap handed out (stage COLLECTED)."""
    refused: Reason | None = None
    """Why Collect handed nothing out (stage PROBLEM), when the code itself is still valid."""

    @property
    def reason(self) -> Reason:
        """What the shopper is told at stage PROBLEM."""
        return self.refused or self.verdict.reason

    @property
    def chosen_units(self) -> int:
        return sum(self.chosen.values())

    def step(self, gtin: str, delta: int) -> PickupView:
        """One more or one fewer of a line, kept within 0 … what is left."""
        left = {line.gtin: line.left for line in self.verdict.lines}
        if gtin not in left:
            return self
        units = min(left[gtin], max(0, self.chosen.get(gtin, 0) + delta))
        return replace(self, chosen={**self.chosen, gtin: units})

    def everything(self) -> PickupView:
        return replace(self, chosen={line.gtin: line.left for line in self.verdict.lines})


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

    def from_staff(self) -> bool:
        """Staff bring collected orders here, rather than the shopper taking them."""
        return bool(self._store.settings.get(PICKUP_FROM_KEY) == "staff")

    def collected_with(self, sale_id: str) -> tuple[CollectedOrder, ...]:
        """The orders handed out while the cart `sale_id` was in progress, oldest first,
        from what this kiosk reported of them: a restart between Collect and paying must
        not drop them from the receipt and the exit pass. A line whose order is no longer
        in the ready list is named by its GTIN."""
        orders = []
        from_staff = self.from_staff()
        for row in self._store.outbox.naming(PICKUP_KIND, "sale_id", sale_id):
            # Verified when it was handed out: only its order id is needed now.
            pickup = PickupPass.from_signed_bytes(split(row.payload["code"])[0])
            order = self._ready_order(pickup.order_id) or {"buyer": "", "lines": []}
            names = {line["gtin"]: line["names"] for line in order["lines"]}
            lines = tuple(
                CollectedLine(gtin, names.get(gtin, {"en": gtin}), int(units))
                for gtin, units in row.payload["lines"].items()
            )
            orders.append(
                CollectedOrder(
                    pickup.order_id,
                    row.payload["pickup_id"],
                    str(order["buyer"]),
                    lines,
                    from_staff,
                )
            )
        return tuple(orders)

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
        pickup_id: str | None = None,
        sale_id: str | None = None,
    ) -> PickupVerdict:
        """Hand out `units` per product (None: everything left), record it and queue the
        report under `pickup_id` (None: a new one), in one transaction; returns the order
        as it stands after. `sale_id`, the cart in progress (which becomes the sale's id
        when paid), goes with the report so the service can tell what a shopper who came
        to collect bought besides.

        `verdict` says which code the shopper scanned; what is left is checked again here,
        under the write lock: a sync round since the scan may have said the order was
        collected elsewhere, or taken it off the ready list."""
        with self._store.transaction():
            verdict = self.verify(verdict.code, now)
            if not verdict.ok or verdict.pickup is None:
                raise PickupRefused(
                    f"this pickup code does not hand anything out: {verdict.check}", verdict
                )
            left = {line.gtin: line.left for line in verdict.lines}
            taken = {g: n for g, n in (units or left).items() if n > 0}
            if not taken or any(g not in left or n > left[g] for g, n in taken.items()):
                raise PickupRefused("more than is left of this order: ask staff", verdict)
            order_id = verdict.pickup.order_id
            pickup_id = pickup_id or str(uuid.uuid4())
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


def collected_order(
    verdict: PickupVerdict, units: Mapping[str, int], pickup_id: str, from_staff: bool
) -> CollectedOrder:
    """What a pickup handed out, as the done screen, the receipt and the exit pass name it."""
    assert verdict.pickup is not None
    return CollectedOrder(
        order_id=verdict.pickup.order_id,
        pickup_id=pickup_id,
        buyer=verdict.buyer,
        lines=tuple(
            CollectedLine(line.gtin, line.names, units[line.gtin])
            for line in verdict.lines
            if units.get(line.gtin, 0) > 0
        ),
        from_staff=from_staff,
    )
