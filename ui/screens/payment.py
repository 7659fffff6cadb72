"""Payment: the wallet QR, the amount, how long the code is valid, and a way back."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QWidget

from kiosk.services.payment_port import PaymentView
from kiosk.services.ports import Clock
from kiosk.services.session import OFFLINE_PAYMENT_ID
from ui.i18n import Localiser
from ui.screens.base import Screen
from ui.session import KioskSession
from ui.widgets.common import QrView, button, card, label, vbox


class PaymentScreen(Screen):
    def __init__(self, session: KioskSession, localiser: Localiser, clock: Clock) -> None:
        super().__init__()
        self._localiser = localiser
        self._clock = clock
        self.view: PaymentView | None = None
        self.qr = QrView(460)
        self.qr_caption = label(role="heading", wrap=True)
        self.title = label(role="title", wrap=True)
        self.amount_caption = label(role="subtitle")
        self.amount = label(role="amount")
        self.countdown = label(role="countdown", wrap=True)
        self.help_text = label(role="muted", wrap=True)
        self.cancel_button = button("danger", "cancel_payment")
        self.cancel_button.clicked.connect(session.cancel_payment)
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._render_countdown)
        session.payment_changed.connect(self.show_payment)

        qr_card = card()
        qr_card.setLayout(vbox(self.qr, self.qr_caption, margins=32))
        right = QWidget()
        right.setLayout(
            vbox(
                1,
                self.title,
                self.amount_caption,
                self.amount,
                self.countdown,
                self.help_text,
                1,
                self.cancel_button,
                spacing=18,
            )
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(96, 32, 96, 32)
        layout.setSpacing(72)
        layout.addWidget(qr_card, 0)
        layout.addWidget(right, 1)
        self.retranslate()

    def show_payment(self, view: PaymentView | None) -> None:
        self.view = view
        self.qr.set_payload(view.qr_payload if view else "")
        if view is None:
            self._tick.stop()
        else:
            self._tick.start()
        self.retranslate()

    def _render_countdown(self) -> None:
        view = self.view
        if view is None:
            self.countdown.setText(self.tr("Preparing your payment code…"))
            return
        left = max(0, int((view.expires_at - self._clock.now()).total_seconds()))
        self.countdown.setText(
            self.tr("Code valid for %1").replace("%1", f"{left // 60}:{left % 60:02d}")
        )
        if left == 0:
            self._tick.stop()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Scan to pay"))
        self.qr_caption.setText(self.tr("Scan this code with your wallet app"))
        self.amount_caption.setText(self.tr("Amount to pay"))
        self.amount.setText(self._localiser.money(self.view.amount) if self.view else "")
        if self.view is not None and self.view.payment_id == OFFLINE_PAYMENT_ID:
            self.help_text.setText(
                self.tr(
                    "The kiosk is offline: pay with this store code and show your phone "
                    "to the member of staff, who confirms your payment."
                )
            )
        else:
            self.help_text.setText(
                self.tr("Payment is confirmed automatically. Please wait on this screen.")
            )
        self.cancel_button.setText(self.tr("✕ Cancel payment, back to my items"))
        self._render_countdown()
