"""Refund latency: `python -m benchmarks.refunds [--n 50]`.

"Refund request → refunded", as the supervisor sees it: the demo store's real kiosk core
(enrolled with an embedded central service on loopback, SQLite) sells an item paid
through the sandbox wallet (QR, pay page), then `Refunds.refund` is timed for one line
and, on another sale, for the whole sale: plan, the local transaction (refund row,
journal, outbox row), the signed `POST /v1/refunds/batch`, the service's checks under
the sale's row lock and its provider call (the sandbox answers at once), the local
status update and the refund receipt (text printer). Sales are synced before they are
refunded, as they are in a store (the relay sends sales first).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from app.core import KioskCore, build_core
from benchmarks.payments import _stats
from demo.store import DEMO_STAFF, demo_central, pay_on_the_phone, seed_demo_store
from kiosk.domain.codes import display_gtin
from kiosk.domain.sale import Sale, Tender
from sync.client import CentralClient, new_client
from sync.enrolment import load_credential
from sync.operations import sync_now

ASSETS = Path(__file__).resolve().parents[1] / "assets"


def _sale(core: KioskCore, codes: list[str], client: CentralClient) -> Sale:
    for code in codes:
        core.checkout.scan(code)
    state = core.checkout.begin_payment()
    total = state.priced.total
    payment_id = core.ids.new()
    view = client.call(
        "POST",
        "/v1/payments",
        body={"payment_id": payment_id, "sale_id": state.cart.cart_id,
              "amount_minor": total.minor, "currency": total.currency,
              "provider": "sandbox"},
    )  # fmt: skip
    pay_on_the_phone(view["qr_payload"])
    return core.checkout.complete_sale(Tender(payment_id, "sandbox", total, "SBX"))


def run(n: int) -> str:
    out = Path(tempfile.mkdtemp(prefix="refunds-bench-"))
    demo = seed_demo_store(out, ASSETS)
    first, second = (display_gtin(p.gtin) for p in demo.fixed[:2])
    rows = [
        "| Refund request → refunded (`Refunds.refund`) | n | p50 ms | p95 ms | max ms | goal |",
        "|---|---|---|---|---|---|",
    ]
    with demo_central(out, ASSETS):
        core = build_core(out)
        client = new_client(load_credential(core.store))
        try:
            for name, whole in (("one line of three", False), ("whole sale", True)):
                sales = [_sale(core, [first, first, second], client) for _ in range(n + 1)]
                sync_now(core.store, pull=False)
                samples = []
                for sale in sales:  # the first warms connections and code paths
                    line = next(x.line_no for x in sale.cart.lines if x.quantity == 2)
                    wanted = None if whole else {line: 1}
                    started = time.perf_counter()
                    done = core.refunds.refund(DEMO_STAFF, sale.sale_id, wanted, "returned")
                    samples.append((time.perf_counter() - started) * 1000)
                    if done.status != "refunded":
                        raise RuntimeError(f"refund {done.refund_id} ended {done.status}")
                rows.append(
                    _stats(f"{name}, sandbox answering at once", "p95 ≤ 1,000 ms", samples[1:])
                )
        finally:
            client.close()
            core.close()
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Refund latency benchmark")
    parser.add_argument("--n", type=int, default=50, help="refunds per story")
    args = parser.parse_args(argv)
    print(run(args.n))


if __name__ == "__main__":
    main()
