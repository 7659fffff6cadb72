"""Suspending a cart on the staff screen: a reason, a confirmation with the amount, then
the transfer code as a QR with its number, which resumes the cart when scanned again."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from demo.store import DEMO_BADGE, DemoStore
from kiosk.domain.scan import Symbology
from kiosk.domain.transfer import short_number
from tests.ui.conftest import Kit, shown
from ui.screens.staff import StaffScreen


def test_staff_suspend_a_cart_and_its_code_brings_it_back(
    kit: Kit, demo: DemoStore, qtbot: QtBot
) -> None:
    kit.scan_product(demo.fixed[0])
    kit.scan_product(demo.fixed[1])
    cart_id = kit.kiosk.session.state.cart.cart_id
    total = kit.kiosk.session.state.priced.total
    kit.scan(DEMO_BADGE)
    window = kit.kiosk.window
    screen = window.screens["staff"]
    assert isinstance(screen, StaffScreen)
    suspend = screen.buttons["suspend"]
    assert not suspend.isEnabled()  # no reason chosen yet
    assert screen.why["suspend"].isVisibleTo(screen)
    qtbot.mouseClick(screen.reason_buttons.button(0), Qt.MouseButton.LeftButton)
    assert suspend.isEnabled()
    qtbot.mouseClick(suspend, Qt.MouseButton.LeftButton)
    amount = kit.kiosk.session.localiser.money(total)
    assert screen.action_pages.currentWidget() is screen.confirm
    assert amount in screen.confirm.yes.text()
    assert kit.kiosk.session.checkout.cart.cart_id == cart_id  # nothing happened yet
    qtbot.mouseClick(screen.confirm.yes, Qt.MouseButton.LeftButton)

    panel = screen.transfer
    assert screen.action_pages.currentWidget() is panel
    code = panel.qr.payload
    assert code.startswith("TR1.")
    grouped = short_number(cart_id)
    assert grouped[:4] in panel.number.text()
    assert kit.kiosk.session.checkout.cart.is_empty
    slip = kit.home / "receipts" / f"transfer-{short_number(cart_id)}.txt"
    assert code in slip.read_text(encoding="utf-8")
    qtbot.mouseClick(panel.done, Qt.MouseButton.LeftButton)
    assert screen.action_pages.currentIndex() == 0

    qtbot.mouseClick(screen.buttons["sign_out"], Qt.MouseButton.LeftButton)
    kit.scan(code, Symbology.QR)
    assert shown(window) == "scanning"
    assert kit.kiosk.session.state.priced.total == total
    assert window.notice_bar.text.text().startswith(
        ("Your cart from kiosk K01", "您在", "키오스크")
    )
