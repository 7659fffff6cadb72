"""Done: thank you, the amount paid, receipt options and the exit code for the gate."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QWidget

from kiosk.domain.sale import Sale
from ui.i18n import Localiser
from ui.screens.base import Screen
from ui.session import KioskSession
from ui.widgets.common import QrView, button, card, label, vbox


class DoneScreen(Screen):
    def __init__(self, session: KioskSession, localiser: Localiser) -> None:
        super().__init__()
        self._session = session
        self._localiser = localiser
        self.sale: Sale | None = None
        self.title = label(role="title", wrap=True)
        self.paid = label(role="subtitle", wrap=True)
        self.sale_number = label(role="muted")
        self.receipt_heading = label(role="heading")
        self.print_button = button(name="print")
        self.print_button.clicked.connect(session.print_receipt)
        self.finish_button = button("primary", "finish")
        self.finish_button.clicked.connect(session.next_shopper)
        self.exit_heading = label(role="heading", wrap=True)
        self.exit_qr = QrView(380)
        self.exit_text = label(role="muted", wrap=True)
        self.e_receipt_qr = QrView(200)
        self.e_receipt_text = label(role="muted", wrap=True)
        self.e_receipt = QWidget()
        row = QHBoxLayout(self.e_receipt)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.e_receipt_qr)
        row.addWidget(self.e_receipt_text, 1)
        self.e_receipt.hide()  # until the central service sends the link (never offline)
        session.sale_finished.connect(self.show_sale)
        session.e_receipt_ready.connect(self.show_e_receipt)

        exit_card = card()
        exit_card.setLayout(vbox(self.exit_heading, self.exit_qr, self.exit_text, margins=28))
        left = QWidget()
        left.setLayout(
            vbox(
                1,
                self.title,
                self.paid,
                self.sale_number,
                1,
                self.receipt_heading,
                self.print_button,
                self.e_receipt,
                self.finish_button,
                1,
                spacing=22,
            )
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(96, 32, 96, 32)
        layout.setSpacing(72)
        layout.addWidget(left, 3)
        layout.addWidget(exit_card, 2)
        self.retranslate()

    def show_sale(self, sale: Sale) -> None:
        self.sale = sale
        self.exit_qr.set_payload(self._session.exit_code or "")
        self.e_receipt.hide()
        self.retranslate()

    def show_e_receipt(self, url: str) -> None:
        self.e_receipt_qr.set_payload(url)
        self.e_receipt.show()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Thank you!"))
        sale = self.sale
        if sale is not None:
            self.paid.setText(
                self.tr("You paid %1.").replace("%1", self._localiser.money(sale.priced.total))
            )
            self.sale_number.setText(
                self.tr("Sale %1 · %2")
                .replace("%1", f"#{sale.sequence}")
                .replace("%2", self._localiser.datetime(sale.created_at))
            )
        self.receipt_heading.setText(self.tr("Would you like a receipt?"))
        self.print_button.setText(self.tr("Print receipt"))
        self.finish_button.setText(self.tr("✓ Done, no receipt"))
        self.exit_heading.setText(self.tr("Your exit code: show it at the exit"))
        self.exit_text.setText(self.tr("It is also printed on the receipt. Have a nice day!"))
        self.e_receipt_text.setText(
            self.tr("E-receipt: scan this code to keep your receipt on your phone.")
        )
