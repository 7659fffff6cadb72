"""Payment sessions, refused-callback flags and providers' notify nonces.

Times are Unix milliseconds, amounts minor units.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Index, Integer, String, Table, Text

from central.db import metadata

payments = Table(
    "payments",
    metadata,
    Column("payment_id", String(36), primary_key=True),
    Column("sale_id", String(36), nullable=False, index=True),
    Column("kiosk_id", String(64), nullable=False),
    Column("store_id", String(64), nullable=False),
    Column("provider", String(64), nullable=False),
    Column("amount_minor", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("description", String(127), nullable=False),
    Column("status", String(16), nullable=False),
    Column("qr_payload", Text),
    Column("expires_at", BigInteger),
    Column("provider_ref", String(128)),
    Column("paid_at", BigInteger),
    Column("late", Boolean, nullable=False),
    Column("failure", String(200)),
    # True while the order may still be paid at the provider (not yet closed there).
    Column("provider_open", Boolean, nullable=False),
    # When this service should next ask the provider (query or close) if no notify came.
    Column("next_check_at", BigInteger),
    Column("body_hash", String(64), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
    Index("ix_payments_status_expires", "status", "expires_at"),
)

payment_flags = Table(
    "payment_flags",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # The same refused callback re-sent (providers retry) is recorded once.
    Column("fingerprint", String(64), nullable=False, unique=True),
    Column("payment_id", String(36), index=True),
    Column("provider", String(64), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("detail", Text, nullable=False),
    Column("reference", String(128)),
    Column("amount_minor", BigInteger),
    Column("currency", String(3)),
    Column("document", Text, nullable=False),
    Column("created_at", BigInteger, nullable=False),
)

provider_nonces = Table(
    "provider_nonces",
    metadata,
    Column("provider", String(64), primary_key=True),
    Column("nonce", String(64), primary_key=True),
    Column("seen_at", BigInteger, nullable=False, index=True),
)

# WeChat Pay platform certificates as last downloaded, so callbacks verify after a
# restart even while WeChat's API is not reachable (`providers.wechat_certs`).
wechat_certificates = Table(
    "wechat_certificates",
    metadata,
    Column("mchid", String(32), primary_key=True),
    Column("serial_no", String(64), primary_key=True),
    Column("certificate", Text, nullable=False),
    Column("effective_at", BigInteger, nullable=False),
    Column("expire_at", BigInteger, nullable=False),
    Column("fetched_at", BigInteger, nullable=False),
)
