"""Small building blocks: labels with a style role, buttons, the notice bar, the keypad, QR,
spinner, the "are you sure?" panel and a countdown."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import TypeVar

import segno
from PySide6.QtCore import QCoreApplication, QObject, QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QHideEvent,
    QIcon,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.services.session import Level, Notice
from ui.reasons import reason_text
from ui.theme import Theme

# Icons as glyphs in a coloured disc: the glyph carries the meaning, the colour repeats it.
LEVEL_GLYPHS = {Level.INFO: "i", Level.SUCCESS: "✓", Level.WARNING: "!", Level.ERROR: "✕"}


def label(text: str = "", role: str = "", *, wrap: bool = False) -> QLabel:
    widget = QLabel(text)
    if role:
        widget.setProperty("role", role)
    widget.setWordWrap(wrap)
    return widget


def button(role: str = "", name: str = "") -> QPushButton:
    widget = QPushButton()
    if role:
        widget.setProperty("role", role)
    if name:
        widget.setObjectName(name)
    widget.setCursor(Qt.CursorShape.PointingHandCursor)
    return widget


def card() -> QFrame:
    frame = QFrame()
    frame.setProperty("card", True)
    return frame


def restyle(widget: QWidget) -> None:
    """Re-apply the style sheet after a dynamic property changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)


class NoticeBar(QFrame):
    """The one message line of a screen: icon, text in the current language; it hides
    itself after a while, unless the notice is held (`Notice.held`): then a tap takes it
    down (or the session, once the shopper's next item went in)."""

    def __init__(self, hide_after_ms: int = 8000) -> None:
        super().__init__()
        self.setObjectName("Notice")
        self._icon = QLabel()
        self._icon.setObjectName("NoticeIcon")
        self.text = label(wrap=True)
        self.text.setObjectName("NoticeText")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(18, 12, 18, 12)
        layout.setSpacing(18)
        layout.addWidget(self._icon)
        layout.addWidget(self.text, 1)
        self.notice: Notice | None = None
        self.hide_timer = QTimer(self)
        self.hide_timer.setSingleShot(True)
        self.hide_timer.setInterval(hide_after_ms)
        self.hide_timer.timeout.connect(self.clear)
        self.setVisible(False)

    def show_notice(self, notice: Notice) -> None:
        self.notice = notice
        for widget in (self, self._icon):
            widget.setProperty("level", notice.level.value)
            restyle(widget)
        self._icon.setText(LEVEL_GLYPHS[notice.level])
        self.retranslate()
        self.setVisible(True)
        if notice.held:
            self.hide_timer.stop()
        else:
            self.hide_timer.start()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if self.notice is not None and self.notice.held:
            self.clear()  # read, and the item put aside: the shopper says so with a tap
        super().mousePressEvent(event)

    def retranslate(self) -> None:
        if self.notice is not None:
            notice = self.notice
            self.text.setText(reason_text(notice.reason, coupon=notice.coupon, args=notice.args))

    def clear(self) -> None:
        self.notice = None
        self.setVisible(False)


def speaker_icon(off: str, on: str, side: int) -> QIcon:
    """A loudspeaker with sound waves, `off` coloured for the unchecked button and `on` for
    the checked one (the kiosk's fonts have no loudspeaker glyph)."""
    icon = QIcon()
    for colour, state in ((off, QIcon.State.Off), (on, QIcon.State.On)):
        pixmap = QPixmap(side, side)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(QColor(colour), max(2.0, side / 14))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.setBrush(QColor(colour))
        s = side / 24  # drawn on a 24-unit grid
        painter.drawPolygon(
            [QPointF(3 * s, 9 * s), QPointF(7 * s, 9 * s), QPointF(12 * s, 4 * s),
             QPointF(12 * s, 20 * s), QPointF(7 * s, 15 * s), QPointF(3 * s, 15 * s)]
        )  # fmt: skip
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for radius in (4.0, 8.0):  # two waves, centred on the cone's mouth
            arc = QRectF(12 * s - radius * s, 12 * s - radius * s, 2 * radius * s, 2 * radius * s)
            painter.drawArc(arc, -50 * 16, 100 * 16)
        painter.end()
        icon.addPixmap(pixmap, QIcon.Mode.Normal, state)
    return icon


def more_icon(colour: str, side: int) -> QIcon:
    """Three dots in a row, for the staff entry: the middle dot character is an em wide in
    the Chinese face and narrow in the Korean one, so the entry changed its look with the
    shopper's language."""
    pixmap = QPixmap(side, side)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colour))
    s = side / 24  # drawn on a 24-unit grid, as the loudspeaker
    for x in (5.0, 12.0, 19.0):
        painter.drawEllipse(QPointF(x * s, 12 * s), 2.2 * s, 2.2 * s)
    painter.end()
    return QIcon(pixmap)


class Keypad(QWidget):
    """A big digit keypad with its own entry; `masked` shows digits the way phones are masked.

    Signals:
        changed(str): the digits entered so far.
    """

    changed = Signal(str)

    def __init__(self, max_length: int = 15) -> None:
        super().__init__()
        self._digits = ""
        self._max = max_length
        grid = QGridLayout(self)
        grid.setSpacing(12)
        grid.setContentsMargins(0, 0, 0, 0)
        keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "back"]
        self.buttons: dict[str, QPushButton] = {}
        for i, key in enumerate(keys):
            b = button("key", f"key_{key}")
            b.setText({"back": "⌫", "clear": "C"}.get(key, key))
            b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            b.clicked.connect(lambda _=False, k=key: self.press(k))
            grid.addWidget(b, i // 3, i % 3)
            self.buttons[key] = b
        self.retranslate()

    def retranslate(self) -> None:
        self.buttons["back"].setAccessibleName(QCoreApplication.translate("Keypad", "Delete"))
        self.buttons["clear"].setAccessibleName(QCoreApplication.translate("Keypad", "Clear"))

    @property
    def digits(self) -> str:
        return self._digits

    def press(self, key: str) -> None:
        if key == "back":
            self._digits = self._digits[:-1]
        elif key == "clear":
            self._digits = ""
        elif len(self._digits) < self._max:
            self._digits += key
        self.changed.emit(self._digits)

    def clear(self) -> None:
        self.press("clear")


PHONE_MASK = "*"
"""As the member's masked phone shows it ("138****5678"); a bullet is full width in the
Chinese font, and "138 • • • •" read as spaced-out symbols, not one number."""


def mask_while_typing(digits: str) -> str:
    """Show only the first three digits in clear, the way the masked phone will look."""
    return digits[:3] + PHONE_MASK * max(0, len(digits) - 3)


QR_LARGE_TEXT = 0.75
"""A QR code's size at large text, against its size in normal text."""


class QrView(QWidget):
    """Draws a QR code (segno) with its quiet zone, crisp at any size."""

    def __init__(self, size: int = 420) -> None:
        super().__init__()
        self._matrix: list[list[bool]] = []
        self._full_size = self._size = size
        self.payload = ""
        self.setMinimumSize(size, size)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(self._size, self._size)

    def set_theme(self, theme: Theme) -> None:
        # A phone reads the code at any of these sizes; the words around it are for eyes.
        # At full size, large text pushed the done screen's caption over the code.
        self._size = round(self._full_size * (QR_LARGE_TEXT if theme.large_text else 1))
        self.setMinimumSize(self._size, self._size)
        self.updateGeometry()

    def set_payload(self, payload: str) -> None:
        self.payload = payload
        if payload:
            qr = segno.make(payload, error="m", micro=False)
            self._matrix = [[bool(v) for v in row] for row in qr.matrix]
        else:
            self._matrix = []
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        side = min(self.width(), self.height())
        left, top = (self.width() - side) / 2, (self.height() - side) / 2
        painter.fillRect(QRectF(left, top, side, side), QColor("white"))
        if not self._matrix:
            painter.end()
            return
        quiet = 4
        modules = len(self._matrix) + 2 * quiet
        cell = side / modules
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("black"))
        for y, row in enumerate(self._matrix):
            for x, dark in enumerate(row):
                if dark:
                    painter.drawRect(
                        QRectF(left + (x + quiet) * cell, top + (y + quiet) * cell, cell, cell)
                    )
        painter.end()


class Spinner(QWidget):
    """A turning arc: something is on its way. It turns only while shown."""

    def __init__(self, size: int = 120) -> None:
        super().__init__()
        self._angle = 0
        self._size = size
        self.setMinimumSize(size, size)
        self._timer = QTimer(self)
        self._timer.setInterval(40)
        self._timer.timeout.connect(self._turn)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(self._size, self._size)

    @property
    def turning(self) -> bool:
        return self._timer.isActive()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        self._timer.start()
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt's name
        self._timer.stop()
        super().hideEvent(event)

    def _turn(self) -> None:
        self._angle = (self._angle + 12) % 360
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        side = min(self.width(), self.height()) - 16
        rect = QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)
        pen = QPen(self.palette().highlight().color(), max(6.0, side / 12))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.drawArc(rect, -self._angle * 16, 270 * 16)
        painter.end()


class ConfirmPanel(QFrame):
    """Asks "are you sure?" in place of the actions (a page of their stack), with what is
    at stake (the amount, the exit pass).

    Signals:
        confirmed(): the person confirmed; the action runs.
    """

    confirmed = Signal()

    def __init__(self, yes_role: str = "danger") -> None:
        """`yes_role`: how the confirming button looks (red for what cannot be undone)."""
        super().__init__()
        self.setObjectName("Confirm")
        self.question = label(role="heading", wrap=True)
        self.detail = label(wrap=True)
        self.yes = button(yes_role, "confirm_yes")
        self.no = button(name="confirm_no")
        self.yes.clicked.connect(self.confirmed)
        self.setLayout(vbox(self.question, self.detail, 1, self.yes, self.no, margins=20))

    def ask(self, question: str, detail: str, yes: str, no: str = "") -> None:
        self.question.setText(question)
        self.detail.setText(detail)
        self.yes.setText(yes)
        self.no.setText(no or self.tr("◀ Cancel"))


class Countdown(QObject):
    """The seconds left until a deadline that the core's timer keeps. The count follows the
    clock, not a count of ticks (which a busy moment would delay).

    Signals:
        ticked(): about every quarter second while counting: show `seconds_left` again.
    """

    ticked = Signal()

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.clock: Callable[[], float] = time.monotonic
        self._seconds = 0.0
        self._started = 0.0
        self._ticker = QTimer(self)
        self._ticker.setInterval(250)
        self._ticker.timeout.connect(self.ticked)

    def start(self, seconds: float) -> None:
        self._seconds = seconds
        self._started = self.clock()
        self._ticker.start()

    def stop(self) -> None:
        self._ticker.stop()

    @property
    def running(self) -> bool:
        return self._ticker.isActive()

    @property
    def seconds_left(self) -> int:
        return max(0, math.ceil(self._seconds - (self.clock() - self._started)))


_Box = TypeVar("_Box", bound=QBoxLayout)


def vbox(*items: QWidget | int, spacing: int = 20, margins: int = 0) -> QVBoxLayout:
    """A column of widgets; an int adds stretch with that factor."""
    return _filled(QVBoxLayout(), items, spacing, margins)


def hbox(*items: QWidget | int, spacing: int = 20, margins: int = 0) -> QHBoxLayout:
    """A row of widgets; an int adds stretch with that factor."""
    return _filled(QHBoxLayout(), items, spacing, margins)


def _filled(layout: _Box, items: tuple[QWidget | int, ...], spacing: int, margins: int) -> _Box:
    layout.setSpacing(spacing)
    layout.setContentsMargins(margins, margins, margins, margins)
    for item in items:
        if isinstance(item, int):
            layout.addStretch(item)
        else:
            layout.addWidget(item)
    return layout
