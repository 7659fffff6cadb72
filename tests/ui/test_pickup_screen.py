"""The pickup screen (issue #17) on the real window: a scanned pickup code shows the
order, taps on − / + choose part of it, Collect hands it out, and the done screen names
what was collected, with the sale or, with nothing bought, with the pickup's own pass; a
long order scrolls; a problem says what happened in the shopper's language."""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from demo.store import DemoStore
from kiosk.domain.alerts import AlertReason
from kiosk.domain.errors import Reason
from kiosk.domain.scan import Symbology
from kiosk.services.pickups import PICKUP_KIND, READY_ORDERS_KEY
from tests.pickup_support import JUICE, WATER, ready_order
from tests.ui.conftest import Kit, shown
from ui.reasons import reason_text
from ui.screens.done import DoneScreen
from ui.screens.pickup import PickupScreen

LEFT = Qt.MouseButton.LeftButton


def _code(kit: Kit, quantities: tuple[int, ...] = (3, 1), **kwargs: object) -> str:
    core = kit.kiosk.session.core
    code, _ = ready_order(
        core.store,
        Ed25519PrivateKey.generate(),
        kit.clock.now(),
        quantities,
        **kwargs,  # type: ignore[arg-type]
    )
    return code


def _screen(kit: Kit) -> PickupScreen:
    screen = kit.kiosk.window.screens["pickup"]
    assert isinstance(screen, PickupScreen)
    return screen


def test_collect_part_then_buy_two_items_and_one_pass_covers_both(
    kit: Kit, demo: DemoStore, qtbot: QtBot
) -> None:
    session = kit.kiosk.session
    kit.kiosk.localiser.set_language("en")
    kit.scan(_code(kit), Symbology.QR)
    assert shown(kit.kiosk.window) == "pickup"
    screen = _screen(kit)
    assert "Collect 4 items" in screen.collect.text()
    qtbot.mouseClick(screen.rows[WATER].minus, LEFT)
    qtbot.mouseClick(screen.rows[JUICE].minus, LEFT)
    assert not screen.rows[JUICE].minus.isEnabled()
    assert "Collect 2 items" in screen.collect.text()
    qtbot.mouseClick(screen.collect, LEFT)
    assert "Take your 2 items from the pickup shelf" in screen.instruction.text()
    assert screen.later.isVisible()  # 2 more stay for later
    assert len(session.core.store.outbox.pending(10, PICKUP_KIND)) == 1
    assert screen.done.text() == "Done: show my exit pass"
    qtbot.mouseClick(screen.more, LEFT)
    assert shown(kit.kiosk.window) == "scanning"
    kit.scan_product(demo.fixed[0])
    kit.scan_product(demo.fixed[1])
    session.pay()
    qtbot.waitUntil(lambda: session.payment is not None)
    assert session.payment is not None
    with qtbot.waitSignal(session.sale_finished):
        kit.payments.simulate_paid(session.payment.payment_id)
    done = kit.kiosk.window.screens["done"]
    assert isinstance(done, DoneScreen)
    assert shown(kit.kiosk.window) == "done"
    assert done.collected_text.isVisible()
    assert "collected: 2 items" in done.collected_text.text()
    assert done.sale_number.isVisible()


def test_a_pickup_with_nothing_bought_ends_on_the_done_screen_with_its_pass(
    kit: Kit, qtbot: QtBot
) -> None:
    kit.kiosk.localiser.set_language("zh_CN")
    kit.scan(_code(kit), Symbology.QR)
    screen = _screen(kit)
    qtbot.mouseClick(screen.collect, LEFT)
    qtbot.mouseClick(screen.done, LEFT)
    assert shown(kit.kiosk.window) == "done"
    done = kit.kiosk.window.screens["done"]
    assert isinstance(done, DoneScreen)
    assert done.paid.text() == "已预付：今天无需付款。"
    assert not done.sale_number.isVisible()
    assert kit.kiosk.session.exit_code is not None
    assert kit.kiosk.session.exit_code.startswith("EX1.")


def test_one_item_is_one_item_not_1_items(kit: Kit, qtbot: QtBot) -> None:
    kit.kiosk.localiser.set_language("en")
    kit.scan(_code(kit, (2, 1)), Symbology.QR)
    screen = _screen(kit)
    qtbot.mouseClick(screen.rows[WATER].minus, LEFT)
    qtbot.mouseClick(screen.rows[JUICE].minus, LEFT)
    assert screen.collect.text() == "Collect 1 item ✓"
    qtbot.mouseClick(screen.collect, LEFT)
    assert screen.instruction.text().startswith("Take your item from the pickup shelf")
    assert screen.later.text().startswith("2 items stay for later")
    qtbot.mouseClick(screen.done, LEFT)
    done = kit.kiosk.window.screens["done"]
    assert isinstance(done, DoneScreen)
    assert done.collected_text.text().endswith("collected: 1 item")
    kit.kiosk.localiser.set_language("zh_CN")
    assert done.collected_text.text().endswith("已提货：1 件")


def test_the_notice_after_collecting_one_item_does_not_say_1_items(kit: Kit) -> None:
    kit.kiosk.localiser.set_language("en")
    text = reason_text(Reason.PICKUP_HANDED_OUT, args=("GB-7", "1"))
    assert "1 items" not in text
    assert "GB-7 collected. Items: 1." in text


def test_a_long_order_scrolls_and_a_problem_says_what_happened(kit: Kit) -> None:
    kit.kiosk.localiser.set_language("ko")
    lines = [(f"069354120{n:05d}", f"Item {n}", f"商品 {n}", f"상품 {n}") for n in range(12)]
    kit.scan(_code(kit, (1,) * 12, lines=lines), Symbology.QR)
    screen = _screen(kit)
    assert shown(kit.kiosk.window) == "pickup"
    assert len(screen.rows) == 12
    assert screen.lines_scroll.verticalScrollBar().maximum() > 0
    kit.kiosk.session.leave_pickup()  # nothing collected, nothing bought: next shopper
    assert shown(kit.kiosk.window) == "attract"
    kit.kiosk.session.set_language("ko")
    code = _code(kit, code_store="S999")
    kit.scan(code, Symbology.QR)
    assert shown(kit.kiosk.window) == "pickup"
    assert (
        screen.instruction.text()
        == "이 주문은 다른 매장에서 수령해야 합니다. 직원이 오고 있습니다."
    )
    assert not screen.collect.isVisible()
    assert [a.reason for a in kit.kiosk.session.alerts] == [AlertReason.PICKUP_PROBLEM]


def test_collect_after_a_sync_round_said_collected_elsewhere_says_so(
    kit: Kit, qtbot: QtBot
) -> None:
    kit.kiosk.localiser.set_language("en")
    kit.scan(_code(kit), Symbology.QR)
    screen = _screen(kit)
    assert not screen.collect.isHidden()
    # The next pull, while the order is on screen: handed out at the counter meanwhile.
    store = kit.kiosk.session.core.store
    (order,) = store.settings.get(READY_ORDERS_KEY)
    lines = [line | {"collected": line["quantity"]} for line in order["lines"]]
    store.settings.set(READY_ORDERS_KEY, [order | {"lines": lines}])
    qtbot.mouseClick(screen.collect, LEFT)
    assert screen.instruction.text() == reason_text(Reason.PICKUP_COLLECTED)
    assert "already collected" in screen.instruction.text()
    assert screen.collect.isHidden()
    assert store.outbox.pending(10, PICKUP_KIND) == []
    assert [a.reason for a in kit.kiosk.session.alerts] == [AlertReason.PICKUP_PROBLEM]
