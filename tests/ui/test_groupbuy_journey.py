"""A community group-buy end to end (issue #17): the real central service on loopback, the
shopper's phone pages in a headless Chromium, and the kiosk's real window.

A leader makes a tiered campaign (¥39.90 a case of water, ¥35.90 from 20 buyers, ¥32.90
from 50); 25 neighbours join and pay (the first on the phone pages in Chromium, the rest
over HTTP); the cut-off fixes ¥35.90 for everyone and refunds the difference, once; the
store marks the orders ready and the kiosk pulls them. At the kiosk one buyer collects and
buys two more items (one exit pass for both); another collects half, and the rest later;
one never comes and is refunded after the pickup window.

Here rather than in tests/integration because the kiosk is the Qt one (this folder's
fixtures); SQLite only, the central engines are covered by tests/integration/central.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from demo.store import DemoStore
from kiosk.domain.exit_code import ExitPass, split
from kiosk.domain.scan import Symbology
from kiosk.services.setup import database_path
from kiosk.store.uow import KioskStore
from sync.client import CentralClient
from sync.enrolment import enroll
from sync.worker import sync_round
from tests.integration.central.groupbuy_support import (
    HOUR,
    WATER,
    join_and_pay,
    new_campaign,
    order,
    payments,
)
from tests.integration.conftest import demo_products
from tests.integration.payments.conftest import PaymentsHarness
from tests.integration.payments.test_receipts_and_pages import browser
from tests.ui.conftest import Kit, KitFactory, shown
from ui.screens.done import DoneScreen
from ui.screens.pickup import PickupScreen

__all__ = ["browser", "demo_products", "payments"]  # fixtures
LEFT = Qt.MouseButton.LeftButton
PHONE = {"width": 390, "height": 844}
BUYERS = 25


@pytest.fixture
def central_db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'central.db'}"


@pytest.fixture
def enrolled(payments: PaymentsHarness, home: Path) -> Iterator[CentralClient]:
    """The kiosk's home enrolled at the service for store S001, and a client signed with
    its credential on the service's test clock (moved past the cut-off with it)."""
    store = KioskStore.open(database_path(home))
    try:
        credential = enroll(store, payments.url, payments.harness.enrolment_code("S001"))
    finally:
        store.close()
    client = payments.harness.client(credential, clock=lambda: payments.clock() / 1000)
    try:
        yield client
    finally:
        client.close()


def _campaign(payments: PaymentsHarness) -> dict[str, Any]:
    items = [
        {"gtin": WATER, "price_minor": 3990, "per_person": 3, "stock": 100,
         "tiers": [{"min_buyers": 20, "price_minor": 3590},
                   {"min_buyers": 50, "price_minor": 3290}]},
    ]  # fmt: skip
    return new_campaign(payments, items=items)


def _on_the_phone(browser: Any, campaign: dict[str, Any]) -> dict[str, Any]:
    """The first neighbour orders two cases on the share link's page and prepays in the
    sandbox wallet; returns the order (with its token, as the phone's link carries it)."""
    page = browser.new_context(viewport=PHONE, locale="zh-CN").new_page()
    page.goto(campaign["share_url"])
    page.fill(f"#qty_{WATER}", "2")
    page.fill("#buyer", "李**")
    page.fill("#phone", "13912345678")
    page.click("#order")
    page.wait_for_selector("#status")
    order_url = page.url
    page.click("#pay")  # to the sandbox wallet's page
    page.click("#pay")
    page.wait_for_selector("#result")
    page.goto(order_url)
    assert page.locator("#status").inner_text() == "已支付，等待截单"
    page.context.close()
    order_id = urlparse(order_url).path.rsplit("/", 1)[1]
    token = parse_qs(urlparse(order_url).query)["t"][0]
    return {"order_id": order_id, "token": token}


def _scan_code(kit: Kit, code: str) -> PickupScreen:
    kit.scan(code, Symbology.QR)
    assert shown(kit.kiosk.window) == "pickup"
    screen = kit.kiosk.window.screens["pickup"]
    assert isinstance(screen, PickupScreen)
    return screen


def test_a_group_buy_from_the_leader_to_the_kiosk_and_the_unclaimed_refund(
    payments: PaymentsHarness,
    browser: Any,
    enrolled: CentralClient,
    make_kit: KitFactory,
    demo: DemoStore,
    qtbot: QtBot,
) -> None:
    campaign = _campaign(payments)
    cid = campaign["campaign_id"]
    phone = _on_the_phone(browser, campaign)
    others = [
        join_and_pay(payments, campaign, f"1370000{n:04d}", quantity=2 if n == 0 else 1)
        for n in range(BUYERS - 1)
    ]
    status = payments.op("GET", f"/v1/groupbuy/campaigns/{cid}").json()
    assert status["buyers"] == BUYERS
    assert status["items"][0]["price_minor"] == 3590  # 20 buyers reached the tier
    # Each paid the price in force when they joined: the 21st the first at ¥35.90.
    assert [o["paid_minor"] for o in others[18:20]] == [3990, 3590]

    # The cut-off: ¥35.90 for everyone; the 20 who paid ¥39.90 get the difference, once.
    payments.clock.advance(HOUR + 1)
    cut = payments.op("POST", f"/v1/groupbuy/campaigns/{cid}/cut-off").json()
    assert (cut["buyers"], cut["refunds"], cut["unsent"]) == (BUYERS, 20, 0)
    assert cut["refunded_minor"] == (2 + 2 + 18) * 400  # the cases bought at ¥39.90
    again = payments.op("POST", f"/v1/groupbuy/campaigns/{cid}/cut-off").json()
    assert again["refunded_minor"] == cut["refunded_minor"]
    mine = order(payments, phone)
    assert mine["final_minor"] == 2 * 3590
    assert mine["refunds"] == [{"kind": "difference", "amount_minor": 800, "status": "refunded"}]
    ready = payments.op("POST", f"/v1/groupbuy/campaigns/{cid}/ready", json={}).json()
    assert ready == {"ready": BUYERS}

    # The kiosk pulls the store's key and ready orders.
    kit = make_kit()
    store = kit.kiosk.session.core.store
    sync_round(store, enrolled)
    kit.kiosk.localiser.set_language("en")

    # The phone's buyer collects both cases and buys two more items: one pass for all.
    screen = _scan_code(kit, order(payments, phone)["pickup_code"])
    qtbot.mouseClick(screen.collect, LEFT)
    assert "Take your 2 items" in screen.instruction.text()
    qtbot.mouseClick(screen.more, LEFT)
    kit.scan_product(demo.fixed[0])
    kit.scan_product(demo.fixed[1])
    session = kit.kiosk.session
    session.pay()
    qtbot.waitUntil(lambda: session.payment is not None)
    assert session.payment is not None
    with qtbot.waitSignal(session.sale_finished):
        kit.payments.simulate_paid(session.payment.payment_id)
    done = kit.kiosk.window.screens["done"]
    assert isinstance(done, DoneScreen)
    assert shown(kit.kiosk.window) == "done"
    assert "collected: 2 items" in done.collected_text.text()
    assert session.exit_code is not None
    assert ExitPass.from_signed_bytes(split(session.exit_code)[0]).item_count == 4
    qtbot.mouseClick(done.print_button, LEFT)
    qtbot.mouseClick(done.finish_button, LEFT)
    assert shown(kit.kiosk.window) == "attract"

    # A second buyer takes one of two cases now: the pickup's own pass, nothing paid.
    half = others[0]
    screen = _scan_code(kit, order(payments, half)["pickup_code"])
    qtbot.mouseClick(screen.rows[WATER].minus, LEFT)
    qtbot.mouseClick(screen.collect, LEFT)
    qtbot.mouseClick(screen.done, LEFT)
    assert shown(kit.kiosk.window) == "done"
    assert done.paid.text() == "已预付：今天无需付款。"  # the next shopper: the store's language
    qtbot.mouseClick(done.print_button, LEFT)
    qtbot.mouseClick(done.finish_button, LEFT)
    report = sync_round(store, enrolled).relay
    assert report.conflicts == 0
    assert report.by_kind.get("groupbuy_pickup") == 2
    assert order(payments, phone)["status"] == "collected"
    assert order(payments, half)["status"] == "partly_collected"
    # … and the other case later.
    screen = _scan_code(kit, order(payments, half)["pickup_code"])
    assert dict(screen.view.chosen if screen.view else {}) == {WATER: 1}
    qtbot.mouseClick(screen.collect, LEFT)
    qtbot.mouseClick(screen.done, LEFT)
    qtbot.mouseClick(done.print_button, LEFT)
    qtbot.mouseClick(done.finish_button, LEFT)
    sync_round(store, enrolled)
    assert order(payments, half)["status"] == "collected"

    # One never comes: after the pickup window their order is refunded at ¥35.90.
    payments.clock.advance(26 * HOUR)
    unclaimed = payments.op("POST", f"/v1/groupbuy/campaigns/{cid}/unclaimed").json()
    assert unclaimed["refunded"] == BUYERS - 2
    absent = order(payments, others[1])
    assert absent["refunds"][-1] == {"kind": "unclaimed", "amount_minor": 3590,
                                     "status": "refunded"}  # fmt: skip
    summary = payments.op("GET", f"/v1/groupbuy/campaigns/{cid}/report").json()
    assert summary["pickup_rate"] == round(2 / BUYERS, 4)
    assert summary["double_pickups"] == 0
