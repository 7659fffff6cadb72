"""Wrong enrolment codes and operator tokens are counted, to throttle guessing.

Revision ID: 0006_auth_failures
Revises: 0005_exit_key_history
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_auth_failures"
down_revision = "0005_exit_key_history"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "auth_failures",
        sa.Column("scope", sa.String(16), primary_key=True),
        sa.Column("source", sa.String(64), primary_key=True),
        sa.Column("minute", sa.BigInteger, primary_key=True),
        sa.Column("count", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("auth_failures")
