"""The outbox relay and the delta pullers against a fake service (real kiosk SQLite store)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from kiosk.domain.codes import Gtin
from kiosk.services.config import demo_policy
from kiosk.store.uow import KioskStore
from sync.connectivity import State
from sync.errors import ProtocolError, RetriesExhausted
from sync.protocol import MAX_ERRORS, Heartbeat
from sync.pullers import RULES_KEY, FeedPuller, cursor_key
from sync.relay import CONFLICTS_KEY, OutboxRelay
from sync.worker import SyncStatus

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
Handler = Callable[[str, str, Any, Any], Any]


class FakeClient:
    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.calls: list[tuple[str, str, Any, Any]] = []

    def call(self, method: str, path: str, *, body: Any = None, query: Any = None, **_: Any) -> Any:
        self.calls.append((method, path, body, query))
        return self.handler(method, path, body, query)


def queue_sales(store: KioskStore, count: int) -> list[str]:
    keys = [f"0190{n:04d}-0000-7000-8000-000000000000" for n in range(count)]
    for n, key in enumerate(keys):
        store.outbox.add("sale", key, {"sale_id": key, "sequence": n + 1}, NOW)
    return keys


def all_stored(method: str, path: str, body: Any, query: Any) -> Any:
    return {"results": [{"sale_id": s["sale_id"], "result": "stored"} for s in body["sales"]]}


def test_relay_marks_rows_sent_only_after_acknowledgement(store: KioskStore) -> None:
    queue_sales(store, 7)
    fake = FakeClient(all_stored)
    report = OutboxRelay(store, fake, batch_size=3).drain()  # type: ignore[arg-type]
    assert (report.sent, report.batches) == (7, 3)
    assert [len(c[2]["sales"]) for c in fake.calls] == [3, 3, 1]
    assert store.outbox.depth() == 0


def test_failed_send_leaves_everything_pending(store: KioskStore) -> None:
    queue_sales(store, 4)

    def down(*_: Any) -> Any:
        raise RetriesExhausted("no route to host")

    with pytest.raises(RetriesExhausted):
        OutboxRelay(store, FakeClient(down)).drain()  # type: ignore[arg-type]
    assert store.outbox.depth() == 4


def test_partial_answer_keeps_unanswered_rows(store: KioskStore) -> None:
    keys = queue_sales(store, 3)

    def half(method: str, path: str, body: Any, query: Any) -> Any:
        return {"results": [{"sale_id": keys[0], "result": "duplicate"}]}

    relay = OutboxRelay(store, FakeClient(half), batch_size=3)  # type: ignore[arg-type]
    report = relay.drain(max_batches=1)
    assert report.duplicates == 1
    assert [r.key for r in store.outbox.pending()] == keys[1:]
    # An answer that acknowledges nothing ends the round instead of looping on it.
    silent = FakeClient(lambda *_: {"results": []})
    report = OutboxRelay(store, silent).drain()  # type: ignore[arg-type]
    assert (report.batches, len(silent.calls)) == (1, 1)
    assert store.outbox.pending()[0].attempts == 2


def test_an_answer_about_none_of_the_redemptions_ends_the_round(store: KioskStore) -> None:
    """The loyalty relay was a copy of the outbox relay that lost this guard: an answer
    naming none of the sent coupon redemptions sent the same batch again, up to
    `max_batches` times."""
    for n in range(3):
        key = f"0190{n:04d}-0000-7000-8000-00000000000r"
        store.outbox.add("coupon_redemption", key, {"redemption_id": key}, NOW)
    silent = FakeClient(lambda *_: {"results": []})
    report = OutboxRelay(store, silent).drain(max_batches=50)  # type: ignore[arg-type]
    assert (report.batches, len(silent.calls)) == (1, 1)
    assert silent.calls[0][1] == "/v1/loyalty/redemptions/batch"
    assert store.outbox.depth() == 3


def test_conflicts_are_recorded_and_not_retried(store: KioskStore) -> None:
    keys = queue_sales(store, 3)

    def conflict_second(method: str, path: str, body: Any, query: Any) -> Any:
        results = []
        for sale in body["sales"]:
            result = "conflict" if sale["sale_id"] == keys[1] else "stored"
            results.append({"sale_id": sale["sale_id"], "result": result, "detail": "body_differs"})
        return {"results": results}

    fake = FakeClient(conflict_second)
    report = OutboxRelay(store, fake).drain()  # type: ignore[arg-type]
    assert (report.sent, report.conflicts) == (2, 1)
    assert store.outbox.depth() == 0
    [conflict] = store.settings.get(CONFLICTS_KEY)
    assert (conflict["kind"], conflict["key"]) == ("sale", keys[1])
    OutboxRelay(store, fake).drain()  # type: ignore[arg-type]
    assert len(fake.calls) == 1


def test_one_malformed_row_does_not_block_the_queue(store: KioskStore) -> None:
    keys = queue_sales(store, 4)

    def picky(method: str, path: str, body: Any, query: Any) -> Any:
        if any(s["sale_id"] == keys[2] for s in body["sales"]):
            raise ProtocolError("schema", status=422)
        return all_stored(method, path, body, query)

    report = OutboxRelay(store, FakeClient(picky)).drain()  # type: ignore[arg-type]
    assert (report.sent, report.conflicts) == (3, 1)
    assert store.outbox.depth() == 0
    assert store.settings.get(CONFLICTS_KEY)[0]["detail"].startswith("rejected")


def test_journal_batches_are_acknowledged_whole(store: KioskStore) -> None:
    for n in range(1, 4):
        store.outbox.add("journal", str(n), {"index": n}, NOW)
    fake = FakeClient(lambda *_: {"stored": 3, "duplicate": 0, "issues": []})
    OutboxRelay(store, fake).drain()  # type: ignore[arg-type]
    assert fake.calls[0][1] == "/v1/journal/batch"
    assert store.outbox.depth() == 0


def product(gtin: str, price: int) -> dict[str, Any]:
    return {
        "gtin": gtin,
        "names": {"en": f"P{gtin[-3:]}"},
        "brand": "",
        "category": "",
        "tax_class": "standard",
        "price_minor": price,
        "currency": "CNY",
        "unit": "each",
    }


class FakeFeed:
    """Serves a list of changes from cursor positions "", "1", "2", …"""

    def __init__(self, changes: list[dict[str, Any]], page: int = 2) -> None:
        self.changes = changes
        self.page = page

    def __call__(self, method: str, path: str, body: Any, query: Any) -> Any:
        start = int(query["cursor"] or 0)
        items = self.changes[start : start + self.page]
        end = start + len(items)
        return {
            "feed": path.rsplit("/", 1)[1],
            "items": items,
            "cursor": str(end),
            "more": end < len(self.changes),
        }


def test_catalog_pull_applies_pages_and_tombstones(store: KioskStore) -> None:
    changes = [
        {"key": "06935412001014", "deleted": False, "data": product("06935412001014", 200)},
        {"key": "06935412001021", "deleted": False, "data": product("06935412001021", 990)},
        {"key": "06935412001038", "deleted": False, "data": product("06935412001038", 680)},
    ]
    feed = FakeFeed(changes)
    puller = FeedPuller(store, FakeClient(feed))  # type: ignore[arg-type]
    assert puller.pull("catalog") == 3
    assert store.catalog.count() == 3
    assert store.settings.get(cursor_key("catalog")) == "3"
    feed.changes.append({"key": "06935412001021", "deleted": True, "data": None})
    feed.changes.append(
        {"key": "06935412001014", "deleted": False, "data": product("06935412001014", 250)}
    )
    assert puller.pull("catalog") == 2
    assert store.catalog.get(Gtin("06935412001021")) is None
    found = store.catalog.get(Gtin("06935412001014"))
    assert found is not None
    assert found.price.minor == 250


RULE_21 = {
    "rule_id": "r1",
    "prefix": "21",
    "item_digits": 5,
    "value": "price",
    "value_digits": 5,
    "decimals": 2,
    "verifier": False,
}


def test_expired_cursor_restarts_the_pull_once(store: KioskStore) -> None:
    store.settings.set(cursor_key("rules"), "99")
    # Held from the replaced database: the restarted (full) pull sweeps it.
    store.settings.set(RULES_KEY, {"old": RULE_21 | {"rule_id": "old", "prefix": "28"}})
    feed = FakeFeed([{"key": "r1", "deleted": False, "data": RULE_21}])

    def handler(method: str, path: str, body: Any, query: Any) -> Any:
        if query["cursor"] == "99":
            raise ProtocolError("gone", status=410, reason="cursor_expired")
        return feed(method, path, body, query)

    # One rule pulled, one swept.
    assert FeedPuller(store, FakeClient(handler)).pull("rules") == 2  # type: ignore[arg-type]
    assert store.settings.get(RULES_KEY) == {"r1": RULE_21}


def test_staff_pull_and_deactivation(store: KioskStore) -> None:
    record = {
        "staff_id": "E1",
        "name": "Ana",
        "role": "manager",
        "active": True,
        "pin_hash": "$argon2id$x",
        "badge_hash": "ab",
    }
    feed = FakeFeed([{"key": "E1", "deleted": False, "data": record}])
    puller = FeedPuller(store, FakeClient(feed))  # type: ignore[arg-type]
    puller.pull("staff")
    got = store.staff.get("E1")
    assert got is not None
    assert got.staff.active
    assert got.pin_hash == "$argon2id$x"
    feed.changes.append({"key": "E1", "deleted": True, "data": None})
    puller.pull("staff")
    gone = store.staff.get("E1")
    assert gone is not None
    assert not gone.staff.active
    assert demo_policy().store_id


def test_the_heartbeat_carries_every_problem_or_counts_those_it_cannot() -> None:
    def problems(refused: int) -> list[str]:
        keys = {f"p{n:03d}": "unknown kind 'lucky_draw'" for n in range(refused)}
        return SyncStatus(
            True, "", "", State.ONLINE, 0, None, None, [], "", {"scale-22": "13 digits"},
            "another currency", {"promotions": keys} if keys else {},
        ).problems()  # fmt: skip

    assert problems(0) == ["barcode rule scale-22 refused: 13 digits",
                           "store rules refused: another currency"]  # fmt: skip
    assert len(problems(MAX_ERRORS - 2)) == MAX_ERRORS
    assert problems(MAX_ERRORS - 2)[-1] == "promotions p047 refused: unknown kind 'lucky_draw'"
    lines = problems(200)
    assert len(lines) == MAX_ERRORS
    # Every line the heartbeat has room for, and the count of the rest: none vanish unsaid.
    assert lines[-1] == f"… and {202 - (MAX_ERRORS - 1)} more (kiosk sync status)"
    Heartbeat(app_version="1", queue_depth=0, errors=lines)  # the service takes it
