"""Kiosk use and tier moves in the reports, integrity items marked as dealt with (#15).

Revision ID: 0015_console_reports
Revises: 0013_analytics

`analytics_sales_hourly` gains the sales timed from first scan to paid and their seconds
(0 for the hours already summed: `central analytics rebuild` recomputes them from the
stored sales, which carry `first_scan_at` since this change); `member_tier_moves` keeps
every tier change from now on; `integrity_reviews` records who dealt with a conflict or
a chain issue, when, and how.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_console_reports"
down_revision = "0014_groupbuy_aftersales"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for name in ("timed_sales", "scan_to_pay_s"):
        op.add_column(
            "analytics_sales_hourly",
            sa.Column(name, sa.BigInteger, nullable=False, server_default="0"),
        )
    op.create_table(
        "member_tier_moves",
        sa.Column("move_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("member_id", sa.String(36), nullable=False),
        sa.Column("store_id", sa.String(64), nullable=False),
        sa.Column("kiosk_id", sa.String(64), nullable=False),
        sa.Column("from_tier", sa.String(32), nullable=False),
        sa.Column("to_tier", sa.String(32), nullable=False),
        sa.Column("at_ms", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_member_tier_moves_at", "member_tier_moves", ["at_ms"])
    op.create_table(
        "integrity_reviews",
        sa.Column("kind", sa.String(16), primary_key=True),
        sa.Column("item_id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("login", sa.String(64), nullable=False),
        sa.Column("at_ms", sa.BigInteger, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("integrity_reviews")
    op.drop_index("ix_member_tier_moves_at", "member_tier_moves")
    op.drop_table("member_tier_moves")
    with op.batch_alter_table("analytics_sales_hourly") as batch:
        batch.drop_column("scan_to_pay_s")
        batch.drop_column("timed_sales")
