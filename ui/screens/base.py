"""What every screen shares."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


class Screen(QWidget):
    """A page of the kiosk. Subclasses set their texts in `retranslate`, which the window
    calls after every language switch (explicitly rather than on Qt's LanguageChange event,
    so a switch is complete when `set_language` returns)."""

    def __init__(self) -> None:
        super().__init__()
        self.setProperty("screen", True)

    def retranslate(self) -> None:
        raise NotImplementedError
