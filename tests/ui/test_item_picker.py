"""The item picker on screen (#16.1): open it from the cart, type on its keyboard, tap a
tile; the line is in the cart, and a by-weight item is sent to be weighed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.domain.catalog import Unit
from kiosk.domain.errors import Reason
from kiosk.domain.money import Money
from tests.ui.conftest import Kit, shown
from ui.screens.picker import PickerScreen


def picker(kit: Kit) -> PickerScreen:
    screen = kit.kiosk.window.screens["picker"]
    assert isinstance(screen, PickerScreen)
    return screen


def tap(qtbot: QtBot, widget: object) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)  # type: ignore[arg-type]


def open_picker(kit: Kit, qtbot: QtBot) -> PickerScreen:
    kit.kiosk.session.start()
    scanning = kit.kiosk.window.screens["scanning"]
    tap(qtbot, scanning.lookup_button)  # type: ignore[attr-defined]
    assert shown(kit.kiosk.window) == "picker"
    return picker(kit)


def type_on(qtbot: QtBot, screen: PickerScreen, text: str) -> None:
    for key in text:
        tap(qtbot, screen.keyboard.keys[key])


def test_search_pg_tap_the_tile_and_the_line_is_added(kit: Kit, qtbot: QtBot) -> None:
    screen = open_picker(kit, qtbot)
    assert len(screen.tiles) == 10
    assert all(not tile.picture.pixmap().isNull() for tile in screen.tiles)  # pictures
    type_on(qtbot, screen, "fg")  # 法棍: the baguette, sold by the piece
    assert screen.search_box.text() == "FG"
    [baguette] = [t for t in screen.tiles if t.product.unit is Unit.EACH]
    assert screen.tiles[0] is baguette
    tap(qtbot, baguette)
    assert screen.chooser.isVisible()
    tap(qtbot, screen.plus)
    assert screen.quantity.text() == "2"
    tap(qtbot, screen.add)
    assert shown(kit.kiosk.window) == "scanning"
    [line] = kit.kiosk.session.state.cart.lines
    assert (line.gtin, line.quantity) == (baguette.product.gtin, 2)
    assert kit.kiosk.session.state.priced.total == Money(2 * 890, "CNY")
    # the next visit starts with an empty search
    screen = open_picker(kit, qtbot)
    assert screen.keyboard.text == ""
    assert not screen.chooser.isVisible()


def test_pg_finds_the_apples_and_a_tap_says_to_weigh_them(kit: Kit, qtbot: QtBot) -> None:
    screen = open_picker(kit, qtbot)
    type_on(qtbot, screen, "pg")
    apples = screen.tiles[0]
    assert apples.product.name("en") == "Fuji Apples"
    assert apples.name.text() == "红富士苹果"  # the store's language
    # per kg as the scale label, the weighing screen and the cart line say it, unspaced
    for lang in ("ko", "en", "zh_CN"):
        kit.kiosk.session.set_language(lang)
        assert apples.price.text() == "¥12.80/kg", lang
    tap(qtbot, apples)
    assert shown(kit.kiosk.window) == "scanning"
    bar = kit.kiosk.window.notice_bar
    assert bar.notice is not None
    assert bar.notice.reason is Reason.NEEDS_WEIGHT
    assert kit.kiosk.session.state.cart.lines == ()


def test_korean_initials_and_plu_digits_on_the_keyboard(kit: Kit, qtbot: QtBot) -> None:
    screen = open_picker(kit, qtbot)
    tap(qtbot, screen.keyboard.mode)  # ㄱㄴㄷ
    type_on(qtbot, screen, "ㅂㄴㄴ")  # 바나나
    assert screen.tiles[0].product.name("en") == "Bananas"
    tap(qtbot, screen.keyboard.clear_key)
    assert len(screen.tiles) == 10
    type_on(qtbot, screen, "4131")  # the digits row stays in both modes
    assert [t.product.name("en") for t in screen.tiles] == ["Fuji Apples"]


def test_category_tabs_and_back(kit: Kit, qtbot: QtBot) -> None:
    screen = open_picker(kit, qtbot)
    tabs = {tab.objectName(): tab for tab in screen.tabs.buttons()}
    assert sorted(tabs) == ["tab_all", "tab_bakery", "tab_produce"]
    assert tabs["tab_all"].isChecked()
    tap(qtbot, tabs["tab_bakery"])
    assert [t.product.category for t in screen.tiles] == ["bakery"]
    assert tabs["tab_bakery"].isChecked()
    tap(qtbot, screen.back)
    assert shown(kit.kiosk.window) == "scanning"


def test_large_text_and_high_contrast_keep_the_picker_usable(kit: Kit, qtbot: QtBot) -> None:
    kit.kiosk.window.set_accessibility(high_contrast=True, large_text=True)
    screen = open_picker(kit, qtbot)
    type_on(qtbot, screen, "pg")
    tile = screen.tiles[0]
    # every part of the tile fits inside it, the name on up to two lines
    for part in (tile.picture, tile.name, tile.price):
        assert tile.rect().contains(part.geometry())
    assert tile.height() >= 280
    # the keyboard's rows do not overlap (they did when the keys grew after being laid out)
    q, a = screen.keyboard.keys["q"], screen.keyboard.keys["a"]
    assert q.geometry().bottom() < a.mapTo(q.parentWidget(), a.rect().topLeft()).y()
    assert q.height() >= 100
