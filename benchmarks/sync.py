"""`python -m benchmarks.sync`: kiosk ⇄ central throughput over loopback HTTP.

Starts `central serve` as a separate process (SQLite in a temporary folder, or
`--db URL`), enrols a kiosk and measures, with the real client, relay and puller:
a full catalog pull of `--products` items into the kiosk's SQLite, a delta pull of
`--delta` changes, and the drain of `--sales` queued sales. The central service is
reached only through its CLI and HTTP, as in production.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import requests

from kiosk.domain.codes import check_digit
from kiosk.domain.ids import IdFactory
from kiosk.store.uow import KioskStore
from simulators.sales import simulate
from sync.client import new_client
from sync.enrolment import enroll
from sync.protocol import encode_secret
from sync.pullers import FeedPuller
from sync.relay import OutboxRelay


def _gtin(n: int) -> str:
    body = f"69{n:010d}"
    return body + str(check_digit(body))


def _write_catalog(path: Path, count: int, price_bump: int = 0) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["gtin", "name_en", "name_zh_CN", "brand", "category", "tax_class",
                         "price", "currency"])  # fmt: skip
        for n in range(1, count + 1):
            cents = 100 + n % 5000 + price_bump
            writer.writerow([_gtin(n), f"Product {n}", f"商品 {n}", "Bench", "grocery",
                             "standard", f"{cents // 100}.{cents % 100:02d}", "CNY"])  # fmt: skip


def _central(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "central.cli", *args], env=env, check=True, capture_output=True
    )
    return done.stdout.decode().strip()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run(db_url: str | None, sales: int, products: int, delta: int) -> list[tuple[str, str, str]]:
    folder = Path(tempfile.mkdtemp(prefix="sync-bench-"))
    db = db_url or f"sqlite:///{folder / 'central.db'}"
    env = {**os.environ, "CENTRAL_SECRET_KEY": encode_secret(os.urandom(32)), "CENTRAL_DB_URL": db}
    rows: list[tuple[str, str, str]] = []

    _write_catalog(folder / "catalog.csv", products)
    start = time.perf_counter()
    _central(["catalog", "import", str(folder / "catalog.csv")], env)
    rows.append((f"central catalog import, {products:,} products (CLI)",
                 f"{time.perf_counter() - start:.1f} s", "-"))  # fmt: skip

    port = _free_port()
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "central.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(f"{url}/v1/health", timeout=1).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("central serve did not start")
            time.sleep(0.05)
        store = KioskStore.open(folder / "kiosk.db")
        credential = enroll(store, url, _central(["enroll-code", "--store", "S001"], env))
        client = new_client(credential)
        puller = FeedPuller(store, client, page_size=5000)

        start = time.perf_counter()
        pulled = puller.pull("catalog")
        elapsed = time.perf_counter() - start
        rows.append((f"full catalog pull, {pulled:,} products", f"{elapsed:.2f} s", "≤ 10 s"))

        _write_catalog(folder / "delta.csv", delta, price_bump=7)
        _central(["catalog", "import", str(folder / "delta.csv")], env)
        start = time.perf_counter()
        changed = puller.pull("catalog")
        elapsed = time.perf_counter() - start
        rows.append((f"delta catalog pull, {changed:,} changes", f"{elapsed:.2f} s", "≤ 1 s"))

        simulate(folder, 1, seed=1)
        OutboxRelay(store, client).drain()
        template = store.sales.recent(1)[0].document
        ids = IdFactory()
        now = time.gmtime()
        with store.transaction():
            for n in range(sales):
                doc = template | {"sale_id": ids.new(), "sequence": 1000 + n}
                store.outbox.add("sale", doc["sale_id"], doc, _utc(now))
        start = time.perf_counter()
        report = OutboxRelay(store, client).drain()
        elapsed = time.perf_counter() - start
        rows.append((f"drain {report.sent:,} queued sales (batches of 500)", f"{elapsed:.2f} s",
                     "≤ 20 s"))  # fmt: skip
        rows.append(("  = end-to-end sales/s over HTTP", f"{report.sent / elapsed:,.0f}", "-"))
        client.close()
        store.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    return rows


def _utc(t: time.struct_time) -> datetime:
    return datetime(*t[:6], tzinfo=UTC)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.sync", description=__doc__)
    parser.add_argument("--db", default=None, help="central database URL (default: SQLite)")
    parser.add_argument("--sales", type=int, default=10_000)
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--delta", type=int, default=1_000)
    args = parser.parse_args(argv)
    engine = "PostgreSQL" if args.db and args.db.startswith("postgres") else "SQLite"
    print(f"sync bench: central on {engine}, {platform.python_version()}, "
          f"{os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d')}")  # fmt: skip
    rows = run(args.db, args.sales, args.products, args.delta)
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'result':>10}  goal")
    for name, result, goal in rows:
        print(f"{name:<{width}}  {result:>10}  {goal}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
