"""Suspended carts resumed at another kiosk (#13.4): one row per cart and event, and the
double resumes two offline kiosks can make.

Revision ID: 0009_cart_transfers
Revises: 0008_wechat_certificates
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_cart_transfers"
down_revision = "0008_wechat_certificates"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cart_transfers",
        sa.Column("cart_id", sa.String(36), primary_key=True),
        sa.Column("event", sa.String(16), primary_key=True),
        sa.Column("store_id", sa.String(64), nullable=False, index=True),
        sa.Column("kiosk_id", sa.String(64), nullable=False),
        sa.Column("from_kiosk_id", sa.String(64), nullable=False),
        sa.Column("number", sa.String(10), nullable=False, index=True),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("staff_id", sa.String(128), nullable=False),
        sa.Column("document", sa.Text, nullable=False),
        sa.Column("received_ms", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "cart_double_resumes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("cart_id", sa.String(36), nullable=False, index=True),
        sa.Column("store_id", sa.String(64), nullable=False),
        sa.Column("first_kiosk_id", sa.String(64), nullable=False),
        sa.Column("first_at", sa.String(40), nullable=False),
        sa.Column("kiosk_id", sa.String(64), nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("staff_id", sa.String(128), nullable=False),
        sa.Column("received_ms", sa.BigInteger, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("cart_double_resumes")
    op.drop_table("cart_transfers")
