"""`kiosk simulate`: realistic sales through the real checkout, for load and fault tests.

Every simulated sale is made in training mode, so the sale documents say
`"training": true` and reports keep them apart from real takings. The run is
resumable: `--sales N` means "until this kiosk has completed N sales", so a process
killed mid-sale picks up its persisted cart and carries on.

Run as `python -m simulators.sales --home DIR --sales N [--items M] [--members] [--sync]`
(the fault-injection tests do) or through `simulate(...)` from `kiosk simulate`.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from kiosk.domain.catalog import Product, Unit
from kiosk.domain.codes import display_gtin
from kiosk.domain.errors import KioskError
from kiosk.domain.ids import IdFactory
from kiosk.domain.members import member_code_for
from kiosk.domain.sale import Tender
from kiosk.services.checkout import Checkout
from kiosk.services.ports import SystemClock
from kiosk.services.setup import database_path, load_setup
from kiosk.store.uow import KioskStore
from sync.errors import SyncError
from sync.protocol import decode_secret, phone_hash


@dataclass
class SimulationReport:
    completed: int = 0
    total_minor: int = 0
    members: int = 0
    currency: str = ""


def _sellable(products: list[Product]) -> list[Product]:
    return [
        p
        for p in products
        if p.unit is Unit.EACH and p.sellable and not p.recalled and not p.age_restricted
    ]


def simulate(
    store: KioskStore,
    sales: int,
    *,
    items: int = 5,
    members: bool = False,
    seed: int | None = None,
    on_sale: Callable[[int], None] | None = None,
    pace_s: float = 0.0,
) -> SimulationReport:
    """Complete sales until the kiosk has `sales` of them (counting earlier runs)."""
    setup = load_setup(store)
    ids = IdFactory()
    clock = SystemClock()
    rng = random.Random(seed)
    products = _sellable(store.catalog.all())
    if not products:
        raise KioskError(
            "the catalog has no plain products to sell: import one or pull it from the "
            "central service first",
            reason="empty_catalog",
        )
    checkout = Checkout(store, setup.identity, setup.policy, clock, ids, training=True)
    if checkout.cart.frozen:
        # Killed while paying: the shopper is still there, pay again from the start.
        checkout.cancel_payment()
    phone_key = _phone_key(store) if members else None
    report = SimulationReport(currency=setup.policy.currency)
    while store.sales.count() < sales:
        for _ in range(max(0, rng.randint(1, items) - len(checkout.cart.lines))):
            checkout.scan(display_gtin(rng.choice(products).gtin))
        state = checkout.begin_payment()
        total = state.priced.total
        sale = checkout.complete_sale(Tender(ids.new(), "simulated", total, reference="training"))
        report.completed += 1
        report.total_minor += total.minor
        if phone_key is not None and rng.random() < 0.3:
            _member_activity(
                store, ids, rng, phone_key, sale.sale_id, total.minor, setup.identity.store_id
            )
            report.members += 1
        if on_sale is not None:
            on_sale(report.completed)
        if pace_s:
            # A shopper's time between sales, so the sync thread works while selling goes on.
            time.sleep(rng.uniform(0, 2 * pace_s))
    return report


def _phone_key(store: KioskStore) -> bytes:
    data = store.settings.get("sync.credential")
    if data is None:
        raise SyncError("--members needs an enrolled kiosk (the phone key comes from enrolment)")
    return decode_secret(str(data["member_phone_key"]))


def _member_activity(
    store: KioskStore,
    ids: IdFactory,
    rng: random.Random,
    phone_key: bytes,
    sale_id: str,
    total_minor: int,
    store_id: str,
) -> None:
    """A sign-up (idempotent by its UUID) and an earn event, queued like the real flow will."""
    now = datetime.now(UTC)
    member_id = ids.new()
    phone = f"+86139{rng.randrange(10**8):08d}"
    with store.transaction():
        store.outbox.add(
            "member",
            member_id,
            {
                "member_id": member_id,
                "phone_hash": phone_hash(phone_key, phone + member_id[-6:]),
                "consent": {
                    "terms_version": "2026-01",
                    "marketing": False,
                    "given_at": now.isoformat(),
                },
                "store_id": store_id,
                "created_at": now.isoformat(),
            },
            now,
        )
        event_id = ids.new()
        store.outbox.add(
            "ledger",
            event_id,
            {
                "event_id": event_id,
                "member_id": member_id,
                "kind": "earn",
                "points": total_minor // 100,
                "sale_id": sale_id,
                "at": now.isoformat(),
                "data": {"member_code": member_code_for(member_id), "training": True},
            },
            now,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m simulators.sales", description=__doc__)
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--sales", type=int, required=True)
    parser.add_argument("--items", type=int, default=5)
    parser.add_argument("--members", action="store_true")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--batch", type=int, default=None, help="sync batch size")
    parser.add_argument("--pace", type=float, default=0.0, help="mean seconds between sales")
    parser.add_argument("--sync", action="store_true", help="run the sync thread meanwhile")
    parser.add_argument("--drain", action="store_true", help="then sync until the queue is empty")
    args = parser.parse_args(argv)

    from sync.worker import SyncWorker

    path = database_path(args.home)
    store = KioskStore.open(path)
    worker = (
        SyncWorker(lambda: KioskStore.open(path), interval_s=0.2, batch_size=args.batch)
        if args.sync
        else None
    )
    try:
        if worker is not None:
            worker.start()
        report = simulate(
            store,
            args.sales,
            items=args.items,
            members=args.members,
            seed=args.seed,
            pace_s=args.pace,
        )
        print(f"completed {report.completed} sales, {report.total_minor} minor units")
        if args.drain:
            from sync.operations import drain

            drain(store, timeout_s=600, batch_size=args.batch)
    finally:
        if worker is not None:
            worker.stop()
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
