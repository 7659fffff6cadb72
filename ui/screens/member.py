"""Member: scan the member QR from the app, or type the phone number; one-step sign-up.
Once a member is on the cart: their tier, points and wallet coupons (tap to use).

The phone number is shown masked while it is typed, and the screen keeps it only until
the shopper leaves the screen; the member port stores a keyed hash, never the number.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from kiosk.services.cart_offers import LoyaltyView
from ui.i18n import Localiser
from ui.offers import member_text
from ui.screens.base import Screen
from ui.session import KioskSession
from ui.theme import NORMAL, Theme
from ui.widgets.cart_view import vertical_scroll
from ui.widgets.common import Keypad, button, card, hbox, label, mask_while_typing, vbox


class ToggleLabel(QLabel):
    """Wrapping words for a check box; tapping them toggles it, as its own text would."""

    def __init__(self, box: QCheckBox) -> None:
        super().__init__()
        self._box = box
        self.setWordWrap(True)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        self._box.toggle()
        super().mouseReleaseEvent(event)


class TickBox(QCheckBox):
    """A tick box drawn in the theme's colours. The style's own box took the style sheet's
    text colour for its tick: white on a white box in high contrast, so a shopper could not
    see whether they had agreed."""

    def __init__(self) -> None:
        super().__init__()
        self._palette = NORMAL
        self.set_theme(Theme())

    def set_theme(self, theme: Theme) -> None:
        self._palette = theme.palette
        self._side = theme.px(48)
        self.setFixedSize(self._side, self._side)
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(self._side, self._side)

    def hitButton(self, pos: QPoint) -> bool:  # noqa: N802 - Qt's name
        return self.rect().contains(pos)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        p, side = self._palette, self._side
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor(p.brand), 3))
        painter.setBrush(QColor(p.brand if self.isChecked() else p.surface))
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(1.5, 1.5, -1.5, -1.5), 8, 8)
        if self.isChecked():
            pen = QPen(QColor(p.on_brand), side / 9)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            painter.setPen(pen)
            painter.drawPolyline(
                [QPointF(side * 0.24, side * 0.52), QPointF(side * 0.42, side * 0.7),
                 QPointF(side * 0.76, side * 0.3)]
            )  # fmt: skip
        painter.end()


MAX_WALLET = 6
"""Wallet coupons shown at once (each a big button)."""


class MemberScreen(Screen):
    def __init__(self, session: KioskSession, localiser: Localiser) -> None:
        super().__init__()
        self._session = session
        self._localiser = localiser
        self._loyalty: LoyaltyView | None = None
        self.title = label(role="title", wrap=True)
        self.scan_heading = label(role="heading", wrap=True)
        self.scan_text = label(role="subtitle", wrap=True)
        self.phone_heading = label(role="heading", wrap=True)
        self.phone_display = label(role="total")
        self.phone_display.setObjectName("phone")
        self.keypad = Keypad(max_length=15)
        self.keypad.changed.connect(self._typed)
        self.find_button = button("primary", "find")
        self.find_button.clicked.connect(lambda: session.member_by_phone(self.keypad.digits))
        self.consent = TickBox()
        self.consent.setObjectName("consent")
        # A QCheckBox cannot wrap its text: the words are a label beside it that toggles it.
        self.consent_text = ToggleLabel(self.consent)
        self.signup_button = button(name="signup")
        self.signup_button.clicked.connect(
            lambda: session.member_sign_up(self.keypad.digits, self.consent.isChecked())
        )
        self.back_button = button(name="back")
        self.back_button.clicked.connect(session.back_to_cart)
        session.screen_changed.connect(self._screen_changed)
        session.member_lookup_changed.connect(lambda _busy: self._typed(self.keypad.digits))

        self.signup_heading = label(role="heading", wrap=True)
        scan_card = card()
        scan_card.setLayout(vbox(self.scan_heading, self.scan_text, margins=32))
        signup_card = card()
        signup_card.setLayout(
            vbox(
                self.signup_heading,
                self._hold(hbox(self.consent, self.consent_text, spacing=16)),
                self.signup_button,
                spacing=16,
                margins=32,
            )
        )
        phone_card = card()
        phone_card.setLayout(
            vbox(
                self.phone_heading,
                self.phone_display,
                self.keypad,
                self.find_button,
                spacing=14,
                margins=28,
            )
        )
        left = QWidget()
        left.setLayout(vbox(self.title, scan_card, signup_card, 1, spacing=24))
        # Large text makes the column taller than the screen: it scrolls rather than squeeze
        # its words (the sign-up heading and the consent, a legal text, were cut off). The
        # way back stays under it, in sight: inside, it scrolled away below the fold.
        column = QWidget()
        column.setLayout(
            vbox(vertical_scroll(left, "MemberScroll"), self._row(self.back_button), spacing=16)
        )
        find = QWidget()
        layout = QHBoxLayout(find)
        layout.setContentsMargins(64, 24, 64, 24)
        layout.setSpacing(40)
        layout.addWidget(column, 1)
        layout.addWidget(phone_card, 1)
        self._pages = QStackedLayout(self)
        self._pages.addWidget(find)
        self._pages.addWidget(self._member_page())
        session.loyalty_changed.connect(self.show_loyalty)
        self.retranslate()
        self._typed("")
        self.show_loyalty(session.loyalty)

    def _member_page(self) -> QWidget:
        """The member on the cart: tier and points, and the wallet's coupons to tap."""
        self.hello = label(role="title", wrap=True)
        self.tier_caption = label(role="muted")
        self.tier_label = label(role="tier")
        self.tier_label.setObjectName("tier")
        self.points_caption = label(role="muted")
        self.points_label = label(role="total")
        self.points_label.setObjectName("points")
        self.offline_note = label(role="muted", wrap=True)
        self.points_button = button("wallet", "use_points")
        self.points_button.setCheckable(True)
        self.points_button.clicked.connect(self._session.toggle_points)
        status = card()
        status.setLayout(
            vbox(
                self.tier_caption,
                self.tier_label,
                self.points_caption,
                self.points_label,
                self.points_button,
                self.offline_note,
                spacing=8,
                margins=32,
            )
        )
        self.member_back = button("primary", "member_back")
        self.member_back.clicked.connect(self._session.back_to_cart)
        left = QWidget()
        left.setLayout(vbox(self.hello, status, 1, self.member_back, spacing=24))
        self.wallet_heading = label(role="heading", wrap=True)
        self.wallet_text = label(role="muted", wrap=True)
        self.wallet_empty = label(role="subtitle", wrap=True)
        self._wallet_box = QVBoxLayout()
        self._wallet_box.setSpacing(14)
        self.wallet_buttons: list[QPushButton] = []
        wallet = card()
        box = vbox(self.wallet_heading, self.wallet_text, self.wallet_empty, spacing=14, margins=32)
        box.addLayout(self._wallet_box)
        box.addStretch(1)
        wallet.setLayout(box)
        page = QWidget()
        layout = QHBoxLayout(page)
        layout.setContentsMargins(64, 24, 64, 24)
        layout.setSpacing(40)
        layout.addWidget(left, 1)
        layout.addWidget(wallet, 1)
        return page

    def show_loyalty(self, view: LoyaltyView) -> None:
        self._loyalty = view
        self._pages.setCurrentIndex(1 if view.member is not None else 0)
        for b in self.wallet_buttons:
            b.hide()  # gone now, not at the next pass of the event loop
            self._wallet_box.removeWidget(b)
            b.deleteLater()
        self.wallet_buttons = []
        for coupon in view.wallet[:MAX_WALLET]:
            b = button("wallet", "wallet_coupon")
            b.setCheckable(True)
            b.setProperty("code", coupon.code)
            b.clicked.connect(lambda _=False, c=coupon.code: self._session.use_wallet_coupon(c))
            self._wallet_box.addWidget(b)
            self.wallet_buttons.append(b)
        self._render_member()

    def _render_member(self) -> None:
        view = self._loyalty
        if view is None or view.member is None:
            return
        fmt = self._localiser
        text = member_text(view.member, fmt)
        self.hello.setText(text.greeting)
        self.tier_label.setText(text.tier)
        self.points_label.setText(text.points)
        self.offline_note.setText(text.note)
        self.offline_note.setVisible(bool(text.note))
        used, spendable = view.points_used, view.member.spendable
        self.points_button.setVisible(bool(used or spendable))
        self.points_button.setChecked(bool(used))
        self.points_button.setText(
            self.tr("✓ Using %1 points: tap to keep them").replace("%1", fmt.number(used))
            if used
            else self.tr("Use %1 points on this purchase").replace("%1", fmt.number(spendable))
        )
        for b, coupon in zip(self.wallet_buttons, view.wallet, strict=False):
            name = coupon.names.get(fmt.language) or coupon.name
            b.setChecked(coupon.in_cart)
            b.setText(
                ("✓ " + self.tr("In your cart: %1") if coupon.in_cart else "＋ %1").replace(
                    "%1", name
                )
            )
        self.wallet_empty.setVisible(not view.wallet)
        self.wallet_text.setVisible(bool(view.wallet))

    @staticmethod
    def _hold(layout: QHBoxLayout) -> QWidget:
        holder = QWidget()
        holder.setLayout(layout)
        return holder

    @staticmethod
    def _row(widget: QWidget) -> QWidget:
        holder = QWidget()
        holder.setLayout(hbox(widget, 1))
        return holder

    def _typed(self, digits: str) -> None:
        self.phone_display.setText(mask_while_typing(digits) or "—")
        # Not while the central service is being asked: one tap, one lookup.
        ready = bool(digits) and not self._session.looking_up_member
        self.find_button.setEnabled(ready)
        self.signup_button.setEnabled(ready)

    def _screen_changed(self, screen: str) -> None:
        # Nothing typed outlives the visit to this screen.
        self.keypad.clear()
        self.consent.setChecked(False)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Member prices"))
        self.scan_heading.setText(self.tr("Have the app? Scan your member QR code"))
        self.scan_text.setText(
            self.tr('Open the store app, tap "Member code" and hold it up to the camera.')
        )
        self.phone_heading.setText(self.tr("Or enter your phone number"))
        self.find_button.setText(self.tr("Find my membership"))
        self.consent_text.setText(
            self.tr("I agree to the member terms and to the store keeping my phone number.")
        )
        self.signup_heading.setText(self.tr("New? Sign up in one step with the phone number"))
        self.signup_button.setText(self.tr("Sign up now (free)"))
        self.back_button.setText(self.tr("◀ Back to my items"))
        self.keypad.retranslate()
        self.tier_caption.setText(self.tr("Member level"))
        self.points_caption.setText(self.tr("Your points"))
        self.wallet_heading.setText(self.tr("Your coupons"))
        self.wallet_text.setText(self.tr("Tap a coupon to use it on this purchase."))
        self.wallet_empty.setText(self.tr("No coupons in your wallet right now."))
        self.member_back.setText(self.tr("◀ Back to my items"))
        self._render_member()
