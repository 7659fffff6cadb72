"""Sales as received, their refunds, conflicts kept for review, and the kiosks' journals
with the issues found in them. Times are Unix ms, amounts minor units."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Index, Integer, String, Table, Text
from sqlalchemy import UniqueConstraint as Unique

from central.db import metadata

sales = Table(
    "sales",
    metadata,
    Column("sale_id", String(36), primary_key=True),
    Column("kiosk_id", String(64), nullable=False),
    Column("store_id", String(64), nullable=False),
    Column("sequence", BigInteger, nullable=False),
    Column("status", String(16), nullable=False),
    Column("training", Boolean, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("total_minor", BigInteger, nullable=False),
    Column("item_count", Integer, nullable=False),
    Column("created_at", String(64), nullable=False),
    Column("received_at", BigInteger, nullable=False),
    Column("body_hash", String(64), nullable=False),
    Column("document", Text, nullable=False),
    # A kiosk numbers its sales without gaps; one number, one sale.
    Unique("kiosk_id", "sequence", name="uq_sales_kiosk_sequence"),
    Index("ix_sales_store_kiosk", "store_id", "kiosk_id"),
)

# Refunds of stored sales (`central.payments.refunds`): the money side of returns, kept
# here so the sales report nets them out.
refunds = Table(
    "refunds",
    metadata,
    Column("refund_id", String(36), primary_key=True),
    Column("sale_id", String(36), nullable=False, index=True),
    Column("kiosk_id", String(64), nullable=False),
    Column("store_id", String(64), nullable=False),
    # The sale's provider ("sandbox", "wechat", "alipay_code", …) or "cash".
    Column("method", String(64), nullable=False),
    Column("payment_id", String(36)),
    Column("amount_minor", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("status", String(16), nullable=False),
    Column("provider_ref", String(128)),
    Column("failure", String(200)),
    Column("refunded_at", BigInteger),
    # When its points and coupons were booked (once the money went back; migration 0021).
    Column("loyalty_booked_at", BigInteger),
    Column("body_hash", String(64), nullable=False),
    Column("document", Text, nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
)

conflicts = Table(
    "conflicts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("entity", String(16), nullable=False),
    Column("entity_id", String(64), nullable=False),
    Column("kiosk_id", String(64), nullable=False),
    Column("reason", String(64), nullable=False),
    Column("body_hash", String(64), nullable=False),
    Column("document", Text, nullable=False),
    Column("received_at", BigInteger, nullable=False),
    # The same conflicting body re-sent is kept once.
    Unique("entity", "entity_id", "body_hash", name="uq_conflicts_body"),
)

journal = Table(
    "journal",
    metadata,
    Column("kiosk_id", String(64), primary_key=True),
    Column("idx", BigInteger, primary_key=True),
    Column("kind", String(64), nullable=False),
    Column("at", String(64), nullable=False),
    Column("actor", String(128), nullable=False),
    Column("payload", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Column("received_at", BigInteger, nullable=False),
)

journal_issues = Table(
    "journal_issues",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kiosk_id", String(64), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("idx", BigInteger, nullable=False),
    Column("detail", Text, nullable=False),
    Column("detected_at", BigInteger, nullable=False),
    Unique("kiosk_id", "kind", "idx", name="uq_journal_issues"),
)
