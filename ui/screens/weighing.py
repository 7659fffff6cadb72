"""Weighing: a loose item on the kiosk's scale. The live weight in big numbers, what to
do next, and once the weight is stable, weight × price per kg = price, before the shopper
adds it. The session decides every stage (`kiosk.services.weighing`); this only shows it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from kiosk.services.weighing import WeighingView, WeighStage
from ui.i18n import Localiser
from ui.screens.base import Screen
from ui.session import KioskSession
from ui.widgets.common import button, card, hbox, label, vbox


class WeighingScreen(Screen):
    def __init__(self, session: KioskSession, localiser: Localiser) -> None:
        super().__init__()
        self._localiser = localiser
        self.view: WeighingView | None = None
        self.title = label(role="title", wrap=True)
        self.instruction = label(role="heading", wrap=True)
        self.weight = label(role="amount")
        self.weight.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.sum = label(role="subtitle", wrap=True)
        self.sum.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.price = label(role="total")
        self.price.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.add_button = button("primary", "add_weighed")
        self.add_button.clicked.connect(session.confirm_weight)
        self.cancel_button = button(name="cancel_weighing")
        self.cancel_button.clicked.connect(session.cancel_weighing)
        self.counter_hint = label(role="muted", wrap=True)
        readout = card()
        readout.setLayout(vbox(self.weight, self.sum, self.price, spacing=12, margins=32))
        buttons = QWidget()
        buttons.setLayout(hbox(self.cancel_button, 1, self.add_button))
        self.setLayout(
            vbox(
                self.title,
                self.instruction,
                readout,
                1,
                self.counter_hint,
                buttons,
                spacing=24,
                margins=64,
            )
        )
        session.weighing_changed.connect(self.show_view)
        self.show_view(session.weighing)

    def show_view(self, view: WeighingView | None) -> None:
        if view is not None:  # after the weighing, the last view stays until the next
            self.view = view
        self.retranslate()

    def _instruction(self, view: WeighingView, name: str) -> str:
        match view.stage:
            case WeighStage.CLEAR:
                return self.tr("Please take everything off the scale first.")
            case WeighStage.PLACE:
                return self.tr("Place the %1 on the scale.").replace("%1", name)
            case WeighStage.HOLD_STILL:
                return self.tr("Weighing… please hold still.")
            case WeighStage.READY:
                return self.tr("Check the weight and price, then add it to your items.")
            case _:
                return self.tr("Too heavy for this scale. Please weigh less at a time.")

    def retranslate(self) -> None:
        fmt = self._localiser
        self.add_button.setText(self.tr("Add to my items ✓"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.counter_hint.setText(
            self.tr("A label from the weighing counter? Just scan it instead.")
        )
        view = self.view
        if view is None:
            self.title.setText(self.tr("Weigh an item"))
            self.add_button.setEnabled(False)
            return
        name = view.product.name(fmt.language)
        per_kg = fmt.per_kg(view.product.price)
        self.title.setText(name)
        self.instruction.setText(self._instruction(view, name))
        grams = view.grams if view.grams is not None and view.grams > 0 else 0
        over = view.stage is WeighStage.OVER_CAPACITY
        self.weight.setText("— kg" if over else fmt.weight(grams))
        if view.price is not None:
            self.sum.setText(f"{fmt.weight(grams)} × {per_kg} =")
            self.price.setText(fmt.money(view.price))
        else:
            self.sum.setText(per_kg)
            self.price.setText("")
        self.add_button.setEnabled(view.price is not None)
