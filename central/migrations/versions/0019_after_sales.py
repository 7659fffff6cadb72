"""A group-buy campaign's after-sales window.

Revision ID: 0019_after_sales
Revises: 0018_enrolment_form

`groupbuy_campaigns.after_sales_hours`: how many hours after a product is collected a buyer
may report a problem with it (`central.groupbuy.service.report_problem`). NULL for the
campaigns made before, which keep taking reports any time, as they promised.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019_after_sales"
down_revision = "0018_enrolment_form"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("groupbuy_campaigns", sa.Column("after_sales_hours", sa.Integer()))


def downgrade() -> None:
    with op.batch_alter_table("groupbuy_campaigns") as batch:
        batch.drop_column("after_sales_hours")
