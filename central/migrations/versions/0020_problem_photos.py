"""A buyer's photo with a group-buy problem report.

Revision ID: 0020_problem_photos
Revises: 0019_after_sales

`groupbuy_problem_photos`: at most one per problem, kept as the service re-encoded it
(`central.groupbuy.photos.kept_photo`), for the store to see before it refunds.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020_problem_photos"
down_revision = "0019_after_sales"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "groupbuy_problem_photos",
        sa.Column(
            "problem_id",
            sa.String(36),
            sa.ForeignKey("groupbuy_problems.problem_id"),
            primary_key=True,
        ),
        sa.Column("jpeg", sa.LargeBinary(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("created_ms", sa.BigInteger(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("groupbuy_problem_photos")
