"""Alembic environment: always run with a connection handed in by `central.db.migrate`.

`target_metadata` is the whole schema (`central.schema`), so `alembic revision
--autogenerate` writes the next migration from the feature tables, and the schema
test (`tests/integration/central/test_schema.py`) holds the two together.
"""

from __future__ import annotations

from alembic import context

from central.schema import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
