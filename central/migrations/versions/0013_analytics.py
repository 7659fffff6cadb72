"""Analytics rollups: sales by kiosk and local hour, baskets by size, products by day.

Revision ID: 0013_analytics
Revises: 0012_group_buy

The tables start empty: `central analytics rebuild` fills them from the sales already
stored (new sales are added as they are ingested).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_analytics"
down_revision = "0012_group_buy"
branch_labels = None
depends_on = None

_SUMS = ("sales", "items", "revenue_minor")


def upgrade() -> None:
    op.create_table(
        "analytics_sales_hourly",
        sa.Column("store_id", sa.String(64), primary_key=True),
        sa.Column("kiosk_id", sa.String(64), primary_key=True),
        sa.Column("day", sa.String(10), primary_key=True),
        sa.Column("hour", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("currency", sa.String(3), primary_key=True),
        *(sa.Column(name, sa.BigInteger, nullable=False) for name in _SUMS),
    )
    op.create_index("ix_analytics_sales_hourly_day", "analytics_sales_hourly", ["day"])
    op.create_table(
        "analytics_baskets_daily",
        sa.Column("store_id", sa.String(64), primary_key=True),
        sa.Column("kiosk_id", sa.String(64), primary_key=True),
        sa.Column("day", sa.String(10), primary_key=True),
        sa.Column("bucket", sa.String(8), primary_key=True),
        sa.Column("currency", sa.String(3), primary_key=True),
        *(sa.Column(name, sa.BigInteger, nullable=False) for name in _SUMS),
    )
    op.create_index("ix_analytics_baskets_daily_day", "analytics_baskets_daily", ["day"])
    op.create_table(
        "analytics_products_daily",
        sa.Column("store_id", sa.String(64), primary_key=True),
        sa.Column("day", sa.String(10), primary_key=True),
        sa.Column("gtin", sa.String(32), primary_key=True),
        sa.Column("currency", sa.String(3), primary_key=True),
        sa.Column("units", sa.BigInteger, nullable=False),
        sa.Column("revenue_minor", sa.BigInteger, nullable=False),
    )
    op.create_index(
        "ix_analytics_products_daily_gtin_day", "analytics_products_daily", ["gtin", "day"]
    )


def downgrade() -> None:
    op.drop_table("analytics_products_daily")
    op.drop_table("analytics_baskets_daily")
    op.drop_table("analytics_sales_hourly")
