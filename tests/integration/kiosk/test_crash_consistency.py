"""kill -9 in the middle of selling: whatever was committed is whole, nothing is half-written."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.domain.ids import IdFactory
from kiosk.domain.journal import verify_chain
from kiosk.domain.policy import StorePolicy
from kiosk.services.checkout import Checkout, KioskIdentity
from kiosk.store.uow import KioskStore
from tests.helpers import REPO, FixedClock, make_product

SELLER = """
import sys
from kiosk.domain.ids import IdFactory
from kiosk.domain.sale import Tender
from kiosk.services.checkout import Checkout, KioskIdentity
from kiosk.services.config import demo_policy
from kiosk.services.ports import SystemClock
from kiosk.store.uow import KioskStore
from tests.helpers import make_product

store = KioskStore.open(sys.argv[1])
checkout = Checkout(store, KioskIdentity("K01", "S001"), demo_policy(), SystemClock(),
                    IdFactory())
n = 0
while True:
    for i in range(1 + n % 4):
        checkout.scan(make_product(i).gtin[1:])
    state = checkout.begin_payment()
    checkout.complete_sale(Tender(f"p{n}", "demo", state.priced.total))
    n += 1
    print(n, flush=True)
"""


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sales_survive_kill_9(
    tmp_path: Path, seed: int, policy: StorePolicy, clock: FixedClock
) -> None:
    path = tmp_path / "kiosk.db"
    setup = KioskStore.open(path)
    setup.catalog.upsert_many(make_product(i, price=100 + i) for i in range(4))
    setup.close()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, "-c", SELLER, str(path)], stdout=subprocess.PIPE, env=env, text=True
    )
    assert proc.stdout is not None
    for _ in range(seed * 7):  # let it sell a while: a different moment per seed
        assert proc.stdout.readline()
    os.kill(proc.pid, signal.SIGKILL)
    proc.stdout.close()
    proc.wait(10)

    store = KioskStore.open(path)
    sales = store.sales.recent(100_000)
    sequences = sorted(s.sequence for s in sales)
    assert len(sequences) >= seed * 7
    assert sequences == list(range(1, len(sequences) + 1))  # gap-free
    journal = store.journal.entries()
    assert verify_chain(journal) == len(journal)
    sale_entries = [e for e in journal if e.kind == "sale_paid"]
    assert {e.payload["sale_id"] for e in sale_entries} == {s.sale_id for s in sales}
    queued = {r.key for r in store.outbox.pending(100_000, kind="sale")}
    assert queued == {s.sale_id for s in sales}
    for sale in sales:
        assert (
            sale.total_minor
            == sum(line["gross_minor"] for line in sale.document["lines"])
            + sale.document["deposit_minor"]
        )
        assert sale.document["sequence"] == sale.sequence
    restored = Checkout(store, KioskIdentity("K01", "S001"), policy, clock, IdFactory())
    assert restored.cart.cart_id not in {s.sale_id for s in sales}
    store.close()
