"""The item picker ("Look up item"): goods without a barcode as big tiles (picture, name,
price per piece or per kg) by category, a search box with an on-screen keyboard (latin
letters for names and pinyin, Korean initial consonants, digits for PLUs), and a quantity
stepper for goods sold by the piece. What a search finds and what a tap does are the
session's (`ShopperSession.find_items`, `pick`); this only shows and forwards."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSize, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.domain.catalog import Product, Unit
from kiosk.domain.lookup import CHOSEONG
from kiosk.services.session import PickerShown
from ui.i18n import Localiser
from ui.screens.base import Screen
from ui.session import KioskSession
from ui.widgets.cart_view import vertical_scroll
from ui.widgets.common import button, card, hbox, label, vbox

COLUMNS = 4
PICTURE_PX = 150
LETTER_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm")
# The 14 basic initial consonants, then the five doubled ones (Shift on a Korean keyboard).
JAMO_ROWS = ("ㄱㄴㄷㄹㅁㅂㅅ", "ㅇㅈㅊㅋㅌㅍㅎ", "ㄲㄸㅃㅆㅉ")
assert set("".join(JAMO_ROWS)) == set(CHOSEONG)


def category_name(code: str) -> str:
    """The shopper's words for a catalog category code (the code itself if it has none)."""
    names = {
        "produce": QCoreApplication.translate("Picker", "Fruit & vegetables"),
        "bakery": QCoreApplication.translate("Picker", "Bakery"),
        "meat": QCoreApplication.translate("Picker", "Meat"),
        "seafood": QCoreApplication.translate("Picker", "Fish & seafood"),
        "deli": QCoreApplication.translate("Picker", "Deli"),
        "bulk": QCoreApplication.translate("Picker", "Bulk foods"),
    }
    return names.get(code, code.replace("_", " ").capitalize())


class Tile(QPushButton):
    """One product: its picture (or its initial on a plain card), name and price."""

    def __init__(self, product: Product, picture: QPixmap | None, localiser: Localiser) -> None:
        super().__init__()
        self.product = product
        self.setProperty("role", "tile")
        self.setObjectName(f"tile_{product.gtin}")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setFixedSize(QSize(PICTURE_PX, PICTURE_PX))
        if picture is None:
            self.picture.setProperty("role", "tile_initial")
            self.picture.setText(product.name(localiser.language)[:1])
        else:
            self.picture.setPixmap(picture)
        self.name = label(role="tile_name", wrap=True)
        self.name.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.price = label(role="tile_price")
        self.price.setAlignment(Qt.AlignmentFlag.AlignCenter)
        for child in (self.picture, self.name, self.price):
            # Taps go to the tile, whichever part of it they land on.
            child.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 14, 12, 14)
        layout.setSpacing(6)
        layout.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.name, 1)
        layout.addWidget(self.price)
        self.retranslate(localiser)

    def retranslate(self, localiser: Localiser) -> None:
        product = self.product
        self.name.setText(product.name(localiser.language))
        price = (
            localiser.per_kg(product.price)
            if product.unit is Unit.KG
            else localiser.money(product.price)
        )
        self.price.setText(price)
        self.setAccessibleName(f"{self.name.text()}, {price}")

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        # As tall as picture, name and price need (a push button measures its own text).
        layout = self.layout()
        return layout.sizeHint() if layout is not None else super().sizeHint()


class SearchKeyboard(QWidget):
    """A kiosk's keyboard for the search box: digits and latin letters, or Korean initial
    consonants (`ㄱㄴㄷ`), with delete and clear. No physical keyboard, no input method.

    Signals:
        changed(str): the text typed so far.
    """

    changed = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.text = ""
        self.keys: dict[str, QPushButton] = {}
        self._rows = QVBoxLayout()
        self._rows.setSpacing(8)
        self._rows.setContentsMargins(0, 0, 0, 0)
        self.mode = button("key_mode", "key_mode")
        self.mode.clicked.connect(self._toggle)
        self.back = button("letter", "key_back")
        self.back.setText("⌫")
        self.back.clicked.connect(lambda: self.type("back"))
        self.clear_key = button("letter", "key_clear")
        self.clear_key.clicked.connect(lambda: self.type("clear"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(self._rows)
        layout.addLayout(hbox(self.mode, self.back, self.clear_key, spacing=8))
        self._jamo = False
        self._build()
        self.retranslate()

    def _build(self) -> None:
        while self._rows.count():
            item = self._rows.takeAt(0)
            row = item.layout() if item is not None else None
            while row is not None and row.count():
                child = row.takeAt(0)
                widget = child.widget() if child is not None else None
                if widget is not None:
                    widget.hide()  # at once: deleting waits for the event loop
                    widget.deleteLater()
        self.keys = {}
        rows = (LETTER_ROWS[0], *JAMO_ROWS) if self._jamo else LETTER_ROWS
        for keys in rows:
            row = QHBoxLayout()
            row.setSpacing(8)
            for key in keys:
                b = button("letter", f"key_{key}")
                b.setText(key.upper())
                b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
                b.clicked.connect(lambda _=False, k=key: self.type(k))
                row.addWidget(b)
                self.keys[key] = b
            self._rows.addLayout(row)

    def set_theme(self, _theme: object) -> None:
        """Large text: keys made anew take their new size (rows laid out with the old
        key heights overlapped)."""
        self._build()
        self.updateGeometry()

    def _toggle(self) -> None:
        self._jamo = not self._jamo
        self._build()
        self.retranslate()

    def type(self, key: str) -> None:
        if key == "back":
            self.text = self.text[:-1]
        elif key == "clear":
            self.text = ""
        elif len(self.text) < 24:
            self.text += key
        self.changed.emit(self.text)

    def reset(self) -> None:
        if self.text:
            self.type("clear")

    def retranslate(self) -> None:
        self.mode.setText("ABC" if self._jamo else "ㄱㄴㄷ")
        self.mode.setAccessibleName(
            QCoreApplication.translate("Picker", "Latin letters")
            if self._jamo
            else QCoreApplication.translate("Picker", "Korean initial consonants")
        )
        self.back.setAccessibleName(QCoreApplication.translate("Keypad", "Delete"))
        self.clear_key.setText(QCoreApplication.translate("Keypad", "Clear"))


class PickerScreen(Screen):
    """Signals: none; taps go to the session's picker intents."""

    def __init__(self, session: KioskSession, localiser: Localiser, pictures: Path) -> None:
        super().__init__()
        self._session = session
        self._localiser = localiser
        self._pictures = pictures
        self._scaled: dict[str, QPixmap | None] = {}
        """Pictures read and scaled once: a keystroke rebuilds the tiles."""
        self._shown = PickerShown("", "", (), ())
        self._chosen: Product | None = None
        self._quantity = 1
        self.tiles: list[Tile] = []
        self.title = label(role="heading")
        self.back = button(name="picker_back")
        self.back.clicked.connect(session.close_picker)
        self.search_box = label(role="search")
        self.search_box.setObjectName("picker_search")
        self.keyboard = SearchKeyboard()
        self.keyboard.changed.connect(self._typed)
        self.tabs = QButtonGroup(self)
        self.tabs.setExclusive(True)
        self._tab_row = QHBoxLayout()
        self._tab_row.setSpacing(10)
        self.empty = label(role="subtitle", wrap=True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._grid_host = QWidget()
        self._grid = QGridLayout(self._grid_host)
        self._grid.setSpacing(16)
        self._grid.setContentsMargins(0, 0, 8, 0)
        self.tile_scroll = vertical_scroll(self._grid_host, "PickerScroll")
        # The quantity stepper for an item sold by the piece: tap a tile, set how many, add.
        self.chosen_name = label(role="heading", wrap=True)
        self.minus = button("stepper", "picker_minus")
        self.minus.setText("−")
        self.minus.clicked.connect(lambda: self._step(-1))
        self.quantity = label(role="heading")
        self.quantity.setObjectName("picker_quantity")
        self.quantity.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.plus = button("stepper", "picker_plus")
        self.plus.setText("+")
        self.plus.clicked.connect(lambda: self._step(1))
        self.add = button("primary", "picker_add")
        self.add.clicked.connect(self._add)
        self.chooser = card()
        self.chooser.setLayout(
            hbox(self.chosen_name, 1, self.minus, self.quantity, self.plus, self.add, margins=16)
        )
        self.chooser.setVisible(False)

        tabs = QWidget()
        tabs.setLayout(self._tab_row)
        left = QWidget()
        left.setLayout(vbox(tabs, self.empty, self.tile_scroll, self.chooser, spacing=14))
        right = QWidget()
        right.setLayout(vbox(self.search_box, self.keyboard, 1, spacing=14))
        body = QHBoxLayout()
        body.setSpacing(28)
        body.addWidget(left, 13)
        body.addWidget(right, 7)
        head = hbox(self.back, self.title, 1, spacing=24)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 20, 32, 24)
        layout.setSpacing(16)
        layout.addLayout(head)
        layout.addLayout(body, 1)
        session.picker_shown.connect(self.show_items)
        session.screen_changed.connect(self._screen_changed)
        self.retranslate()

    # ------------------------------------------------------------ input
    def _typed(self, text: str) -> None:
        self._render_search()
        self._session.find_items(text, "")

    def _tab(self, category: str) -> None:
        self._session.find_items(self.keyboard.text, category)

    def _tapped(self, product: Product) -> None:
        if product.unit is Unit.KG:
            self._session.pick(product.gtin, 1)  # the session weighs it (or says where)
            return
        self._chosen, self._quantity = product, 1
        self._render_chooser()

    def _step(self, delta: int) -> None:
        self._quantity = max(1, min(99, self._quantity + delta))
        self._render_chooser()

    def _add(self) -> None:
        if self._chosen is not None:
            self._session.pick(self._chosen.gtin, self._quantity)

    def _screen_changed(self, screen: str) -> None:
        if screen != "picker":
            # The next visit starts afresh: no old search, no half-chosen item.
            self.keyboard.reset()
            self._chosen = None
            self.chooser.setVisible(False)

    # ------------------------------------------------------------ rendering
    def show_items(self, shown: PickerShown) -> None:
        if shown.categories != self._shown.categories:
            self._build_tabs(shown.categories)
        self._shown = shown
        for tab in self.tabs.buttons():
            tab.setChecked(tab.property("category") == shown.category)
        for tile in self.tiles:
            self._grid.removeWidget(tile)
            tile.hide()  # at once: deleting waits for the event loop
            tile.deleteLater()
        self.tiles = []
        for i, product in enumerate(shown.products):
            tile = Tile(product, self._picture(product.picture), self._localiser)
            tile.clicked.connect(lambda _=False, p=product: self._tapped(p))
            self._grid.addWidget(tile, i // COLUMNS, i % COLUMNS)
            self.tiles.append(tile)
        for column in range(COLUMNS):
            self._grid.setColumnStretch(column, 1)
        self._grid.setRowStretch(len(shown.products) // COLUMNS + 1, 1)
        self.empty.setVisible(not shown.products)
        self.tile_scroll.verticalScrollBar().setValue(0)
        if self._chosen is not None and self._chosen not in shown.products:
            self._chosen = None
            self.chooser.setVisible(False)

    def _picture(self, name: str | None) -> QPixmap | None:
        if name is None:
            return None
        if name not in self._scaled:
            pixmap = QPixmap(str(self._pictures / name))
            self._scaled[name] = (
                None
                if pixmap.isNull()  # named but not shipped: the tile shows the initial
                else pixmap.scaled(
                    PICTURE_PX,
                    PICTURE_PX,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        return self._scaled[name]

    def _build_tabs(self, categories: tuple[str, ...]) -> None:
        for tab in self.tabs.buttons():
            self.tabs.removeButton(tab)
        while self._tab_row.count():  # the tabs and the stretch after them
            item = self._tab_row.takeAt(0)
            old = item.widget() if item is not None else None
            if old is not None:
                old.hide()
                old.deleteLater()
        for category in ("", *categories):
            tab = button("tab", f"tab_{category or 'all'}")
            tab.setCheckable(True)
            tab.setProperty("category", category)
            tab.clicked.connect(lambda _=False, c=category: self._tab(c))
            self.tabs.addButton(tab)
            self._tab_row.addWidget(tab)
        self._tab_row.addStretch(1)
        self._retranslate_tabs()

    def _retranslate_tabs(self) -> None:
        for tab in self.tabs.buttons():
            category = str(tab.property("category"))
            text = category_name(category) if category else self.tr("All")
            tab.setText(text.replace("&", "&&"))  # a single & would mark a shortcut key

    def _render_search(self) -> None:
        text = self.keyboard.text
        self.search_box.setProperty("placeholder", not text)
        self.search_box.setText(text.upper() if text else self.tr("Name, pinyin or PLU…"))
        style = self.search_box.style()
        style.unpolish(self.search_box)
        style.polish(self.search_box)

    def _render_chooser(self) -> None:
        product = self._chosen
        self.chooser.setVisible(product is not None)
        if product is None:
            return
        fmt = self._localiser
        self.chosen_name.setText(f"{product.name(fmt.language)}  {fmt.money(product.price)}")
        self.quantity.setText(fmt.number(self._quantity))
        self.minus.setEnabled(self._quantity > 1)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Look up an item without a barcode"))
        self.back.setText(self.tr("◀ Back to my items"))
        self.minus.setAccessibleName(self.tr("One fewer"))
        self.plus.setAccessibleName(self.tr("One more"))
        self.add.setText(self.tr("Add to my items"))
        self.empty.setText(self.tr("Nothing found. Try fewer letters, or ask a member of staff."))
        self.keyboard.retranslate()
        self._render_search()
        self._retranslate_tabs()
        for tile in self.tiles:
            tile.retranslate(self._localiser)
        self._render_chooser()
