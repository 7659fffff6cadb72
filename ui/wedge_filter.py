"""Feeds every key press into the keyboard-wedge detector (`scanner.wedge`).

A USB scanner types a code as a burst of keys: those become a `ScanEvent`; slower keys are a
person typing and are handed back to the focused widget unchanged. Held keys are settled by
a short timer, so a scanner that sends no Enter still scans.

Signals:
    scanned(ScanEvent): a burst that was a good code.
    rejected(str): a burst that was a misread (wrong check digit).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from kiosk.domain.scan import ScanEvent
from scanner.wedge import RejectedBurst, TypedText, WedgeDetector


@dataclass(frozen=True, slots=True)
class _Key:
    target: QObject
    key: int
    modifiers: Qt.KeyboardModifier
    text: str


class WedgeFilter(QObject):
    scanned = Signal(object)
    rejected = Signal(str)

    def __init__(
        self,
        detector: WedgeDetector | None = None,
        clock: Callable[[], float] = time.monotonic,
        poll_ms: int = 30,
    ) -> None:
        super().__init__()
        self._detector = detector or WedgeDetector()
        self._clock = clock
        self._replaying = False
        # The keys the detector holds, as they came and where they were going, to hand
        # back unchanged when they turn out to be typing.
        self._held: list[_Key] = []
        self._poll = QTimer(self)
        self._poll.setInterval(poll_ms)
        self._poll.timeout.connect(self._settle)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if self._replaying or event.type() != QEvent.Type.KeyPress:
            return False
        assert isinstance(event, QKeyEvent)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            text = "\r"
        else:
            text = event.text()
            if len(text) != 1 or not text.isprintable():
                return False  # arrows, modifiers, shortcuts: not part of any code
        # One clock for keys and for the settling timer: event timestamps come from the
        # windowing system's clock, which the timer cannot read.
        outputs = self._detector.key(text, self._clock())
        settled = self._take_held() if outputs else []
        if self._detector.holding:
            self._held.append(_Key(watched, event.key(), event.modifiers(), text))
        self._handle(outputs, settled)
        if self._detector.holding:
            self._poll.start()
        return True

    def _take_held(self) -> list[_Key]:
        held, self._held = self._held, []
        return held

    def _settle(self) -> None:
        outputs = self._detector.poll(self._clock())
        self._handle(outputs, self._take_held() if outputs else [])
        if not self._detector.holding:
            self._poll.stop()

    def _handle(
        self,
        outputs: list[ScanEvent | TypedText | RejectedBurst],
        keys: list[_Key],
    ) -> None:
        for out in outputs:
            if isinstance(out, ScanEvent):
                self.scanned.emit(out)
            elif isinstance(out, RejectedBurst):
                self.rejected.emit(out.text)
            else:
                self._replay(out, keys)

    def _replay(self, typed: TypedText, keys: list[_Key]) -> None:
        target = keys[-1].target if keys else QApplication.focusWidget()
        if target is None:
            return
        self._replaying = True
        try:
            for key in keys:
                QCoreApplication.sendEvent(
                    key.target, QKeyEvent(QEvent.Type.KeyPress, key.key, key.modifiers, key.text)
                )
            if typed.enter:
                QCoreApplication.sendEvent(
                    target,
                    QKeyEvent(
                        QEvent.Type.KeyPress,
                        Qt.Key.Key_Return,
                        Qt.KeyboardModifier.NoModifier,
                        "\r",
                    ),
                )
        finally:
            self._replaying = False
