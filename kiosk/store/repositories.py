"""Repositories over the kiosk's SQLite tables. Each takes a `Store` (one thread's connection).

Writes that must be atomic together (a sale, its journal entry, its outbox rows and
the cleared cart) are grouped by `Store.transaction()`: see `kiosk.store.uow`.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kiosk.domain.alerts import OPEN_STATES, Alert
from kiosk.domain.cart import Cart
from kiosk.domain.catalog import Product, product_from_wire, product_to_wire
from kiosk.domain.codes import Gtin
from kiosk.domain.journal import JournalEntry
from kiosk.domain.lookup import LookupEntry, pinyin_syllables
from kiosk.domain.payment import PaymentSession, PaymentStatus
from kiosk.domain.sale import Sale
from kiosk.domain.staff import Role, Staff
from kiosk.store.codec import cart_from_json, cart_to_json
from kiosk.store.database import Store

_JSON_COLUMNS = ("names", "recalled_lots", "extra_gtins", "attributes")
_PRODUCT_COLUMNS = (
    "gtin, names, brand, category, tax_class, price_minor, currency, unit, age_min, "
    "sellable, recalled, recalled_lots, deposit_minor, extra_gtins, attributes, plu, picture"
)


def _product_row(product: Product) -> dict[str, Any]:
    row = product_to_wire(product)
    for key in _JSON_COLUMNS:
        row[key] = json.dumps(row[key], ensure_ascii=False)
    row.setdefault("plu", None)
    row.setdefault("picture", None)
    # Only what the shopper's picker lists is searched by pinyin, so only its names are
    # read here: a catalog of barcoded goods imports as fast as before.
    pinyin = (
        [pinyin_syllables(name) for name in product.names.values()] if product.looked_up else []
    )
    row["pinyin"] = json.dumps([p for p in pinyin if p], ensure_ascii=False) if pinyin else None
    return row


def _product_back(row: Sequence[Any]) -> Product:
    data = dict(zip([c.strip() for c in _PRODUCT_COLUMNS.split(",")], row, strict=True))
    for key in _JSON_COLUMNS:
        data[key] = json.loads(data[key])
    data["sellable"] = bool(data["sellable"])
    data["recalled"] = bool(data["recalled"])
    return product_from_wire(data)


class CatalogRepository:
    def __init__(self, store: Store) -> None:
        self._store = store
        self._get_sql = f"SELECT {_PRODUCT_COLUMNS} FROM products WHERE gtin = ?"  # noqa: S608

    def get(self, gtin: Gtin) -> Product | None:
        """The product for a GTIN-14, looking through extra GTINs (outer packs, old codes)."""
        conn = self._store.db.conn
        with self._store.errors():
            row = conn.execute(self._get_sql, (gtin,)).fetchone()
            if row is None:
                alias = conn.execute(
                    "SELECT gtin FROM product_codes WHERE code = ?", (gtin,)
                ).fetchone()
                if alias is None:
                    return None
                row = conn.execute(self._get_sql, (alias[0],)).fetchone()
        return None if row is None else _product_back(row)

    def search(self, text: str, language: str, limit: int = 12) -> list[Product]:
        """Sellable products whose name in any of the kiosk's languages contains `text`
        (case-insensitive), those starting with it first, then by name in `language`.

        Staff look up an item whose label will not scan; the catalog of one store is a
        few thousand rows, so a scan of the names column is fast enough (LIKE narrows it,
        Python's casefold decides, as SQLite's LIKE folds ASCII only)."""
        wanted = text.strip().casefold()
        if not wanted:
            return []
        pattern = "%" + wanted.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        with self._store.errors():
            rows = self._store.db.conn.execute(
                f"SELECT {_PRODUCT_COLUMNS} FROM products "  # noqa: S608
                "WHERE sellable AND NOT recalled AND lower(names) LIKE ? ESCAPE '\\'",
                (pattern,),
            ).fetchall()
        found = [
            product
            for product in map(_product_back, rows)
            if any(wanted in name.casefold() for name in product.names.values())
        ]

        def rank(product: Product) -> tuple[bool, str]:
            name = product.name(language)
            return (not name.casefold().startswith(wanted), name)

        return sorted(found, key=rank)[:limit]

    def looked_up(self) -> list[LookupEntry]:
        """What the shopper's item picker lists: sellable goods with a PLU or a picture
        (`Product.looked_up`), ready to search. A few hundred rows in a supermarket."""
        with self._store.errors():
            rows = self._store.db.conn.execute(
                f"SELECT {_PRODUCT_COLUMNS}, pinyin FROM products "  # noqa: S608
                "WHERE (plu IS NOT NULL OR picture IS NOT NULL) AND sellable AND NOT recalled "
                "ORDER BY category, gtin"
            ).fetchall()
        return [
            LookupEntry.build(_product_back(row[:-1]), json.loads(row[-1] or "[]")) for row in rows
        ]

    def get_many(self, gtins: Iterable[Gtin]) -> dict[Gtin, Product]:
        found = {}
        for gtin in set(gtins):
            product = self.get(gtin)
            if product is not None:
                found[gtin] = product
        return found

    def upsert_many(self, products: Iterable[Product]) -> int:
        """Insert or replace products (and their extra codes) in one transaction."""
        batch = list(products)
        db = self._store.db
        with self._store.transaction():
            db.table("products").insert_all(
                (_product_row(p) for p in batch), replace=True, batch_size=500
            )
            db.conn.executemany(
                "DELETE FROM product_codes WHERE gtin = ?", [(p.gtin,) for p in batch]
            )
            db.table("product_codes").insert_all(
                ({"code": code, "gtin": p.gtin} for p in batch for code in p.extra_gtins),
                replace=True,
                batch_size=500,
            )
        return len(batch)

    def delete_many(self, gtins: Iterable[Gtin]) -> None:
        conn = self._store.db.conn
        with self._store.transaction():
            for gtin in gtins:
                conn.execute("DELETE FROM products WHERE gtin = ?", (gtin,))
                conn.execute("DELETE FROM product_codes WHERE gtin = ?", (gtin,))

    def gtins(self) -> set[Gtin]:
        with self._store.errors():
            rows = self._store.db.conn.execute("SELECT gtin FROM products").fetchall()
        return {Gtin(r[0]) for r in rows}

    def all(self, limit: int = 10_000) -> list[Product]:
        """Products in GTIN order, for listings and the demo (not for the scan path)."""
        with self._store.errors():
            rows = self._store.db.conn.execute(
                f"SELECT {_PRODUCT_COLUMNS} FROM products ORDER BY gtin LIMIT ?",  # noqa: S608
                (limit,),
            ).fetchall()
        return [_product_back(r) for r in rows]

    def count(self) -> int:
        return self._store.read(lambda db: db.table("products").count)


class CartRepository:
    """The one active cart, saved on every change so a power cut loses nothing.

    The catalog entries of its lines are saved with it: a restart prices the cart as
    the shopper saw it, even if a catalog update arrived in between.
    """

    def __init__(self, store: Store) -> None:
        self._store = store

    def save(
        self, cart: Cart, now: datetime, products: Mapping[Gtin, Product] | None = None
    ) -> None:
        snapshot = {g: product_to_wire(p) for g, p in (products or {}).items()}
        with self._store.transaction():
            self._store.db.conn.execute(
                "INSERT OR REPLACE INTO active_cart (id, cart, saved_at, products) "
                "VALUES (1, ?, ?, ?)",
                (cart_to_json(cart), now.isoformat(), json.dumps(snapshot, ensure_ascii=False)),
            )

    def load(self) -> Cart | None:
        with self._store.errors():
            row = self._store.db.conn.execute(
                "SELECT cart FROM active_cart WHERE id = 1"
            ).fetchone()
        return None if row is None else cart_from_json(row[0])

    def products(self) -> dict[Gtin, Product]:
        """The catalog entries saved with the active cart."""
        with self._store.errors():
            row = self._store.db.conn.execute(
                "SELECT products FROM active_cart WHERE id = 1"
            ).fetchone()
        if row is None:
            return {}
        return {Gtin(g): product_from_wire(d) for g, d in json.loads(row[0]).items()}

    def clear(self) -> None:
        with self._store.transaction():
            self._store.db.conn.execute("DELETE FROM active_cart")


class CounterRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    def next(self, name: str) -> int:
        """Take the next number. Gap-free when called inside the transaction that uses it."""
        conn = self._store.db.conn
        with self._store.transaction():
            conn.execute(
                "INSERT INTO counters (name, value) VALUES (?, 1) "
                "ON CONFLICT (name) DO UPDATE SET value = value + 1",
                (name,),
            )
            return int(
                conn.execute("SELECT value FROM counters WHERE name = ?", (name,)).fetchone()[0]
            )

    def peek(self, name: str) -> int:
        row = self._store.db.conn.execute(
            "SELECT value FROM counters WHERE name = ?", (name,)
        ).fetchone()
        return int(row[0]) if row else 0


@dataclass(frozen=True, slots=True)
class StoredSale:
    sale_id: str
    sequence: int
    created_at: str
    status: str
    training: bool
    total_minor: int
    currency: str
    item_count: int
    document: dict[str, Any]


class SaleRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    def add(self, sale: Sale, journal_index: int) -> dict[str, Any]:
        document = sale.to_wire()
        with self._store.transaction():
            self._store.db.conn.execute(
                "INSERT INTO sales (sale_id, sequence, created_at, status, training, currency, "
                "total_minor, item_count, journal_index, document) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    sale.sale_id,
                    sale.sequence,
                    document["created_at"],
                    sale.status.value,
                    int(sale.training),
                    sale.priced.currency,
                    sale.priced.total.minor,
                    sale.priced.item_count,
                    journal_index,
                    json.dumps(document, ensure_ascii=False),
                ),
            )
        return document

    def recent(self, limit: int = 10) -> list[StoredSale]:
        with self._store.errors():
            rows = self._store.db.conn.execute(
                "SELECT sale_id, sequence, created_at, status, training, total_minor, currency, "
                "item_count, document FROM sales ORDER BY sequence DESC LIMIT ?",
                (limit,),
            ).fetchall()
        return [
            StoredSale(r[0], r[1], r[2], r[3], bool(r[4]), r[5], r[6], r[7], json.loads(r[8]))
            for r in rows
        ]

    def count(self) -> int:
        return self._store.read(lambda db: db.table("sales").count)

    def document(self, sale_id: str) -> dict[str, Any] | None:
        """The sale's wire document as it was stored, or None."""
        with self._store.errors():
            row = self._store.db.conn.execute(
                "SELECT document FROM sales WHERE sale_id = ?", (sale_id,)
            ).fetchone()
        if row is None:
            return None
        document: dict[str, Any] = json.loads(row[0])
        return document


class JournalRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    def last(self) -> JournalEntry | None:
        with self._store.errors():
            row = self._store.db.conn.execute(
                "SELECT idx, kind, at, actor, payload, prev_hash, hash FROM journal "
                "ORDER BY idx DESC LIMIT 1"
            ).fetchone()
        return None if row is None else _entry(row)

    def append(self, entry: JournalEntry) -> None:
        with self._store.transaction():
            self._store.db.conn.execute(
                "INSERT INTO journal (idx, kind, at, actor, payload, prev_hash, hash) "
                "VALUES (?,?,?,?,?,?,?)",
                (
                    entry.index,
                    entry.kind,
                    entry.at,
                    entry.actor,
                    json.dumps(dict(entry.payload), ensure_ascii=False),
                    entry.prev_hash,
                    entry.hash,
                ),
            )

    def entries(self, after: int = 0, limit: int = 10_000) -> list[JournalEntry]:
        with self._store.errors():
            rows = self._store.db.conn.execute(
                "SELECT idx, kind, at, actor, payload, prev_hash, hash FROM journal "
                "WHERE idx > ? ORDER BY idx LIMIT ?",
                (after, limit),
            ).fetchall()
        return [_entry(r) for r in rows]


def _entry(row: Sequence[Any]) -> JournalEntry:
    return JournalEntry(row[0], row[1], row[2], row[3], json.loads(row[4]), row[5], row[6])


@dataclass(frozen=True, slots=True)
class OutboxRow:
    id: int
    kind: str
    key: str
    payload: dict[str, Any]
    created_at: str
    attempts: int


def _outbox_row(row: Sequence[Any]) -> OutboxRow:
    return OutboxRow(row[0], row[1], row[2], json.loads(row[3]), row[4], row[5])


class OutboxRepository:
    """What the kiosk owes the central service, in the order it happened.

    A row is written in the same transaction as the thing it reports and is marked
    sent only after the service acknowledged it; `(kind, key)` is unique, so the same
    entity can never be queued twice.
    """

    def __init__(self, store: Store) -> None:
        self._store = store

    def add(self, kind: str, key: str, payload: dict[str, Any], now: datetime) -> None:
        with self._store.transaction():
            self._store.db.conn.execute(
                "INSERT INTO outbox (kind, key, payload, created_at) VALUES (?,?,?,?)",
                (kind, key, json.dumps(payload, ensure_ascii=False), now.isoformat()),
            )

    def pending(self, limit: int = 100, kind: str | None = None) -> list[OutboxRow]:
        sql = (
            "SELECT id, kind, key, payload, created_at, attempts FROM outbox WHERE sent_at IS NULL"
        )
        args: list[Any] = []
        if kind is not None:
            sql += " AND kind = ?"
            args.append(kind)
        sql += " ORDER BY id LIMIT ?"
        args.append(limit)
        with self._store.errors():
            rows = self._store.db.conn.execute(sql, args).fetchall()
        return [_outbox_row(r) for r in rows]

    def naming(self, kind: str, field: str, value: str) -> list[OutboxRow]:
        """Every row of `kind`, sent or not, whose payload's `field` is `value`, oldest
        first: what this kiosk reported about something still in progress here."""
        with self._store.errors():
            rows = self._store.db.conn.execute(
                "SELECT id, kind, key, payload, created_at, attempts FROM outbox"
                " WHERE kind = ? AND json_extract(payload, '$.' || ?) = ? ORDER BY id",
                (kind, field, value),
            ).fetchall()
        return [_outbox_row(r) for r in rows]

    def mark_sent(self, ids: Iterable[int], now: datetime) -> None:
        with self._store.transaction():
            self._store.db.conn.executemany(
                "UPDATE outbox SET sent_at = ?, last_error = NULL WHERE id = ? AND sent_at IS NULL",
                [(now.isoformat(), i) for i in ids],
            )

    def record_failure(self, ids: Iterable[int], error: str) -> None:
        with self._store.transaction():
            self._store.db.conn.executemany(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?",
                [(error[:500], i) for i in ids],
            )

    def depth(self, kinds: Collection[str] | None = None) -> int:
        """Rows not yet acknowledged; `kinds`: only those (what a relay can send: a kind it
        has no route for would otherwise count as a backlog that never drains)."""
        where, args = _pending(kinds)
        with self._store.errors():
            return int(
                self._store.db.conn.execute(
                    f"SELECT count(*) FROM outbox WHERE {where}",  # noqa: S608
                    args,
                ).fetchone()[0]
            )

    def oldest_pending_at(self, kinds: Collection[str] | None = None) -> str | None:
        where, args = _pending(kinds)
        with self._store.errors():
            row = self._store.db.conn.execute(
                f"SELECT min(created_at) FROM outbox WHERE {where}",  # noqa: S608
                args,
            ).fetchone()
        return None if row is None else row[0]


def _pending(kinds: Collection[str] | None) -> tuple[str, list[str]]:
    if kinds is None:
        return "sent_at IS NULL", []
    listed = sorted(kinds)
    return f"sent_at IS NULL AND kind IN ({','.join('?' * len(listed))})", listed


class SettingsRepository:
    """Small JSON values: kiosk identity, store policy, sync cursors."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def get(self, key: str, default: Any = None) -> Any:
        with self._store.errors():
            row = self._store.db.conn.execute(
                "SELECT value FROM settings WHERE key = ?", (key,)
            ).fetchone()
        return default if row is None else json.loads(row[0])

    def set(self, key: str, value: Any) -> None:
        with self._store.transaction():
            self._store.db.conn.execute(
                "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                (key, json.dumps(value, ensure_ascii=False)),
            )


@dataclass(frozen=True, slots=True)
class StaffRecord:
    staff: Staff
    pin_hash: str | None
    badge_hash: str | None


class StaffRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    def upsert(self, record: StaffRecord, *, origin: str = "local") -> None:
        """Insert or replace a staff member; `origin` is "central" for the staff feed."""
        with self._store.transaction():
            self._store.db.conn.execute(
                "INSERT OR REPLACE INTO staff "
                "(staff_id, name, role, pin_hash, badge_hash, active, origin) "
                "VALUES (?,?,?,?,?,?,?)",
                (
                    record.staff.staff_id,
                    record.staff.name,
                    record.staff.role.value,
                    record.pin_hash,
                    record.badge_hash,
                    int(record.staff.active),
                    origin,
                ),
            )

    def _one(self, where: str, value: str) -> StaffRecord | None:
        with self._store.errors():
            row = self._store.db.conn.execute(
                f"SELECT staff_id, name, role, pin_hash, badge_hash, active FROM staff "  # noqa: S608
                f"WHERE {where} = ?",
                (value,),
            ).fetchone()
        if row is None:
            return None
        return StaffRecord(Staff(row[0], row[1], Role(row[2]), bool(row[5])), row[3], row[4])

    def get(self, staff_id: str) -> StaffRecord | None:
        return self._one("staff_id", staff_id)

    def by_badge_hash(self, badge_hash: str) -> StaffRecord | None:
        return self._one("badge_hash", badge_hash)

    def active_ids(self, origin: str) -> set[str]:
        with self._store.errors():
            rows = self._store.db.conn.execute(
                "SELECT staff_id FROM staff WHERE active = 1 AND origin = ?", (origin,)
            ).fetchall()
        return {r[0] for r in rows}

    def all_with_pins(self) -> list[StaffRecord]:
        with self._store.errors():
            ids = [
                r[0]
                for r in self._store.db.conn.execute(
                    "SELECT staff_id FROM staff WHERE active = 1 AND pin_hash IS NOT NULL"
                )
            ]
        return [r for r in (self.get(i) for i in ids) if r is not None]


class PaymentRepository:
    """Payment sessions, saved at every step so a restart resumes the one in flight."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def save(self, session: PaymentSession, now: datetime) -> None:
        with self._store.transaction():
            self._store.db.conn.execute(
                "INSERT OR REPLACE INTO payments (payment_id, sale_id, provider, status, "
                "amount_minor, currency, session, updated_at) VALUES (?,?,?,?,?,?,?,?)",
                (
                    session.payment_id,
                    session.sale_id,
                    session.provider,
                    session.status.value,
                    session.amount.minor,
                    session.amount.currency,
                    json.dumps(session.to_wire()),
                    now.isoformat(),
                ),
            )

    def get(self, payment_id: str) -> PaymentSession | None:
        with self._store.errors():
            row = self._store.db.conn.execute(
                "SELECT session FROM payments WHERE payment_id = ?", (payment_id,)
            ).fetchone()
        return None if row is None else PaymentSession.from_wire(json.loads(row[0]))

    def open_sessions(self) -> list[PaymentSession]:
        """Sessions a crash may have interrupted: still created or shown."""
        with self._store.errors():
            rows = self._store.db.conn.execute(
                "SELECT session FROM payments WHERE status IN (?, ?) ORDER BY payment_id",
                (PaymentStatus.CREATED.value, PaymentStatus.SHOWN.value),
            ).fetchall()
        return [PaymentSession.from_wire(json.loads(r[0])) for r in rows]

    def of_sale(self, sale_id: str) -> list[PaymentSession]:
        """Every payment made for `sale_id` (a frozen cart's id), oldest first."""
        with self._store.errors():
            rows = self._store.db.conn.execute(
                "SELECT session FROM payments WHERE sale_id = ? ORDER BY payment_id",
                (sale_id,),
            ).fetchall()
        return [PaymentSession.from_wire(json.loads(r[0])) for r in rows]


class ExitScanRepository:
    """Exit codes this kiosk (or gate) has checked: a second use is flagged."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def remember(self, sale_id: str, now: datetime) -> int:
        """Count one more sighting of `sale_id`; return how often it has been seen."""
        conn = self._store.db.conn
        with self._store.transaction():
            conn.execute(
                "INSERT INTO exit_scans (sale_id, first_seen_at, times_seen) VALUES (?, ?, 1) "
                "ON CONFLICT (sale_id) DO UPDATE SET times_seen = times_seen + 1",
                (sale_id, now.isoformat()),
            )
            row = conn.execute(
                "SELECT times_seen FROM exit_scans WHERE sale_id = ?", (sale_id,)
            ).fetchone()
        return int(row[0])


class FeedMarkRepository:
    """The keys a full pull of a feed has received so far: the "mark" of the pullers'
    mark-and-sweep (`sync.pullers.pull_pages`), one set per feed."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def mark(self, feed: str, keys: Iterable[str]) -> None:
        with self._store.transaction():
            self._store.db.conn.executemany(
                "INSERT OR IGNORE INTO feed_marks (feed, key) VALUES (?, ?)",
                [(feed, k) for k in keys],
            )

    def marked(self, feed: str) -> set[str]:
        with self._store.errors():
            rows = self._store.db.conn.execute(
                "SELECT key FROM feed_marks WHERE feed = ?", (feed,)
            ).fetchall()
        return {r[0] for r in rows}

    def clear(self, feed: str) -> None:
        with self._store.transaction():
            self._store.db.conn.execute("DELETE FROM feed_marks WHERE feed = ?", (feed,))


@dataclass(frozen=True, slots=True)
class StoredRefund:
    refund_id: str
    sale_id: str
    status: str
    method: str
    document: dict[str, Any]


class RefundRepository:
    """Refunds made here: `pending` until the central service answered, then its status."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def add(self, document: Mapping[str, Any], method: str) -> None:
        with self._store.transaction():
            self._store.db.conn.execute(
                "INSERT INTO refunds (refund_id, sale_id, status, method, created_at, document) "
                "VALUES (?, ?, 'pending', ?, ?, ?)",
                (
                    document["refund_id"],
                    document["sale_id"],
                    method,
                    document["created_at"],
                    json.dumps(dict(document), ensure_ascii=False),
                ),
            )

    def settle(self, refund_id: str, status: str, method: str) -> None:
        with self._store.transaction():
            self._store.db.conn.execute(
                "UPDATE refunds SET status = ?, method = ? WHERE refund_id = ?",
                (status, method, refund_id),
            )

    def of_sale(self, sale_id: str) -> list[StoredRefund]:
        with self._store.errors():
            rows = self._store.db.conn.execute(
                "SELECT refund_id, sale_id, status, method, document FROM refunds "
                "WHERE sale_id = ? ORDER BY refund_id",
                (sale_id,),
            ).fetchall()
        return [StoredRefund(r[0], r[1], r[2], r[3], json.loads(r[4])) for r in rows]


class AlertRepository:
    """Each alert's latest version; its history is in the journal and the outbox."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def save(self, alert: Alert) -> None:
        with self._store.transaction():
            self._store.db.conn.execute(
                "INSERT OR REPLACE INTO alerts (alert_id, reason, state, raised_at, document) "
                "VALUES (?,?,?,?,?)",
                (
                    alert.alert_id,
                    alert.reason.value,
                    alert.state.value,
                    alert.raised_at.isoformat(),
                    json.dumps(alert.to_wire()),
                ),
            )

    def get(self, alert_id: str) -> Alert | None:
        with self._store.errors():
            row = self._store.db.conn.execute(
                "SELECT document FROM alerts WHERE alert_id = ?", (alert_id,)
            ).fetchone()
        return None if row is None else Alert.from_wire(json.loads(row[0]))

    def open_alerts(self) -> list[Alert]:
        """Raised or acknowledged, oldest first: the order staff answer them in."""
        states = sorted(s.value for s in OPEN_STATES)
        with self._store.errors():
            rows = self._store.db.conn.execute(
                "SELECT document FROM alerts WHERE state IN (?, ?) ORDER BY raised_at, alert_id",
                states,
            ).fetchall()
        return [Alert.from_wire(json.loads(r[0])) for r in rows]


@dataclass(frozen=True, slots=True)
class TransferRecord:
    """A cart suspended at this kiosk, or a transfer code resumed here."""

    cart_id: str
    event: str
    kiosk_id: str
    at: str
    staff_id: str
    document: dict[str, Any]


_TRANSFER_COLUMNS = "cart_id, event, kiosk_id, at, staff_id, document"


class TransferRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    def add(self, record: TransferRecord) -> bool:
        """Record `record` once; False when this cart already has that event here."""
        with self._store.transaction():
            cursor = self._store.db.conn.execute(
                "INSERT OR IGNORE INTO transfers (cart_id, event, kiosk_id, at, staff_id, "
                "document) VALUES (?,?,?,?,?,?)",
                (
                    record.cart_id,
                    record.event,
                    record.kiosk_id,
                    record.at,
                    record.staff_id,
                    json.dumps(record.document),
                ),
            )
        return cursor.rowcount == 1

    def get(self, cart_id: str, event: str) -> TransferRecord | None:
        return self._one("cart_id = ? AND event = ?", (cart_id, event))

    def suspended_with_number(self, number: str) -> TransferRecord | None:
        """The latest cart suspended here whose slip carries `number`."""
        return self._one(
            "event = 'suspended' AND json_extract(document, '$.number') = ? "
            "ORDER BY at DESC LIMIT 1",
            (number,),
        )

    def _one(self, where: str, args: tuple[str, ...]) -> TransferRecord | None:
        """`where` is one of this class's literals; the values are bound."""
        with self._store.errors():
            row = self._store.db.conn.execute(
                f"SELECT {_TRANSFER_COLUMNS} FROM transfers WHERE {where}",  # noqa: S608
                args,
            ).fetchone()
        if row is None:
            return None
        return TransferRecord(row[0], row[1], row[2], row[3], row[4], json.loads(row[5]))
