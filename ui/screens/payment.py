"""Payment: what to do to pay, the amount at every stage, and a way back.

Stages (`PaymentStage`): preparing the QR (amount and a spinner, never a blank card), the
wallet QR with its countdown, the store's static QR while offline (type the amount in;
what staff check; no countdown), "show your payment code" (with a QR as the other
choice), and charging a payment code / "confirm on your phone".
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QStackedWidget, QWidget

from kiosk.domain.money import Money
from kiosk.services.payment_port import PaymentView
from kiosk.services.ports import Clock
from kiosk.services.session import PaymentShown, PaymentStage
from ui.i18n import Localiser
from ui.screens.base import Screen
from ui.session import KioskSession
from ui.widgets.common import QrView, Spinner, button, card, label, vbox


class PaymentScreen(Screen):
    def __init__(self, session: KioskSession, localiser: Localiser, clock: Clock) -> None:
        super().__init__()
        self._localiser = localiser
        self._clock = clock
        self.view: PaymentView | None = None
        self.stage = PaymentStage.PREPARING
        self._amount: Money | None = None
        self.qr = QrView(460)
        self.qr_caption = label(role="heading", wrap=True)
        self.qr_caption.setAlignment(Qt.AlignmentFlag.AlignHCenter)  # under the code
        self.spinner = Spinner(140)
        self.card_amount = label(role="total")
        self.card_caption = label(role="heading", wrap=True)
        self.title = label(role="title", wrap=True)
        self.amount_caption = label(role="subtitle")
        self.amount = label(role="amount")
        self.countdown = label(role="countdown", wrap=True)
        self.help_text = label(role="muted", wrap=True)
        self.qr_button = button("primary", "pay_by_qr")
        self.qr_button.clicked.connect(session.pay_by_qr)
        self.cancel_button = button("danger", "cancel_payment")
        self.cancel_button.clicked.connect(session.cancel_payment)
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._render_countdown)
        session.payment_shown.connect(self.show_payment)

        qr_page = QWidget()
        qr_page.setLayout(vbox(self.qr, self.qr_caption))
        busy_page = QWidget()
        busy_page.setLayout(vbox(1, self.spinner, self.card_amount, self.card_caption, 1))
        for centred in (self.card_amount, self.card_caption):
            centred.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages = QStackedWidget()
        self.pages.setObjectName("PaymentCard")  # the card's white, not the screen's grey
        self.pages.addWidget(qr_page)
        self.pages.addWidget(busy_page)
        qr_card = card()
        qr_card.setLayout(vbox(self.pages, margins=32))
        # As wide at every stage, so longer help text on the right never squeezes the QR.
        qr_card.setMinimumWidth(680)
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
                self.qr_button,
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
        if session.payment_shown_last is not None:
            # A restart with a payment still open shows it before this screen is built:
            # the QR and the amount, not a blank card.
            self.show_payment(session.payment_shown_last)

    def show_payment(self, shown: PaymentShown) -> None:
        self.view, self.stage = shown.view, shown.stage
        self._amount = shown.amount or (shown.view.amount if shown.view else None)
        with_qr = self.stage in (PaymentStage.QR, PaymentStage.STATIC_QR)
        self.qr.set_payload(shown.view.qr_payload if with_qr and shown.view else "")
        self.pages.setCurrentIndex(0 if with_qr else 1)
        if self.stage is PaymentStage.QR:
            self._tick.start()
        else:
            self._tick.stop()
        self.retranslate()

    def _money(self) -> str:
        return self._localiser.money(self._amount) if self._amount else ""

    def _render_countdown(self) -> None:
        view = self.view
        if self.stage is not PaymentStage.QR or view is None:
            self.countdown.setText("")
            return
        left = max(0, int((view.expires_at - self._clock.now()).total_seconds()))
        self.countdown.setText(
            self.tr("Code valid for %1").replace("%1", f"{left // 60}:{left % 60:02d}")
            if left
            else self.tr("Checking whether the payment came through…")
        )
        if left == 0:
            self._tick.stop()

    def retranslate(self) -> None:
        amount = self._money()
        stage = self.stage
        self.amount_caption.setText(self.tr("Amount to pay"))
        self.amount.setText(amount)
        self.card_amount.setText(amount)
        self.qr_button.setText(self.tr("Pay by scanning a QR code instead"))
        self.qr_button.setVisible(stage is PaymentStage.SHOW_CODE)
        self.cancel_button.setText(self.tr("✕ Cancel payment, back to my items"))
        if stage is PaymentStage.STATIC_QR:
            self.title.setText(self.tr("Enter %1 in your wallet").replace("%1", amount))
            self.qr_caption.setText(
                self.tr("Scan the store's code with WeChat or Alipay and type in %1").replace(
                    "%1", amount
                )
            )
            self.help_text.setText(
                self.tr(
                    "The kiosk is offline, so this code has no amount in it. After paying, "
                    "show your phone to a member of staff: they check that %1 went to this "
                    "store just now, then confirm your payment."
                ).replace("%1", amount)
            )
        elif stage is PaymentStage.SHOW_CODE:
            self.title.setText(self.tr("Show your payment code"))
            self.card_caption.setText(
                self.tr("Hold the payment code from WeChat or Alipay to the scanner")
            )
            self.help_text.setText(
                self.tr("In WeChat: Me › Pay and Services › Money. In Alipay: Pay/Receive.")
            )
        elif stage is PaymentStage.CHARGING:
            confirming = self.view is not None
            self.title.setText(
                self.tr("Confirm the payment on your phone")
                if confirming
                else self.tr("Charging your payment code…")
            )
            self.card_caption.setText(
                self.tr("Enter your password or confirm in the app if it asks")
                if confirming
                else self.tr("One moment, please")
            )
            self.help_text.setText(
                self.tr("Nothing is charged twice. If it does not go through, you are not charged.")
            )
        elif stage is PaymentStage.PREPARING:
            self.title.setText(self.tr("Scan to pay"))
            self.card_caption.setText(self.tr("Preparing the QR code to scan…"))
            self.help_text.setText(self.tr("You can also show your WeChat or Alipay payment code."))
        else:
            self.title.setText(self.tr("Scan to pay"))
            self.qr_caption.setText(self.tr("Scan this code with your wallet app"))
            self.help_text.setText(
                self.tr(
                    "Payment is confirmed automatically. Please wait on this screen. "
                    "You can also show your WeChat or Alipay payment code."
                )
            )
        self._render_countdown()
