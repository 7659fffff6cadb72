"""Alerts as kiosks report them, each kiosk's live state, staff decisions waiting for a
kiosk, and console sign-ins. Times the service keeps are Unix ms; the kiosk's own times
are kept as it sent them (ISO 8601 with offset)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Integer, String, Table, Text

from central.db import metadata

attendant_alerts = Table(
    "attendant_alerts",
    metadata,
    Column("alert_id", String(36), primary_key=True),
    Column("kiosk_id", String(64), nullable=False, index=True),
    Column("store_id", String(64), nullable=False, index=True),
    Column("reason", String(32), nullable=False),
    Column("state", String(16), nullable=False),
    Column("version", Integer, nullable=False),
    Column("line_no", Integer),
    Column("gtin", String(14)),
    Column("amount_minor", BigInteger),
    Column("currency", String(3)),
    Column("raised_at", String(40), nullable=False),
    Column("acknowledged_at", String(40)),
    Column("acknowledged_by", String(128)),
    Column("closed_at", String(40)),
    Column("closed_by", String(128)),
    Column("received_ms", BigInteger, nullable=False),
    Column("updated_ms", BigInteger, nullable=False),
)

attendant_live = Table(
    "attendant_live",
    metadata,
    Column("kiosk_id", String(64), primary_key=True),
    Column("store_id", String(64), nullable=False, index=True),
    Column("data", Text, nullable=False),
    Column("reported_ms", BigInteger, nullable=False),
)

attendant_commands = Table(
    "attendant_commands",
    metadata,
    Column("command_id", Integer, primary_key=True, autoincrement=True),
    Column("kiosk_id", String(64), nullable=False, index=True),
    Column("store_id", String(64), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("alert_id", String(36)),
    Column("staff_id", String(128), nullable=False),
    Column("staff_name", String(100), nullable=False),
    Column("created_ms", BigInteger, nullable=False),
    Column("done_ms", BigInteger),
)

attendant_sessions = Table(
    "attendant_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("staff_id", String(128), nullable=False),
    Column("staff_name", String(100), nullable=False),
    Column("store_id", String(64), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("created_ms", BigInteger, nullable=False),
    Column("expires_ms", BigInteger, nullable=False),
)
