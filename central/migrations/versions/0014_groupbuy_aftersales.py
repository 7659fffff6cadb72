"""Group-buy after-sales: ratings, problems reported by buyers and their refunds, the
sale a pickup was part of.

Revision ID: 0014_groupbuy_aftersales
Revises: 0013_analytics

A problem's refund is a `groupbuy_refunds` row of kind `problem`; an order may have one
per problem, so the refunds' unique key becomes (order, kind, problem), the problem
being '' for the other kinds (one per order and kind, as before).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_groupbuy_aftersales"
down_revision = "0013_analytics"
branch_labels = None
depends_on = None


def _order_fk() -> sa.ForeignKey:
    return sa.ForeignKey("groupbuy_orders.order_id")


def _campaign_fk() -> sa.ForeignKey:
    return sa.ForeignKey("groupbuy_campaigns.campaign_id")


def upgrade() -> None:
    op.create_table(
        "groupbuy_reviews",
        sa.Column("order_id", sa.String(36), _order_fk(), primary_key=True),
        sa.Column("campaign_id", sa.String(36), _campaign_fk(), nullable=False),
        sa.Column("stars", sa.Integer, nullable=False),
        sa.Column("text", sa.String(500), nullable=False),
        sa.Column("created_ms", sa.BigInteger, nullable=False),
        sa.Column("updated_ms", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_groupbuy_reviews_campaign", "groupbuy_reviews", ["campaign_id"])
    op.create_table(
        "groupbuy_problems",
        sa.Column("problem_id", sa.String(36), primary_key=True),
        sa.Column("order_id", sa.String(36), _order_fk(), nullable=False),
        sa.Column("campaign_id", sa.String(36), _campaign_fk(), nullable=False),
        sa.Column("store_id", sa.String(64), nullable=False),
        sa.Column("gtin", sa.String(14), nullable=False),
        sa.Column("quantity", sa.Integer, nullable=False),
        sa.Column("reason", sa.String(12), nullable=False),
        sa.Column("note", sa.String(500), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("amount_minor", sa.BigInteger),
        sa.Column("answer", sa.String(500)),
        sa.Column("resolved_by", sa.String(128)),
        sa.Column("created_ms", sa.BigInteger, nullable=False),
        sa.Column("resolved_ms", sa.BigInteger),
    )
    op.create_index("ix_groupbuy_problems_order", "groupbuy_problems", ["order_id"])
    op.create_index(
        "ix_groupbuy_problems_store_status", "groupbuy_problems", ["store_id", "status"]
    )
    op.create_index("ix_groupbuy_problems_campaign", "groupbuy_problems", ["campaign_id", "status"])
    with op.batch_alter_table("groupbuy_refunds") as batch:
        batch.add_column(sa.Column("problem_id", sa.String(36), nullable=False, server_default=""))
        batch.drop_constraint("uq_groupbuy_refunds_order_kind", type_="unique")
        batch.create_unique_constraint(
            "uq_groupbuy_refunds_order_kind_problem", ["order_id", "kind", "problem_id"]
        )
    with op.batch_alter_table("groupbuy_pickups") as batch:
        batch.add_column(sa.Column("sale_id", sa.String(36)))
    op.create_index("ix_groupbuy_pickups_sale", "groupbuy_pickups", ["sale_id"])


def downgrade() -> None:
    op.drop_index("ix_groupbuy_pickups_sale", "groupbuy_pickups")
    with op.batch_alter_table("groupbuy_pickups") as batch:
        batch.drop_column("sale_id")
    op.execute("DELETE FROM groupbuy_refunds WHERE kind = 'problem'")
    with op.batch_alter_table("groupbuy_refunds") as batch:
        batch.drop_constraint("uq_groupbuy_refunds_order_kind_problem", type_="unique")
        batch.create_unique_constraint("uq_groupbuy_refunds_order_kind", ["order_id", "kind"])
        batch.drop_column("problem_id")
    op.drop_table("groupbuy_problems")
    op.drop_table("groupbuy_reviews")
