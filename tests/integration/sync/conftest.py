"""A kiosk enrolled with the test's central service, for the feeds' tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from central.feeds import service as feeds
from kiosk.domain.ids import IdFactory
from kiosk.domain.sale import Tender
from kiosk.services.checkout import Checkout
from kiosk.services.setup import load_setup
from kiosk.store.uow import KioskStore
from sync.enrolment import enroll
from sync.operations import sync_now
from tests.helpers import FixedClock
from tests.integration.conftest import CentralHarness


@pytest.fixture
def synced_kiosk(
    tmp_path: Path, central: CentralHarness, demo_products: list[dict[str, Any]]
) -> Iterator[tuple[KioskStore, KioskStore]]:
    """The kiosk's UI-thread store and its sync thread's store: two connections, as in
    the kiosk, enrolled for store S001 and synced once."""
    central.load_catalog(demo_products)
    store = KioskStore.open(tmp_path / "kiosk.db")
    enroll(store, central.url, central.enrolment_code("S001"), name="till 1")
    sync_store = KioskStore.open(tmp_path / "kiosk.db")
    sync_now(sync_store)
    yield store, sync_store
    sync_store.close()
    store.close()


def new_checkout(store: KioskStore) -> Checkout:
    """A checkout as the kiosk starts one, on `store`'s setup."""
    setup = load_setup(store)
    return Checkout(store, setup.identity, setup.policy, FixedClock(), IdFactory())


def pay(checkout: Checkout) -> None:
    state = checkout.begin_payment()
    checkout.complete_sale(Tender("pay", "demo", state.priced.total))


def put_items(central: CentralHarness, feed: str, *items: dict[str, Any]) -> None:
    """Write `items` into a feed as an operator does, through the feed's validator."""
    answer = central.op("PUT", f"/v1/admin/feeds/{feed}", json={"items": list(items)})
    assert answer.status_code == 200, answer.text


FEED_KEYS = {"catalog": "gtin", "rules": "rule_id", "policies": "store_id",
             "promotions": "promotion_id", "coupons": "coupon_id"}  # fmt: skip


def store_unchecked(central: CentralHarness, feed: str, *items: dict[str, Any]) -> None:
    """Write items into a feed past today's checks: as an older service let them through,
    or a newer one sends what this version cannot read (the tier policy's key is fixed)."""
    key = FEED_KEYS.get(feed)

    def unchecked(item: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        return (str(item[key]) if key else "policy"), dict(item)

    with central.engine.begin() as conn:
        feeds.write(conn, feed, items, [], validators={feed: unchecked})
