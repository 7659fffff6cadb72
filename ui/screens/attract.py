"""Welcome: scanning the first item starts the sale; a Start button for those who tap."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QWidget

from ui.screens.base import Screen
from ui.session import KioskSession
from ui.widgets.common import button, label, vbox


class HeroArt(QWidget):
    """A barcode inside the camera's guide corners: "hold it like this"."""

    def __init__(self, colour: str) -> None:
        super().__init__()
        self.colour = colour
        self.setMinimumSize(520, 420)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        side = min(self.width(), self.height()) * 0.9
        box = QRectF(
            (self.width() - side) / 2, (self.height() - side * 0.75) / 2, side, side * 0.75
        )
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#FFFFFF"))
        painter.drawRoundedRect(box, 28, 28)
        bars = QRectF(box.left() + side * 0.2, box.top() + side * 0.18, side * 0.6, side * 0.36)
        widths = [3, 1, 2, 1, 1, 3, 2, 1, 1, 2, 3, 1, 2, 1, 3, 1, 1, 2, 1, 3, 2, 1]
        unit = bars.width() / (sum(widths) * 1.6)
        x = bars.left()
        painter.setBrush(QColor("#16202C"))
        for i, w in enumerate(widths):
            if i % 2 == 0:
                painter.drawRect(QRectF(x, bars.top(), w * unit, bars.height()))
            x += w * unit * 1.6
        pen = QPen(QColor(self.colour), 12, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        arm = side * 0.12
        frame = bars.adjusted(-side * 0.08, -side * 0.08, side * 0.08, side * 0.08)
        for corner, (dx, dy) in (
            (frame.topLeft(), (1, 1)),
            (frame.topRight(), (-1, 1)),
            (frame.bottomLeft(), (1, -1)),
            (frame.bottomRight(), (-1, -1)),
        ):
            painter.drawLine(corner, corner + QPointF(dx * arm, 0))
            painter.drawLine(corner, corner + QPointF(0, dy * arm))
        painter.end()


class AttractScreen(Screen):
    def __init__(self, session: KioskSession, brand_colour: str) -> None:
        super().__init__()
        self.title = label(role="title", wrap=True)
        self.subtitle = label(role="subtitle", wrap=True)
        self.member_hint = label(role="muted", wrap=True)
        self.start_button = button("primary", "start")
        self.start_button.clicked.connect(session.start)
        self.art = HeroArt(brand_colour)
        text = QWidget()
        text.setLayout(
            vbox(
                2, self.title, self.subtitle, 1, self.start_button, self.member_hint, 2, spacing=28
            )
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(96, 40, 96, 40)
        layout.setSpacing(64)
        layout.addWidget(text, 5)
        layout.addWidget(self.art, 4)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Scan your first item to start"))
        self.subtitle.setText(
            self.tr("Hold a barcode up to the camera. No need to touch the screen.")
        )
        self.start_button.setText(self.tr("Start ▶"))
        self.member_hint.setText(
            self.tr("Members: scan the QR code in your app at any time for member prices.")
        )
