"""Pickup: a group-buy order's pickup code was scanned. The order (its reference, the
buyer as the service masks them), each line with what is left and − / + for how many to
take now, then Collect; after it, where the goods are (the pickup shelf, or staff bring
them) and "Continue shopping" or "Done". A code that hands nothing out says what happened
and that staff are coming. The session decides every step (`ShopperSession.collect_order`
and its neighbours); this only shows it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.domain.pickup import short_ref
from kiosk.services.pickups import PickupLine, PickupStage, PickupView
from ui.i18n import Localiser, separator
from ui.reasons import reason_text
from ui.screens.base import Screen
from ui.session import KioskSession
from ui.widgets.cart_view import vertical_scroll
from ui.widgets.common import button, card, hbox, label, vbox


class PickupRow(QWidget):
    """One line of the order: its name, what is left, and how many to take now."""

    def __init__(self, session: KioskSession, gtin: str) -> None:
        super().__init__()
        self.gtin = gtin
        self.name = label(role="heading", wrap=True)
        self.left = label(role="muted", wrap=True)
        self.minus = button("stepper", f"pickup_minus_{gtin}")
        self.minus.setText("−")
        self.minus.clicked.connect(lambda: session.pickup_step(gtin, -1))
        self.quantity = label(role="heading")
        self.quantity.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.quantity.setMinimumWidth(88)
        self.plus = button("stepper", f"pickup_plus_{gtin}")
        self.plus.setText("+")
        self.plus.clicked.connect(lambda: session.pickup_step(gtin, 1))
        frame = card()
        words = QWidget()
        words.setLayout(vbox(self.name, self.left, spacing=4))
        row = hbox(self.minus, self.quantity, self.plus, margins=16)
        row.insertWidget(0, words, 1)  # the name takes the width the stepper leaves
        frame.setLayout(row)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(frame)

    def show_line(self, line: PickupLine, chosen: int, stage: PickupStage, fmt: Localiser) -> None:
        self.name.setText(line.names.get(fmt.language) or line.names.get("en") or line.gtin)
        choosing = stage is PickupStage.CHOOSE
        for widget in (self.minus, self.plus):
            widget.setVisible(choosing)
        self.quantity.setVisible(choosing)
        self.quantity.setText(fmt.number(chosen))
        self.minus.setEnabled(chosen > 0)
        self.plus.setEnabled(chosen < line.left)
        self.minus.setAccessibleName(self.tr("One fewer"))
        self.plus.setAccessibleName(self.tr("One more"))
        if line.left == line.quantity:
            left = self.tr("%1 in your order").replace("%1", fmt.number(line.quantity))
        else:
            left = (
                self.tr("%1 of %2 still to collect")
                .replace("%1", fmt.number(line.left))
                .replace("%2", fmt.number(line.quantity))
            )
        self.left.setText(left)


class PickupScreen(Screen):
    def __init__(self, session: KioskSession, localiser: Localiser) -> None:
        super().__init__()
        self._session = session
        self._localiser = localiser
        self.view: PickupView | None = None
        self.rows: dict[str, PickupRow] = {}
        self.title = label(role="title", wrap=True)
        self.order = label(role="subtitle", wrap=True)
        self.order.setObjectName("pickup_order")
        self.instruction = label(role="heading", wrap=True)
        self.instruction.setObjectName("pickup_instruction")
        self._list = QWidget()
        self._rows = QVBoxLayout(self._list)
        self._rows.setContentsMargins(0, 0, 8, 0)
        self._rows.setSpacing(14)
        self._rows.addStretch(1)
        self.lines_scroll = vertical_scroll(self._list, "PickupScroll")
        self.later = label(role="muted", wrap=True)
        self.back = button(name="pickup_back")
        self.back.clicked.connect(session.leave_pickup)
        self.all_button = button(name="pickup_all")
        self.all_button.clicked.connect(session.pickup_all)
        self.collect = button("primary", "pickup_collect")
        self.collect.clicked.connect(session.collect_order)
        self.more = button(name="pickup_continue")
        self.more.clicked.connect(session.leave_pickup)
        self.done = button("primary", "pickup_done")
        self.done.clicked.connect(session.pickup_done)
        actions = QWidget()
        actions.setLayout(hbox(self.back, 1, self.all_button, self.more, self.collect, self.done))
        layout = vbox(
            self.title,
            self.order,
            self.instruction,
            self.lines_scroll,
            self.later,
            1,
            actions,
            spacing=18,
        )
        # The lines take the room; the stretch below them only when they are hidden (a
        # problem), so the words stay at the top and the buttons at the bottom.
        layout.setStretchFactor(self.lines_scroll, 1000)
        layout.setContentsMargins(64, 24, 64, 32)
        self.setLayout(layout)
        session.pickup_changed.connect(self.show_view)
        self.show_view(session.pickup)

    def show_view(self, view: PickupView | None) -> None:
        if view is not None:  # after the pickup, the last view stays until the next
            self.view = view
        self.retranslate()

    def _sync_rows(self, view: PickupView) -> None:
        """One row per line of the order; after Collect, only the lines handed out."""
        lines = view.verdict.lines
        taken = {c.gtin: c.units for c in view.collected.lines} if view.collected else {}
        if view.stage is PickupStage.PROBLEM:
            lines = ()
        elif view.stage is PickupStage.COLLECTED:
            lines = tuple(line for line in lines if line.gtin in taken)
        wanted = [line.gtin for line in lines]
        if list(self.rows) != wanted:
            for row in self.rows.values():
                # Out of the layout and gone; never parentless (a top-level window).
                self._rows.removeWidget(row)
                row.hide()
                row.deleteLater()
            self.rows = {}
            for n, gtin in enumerate(wanted):
                row = PickupRow(self._session, gtin)
                self.rows[gtin] = row
                self._rows.insertWidget(n, row)
        fmt = self._localiser
        for line in lines:
            collected = view.stage is PickupStage.COLLECTED
            chosen = taken[line.gtin] if collected else view.chosen.get(line.gtin, 0)
            self.rows[line.gtin].show_line(line, chosen, view.stage, fmt)
            if collected:
                self.rows[line.gtin].left.setText(
                    self.tr("Collected now: %1").replace("%1", fmt.number(chosen))
                )

    def retranslate(self) -> None:
        fmt = self._localiser
        self.back.setText(self.tr("◀ Back"))
        self.all_button.setText(self.tr("Take everything"))
        self.more.setText(self.tr("Continue shopping"))
        view = self.view
        if view is None:
            self.title.setText(self.tr("Group-buy pickup"))
            for widget in (self.all_button, self.more, self.collect, self.done):
                widget.setVisible(False)
            return
        verdict = view.verdict
        order_id = verdict.pickup.order_id if verdict.pickup is not None else ""
        self.order.setVisible(bool(order_id))
        order = self.tr("Order %1").replace("%1", short_ref(order_id))
        self.order.setText(f"{order}{separator()}{verdict.buyer}" if verdict.buyer else order)
        self._sync_rows(view)
        stage = view.stage
        self.lines_scroll.setVisible(stage is not PickupStage.PROBLEM)
        self.back.setVisible(stage is not PickupStage.COLLECTED)
        self.all_button.setVisible(stage is PickupStage.CHOOSE)
        self.collect.setVisible(stage is PickupStage.CHOOSE)
        self.more.setVisible(stage is PickupStage.COLLECTED)
        self.done.setVisible(stage is PickupStage.COLLECTED)
        self.later.setVisible(False)
        if stage is PickupStage.PROBLEM:
            self.title.setText(self.tr("! This order cannot be collected here"))
            self.instruction.setText(reason_text(view.reason))
            return
        if stage is PickupStage.CHOOSE:
            self.title.setText(self.tr("Your group-buy order"))
            if view.from_staff:
                self.instruction.setText(
                    self.tr("Choose what to take now and tap Collect: staff will bring it to you.")
                )
            else:
                self.instruction.setText(
                    self.tr(
                        "Choose what to take now and tap Collect. Your bag is on the pickup "
                        "shelf, labelled %1."
                    ).replace("%1", short_ref(order_id))
                )
            units = view.chosen_units
            self.collect.setEnabled(units > 0)
            self.collect.setText(
                fmt.counted(units, self.tr("Collect 1 item ✓"), self.tr("Collect %1 items ✓"))
                if units
                else self.tr("Choose items to collect")
            )
            return
        collected = view.collected
        units = collected.units if collected is not None else 0
        self.title.setText(self.tr("✓ Collected"))
        if view.from_staff:
            self.instruction.setText(
                fmt.counted(
                    units,
                    self.tr("Staff are bringing your item. Please wait here."),
                    self.tr("Staff are bringing your %1 items. Please wait here."),
                )
            )
        else:
            self.instruction.setText(
                fmt.counted(
                    units,
                    self.tr("Take your item from the pickup shelf: the bag labelled %2."),
                    self.tr("Take your %1 items from the pickup shelf: the bag labelled %2."),
                ).replace("%2", short_ref(order_id))
            )
        left = sum(line.left for line in verdict.lines)
        if left:
            self.later.setVisible(True)
            self.later.setText(
                fmt.counted(
                    left,
                    self.tr("1 item stays for later: scan the same code again to collect it."),
                    self.tr("%1 items stay for later: scan the same code again to collect them."),
                )
            )
        if self._session.state.cart.lines:
            self.done.setText(self.tr("Pay for my items"))
        else:
            self.done.setText(self.tr("Done: show my exit pass"))
