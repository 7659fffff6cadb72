"""An alert names the item it is about by its code (#16).

Revision ID: 0016_alert_item
Revises: 0015_console_reports

`attendant_alerts.gtin`: the product of an age check, or the unknown, recalled or
unsellable item a shopper put aside, so staff know which one to look for. Empty for the
alerts stored before, and for those about no item.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016_alert_item"
down_revision = "0015_console_reports"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("attendant_alerts", sa.Column("gtin", sa.String(14)))


def downgrade() -> None:
    with op.batch_alter_table("attendant_alerts") as batch:
        batch.drop_column("gtin")
