"""When a refund's points and coupons were booked.

Revision ID: 0021_refund_loyalty
Revises: 0020_problem_photos

`refunds.loyalty_booked_at`: a refund's points (earned taken back, spent returned) and
coupons go back once the money has, in the transaction that records it `refunded`
(`central.refunds.service`); NULL until then, and for good on a refund that failed.
Refunds recorded before booked them when they were recorded, whatever the provider then
said, so they are marked booked at their `created_at`: settling one still `processing`
must not book it a second time.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021_refund_loyalty"
down_revision = "0020_problem_photos"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("refunds", sa.Column("loyalty_booked_at", sa.BigInteger()))
    op.execute("UPDATE refunds SET loyalty_booked_at = created_at")


def downgrade() -> None:
    with op.batch_alter_table("refunds") as batch:
        batch.drop_column("loyalty_booked_at")
