"""A full pull leaves the kiosk holding exactly what the central service holds, or,
interrupted, everything it held before plus what arrived: never half a catalog."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.domain.catalog import product_from_wire
from kiosk.domain.codes import Gtin
from kiosk.domain.ids import IdFactory
from kiosk.domain.policy import BASIS_POINTS, AuditPolicy, StoreRules, store_rules_to_wire
from kiosk.domain.sale import SaleStatus, Tender
from kiosk.domain.staff import Role, Staff
from kiosk.services.checkout import Checkout
from kiosk.services.config import CENTRAL_STORE_RULES_KEY, with_central
from kiosk.services.setup import load_setup
from kiosk.store.loyalty import PROMOTION
from kiosk.store.repositories import StaffRecord
from kiosk.store.uow import KioskStore
from sync.client import CentralClient
from sync.enrolment import enroll, load_credential
from sync.errors import SyncError
from sync.operations import sync_now
from sync.pullers import FeedPuller, cursor_key, full_pull_key
from tests.helpers import FixedClock, make_product, old_kiosk_database
from tests.integration.conftest import FAST_RETRY, CentralHarness
from tests.integration.sync.faultproxy import FaultProxy

LOCAL_ONLY = make_product(901, price=1234)  # from a local CSV import, unknown to the chain


@pytest.fixture
def kiosk(tmp_path: Path, demo_products: list[dict[str, Any]]) -> Iterator[KioskStore]:
    """A kiosk that sold stand-alone from its own catalog (the demo's and one more item),
    with a supervisor enrolled on it, before being enrolled with the chain."""
    store = KioskStore.open(tmp_path / "kiosk.db")
    store.catalog.upsert_many([product_from_wire(p) for p in demo_products])
    store.catalog.upsert_many([LOCAL_ONLY])
    store.staff.upsert(StaffRecord(Staff("L1", "Local Lu", Role.SUPERVISOR), None, None))
    # Pulled once from a chain service whose database has since been replaced.
    store.staff.upsert(
        StaffRecord(Staff("E9", "Gone Guo", Role.SUPERVISOR), None, None), origin="central"
    )
    strict = StoreRules(False, 5, False, 1, AuditPolicy(rate_bp=BASIS_POINTS), "CNY")
    store.settings.set(CENTRAL_STORE_RULES_KEY, {"store_id": "S001", **store_rules_to_wire(strict)})
    yield store
    store.close()


def service_catalog(central: CentralHarness, products: list[dict[str, Any]]) -> set[str]:
    """Load `products` centrally, then delete three: the kiosk never saw them live."""
    central.load_catalog(products)
    gone = [p["gtin"] for p in products[:3]]
    answer = central.op("PUT", "/v1/admin/feeds/catalog", json={"delete": gone})
    assert answer.json() == {"changed": 3}
    return {p["gtin"] for p in products[3:]}


def test_first_pull_leaves_exactly_the_services_catalog_staff_and_rules(
    central: CentralHarness, kiosk: KioskStore, demo_products: list[dict[str, Any]]
) -> None:
    wanted = service_catalog(central, demo_products[:150])
    staff = {"staff_id": "E1", "name": "Li Na", "role": "supervisor", "active": True}
    assert central.op("PUT", "/v1/admin/feeds/staff", json={"items": [staff]}).status_code == 200
    enroll(kiosk, central.url, central.enrolment_code("S001"), name="till 1")

    report = sync_now(kiosk)

    assert kiosk.catalog.gtins() == wanted
    assert kiosk.catalog.get(LOCAL_ONLY.gtin) is None
    # The chain's staff it no longer has are deactivated, as a tombstone would (the
    # journal may still name them); staff enrolled on the kiosk itself stay.
    assert kiosk.staff.active_ids("central") == {"E1"}
    assert kiosk.staff.active_ids("local") == {"L1"}
    gone = kiosk.staff.get("E9")
    assert gone is not None
    assert not gone.staff.active
    # The old service's rules for the store went with it: the kiosk's own apply.
    assert kiosk.settings.get(CENTRAL_STORE_RULES_KEY) is None
    own = load_setup(kiosk).policy
    assert with_central(own, kiosk.settings) == own
    # 147 products and one staff arrived; 55 products (54 of the demo catalog's 201, the
    # local one), one staff member and the store's rules were swept.
    assert report.pulled == {
        "catalog": 147 + 55,
        "rules": 0,
        "staff": 1 + 1,
        "policies": 1,
        "promotions": 0,
        "coupons": 0,
        "tiers": 0,
        "erasures": 0,
    }
    assert kiosk.feed_marks.marked(cursor_key("catalog")) == set()
    assert not kiosk.settings.get(full_pull_key(cursor_key("catalog")))
    # A later pull is a delta pull again: a product added locally stays until the chain
    # says otherwise (the sweep belongs to pulls from the start only).
    kiosk.catalog.upsert_many([LOCAL_ONLY])
    sync_now(kiosk)
    assert kiosk.catalog.gtins() == wanted | {LOCAL_ONLY.gtin}


def test_a_cart_holding_a_swept_product_restores_and_is_paid(
    central: CentralHarness, kiosk: KioskStore, demo_products: list[dict[str, Any]]
) -> None:
    service_catalog(central, demo_products[:20])
    clock = FixedClock()
    enroll(kiosk, central.url, central.enrolment_code("S001"), name="till 1")
    setup = load_setup(kiosk)
    checkout = Checkout(kiosk, setup.identity, setup.policy, clock, IdFactory())
    kept = demo_products[10]["gtin"]
    checkout.scan(LOCAL_ONLY.gtin)
    checkout.scan(kept)

    sync_now(kiosk)
    assert kiosk.catalog.get(LOCAL_ONLY.gtin) is None

    # A restart restores the cart with the catalog entries saved with it.
    restored = Checkout(kiosk, setup.identity, setup.policy, clock, IdFactory())
    assert restored.restored
    state = restored.begin_payment()
    assert state.products[LOCAL_ONLY.gtin].price.minor == 1234
    sale = restored.complete_sale(Tender("pay-1", "demo", state.priced.total))
    assert sale.status is SaleStatus.PAID
    assert [line.gtin for line in sale.cart.lines] == [LOCAL_ONLY.gtin, Gtin(kept)]
    assert sale.priced.lines[0].unit_price.minor == 1234


def test_an_interrupted_full_pull_removes_nothing_and_sweeps_when_it_completes(
    central: CentralHarness, kiosk: KioskStore, demo_products: list[dict[str, Any]]
) -> None:
    wanted = service_catalog(central, demo_products[:150])
    enroll(kiosk, central.url, central.enrolment_code("S001"), name="till 1")
    held_before = kiosk.catalog.gtins()
    proxy = FaultProxy(int(central.url.rsplit(":", 1)[1]), seed=1, fault_rate=0.0)
    proxy.start()
    client = CentralClient(proxy.url, load_credential(kiosk), retry=FAST_RETRY)
    try:
        proxy.down_after = 2  # two pages of 40 arrive, then the service is down
        puller = FeedPuller(kiosk, client, page_size=40)
        with pytest.raises(SyncError):
            puller.pull("catalog")
        # Nothing was removed: the local-only item and the ones the service deleted are
        # still there, next to the 80 products that arrived.
        assert kiosk.catalog.gtins() == held_before
        assert len(kiosk.feed_marks.marked(cursor_key("catalog"))) == 80
        assert kiosk.settings.get(full_pull_key(cursor_key("catalog"))) is True

        # Meanwhile the chain deletes one product the kiosk already received and adds one.
        received = sorted(kiosk.feed_marks.marked(cursor_key("catalog")))[0]
        extra = demo_products[160]
        body = {"items": [extra], "delete": [received]}
        assert central.op("PUT", "/v1/admin/feeds/catalog", json=body).json() == {"changed": 2}
        wanted = (wanted - {received}) | {extra["gtin"]}

        proxy.down_after = None  # back up: the pull resumes where it stopped
        puller.pull("catalog")
        assert kiosk.catalog.gtins() == wanted
        assert kiosk.feed_marks.marked(cursor_key("catalog")) == set()
        assert kiosk.settings.get(full_pull_key(cursor_key("catalog"))) is False
    finally:
        client.close()
        proxy.stop()


def test_a_full_pull_of_promotions_sweeps_offers_the_service_does_not_have(
    central: CentralHarness, kiosk: KioskStore
) -> None:
    repo = kiosk.loyalty
    # A promotion from a local import (or one the chain deleted before this kiosk's first
    # pull): the service has none, so after the full pull the kiosk has none either.
    repo.put_offers(PROMOTION, [("local-only", {"promotion_id": "local-only"})])
    credential = central.enrol()
    client = central.client(credential)
    try:
        assert FeedPuller(kiosk, client).pull("promotions") == 1
    finally:
        client.close()
    assert repo.offer_ids(PROMOTION) == set()


def test_upgrading_a_kiosk_makes_its_next_pull_a_full_one(tmp_path: Path) -> None:
    """A kiosk whose first pull only upserted (before schema 5) pulls everything once more,
    so the sweep removes what that pull left behind; its local staff stay local."""
    path = tmp_path / "old.db"
    conn = old_kiosk_database(path, 4)
    conn.execute("""INSERT INTO settings VALUES ('sync.cursor.catalog', '"djEuYWJjLjQy"')""")
    conn.execute("""INSERT INTO settings VALUES ('sync.cursor.loyalty.coupons', '"x"')""")
    conn.execute("INSERT INTO staff (staff_id, name, role) VALUES ('L1', 'Lu', 'cashier')")
    conn.commit()
    conn.close()
    store = KioskStore.open(path)
    try:
        assert store.settings.get(cursor_key("catalog")) == ""
        assert store.settings.get("sync.cursor.loyalty.coupons") == ""
        assert store.staff.active_ids("local") == {"L1"}
    finally:
        store.close()
