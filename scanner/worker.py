"""The Qt side of the scanner: a thin worker that runs the scan loop on its own QThread.

Everything crossing to the UI thread is immutable and goes by queued signals: ScanEvents and
ScannerStats are frozen dataclasses, previews are QImage copies.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

import cv2
import numpy as np
from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QImage

from scanner.config import ConfirmRule, ScannerConfig
from scanner.decode import Decoder
from scanner.loop import FrameGrabber, ScanLoop, StatsTracker
from scanner.sources import Frame, FrameSource, ResilientSource, SourceStatus, open_source
from scanner.trust import Debouncer
from scanner.video import FrameVote

_STEP_TIMEOUT_S = 0.1
_GREY_DIMS = 2
_BGR_CHANNELS = 3


def preview_image(frame: Frame, width: int) -> QImage:
    """A downscaled, detached QImage of a frame: safe to hand to another thread.

    In the 32-bit format the screen paints in, so that the UI thread blits it instead of
    converting every pixel of every preview frame.
    """
    image = frame.image
    h, w = image.shape[:2]
    if w > width:
        size = (width, max(1, round(h * width / w)))
        image = np.asarray(cv2.resize(image, size, interpolation=cv2.INTER_AREA), np.uint8)
    h, w = image.shape[:2]
    channels = 1 if image.ndim == _GREY_DIMS else image.shape[2]
    if channels == _BGR_CHANNELS:
        image = np.asarray(cv2.cvtColor(image, cv2.COLOR_BGR2BGRA), np.uint8)
    elif channels == 1:
        image = np.asarray(cv2.cvtColor(image.reshape(h, w), cv2.COLOR_GRAY2BGRA), np.uint8)
    image = np.ascontiguousarray(image, np.uint8)  # BGRA is RGB32's byte order
    return QImage(image.data, w, h, image.strides[0], QImage.Format.Format_RGB32).copy()


class ScannerWorker(QObject):
    """Captures, decodes and debounces off the UI thread, on a QThread of its own
    (`ui.tasks.WorkerThread`).

    Signals:
        code_scanned(ScanEvent): a trusted scan, once per product shown.
        preview_ready(QImage): the newest frame, downscaled, at most `preview_fps` a second.
        stats_updated(ScannerStats): frame rate, decode time, dropped frames; every few seconds.
        source_status_changed(str, str): the source's state ("live", "stalled", "lost",
            "ended", "stopped") and a message in plain words.
        finished(): the loop has stopped (asked to, or a non-looping file source ended).
    """

    code_scanned = Signal(object)
    preview_ready = Signal(QImage)
    stats_updated = Signal(object)
    source_status_changed = Signal(str, str)
    finished = Signal()

    def __init__(
        self,
        config: ScannerConfig,
        *,
        source_factory: Callable[[], FrameSource] | None = None,
        clock: Callable[[], float] = time.monotonic,
        pace: bool = True,
    ) -> None:
        super().__init__()
        self._config = config
        self._source_factory = source_factory or (lambda: open_source(config))
        self._clock = clock
        self._pace = pace
        self._stop = threading.Event()
        # Filled by the capture thread, emitted from the worker's own thread.
        self._statuses: deque[SourceStatus] = deque()

    def request_stop(self) -> None:
        """Ask the loop to end after its current frame; safe from any thread."""
        self._stop.set()

    @Slot()
    def run(self) -> None:
        """The loop; runs on the worker's thread until `request_stop` or the source ends."""
        config = self._config
        stats = StatsTracker()
        source = ResilientSource(
            self._source_factory,
            stall_after_s=config.stall_after_s,
            reopen_min_s=config.reopen_min_s,
            reopen_max_s=config.reopen_max_s,
            loop=config.loop,
            clock=self._clock,
            on_status=self._statuses.append,
        )
        grabber = FrameGrabber(
            source, stats, default_fps=config.fps or 30.0, pace=self._pace, clock=self._clock
        )
        debouncer = Debouncer(
            confirm=config.confirm,
            confirm_frames=config.confirm_frames,
            leave_after_s=config.leave_after_s,
            repeat_after_s=config.repeat_after_s,
        )
        stream = config.confirm is not ConfirmRule.NONE
        decoder = Decoder(
            config.symbologies,
            time_budget_ms=config.time_budget_ms,
            search_budget_ms=config.search_budget_ms,
            stream=stream,
        )
        vote = FrameVote() if stream else None
        loop = ScanLoop(grabber, decoder, debouncer, stats, source, vote=vote, clock=self._clock)
        preview_gap = 1.0 / config.preview_fps
        last_preview = last_stats = float("-inf")
        grabber.start()
        try:
            while not self._stop.is_set() and not loop.finished:
                step = loop.step(_STEP_TIMEOUT_S)
                for event in step.events:
                    self.code_scanned.emit(event)
                self._emit_statuses()
                now = self._clock()
                if step.frame is not None and now - last_preview >= preview_gap:
                    last_preview = now
                    self.preview_ready.emit(preview_image(step.frame, config.preview_width))
                if now - last_stats >= config.stats_every_s:
                    last_stats = now
                    self.stats_updated.emit(loop.stats())
        finally:
            grabber.stop()
            self._emit_statuses()
            self.stats_updated.emit(loop.stats())
            self.finished.emit()

    def _emit_statuses(self) -> None:
        while self._statuses:
            status = self._statuses.popleft()
            self.source_status_changed.emit(status.state.value, status.message)
