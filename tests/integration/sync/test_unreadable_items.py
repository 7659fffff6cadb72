"""A product or an offer this kiosk's version cannot read (a newer service sent it: the
service is upgraded first) is left out on its own; the feed goes on, and so do the sales."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from central.feeds import service as feeds
from kiosk.domain.promotions import promotion_to_wire
from kiosk.services.config import REFUSED_ITEMS_KEY
from kiosk.services.loyalty import LoyaltySettings, OfferCatalog
from kiosk.store.loyalty import PROMOTION, TIERS
from kiosk.store.uow import KioskStore
from sync.operations import status_dict, sync_now
from sync.pullers import cursor_key
from tests.integration.conftest import CentralHarness
from tests.integration.sync.conftest import store_unchecked
from tests.unit.kiosk.loyalty_data import PROMOTIONS

LAYS = "6933509001015"


def _definition(central: CentralHarness, feed: str, key: str) -> dict[str, Any]:
    with central.engine.connect() as conn:
        item = feeds.item(conn, feed, key)
    assert item is not None
    return item


def _applied(store: KioskStore) -> set[str]:
    """The promotions the kiosk's pricing applies, as the checkout builds them."""
    engine = OfferCatalog(store.loyalty, LoyaltySettings()).engine()
    return {promotion.promotion_id for promotion in engine.promotions}


def test_an_offer_of_a_newer_kind_is_left_out_and_the_others_still_price_the_sale(
    central: CentralHarness,
    synced_kiosk: tuple[KioskStore, KioskStore],
    caplog: pytest.LogCaptureFixture,
) -> None:
    store, sync_store = synced_kiosk
    central.load_offers()
    sync_now(sync_store)
    demo = _applied(store)
    assert {"coke-3-for-8", "lays-2nd-half"} <= demo
    coke = _definition(central, "promotions", "coke-3-for-8")

    # The chain turns the coke offer into a kind this kiosk does not know yet, and adds one.
    lucky = {**coke, "kind": "lucky_draw"}
    new = {**lucky, "promotion_id": "lucky-1"}
    store_unchecked(central, "promotions", lucky, new)
    [coupon, *_] = central.op("GET", "/v1/loyalty/admin/offers/coupons").json()
    store_unchecked(central, "coupons", {**coupon, "coupon_id": "mystery", "kind": "mystery_box"})
    with caplog.at_level(logging.ERROR, logger="sync.pullers"):
        sync_now(sync_store)
    assert sorted(r.getMessage().split(" ")[2] for r in caplog.records) == [
        "'coke-3-for-8'",
        "'lucky-1'",
        "'mystery'",
    ]
    refused = status_dict(store)["refused_items"]
    assert set(refused) == {"promotions", "coupons"}
    assert set(refused["promotions"]) == {"coke-3-for-8", "lucky-1"}
    assert set(refused["coupons"]) == {"mystery"}
    assert "unknown kind 'lucky_draw'" in refused["promotions"]["lucky-1"]
    # The older coke offer is not applied as if it still held; the others still are.
    assert _applied(store) == demo - {"coke-3-for-8"}
    # The chain's operators see it on the fleet (the round's heartbeat).
    [kiosk] = central.op("GET", "/v1/admin/fleet").json()["kiosks"]
    assert any(e.startswith("promotions lucky-1 refused: ") for e in kiosk["heartbeat"]["errors"])

    # A later round logs nothing new and changes nothing.
    caplog.clear()
    with caplog.at_level(logging.ERROR, logger="sync.pullers"):
        sync_now(sync_store)
    assert caplog.records == []
    assert set(status_dict(store)["refused_items"]["promotions"]) == {"coke-3-for-8", "lucky-1"}

    # The chain puts the coke offer back and drops the others: nothing is refused any more.
    store_unchecked(central, "promotions", coke)
    central.op("PUT", "/v1/loyalty/admin/offers/promotions", json={"delete": ["lucky-1"]})
    central.op("PUT", "/v1/loyalty/admin/offers/coupons", json={"delete": ["mystery"]})
    sync_now(sync_store)
    assert status_dict(store)["refused_items"] == {}
    assert _applied(store) == demo


def test_an_upgraded_kiosk_reads_what_its_older_version_refused(
    central: CentralHarness, synced_kiosk: tuple[KioskStore, KioskStore]
) -> None:
    store, sync_store = synced_kiosk
    central.load_offers()
    sync_now(sync_store)
    coke = _definition(central, "promotions", "coke-3-for-8")
    # As the older version left it: the offer refused, kept, and not held.
    store.loyalty.delete_offers(PROMOTION, ["coke-3-for-8"])
    why = {"reason": "unknown kind", "data": coke}
    store.settings.set(REFUSED_ITEMS_KEY, {"promotions": {"coke-3-for-8": why}})
    assert "coke-3-for-8" not in _applied(store)

    sync_now(sync_store)  # nothing changed centrally: the feed sends nothing new
    assert status_dict(store)["refused_items"] == {}
    assert "coke-3-for-8" in _applied(store)


def test_a_product_this_kiosk_cannot_read_is_not_sold_at_its_old_price(
    central: CentralHarness,
    synced_kiosk: tuple[KioskStore, KioskStore],
    demo_products: list[dict[str, Any]],
) -> None:
    store, sync_store = synced_kiosk
    lays = next(p for p in demo_products if p["gtin"].endswith(LAYS))
    dearer = {**lays, "price_minor": lays["price_minor"] + 100}
    other = demo_products[-1]
    store_unchecked(central, "catalog", {**dearer, "unit": "litre"}, {**other, "price_minor": 1})
    sync_now(sync_store)
    assert set(status_dict(store)["refused_items"]["catalog"]) == {lays["gtin"]}
    # The rest of the page was written; the product is unknown, not at its older price.
    written = store.catalog.get(other["gtin"])
    assert written is not None
    assert written.price.minor == 1
    assert store.catalog.get(lays["gtin"]) is None

    # The chain deletes it while this kiosk's feed starts over (a replaced service
    # database): a full pull's first page has no tombstones, the sweep drops it all the same.
    central.op("PUT", "/v1/admin/feeds/catalog", json={"delete": [lays["gtin"]]})
    sync_store.settings.set(cursor_key("catalog"), "")
    sync_now(sync_store)
    assert status_dict(store)["refused_items"] == {}
    assert store.catalog.get(lays["gtin"]) is None


def test_an_offer_an_older_version_stored_unread_does_not_stop_the_sales(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = KioskStore.open(tmp_path / "kiosk.db")
    try:
        # Versions before this one stored what the feed sent unread: an offer of a kind a
        # newer service knows failed every sale's pricing on them, and does after upgrading
        # to a version that still does not know it.
        good = promotion_to_wire(PROMOTIONS[0])
        newer = {**good, "promotion_id": "lucky-1", "kind": "lucky_draw"}
        store.loyalty.put_offers(PROMOTION, [(good["promotion_id"], good), ("lucky-1", newer)])
        with caplog.at_level(logging.ERROR, logger="kiosk.store.loyalty"):
            assert _applied(store) == {good["promotion_id"]}
        assert "stored promotion 'lucky-1' cannot be read" in caplog.text
    finally:
        store.close()


def test_a_tier_policy_this_kiosk_cannot_read_leaves_the_chains_last_one_in_force(
    central: CentralHarness, synced_kiosk: tuple[KioskStore, KioskStore]
) -> None:
    store, sync_store = synced_kiosk
    policy = {"tiers": [{"tier": "general", "rank": 0}, {"tier": "gold", "rank": 1}]}
    central.op("PUT", "/v1/loyalty/admin/offers/tiers", json={"items": [policy]})
    sync_now(sync_store)
    catalog = OfferCatalog(store.loyalty, LoyaltySettings())
    assert [rule.tier for rule in catalog.tiers().rules] == ["general", "gold"]
    # Without the chain's policy the kiosk's own would apply (double points for "royal"):
    # a policy it cannot read leaves the chain's last one in force.
    newer = {"tiers": [{"tier": "general", "rank": 0}, {"tier": "gold", "rank": "top"}]}
    store_unchecked(central, "tiers", newer)
    sync_now(sync_store)
    assert set(status_dict(store)["refused_items"]["tiers"]) == {"policy"}
    assert [rule.tier for rule in catalog.tiers().rules] == ["general", "gold"]


def test_a_tier_policy_an_older_version_stored_unread_gives_way_to_the_configured_one(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = KioskStore.open(tmp_path / "kiosk.db")
    try:
        store.loyalty.put_offers(TIERS, [("policy", {"tiers": [{"tier": "gold"}]})])
        catalog = OfferCatalog(store.loyalty, LoyaltySettings())
        with caplog.at_level(logging.ERROR, logger="kiosk.services.loyalty"):
            assert catalog.tiers() == LoyaltySettings().tiers
        assert "the stored tier policy cannot be read" in caplog.text
    finally:
        store.close()
