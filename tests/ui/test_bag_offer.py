""" "Need a bag?" on the real scanning screen (issue #16): it takes the place of the total
and Pay, one big button per answer, and the answer goes on to paying."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from demo.store import DemoStore, offer_bag
from tests.ui.conftest import KitFactory, shown
from ui.screens.scanning import ScanningScreen


def test_the_bag_question_shows_the_price_and_one_tap_adds_a_bag_and_pays(
    make_kit: KitFactory, home: Path, demo: DemoStore, qtbot: QtBot
) -> None:
    offer_bag(home, demo.bag)
    kit = make_kit()
    kit.kiosk.localiser.set_language("en")
    screen = kit.kiosk.window.screens["scanning"]
    assert isinstance(screen, ScanningScreen)
    kit.scan_product(demo.fixed[0])
    assert shown(kit.kiosk.window) == "scanning"
    qtbot.mouseClick(screen.pay_button, Qt.MouseButton.LeftButton)
    question = screen.bag_question
    assert question.isVisible()
    assert not screen.pay_button.isVisible()  # the question answers for Pay
    assert question.question.text() == "Need a bag? ¥0.30 each"
    assert [b.text() for b in question.buttons.values()] == ["No, thanks", "1 bag", "2 bags"]
    kit.kiosk.localiser.set_language("ko")
    assert question.question.text() == "봉투가 필요하세요? 한 장에 ¥0.30"
    qtbot.mouseClick(question.buttons[1], Qt.MouseButton.LeftButton)
    session = kit.kiosk.session
    qtbot.waitUntil(lambda: session.payment is not None)
    assert shown(kit.kiosk.window) == "payment"
    assert session.state.cart.lines[-1].gtin == demo.bag.gtin
    assert not question.isVisible()
    assert screen.model.rowCount() == 2  # the bag, a line like any other
