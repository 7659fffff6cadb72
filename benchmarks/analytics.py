"""`python -m benchmarks.analytics [--pg URL] [--sales N]`: every analytics report on a
chain's worth of sales (1,000,000 by default).

The sales are not pushed through the API one batch at a time (that path is
`benchmarks.central`'s, ~5,000 sales/s): rows are generated here and bulk-loaded
straight into the tables (COPY on PostgreSQL, executemany on SQLite), then the rollups
are built by `central.analytics.service.rebuild`, the same code as
`central analytics rebuild` and, sale by sale, as the ingest path. Members, wallets,
coupon redemptions, alerts, the catalog and a few promotions are loaded alongside.
Each report is then timed over a few runs for the whole chain and period, and for one
store's last 30 days. PostgreSQL when `--pg` names an empty database (or, with
`--throwaway-pg`, on a server started for the run from the local PostgreSQL binaries,
as `./dev bench` does), else SQLite;
`--seeded` times the reports again on a database an earlier run seeded.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table

from central.analytics import reports, service
from central.attendant.tables import attendant_alerts
from central.db import create_db_engine, migrate
from central.feeds import service as feeds
from central.loyalty.offers import import_csv, write_definitions
from central.loyalty.tables import (
    issue_counters,
    member_tier_moves,
    members,
    redemptions,
    wallet,
)
from central.sales.tables import sales
from kiosk.domain.codes import check_digit
from tools import postgres

DEMO_COUPONS = Path(__file__).resolve().parents[1] / "assets/demo/coupons.csv"

STORES, KIOSKS_PER_STORE, PRODUCTS, DAYS = 20, 5, 300, 120
FIRST_DAY = date(2026, 8, 1)
CHINA = timezone(timedelta(hours=8))
MEMBERS, REDEEMED_SHARE, ALERT_SHARE = 100_000, 0.05, 0.02
# The demo's coupons, one of each kind.
COUPONS = ("welcome-10", "yili-5-off-30", "juice-half", "royal-baby-8pct")
RUNS = 7
CHUNK = 50_000


def _gtin(n: int) -> str:
    body = f"0693{n:09d}"
    return body + str(check_digit(body))


def _catalog() -> list[dict[str, Any]]:
    return [
        {"gtin": _gtin(n), "names": {"en": f"Item {n}"}, "brand": f"brand-{n % 30}",
         "category": f"cat-{n % 12}", "tax_class": "standard", "price_minor": 100 + n * 7,
         "currency": "CNY", "unit": "each", "age_min": 0, "sellable": True, "recalled": False,
         "recalled_lots": [], "deposit_minor": None, "extra_gtins": [], "attributes": {}}
        for n in range(PRODUCTS)
    ]  # fmt: skip


def _sales(count: int, rng: random.Random) -> Iterator[dict[str, Any]]:
    """Sales spread over the stores, kiosks, days and opening hours (8 to 22), baskets of
    1 to 15 items from a catalog where a few products sell far more than the rest."""
    kiosks = [
        (f"S{s:03d}", f"S{s:03d}-K{k}") for s in range(STORES) for k in range(KIOSKS_PER_STORE)
    ]
    weights = [1 / (n + 1) for n in range(PRODUCTS)]
    sequences = dict.fromkeys((k for _, k in kiosks), 0)
    for n in range(count):
        store, kiosk = kiosks[n % len(kiosks)]
        sequences[kiosk] += 1
        moment = datetime.combine(
            FIRST_DAY + timedelta(days=n * DAYS // count), datetime.min.time(), CHINA
        ) + timedelta(hours=rng.randrange(8, 22), minutes=rng.randrange(60))
        picks = rng.choices(range(PRODUCTS), weights, k=rng.choice((1, 1, 2, 2, 3, 4, 6)))
        lines: list[dict[str, Any]] = []
        total = items = 0
        for line_no, p in enumerate(picks, 1):
            quantity = rng.choice((1, 1, 1, 2, 3))
            lines.append({"line_no": line_no, "gtin": _gtin(p), "state": "active",
                          "quantity": quantity, "gross_minor": (100 + p * 7) * quantity,
                          "discount_minor": 0})  # fmt: skip
            total += (100 + p * 7) * quantity
            items += quantity
        # Most from kiosks that send their first scan time (since #15), some from older ones.
        first_scan = moment - timedelta(seconds=rng.randrange(20, 600))
        yield {
            "version": 1, "sale_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "kiosk_id": kiosk, "store_id": store, "sequence": sequences[kiosk],
            "created_at": moment.isoformat(),
            "first_scan_at": first_scan.isoformat() if n % 10 else None,
            "status": "paid" if n % 53 else "voided",
            "training": False, "currency": "CNY", "total_minor": total,
            "item_count": items, "lines": lines,
        }  # fmt: skip


def _bulk(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    if not rows:
        return
    if conn.dialect.name != "postgresql":
        conn.execute(table.insert(), list(rows))
        return
    columns = list(rows[0])
    driver = conn.connection.driver_connection
    assert driver is not None
    with (
        driver.cursor() as cur,
        cur.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(tuple(row[c] for c in columns))


def seed(engine: Engine, count: int) -> dict[str, float]:
    """Load the chain; how long each part took (seconds)."""
    rng = random.Random(15)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    with engine.begin() as conn:
        feeds.write(conn, "catalog", _catalog(), [])
        import_csv(conn, "coupons", DEMO_COUPONS.read_text(encoding="utf-8"))
        write_definitions(conn, "promotions", [
            {"promotion_id": f"promo-{n}", "name": f"Promotion {n}", "kind": "percent_off",
             "currency": "CNY", "percent_bp": 1000,
             "scope": {"gtins": [_gtin(n * 11)]} if n % 2 else {"brands": [f"brand-{n}"]},
             "starts_at": (FIRST_DAY + timedelta(days=20 + n * 9)).isoformat() + "T00:00:00+08:00",
             "ends_at": (FIRST_DAY + timedelta(days=34 + n * 9)).isoformat() + "T00:00:00+08:00"}
            for n in range(10)
        ], [])  # fmt: skip
        batch: list[dict[str, Any]] = []
        for doc in _sales(count, rng):
            batch.append({
                "sale_id": doc["sale_id"], "kiosk_id": doc["kiosk_id"], "store_id": doc["store_id"],
                "sequence": doc["sequence"], "status": doc["status"], "training": False,
                "currency": "CNY", "total_minor": doc["total_minor"],
                "item_count": doc["item_count"], "created_at": doc["created_at"],
                "received_at": 0, "body_hash": "0" * 64, "document": json.dumps(doc),
            })  # fmt: skip
            if len(batch) == CHUNK:
                _bulk(conn, sales, batch)
                batch = []
        _bulk(conn, sales, batch)
    timings["sales loaded"] = time.perf_counter() - started
    started = time.perf_counter()
    with engine.begin() as conn:
        _seed_loyalty_and_alerts(conn, count, rng)
    timings["members, coupons, alerts loaded"] = time.perf_counter() - started
    started = time.perf_counter()
    with engine.begin() as conn:
        service.rebuild(conn)
    timings["rollups rebuilt"] = time.perf_counter() - started
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("ANALYZE")
    return timings


def _seed_loyalty_and_alerts(conn: Connection, count: int, rng: random.Random) -> None:
    first_ms = int(datetime.combine(FIRST_DAY, datetime.min.time(), CHINA).timestamp() * 1000)
    day_ms = 86_400_000
    member_ids = [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(MEMBERS)]
    _bulk(conn, members, [
        {"member_id": m, "member_code": f"M{n:09d}", "phone_hash": f"{n:064x}",
         "tier": "royal" if n % 7 == 0 else "general", "consent": "{}",
         "store_id": f"S{n % STORES:03d}", "kiosk_id": f"S{n % STORES:03d}-K0",
         "created_at": (FIRST_DAY + timedelta(days=n % DAYS)).isoformat() + "T10:00:00+08:00",
         "received_at": 0, "body_hash": "0" * 64}
        for n, m in enumerate(member_ids)
    ])  # fmt: skip
    claims = []
    for n, m in enumerate(member_ids * 2):
        cid = COUPONS[n % len(COUPONS)]
        claims.append({"code": f"C{n:010d}", "coupon_id": cid, "member_id": m,
                       "campaign_id": "", "channel": "campaign",
                       "issued_at": first_ms + (n % DAYS) * day_ms})  # fmt: skip
    _bulk(conn, wallet, claims)
    _bulk(conn, issue_counters, [
        {"coupon_id": cid, "value": len(claims) // len(COUPONS) + 20_000} for cid in COUPONS
    ])  # fmt: skip
    used = rng.sample(claims, int(count * REDEEMED_SHARE))
    _bulk(conn, redemptions, [
        {"redemption_id": str(uuid.uuid4()), "code": c["code"], "coupon_id": c["coupon_id"],
         "member_id": c["member_id"], "sale_id": str(uuid.uuid4()),
         "store_id": f"S{n % STORES:03d}", "kiosk_id": f"S{n % STORES:03d}-K{n % 5}",
         "at": (FIRST_DAY + timedelta(days=n % DAYS)).isoformat() + "T12:00:00+08:00",
         "amount_minor": 500, "currency": "CNY", "source": "wallet", "offline": False,
         "status": "accepted", "received_at": 0, "body_hash": "0" * 64}
        for n, c in enumerate(used)
    ])  # fmt: skip
    # Every royal member moved there from general, on a day of the period.
    _bulk(conn, member_tier_moves, [
        {"member_id": m, "store_id": f"S{n % STORES:03d}", "kiosk_id": f"S{n % STORES:03d}-K0",
         "from_tier": "general", "to_tier": "royal", "at_ms": first_ms + (n % DAYS) * day_ms}
        for n, m in enumerate(member_ids) if n % 7 == 0
    ])  # fmt: skip
    reasons = ("shopper_call", "age_check", "unknown_item", "printer_paper_out")
    _bulk(conn, attendant_alerts, [
        {"alert_id": str(uuid.uuid4()), "kiosk_id": f"S{n % STORES:03d}-K{n % 5}",
         "store_id": f"S{n % STORES:03d}", "reason": reasons[n % len(reasons)],
         "state": "closed", "version": 3,
         "raised_at": (FIRST_DAY + timedelta(days=n % DAYS)).isoformat() + "T15:00:00+08:00",
         "received_ms": 0, "updated_ms": 0}
        for n in range(int(count * ALERT_SHARE))
    ])  # fmt: skip


def time_reports(engine: Engine) -> list[tuple[str, str, float, float, int]]:
    """(report, scope, p50 ms, p95 ms, rows) for each report and filter."""
    last = FIRST_DAY + timedelta(days=DAYS - 1)
    scopes = {
        "chain, all days": reports.Filters(),
        "one store, 30 days": reports.Filters("S007", None, last - timedelta(days=29), last),
    }
    out = []
    for name, build in reports.REPORTS.items():
        for scope, filters in scopes.items():
            took = []
            rows: list[dict[str, Any]] = []
            for _ in range(RUNS):
                started = time.perf_counter()
                with engine.connect() as conn:
                    rows = build(conn, filters)
                took.append((time.perf_counter() - started) * 1000)
            p95 = statistics.quantiles(took, n=20, method="inclusive")[-1]
            out.append((name, scope, statistics.median(took), p95, len(rows)))
    return out


def _machine() -> str:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"Python {platform.python_version()}, {os.cpu_count()} CPUs, "
            f"{time.strftime('%Y-%m-%d %H:%M')}, load average {load}")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.analytics", description=__doc__)
    parser.add_argument("--pg", default=None, help="URL of an empty PostgreSQL database")
    parser.add_argument("--sales", type=int, default=1_000_000)
    parser.add_argument(
        "--seeded", action="store_true", help="time the reports on a database already seeded"
    )
    parser.add_argument(
        "--throwaway-pg",
        action="store_true",
        help="start a PostgreSQL server for this run (the local binaries) and drop it after",
    )
    args = parser.parse_args(argv)
    if args.throwaway_pg:
        binaries = postgres.bindir()
        if binaries is None:
            print("analytics bench: no PostgreSQL binaries (apt-get install postgresql)")
            return 1
        with postgres.throwaway_server(binaries) as server:
            with server.admin() as admin:
                admin.execute("CREATE DATABASE analytics_bench")
            return run(server.url("analytics_bench"), "PostgreSQL", args.sales, seeded=False)
    if args.pg:
        url, engine_name = (
            args.pg.replace("postgresql://", "postgresql+psycopg://", 1),
            "PostgreSQL",
        )
    else:
        folder = Path(tempfile.mkdtemp(prefix="analytics-bench-"))
        url, engine_name = f"sqlite:///{folder / 'central.db'}", "SQLite"
    return run(url, engine_name, args.sales, seeded=args.seeded)


def run(url: str, engine_name: str, count: int, *, seeded: bool) -> int:
    print(f"analytics bench: {engine_name}, {count:,} sales, {STORES} stores × "
          f"{KIOSKS_PER_STORE} kiosks, {DAYS} days, {PRODUCTS} products; {_machine()}")  # fmt: skip
    engine = create_db_engine(url)
    migrate(engine)
    for step, seconds in ({} if seeded else seed(engine, count)).items():
        print(f"  {step}: {seconds:.1f} s")
    print(f"{'report':<18} {'filter':<20} {'p50 ms':>8} {'p95 ms':>8} {'rows':>6}  goal ≤ 1,000 ms")
    worst = 0.0
    for name, scope, p50, p95, n in time_reports(engine):
        worst = max(worst, p95)
        print(f"{name:<18} {scope:<20} {p50:>8.1f} {p95:>8.1f} {n:>6}")
    print(f"slowest p95: {worst:.0f} ms ({'met' if worst <= 1000 else 'MISSED'}); {_machine()}")
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
