"""The offers of the cart: one line per coupon, promotion, member price or points, each with
what it saves, and the next-best offer as a line of its own (the screen places both).
They draw `ui.offers.OffersText`; they decide nothing.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ui.offers import OfferLine, OffersText
from ui.widgets.common import button, label


class OfferRow(QWidget):
    """One offer line: its words, what it saves, and ✕ for a coupon the shopper may drop.

    Signals:
        remove_tapped(str): ✕ tapped (the coupon's code).
    """

    remove_tapped = Signal(str)

    def __init__(self, line: OfferLine) -> None:
        super().__init__()
        self.text = label("", wrap=True)
        self.amount = label("", "offer_amount")
        self.amount.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(16)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.amount)
        self.remove = button("chip", "remove_coupon")
        self.remove.setText("✕")
        self.remove.setAccessibleName(
            QCoreApplication.translate("OffersPanel", "Take this coupon off")
        )
        self.line: OfferLine = line
        self.remove.clicked.connect(lambda: self.remove_tapped.emit(self.line.code))
        layout.addWidget(self.remove)
        self.show_line(line, force=True)

    def show_line(self, line: OfferLine, *, force: bool = False) -> None:
        """Show another line in this row (rows are reused: building widgets at every scan
        would cost the UI thread more than the scan itself)."""
        if line == self.line and not force:
            return
        role = "offer" if line.applied else "offer_waiting"
        if self.text.property("role") != role:
            self.text.setProperty("role", role)
            self.text.style().unpolish(self.text)
            self.text.style().polish(self.text)
        self.text.setText(("★ " if line.applied else "⚠ ") + line.text)
        self.amount.setText(line.amount)
        self.remove.setVisible(bool(line.code))
        self.line = line


class OffersPanel(QFrame):
    """A card of offer lines; hidden while there are none.

    Signals:
        remove_coupon(str): the shopper tapped ✕ on a coupon (its code).
    """

    remove_coupon = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("Offers")
        self.setProperty("card", True)
        self._rows = QVBoxLayout(self)
        self._rows.setContentsMargins(24, 12, 16, 12)
        self._rows.setSpacing(8)
        self.rows: list[OfferRow] = []
        self.setVisible(False)

    def show_text(self, text: OffersText) -> bool:
        """Show these lines; False when they are the ones shown already."""
        if [row.line for row in self.rows] == list(text.lines):
            return False
        for row, line in zip(self.rows, text.lines, strict=False):
            row.show_line(line)
        for row in self.rows[len(text.lines) :]:
            row.hide()  # gone now, not at the next pass of the event loop
            self._rows.removeWidget(row)
            row.deleteLater()
        del self.rows[len(text.lines) :]
        for line in text.lines[len(self.rows) :]:
            row = OfferRow(line)
            row.remove_tapped.connect(self.remove_coupon)
            self._rows.addWidget(row)
            self.rows.append(row)
        self.setVisible(bool(self.rows))
        return True

    def texts(self) -> list[str]:
        """What the lines say (tests read it)."""
        return [f"{r.text.text()} {r.amount.text()}".strip() for r in self.rows]


class HintLine(QLabel):
    """The next-best offer ("Add 1 more and save ¥2.00: …"); hidden when there is none.

    Hidden, it keeps its room: the hint comes and goes as the shopper scans, and the cart,
    totals and Pay button must not jump each time (nor the UI thread re-lay out and repaint
    them all at that scan).
    """

    def __init__(self) -> None:
        super().__init__(" ")  # one line high before the first hint
        self.setObjectName("OfferHint")
        self.setProperty("role", "hint")
        self.setWordWrap(True)
        policy = self.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.setSizePolicy(policy)
        self.setVisible(False)

    def show_text(self, text: OffersText) -> None:
        if text.hint:
            self.setText("▶ " + text.hint)
        self.setVisible(bool(text.hint))
