"""Payments: payment sessions, refused-callback flags, provider nonces, exit codes.

Revision ID: 0002_payments
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_payments"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "payments",
        sa.Column("payment_id", sa.String(36), primary_key=True),
        sa.Column("sale_id", sa.String(36), nullable=False, index=True),
        sa.Column("kiosk_id", sa.String(64), nullable=False),
        sa.Column("store_id", sa.String(64), nullable=False),
        sa.Column("provider", sa.String(64), nullable=False),
        sa.Column("amount_minor", sa.BigInteger, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("description", sa.String(127), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("qr_payload", sa.Text),
        sa.Column("expires_at", sa.BigInteger),
        sa.Column("provider_ref", sa.String(128)),
        sa.Column("paid_at", sa.BigInteger),
        sa.Column("late", sa.Boolean, nullable=False),
        sa.Column("failure", sa.String(200)),
        sa.Column("provider_open", sa.Boolean, nullable=False),
        sa.Column("next_check_at", sa.BigInteger),
        sa.Column("body_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("updated_at", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_payments_status_expires", "payments", ["status", "expires_at"])
    op.create_table(
        "payment_flags",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("fingerprint", sa.String(64), nullable=False, unique=True),
        sa.Column("payment_id", sa.String(36), index=True),
        sa.Column("provider", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("reference", sa.String(128)),
        sa.Column("amount_minor", sa.BigInteger),
        sa.Column("currency", sa.String(3)),
        sa.Column("document", sa.Text, nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "provider_nonces",
        sa.Column("provider", sa.String(64), primary_key=True),
        sa.Column("nonce", sa.String(64), primary_key=True),
        sa.Column("seen_at", sa.BigInteger, nullable=False, index=True),
    )
    op.create_table(
        "exit_keys",
        sa.Column("kiosk_id", sa.String(64), primary_key=True),
        sa.Column("store_id", sa.String(64), nullable=False),
        sa.Column("public_key", sa.String(64), nullable=False),
        sa.Column("registered_at", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "exit_code_uses",
        sa.Column("sale_id", sa.String(36), primary_key=True),
        sa.Column("kiosk_id", sa.String(64), nullable=False),
        sa.Column("first_used_at", sa.BigInteger, nullable=False),
        sa.Column("first_used_by", sa.String(128), nullable=False),
        sa.Column("uses", sa.Integer, nullable=False),
    )
    op.create_table(
        "exit_code_reuses",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("sale_id", sa.String(36), nullable=False, index=True),
        sa.Column("kiosk_id", sa.String(64), nullable=False),
        sa.Column("first_used_at", sa.BigInteger, nullable=False),
        sa.Column("first_used_by", sa.String(128), nullable=False),
        sa.Column("reused_at", sa.BigInteger, nullable=False),
        sa.Column("reused_by", sa.String(128), nullable=False),
    )
    op.create_table(
        "sale_exit_codes",
        sa.Column("sale_id", sa.String(36), primary_key=True),
        sa.Column("kiosk_id", sa.String(64), nullable=False),
        sa.Column("code", sa.Text, nullable=False),
        sa.Column("stored_at", sa.BigInteger, nullable=False),
    )


def downgrade() -> None:
    for name in (
        "sale_exit_codes",
        "exit_code_reuses",
        "exit_code_uses",
        "exit_keys",
        "provider_nonces",
        "payment_flags",
    ):
        op.drop_table(name)
    op.drop_index("ix_payments_status_expires", table_name="payments")
    op.drop_table("payments")
