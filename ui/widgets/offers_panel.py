"""The offers of the cart: one line per coupon, promotion, member price or points, each with
what it saves, and the next-best offer as a line of its own (the screen places both).
They draw `ui.offers.OffersText`; they decide nothing.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.offers import OfferLine, OffersText
from ui.widgets.common import button, label


class OfferRow(QWidget):
    """One offer line: its words, what it saves, and ✕ for a coupon the shopper may drop."""

    def __init__(self, line: OfferLine) -> None:
        super().__init__()
        self.line = line
        self.text = label(("★ " if line.applied else "⚠ ") + line.text, wrap=True)
        self.text.setProperty("role", "offer" if line.applied else "offer_waiting")
        self.amount = label(line.amount, "offer_amount")
        self.amount.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(16)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.amount)
        self.remove: QPushButton | None = None
        if line.code:
            self.remove = button("chip", "remove_coupon")
            self.remove.setText("✕")
            self.remove.setAccessibleName(
                QCoreApplication.translate("OffersPanel", "Take this coupon off")
            )
            layout.addWidget(self.remove)


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

    def show_text(self, text: OffersText) -> None:
        for row in self.rows:
            row.hide()  # gone now, not at the next pass of the event loop
            self._rows.removeWidget(row)
            row.deleteLater()
        self.rows = []
        for line in text.lines:
            row = OfferRow(line)
            if row.remove is not None:
                row.remove.clicked.connect(lambda _=False, c=line.code: self.remove_coupon.emit(c))
            self._rows.addWidget(row)
            self.rows.append(row)
        self.setVisible(bool(self.rows))

    def texts(self) -> list[str]:
        """What the lines say (tests read it)."""
        return [f"{r.text.text()} {r.amount.text()}".strip() for r in self.rows]


class HintLine(QLabel):
    """The next-best offer ("Add 1 more and save ¥2.00: …"); hidden when there is none."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("OfferHint")
        self.setProperty("role", "hint")
        self.setWordWrap(True)
        self.setVisible(False)

    def show_text(self, text: OffersText) -> None:
        self.setText("▶ " + text.hint if text.hint else "")
        self.setVisible(bool(text.hint))
