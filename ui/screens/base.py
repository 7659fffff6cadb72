"""What every screen shares: re-reading its texts when the language changes."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QWidget


class Screen(QWidget):
    """A page of the kiosk. Subclasses set their texts in `retranslate`."""

    def __init__(self) -> None:
        super().__init__()
        self.setProperty("screen", True)

    def retranslate(self) -> None:
        raise NotImplementedError

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        # Installing a translator sends LanguageChange to every widget.
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
