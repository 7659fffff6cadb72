"""Rollups of stored sales, kept up to date as sales are ingested (`service.record`), so the
analytics reports read thousands of rows instead of every sale. Days and hours are the
kiosk's local wall clock as the sale document states it (`created_at` carries its
offset): a store's "Tuesday 9 o'clock" is its own. Amounts are minor units, per currency.
Only paid, non-training sales count; refunds are netted out by the reports."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, Integer, String, Table

from central.db import metadata

# Per kiosk and local hour: how many sales, items, revenue.
sales_hourly = Table(
    "analytics_sales_hourly",
    metadata,
    Column("store_id", String(64), primary_key=True),
    Column("kiosk_id", String(64), primary_key=True),
    Column("day", String(10), primary_key=True),
    Column("hour", Integer, primary_key=True, autoincrement=False),
    Column("currency", String(3), primary_key=True),
    Column("sales", BigInteger, nullable=False),
    Column("items", BigInteger, nullable=False),
    Column("revenue_minor", BigInteger, nullable=False),
    # The sales whose document says when their first item went in (kiosks since #15), and
    # their first scan → paid seconds in total: the kiosk-use report's average.
    Column("timed_sales", BigInteger, nullable=False, server_default="0"),
    Column("scan_to_pay_s", BigInteger, nullable=False, server_default="0"),
    # Chain-wide reports of a period (no store filter) read by day.
    Index("ix_analytics_sales_hourly_day", "day"),
)

# Per kiosk, local day and basket size bucket ("1", "2-3", …): the basket report.
baskets_daily = Table(
    "analytics_baskets_daily",
    metadata,
    Column("store_id", String(64), primary_key=True),
    Column("kiosk_id", String(64), primary_key=True),
    Column("day", String(10), primary_key=True),
    Column("bucket", String(8), primary_key=True),
    Column("currency", String(3), primary_key=True),
    Column("sales", BigInteger, nullable=False),
    Column("items", BigInteger, nullable=False),
    Column("revenue_minor", BigInteger, nullable=False),
    Index("ix_analytics_baskets_daily_day", "day"),
)

# Per store, local day and product: units sold and their revenue after line discounts
# (the promotion effect report compares a promotion's days with the days before).
products_daily = Table(
    "analytics_products_daily",
    metadata,
    Column("store_id", String(64), primary_key=True),
    Column("day", String(10), primary_key=True),
    Column("gtin", String(32), primary_key=True),
    Column("currency", String(3), primary_key=True),
    Column("units", BigInteger, nullable=False),
    Column("revenue_minor", BigInteger, nullable=False),
    # A promotion's few products over a few weeks, in every store.
    Index("ix_analytics_products_daily_gtin_day", "gtin", "day"),
)

ROLLUP_TABLES = (sales_hourly, baskets_daily, products_daily)
