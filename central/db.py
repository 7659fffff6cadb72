"""The central database: table definitions (SQLAlchemy Core), engines, migrations.

SQLite serves one store; PostgreSQL serves a chain with several stateless replicas.
Every write transaction on SQLite is `BEGIN IMMEDIATE`, so two writers never
deadlock on a lock upgrade; on PostgreSQL the default READ COMMITTED applies and the
few places that need ordering lock a row (see `central.feeds`).

The tables here must match the Alembic migrations in `central/migrations/versions`;
the migrations are the source of truth for the schema, these definitions are what
queries are written against.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.pool import NullPool

metadata = MetaData()

meta = Table("meta", metadata, Column("key", String(64), primary_key=True), Column("value", Text))

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
)

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
)

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
    Column("received_at", BigInteger, nullable=False),
    Column("body_hash", String(64), nullable=False),
)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# Any fixed number: serialises replicas that start at the same moment on one PostgreSQL.
_MIGRATION_LOCK = 74_200_411


def create_db_engine(url: str, *, pool: bool = True) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            connect_args={"timeout": 30, "check_same_thread": False},
            poolclass=None if pool else NullPool,
        )
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if pool:
        return create_engine(url, pool_size=8, max_overflow=8, pool_pre_ping=True)
    return create_engine(url, poolclass=NullPool)


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's implicit BEGIN is
    # DEFERRED, which can fail half-way on a lock upgrade).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode = WAL")
    # FULL: an acknowledged sale must survive a power cut of the central machine too.
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.execute("PRAGMA busy_timeout = 30000")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision; safe to run from several replicas at once."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})")
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


def insert_ignore(conn: Connection, table: Table) -> Any:
    """INSERT … ON CONFLICT DO NOTHING in the connection's dialect."""
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    return sqlite.insert(table).on_conflict_do_nothing()


def insert_one_ignore(conn: Connection, table: Table, values: dict[str, Any]) -> bool:
    """Insert one row unless it clashes with a unique key; True if it was inserted.

    Uses RETURNING rather than `rowcount`, which psycopg reports as -1 for
    INSERT … ON CONFLICT through SQLAlchemy.
    """
    stmt = insert_ignore(conn, table).values(**values).returning(*table.primary_key.columns)
    return conn.execute(stmt).first() is not None


def upsert(conn: Connection, table: Table, keys: list[str], update: list[str]) -> Any:
    """INSERT … ON CONFLICT (keys) DO UPDATE SET update-columns = excluded values."""
    stmt: Any
    stmt = postgresql.insert(table) if conn.dialect.name == "postgresql" else sqlite.insert(table)
    return stmt.on_conflict_do_update(
        index_elements=keys, set_={name: stmt.excluded[name] for name in update}
    )
