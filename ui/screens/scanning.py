"""Scanning: the camera with its guide frame, the cart, the offers under it (the next-best
offer, coupons, promotions), the total and one tap to pay."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QStackedLayout,
    QWidget,
)

from kiosk.domain.cart import ItemScanned, QuantityChanged
from kiosk.domain.catalog import Product
from kiosk.services.cart_offers import LoyaltyView
from kiosk.services.checkout import CartState
from kiosk.services.members import MemberView
from kiosk.services.session import Level, Notice
from ui.i18n import Localiser, separator
from ui.models import CartModel
from ui.offers import member_text, offers_text
from ui.screens.base import Screen
from ui.session import KioskSession
from ui.theme import Theme
from ui.widgets.camera import CameraView
from ui.widgets.cart_view import CartView, vertical_scroll
from ui.widgets.common import ConfirmPanel, button, card, hbox, label, vbox
from ui.widgets.offers_panel import HintLine, OffersPanel

OFFERS_MAX_H = 300
"""The most height the offer lines take from the camera (whose own minimum is 360)."""
OFFERS_MIN_H = 90
"""The least: one line, the others a scroll away."""


BAG_CHOICES = (0, 1, 2)
"""How many bags the shopper may take with one tap (more: + on the bag's line)."""


class BagQuestion(QFrame):
    """ "Need a bag? ¥0.30" in place of the total and Pay, with one big button per answer
    (none, one, two); the session adds the bags and goes on to paying."""

    def __init__(self, session: KioskSession, localiser: Localiser) -> None:
        super().__init__()
        self.setProperty("card", True)
        self._localiser = localiser
        self._bag: Product | None = None
        self.question = label(role="heading", wrap=True)
        self.buttons: dict[int, QPushButton] = {}
        for count in BAG_CHOICES:
            b = button("bag", f"bags_{count}")
            b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            b.clicked.connect(lambda _=False, n=count: session.take_bags(n))
            self.buttons[count] = b
        row = QWidget()
        row.setLayout(hbox(*self.buttons.values(), spacing=14))
        self.setLayout(vbox(self.question, row, spacing=14, margins=20))

    def ask(self, bag: Product) -> None:
        self._bag = bag
        self.retranslate()

    def retranslate(self) -> None:
        if self._bag is not None:
            price = self._localiser.money(self._bag.price)
            self.question.setText(self.tr("Need a bag? %1 each").replace("%1", price))
        self.buttons[0].setText(self.tr("No, thanks"))
        self.buttons[1].setText(self.tr("1 bag"))
        self.buttons[2].setText(self.tr("2 bags"))


class ScanningScreen(Screen):
    def __init__(
        self,
        session: KioskSession,
        localiser: Localiser,
        theme: Theme,
        camera: CameraView,
        model: CartModel,
    ) -> None:
        super().__init__()
        self._session = session
        self._localiser = localiser
        self._state: CartState | None = None
        self._member: MemberView | None = None
        self._loyalty: LoyaltyView | None = None
        self.camera = camera
        self.model = model
        self.cart = CartView(model, theme)
        self.cart.cart_delegate.quantity_step.connect(session.change_quantity)
        self.cart.cart_delegate.line_removed.connect(session.remove_line)
        self.empty_hint = label(role="subtitle", wrap=True)
        self.cart_title = label(role="heading")
        self.camera_hint = label(role="muted", wrap=True)
        self.member_button = button(name="member")
        self.member_button.clicked.connect(session.open_member)
        # Loose fruit and vegetables, bakery: goods with no barcode to scan (#16).
        self.lookup_button = button("lookup", "lookup")
        self.lookup_button.clicked.connect(session.open_picker)
        self.items_label = label(role="muted")
        self.savings_label = label(role="savings")
        self.total_caption = label(role="heading")
        self.total_label = label(role="total")
        self.pay_button = button("primary", "pay")
        self.pay_button.clicked.connect(session.pay)
        self.bag_question = BagQuestion(session, localiser)
        self.bag_question.setVisible(False)
        self.offers = OffersPanel()
        self.offers.remove_coupon.connect(session.remove_coupon)
        self.hint = HintLine()
        # Large text can need more room than there is under the camera: the lines scroll
        # rather than being cut off.
        self.offers_scroll = vertical_scroll(self.offers, "OffersScroll")
        self.offers_scroll.setVisible(False)
        self._refit = QTimer(self)  # owned by the screen: it never fires after the screen
        self._refit.setSingleShot(True)
        self._refit.setInterval(0)
        self._refit.timeout.connect(self._fit_offers)

        left = self._left = QWidget()
        # The offer lines sit under the camera (which shrinks for them): the cart keeps
        # its room, and only the next-best offer goes under it.
        left.setLayout(
            vbox(
                self.camera,
                self.camera_hint,
                self.offers_scroll,
                self.lookup_button,
                self.member_button,
                spacing=18,
            )
        )
        cart_stack = QWidget()
        stack = QStackedLayout(cart_stack)
        empty = QWidget()
        empty.setLayout(vbox(1, self.empty_hint, 2, margins=40))
        stack.addWidget(empty)
        stack.addWidget(self.cart)
        # A tap on a line asks about it in place of the list: "is this price wrong?"
        self.price_query = ConfirmPanel(yes_role="primary")
        self.price_query.confirmed.connect(self._query_price)
        self.price_query.no.clicked.connect(self._close_price_query)
        self._queried: int | None = None
        self.cart.cart_delegate.line_tapped.connect(self._ask_price)
        stack.addWidget(self.price_query)
        self._cart_stack = stack
        # The total sits beside Pay, and the count and savings beside the cart's title:
        # the cart keeps the height for six or seven rows at 1080p.
        totals = card()
        totals_row = QHBoxLayout(totals)
        totals_row.setContentsMargins(28, 8, 28, 8)
        totals_row.addStretch(1)
        totals_row.addWidget(self.total_caption)
        totals_row.addWidget(self.total_label)
        self.pay_button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        bottom = QWidget()
        bottom_row = hbox(totals, self.pay_button, spacing=14)
        bottom_row.setStretch(0, 5)
        bottom_row.setStretch(1, 4)
        bottom.setLayout(bottom_row)
        bottom.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self._bottom = bottom
        title = QWidget()
        title.setLayout(hbox(self.cart_title, 1, self.items_label, self.savings_label, spacing=24))
        right = QWidget()
        cart_stack.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        right.setLayout(vbox(title, cart_stack, self.hint, bottom, self.bag_question, spacing=14))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(32, 20, 32, 24)
        layout.setSpacing(32)
        layout.addWidget(left, 4)
        layout.addWidget(right, 7)
        session.cart_changed.connect(self.show_state)
        session.notice.connect(self._notice)
        session.bag_offered.connect(self._bag_offered)
        session.screen_changed.connect(lambda _screen: self._bag_offered(None))
        session.member_changed.connect(self._set_member)
        session.loyalty_changed.connect(self.show_loyalty)
        self.retranslate()
        self.show_state(session.state)
        self.show_loyalty(session.loyalty)

    def _ask_price(self, line_no: int) -> None:
        self._queried = line_no
        self._price_query_texts()
        self._cart_stack.setCurrentWidget(self.price_query)

    def _price_query_texts(self) -> None:
        state, line_no = self._state, self._queried
        line = (
            next((p for p in state.priced.lines if p.line_no == line_no), None) if state else None
        )
        if state is None or line is None:
            self._close_price_query()
            return
        name = state.products[line.gtin].name(self._localiser.language)
        self.price_query.ask(
            self.tr("Is the price of %1 wrong?").replace("%1", name),
            self.tr("It costs %1 here. A member of staff will come and check it against the "
                    "shelf.").replace("%1", self._localiser.money(line.amount)),
            self.tr("Call staff to check the price"),
            self.tr("◀ Back to my items"),
        )  # fmt: skip

    def _query_price(self) -> None:
        if self._queried is not None:
            self._session.query_price(self._queried)
        self._close_price_query()

    def _close_price_query(self) -> None:
        self._queried = None
        if self._cart_stack.currentWidget() is self.price_query:
            self._cart_stack.setCurrentWidget(self.cart)

    def _set_member(self, member: MemberView | None) -> None:
        self._member = member
        self.retranslate()

    def show_state(self, state: CartState) -> None:
        self._state = state
        self.model.set_state(state)
        has_lines = self.model.rowCount() > 0
        self._cart_stack.setCurrentIndex(1 if has_lines else 0)
        if has_lines:
            # The line the scan changed comes into view: a new line is on top, but a
            # rescan raises the quantity of a line that may be far down the list.
            event = state.event
            changed = None
            if isinstance(event, ItemScanned | QuantityChanged):
                changed = self.model.row_of(event.line_no)
            if not changed:
                self.cart.scrollToTop()
            else:
                self.cart.scrollTo(self.model.index(changed, 0))
        # An age check waiting for staff: Pay would only refuse (the notice says why).
        self.pay_button.setEnabled(has_lines and not state.cart.needs_approval)
        self._render_totals()

    def _notice(self, notice: Notice) -> None:
        # A refused scan marks no line: the last line scanned, still marked right under the
        # banner, would be blamed for the refused item.
        if notice.level is Level.ERROR:
            self.model.unmark()

    def _bag_offered(self, bag: Product | None) -> None:
        # The question takes the place of the total and Pay, which it answers for.
        if bag is not None:
            self.bag_question.ask(bag)
        self.bag_question.setVisible(bag is not None)
        self._bottom.setVisible(bag is None)

    def show_loyalty(self, view: LoyaltyView) -> None:
        self._loyalty = view
        self._render_offers()
        self._render_member()

    def _render_offers(self) -> None:
        if self._loyalty is not None:
            names = self._session.offer_names()
            text = offers_text(self._loyalty, names, self._localiser)
            self.hint.show_text(text)
            if not self.offers.show_text(text):
                return
            has_offers = bool(self.offers.rows)
            self.offers_scroll.setVisible(has_offers)
            self._fit_offers()
            # Once shown and laid out, the width is known: measure again.
            self._refit.start()
            # The how-to-scan tip gives way to the offers (the shopper is scanning already).
            self.camera_hint.setVisible(not has_offers)

    def _fit_offers(self) -> None:
        """Room for every offer line (wrapped ones too) up to `OFFERS_MAX_H`; the camera
        gives it up. Beyond that (large text, many lines) the lines scroll."""
        self.offers.ensurePolished()  # new lines get their style's font before measuring
        layout = self.offers.layout()
        if layout is not None:
            layout.invalidate()
        width = self.offers_scroll.viewport().width()
        needed = self.offers.heightForWidth(width) if width > 0 else -1
        if needed < 0:
            needed = self.offers.sizeHint().height()
        # Exactly that high: the camera, not a half-empty card, takes the rest of the column;
        # and never more than the column has left once the camera is at its smallest (with
        # large text and a notice above, the lines lay over the camera).
        self.offers_scroll.setFixedHeight(
            min(needed + 4, OFFERS_MAX_H, max(OFFERS_MIN_H, self._room_for_offers()))
        )  # + the card border

    def _room_for_offers(self) -> int:
        layout = self._left.layout()
        assert layout is not None
        others = [self.camera_hint, self.lookup_button, self.member_button]
        taken = self.camera.minimumHeight() + sum(
            w.heightForWidth(w.width()) if w.hasHeightForWidth() else w.sizeHint().height()
            for w in others
            if not w.isHidden()
        )
        return self._left.height() - taken - layout.spacing() * len(others)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit_offers()

    def _render_member(self) -> None:
        member = self._loyalty.member if self._loyalty is not None else None
        if member is not None:
            text = member_text(member, self._localiser)
            # Tier and phone only: the button must not widen the column (large text); the
            # member screen it opens shows the points and the wallet.
            self.member_button.setText(f"★ {text.tier}{separator()}{member.masked_phone}")
        elif self._member is None:
            self.member_button.setText(self.tr("★ Member? Add your membership"))
        else:
            self.member_button.setText(
                self.tr("★ Member %1").replace("%1", self._member.masked_phone)
            )

    def _render_totals(self) -> None:
        state = self._state
        if state is None:
            return
        fmt = self._localiser
        priced = state.priced
        lines = self.model.rowCount()
        self.items_label.setText(
            self.tr("Items: %1").replace("%1", fmt.number(priced.item_count))
            if lines == priced.item_count
            # A big basket: how many products as well as how many items.
            else self.tr("%1 items, %2 products")
            .replace("%1", fmt.number(priced.item_count))
            .replace("%2", fmt.number(lines))
        )
        self.total_label.setText(fmt.money(priced.total))
        if priced.discount_total.minor:
            self.savings_label.setText(
                "★ " + self.tr("You save %1").replace("%1", fmt.money(priced.discount_total))
            )
        else:
            self.savings_label.setText("")

    def retranslate(self) -> None:
        self.cart_title.setText(self.tr("Your items"))
        self.empty_hint.setText(self.tr("Your items will appear here as you scan them."))
        self.camera_hint.setText(
            self.tr(
                "Scan each item once. Scan again, or tap +, for more of the same. "
                "A price looks wrong? Tap the item."
            )
        )
        self._render_member()
        self.lookup_button.setText(self.tr("No barcode? Look up item ▶"))
        self.total_caption.setText(self.tr("Total"))
        self.pay_button.setText(self.tr("Pay now ▶"))
        self.bag_question.retranslate()
        if self._queried is not None:
            self._price_query_texts()
        self.model.refresh()
        self._render_totals()
        self._render_offers()
