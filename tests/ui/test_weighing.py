"""The weighing screen with the kiosk's real scale thread, serial driver and an MT-SICS
simulator on a pseudo-terminal: place the item, watch it settle, see weight × price per
kg = price, add it."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from demo.store import DemoStore
from kiosk.domain.codes import display_gtin
from kiosk.domain.pricing import weighed_price
from kiosk.services.session import Screen
from kiosk.services.setup import SCALE_PORT_KEY, database_path
from kiosk.services.weighing import WeighStage
from kiosk.store.uow import KioskStore
from simulators.scale import ScaleSimulator
from tests.ui.conftest import KitFactory, shown
from ui.screens.weighing import WeighingScreen

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")


@pytest.fixture
def simulator(home: Path) -> Iterator[ScaleSimulator]:
    with ScaleSimulator(settle_answers=3) as simulator:
        store = KioskStore.open(database_path(home))
        store.settings.set(SCALE_PORT_KEY, simulator.port)
        store.close()
        yield simulator


@pytest.mark.parametrize("core_thread", [False, True], ids=["inline", "core_thread"])
def test_weighing_on_the_scale_adds_the_price_shown(
    make_kit: KitFactory,
    simulator: ScaleSimulator,
    demo: DemoStore,
    qtbot: QtBot,
    core_thread: bool,
) -> None:
    kit = make_kit(core_thread=core_thread)
    session, window = kit.kiosk.session, kit.kiosk.window
    product = demo.weighed
    session.weigh(display_gtin(product.gtin))
    qtbot.waitUntil(lambda: shown(window) == Screen.WEIGHING.value)
    screen = window.findChild(WeighingScreen)
    assert screen is not None
    qtbot.waitUntil(lambda: simulator.commands.count("SI") >= 1)  # the empty platform
    qtbot.waitUntil(lambda: session.weighing is not None and session.weighing.grams == 0)
    assert not screen.add_button.isEnabled()
    simulator.place(1250)
    qtbot.waitUntil(
        lambda: session.weighing is not None and session.weighing.stage is WeighStage.READY,
        timeout=5000,
    )
    price = weighed_price(product.price, 1250, kit.kiosk.session.core.setup.policy.rounding)
    localiser = kit.kiosk.localiser
    assert screen.weight.text() == localiser.weight(1250)
    assert screen.price.text() == localiser.money(price)
    assert localiser.money(product.price) in screen.sum.text()
    assert screen.add_button.isEnabled()
    qtbot.mouseClick(screen.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: shown(window) == Screen.SCANNING.value)
    qtbot.waitUntil(lambda: bool(session.state.cart.active_lines))
    [line] = session.state.cart.active_lines
    assert line.weight_g == 1250
    assert session.state.priced.total == price


def test_a_scale_that_is_not_there_sends_the_shopper_to_the_counter(
    make_kit: KitFactory, home: Path, demo: DemoStore, qtbot: QtBot
) -> None:
    store = KioskStore.open(database_path(home))
    store.settings.set(SCALE_PORT_KEY, str(home / "no-such-scale"))
    store.close()
    kit = make_kit()
    session = kit.kiosk.session
    notices = []
    session.notice.connect(notices.append)
    session.weigh(display_gtin(demo.weighed.gtin))
    qtbot.waitUntil(lambda: bool(notices))
    assert notices[-1].reason == "scale_unavailable"
    assert shown(kit.kiosk.window) == Screen.SCANNING.value
    assert session.state.cart.is_empty
