"""Points ledger entries name the store of the kiosk that booked them.

Revision ID: 0004_ledger_store
Revises: 0003_loyalty
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_ledger_store"
down_revision = "0003_loyalty"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("member_ledger") as batch:
        batch.add_column(sa.Column("store_id", sa.String(64)))
    # Entries booked before this revision: their kiosk's store.
    op.execute(
        "UPDATE member_ledger SET store_id = "
        "(SELECT store_id FROM kiosks WHERE kiosks.kiosk_id = member_ledger.kiosk_id)"
    )


def downgrade() -> None:
    with op.batch_alter_table("member_ledger") as batch:
        batch.drop_column("store_id")
