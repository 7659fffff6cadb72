"""The migrations produce exactly the schema the code is written against (`central.schema`):
Alembic's autogenerate comparison of the migrated database with the one `MetaData`
finds nothing to add, drop or change, on SQLite and on PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Column, Integer, Table

from central.db import create_db_engine, migrate
from central.schema import metadata


def _differences(db_url: str) -> list[object]:
    engine = create_db_engine(db_url, pool=False)
    try:
        migrate(engine)
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            return [d for d in compare_metadata(context, metadata) if not _alembic_own(d)]
    finally:
        engine.dispose()


def _alembic_own(diff: object) -> bool:
    # Alembic's bookkeeping table is in the database but, rightly, in no feature.
    return (
        isinstance(diff, tuple)
        and diff[0] == "remove_table"
        and getattr(diff[1], "name", "") == "alembic_version"
    )


def test_migrations_equal_the_metadata(central_db_url: str) -> None:
    assert _differences(central_db_url) == []


def test_a_table_without_its_migration_is_a_difference(central_db_url: str) -> None:
    extra = Table("not_migrated", metadata, Column("id", Integer, primary_key=True))
    try:
        differences = _differences(central_db_url)
    finally:
        metadata.remove(extra)
    assert [d[0] for d in differences if isinstance(d, tuple)] == ["add_table"]
