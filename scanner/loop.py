"""The capture/decode loop without Qt: a grabber thread keeps only the newest frame, the loop
decodes it, debounces, and keeps the statistics the kiosk's health report shows.

Capture runs on its own thread so a slow decode never lets the camera's queue fill: frames
that arrive while one is being decoded replace each other (counted as dropped), so the next
decode always gets the newest one and latency stays one frame plus one decode.
"""

from __future__ import annotations

import statistics
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.domain.scan import ScanEvent
from scanner.decode import Decoder, DecodeResult, Guide
from scanner.errors import FrameError
from scanner.sources import Frame, ResilientSource, SourceState
from scanner.trust import Debouncer
from scanner.video import FrameVote

_WINDOW_S = 5.0


@dataclass(frozen=True, slots=True)
class ScannerStats:
    """The scanner's health, for the kiosk's heartbeat and the staff screen."""

    state: str
    capture_fps: float
    decode_fps: float
    decode_ms_median: float
    decode_ms_p95: float
    frames_captured: int
    frames_decoded: int
    frames_dropped: int
    frames_bad: int
    reopen_count: int
    scans: int


class StatsTracker:
    """Rolling rates and decode times over the last few seconds. Pure: times are passed in."""

    def __init__(self, window_s: float = _WINDOW_S) -> None:
        self._window_s = window_s
        self._captured: deque[float] = deque()
        self._decoded: deque[tuple[float, float]] = deque()
        self.frames_captured = 0
        self.frames_decoded = 0
        self.frames_dropped = 0
        self.frames_bad = 0
        self.scans = 0

    def captured(self, at: float) -> None:
        self.frames_captured += 1
        self._captured.append(at)

    def decoded(self, at: float, ms: float) -> None:
        self.frames_decoded += 1
        self._decoded.append((at, ms))

    def snapshot(self, now: float, *, state: str, reopen_count: int) -> ScannerStats:
        while self._captured and now - self._captured[0] > self._window_s:
            self._captured.popleft()
        while self._decoded and now - self._decoded[0][0] > self._window_s:
            self._decoded.popleft()
        times = sorted(ms for _, ms in self._decoded)
        median = statistics.median(times) if times else 0.0
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))] if times else 0.0
        return ScannerStats(
            state=state,
            capture_fps=len(self._captured) / self._window_s,
            decode_fps=len(self._decoded) / self._window_s,
            decode_ms_median=median,
            decode_ms_p95=p95,
            frames_captured=self.frames_captured,
            frames_decoded=self.frames_decoded,
            frames_dropped=self.frames_dropped,
            frames_bad=self.frames_bad,
            reopen_count=reopen_count,
            scans=self.scans,
        )


class FrameGrabber:
    """Reads a ResilientSource on a daemon-free thread into a one-frame mailbox.

    Non-live sources (video files, image folders) are paced at their frame rate, so a
    recording plays like a camera; `pace=False` reads them as fast as they are taken.
    """

    def __init__(
        self,
        source: ResilientSource,
        stats: StatsTracker,
        *,
        default_fps: float = 30.0,
        pace: bool = True,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._source = source
        self._stats = stats
        self._default_fps = default_fps
        self._pace = pace
        self._clock = clock
        self._lock = threading.Condition()
        self._frame: Frame | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="scanner-capture")

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        with self._lock:
            self._lock.notify_all()
        if self._thread.is_alive():
            self._thread.join()
        self._source.close()

    def take(self, timeout: float) -> Frame | None:
        """The newest frame not yet taken, waiting up to `timeout` seconds for one."""
        with self._lock:
            if self._frame is None and not self._stop.is_set():
                self._lock.wait(timeout)
            frame, self._frame = self._frame, None
            return frame

    @property
    def finished(self) -> bool:
        return self._source.state in (SourceState.ENDED, SourceState.STOPPED)

    def _run(self) -> None:
        next_due = self._clock()
        while not self._stop.is_set():
            wait = self._source.retry_in()
            if wait == float("inf"):
                with self._lock:
                    self._lock.notify_all()
                return
            if wait > 0:
                self._stop.wait(min(wait, 0.5))
                continue
            if self._pace and not self._source.live:
                delay = next_due - self._clock()
                if delay > 0 and self._stop.wait(delay):
                    return
                next_due = max(next_due, self._clock()) + 1.0 / (
                    self._source.fps or self._default_fps
                )
            frame = self._source.read()
            if frame is None:
                continue
            with self._lock:
                if self._frame is not None:
                    self._stats.frames_dropped += 1
                self._frame = frame
                self._stats.captured(frame.at)
                self._lock.notify_all()


@dataclass(frozen=True, slots=True)
class Step:
    """What one turn of the loop did: the frame decoded (if any), its result and new scans."""

    frame: Frame | None
    result: DecodeResult | None
    events: tuple[ScanEvent, ...]


class ScanLoop:
    """One turn at a time: take the newest frame, decode it, debounce. No threads of its own
    beyond the grabber, no Qt: the Qt worker and the latency benchmark both drive it.

    `vote` confirms reads across frames (a camera); None for still images, where each
    frame is its own product and no second look comes.
    """

    def __init__(
        self,
        grabber: FrameGrabber,
        decoder: Decoder,
        debouncer: Debouncer,
        stats: StatsTracker,
        source: ResilientSource,
        *,
        vote: FrameVote | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._grabber = grabber
        self._decoder = decoder
        self._debouncer = debouncer
        self._vote = vote
        self._stats = stats
        self._source = source
        self._clock = clock

    @property
    def finished(self) -> bool:
        return self._grabber.finished

    def step(self, timeout: float = 0.1) -> Step:
        frame = self._grabber.take(timeout)
        if frame is None:
            return Step(None, None, ())
        try:
            guide = self._vote.guide(frame.at) if self._vote else Guide()
            result = self._decoder(frame.image, at=frame.at, guide=guide)
        except FrameError:
            self._stats.frames_bad += 1
            return Step(frame, None, ())
        self._stats.decoded(frame.at, result.ms)
        reads = self._vote.feed(result, frame.at) if self._vote else result.reads
        events = tuple(self._debouncer.feed(reads, frame.at))
        self._stats.scans += len(events)
        return Step(frame, result, events)

    def stats(self) -> ScannerStats:
        return self._stats.snapshot(
            self._clock(), state=self._source.state.value, reopen_count=self._source.reopen_count
        )
