"""`kiosk bench`: speed of the core's hot paths, printed as a table.

Each figure is wall-clock time on this machine, single-threaded, on real SQLite
files in a temporary folder. Goals come from the foundation issue.
"""

from __future__ import annotations

import argparse
import csv
import json
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from app.core import build_core
from kiosk.domain.cart import Cart, CartLine
from kiosk.domain.catalog import Product
from kiosk.domain.codes import Gtin, check_digit
from kiosk.domain.money import Money
from kiosk.domain.pricing import PricingContext, price_cart
from kiosk.services.catalog_import import import_catalog
from kiosk.services.checkout import KioskIdentity
from kiosk.services.config import demo_policy
from kiosk.services.setup import database_path, initialise
from kiosk.store.uow import KioskStore


def bench_gtin(n: int) -> Gtin:
    """The n-th GTIN of the benchmarks' generated catalogs (a valid check digit)."""
    body = f"69{n:010d}"
    return Gtin("0" + body + str(check_digit(body)))


def _product(n: int) -> Product:
    return Product(
        gtin=bench_gtin(n),
        names={"en": f"Product {n}", "zh_CN": f"商品 {n}", "ko": f"상품 {n}"},
        brand=f"Brand {n % 97}",
        category="snacks",
        tax_class="standard" if n % 3 else "reduced",
        price=Money(100 + n % 5000, "CNY"),
    )


def _percentiles(samples_ms: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples_ms)

    def pick(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    return statistics.median(ordered), pick(0.95), pick(0.99)


def _timed(fn: Callable[[], object], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def bench_pricing(lines: int = 200) -> list[float]:
    policy = demo_policy()
    products = {p.gtin: p for p in (_product(n) for n in range(lines))}
    cart = Cart(
        "bench", tuple(CartLine(i + 1, g, quantity=1 + i % 3) for i, g in enumerate(products))
    )
    context = PricingContext(policy, datetime.now(UTC), products=products)
    return _timed(lambda: price_cart(cart, products, context), 300)


def _fill_catalog(store: KioskStore, count: int) -> None:
    names = json.dumps({"en": "x", "zh_CN": "商品"}, ensure_ascii=False)
    conn = store.store.db.conn
    with store.transaction():
        conn.executemany(
            "INSERT INTO products (gtin, names, brand, category, tax_class, price_minor, "
            "currency, unit) VALUES (?, ?, 'b', 'c', 'standard', ?, 'CNY', 'each')",
            ((bench_gtin(n), names, 100 + n % 9000) for n in range(count)),
        )


def bench_lookup(folder: Path, count: int) -> tuple[list[float], float]:
    store = KioskStore.open(folder / "lookup.db")
    start = time.perf_counter()
    _fill_catalog(store, count)
    fill_s = time.perf_counter() - start
    rng = random.Random(7)
    codes = [bench_gtin(rng.randrange(count)) for _ in range(20_000)]
    samples = []
    for code in codes:
        t = time.perf_counter()
        store.catalog.get(code)
        samples.append((time.perf_counter() - t) * 1000)
    store.close()
    return samples, fill_s


def bench_import(folder: Path, rows: int) -> float:
    path = folder / "catalog.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "gtin",
                "name_en",
                "name_zh_CN",
                "name_ko",
                "brand",
                "category",
                "tax_class",
                "price",
                "currency",
                "unit",
            ]
        )
        for n in range(rows):
            writer.writerow(
                [
                    bench_gtin(n)[1:],
                    f"Product {n}",
                    f"商品 {n}",
                    f"상품 {n}",
                    "Brand",
                    "snacks",
                    "standard",
                    f"{1 + n % 90}.{n % 100:02d}",
                    "CNY",
                    "each",
                ]
            )
    store = KioskStore.open(folder / "import.db")
    start = time.perf_counter()
    report = import_catalog(store, path, {"standard"})
    elapsed = time.perf_counter() - start
    if report.imported != rows:
        raise RuntimeError(f"benchmark import failed: {report.errors[:3]}")
    store.close()
    return elapsed


def bench_restore(folder: Path, lines: int = 200) -> list[float]:
    """A kiosk restarting into a 200-line cart: the whole core built, the cart priced."""
    home = folder / "restore"
    store = KioskStore.open(database_path(home))
    initialise(store, KioskIdentity("K", "S"), demo_policy())
    store.catalog.upsert_many(_product(n) for n in range(lines))
    cart = Cart("restore", tuple(CartLine(i + 1, bench_gtin(i)) for i in range(lines)))
    store.carts.save(cart, datetime.now(UTC))
    store.close()

    def restore() -> None:
        core = build_core(home)
        core.checkout.state()
        core.close()

    return _timed(restore, 30)


def run(quick: bool = False) -> None:
    catalog_size = 100_000 if quick else 1_000_000
    import_rows = 10_000 if quick else 100_000
    rows: list[tuple[str, str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        med, p95, _ = _percentiles(bench_pricing())
        rows.append(
            (
                "price a 200-line cart",
                f"median {med:.2f} ms, p95 {p95:.2f} ms",
                "<= 5 ms",
                "ok" if p95 <= 5 else "MISSED",
            )
        )
        samples, fill_s = bench_lookup(folder, catalog_size)
        med, _, p99 = _percentiles(samples)
        rows.append(
            (
                f"look up a code in {catalog_size:,} products",
                f"median {med * 1000:.0f} us, p99 {p99 * 1000:.0f} us (fill {fill_s:.1f} s)",
                "p99 <= 0.5 ms",
                "ok" if p99 <= 0.5 else "MISSED",
            )
        )
        seconds = bench_import(folder, import_rows)
        goal = 20 * import_rows / 100_000
        rows.append(
            (
                f"import {import_rows:,} catalog rows",
                f"{seconds:.1f} s ({import_rows / seconds:,.0f} rows/s)",
                f"<= {goal:.0f} s",
                "ok" if seconds <= goal else "MISSED",
            )
        )
        med, p95, _ = _percentiles(bench_restore(folder))
        rows.append(
            (
                "restore a 200-line active cart on start",
                f"median {med:.1f} ms, p95 {p95:.1f} ms",
                "(no goal)",
                "-",
            )
        )
    print(
        f"machine: {platform.processor() or platform.machine()}, python {platform.python_version()}"
    )
    header = ("what", "measured", "goal", "")
    widths = [max(len(r[i]) for r in [*rows, header]) for i in range(4)]
    for row in (header, tuple("-" * w for w in widths), *rows):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.kiosk_core", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="Smaller sizes, for a smoke run.")
    run(quick=parser.parse_args(argv).quick)
    return 0


if __name__ == "__main__":
    sys.exit(main())
