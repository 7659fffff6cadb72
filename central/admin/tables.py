"""Console accounts with their roles, their server-side sessions, and the audit log of
every change made through the console. Times are Unix ms."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Index, Integer, String, Table, Text

from central.db import metadata

admin_accounts = Table(
    "admin_accounts",
    metadata,
    Column("login", String(64), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("role", String(16), nullable=False),
    # The stores a store manager runs, as a JSON list (empty for the chain-wide roles).
    Column("stores", Text, nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("failed_logins", Integer, nullable=False),
    Column("locked_until_ms", BigInteger),
    Column("created_ms", BigInteger, nullable=False),
    Column("updated_ms", BigInteger, nullable=False),
)

admin_sessions = Table(
    "admin_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("login", String(64), nullable=False, index=True),
    Column("csrf", String(64), nullable=False),
    Column("created_ms", BigInteger, nullable=False),
    Column("seen_ms", BigInteger, nullable=False),
    Column("expires_ms", BigInteger, nullable=False, index=True),
)

admin_audit = Table(
    "admin_audit",
    metadata,
    Column("audit_id", Integer, primary_key=True, autoincrement=True),
    Column("at_ms", BigInteger, nullable=False),
    Column("actor", String(64), nullable=False),
    Column("action", String(48), nullable=False),
    Column("target", String(160), nullable=False),
    Column("before", Text),
    Column("after", Text),
    Column("source", String(64), nullable=False),
    Index("ix_admin_audit_at", "at_ms"),
)

# A conflict (`conflicts.id`) or a journal chain issue (`journal_issues.id`) someone has
# dealt with: who, when and how. The item itself stays as the kiosk sent it.
integrity_reviews = Table(
    "integrity_reviews",
    metadata,
    Column("kind", String(16), primary_key=True),
    Column("item_id", Integer, primary_key=True, autoincrement=False),
    Column("login", String(64), nullable=False),
    Column("at_ms", BigInteger, nullable=False),
    Column("note", Text, nullable=False),
)
