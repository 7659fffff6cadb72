"""The central database: the one `MetaData`, engines, migrations, dialect helpers.

Each feature package defines its tables in its own `tables` module on `metadata`
(`central.schema` imports them all); Alembic's `env.py` targets that `metadata`, and
a test checks that the migrations produce exactly it, on SQLite and PostgreSQL.

SQLite serves one store; PostgreSQL serves a chain with several stateless replicas.
Every write transaction on SQLite is `BEGIN IMMEDIATE`, so two writers never
deadlock on a lock upgrade; on PostgreSQL the default READ COMMITTED applies and the
few places that need ordering lock a row (see `central.feeds`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, MetaData, Table, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.pool import NullPool

metadata = MetaData()

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


def read_engine(engine: Engine) -> Engine:
    """An engine for plain reads. On SQLite the service's engine starts every transaction
    with BEGIN IMMEDIATE (the write lock); long-polls peek many times a second, so they
    get connections in autocommit mode instead, where each SELECT reads the latest
    committed state (WAL) without taking the write lock. PostgreSQL: the same engine."""
    if engine.dialect.name != "sqlite":
        return engine
    reader = create_engine(engine.url, connect_args={"timeout": 30, "check_same_thread": False})

    def autocommit(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA busy_timeout = 30000")

    event.listen(reader, "connect", autocommit)
    return reader


@contextlib.contextmanager
def snapshot(reader: Engine) -> Iterator[Connection]:
    """A connection whose reads all see one committed state, for a page that reads several
    times: a list's count and its rows ("51-100 of 340"), a report's totals and its lines.
    A `read_engine` connection reads each SELECT afresh, so a mark committed between the
    count and the page showed "3-4 of 3".

    SQLite: a deferred transaction on the reader's autocommit connection; its first read
    fixes the WAL snapshot, and it never takes the write lock. PostgreSQL: a read-only
    REPEATABLE READ transaction, whose snapshot is taken at its first statement.
    """
    with reader.connect() as conn:
        if conn.dialect.name != "sqlite":
            conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
            with conn.begin():
                yield conn
            return
        conn.exec_driver_sql("BEGIN DEFERRED")
        try:
            yield conn
        finally:
            if conn.connection.dbapi_connection.in_transaction:  # type: ignore[union-attr]
                conn.exec_driver_sql("ROLLBACK")


def alembic_config(conn: Connection) -> Config:
    """Alembic's configuration for running this service's migrations on `conn`."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = conn
    return config


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision; safe to run from several replicas at once."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})")
        command.upgrade(alembic_config(conn), "head")


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


def insert_or_add(conn: Connection, table: Table, keys: list[str], *columns: str) -> Any:
    """INSERT … ON CONFLICT (keys) DO UPDATE SET each column = column + the inserted value."""
    stmt: Any
    stmt = postgresql.insert(table) if conn.dialect.name == "postgresql" else sqlite.insert(table)
    return stmt.on_conflict_do_update(
        index_elements=keys, set_={c: table.c[c] + stmt.excluded[c] for c in columns}
    )
