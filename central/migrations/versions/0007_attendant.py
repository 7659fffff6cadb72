"""The attendant console: alerts, kiosks' live state, staff commands, console sign-ins.

Revision ID: 0007_attendant
Revises: 0006_auth_failures
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_attendant"
down_revision = "0006_auth_failures"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "attendant_alerts",
        sa.Column("alert_id", sa.String(36), primary_key=True),
        sa.Column("kiosk_id", sa.String(64), nullable=False, index=True),
        sa.Column("store_id", sa.String(64), nullable=False, index=True),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("line_no", sa.Integer),
        sa.Column("amount_minor", sa.BigInteger),
        sa.Column("currency", sa.String(3)),
        sa.Column("raised_at", sa.String(40), nullable=False),
        sa.Column("acknowledged_at", sa.String(40)),
        sa.Column("acknowledged_by", sa.String(128)),
        sa.Column("closed_at", sa.String(40)),
        sa.Column("closed_by", sa.String(128)),
        sa.Column("received_ms", sa.BigInteger, nullable=False),
        sa.Column("updated_ms", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "attendant_live",
        sa.Column("kiosk_id", sa.String(64), primary_key=True),
        sa.Column("store_id", sa.String(64), nullable=False, index=True),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("reported_ms", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "attendant_commands",
        sa.Column("command_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kiosk_id", sa.String(64), nullable=False, index=True),
        sa.Column("store_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("alert_id", sa.String(36)),
        sa.Column("staff_id", sa.String(128), nullable=False),
        sa.Column("staff_name", sa.String(100), nullable=False),
        sa.Column("created_ms", sa.BigInteger, nullable=False),
        sa.Column("done_ms", sa.BigInteger),
    )
    op.create_table(
        "attendant_sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("staff_id", sa.String(128), nullable=False),
        sa.Column("staff_name", sa.String(100), nullable=False),
        sa.Column("store_id", sa.String(64), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("created_ms", sa.BigInteger, nullable=False),
        sa.Column("expires_ms", sa.BigInteger, nullable=False),
    )


def downgrade() -> None:
    for table in ("attendant_sessions", "attendant_commands", "attendant_live", "attendant_alerts"):
        op.drop_table(table)
