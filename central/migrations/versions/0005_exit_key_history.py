"""Exit-code keys keep their history; a key change waits for an operator's approval.

Revision ID: 0005_exit_key_history
Revises: 0004_ledger_store
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_exit_key_history"
down_revision = "0004_ledger_store"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exit_key_history",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kiosk_id", sa.String(64), nullable=False),
        sa.Column("store_id", sa.String(64), nullable=False),
        sa.Column("public_key", sa.String(64), nullable=False),
        sa.Column("requested_at", sa.BigInteger, nullable=False),
        sa.Column("approved_at", sa.BigInteger),
        sa.Column("approved_by", sa.String(128)),
        sa.Column("retired_at", sa.BigInteger),
    )
    op.create_index("ix_exit_key_history_kiosk_id", "exit_key_history", ["kiosk_id"])
    # The keys in force now start their history.
    op.execute(
        "INSERT INTO exit_key_history (kiosk_id, store_id, public_key, requested_at, "
        "approved_at, approved_by) SELECT kiosk_id, store_id, public_key, registered_at, "
        "registered_at, 'migration' FROM exit_keys"
    )


def downgrade() -> None:
    op.drop_index("ix_exit_key_history_kiosk_id", table_name="exit_key_history")
    op.drop_table("exit_key_history")
