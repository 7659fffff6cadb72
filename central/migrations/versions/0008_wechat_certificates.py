"""WeChat Pay platform certificates, downloaded and rotated.

Revision ID: 0008_wechat_certificates
Revises: 0007_attendant
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_wechat_certificates"
down_revision = "0007_attendant"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "wechat_certificates",
        sa.Column("mchid", sa.String(32), primary_key=True),
        sa.Column("serial_no", sa.String(64), primary_key=True),
        sa.Column("certificate", sa.Text, nullable=False),
        sa.Column("effective_at", sa.BigInteger, nullable=False),
        sa.Column("expire_at", sa.BigInteger, nullable=False),
        sa.Column("fetched_at", sa.BigInteger, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("wechat_certificates")
