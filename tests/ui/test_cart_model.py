"""The cart model tells its view what changed (a line on top, lines changed in place), so a
scan does not make the view lay out and repaint every row; and it always ends up with the
rows a fresh build gives."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from PySide6.QtCore import QPoint
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from demo.store import DemoStore
from kiosk.domain.catalog import Product
from kiosk.services.checkout import CartState
from tests.ui.conftest import Kit, shown
from ui.models import CartModel, LineView
from ui.widgets.cart_view import CartView


@dataclass
class Changes:
    """What the model told its views since the last `take()`."""

    log: list[tuple[str, int, int]] = field(default_factory=list)

    def watch(self, model: CartModel) -> None:
        model.modelReset.connect(lambda: self.log.append(("reset", -1, -1)))
        model.rowsInserted.connect(lambda _p, a, b: self.log.append(("insert", a, b)))
        model.rowsRemoved.connect(lambda _p, a, b: self.log.append(("remove", a, b)))
        model.dataChanged.connect(
            lambda a, b, _roles=(): self.log.append(("changed", a.row(), b.row()))
        )

    def take(self) -> list[tuple[str, int, int]]:
        taken, self.log = self.log, []
        return taken


def rows(model: CartModel) -> list[LineView]:
    # Which line was scanned last is the model's own memory, not the cart's.
    return [replace(model.line_at(i), just_scanned=False) for i in range(model.rowCount())]


def fresh_rows(kit: Kit, state: CartState) -> list[LineView]:
    model = CartModel(kit.kiosk.localiser)
    model.set_state(state)
    return rows(model)


def test_scans_insert_on_top_and_change_in_place(kit: Kit, demo: DemoStore) -> None:
    session = kit.kiosk.session
    model = CartModel(kit.kiosk.localiser)
    changes = Changes()
    changes.watch(model)
    session.cart_changed.connect(model.set_state)
    products = demo.fixed[:2]

    kit.scan_product(products[0])
    assert changes.take() == [("insert", 0, 0)]
    kit.scan_product(products[1])
    # The new line on top; the line below loses its "just scanned" mark.
    assert changes.take() == [("insert", 0, 0), ("changed", 1, 1)]
    assert model.line_at(0).just_scanned
    assert not model.line_at(1).just_scanned
    kit.scan_product(products[1])  # the same again: its quantity goes up, no new line
    assert changes.take() == [("changed", 0, 0)]
    assert model.line_at(0).quantity == 2
    assert rows(model) == fresh_rows(kit, session.state)

    session.remove_line(model.line_at(1).line_no)  # a line goes: the view starts over
    assert changes.take() == [("reset", -1, -1)]
    assert rows(model) == fresh_rows(kit, session.state)

    kit.kiosk.localiser.set_language("ko")
    model.refresh()  # a language switch: every row's words change, the rows stay
    assert changes.take() == [("changed", 0, model.rowCount() - 1)]
    assert rows(model) == fresh_rows(kit, session.state)
    kit.kiosk.localiser.set_language("en")


def test_lines_keep_their_price_when_the_basket_earns_a_discount(kit: Kit, demo: DemoStore) -> None:
    session = kit.kiosk.session
    kit.kiosk.session.set_language("en")
    model = kit.kiosk.window.screens["scanning"].model  # type: ignore[attr-defined]
    for product in demo.fixed[:12]:  # well over ¥100: "every ¥100: ¥10 off" applies
        kit.scan_product(product)
    priced = session.state.priced
    assert any(d.shared for d in priced.discounts)
    money = kit.kiosk.localiser.money
    spread = 0
    for row in range(model.rowCount()):
        view = model.line_at(row)
        line = next(p for p in priced.lines if p.line_no == view.line_no)
        # The shelf price, not the price after its share of the basket's discount...
        assert view.amount == money(line.gross - line.own_discount)
        spread += line.shared.minor
    # ...which is the basket's, shown once under the offers and in the total.
    assert spread == sum(d.amount.minor for d in priced.discounts if d.shared) > 0
    screen = kit.kiosk.window.screens["scanning"]
    assert any("¥10 off" in text for text in screen.offers.texts())  # type: ignore[attr-defined]


def cart_of(kit: Kit, products: list[Product]) -> CartView:
    for product in products:
        kit.scan_product(product)
    assert shown(kit.kiosk.window) == "scanning"
    view = kit.kiosk.window.screens["scanning"].cart  # type: ignore[attr-defined]
    assert isinstance(view, CartView)
    return view


def put_on_screen(kit: Kit, viewport: QWidget, point: QPoint) -> None:
    """Touches go through the window system, which drops points off its (800 px,
    offscreen) screen: move the window so that this point of the viewport is on it."""
    at = viewport.mapTo(kit.kiosk.window, point)
    kit.kiosk.window.move(400 - at.x(), 600 - at.y())


def test_a_finger_drag_scrolls_a_long_cart(kit: Kit, demo: DemoStore, qtbot: QtBot) -> None:
    view = cart_of(kit, demo.fixed[:12])
    bar = view.verticalScrollBar()
    assert bar.maximum() > 0
    assert bar.value() == 0
    viewport = view.viewport()
    x, y = viewport.width() // 3, viewport.height() - 40
    put_on_screen(kit, viewport, QPoint(x, y))
    finger = QTest.createTouchDevice()
    QTest.touchEvent(viewport, finger).press(0, QPoint(x, y), viewport).commit()
    for step in range(1, 13):  # upwards, as a finger pushes the list up
        QTest.touchEvent(viewport, finger).move(0, QPoint(x, y - 30 * step), viewport).commit()
    QTest.touchEvent(viewport, finger).release(0, QPoint(x, y - 360), viewport).commit()
    qtbot.waitUntil(lambda: bar.value() > 0, timeout=3000)


def test_a_finger_tap_on_plus_still_adds_one(kit: Kit, demo: DemoStore, qtbot: QtBot) -> None:
    view = cart_of(kit, demo.fixed[:3])
    viewport = view.viewport()
    plus = view.cart_delegate.button_centre(view.row_rect(0), +1).toPoint()
    put_on_screen(kit, viewport, plus)
    finger = QTest.createTouchDevice()
    QTest.touchEvent(viewport, finger).press(0, plus, viewport).commit()
    QTest.touchEvent(viewport, finger).release(0, plus, viewport).commit()
    newest = kit.kiosk.session.state.cart.lines[-1].line_no
    qtbot.waitUntil(lambda: kit.kiosk.session.state.cart.line(newest).quantity == 2, timeout=3000)
