"""Keeping the rollups: added to as sales are stored, or recomputed from the sales table.

`record` runs inside the transaction that stores a batch of sales and is handed only the
sales that transaction inserted (`central.sales.service.ingest_sales` calls it), so a
re-sent sale, a conflict or a refused one never counts twice, and a rolled-back batch
leaves no trace. Rows are added to (INSERT … ON CONFLICT DO UPDATE SET n = n + new) in
key order, so two replicas adding to the same rows lock them in the same order and
never deadlock. `rebuild` recomputes everything from the stored sales, for a database
that had sales before the rollups existed, or after a fix to how they are computed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, delete, select

from central.analytics.tables import ROLLUP_TABLES, baskets_daily, products_daily, sales_hourly
from central.db import insert_or_add
from central.sales.tables import sales

# Basket size buckets by item count: the largest count of each, then the open-ended one.
BASKET_BUCKETS = ((1, "1"), (3, "2-3"), (6, "4-6"), (10, "7-10"))
LARGEST_BUCKET = "11+"
BUCKET_ORDER = (*(name for _, name in BASKET_BUCKETS), LARGEST_BUCKET)

HOURLY_SUMS = ("sales", "items", "revenue_minor", "timed_sales", "scan_to_pay_s")

# Sales read per round trip while rebuilding: bounded memory for the documents in flight.
REBUILD_BATCH = 5000


def basket_bucket(items: int) -> str:
    return next((name for top, name in BASKET_BUCKETS if items <= top), LARGEST_BUCKET)


def local_day_hour(created_at: str) -> tuple[str, int]:
    """The kiosk's own calendar day and hour of a sale (its offset kept, not converted)."""
    moment = datetime.fromisoformat(created_at)
    return moment.date().isoformat(), moment.hour


def scan_to_pay_s(document: Mapping[str, Any]) -> int | None:
    """Seconds from the sale's first scan to its payment, if the kiosk sent when the first
    item went in (kiosks since #15) and its clock did not step back during the sale."""
    first = document.get("first_scan_at")
    if not first:
        return None
    try:
        seconds = (
            datetime.fromisoformat(str(document["created_at"])) - datetime.fromisoformat(str(first))
        ).total_seconds()
    except (ValueError, TypeError):  # naive against aware: no duration to trust
        return None
    return int(seconds) if seconds >= 0 else None


def counts(document: Mapping[str, Any]) -> bool:
    """Whether a sale counts in the figures: paid, and not a training sale."""
    return document.get("status") == "paid" and not document.get("training", False)


@dataclass
class Rollups:
    """Sums of a set of sales, by the keys of each rollup table, ready to be added."""

    # Sums in HOURLY_SUMS' order.
    hourly: dict[tuple[str, str, str, int, str], list[int]] = field(default_factory=dict)
    baskets: dict[tuple[str, str, str, str, str], list[int]] = field(default_factory=dict)
    products: dict[tuple[str, str, str, str], list[int]] = field(default_factory=dict)

    def add(self, doc: Mapping[str, Any]) -> None:
        if not counts(doc):
            return
        store, kiosk, currency = str(doc["store_id"]), str(doc["kiosk_id"]), str(doc["currency"])
        day, hour = local_day_hour(str(doc["created_at"]))
        items, total = int(doc["item_count"]), int(doc["total_minor"])
        hourly = self.hourly.setdefault((store, kiosk, day, hour, currency), [0, 0, 0, 0, 0])
        for row in (
            hourly,
            self.baskets.setdefault((store, kiosk, day, basket_bucket(items), currency), [0, 0, 0]),
        ):
            row[0] += 1
            row[1] += items
            row[2] += total
        seconds = scan_to_pay_s(doc)
        if seconds is not None:
            hourly[3] += 1
            hourly[4] += seconds
        for line in doc.get("lines", ()):
            if line.get("state") != "active":
                continue
            product = self.products.setdefault((store, day, str(line["gtin"]), currency), [0, 0])
            product[0] += int(line["quantity"])
            product[1] += int(line["gross_minor"]) - int(line.get("discount_minor") or 0)

    def write(self, conn: Connection) -> None:
        _add(conn, sales_hourly, self.hourly, HOURLY_SUMS)
        _add(conn, baskets_daily, self.baskets, ("sales", "items", "revenue_minor"))
        _add(conn, products_daily, self.products, ("units", "revenue_minor"))


def _add(
    conn: Connection, table: Table, sums: Mapping[tuple[Any, ...], list[int]], names: Sequence[str]
) -> None:
    if not sums:
        return
    keys = [c.name for c in table.primary_key.columns]
    rows = [
        dict(zip(keys, key, strict=True)) | dict(zip(names, sums[key], strict=True))
        for key in sorted(sums)
    ]
    conn.execute(insert_or_add(conn, table, keys, *names), rows)


def record(conn: Connection, documents: Iterable[Mapping[str, Any]]) -> None:
    """Add newly stored sales to the rollups (in the transaction that stored them)."""
    rollups = Rollups()
    for doc in documents:
        rollups.add(doc)
    rollups.write(conn)


def rebuild(conn: Connection) -> int:
    """Recompute every rollup from the stored sales; the number of sales that count.

    On PostgreSQL the rollup tables are locked first: a batch being ingested meanwhile
    waits to add its sales until the rebuild, which cannot see them yet, has committed.
    (SQLite's write transactions are serial anyway.)"""
    if conn.dialect.name == "postgresql":
        names = ", ".join(t.name for t in ROLLUP_TABLES)
        conn.exec_driver_sql(f"LOCK TABLE {names} IN EXCLUSIVE MODE")
    for table in ROLLUP_TABLES:
        conn.execute(delete(table))
    rollups = Rollups()
    n = 0
    result = conn.execute(
        select(sales.c.document)
        .where(sales.c.status == "paid", sales.c.training.is_(False))
        .execution_options(yield_per=REBUILD_BATCH)
    )
    for row in result:
        rollups.add(json.loads(row.document))
        n += 1
    rollups.write(conn)
    return n
