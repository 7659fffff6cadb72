"""Done: thank you, the amount paid, receipt options and the exit code for the gate.

One QR at a time: the exit code's, or, once the central service sends it, the e-receipt's
(its page carries the exit code, so scanning it takes both away). Group-buy orders the
shopper collected at the kiosk are named here; with nothing bought, the screen shows the
pickup's own exit pass in a sale's place (`CollectedShown`). A sale picked for a bag check
shows no QR and no receipt actions until staff have checked: it says to wait. How long the
screen stays, and whether "Done" asks first, is the session's (`kiosk.domain.handoff`); the
screen counts down what it was told and says why the pass stays when it does.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import QHBoxLayout, QWidget

from kiosk.domain.handoff import Handoff
from kiosk.domain.sale import Sale
from kiosk.services.session import CollectedShown, PassShown
from ui.i18n import Localiser
from ui.screens.base import Screen
from ui.session import KioskSession
from ui.widgets.common import ConfirmPanel, Countdown, QrView, button, card, label, vbox


class DoneScreen(Screen):
    def __init__(self, session: KioskSession, localiser: Localiser) -> None:
        super().__init__()
        self._session = session
        self._localiser = localiser
        self.sale: Sale | None = None
        self.handoff = Handoff()
        self.e_receipt_url: str | None = None
        self.collected = CollectedShown(())
        self.title = label(role="title", wrap=True)
        self.paid = label(role="subtitle", wrap=True)
        self.sale_number = label(role="muted")
        self.collected_text = label(role="muted", wrap=True)
        self.collected_text.setObjectName("done_collected")
        self.collected_text.hide()
        self.countdown_text = label(role="countdown", wrap=True)
        self.countdown_text.setObjectName("done_countdown")
        self.countdown = Countdown(self)
        self.countdown.ticked.connect(self._show_countdown)
        self.receipt_heading = label(role="heading", wrap=True)
        self.print_button = button(name="print")
        self.print_button.clicked.connect(session.print_receipt)
        self.finish_button = button("primary", "finish")
        self.finish_button.clicked.connect(session.finish)
        self.receipt_actions = QWidget()
        self.receipt_actions.setLayout(
            vbox(self.receipt_heading, self.print_button, self.finish_button, spacing=22)
        )
        self.ask = ConfirmPanel()
        self.ask.confirmed.connect(session.leave_anyway)
        self.ask.no.clicked.connect(session.keep_pass)
        self.ask.hide()  # in place of the receipt actions while it asks
        self.exit_heading = label(role="heading", wrap=True)
        self.exit_qr = QrView(380)
        self.exit_text = label(role="muted", wrap=True)
        self.exit_text.setAlignment(Qt.AlignmentFlag.AlignHCenter)  # a caption of the code
        session.sale_finished.connect(self.show_sale)
        session.collected_shown.connect(self.show_collected)
        session.e_receipt_ready.connect(self.show_e_receipt)
        session.pass_changed.connect(self.show_pass)

        exit_card = card()
        # What was collected is named beside the pass that lets it out (there is room for
        # it there at large text; the left column has none to spare).
        exit_card.setLayout(
            vbox(self.exit_heading, self.exit_qr, self.exit_text, self.collected_text, margins=28)
        )
        left = QWidget()
        left.setLayout(
            vbox(
                1,
                self.title,
                self.paid,
                self.sale_number,
                1,
                self.countdown_text,
                self.receipt_actions,
                self.ask,
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
        self.e_receipt_url = None
        self.exit_qr.set_payload(self._session.exit_code or "")
        self.retranslate()

    def show_collected(self, shown: CollectedShown) -> None:
        """The orders collected: before a sale's `show_sale`, or, with nothing bought,
        in its place with their own exit pass."""
        self.collected = shown
        if shown.exit_code is not None:
            self.sale = None
            self.e_receipt_url = None
            self.exit_qr.set_payload(shown.exit_code)
        self.retranslate()

    def show_e_receipt(self, url: str) -> None:
        self.e_receipt_url = url
        self.exit_qr.set_payload(url)
        self.retranslate()

    def show_pass(self, shown: PassShown) -> None:
        self.handoff = shown.handoff
        if shown.seconds is None:
            self.countdown.stop()
        else:
            self.countdown.start(shown.seconds)
        asking = shown.handoff.asking
        audit = shown.handoff.audit
        self.receipt_actions.setVisible(not asking and not audit)
        self.exit_qr.setVisible(not audit)
        self.ask.setVisible(asking)
        # The question needs the room at large text: the thanks and sale number wait.
        self.title.setVisible(not asking)
        self.sale_number.setVisible(not asking)
        self.retranslate()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt's name
        self.countdown.stop()
        super().hideEvent(event)

    def _show_countdown(self) -> None:
        if self.handoff.audit:
            self.countdown_text.setText(
                self.tr("A member of staff will check your bag. Please wait here.")
            )
        elif self.handoff.held:
            self.countdown_text.setText(
                self.tr("Your exit code stays here until you have it: staff are on their way.")
            )
        else:
            self.countdown_text.setText(
                self.tr("This screen closes in %1 s. Touch it for more time.").replace(
                    "%1", str(self.countdown.seconds_left)
                )
            )

    def retranslate(self) -> None:
        self.title.setText(self.tr("Thank you!"))
        sale = self.sale
        orders = self.collected.collected
        fmt = self._localiser
        self.collected_text.setVisible(bool(orders))
        self.collected_text.setText(
            "\n".join(
                fmt.counted(
                    order.units,
                    self.tr("✓ Group-buy order %1 collected: 1 item"),
                    self.tr("✓ Group-buy order %1 collected: %2 items"),
                    "%2",
                ).replace("%1", order.ref)
                for order in orders
            )
        )
        self.sale_number.setVisible(sale is not None and not self.handoff.asking)
        if sale is None and orders:
            self.paid.setText(self.tr("Prepaid: nothing to pay today."))
        if sale is not None:
            self.paid.setText(
                self.tr("You paid %1.").replace("%1", self._localiser.money(sale.priced.total))
            )
            self.sale_number.setText(
                self.tr("Sale %1 ⋅ %2")
                .replace("%1", f"#{sale.sequence}")
                .replace("%2", self._localiser.datetime(sale.created_at))
            )
        self._show_countdown()
        handoff = self.handoff
        # After a failed print, Print would only fail again until staff see to the printer
        # (then `printer_cleared` brings it back): the code on screen, a photo of it, the
        # e-receipt or staff are the way out, and the text under the code says so.
        printer_failed = handoff.printer_failed and not handoff.printed
        self.receipt_heading.setVisible(not printer_failed)
        self.print_button.setVisible(not printer_failed)
        self.receipt_heading.setText(self.tr("Would you like a receipt?"))
        self.print_button.setText(self.tr("Print receipt"))
        if handoff.printed:
            self.finish_button.setText(self.tr("✓ Done"))
        elif handoff.held:
            self.finish_button.setText(self.tr("✓ I have my exit code"))
        else:
            self.finish_button.setText(self.tr("✓ Done, no receipt"))
        if self.e_receipt_url is None:
            self.exit_heading.setText(self.tr("Your exit code: show it at the exit"))
            self.exit_text.setText(self.tr("It is also printed on the receipt. Have a nice day!"))
            take = self.tr("Take a photo of it or show it to staff before you go.")
        else:
            self.exit_heading.setText(self.tr("Scan with your phone: receipt and exit code"))
            self.exit_text.setText(
                self.tr("Show the exit code on your phone at the exit. Have a nice day!")
            )
            take = self.tr(
                "Scan the code with your phone, take a photo or show it to staff before you go."
            )
        if printer_failed:
            self.exit_text.setText(take)
        if handoff.audit:
            self.exit_heading.setText(self.tr("Bag check"))
            self.exit_text.setText(
                self.tr("Your exit code appears here once staff have checked your bag.")
            )
        self.ask.ask(
            self.tr("Your exit code was not printed. Leave anyway?"),
            take,
            self.tr("Leave anyway"),
            self.tr("◀ Back to my exit code"),
        )
