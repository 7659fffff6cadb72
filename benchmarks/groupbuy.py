"""Group-buy at scale: `python -m benchmarks.groupbuy [--orders 10000]`.

One tiered campaign on the central service's own code and database (SQLite in a
temporary folder, or `--db` a PostgreSQL URL), without HTTP: `--orders` buyers join
(`GroupBuyService.join`: the order priced and checked under the campaign's lock, its
sandbox payment opened through the payment service) and pay (the sandbox wallet's signed
callback through `PaymentService.handle_notify`); then the cut-off is timed: closing
the unpaid, freezing every order at the final tier, recording one refund per order owed
a difference and sending them all to the wallet (which answers at once). A second
cut-off, which must find nothing to do, is timed too.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from benchmarks.payments import _stats
from central.app import create_app
from central.config import Settings
from central.feeds import service as feeds
from central.groupbuy.service import GroupBuyService
from central.groupbuy.tables import groupbuy_orders
from central.payments.config import PaymentsConfig
from central.payments.providers.base import Order
from central.payments.runtime import PaymentsRuntime, install
from central.payments.service import session_of
from kiosk.domain.catalog import product_to_wire
from kiosk.domain.catalog_csv import parse_catalog_csv
from sync.groupbuy_protocol import JoinCampaign, JoinLine, NewCampaign, NewItem, TierWire

ASSETS = Path(__file__).resolve().parents[1] / "assets"
URL = "http://127.0.0.1:8000"
HOUR_MS = 3_600_000


class Clock:
    def __init__(self) -> None:
        self.offset_ms = 0

    def __call__(self) -> int:
        return time.time_ns() // 1_000_000 + self.offset_ms


def _iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).isoformat()


def _pay(rt: PaymentsRuntime, payment_id: str, now_ms: int) -> None:
    row = rt.service.page_row(payment_id)
    order = Order(session_of(row), row.kiosk_id, row.store_id, row.description, URL)
    headers, body = rt.sandbox.signed_notify(order, "paid", now_ms)
    answer = rt.service.handle_notify("sandbox", headers, body)
    if answer.status != 200:
        raise RuntimeError(answer.body.decode())


def run(orders: int, db_url: str | None) -> str:
    folder = Path(tempfile.mkdtemp(prefix="groupbuy-bench-"))
    url = db_url or f"sqlite:///{folder / 'central.db'}"
    clock = Clock()
    app = create_app(Settings(db_url=url, secret_key=b"groupbuy-bench-secret-key-32byte"),
                     clock_ms=clock)  # fmt: skip
    rt = install(app, PaymentsConfig(public_url=URL))
    service = GroupBuyService(rt.central.engine, rt.service, rt.master, clock)
    products = parse_catalog_csv(ASSETS / "demo" / "catalog.csv").products
    with rt.central.tx() as conn:
        feeds.write(conn, "catalog", [product_to_wire(p) for p in products], [])
    water = products[0].gtin
    now = clock()
    campaign = service.create_campaign(
        NewCampaign(
            campaign_id=str(uuid.uuid4()), store_id="S001", leader="bench", title="bench",
            currency="CNY", cutoff_at=_iso(now + HOUR_MS), pickup_from=_iso(now + 2 * HOUR_MS),
            pickup_until=_iso(now + 26 * HOUR_MS), commission_bp=500,
            items=[NewItem(gtin=water, price_minor=3990, per_person=5, stock=10 * orders,
                           tiers=[TierWire(min_buyers=orders // 10, price_minor=3590),
                                  TierWire(min_buyers=orders // 2, price_minor=3290)])],
        ),
        "bench", URL,
    )  # fmt: skip
    joins, pays = [], []
    for n in range(orders):
        body = JoinCampaign(order_id=str(uuid.uuid4()), buyer=f"b{n}", phone=f"138{n:08d}",
                            lines=[JoinLine(gtin=water, quantity=1 + n % 3)])  # fmt: skip
        started = time.perf_counter()
        view = service.join(campaign.campaign_id, body, URL)
        joins.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        with rt.central.tx() as conn:
            payment_id = conn.execute(
                select(groupbuy_orders.c.payment_id).where(
                    groupbuy_orders.c.order_id == view.order_id
                )
            ).scalar_one()
        _pay(rt, payment_id, clock())
        pays.append((time.perf_counter() - started) * 1000)
    clock.offset_ms += HOUR_MS + 1000
    started = time.perf_counter()
    result = service.cut_off(campaign.campaign_id, URL)
    first = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    again = service.cut_off(campaign.campaign_id, URL)
    second = (time.perf_counter() - started) * 1000
    if again != result or result.unsent:
        raise RuntimeError(f"the cut-off did not settle: {result} then {again}")
    engine = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    return "\n".join(
        [
            f"Group-buy, one campaign, {orders} orders, {engine}",
            "",
            "| Step | n | p50 ms | p95 ms | max ms | goal |",
            "|---|---|---|---|---|---|",
            _stats("join (price, checks, payment opened)", "p95 ≤ 200 ms", joins),
            _stats("pay (sandbox callback applied)", "p95 ≤ 200 ms", pays),
            "",
            f"Cut-off: {first / 1000:.1f} s for {result.orders} orders "
            f"({result.refunds} refunds sent, {result.refunded_minor / 100:.2f} CNY); "
            f"run again: {second:.0f} ms, nothing more refunded.",
        ]
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Group-buy benchmark")
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--db", default=None, help="a database URL (default: SQLite)")
    args = parser.parse_args(argv)
    print(run(args.orders, args.db))


if __name__ == "__main__":
    main()
