"""Initial schema: operators, enrolment, kiosks, nonces, feeds, sales, journal, members.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meta", sa.Column("key", sa.String(64), primary_key=True), sa.Column("value", sa.Text)
    )
    # The epoch names this database: a cursor minted by another database is refused
    # instead of silently skipping changes.
    op.execute(
        sa.text("INSERT INTO meta (key, value) VALUES ('epoch', :v)").bindparams(v=uuid.uuid4().hex)
    )
    op.create_table(
        "operators",
        sa.Column("token_id", sa.String(32), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("revoked", sa.Boolean, nullable=False),
    )
    op.create_table(
        "enrolment_codes",
        sa.Column("code_hash", sa.String(64), primary_key=True),
        sa.Column("store_id", sa.String(64), nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("expires_at", sa.BigInteger, nullable=False),
        sa.Column("used_at", sa.BigInteger),
        sa.Column("kiosk_id", sa.String(64)),
    )
    op.create_table(
        "kiosks",
        sa.Column("kiosk_id", sa.String(64), primary_key=True),
        sa.Column("store_id", sa.String(64), nullable=False),
        sa.Column("key_id", sa.String(64), nullable=False, unique=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("enrolled_at", sa.BigInteger, nullable=False),
        sa.Column("revoked_at", sa.BigInteger),
        sa.Column("last_seen_at", sa.BigInteger),
        sa.Column("heartbeat", sa.Text),
    )
    op.create_table(
        "nonces",
        sa.Column("key_id", sa.String(64), primary_key=True),
        sa.Column("nonce", sa.String(64), primary_key=True),
        sa.Column("seen_at", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_nonces_seen_at", "nonces", ["seen_at"])
    op.create_table(
        "feed_counters",
        sa.Column("feed", sa.String(32), primary_key=True),
        sa.Column("value", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "feed_items",
        sa.Column("feed", sa.String(32), primary_key=True),
        sa.Column("key", sa.String(128), primary_key=True),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("deleted", sa.Boolean, nullable=False),
        sa.Column("data", sa.Text),
    )
    op.create_index("ux_feed_items_seq", "feed_items", ["feed", "seq"], unique=True)
    op.create_table(
        "sales",
        sa.Column("sale_id", sa.String(36), primary_key=True),
        sa.Column("kiosk_id", sa.String(64), nullable=False),
        sa.Column("store_id", sa.String(64), nullable=False),
        sa.Column("sequence", sa.BigInteger, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("training", sa.Boolean, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("total_minor", sa.BigInteger, nullable=False),
        sa.Column("item_count", sa.Integer, nullable=False),
        sa.Column("created_at", sa.String(64), nullable=False),
        sa.Column("received_at", sa.BigInteger, nullable=False),
        sa.Column("body_hash", sa.String(64), nullable=False),
        sa.Column("document", sa.Text, nullable=False),
        # A kiosk numbers its sales without gaps; one number, one sale.
        sa.UniqueConstraint("kiosk_id", "sequence", name="uq_sales_kiosk_sequence"),
    )
    op.create_index("ix_sales_store_kiosk", "sales", ["store_id", "kiosk_id"])
    op.create_table(
        "conflicts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("entity", sa.String(16), nullable=False),
        sa.Column("entity_id", sa.String(64), nullable=False),
        sa.Column("kiosk_id", sa.String(64), nullable=False),
        sa.Column("reason", sa.String(64), nullable=False),
        sa.Column("body_hash", sa.String(64), nullable=False),
        sa.Column("document", sa.Text, nullable=False),
        sa.Column("received_at", sa.BigInteger, nullable=False),
        # The same conflicting body re-sent is kept once.
        sa.UniqueConstraint("entity", "entity_id", "body_hash", name="uq_conflicts_body"),
    )
    op.create_table(
        "journal",
        sa.Column("kiosk_id", sa.String(64), primary_key=True),
        sa.Column("idx", sa.BigInteger, primary_key=True),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("at", sa.String(64), nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("received_at", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "journal_issues",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kiosk_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("idx", sa.BigInteger, nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("detected_at", sa.BigInteger, nullable=False),
        sa.UniqueConstraint("kiosk_id", "kind", "idx", name="uq_journal_issues"),
    )
    op.create_table(
        "members",
        sa.Column("member_id", sa.String(36), primary_key=True),
        sa.Column("member_code", sa.String(32), nullable=False, unique=True),
        sa.Column("phone_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("tier", sa.String(32), nullable=False),
        sa.Column("consent", sa.Text, nullable=False),
        sa.Column("store_id", sa.String(64), nullable=False),
        sa.Column("kiosk_id", sa.String(64), nullable=False),
        sa.Column("created_at", sa.String(64), nullable=False),
        sa.Column("received_at", sa.BigInteger, nullable=False),
        sa.Column("body_hash", sa.String(64), nullable=False),
    )
    op.create_table(
        "member_ledger",
        sa.Column("event_id", sa.String(36), primary_key=True),
        sa.Column("member_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("points", sa.BigInteger, nullable=False),
        sa.Column("sale_id", sa.String(36)),
        sa.Column("at", sa.String(64), nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("kiosk_id", sa.String(64), nullable=False),
        sa.Column("received_at", sa.BigInteger, nullable=False),
        sa.Column("body_hash", sa.String(64), nullable=False),
    )
    op.create_index("ix_member_ledger_member_id", "member_ledger", ["member_id"])


def downgrade() -> None:
    for name in (
        "member_ledger",
        "members",
        "journal_issues",
        "journal",
        "conflicts",
        "sales",
        "feed_items",
        "feed_counters",
        "nonces",
        "kiosks",
        "enrolment_codes",
        "operators",
        "meta",
    ):
        op.drop_table(name)
