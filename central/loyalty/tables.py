"""Members, their points ledger (append-only; balances are sums), wallets, coupon
redemptions with single use, member merges and coupon serial counters."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Index, Integer, String, Table, Text

from central.db import metadata

members = Table(
    "members",
    metadata,
    Column("member_id", String(36), primary_key=True),
    Column("member_code", String(32), nullable=False, unique=True),
    Column("phone_hash", String(64), nullable=False, unique=True),
    Column("tier", String(32), nullable=False),
    Column("consent", Text, nullable=False),
    Column("store_id", String(64), nullable=False),
    Column("kiosk_id", String(64), nullable=False),
    Column("created_at", String(64), nullable=False),
    Column("received_at", BigInteger, nullable=False),
    Column("body_hash", String(64), nullable=False),
)

member_ledger = Table(
    "member_ledger",
    metadata,
    Column("event_id", String(36), primary_key=True),
    Column("member_id", String(36), nullable=False, index=True),
    Column("kind", String(32), nullable=False),
    Column("points", BigInteger, nullable=False),
    Column("sale_id", String(36)),
    Column("at", String(64), nullable=False),
    Column("data", Text, nullable=False),
    Column("kiosk_id", String(64), nullable=False),
    # The store of the kiosk that booked it; None for an operator's event ("central").
    Column("store_id", String(64)),
    Column("received_at", BigInteger, nullable=False),
    Column("body_hash", String(64), nullable=False),
)

wallet = Table(
    "loyalty_wallet",
    metadata,
    Column("code", String(128), primary_key=True),
    Column("coupon_id", String(64), nullable=False, index=True),
    Column("member_id", String(36), nullable=False, index=True),
    Column("campaign_id", String(64), nullable=False),
    Column("channel", String(32), nullable=False),
    Column("issued_at", BigInteger, nullable=False),
)

redemptions = Table(
    "loyalty_redemptions",
    metadata,
    Column("redemption_id", String(36), primary_key=True),
    Column("code", String(128), nullable=False, index=True),
    Column("coupon_id", String(64), nullable=False),
    Column("member_id", String(36)),
    Column("sale_id", String(36), nullable=False),
    Column("store_id", String(64), nullable=False),
    Column("kiosk_id", String(64), nullable=False),
    Column("at", String(64), nullable=False),
    Column("amount_minor", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("source", String(16), nullable=False),
    Column("offline", Boolean, nullable=False),
    Column("status", String(16), nullable=False),
    Column("received_at", BigInteger, nullable=False),
    Column("body_hash", String(64), nullable=False),
)

coupon_uses = Table(
    "loyalty_coupon_uses",
    metadata,
    Column("code", String(128), primary_key=True),
    Column("redemption_id", String(36), nullable=False),
    Column("used_at", BigInteger, nullable=False),
)

member_aliases = Table(
    "loyalty_member_aliases",
    metadata,
    Column("member_id", String(36), primary_key=True),
    Column("canonical_id", String(36), nullable=False, index=True),
    Column("merged_at", BigInteger, nullable=False),
)

issue_counters = Table(
    "loyalty_issue_counters",
    metadata,
    Column("coupon_id", String(64), primary_key=True),
    Column("value", Integer, nullable=False),
)

# Every tier change (`members.recompute_tiers`): members keep only their current tier, the
# reports need the moves. The member's sign-up store and kiosk, for the reports' filters.
member_tier_moves = Table(
    "member_tier_moves",
    metadata,
    Column("move_id", Integer, primary_key=True, autoincrement=True),
    Column("member_id", String(36), nullable=False),
    Column("store_id", String(64), nullable=False),
    Column("kiosk_id", String(64), nullable=False),
    Column("from_tier", String(32), nullable=False),
    Column("to_tier", String(32), nullable=False),
    Column("at_ms", BigInteger, nullable=False),
    Index("ix_member_tier_moves_at", "at_ms"),
)
