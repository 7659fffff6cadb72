"""Opening the kiosk's SQLite database, its migrations, and plain-words errors.

Durability settings: WAL so readers never block the writer, `synchronous=FULL` so
a committed sale survives a power cut (WAL with NORMAL may lose the last commits),
and a busy timeout so the sync thread and the UI thread wait for each other
instead of failing. Each thread opens its own connection (`open_database`).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import sqlite_utils

from kiosk.domain.errors import Reason, StoreError

T = TypeVar("T")

BUSY_TIMEOUT_MS = 5000

# Each migration is applied once, in order, in its own transaction; `user_version`
# records how many have run. Never edit a released migration: add a new one.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE products (
        gtin TEXT PRIMARY KEY,
        names TEXT NOT NULL,
        brand TEXT NOT NULL,
        category TEXT NOT NULL,
        tax_class TEXT NOT NULL,
        price_minor INTEGER NOT NULL,
        currency TEXT NOT NULL,
        unit TEXT NOT NULL,
        age_min INTEGER NOT NULL DEFAULT 0,
        sellable INTEGER NOT NULL DEFAULT 1,
        recalled INTEGER NOT NULL DEFAULT 0,
        recalled_lots TEXT NOT NULL DEFAULT '[]',
        deposit_minor INTEGER,
        extra_gtins TEXT NOT NULL DEFAULT '[]',
        attributes TEXT NOT NULL DEFAULT '{}'
    ) WITHOUT ROWID;
    CREATE TABLE product_codes (code TEXT PRIMARY KEY, gtin TEXT NOT NULL) WITHOUT ROWID;
    CREATE INDEX product_codes_gtin ON product_codes (gtin);
    CREATE TABLE active_cart (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        cart TEXT NOT NULL,
        saved_at TEXT NOT NULL
    );
    CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
    CREATE TABLE sales (
        sale_id TEXT PRIMARY KEY,
        sequence INTEGER NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        status TEXT NOT NULL,
        training INTEGER NOT NULL,
        currency TEXT NOT NULL,
        total_minor INTEGER NOT NULL,
        item_count INTEGER NOT NULL,
        journal_index INTEGER NOT NULL,
        document TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE journal (
        idx INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        payload TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL UNIQUE
    );
    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        key TEXT NOT NULL,
        payload TEXT NOT NULL,
        created_at TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        sent_at TEXT,
        UNIQUE (kind, key)
    );
    CREATE INDEX outbox_pending ON outbox (id) WHERE sent_at IS NULL;
    CREATE TABLE staff (
        staff_id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        role TEXT NOT NULL,
        pin_hash TEXT,
        badge_hash TEXT UNIQUE,
        active INTEGER NOT NULL DEFAULT 1
    ) WITHOUT ROWID;
    """,
    # 2: payment sessions (resumed after a restart) and exit codes seen by this kiosk.
    """
    CREATE TABLE payments (
        payment_id TEXT PRIMARY KEY,
        sale_id TEXT NOT NULL,
        provider TEXT NOT NULL,
        status TEXT NOT NULL,
        amount_minor INTEGER NOT NULL,
        currency TEXT NOT NULL,
        session TEXT NOT NULL,
        updated_at TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX payments_open ON payments (status) WHERE status IN ('created', 'shown');
    CREATE TABLE exit_scans (
        sale_id TEXT PRIMARY KEY,
        first_seen_at TEXT NOT NULL,
        times_seen INTEGER NOT NULL
    ) WITHOUT ROWID;
    """,
    # 3: members, coupons and promotions (kiosk.store.loyalty).
    """
    CREATE TABLE loyalty_offers (
        kind TEXT NOT NULL,
        offer_id TEXT NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (kind, offer_id)
    ) WITHOUT ROWID;
    CREATE TABLE loyalty_members (
        member_id TEXT PRIMARY KEY,
        member_code TEXT NOT NULL UNIQUE,
        phone_hash TEXT UNIQUE,
        tier TEXT NOT NULL,
        origin TEXT NOT NULL,
        data TEXT NOT NULL,
        cached_at TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE loyalty_wallet (
        code TEXT PRIMARY KEY,
        member_id TEXT,
        coupon_id TEXT NOT NULL,
        state TEXT NOT NULL,
        data TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX loyalty_wallet_member ON loyalty_wallet (member_id);
    CREATE TABLE loyalty_ledger (
        event_id TEXT PRIMARY KEY,
        member_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        points INTEGER NOT NULL,
        sale_id TEXT,
        at TEXT NOT NULL,
        data TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX loyalty_ledger_member ON loyalty_ledger (member_id);
    CREATE TABLE loyalty_redemptions (
        redemption_id TEXT PRIMARY KEY,
        code TEXT NOT NULL UNIQUE,
        coupon_id TEXT NOT NULL,
        member_id TEXT,
        sale_id TEXT NOT NULL,
        at TEXT NOT NULL,
        data TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE loyalty_cart (
        cart_id TEXT PRIMARY KEY,
        data TEXT NOT NULL
    ) WITHOUT ROWID;
    """,
    # 4: the active cart keeps the catalog entries of its lines as they were when scanned,
    # so a restart re-prices it exactly, even if the catalog changed meanwhile.
    """
    ALTER TABLE active_cart ADD COLUMN products TEXT NOT NULL DEFAULT '{}';
    """,
    # 5: the keys a full feed pull has received so far (sync.pullers' mark-and-sweep),
    # kept across restarts so an interrupted full pull still sweeps when it completes.
    # Kiosks whose first pull only upserted may hold items the service does not have:
    # every feed is pulled once more from the start, as a full pull that sweeps them.
    # Staff remember where they came from: a full pull sweeps only the chain's staff,
    # never those enrolled on this kiosk (`kiosk staff add`).
    """
    CREATE TABLE feed_marks (
        feed TEXT NOT NULL,
        key TEXT NOT NULL,
        PRIMARY KEY (feed, key)
    ) WITHOUT ROWID;
    UPDATE settings SET value = '""' WHERE key GLOB 'sync.cursor.*';
    ALTER TABLE staff ADD COLUMN origin TEXT NOT NULL DEFAULT 'local';
    """,
    # 6: alerts (kiosk.domain.alerts): the latest version of each, kept until staff clear
    # it, so a reset or a restart brings back every open one.
    """
    CREATE TABLE alerts (
        alert_id TEXT PRIMARY KEY,
        reason TEXT NOT NULL,
        state TEXT NOT NULL,
        raised_at TEXT NOT NULL,
        document TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX alerts_open ON alerts (raised_at) WHERE state IN ('raised', 'acknowledged');
    """,
    # 7: goods without a barcode (#16): the PLU on the sticker, a picture to pick them by,
    # and the pinyin of their Chinese names worked out once here, not per keystroke.
    """
    ALTER TABLE products ADD COLUMN plu TEXT;
    ALTER TABLE products ADD COLUMN picture TEXT;
    ALTER TABLE products ADD COLUMN pinyin TEXT;
    CREATE INDEX products_looked_up ON products (category)
        WHERE plu IS NOT NULL OR picture IS NOT NULL;
    """,
    # 8: carts suspended here and transfer codes resumed here (kiosk.services.transfers):
    # a code resumed once is refused at once the second time, with where and when.
    """
    CREATE TABLE transfers (
        cart_id TEXT NOT NULL,
        event TEXT NOT NULL,
        kiosk_id TEXT NOT NULL,
        at TEXT NOT NULL,
        staff_id TEXT NOT NULL,
        document TEXT NOT NULL,
        PRIMARY KEY (cart_id, event)
    ) WITHOUT ROWID;
    """,
    # 9: refunds (kiosk.services.refunds): each with its wire document and how the money
    # went back (`pending` until the central service answered).
    """
    CREATE TABLE refunds (
        refund_id TEXT PRIMARY KEY,
        sale_id TEXT NOT NULL,
        status TEXT NOT NULL,
        method TEXT NOT NULL,
        created_at TEXT NOT NULL,
        document TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX refunds_sale ON refunds (sale_id);
    """,
    # 10: a refund gives a coupon back (kiosk.services.refunds): the redemption made here
    # stays, marked with the refund that returned it, and the code may be redeemed here
    # again; SQLite cannot drop the column's UNIQUE, so the table is rebuilt with a partial
    # index: one standing redemption per code.
    """
    CREATE TABLE loyalty_redemptions_v10 (
        redemption_id TEXT PRIMARY KEY,
        code TEXT NOT NULL,
        coupon_id TEXT NOT NULL,
        member_id TEXT,
        sale_id TEXT NOT NULL,
        at TEXT NOT NULL,
        data TEXT NOT NULL,
        returned_by TEXT
    ) WITHOUT ROWID;
    INSERT INTO loyalty_redemptions_v10 (redemption_id, code, coupon_id, member_id, sale_id,
        at, data)
        SELECT redemption_id, code, coupon_id, member_id, sale_id, at, data
        FROM loyalty_redemptions;
    DROP TABLE loyalty_redemptions;
    ALTER TABLE loyalty_redemptions_v10 RENAME TO loyalty_redemptions;
    CREATE UNIQUE INDEX loyalty_redemptions_standing ON loyalty_redemptions (code)
        WHERE returned_by IS NULL;
    CREATE INDEX loyalty_redemptions_returned ON loyalty_redemptions (returned_by)
        WHERE returned_by IS NOT NULL;
    """,
    # 11: members erased on request, from the central service's erasure feed: their cached
    # copy is gone and their member QR is refused (kiosk.store.loyalty.forget_members).
    """
    CREATE TABLE loyalty_erased (member_id TEXT PRIMARY KEY) WITHOUT ROWID;
    """,
)


def _translate(exc: sqlite3.Error, path: str) -> StoreError:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return StoreError(
            f"the database {path} is locked by another program: close other kiosk "
            "windows or tools using it, then try again",
            reason=Reason.DB_LOCKED,
        )
    if "readonly" in text or "read-only" in text:
        return StoreError(
            f"the database {path} is read-only: give the kiosk user write access to the "
            "file and its folder",
            reason=Reason.DB_READ_ONLY,
        )
    if "full" in text:
        return StoreError(
            f"the disk holding {path} is full: free some space; nothing already saved is lost",
            reason=Reason.DISK_FULL,
        )
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return StoreError(
            f"the database {path} is damaged: stop the kiosk, keep the file for support, and "
            "restore the last backup (sales already synced are safe centrally)",
            reason=Reason.DB_CORRUPT,
        )
    if "unable to open" in text:
        return StoreError(
            f"cannot open the database {path}: check the folder exists and is writable",
            reason=Reason.DB_CANNOT_OPEN,
        )
    return StoreError(f"database error on {path}: {exc}", reason=Reason.DB_ERROR)


class Store:
    """One SQLite connection (for one thread) with transactions and error translation."""

    def __init__(self, db: sqlite_utils.Database, path: str) -> None:
        self.db = db
        self.path = path

    @contextlib.contextmanager
    def errors(self) -> Iterator[None]:
        """Turn sqlite3 errors into `StoreError`s that say what to do."""
        try:
            yield
        except sqlite3.Error as exc:
            raise _translate(exc, self.path) from exc

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """An IMMEDIATE transaction: takes the write lock up front, so it cannot fail
        half-way with "database is locked" after reading. Nested calls join it."""
        conn = self.db.conn
        if conn.in_transaction:
            yield
            return
        with self.errors():
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                conn.rollback()  # a no-op if an error already ended the transaction
                raise
            conn.execute("COMMIT")

    def read(self, fn: Callable[[sqlite_utils.Database], T]) -> T:
        with self.errors():
            return fn(self.db)

    def schema_version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def close(self) -> None:
        self.db.close()


def _create_private(path: Path) -> None:
    """The database holds the kiosk's secrets (its central credential, the exit-code signing
    key): only its owner reads it. SQLite gives the -wal and -shm files the same mode."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    os.close(fd)


def open_store(
    path: str | Path, busy_timeout_ms: int = BUSY_TIMEOUT_MS, *, check_same_thread: bool = True
) -> Store:
    """Open (creating if needed) and migrate the database at `path` (":memory:" for tests).

    `check_same_thread=False` only for a connection handed from the thread that opened it to
    one other thread, which then alone uses it (the UI's core thread): SQLite's own mutex
    makes each call safe, the hand-over (a thread start) orders them.
    """
    name = str(path)
    try:
        if name != ":memory:":
            Path(name).parent.mkdir(parents=True, exist_ok=True)
            _create_private(Path(name))
    except OSError as exc:
        msg = f"cannot create the folder for {name}: {exc}"
        raise StoreError(msg, reason=Reason.DB_CANNOT_OPEN) from exc
    try:
        conn = sqlite3.connect(
            name, timeout=busy_timeout_ms / 1000, check_same_thread=check_same_thread
        )
    except sqlite3.Error as exc:
        raise _translate(exc, name) from exc
    store = Store(sqlite_utils.Database(conn), name)
    try:
        _prepare(store, busy_timeout_ms)
    except BaseException:
        conn.close()
        raise
    return store


def _prepare(store: Store, busy_timeout_ms: int) -> None:
    conn, name = store.db.conn, store.path
    with store.errors():
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        if name != ":memory:":
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise StoreError(f"{name}: cannot switch to WAL mode", reason=Reason.DB_ERROR)
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise StoreError(
                f"the database {name} is damaged ({check}): restore the last backup",
                reason=Reason.DB_CORRUPT,
            )
        _migrate(store)


def _migrate(store: Store) -> None:
    current = store.schema_version()
    if current > len(MIGRATIONS):
        raise StoreError(
            f"{store.path} was written by a newer kiosk version (schema {current}); "
            "update this kiosk's software",
            reason=Reason.DB_TOO_NEW,
        )
    conn = store.db.conn
    for version, script in enumerate(MIGRATIONS[current:], start=current + 1):
        with store.transaction():
            for statement in filter(str.strip, script.split(";")):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version}")
