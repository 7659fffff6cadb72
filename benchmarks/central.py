"""`python -m benchmarks.central [--pg URL]`: the service's sales ingest rate.

Measures what one batch costs the service behind HTTP: parsing the body, validating
it against the wire schema, hashing every sale and storing it in one transaction,
with `--threads` concurrent writers (as uvicorn's worker threads or several replicas
would be). SQLite always; PostgreSQL when `--pg` names an empty database.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from central.auth import AuthedKiosk
from central.db import create_db_engine, migrate
from central.kiosks import service as kiosks
from central.sales import service as sales
from kiosk.domain.ids import IdFactory
from kiosk.domain.policy import OverrideBounds
from sync.protocol import EnrollRequest, SaleBatch

BATCH = 500


def _sale(kiosk_id: str, sequence: int, ids: IdFactory) -> dict[str, Any]:
    lines: list[dict[str, Any]] = []
    for n in range(1, 6):
        quantity = 1 + n % 3
        lines.append(
            {
                "line_no": n, "gtin": f"0693541200{n:04d}", "state": "active",
                "names": {"en": f"Item {n}", "zh_CN": "商品"}, "quantity": quantity,
                "weight_g": None, "lot": None, "serial": None, "unit_price_minor": 250 + n,
                "gross_minor": (250 + n) * quantity, "discount_minor": 0, "deposit_minor": 0,
                "tax_class": "standard", "age_approval": None, "void": None,
            }
        )  # fmt: skip
    total = sum(int(line["gross_minor"]) for line in lines)
    return {
        "version": 1, "sale_id": ids.new(), "kiosk_id": kiosk_id, "store_id": "S001",
        "sequence": sequence, "created_at": "2026-11-23T10:00:00+08:00", "status": "paid",
        "training": True, "currency": "CNY", "member_id": None, "lines": lines, "discounts": [],
        "taxes": [{"tax_class": "standard", "rate_bp": 1300, "net_minor": total * 100 // 113,
                   "tax_minor": total - total * 100 // 113, "gross_minor": total}],
        "subtotal_minor": total, "discount_minor": 0, "deposit_minor": 0,
        "tax_minor": total - total * 100 // 113, "total_minor": total, "item_count": 11,
        "tenders": [{"payment_id": ids.new(), "method": "wechat", "amount_minor": total,
                     "reference": "x", "attended_by": None}],
        "void": None,
    }  # fmt: skip


def ingest_rate(url: str, count: int, threads: int) -> float:
    engine = create_db_engine(url)
    migrate(engine)
    now = int(time.time() * 1000)
    with engine.begin() as conn:
        code, _ = kiosks.issue_enrolment_code(conn, "S001", 1, now)
        reply = kiosks.enroll(conn, os.urandom(32), EnrollRequest(code=code), now)
    kiosk = AuthedKiosk(reply.kiosk_id, reply.store_id, reply.key_id)
    ids = IdFactory()
    bodies = [
        json.dumps({"sales": [_sale(kiosk.kiosk_id, n, ids) for n in range(s, s + BATCH)]}).encode()
        for s in range(1, count + 1, BATCH)
    ]
    per_thread = [bodies[i::threads] for i in range(threads)]

    def work(mine: list[bytes]) -> None:
        for body in mine:
            SaleBatch.model_validate_json(body)
            documents = json.loads(body)["sales"]
            with engine.begin() as conn:
                results = sales.ingest_sales(conn, kiosk, documents, now, bounds=OverrideBounds())
            assert all(r.result == "stored" for r in results)

    workers = [threading.Thread(target=work, args=(mine,)) for mine in per_thread]
    start = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - start
    engine.dispose()
    return count / elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.central", description=__doc__)
    parser.add_argument("--pg", default=None, help="URL of an empty PostgreSQL database")
    parser.add_argument("--sales", type=int, default=20_000)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    print(f"central bench: Python {platform.python_version()}, {os.cpu_count()} CPUs, "
          f"{time.strftime('%Y-%m-%d')}, batches of {BATCH} five-line sales")  # fmt: skip
    folder = Path(tempfile.mkdtemp(prefix="central-bench-"))
    targets = [("SQLite", f"sqlite:///{folder / 'central.db'}", 2000)]
    if args.pg:
        url = args.pg.replace("postgresql://", "postgresql+psycopg://", 1)
        targets.append(("PostgreSQL", url, 5000))
    print(f"{'engine':<12} {'threads':>7} {'sales/s':>10}  goal")
    for name, url, goal in targets:
        rate = ingest_rate(url, args.sales, args.threads)
        print(f"{name:<12} {args.threads:>7} {rate:>10,.0f}  ≥ {goal:,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
