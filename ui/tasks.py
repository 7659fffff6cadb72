"""Background work. `run_task`-style jobs: run a call on Qt's thread pool, get its result or
its `KioskError` back on the UI thread (anything else it raises is a bug and is re-raised on
the UI thread, where it surfaces instead of dying silently in a worker). `WorkerThread`: a
device's loop (the camera's, the scale's) on a QThread of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, QRunnable, QThread, QThreadPool, Signal, SignalInstance, Slot

from kiosk.domain.errors import KioskError


class _Relay(QObject):
    """Lives on the UI thread; its signals carry the outcome back across threads (queued)."""

    done = Signal(object)
    failed = Signal(object)
    crashed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._fn = fn
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._fn()
        except KioskError as exc:
            self._relay.failed.emit(exc)
        except BaseException as exc:  # noqa: BLE001 - handed to the UI thread and re-raised there
            self._relay.crashed.emit(exc)
        else:
            self._relay.done.emit(result)


class TaskRunner(QObject):
    """Runs calls off the UI thread; keeps each call's relay alive until it has answered."""

    def __init__(self, pool: QThreadPool | None = None) -> None:
        super().__init__()
        self._pool = pool or QThreadPool(self)
        self._relays: set[_Relay] = set()

    def run(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[KioskError], None],
    ) -> None:
        relay = _Relay(self)
        self._relays.add(relay)

        @Slot(object)
        def finish_done(result: Any) -> None:
            self._relays.discard(relay)
            on_done(result)

        @Slot(object)
        def finish_failed(exc: KioskError) -> None:
            self._relays.discard(relay)
            on_error(exc)

        @Slot(object)
        def finish_crashed(exc: BaseException) -> None:
            self._relays.discard(relay)
            raise exc

        relay.done.connect(finish_done)
        relay.failed.connect(finish_failed)
        relay.crashed.connect(finish_crashed)
        self._pool.start(_Job(fn, relay))

    def wait(self, timeout_ms: int = 5000) -> bool:
        """Wait for running jobs (shutdown only: it blocks)."""
        return self._pool.waitForDone(timeout_ms)


class LoopWorker(Protocol):
    """A QObject whose `run` loops until `request_stop`, then emits `finished`."""

    @property
    def finished(self) -> SignalInstance: ...

    def moveToThread(self, thread: QThread, /) -> bool: ...  # noqa: N802 - Qt's name

    def run(self) -> None: ...

    def request_stop(self) -> None: ...


class WorkerThread:
    """Owns the QThread a device's worker loops on; start and stop it from the UI thread."""

    def __init__(self, worker: LoopWorker, name: str) -> None:
        self.worker = worker
        self._thread = QThread()
        self._thread.setObjectName(name)
        worker.moveToThread(self._thread)
        self._thread.started.connect(worker.run)
        worker.finished.connect(self._thread.quit)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout_ms: int = 5000) -> bool:
        """Stop the loop and wait for the thread; False if it did not end in time."""
        self.worker.request_stop()
        self._thread.quit()
        return self._thread.wait(timeout_ms)

    def is_running(self) -> bool:
        return self._thread.isRunning()
