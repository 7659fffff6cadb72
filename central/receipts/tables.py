"""The exit code a kiosk handed in with a sale, shown on its e-receipt."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, String, Table, Text

from central.db import metadata

sale_exit_codes = Table(
    "sale_exit_codes",
    metadata,
    Column("sale_id", String(36), primary_key=True),
    Column("kiosk_id", String(64), nullable=False),
    Column("code", Text, nullable=False),
    Column("stored_at", BigInteger, nullable=False),
)
