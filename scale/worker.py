"""The Qt side of the scale: a thin worker polling the scale on its own QThread while the
session weighs, as the scanner's worker runs the camera (`scanner.worker`).

The session asks by `command` (start, zero, stop: thread-safe flags, so it is connected
directly); readings, zero answers and faults go back by queued signals, as immutable values.
Nothing is read while nobody weighs: the port is opened at the first start and, after a
fault, again at the next one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject, Signal, Slot

from kiosk.domain.errors import ScaleError
from kiosk.domain.scale import ScaleReading, ZeroResult
from kiosk.services.weighing import ScaleCommand

POLL_S = 0.2
"""Five readings a second: the weight on screen follows the hand, the scale keeps up at
9600 baud (an `SI` and its answer are about 25 bytes)."""


class ScaleConnection(Protocol):
    def weight(self) -> ScaleReading: ...
    def zero(self) -> ZeroResult: ...
    def close(self) -> None: ...


class ScaleWorker(QObject):
    """Polls the scale off the UI thread; move it to a QThread (`ui.tasks.WorkerThread`).

    Signals:
        reading(ScaleReading): what is on the scale, several times a second while weighing.
        zeroed(ZeroResult): the answer to a zero the session asked for.
        failed(ScaleError): the port cannot be opened, or the scale stopped answering;
            the worker stops weighing until the next start.
        finished(): the loop has stopped.
    """

    reading = Signal(object)
    zeroed = Signal(object)
    failed = Signal(object)
    finished = Signal()

    def __init__(
        self, open_scale: Callable[[], ScaleConnection], *, poll_s: float = POLL_S
    ) -> None:
        super().__init__()
        self._open_scale = open_scale
        self._poll_s = poll_s
        self._stop = threading.Event()
        self._weighing = threading.Event()
        self._zero = threading.Event()
        self._wake = threading.Event()

    def command(self, command: str) -> None:
        """A `ScaleCommand` from the session; safe from any thread."""
        match ScaleCommand(command):
            case ScaleCommand.START:
                self._weighing.set()
            case ScaleCommand.ZERO:
                self._zero.set()
            case ScaleCommand.STOP:
                self._weighing.clear()
                self._zero.clear()
        self._wake.set()

    def request_stop(self) -> None:
        self._stop.set()
        self._wake.set()

    @Slot()
    def run(self) -> None:
        scale: ScaleConnection | None = None
        try:
            while not self._stop.is_set():
                if self._weighing.is_set():
                    scale = self._step(scale)
                self._wake.wait(self._poll_s)
                self._wake.clear()
        finally:
            if scale is not None:
                scale.close()
            self.finished.emit()

    def _step(self, scale: ScaleConnection | None) -> ScaleConnection | None:
        try:
            if scale is None:
                scale = self._open_scale()
            if self._zero.is_set():
                self._zero.clear()
                self.zeroed.emit(scale.zero())
            self.reading.emit(scale.weight())
        except ScaleError as exc:
            self._weighing.clear()
            if scale is not None:
                scale.close()
            self.failed.emit(exc)
            return None
        return scale
