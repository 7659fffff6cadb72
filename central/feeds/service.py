"""Delta feeds (catalog, barcode rules, staff, store rules): pages of
changes since an opaque cursor, with tombstones for deletions.

Each feed has its own change sequence in `feed_counters`. A writer bumps the counter
row first, inside its transaction: the row lock it takes (PostgreSQL) or the database
write lock (SQLite) is held until commit, so changes commit in sequence order and a
reader that has seen change N has seen every change below N. That is why paging by
this sequence never skips a change, where paging by `updated_at` would.

A new feed is a name in `FEEDS` plus a validator in `VALIDATORS`; nothing else changes.
Another family of feeds stored the same way (the loyalty definitions,
`central.loyalty.offers`)
keeps its own registry of validators and passes it to `write`.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, insert, select, update

from central.db import upsert
from central.errors import CursorExpired, Invalid
from central.feeds.tables import feed_counters, feed_items, meta
from kiosk.domain.catalog import product_from_wire, product_to_wire
from kiosk.domain.codes import rcn_rule_from_wire, rcn_rule_to_wire
from kiosk.domain.errors import UNREADABLE, CodeError
from kiosk.domain.policy import store_rules_from_wire, store_rules_to_wire
from kiosk.domain.staff import Role
from sync.protocol import FEEDS, STORE_ID_PATTERN, FeedPage

Validator = Callable[[Mapping[str, Any]], tuple[str, dict[str, Any]]]
"""Checks and normalises one item: returns its key and the data to store."""


def _catalog_item(data: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    try:
        product = product_from_wire(data)
    except UNREADABLE as exc:
        raise Invalid(f"product {data.get('gtin')!r}: {exc}", reason="bad_product") from exc
    return product.gtin, product_to_wire(product)


def _rule_item(data: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    rule_id = data.get("rule_id")
    if not isinstance(rule_id, str) or not 0 < len(rule_id) <= 128:
        raise Invalid("every barcode rule needs a 'rule_id' string", reason="bad_rule")
    # Checked here with the kiosk's own parser, so the operator hears of a bad layout at
    # once; kiosks check again (they may meet rules an older service let through).
    try:
        rule = rcn_rule_from_wire(data)
    except CodeError as exc:
        raise Invalid(f"barcode rule {rule_id}: {exc}", reason="bad_rule") from exc
    return rule_id, {"rule_id": rule_id, **rcn_rule_to_wire(rule)}


STORE_ID = re.compile(STORE_ID_PATTERN)


def _staff_item(data: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    staff_id = data.get("staff_id")
    if not isinstance(staff_id, str) or not 0 < len(staff_id) <= 128:
        raise Invalid("every staff record needs a 'staff_id' string", reason="bad_staff")
    try:
        role = Role(str(data.get("role", "")))
    except ValueError:
        raise Invalid(
            f"staff {staff_id}: unknown role {data.get('role')!r}", reason="bad_staff"
        ) from None
    pin_hash = data.get("pin_hash")
    if pin_hash is not None and not str(pin_hash).startswith("$argon2"):
        # Clear PINs never enter the feed: only argon2 hashes travel to kiosks.
        raise Invalid(f"staff {staff_id}: pin_hash must be an argon2 hash", reason="bad_staff")
    home = data.get("home_store")
    if home is not None and not (isinstance(home, str) and STORE_ID.fullmatch(home)):
        raise Invalid(
            f"staff {staff_id}: home_store {home!r} is not a store id", reason="bad_staff"
        )
    return staff_id, {
        "staff_id": staff_id,
        "name": str(data.get("name", "")),
        "role": role.value,
        "active": bool(data.get("active", True)),
        "pin_hash": pin_hash,
        "badge_hash": data.get("badge_hash"),
        # The store they belong to, for the console's lists and store managers' rights; any
        # active staff member still signs in at every store's kiosk. Absent: chain-wide.
        **({"home_store": home} if home else {}),
    }


def _policy_item(data: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    store = data.get("store_id")
    if not (isinstance(store, str) and STORE_ID.fullmatch(store)):
        raise Invalid(f"store rules for {store!r}: not a store id", reason="bad_policy")
    try:
        rules = store_rules_from_wire(data)
    except ValueError as exc:
        raise Invalid(f"store rules for {store}: {exc}", reason="bad_policy") from exc
    return store, {"store_id": store, **store_rules_to_wire(rules)}


VALIDATORS: dict[str, Validator] = {
    "catalog": _catalog_item,
    "rules": _rule_item,
    "staff": _staff_item,
    "policies": _policy_item,
}


def item(conn: Connection, feed: str, key: str) -> dict[str, Any] | None:
    """The current record of one feed item; None if there is none or it was deleted."""
    row = conn.execute(
        select(feed_items.c.deleted, feed_items.c.data).where(
            feed_items.c.feed == feed, feed_items.c.key == key
        )
    ).first()
    if row is None or row.deleted or row.data is None:
        return None
    data: dict[str, Any] = json.loads(row.data)
    return data


def _epoch(conn: Connection) -> str:
    return str(conn.execute(select(meta.c.value).where(meta.c.key == "epoch")).scalar_one())


def encode_cursor(epoch: str, seq: int) -> str:
    return base64.urlsafe_b64encode(f"v1.{epoch}.{seq}".encode()).rstrip(b"=").decode()


def decode_cursor(cursor: str, epoch: str) -> int:
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        version, cursor_epoch, seq_text = text.split(".")
        seq = int(seq_text)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise Invalid("the cursor is not one this service issued", reason="bad_cursor") from None
    if version != "v1" or seq < 0:
        raise Invalid("the cursor is not one this service issued", reason="bad_cursor")
    if cursor_epoch != epoch:
        raise CursorExpired("the cursor belongs to another database: pull again from the start")
    return seq


def _next_seqs(conn: Connection, feed: str, count: int) -> int:
    """Reserve `count` sequence numbers; returns the first. Locks the feed's counter row."""
    bumped = conn.execute(
        update(feed_counters)
        .where(feed_counters.c.feed == feed)
        .values(value=feed_counters.c.value + count)
    )
    if bumped.rowcount == 0:
        conn.execute(insert(feed_counters).values(feed=feed, value=count))
        return 1
    last = int(
        conn.execute(select(feed_counters.c.value).where(feed_counters.c.feed == feed)).scalar_one()
    )
    return last - count + 1


def write(
    conn: Connection,
    feed: str,
    items: Iterable[Mapping[str, Any]],
    deletions: Iterable[str],
    *,
    validators: Mapping[str, Validator] = VALIDATORS,
) -> int:
    """Upsert items and tombstone keys; unchanged items get no new sequence. Returns changes.

    Each item goes through `validators[feed]` (this module's feeds by default; another
    family of feeds passes its own registry).
    """
    validate = validators[feed]
    wanted: dict[str, str | None] = {}
    for item in items:
        key, data = validate(item)
        wanted[key] = json.dumps(data, sort_keys=True, ensure_ascii=False)
    for key in deletions:
        wanted[str(key)] = None
    if not wanted:
        return 0
    current: dict[str, str | None] = {}
    keys = list(wanted)
    for start in range(0, len(keys), 1000):
        chunk = keys[start : start + 1000]
        for row in conn.execute(
            select(feed_items.c.key, feed_items.c.deleted, feed_items.c.data).where(
                feed_items.c.feed == feed, feed_items.c.key.in_(chunk)
            )
        ):
            current[row.key] = None if row.deleted else row.data
    changed = [
        k
        for k, v in wanted.items()
        if (k in current and current[k] != v) or (k not in current and v is not None)
    ]
    if not changed:
        return 0
    first = _next_seqs(conn, feed, len(changed))
    rows = [
        {
            "feed": feed,
            "key": key,
            "seq": first + i,
            "deleted": wanted[key] is None,
            "data": wanted[key],
        }
        for i, key in enumerate(changed)
    ]
    stmt = upsert(conn, feed_items, ["feed", "key"], ["seq", "deleted", "data"])
    for start in range(0, len(rows), 2000):
        conn.execute(stmt, rows[start : start + 2000])
    return len(changed)


def page_json(conn: Connection, feed: str, cursor: str, limit: int) -> str:
    """One page of changes as a `FeedPage` JSON document.

    Written by hand around the stored JSON of each item: parsing 100,000 stored
    documents only to serialise them again would triple the cost of a full pull.
    """
    epoch = _epoch(conn)
    after = decode_cursor(cursor, epoch)
    query = select(feed_items.c.key, feed_items.c.seq, feed_items.c.deleted, feed_items.c.data)
    query = query.where(feed_items.c.feed == feed, feed_items.c.seq > after)
    if after == 0:
        # A first pull has nothing to delete: tombstones only matter to a kiosk that
        # already holds the item.
        query = query.where(feed_items.c.deleted.is_(False))
    rows = conn.execute(query.order_by(feed_items.c.seq).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    last = rows[-1].seq if rows else after
    items = ",".join(
        f'{{"key":{json.dumps(r.key)},"deleted":{"true" if r.deleted else "false"},'
        f'"data":{"null" if r.deleted else r.data}}}'
        for r in rows
    )
    return (
        f'{{"feed":{json.dumps(feed)},"items":[{items}],'
        f'"cursor":{json.dumps(encode_cursor(epoch, last))},"more":{"true" if more else "false"}}}'
    )


def page(conn: Connection, feed: str, cursor: str, limit: int) -> FeedPage:
    return FeedPage.model_validate_json(page_json(conn, feed, cursor, limit))


assert set(VALIDATORS) == set(FEEDS)
