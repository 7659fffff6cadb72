"""Delta feeds: one change counter per feed, the items with their sequence, and the
database's epoch (in `meta`), which names the database in every cursor."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Index, String, Table, Text

from central.db import metadata

meta = Table("meta", metadata, Column("key", String(64), primary_key=True), Column("value", Text))

feed_counters = Table(
    "feed_counters",
    metadata,
    Column("feed", String(32), primary_key=True),
    Column("value", BigInteger, nullable=False),
)

feed_items = Table(
    "feed_items",
    metadata,
    Column("feed", String(32), primary_key=True),
    Column("key", String(128), primary_key=True),
    Column("seq", BigInteger, nullable=False),
    Column("deleted", Boolean, nullable=False),
    Column("data", Text),
    Index("ux_feed_items_seq", "feed", "seq", unique=True),
)
