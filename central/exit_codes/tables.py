"""Kiosks' exit-code keys and the uses of each code. Times are Unix milliseconds."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Integer, String, Table

from central.db import metadata

exit_keys = Table(
    "exit_keys",
    metadata,
    Column("kiosk_id", String(64), primary_key=True),
    Column("store_id", String(64), nullable=False),
    Column("public_key", String(64), nullable=False),
    Column("registered_at", BigInteger, nullable=False),
)

exit_key_history = Table(
    "exit_key_history",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kiosk_id", String(64), nullable=False, index=True),
    Column("store_id", String(64), nullable=False),
    Column("public_key", String(64), nullable=False),
    Column("requested_at", BigInteger, nullable=False),
    # A kiosk's first key is approved by its enrolment; a change, by an operator. Codes
    # signed while a key was in force (approved_at <= paid_at < retired_at) verify with it.
    Column("approved_at", BigInteger),
    Column("approved_by", String(128)),
    Column("retired_at", BigInteger),
)

exit_code_uses = Table(
    "exit_code_uses",
    metadata,
    # One row per sale: the primary key is what makes a second use detectable
    # across replicas.
    Column("sale_id", String(36), primary_key=True),
    Column("kiosk_id", String(64), nullable=False),
    Column("first_used_at", BigInteger, nullable=False),
    Column("first_used_by", String(128), nullable=False),
    Column("uses", Integer, nullable=False),
)

exit_code_reuses = Table(
    "exit_code_reuses",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sale_id", String(36), nullable=False, index=True),
    Column("kiosk_id", String(64), nullable=False),
    Column("first_used_at", BigInteger, nullable=False),
    Column("first_used_by", String(128), nullable=False),
    Column("reused_at", BigInteger, nullable=False),
    Column("reused_by", String(128), nullable=False),
)
