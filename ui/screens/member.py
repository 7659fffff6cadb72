"""Member: scan the member QR from the app, or type the phone number; one-step sign-up.

The phone number is shown masked while it is typed, and the screen keeps it only until
the shopper leaves the screen; the member port stores a keyed hash, never the number.
"""

from __future__ import annotations

from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QSizePolicy, QWidget

from ui.screens.base import Screen
from ui.session import KioskSession
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


class MemberScreen(Screen):
    def __init__(self, session: KioskSession) -> None:
        super().__init__()
        self._session = session
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
        self.consent = QCheckBox()
        self.consent.setObjectName("consent")
        # A QCheckBox cannot wrap its text: the words are a label beside it that toggles it.
        self.consent_text = ToggleLabel(self.consent)
        self.consent.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.signup_button = button(name="signup")
        self.signup_button.clicked.connect(
            lambda: session.member_sign_up(self.keypad.digits, self.consent.isChecked())
        )
        self.back_button = button(name="back")
        self.back_button.clicked.connect(session.back_to_cart)
        session.screen_changed.connect(self._screen_changed)

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
        left.setLayout(
            vbox(self.title, scan_card, signup_card, 1, self._row(self.back_button), spacing=24)
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(64, 24, 64, 24)
        layout.setSpacing(40)
        layout.addWidget(left, 1)
        layout.addWidget(phone_card, 1)
        self.retranslate()
        self._typed("")

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
        self.find_button.setEnabled(bool(digits))
        self.signup_button.setEnabled(bool(digits))

    def _screen_changed(self, screen: str) -> None:
        # Nothing typed outlives the visit to this screen.
        self.keypad.clear()
        self.consent.setChecked(False)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Member prices"))
        self.scan_heading.setText(self.tr("Have the app? Scan your member QR code"))
        self.scan_text.setText(
            self.tr("Open the store app, tap \u201cMember code\u201d and hold it up to the camera.")
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
