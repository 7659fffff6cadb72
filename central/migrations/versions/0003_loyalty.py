"""Loyalty: wallets, coupon redemptions and single use, member merges, issue counters.

Promotions, coupons, campaigns and tiers are feed items (`feed_items`), not tables.

Revision ID: 0003_loyalty
Revises: 0002_payments
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_loyalty"
down_revision = "0002_payments"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "loyalty_wallet",
        sa.Column("code", sa.String(128), primary_key=True),
        sa.Column("coupon_id", sa.String(64), nullable=False),
        sa.Column("member_id", sa.String(36), nullable=False),
        sa.Column("campaign_id", sa.String(64), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("issued_at", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_loyalty_wallet_coupon_id", "loyalty_wallet", ["coupon_id"])
    op.create_index("ix_loyalty_wallet_member_id", "loyalty_wallet", ["member_id"])
    op.create_table(
        "loyalty_redemptions",
        sa.Column("redemption_id", sa.String(36), primary_key=True),
        sa.Column("code", sa.String(128), nullable=False),
        sa.Column("coupon_id", sa.String(64), nullable=False),
        sa.Column("member_id", sa.String(36)),
        sa.Column("sale_id", sa.String(36), nullable=False),
        sa.Column("store_id", sa.String(64), nullable=False),
        sa.Column("kiosk_id", sa.String(64), nullable=False),
        sa.Column("at", sa.String(64), nullable=False),
        sa.Column("amount_minor", sa.BigInteger, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("offline", sa.Boolean, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("received_at", sa.BigInteger, nullable=False),
        sa.Column("body_hash", sa.String(64), nullable=False),
    )
    op.create_index("ix_loyalty_redemptions_code", "loyalty_redemptions", ["code"])
    op.create_table(
        "loyalty_coupon_uses",
        sa.Column("code", sa.String(128), primary_key=True),
        sa.Column("redemption_id", sa.String(36), nullable=False),
        sa.Column("used_at", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "loyalty_member_aliases",
        sa.Column("member_id", sa.String(36), primary_key=True),
        sa.Column("canonical_id", sa.String(36), nullable=False),
        sa.Column("merged_at", sa.BigInteger, nullable=False),
    )
    op.create_index(
        "ix_loyalty_member_aliases_canonical_id", "loyalty_member_aliases", ["canonical_id"]
    )
    op.create_table(
        "loyalty_issue_counters",
        sa.Column("coupon_id", sa.String(64), primary_key=True),
        sa.Column("value", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "loyalty_issue_counters",
        "loyalty_member_aliases",
        "loyalty_coupon_uses",
        "loyalty_redemptions",
        "loyalty_wallet",
    ):
        op.drop_table(table)
