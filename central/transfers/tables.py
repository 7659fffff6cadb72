"""Suspended carts and their resumes, one row per cart and event; double resumes apart."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Integer, String, Table, Text

from central.db import metadata

cart_transfers = Table(
    "cart_transfers",
    metadata,
    Column("cart_id", String(36), primary_key=True),
    Column("event", String(16), primary_key=True),
    Column("store_id", String(64), nullable=False, index=True),
    Column("kiosk_id", String(64), nullable=False),
    Column("from_kiosk_id", String(64), nullable=False),
    Column("number", String(10), nullable=False, index=True),
    Column("at", String(40), nullable=False),
    Column("staff_id", String(128), nullable=False),
    Column("document", Text, nullable=False),
    Column("received_ms", BigInteger, nullable=False),
)

cart_double_resumes = Table(
    "cart_double_resumes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("cart_id", String(36), nullable=False, index=True),
    Column("store_id", String(64), nullable=False),
    Column("first_kiosk_id", String(64), nullable=False),
    Column("first_at", String(40), nullable=False),
    Column("kiosk_id", String(64), nullable=False),
    Column("at", String(40), nullable=False),
    Column("staff_id", String(128), nullable=False),
    Column("received_ms", BigInteger, nullable=False),
)
