"""Community group-buy: campaigns, orders, refunds, pickups, webhooks (issue #17).

Revision ID: 0012_group_buy
Revises: 0011_admin_console
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_group_buy"
down_revision = "0011_admin_console"
branch_labels = None
depends_on = None


def _campaign_fk() -> sa.ForeignKey:
    return sa.ForeignKey("groupbuy_campaigns.campaign_id")


def _order_fk() -> sa.ForeignKey:
    return sa.ForeignKey("groupbuy_orders.order_id")


def upgrade() -> None:
    op.create_table(
        "groupbuy_campaigns",
        sa.Column("campaign_id", sa.String(36), primary_key=True),
        sa.Column("store_id", sa.String(64), nullable=False),
        sa.Column("leader", sa.String(128), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("cutoff_ms", sa.BigInteger, nullable=False),
        sa.Column("pickup_from_ms", sa.BigInteger, nullable=False),
        sa.Column("pickup_until_ms", sa.BigInteger, nullable=False),
        sa.Column("commission_bp", sa.Integer, nullable=False),
        sa.Column("unclaimed_policy", sa.String(8), nullable=False),
        sa.Column("keep_days", sa.Integer, nullable=False),
        sa.Column("webhook_url", sa.String(500)),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("final_buyers", sa.Integer),
        sa.Column("cut_off_ms", sa.BigInteger),
        sa.Column("created_by", sa.String(128), nullable=False),
        sa.Column("created_ms", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_groupbuy_campaigns_store_id", "groupbuy_campaigns", ["store_id"])
    op.create_table(
        "groupbuy_items",
        sa.Column("campaign_id", sa.String(36), _campaign_fk(), primary_key=True),
        sa.Column("gtin", sa.String(14), primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("names", sa.Text, nullable=False),
        sa.Column("price_minor", sa.BigInteger, nullable=False),
        sa.Column("tiers", sa.Text, nullable=False),
        sa.Column("per_person", sa.Integer, nullable=False),
        sa.Column("stock", sa.Integer, nullable=False),
    )
    op.create_table(
        "groupbuy_orders",
        sa.Column("order_id", sa.String(36), primary_key=True),
        sa.Column("campaign_id", sa.String(36), _campaign_fk(), nullable=False),
        sa.Column("buyer", sa.String(64), nullable=False),
        sa.Column("buyer_key", sa.String(64), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("payment_id", sa.String(36), nullable=False, unique=True),
        sa.Column("paid_minor", sa.BigInteger, nullable=False),
        sa.Column("final_minor", sa.BigInteger),
        sa.Column("created_ms", sa.BigInteger, nullable=False),
        sa.Column("paid_ms", sa.BigInteger),
        sa.Column("ready_ms", sa.BigInteger),
        sa.Column("collected_ms", sa.BigInteger),
        sa.Column("kept_until_ms", sa.BigInteger),
    )
    op.create_index(
        "ix_groupbuy_orders_campaign_status", "groupbuy_orders", ["campaign_id", "status"]
    )
    op.create_index(
        "ix_groupbuy_orders_campaign_buyer", "groupbuy_orders", ["campaign_id", "buyer_key"]
    )
    op.create_table(
        "groupbuy_lines",
        sa.Column("order_id", sa.String(36), _order_fk(), primary_key=True),
        sa.Column("gtin", sa.String(14), primary_key=True),
        sa.Column("quantity", sa.Integer, nullable=False),
        sa.Column("unit_minor", sa.BigInteger, nullable=False),
        sa.Column("final_unit_minor", sa.BigInteger),
        sa.Column("collected", sa.Integer, nullable=False),
    )
    op.create_table(
        "groupbuy_refunds",
        sa.Column("refund_id", sa.String(36), primary_key=True),
        sa.Column("order_id", sa.String(36), _order_fk(), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("amount_minor", sa.BigInteger, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("provider_ref", sa.String(128)),
        sa.Column("failure", sa.String(200)),
        sa.Column("created_ms", sa.BigInteger, nullable=False),
        sa.Column("updated_ms", sa.BigInteger, nullable=False),
        sa.UniqueConstraint("order_id", "kind", name="uq_groupbuy_refunds_order_kind"),
    )
    op.create_table(
        "groupbuy_pickups",
        sa.Column("pickup_id", sa.String(36), primary_key=True),
        sa.Column("order_id", sa.String(36), _order_fk(), nullable=False),
        sa.Column("lines", sa.Text, nullable=False),
        sa.Column("by", sa.String(128), nullable=False),
        sa.Column("at_ms", sa.BigInteger, nullable=False),
        sa.Column("result", sa.String(8), nullable=False),
    )
    op.create_index("ix_groupbuy_pickups_order", "groupbuy_pickups", ["order_id"])
    op.create_table(
        "groupbuy_webhooks",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("campaign_id", sa.String(36), _campaign_fk(), nullable=False),
        sa.Column("url", sa.String(500), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("delivered_ms", sa.BigInteger),
        sa.Column("last_error", sa.String(200)),
        sa.Column("created_ms", sa.BigInteger, nullable=False),
    )
    op.create_index(
        "ix_groupbuy_webhooks_pending", "groupbuy_webhooks", ["delivered_ms", "attempts"]
    )


def downgrade() -> None:
    for table in (
        "groupbuy_webhooks",
        "groupbuy_pickups",
        "groupbuy_refunds",
        "groupbuy_lines",
        "groupbuy_orders",
        "groupbuy_items",
        "groupbuy_campaigns",
    ):
        op.drop_table(table)
