"""Operators, enrolment codes, kiosks and the nonces of signed requests. Times are Unix ms."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Index, Integer, String, Table, Text

from central.db import metadata

operators = Table(
    "operators",
    metadata,
    Column("token_id", String(32), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("token_hash", String(64), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("revoked", Boolean, nullable=False),
)

enrolment_codes = Table(
    "enrolment_codes",
    metadata,
    Column("code_hash", String(64), primary_key=True),
    Column("store_id", String(64), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("expires_at", BigInteger, nullable=False),
    Column("used_at", BigInteger),
    Column("kiosk_id", String(64)),
    # The console form's one-time token (hashed): a resent form makes no second code.
    Column("form_hash", String(64)),
    Index("ux_enrolment_codes_form", "form_hash", unique=True),
)

kiosks = Table(
    "kiosks",
    metadata,
    Column("kiosk_id", String(64), primary_key=True),
    Column("store_id", String(64), nullable=False),
    Column("key_id", String(64), nullable=False, unique=True),
    Column("name", String(100), nullable=False),
    Column("enrolled_at", BigInteger, nullable=False),
    Column("revoked_at", BigInteger),
    Column("last_seen_at", BigInteger),
    Column("heartbeat", Text),
)

nonces = Table(
    "nonces",
    metadata,
    Column("key_id", String(64), primary_key=True),
    Column("nonce", String(64), primary_key=True),
    Column("seen_at", BigInteger, nullable=False, index=True),
)

auth_failures = Table(
    "auth_failures",
    metadata,
    # Wrong enrolment codes and operator tokens per source address and minute: in the
    # database, so every replica counts the same attempts.
    Column("scope", String(16), primary_key=True),
    Column("source", String(64), primary_key=True),
    Column("minute", BigInteger, primary_key=True),
    Column("count", Integer, nullable=False),
)
