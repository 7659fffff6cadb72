"""Member lookups ask the real central service on a worker thread: the screen stays live
while the answer is on its way, one tap makes one lookup, and an answer that comes after the
shopper has gone never lands on the next shopper's cart."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from central.embedded import EmbeddedCentral, issue_enrolment_code, start_demo
from demo.store import DemoStore
from kiosk.domain.ids import IdFactory
from kiosk.services.setup import database_path
from kiosk.store.uow import KioskStore
from sync.enrolment import enroll
from tests.integration.sync.faultproxy import FaultProxy
from tests.ui.conftest import Kit, KitFactory
from ui.screens.member import MemberScreen


class HeldLookups(FaultProxy):
    """Passes every request to the service, but holds member lookups until released."""

    def __init__(self, upstream_port: int) -> None:
        super().__init__(upstream_port, seed=0, fault_rate=0.0)
        self.held = threading.Event()
        self.release = threading.Event()
        self.lookups = 0

    def _forward(self, request: bytes) -> bytes | None:
        if b"/member?" in request.split(b"\r\n", 1)[0]:
            self.lookups += 1
            self.held.set()
            self.release.wait(timeout=30)
        return super()._forward(request)


@pytest.fixture(scope="module")
def central(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedCentral]:
    handle = start_demo(tmp_path_factory.mktemp("central"))
    yield handle
    handle.stop()


@pytest.fixture
def gate(home: Path, central: EmbeddedCentral) -> Iterator[HeldLookups]:
    """The kiosk in `home`, enrolled with the central service through the gate."""
    proxy = HeldLookups(int(urlsplit(central.url).port or 0))
    proxy.start()
    store = KioskStore.open(database_path(home))
    try:
        enroll(store, proxy.url, issue_enrolment_code(central, "S001"), name="test kiosk")
    finally:
        store.close()
    yield proxy
    proxy.release.set()
    proxy.stop()


def looking_up(kit: Kit) -> bool:
    return kit.kiosk.session.looking_up_member


def cart_member(kit: Kit) -> str | None:
    return kit.kiosk.session.checkout.cart.member_id


def notice(kit: Kit) -> str:
    shown = kit.kiosk.window.notice_bar.notice
    return shown.reason if shown is not None else ""


def event_loop_runs(qtbot: QtBot) -> None:
    ran: list[bool] = []
    QTimer.singleShot(0, lambda: ran.append(True))
    qtbot.waitUntil(lambda: bool(ran), timeout=2000)


def test_a_member_qr_is_looked_up_while_the_screen_stays_live(
    gate: HeldLookups, make_kit: KitFactory, demo: DemoStore, qtbot: QtBot
) -> None:
    kit: Kit = make_kit()
    session = kit.kiosk.session
    assert session.core.members.asks_central
    kit.scan_product(demo.fixed[0])
    member_id = IdFactory().new()
    kit.scan(session.core.members.card_qr(member_id))
    qtbot.waitUntil(gate.held.is_set, timeout=5000)
    # The service has not answered: the kiosk keeps running, and says what it is doing.
    assert looking_up(kit)
    event_loop_runs(qtbot)
    assert notice(kit) == "member_looking_up"
    assert cart_member(kit) is None
    gate.release.set()
    qtbot.waitUntil(lambda: cart_member(kit) is not None, timeout=10000)
    assert not looking_up(kit)
    assert cart_member(kit) == member_id
    assert notice(kit) == "member_on_product_screen"


def test_one_tap_one_lookup_and_the_buttons_wait(
    gate: HeldLookups, make_kit: KitFactory, qtbot: QtBot
) -> None:
    kit: Kit = make_kit()
    session = kit.kiosk.session
    session.start()
    session.open_member()
    screen = kit.kiosk.window.screens["member"]
    assert isinstance(screen, MemberScreen)
    for digit in "13800138000":
        screen.keypad.press(digit)
    assert screen.find_button.isEnabled()
    screen.find_button.click()
    qtbot.waitUntil(gate.held.is_set, timeout=5000)
    assert not screen.find_button.isEnabled()
    assert not screen.signup_button.isEnabled()
    session.member_by_phone("13800138000")  # a second tap: no second question
    assert gate.lookups == 1
    gate.release.set()
    # Nobody has this phone: the shopper is told so, and may try again.
    qtbot.waitUntil(lambda: not looking_up(kit), timeout=10000)
    assert notice(kit) == "unknown_member"
    assert screen.find_button.isEnabled()


def test_an_answer_after_the_shopper_left_is_dropped(
    gate: HeldLookups, make_kit: KitFactory, demo: DemoStore, qtbot: QtBot
) -> None:
    kit: Kit = make_kit()
    session = kit.kiosk.session
    kit.scan_product(demo.fixed[0])
    kit.scan(session.core.members.card_qr(IdFactory().new()))
    qtbot.waitUntil(gate.held.is_set, timeout=5000)
    session.abandon()  # nobody answered "still there?": the cart is voided
    next_cart = session.checkout.cart.cart_id
    gate.release.set()
    qtbot.waitUntil(lambda: not looking_up(kit), timeout=10000)
    assert session.checkout.cart.cart_id == next_cart
    assert cart_member(kit) is None
    assert session.member is None
