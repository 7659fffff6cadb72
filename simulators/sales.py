"""Training sales through the kiosk's real core, for load and fault tests and demos.

    python -m simulators.sales --home DIR --sales N [--items M] [--members] [--sync] [--drain]

The core is the one every kiosk runs (`app.core.build_core`), so simulated baskets are
priced with the kiosk's promotions, coupons and member prices, and members earn points
by the kiosk's own rules. Every sale is made in training mode: its document says
`"training": true` and reports keep it apart from real takings. The run is resumable:
`--sales N` means "until this kiosk has completed N sales", so a process killed
mid-sale picks up its persisted cart and carries on.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.core import CoreOptions, KioskCore, build_core
from kiosk.domain.catalog import Product, Unit
from kiosk.domain.codes import display_gtin
from kiosk.domain.errors import KioskError, Reason
from kiosk.domain.sale import Tender
from kiosk.services.member_port import CentralAnswer
from kiosk.services.setup import database_path
from kiosk.store.uow import KioskStore

MEMBER_SHARE = 0.3
"""Of the sales with --members, this share is made by a member signing up at the till."""
# "No such member" from the central service: a simulated sign-up never waits on the network.
_NEW_MEMBER = CentralAnswer(remote=None)


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
    home: Path,
    sales: int,
    *,
    items: int = 5,
    members: bool = False,
    seed: int | None = None,
    on_sale: Callable[[int], None] | None = None,
    pace_s: float = 0.0,
) -> SimulationReport:
    """Complete training sales on the kiosk in `home` until it has `sales` of them."""
    core = build_core(home, CoreOptions(training=True))
    try:
        return run_sales(
            core, sales, items=items, members=members, seed=seed, on_sale=on_sale, pace_s=pace_s
        )
    finally:
        core.close()


def run_sales(
    core: KioskCore,
    sales: int,
    *,
    items: int = 5,
    members: bool = False,
    seed: int | None = None,
    on_sale: Callable[[int], None] | None = None,
    pace_s: float = 0.0,
) -> SimulationReport:
    """`simulate` on a core already built (with `CoreOptions(training=True)`)."""
    rng = random.Random(seed)
    products = _sellable(core.store.catalog.all())
    if not products:
        raise KioskError(
            "the catalog has no plain products to sell: import one or pull it from the "
            "central service first",
            reason=Reason.EMPTY_CATALOG,
        )
    checkout = core.checkout
    if checkout.cart.frozen:
        # Killed while paying: the shopper is still there, pay again from the start.
        checkout.cancel_payment()
    report = SimulationReport(currency=core.setup.policy.currency)
    while core.store.sales.count() < sales:
        for _ in range(max(0, rng.randint(1, items) - len(checkout.cart.lines))):
            checkout.scan(display_gtin(rng.choice(products).gtin))
        if members and checkout.cart.member_id is None and rng.random() < MEMBER_SHARE:
            phone = f"139{rng.randrange(10**8):08d}"
            member = core.members.sign_up(phone, consent=True, answer=_NEW_MEMBER)
            checkout.set_member(member.member_id)
            report.members += 1
        state = checkout.begin_payment()
        total = state.priced.total
        checkout.complete_sale(Tender(core.ids.new(), "simulated", total, reference="training"))
        report.completed += 1
        report.total_minor += total.minor
        if on_sale is not None:
            on_sale(report.completed)
        if pace_s:
            # A shopper's time between sales, so the sync thread works while selling goes on.
            time.sleep(rng.uniform(0, 2 * pace_s))
    return report


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
    worker = (
        SyncWorker(lambda: KioskStore.open(path), interval_s=0.2, batch_size=args.batch)
        if args.sync
        else None
    )
    try:
        if worker is not None:
            worker.start()
        report = simulate(
            args.home,
            args.sales,
            items=args.items,
            members=args.members,
            seed=args.seed,
            pace_s=args.pace,
        )
        print(f"completed {report.completed} sales, {report.total_minor} minor units")
        if args.drain:
            from sync.operations import drain

            store = KioskStore.open(path)
            try:
                drain(store, timeout_s=600, batch_size=args.batch)
            finally:
                store.close()
    finally:
        if worker is not None:
            worker.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
