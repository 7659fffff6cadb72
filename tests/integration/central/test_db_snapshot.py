"""`central.db.snapshot`: a page's reads agree with each other while writers go on, on both
engines (a count and its rows used to be two reads of two states: "3-4 of 3")."""

from __future__ import annotations

import pytest
from sqlalchemy import Connection, text

from central.db import create_db_engine, read_engine, snapshot


def test_a_snapshot_reads_one_state_while_a_writer_commits(central_db_url: str) -> None:
    engine = create_db_engine(central_db_url)
    reader = read_engine(engine)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE marks (id INTEGER PRIMARY KEY)"))
        conn.execute(text("INSERT INTO marks (id) VALUES (1), (2), (3)"))

    def count(conn: Connection) -> int:
        return int(conn.execute(text("SELECT count(*) FROM marks")).scalar_one())

    with snapshot(reader) as conn:
        assert count(conn) == 3
        # A writer commits between the page's count and its rows, and is not held up (the
        # snapshot takes no write lock on SQLite).
        with engine.begin() as writer:
            writer.execute(text("INSERT INTO marks (id) VALUES (4)"))
            writer.execute(text("DELETE FROM marks WHERE id = 1"))
        rows = [r.id for r in conn.execute(text("SELECT id FROM marks ORDER BY id"))]
        assert rows == [1, 2, 3]
        assert count(conn) == len(rows)
    # The next page view sees the writer's work.
    with snapshot(reader) as conn:
        assert [r.id for r in conn.execute(text("SELECT id FROM marks ORDER BY id"))] == [2, 3, 4]
    engine.dispose()
    reader.dispose()


@pytest.mark.postgres
def test_a_postgresql_snapshot_is_read_only_and_its_connection_goes_back_as_it_was(
    postgres_url: str,
) -> None:
    """On PostgreSQL the reader is the service's own engine: a pooled connection must not
    go back to the pool read-only or REPEATABLE READ, even when the page failed. (SQLite's
    reader is an engine of its own, in autocommit.)"""
    engine = create_db_engine(postgres_url)
    reader = read_engine(engine)
    assert reader is engine
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE marks (id INTEGER PRIMARY KEY)"))

    def state(conn: Connection) -> tuple[str, str]:
        return (
            conn.execute(text("SHOW transaction_read_only")).scalar_one(),
            conn.execute(text("SHOW transaction_isolation")).scalar_one(),
        )

    with snapshot(reader) as conn:
        assert state(conn) == ("on", "repeatable read")
    try:
        with snapshot(reader) as conn:
            raise LookupError("a page that failed half-way")
    except LookupError:
        pass
    for _ in range(3):  # whichever pooled connection comes next
        with engine.begin() as conn:
            assert state(conn) == ("off", "read committed")
            conn.execute(text("INSERT INTO marks (id) VALUES (1) ON CONFLICT DO NOTHING"))
    engine.dispose()


def test_a_plain_reader_connection_sees_each_commit(central_db_url: str) -> None:
    """Why the snapshot is needed: without it the second read sees the writer's work."""
    engine = create_db_engine(central_db_url)
    reader = read_engine(engine)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE marks (id INTEGER PRIMARY KEY)"))
    with reader.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM marks")).scalar_one() == 0
        conn.commit()  # PostgreSQL: READ COMMITTED takes a new snapshot per statement anyway
        with engine.begin() as writer:
            writer.execute(text("INSERT INTO marks (id) VALUES (1)"))
        assert conn.execute(text("SELECT count(*) FROM marks")).scalar_one() == 1
    engine.dispose()
    reader.dispose()
