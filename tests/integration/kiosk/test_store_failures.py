"""A locked, read-only, full, corrupt or too-new database: a clear error, nothing lost."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlite_utils

from kiosk.domain.cart import Cart
from kiosk.domain.errors import StoreError
from kiosk.store.database import MIGRATIONS, Store
from kiosk.store.uow import KioskStore
from tests.helpers import make_product

NOW = datetime(2026, 11, 23, tzinfo=UTC)


def test_schema_is_migrated_and_versioned(tmp_path: Path) -> None:
    store = KioskStore.open(tmp_path / "k.db")
    assert store.store.schema_version() == len(MIGRATIONS)
    mode = store.store.db.conn.execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"
    store.close()
    again = KioskStore.open(tmp_path / "k.db")  # migrating twice is a no-op
    assert again.store.schema_version() == len(MIGRATIONS)
    again.close()


def test_a_new_database_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    """It holds the kiosk's central credential and its exit-code signing key."""
    store = KioskStore.open(tmp_path / "k.db")
    store.settings.set("probe", {"written": True})  # the WAL file exists from here on
    try:
        for path in (tmp_path / "k.db", tmp_path / "k.db-wal"):
            assert path.stat().st_mode & 0o777 == 0o600, path
    finally:
        store.close()


def test_locked_database_says_so_and_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "k.db"
    store = KioskStore.open(path, busy_timeout_ms=50)
    store.catalog.upsert_many([make_product(1)])
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    with pytest.raises(StoreError) as info:
        store.carts.save(Cart("c"), NOW)
    assert info.value.reason == "db_locked"
    assert "locked" in info.value.message
    other.execute("ROLLBACK")
    other.close()
    assert store.catalog.count() == 1
    store.carts.save(Cart("c"), NOW)  # works again once the lock is gone
    store.close()


def test_read_only_database(tmp_path: Path) -> None:
    path = tmp_path / "k.db"
    KioskStore.open(path).close()
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    store = KioskStore(Store(sqlite_utils.Database(conn), str(path)))
    with pytest.raises(StoreError) as info:
        store.carts.save(Cart("c"), NOW)
    assert info.value.reason == "db_read_only"
    store.close()


def test_full_disk_keeps_what_was_saved(tmp_path: Path) -> None:
    store = KioskStore.open(tmp_path / "k.db")
    store.catalog.upsert_many([make_product(1)])
    pages = store.store.db.conn.execute("PRAGMA page_count").fetchone()[0]
    store.store.db.conn.execute(f"PRAGMA max_page_count = {pages + 1}")
    with pytest.raises(StoreError) as info:
        store.catalog.upsert_many(make_product(n) for n in range(2, 5000))
    assert info.value.reason == "disk_full"
    assert store.catalog.count() == 1  # the failed batch left nothing half-written
    store.close()


def test_corrupt_file(tmp_path: Path) -> None:
    path = tmp_path / "k.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError) as info:
        KioskStore.open(path)
    assert info.value.reason == "db_corrupt"
    assert path.read_bytes().startswith(b"this is not")  # the evidence is kept


def test_database_from_a_newer_version_is_not_touched(tmp_path: Path) -> None:
    path = tmp_path / "k.db"
    KioskStore.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer kiosk version"):
        KioskStore.open(path)


def test_folder_that_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError) as info:
        KioskStore.open(blocker / "sub" / "k.db")
    assert info.value.reason == "db_cannot_open"
