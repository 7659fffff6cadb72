"""The staff screen's daily tools (#13.4): changing a line's price (keypad page with the
shelf price and the allowed range) and keying in an item by code or by name."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from demo.store import DEMO_BADGE, DemoStore
from kiosk.domain.catalog import Product
from kiosk.domain.codes import display_gtin
from kiosk.domain.money import Money
from kiosk.domain.staff import Role, Staff
from kiosk.services.refunds import RefundAnswer
from tests.ui.conftest import Kit
from tests.ui.test_staff_mode import kinds, notice, staff_screen
from ui.screens.staff_tools import RefundPanel
from ui.widgets.common import Keypad


def type_digits(qtbot: QtBot, keypad: Keypad, digits: str) -> None:
    for digit in digits:
        qtbot.mouseClick(keypad.buttons[digit], Qt.MouseButton.LeftButton)


def test_a_supervisor_changes_the_price_of_the_selected_line(
    kit: Kit, demo: DemoStore, qtbot: QtBot
) -> None:
    session = kit.kiosk.session
    localiser = kit.kiosk.localiser
    localiser.set_language("en")
    item = demo.fixed[0]  # 16.50
    kit.scan_product(item)
    kit.scan(DEMO_BADGE)
    screen = staff_screen(kit)
    assert not screen.buttons["override_price"].isEnabled()
    assert screen.why["override_price"].text() == "Choose a reason first."
    qtbot.mouseClick(screen.reason_buttons.button(2), Qt.MouseButton.LeftButton)  # damaged
    qtbot.mouseClick(screen.buttons["override_price"], Qt.MouseButton.LeftButton)
    assert notice(kit) == "select_line"
    screen.cart.setCurrentIndex(screen.model.index(0, 0))
    qtbot.mouseClick(screen.buttons["override_price"], Qt.MouseButton.LeftButton)
    panel = screen.price
    assert panel.isVisible()
    money = localiser.money
    assert panel.detail.text() == (
        f"Shelf price {money(item.price)}. Allowed: {money(Money(825, 'CNY'))} "
        f"to {money(item.price)} per unit."
    )
    type_digits(qtbot, panel.keypad, "800")  # below half: cannot be confirmed
    assert not panel.yes.isEnabled()
    qtbot.mouseClick(panel.keypad.buttons["clear"], Qt.MouseButton.LeftButton)
    type_digits(qtbot, panel.keypad, "1200")
    assert panel.yes.text() == f"Set price {money(Money(1200, 'CNY'))}"
    qtbot.mouseClick(panel.yes, Qt.MouseButton.LeftButton)
    assert not panel.isVisible()
    override = session.checkout.cart.line(1).override
    assert override is not None
    assert (override.unit_minor, override.action.reason) == (1200, "damaged item")
    assert "price changed by staff" in screen.model.line_at(0).detail
    assert notice(kit) == "price_overridden"
    assert "price_overridden" in kinds(kit)
    assert screen.reason_buttons.checkedButton() is None  # the next change chooses again


def test_an_associate_sees_the_price_change_needs_a_supervisor(
    kit: Kit, demo: DemoStore, qtbot: QtBot
) -> None:
    kit.kiosk.localiser.set_language("en")
    kit.kiosk.session.core.auth.enrol(Staff("2002", "Kim Min", Role.ASSOCIATE), "1357", "S-2002")
    kit.scan_product(demo.fixed[0])
    kit.scan("S-2002")
    screen = staff_screen(kit)
    qtbot.mouseClick(screen.reason_buttons.button(3), Qt.MouseButton.LeftButton)
    assert not screen.buttons["override_price"].isEnabled()
    assert screen.why["override_price"].text() == "Needs a supervisor."
    assert screen.buttons["key_item"].isEnabled()


def test_staff_key_in_a_code_or_find_an_item_by_name(
    kit: Kit, demo: DemoStore, qtbot: QtBot
) -> None:
    session = kit.kiosk.session
    kit.kiosk.localiser.set_language("zh_CN")
    kit.scan(DEMO_BADGE)
    screen = staff_screen(kit)
    qtbot.mouseClick(screen.buttons["key_item"], Qt.MouseButton.LeftButton)
    panel = screen.key_in
    assert panel.isVisible()
    assert not panel.add.isEnabled()
    type_digits(qtbot, panel.keypad, display_gtin(demo.fixed[1].gtin))
    qtbot.mouseClick(panel.add, Qt.MouseButton.LeftButton)
    assert [line.gtin for line in session.checkout.cart.lines] == [demo.fixed[1].gtin]
    assert notice(kit) == "item_keyed"

    qtbot.mouseClick(screen.buttons["key_item"], Qt.MouseButton.LeftButton)
    panel.name.setText("镇江香醋")
    with qtbot.waitSignal(session.products_found):
        qtbot.mouseClick(panel.find_button, Qt.MouseButton.LeftButton)
    found = panel.findChild(type(panel.add), "found_0")
    assert found is not None
    assert found.text().startswith(demo.fixed[2].names["zh_CN"])
    qtbot.mouseClick(found, Qt.MouseButton.LeftButton)
    assert [line.gtin for line in session.checkout.cart.lines][-1] == demo.fixed[2].gtin
    keyed = [e.payload for e in session.core.store.journal.entries() if e.kind == "item_keyed"]
    assert [p["how"] for p in keyed] == ["keypad", "search"]


def paid_sale(kit: Kit, qtbot: QtBot, *items: Product) -> str:
    """Sell `items` through the demo wallet; the sale's exit code."""
    from tests.ui.test_shopper_flow import pay

    session = kit.kiosk.session
    for item in items:
        kit.scan_product(item)
    pay(kit, qtbot)
    assert session.payment is not None
    kit.payments.simulate_paid(session.payment.payment_id)
    qtbot.waitUntil(lambda: kit.kiosk.window.current == "done")
    assert session.exit_code is not None
    return session.exit_code


def refund_page(kit: Kit, qtbot: QtBot) -> RefundPanel:
    """A supervisor's badge, then the staff screen's refund page."""
    kit.scan(DEMO_BADGE)
    screen = staff_screen(kit)
    assert screen.buttons["refund"].isEnabled()
    qtbot.mouseClick(screen.buttons["refund"], Qt.MouseButton.LeftButton)
    assert screen.refund.isVisible()
    return screen.refund


def test_a_supervisor_refunds_one_unit_from_the_staff_screen(
    kit: Kit, demo: DemoStore, qtbot: QtBot
) -> None:
    localiser = kit.kiosk.localiser
    localiser.set_language("en")
    item = demo.fixed[0]  # 16.50
    exit_code = paid_sale(kit, qtbot, item, item)
    panel = refund_page(kit, qtbot)
    assert "Scan the receipt" in panel.detail.text()
    kit.scan(exit_code)  # the receipt's exit code names the sale
    money = localiser.money
    assert panel.yes.text() == f"Refund {money(Money(3300, 'CNY'))}"
    assert not panel.yes.isEnabled()  # no reason chosen yet
    minus = panel.findChild(QPushButton, "refund_minus_1")
    qtbot.mouseClick(minus, Qt.MouseButton.LeftButton)
    # The rows were rebuilt: the old ones are hidden at once, deleted at the next turn.
    qtbot.waitUntil(lambda: len(panel.findChildren(QLabel, "refund_units_1")) == 1)
    assert panel.findChild(QLabel, "refund_units_1").text() == "1 / 2"
    assert panel.yes.text() == f"Refund {money(item.price)}"
    qtbot.mouseClick(panel.reasons[0], Qt.MouseButton.LeftButton)  # returned
    qtbot.mouseClick(panel.yes, Qt.MouseButton.LeftButton)
    assert panel.detail.text() == f"Refunded {money(item.price)} to cash."
    assert not panel.e_receipt_qr.isVisible()  # paid out in cash: no e-receipt page
    assert notice(kit) == "refunded"
    assert "refund" in kinds(kit)
    qtbot.mouseClick(panel.no, Qt.MouseButton.LeftButton)
    assert not panel.isVisible()


def test_a_refund_takes_the_cart_s_width_while_it_is_open(
    kit: Kit, demo: DemoStore, qtbot: QtBot
) -> None:
    exit_code = paid_sale(kit, qtbot, *demo.fixed[:3])
    screen = staff_screen(kit)
    panel = refund_page(kit, qtbot)
    kit.scan(exit_code)
    qtbot.waitUntil(lambda: panel.width() > 1.5 * screen.cart.width())
    assert screen.cart.isVisible()  # the sale in progress, if any, stays in sight
    assert not screen.reason_label.isVisible()  # the void reasons have no use meanwhile
    names = panel.findChildren(QLabel, QRegularExpression("^refund_name_"))
    assert len(names) == 3
    for name in names:  # each product's name on one line beside its count
        assert name.height() < 2 * name.fontMetrics().lineSpacing(), name.text()
    qtbot.mouseClick(panel.no, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.cart.width() > 1.5 * screen.actions_scroll.width())
    assert screen.reason_label.isVisible()


def test_a_long_sales_refund_keeps_its_reasons_and_buttons_in_sight_at_large_text(
    kit: Kit, demo: DemoStore, qtbot: QtBot
) -> None:
    """The lines scroll; the reasons, Refund and Close under them are never a scroll away
    (with the whole page scrolling, a long sale put them below the fold)."""
    kit.kiosk.localiser.set_language("en")
    exit_code = paid_sale(kit, qtbot, *demo.fixed[:6])
    panel = refund_page(kit, qtbot)
    kit.kiosk.window.set_accessibility(high_contrast=False, large_text=True)
    kit.scan(exit_code)
    for _ in range(3):  # the page's layout settles a turn after the rows are built
        QApplication.processEvents()
    assert len(panel.findChildren(QLabel, QRegularExpression("^refund_units_"))) == 6
    for widget in (*panel.reasons, panel.whole, panel.yes, panel.no):
        assert widget.visibleRegion().boundingRect() == widget.rect(), widget.objectName()


class CentralRefunds:
    """Stands in for the central service's refund API (`sync.refunds`): each refund goes
    back to the sale's tender at once, and has an e-receipt page."""

    def __init__(self) -> None:
        self.pushed: list[Mapping[str, Any]] = []

    def push(self, document: Mapping[str, Any]) -> RefundAnswer:
        self.pushed.append(document)
        return RefundAnswer("refunded", "demo")

    def receipt_link(self, refund_id: str, language: str) -> str | None:
        return f"https://central.example/r/refunds/{refund_id}?sig=abc"


def test_the_refund_e_receipt_is_shown_as_a_qr_for_the_shopper(
    kit: Kit, demo: DemoStore, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    localiser = kit.kiosk.localiser
    localiser.set_language("en")
    central = CentralRefunds()
    monkeypatch.setattr(kit.kiosk.session.core.refunds, "_gateway", central)
    exit_code = paid_sale(kit, qtbot, demo.fixed[0])
    panel = refund_page(kit, qtbot)
    kit.scan(exit_code)
    assert not panel.e_receipt_qr.isVisible()  # nothing refunded yet
    qtbot.mouseClick(panel.reasons[0], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.yes, Qt.MouseButton.LeftButton)
    [pushed] = central.pushed
    link = f"https://central.example/r/refunds/{pushed['refund_id']}?sig=abc"
    # The provider's own name ("demo") is not shown: the shopper's original payment is.
    price = localiser.money(demo.fixed[0].price)
    assert panel.detail.text() == f"Refunded {price} to the original payment."
    localiser.set_language("zh_CN")
    assert panel.detail.text() == f"已退款 {localiser.money(demo.fixed[0].price)} 至原支付账户。"
    localiser.set_language("en")
    assert panel.e_receipt_qr.isVisible()
    assert panel.e_receipt_qr.payload == link
    assert panel.e_receipt_text.text() == (
        "The shopper's refund receipt: they scan it with their phone."
    )
    localiser.set_language("zh_CN")
    assert panel.e_receipt_text.text() == "顾客的退款电子小票：请顾客用手机扫码。"
    assert panel.e_receipt_qr.payload == link
    # The next refund starts from a scan again: no QR of the last one stays on the page.
    qtbot.mouseClick(panel.no, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(staff_screen(kit).buttons["refund"], Qt.MouseButton.LeftButton)
    assert not panel.e_receipt_qr.isVisible()


def test_an_associate_sees_refunds_need_a_supervisor(kit: Kit, qtbot: QtBot) -> None:
    kit.kiosk.localiser.set_language("en")
    kit.kiosk.session.core.auth.enrol(Staff("2002", "Kim Min", Role.ASSOCIATE), "1357", "S-2002")
    kit.scan("S-2002")
    screen = staff_screen(kit)
    assert not screen.buttons["refund"].isEnabled()
    assert screen.why["refund"].text() == "Needs a supervisor."
