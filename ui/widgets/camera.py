"""The live camera preview with a guide frame showing where to hold the barcode."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ui.theme import NORMAL, Palette, Theme

_LIVE_STATES = frozenset({"live", ""})
MIN_SIZE = QSize(480, 360)
MIN_SIZE_LARGE_TEXT = QSize(360, 270)


class CameraView(QWidget):
    """Draws the newest preview frame; says so in words when the camera is not working."""

    def __init__(self, theme_palette: Palette = NORMAL) -> None:
        super().__init__()
        self._image: QImage | None = None
        self._state = ""
        self._guide = QColor(theme_palette.brand)
        self._backdrop = QColor(theme_palette.background)
        self.frames_shown = 0
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(MIN_SIZE)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(720, 540)

    @property
    def state(self) -> str:
        return self._state

    def set_image(self, image: QImage) -> None:
        self._image = image
        self.frames_shown += 1
        self.update()

    def set_state(self, state: str) -> None:
        """The scanner source's state: live, stalled, lost, ended, stopped."""
        self._state = state
        self.update()

    def set_theme(self, theme: Theme) -> None:
        self._guide = QColor(theme.palette.brand)
        self._backdrop = QColor(theme.palette.background)
        # Large text makes everything under the camera taller: the preview gives up the
        # room (a barcode fills the frame at any size) so that the offer lines keep theirs
        # rather than showing one line and a half in a scroll area.
        self.setMinimumSize(MIN_SIZE_LARGE_TEXT if theme.large_text else MIN_SIZE)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect())
        painter.fillRect(rect, QColor("#1B2430"))
        if self._image is not None and not self._image.isNull():
            scaled = self._image.size().scaled(
                self.size(), Qt.AspectRatioMode.KeepAspectRatioByExpanding
            )
            target = QRectF(
                (self.width() - scaled.width()) / 2,
                (self.height() - scaled.height()) / 2,
                scaled.width(),
                scaled.height(),
            )
            painter.drawImage(target, self._image)
        self._draw_guide(painter, rect)
        if self._state not in _LIVE_STATES and self._state != "ended":
            painter.fillRect(rect, QColor(0, 0, 0, 170))
            font = QFont(painter.font())
            font.setPixelSize(30)
            font.setBold(True)
            painter.setFont(font)
            painter.setPen(QColor("white"))
            text = "⚠  " + QCoreApplication.translate(
                "CameraView", "Camera not working: use the hand scanner or ask staff"
            )
            painter.drawText(
                rect.adjusted(30, 0, -30, 0),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                text,
            )
        # Rounded corners by painting the screen's background over them: clipping the frame
        # to a rounded path instead costs three times as much on every preview frame.
        corners = QPainterPath()
        corners.addRect(rect)
        inner = QPainterPath()
        inner.addRoundedRect(rect, 20, 20)
        painter.fillPath(corners.subtracted(inner), self._backdrop)
        painter.end()

    def _draw_guide(self, painter: QPainter, rect: QRectF) -> None:
        w, h = rect.width() * 0.7, rect.height() * 0.5
        guide = QRectF(rect.center().x() - w / 2, rect.center().y() - h / 2, w, h)
        arm = min(w, h) * 0.22
        pen = QPen(self._guide, 10, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        for (x, y), (dx, dy) in (
            ((guide.left(), guide.top()), (1, 1)),
            ((guide.right(), guide.top()), (-1, 1)),
            ((guide.left(), guide.bottom()), (1, -1)),
            ((guide.right(), guide.bottom()), (-1, -1)),
        ):
            painter.drawLine(int(x), int(y), int(x + dx * arm), int(y))
            painter.drawLine(int(x), int(y), int(x), int(y + dy * arm))
        font = QFont(painter.font())
        font.setPixelSize(26)
        font.setBold(True)
        painter.setFont(font)
        hint = QCoreApplication.translate("CameraView", "Hold the barcode inside the frame")
        band = QRectF(rect.left(), rect.bottom() - 64, rect.width(), 64)
        painter.fillRect(band, QColor(0, 0, 0, 140))
        painter.setPen(QColor("white"))
        painter.drawText(band, Qt.AlignmentFlag.AlignCenter, hint)
