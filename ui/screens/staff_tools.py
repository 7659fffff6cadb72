"""The staff screen's daily tools, each a page of its action column: a supervisor's price
change for the selected line, keying in an item whose label will not scan (its code
on a keypad, or its name searched in any of the kiosk's languages), the transfer code
of a cart just suspended, and a refund.

The panels only collect what staff type; the intents (`StaffDesk.override_price`,
`key_in`, `search`) decide, check the role and the store's bounds, and journal.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.domain.catalog import Product
from kiosk.domain.money import Money
from kiosk.domain.policy import OverrideBounds
from kiosk.services.session import ProductsFound, RefundShown
from kiosk.services.transfers import SuspendedCart
from ui.i18n import Localiser
from ui.widgets.cart_view import two_lines, vertical_scroll
from ui.widgets.common import Keypad, QrView, button, hbox, label, vbox

SEARCH_RESULTS = 5
# The keypads of these pages share the staff screen's narrow action column: their keys
# give up the shopper keypad's minimum width (they stay as tall, the size that matters
# for a finger) rather than overlap.
_NARROW_KEYS = 'QPushButton[role="key"] { min-width: 0px; }'


def scrolling(name: str, body: tuple[QWidget, ...], *buttons: QWidget) -> QVBoxLayout:
    """A staff tool page's layout: `body` scrolls when it is taller than the column (a
    keypad at large text), `buttons` stay under it, in sight. Squeezed instead, keys and
    rows overlapped; scrolled whole, Cancel was below the fold."""
    content = QWidget()
    content.setLayout(vbox(*body, 1))
    return vbox(vertical_scroll(content, name), *buttons, margins=8)


class PricePanel(QFrame):
    """A new price per unit for one line, typed in minor units (1250 is ¥12.50), with the
    shelf price and the range the store allows shown before staff confirm.

    Signals:
        chosen(int, int): the line number and the new price per unit in minor units.
        closed(): staff went back without changing anything.
    """

    chosen = Signal(int, int)
    closed = Signal()

    def __init__(self, localiser: Localiser) -> None:
        super().__init__()
        self.setObjectName("PricePanel")
        self.setStyleSheet(_NARROW_KEYS)
        self._localiser = localiser
        self._line: tuple[int, Product, Money] | None = None
        self._bounds = OverrideBounds()
        self.question = label(role="heading", wrap=True)
        self.detail = label(wrap=True)
        self.detail.setObjectName("price_detail")
        self.entry = label(role="heading")
        self.entry.setObjectName("price_entry")
        self.keypad = Keypad(max_length=9)
        self.keypad.changed.connect(lambda _digits: self.retranslate())
        self.yes = button("danger", "price_yes")
        self.no = button(name="price_no")
        self.yes.clicked.connect(self._choose)
        self.no.clicked.connect(self.closed)
        self.setLayout(
            scrolling(
                "PriceBody",
                (self.question, self.detail, self.entry, self.keypad),
                self.yes,
                self.no,
            )
        )

    def open(self, line_no: int, product: Product, shelf: Money, bounds: OverrideBounds) -> None:
        self._line, self._bounds = (line_no, product, shelf), bounds
        self.keypad.clear()
        self.retranslate()

    def _price(self) -> Money | None:
        if self._line is None or not self.keypad.digits:
            return None
        return Money(int(self.keypad.digits), self._line[2].currency)

    def _choose(self) -> None:
        price = self._price()
        if self._line is not None and price is not None:
            self.chosen.emit(self._line[0], price.minor)

    def retranslate(self) -> None:
        self.no.setText(self.tr("◀ Cancel"))
        if self._line is None:
            return
        line_no, product, shelf = self._line
        name = product.name(self._localiser.language)
        money = self._localiser.money
        low, high = self._bounds.range_of(shelf.minor)
        self.question.setText(self.tr("New price for line %1: %2").replace("%1", str(line_no))
                              .replace("%2", name))  # fmt: skip
        self.detail.setText(
            self.tr("Shelf price %1. Allowed: %2 to %3 per unit.")
            .replace("%1", money(shelf))
            .replace("%2", money(Money(low, shelf.currency)))
            .replace("%3", money(Money(high, shelf.currency)))
        )
        price = self._price()
        self.entry.setText(money(price) if price is not None else "—")
        self.yes.setEnabled(price is not None and self._bounds.allows(price.minor, shelf.minor))
        self.yes.setText(
            self.tr("Set price %1").replace("%1", money(price))
            if price is not None
            else self.tr("Type the new price")
        )


class FoundButton(QPushButton):
    """A product a name search found: its name on up to two lines (the rest elided) over
    its price, as wide as the column. On one line with its price, a long name made the
    button wider than the column, which cut it off at the side."""

    _PADDING = 48  # the theme's horizontal padding and border, both sides, with room

    def __init__(self, name: str, price: str, object_name: str) -> None:
        super().__init__()
        self._name = name
        self._price = price
        # As `button("reason", object_name)` makes one: the theme styles it by that role.
        self.setProperty("role", "reason")
        self.setObjectName(object_name)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        # Large text swaps the style sheet: the same width holds fewer characters.
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit()

    def _fit(self) -> None:
        lines = two_lines(self._name, self.fontMetrics(), self.width() - self._PADDING)
        self.setText("\n".join([*lines, self._price]))


class KeyInPanel(QFrame):
    """A label that will not scan: staff type its code on the keypad, or search its name.

    Signals:
        code_entered(str, str): the code, and how it was found ("keypad" or "search").
        search(str): find products whose name contains the text.
        closed(): staff went back.
    """

    code_entered = Signal(str, str)
    search = Signal(str)
    closed = Signal()

    def __init__(self, localiser: Localiser) -> None:
        super().__init__()
        self.setObjectName("KeyInPanel")
        self.setStyleSheet(_NARROW_KEYS)
        self._localiser = localiser
        self._found_last = ProductsFound("", ())
        self.question = label(role="heading", wrap=True)
        self.keypad = Keypad(max_length=14)
        self.keypad.changed.connect(lambda _digits: self.retranslate())
        self.add = button("primary", "code_add")
        self.add.clicked.connect(lambda: self.code_entered.emit(self.keypad.digits, "keypad"))
        self.name = QLineEdit()
        self.name.setObjectName("name_search")
        self.name.returnPressed.connect(lambda: self.search.emit(self.name.text()))
        self.find_button = button("", "name_find")
        self.find_button.clicked.connect(lambda: self.search.emit(self.name.text()))
        self.results = QWidget()
        self._found = vbox(spacing=4)
        self.results.setLayout(self._found)
        self.no = button(name="key_no")
        self.no.clicked.connect(self.closed)
        for compact in (self.add, self.find_button, self.no):
            compact.setProperty("staff", True)  # the staff screen's compact buttons: the
            # keypad, the search and its results share one column
        search_row = QWidget()
        search_row.setLayout(hbox(self.name, self.find_button, spacing=8))
        self.setLayout(
            scrolling(
                "KeyInBody",
                (self.question, self.keypad, self.add, search_row, self.results),
                self.no,
            )
        )

    def open(self) -> None:
        self.keypad.clear()
        self.name.clear()
        self.show_found(ProductsFound("", ()))
        self.retranslate()

    def show_found(self, found: ProductsFound) -> None:
        """List what a search found (again after a language switch, in the new names)."""
        self._found_last = found
        layout = self._found
        while layout.count():
            item = layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()  # at once: it goes only when the event loop next runs
                widget.deleteLater()
        language = self._localiser.language
        products: tuple[Product, ...] = found.products[:SEARCH_RESULTS]
        for i, product in enumerate(products):
            price = self._localiser.money(product.price)
            b = FoundButton(product.name(language), price, f"found_{i}")
            b.clicked.connect(lambda _=False, g=product.gtin: self.code_entered.emit(g, "search"))
            layout.addWidget(b)
        self.results.setVisible(bool(found.query))
        if found.query and not products:
            layout.addWidget(label(self.tr("Nothing found by that name."), role="why", wrap=True))

    def retranslate(self) -> None:
        self.question.setText(
            self.tr("Key in an item's code or a slip's 10-digit number, or search a name")
        )
        digits = self.keypad.digits
        self.add.setText(self.tr("Add this code") + (f": {digits}" if digits else ""))
        self.add.setEnabled(len(digits) >= 8)  # EAN-8 is the shortest code
        self.name.setPlaceholderText(self.tr("Name (any language)"))
        self.find_button.setText(self.tr("Find"))
        self.no.setText(self.tr("◀ Cancel"))
        self.show_found(self._found_last)


class TransferPanel(QFrame):
    """A cart just suspended here: its transfer code as a QR, the number a lane without a
    scanner types, and until when it resumes; staff leave with Done.

    Signals:
        closed(): staff handed the code over.
    """

    closed = Signal()

    def __init__(self, localiser: Localiser) -> None:
        super().__init__()
        self.setObjectName("TransferPanel")
        self._localiser = localiser
        self._suspended: SuspendedCart | None = None
        self._until = ""
        self.title = label(role="heading", wrap=True)
        self.qr = QrView(300)
        self.number = label(role="heading")
        self.number.setObjectName("transfer_number")
        self.detail = label(wrap=True)
        self.done = button("primary", "transfer_done")
        self.done.clicked.connect(self.closed)
        self.setLayout(
            scrolling("TransferBody", (self.title, self.qr, self.number, self.detail), self.done)
        )

    def show_transfer(self, suspended: SuspendedCart, until: str) -> None:
        """`until`: the code's expiry as the store's clock shows it."""
        self._suspended = suspended
        self._until = until
        self.qr.set_payload(suspended.code)
        self.retranslate()

    def retranslate(self) -> None:
        suspended = self._suspended
        self.title.setText(self.tr("Cart suspended"))
        if suspended is not None:
            number = suspended.number
            grouped = " ".join(number[i : i + 4] for i in range(0, len(number), 4))
            self.number.setText(self.tr("No. %1").replace("%1", grouped))
        self.detail.setText(
            self.tr(
                "Scan this code at any kiosk of the store, or type the number at a staffed "
                "lane. Valid until %1."
            ).replace("%1", self._until)
        )
        self.done.setText(self.tr("Done"))


# Refund reasons as journalled (stable English) and as shown (translated).
REFUND_REASONS = ("returned", "damaged", "charged twice")


REFUND_LINES_MIN_H = 150
"""The least height of a refund's lines (more scroll): two rows of − / + at any text size."""


class RefundPanel(QFrame):
    """A refund: the sale its scanned receipt names, units per line (or the whole sale),
    a reason, and the amount they give back on the confirm button. What is refundable
    and how much is `StaffDesk`'s answer (`RefundShown`); this page only collects picks.

    Signals:
        pick(str, object): the sale id and the units per line (None: the whole sale).
        refund(str, object, str): confirmed: sale id, units per line, reason.
        closed(): staff went back.

    Once done, the refund's e-receipt link is shown as a QR when the central service gave
    one, for the shopper to take with their phone (the printed receipt carries it too).
    """

    pick = Signal(str, object)
    refund = Signal(str, object, str)
    closed = Signal()

    def __init__(self, localiser: Localiser) -> None:
        super().__init__()
        self.setObjectName("RefundPanel")
        self._localiser = localiser
        self._shown = RefundShown(None)
        self._wanted: dict[int, int] | None = None
        self._reason = ""
        self.question = label(role="heading", wrap=True)
        self.detail = label(wrap=True)
        self.detail.setObjectName("refund_detail")
        self.rows = QWidget()
        self._rows = vbox(spacing=4)
        self.rows.setLayout(self._rows)
        self.whole = button("", "refund_whole")
        self.whole.clicked.connect(self._whole)
        self.reasons: list[QPushButton] = []
        for reason in REFUND_REASONS:
            b = button("reason", f"refund_reason_{reason.replace(' ', '_')}")
            b.setCheckable(True)
            b.clicked.connect(lambda _=False, r=reason: self._choose_reason(r))
            self.reasons.append(b)
        reasons_row = QWidget()
        grid = QGridLayout(reasons_row)
        grid.setContentsMargins(0, 0, 0, 0)
        for i, b in enumerate(self.reasons):
            grid.addWidget(b, i // 2, i % 2)
        self.yes = button("danger", "refund_yes")
        self.yes.clicked.connect(self._confirm)
        self.no = button(name="refund_no")
        self.no.clicked.connect(self.closed)
        self.e_receipt_qr = QrView(240)
        self.e_receipt_text = label(role="muted", wrap=True)
        self.e_receipt_text.setObjectName("refund_e_receipt")
        for compact in (self.whole, self.yes, self.no, *self.reasons):
            compact.setProperty("staff", True)
        # A long sale's lines scroll by themselves: under them, the reasons, Refund and
        # Close stay in sight (with the whole page scrolling they were below the fold).
        self.rows_scroll = vertical_scroll(self.rows, "RefundLines")
        self.rows_scroll.setMinimumHeight(REFUND_LINES_MIN_H)
        self.setLayout(
            vbox(self.question, self.detail, self.rows_scroll, self.whole, reasons_row,
                 self.e_receipt_qr, self.e_receipt_text, self.yes, self.no, spacing=8,
                 margins=8)
        )  # fmt: skip
        self.retranslate()

    @property
    def shown(self) -> RefundShown:
        """The refund on show, as the core last described it."""
        return self._shown

    def show_refund(self, shown: RefundShown) -> None:
        self._shown = shown
        if shown.plan is not None and shown.done is None:
            self._wanted = {line.line_no: line.quantity for line in shown.plan.lines}
        if shown.sale is None or shown.done is not None:
            self._reason = ""
        link = shown.done.e_receipt_url if shown.done is not None else None
        self.e_receipt_qr.set_payload(link or "")
        self.retranslate()

    def _whole(self) -> None:
        if self._shown.sale is not None:
            self.pick.emit(str(self._shown.sale["sale_id"]), None)

    def _step(self, line_no: int, by: int) -> None:
        sale, left = self._shown.sale, self._shown.left or {}
        if sale is None:
            return
        wanted = dict(self._wanted or {})
        units = min(max(wanted.get(line_no, 0) + by, 0), left.get(line_no, 0))
        wanted[line_no] = units
        wanted = {n: u for n, u in wanted.items() if u}
        if wanted:  # at least one unit: an empty refund is no refund
            self.pick.emit(str(sale["sale_id"]), wanted)

    def _choose_reason(self, reason: str) -> None:
        self._reason = reason
        self.retranslate()

    def _confirm(self) -> None:
        if self._shown.sale is not None and self._reason:
            self.refund.emit(str(self._shown.sale["sale_id"]), self._wanted, self._reason)

    def _method_name(self, method: str) -> str:
        """What the money went back to, in words: cash, the wallet's name, or the payment it
        came from (a provider the kiosk has no name for, the demo's sandbox among them)."""
        names = {
            "cash": self.tr("cash"),
            "wechat": self.tr("WeChat Pay"),
            "alipay": self.tr("Alipay"),
        }
        return names.get(method, self.tr("the original payment"))

    def _fill_rows(self) -> None:
        layout = self._rows
        while layout.count():
            item = layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                # Off the page now, not at the next turn of the event loop: a rebuild
                # (a pick, a language) must never paint over the rows it replaces.
                widget.hide()
                widget.deleteLater()
        sale, left = self._shown.sale, self._shown.left or {}
        if sale is None or self._shown.done is not None:
            return
        language = self._localiser.language
        for line in sale["lines"]:
            line_no = int(line["line_no"])
            if line_no not in left:
                continue
            names = line.get("names") or {}
            name = names.get(language) or names.get("en") or line["gtin"]
            units = (self._wanted or {}).get(line_no, 0)
            minus, plus = (
                button("", f"refund_minus_{line_no}"),
                button("", f"refund_plus_{line_no}"),
            )
            minus.setText("−")
            plus.setText("+")
            for b in (minus, plus):
                b.setProperty("staff", True)
            minus.clicked.connect(lambda _=False, n=line_no: self._step(n, -1))
            plus.clicked.connect(lambda _=False, n=line_no: self._step(n, 1))
            count = label(f"{units} / {left[line_no]}")
            count.setObjectName(f"refund_units_{line_no}")
            title = label(name, wrap=True)
            title.setObjectName(f"refund_name_{line_no}")
            line_row = hbox(title, minus, count, plus, spacing=6)
            line_row.setStretch(0, 1)  # the name takes the room: a spacer beside it wrapped it
            row = QWidget()
            row.setLayout(line_row)
            layout.addWidget(row)

    def retranslate(self) -> None:
        money = self._localiser.money
        shown = self._shown
        sale, plan, done = shown.sale, shown.plan, shown.done
        texts = {
            "returned": self.tr("Returned"),
            "damaged": self.tr("Damaged"),
            "charged twice": self.tr("Charged twice"),
        }
        for b, reason in zip(self.reasons, REFUND_REASONS, strict=True):
            b.setChecked(reason == self._reason)
            b.setText(texts[reason])
        self.whole.setText(self.tr("Whole sale"))
        self.no.setText(self.tr("◀ Close"))
        if sale is None:
            self.question.setText(self.tr("Refund"))
            self.detail.setText(
                self.tr("Scan the receipt's exit code or the e-receipt QR of the sale.")
            )
        else:
            paid = Money(int(sale["total_minor"]), str(sale["currency"]))
            self.question.setText(
                self.tr("Refund of sale #%1 (paid %2)")
                .replace("%1", str(sale["sequence"]))
                .replace("%2", money(paid))
            )
            if done is not None:
                amount = money(Money(done.plan.amount_minor, done.plan.currency))
                self.detail.setText(
                    (self.tr("Refunded %1 to %2.") if done.status == "refunded"
                     else self.tr("%1 recorded: it goes back to %2 when the kiosk is online."))
                    .replace("%1", amount).replace("%2", self._method_name(done.method))
                )  # fmt: skip
            else:
                self.detail.setText(self.tr("Pick the units coming back, and a reason."))
        self.e_receipt_text.setText(
            self.tr("The shopper's refund receipt: they scan it with their phone.")
        )
        self.e_receipt_qr.setVisible(bool(self.e_receipt_qr.payload))
        self.e_receipt_text.setVisible(bool(self.e_receipt_qr.payload))
        self._fill_rows()
        ready = sale is not None and plan is not None and done is None
        self.rows_scroll.setVisible(ready)
        self.whole.setVisible(ready)
        for b in self.reasons:
            b.setVisible(ready)
        self.yes.setVisible(ready)
        self.yes.setEnabled(ready and bool(self._reason))
        if plan is not None:
            self.yes.setText(
                self.tr("Refund %1").replace("%1", money(Money(plan.amount_minor, plan.currency)))
            )
