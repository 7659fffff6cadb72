"""A big basket at 1080p: six or more rows on screen, names that keep their pack size,
and a count of items and products."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QPoint
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication, QWidget

from demo.store import DemoStore
from tests.ui.conftest import Kit
from ui.screens.scanning import ScanningScreen
from ui.widgets.cart_view import two_lines


def _scanning(kit: Kit) -> ScanningScreen:
    (screen,) = kit.kiosk.window.findChildren(ScanningScreen)
    return screen


def test_a_big_basket_shows_six_rows_at_1080p_and_counts_products(
    kit: Kit, demo: DemoStore
) -> None:
    assert kit.kiosk.window.size().toTuple() == (1920, 1080)
    goods = demo.fixed[:20]
    for product in goods:
        kit.scan_product(product)
    kit.scan_product(goods[0])
    QApplication.processEvents()
    screen = _scanning(kit)
    view = screen.cart
    area = view.viewport().rect()
    whole = [r for r in range(view.model().rowCount()) if area.contains(view.row_rect(r))]
    assert len(whole) >= 6, f"{len(whole)} whole rows in {area.height()} px"
    kit.kiosk.localiser.set_language("en")
    assert screen.items_label.text() == "21 items, 20 products"
    # The total and Pay share one row under the cart.
    total, pay = _centre(screen, screen.total_label), _centre(screen, screen.pay_button)
    assert total.y() > _centre(screen, view).y() + area.height() // 2
    assert abs(total.y() - pay.y()) < 20
    assert total.x() < pay.x()


def _centre(screen: ScanningScreen, widget: QWidget) -> QPoint:
    return widget.mapTo(screen, widget.rect().center())


_FONT = QFont("Noto Sans CJK SC")
_FONT.setPixelSize(25)
_WORDS = st.text(
    alphabet=st.sampled_from("abcdefghij ABCXYZ 苹果牛奶饼干 사과우유 0123456789mlg×"),
    min_size=1,
    max_size=80,
)


@settings(max_examples=200, deadline=None)
@given(name=_WORDS, width=st.integers(min_value=60, max_value=700))
def test_names_wrap_onto_at_most_two_lines_that_fit(name: str, width: int) -> None:
    metrics = QFontMetrics(_FONT)
    lines = two_lines(name, metrics, width)
    assert 1 <= len(lines) <= 2
    for line in lines:
        # + 1: elidedText measures with sub-pixel advances, horizontalAdvance rounds each.
        assert metrics.horizontalAdvance(line) <= width + 1
    if len(lines) == 1:
        assert lines[0] == name
    else:
        # The first line is the start of the name; the second goes on from there.
        assert name.startswith(lines[0])
        rest = name[len(lines[0]) :].removeprefix(" ")
        assert lines[1] == rest or lines[1].endswith("…")


def test_a_pack_size_moves_whole_to_the_second_line(qapp: QApplication) -> None:
    metrics = QFontMetrics(_FONT)
    name = "Kikkoman Special Selection Soy Sauce 500ml"
    width = metrics.horizontalAdvance(name) - 10
    assert two_lines(name, metrics, width) == ["Kikkoman Special Selection Soy Sauce", "500ml"]
