"""Refunds of sales (issue #14.2).

Revision ID: 0010_refunds
Revises: 0009_cart_transfers
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_refunds"
down_revision = "0009_cart_transfers"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "refunds",
        sa.Column("refund_id", sa.String(36), primary_key=True),
        sa.Column("sale_id", sa.String(36), nullable=False),
        sa.Column("kiosk_id", sa.String(64), nullable=False),
        sa.Column("store_id", sa.String(64), nullable=False),
        sa.Column("method", sa.String(64), nullable=False),
        sa.Column("payment_id", sa.String(36)),
        sa.Column("amount_minor", sa.BigInteger, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("provider_ref", sa.String(128)),
        sa.Column("failure", sa.String(200)),
        sa.Column("refunded_at", sa.BigInteger),
        sa.Column("body_hash", sa.String(64), nullable=False),
        sa.Column("document", sa.Text, nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("updated_at", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_refunds_sale_id", "refunds", ["sale_id"])


def downgrade() -> None:
    op.drop_index("ix_refunds_sale_id", table_name="refunds")
    op.drop_table("refunds")
