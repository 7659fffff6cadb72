"""Kiosk mode: full screen, no decorations, no cursor on touch screens, and no keyboard way
out of the app (Alt+F4, Ctrl+Q/W, Escape, F11). Leaving is a staff action.

Switching apps or virtual terminals (Alt+Tab, Ctrl+Alt+F1) is the window manager's and the
kernel's: the deployment runs the kiosk as the only client of a bare X server or a Wayland
kiosk compositor (see deploy/), where those shortcuts lead nowhere.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QCloseEvent, QCursor, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QWidget

_BLOCKED_KEYS = frozenset(
    {Qt.Key.Key_Escape, Qt.Key.Key_F11, Qt.Key.Key_Super_L, Qt.Key.Key_Super_R, Qt.Key.Key_Menu}
)
_CTRL_KEYS = frozenset({Qt.Key.Key_Q, Qt.Key.Key_W})
_BLOCKED_SEQUENCES = (
    QKeySequence.StandardKey.Quit,
    QKeySequence.StandardKey.Close,
    QKeySequence.StandardKey.FullScreen,
)


class KioskGuard(QObject):
    """Swallows the keys that would leave or shrink the app; refuses to close until allowed."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self.allow_close = False
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Close and watched is self._window:
            if not self.allow_close:
                assert isinstance(event, QCloseEvent)
                event.ignore()
                return True
            return False
        if event.type() in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            assert isinstance(event, QKeyEvent)
            return blocks(event)
        return False


def blocks(event: QKeyEvent) -> bool:
    """Whether a key press is one the kiosk must not act on."""
    if Qt.Key(event.key()) in _BLOCKED_KEYS:
        return True
    modifiers = event.modifiers()
    if event.key() == Qt.Key.Key_F4 and modifiers & (
        Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ControlModifier
    ):
        return True
    # The platform's own bindings (below) vary by desktop; these are the usual ones anywhere.
    if modifiers & Qt.KeyboardModifier.ControlModifier and event.key() in _CTRL_KEYS:
        return True
    return any(event.matches(sequence) for sequence in _BLOCKED_SEQUENCES)


def enter_kiosk_mode(window: QWidget, *, hide_cursor: bool) -> KioskGuard:
    window.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
    window.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
    guard = KioskGuard(window)
    app = QGuiApplication.instance()
    if app is not None:
        app.installEventFilter(guard)
    if hide_cursor:
        QGuiApplication.setOverrideCursor(QCursor(Qt.CursorShape.BlankCursor))
    window.showFullScreen()
    return guard
