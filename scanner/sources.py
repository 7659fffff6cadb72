"""Frame sources behind one small interface, and the supervisor that keeps a camera alive.

`open_source(config)` picks the source from the spec: a camera index ("0") or device path
("/dev/video0") through V4L2, an rtsp/http(s) URL through FFmpeg, a video file, or a folder
of images. `ResilientSource` wraps any of them: a camera that fails or freezes (no frame, or
the very same frame, for `stall_after_s`) is reported and reopened with exponential backoff;
a file source that ends is reported as ended (or rewound when looping). It never blocks on
its own: while waiting to reopen, `read` returns None and `retry_in` says when to call again.
"""

from __future__ import annotations

import enum
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import cv2
import numpy as np
import numpy.typing as npt

from scanner.config import ScannerConfig
from scanner.errors import FrameError, SourceEnded, SourceError, SourceUnavailable

Image = npt.NDArray[np.uint8]
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".webp", ".bmp", ".tif", ".tiff", ".pgm"})
_URL_SCHEMES = ("rtsp://", "rtsps://", "http://", "https://")
_OPEN_TIMEOUT_MS = 5000
_READ_TIMEOUT_MS = 3000


@dataclass(frozen=True, slots=True)
class Frame:
    """One captured image (read-only) with its capture time on the monotonic clock."""

    image: Image
    at: float
    index: int


class FrameSource(Protocol):
    """What every source does. `live` sources (cameras, streams) are supervised for stalls."""

    @property
    def name(self) -> str: ...

    @property
    def live(self) -> bool: ...

    @property
    def fps(self) -> float | None: ...

    def open(self) -> None:
        """Raises SourceUnavailable when the device, file or stream cannot be opened."""

    def read(self) -> Image | None:
        """The next image, None when none came (a failed grab), SourceEnded at the end."""

    def close(self) -> None: ...


CaptureFactory = Callable[..., "cv2.VideoCapture"]


class CaptureSource:
    """A camera (index or device path), stream URL or video file, through OpenCV's VideoCapture."""

    def __init__(
        self,
        target: int | str,
        *,
        live: bool,
        width: int | None = None,
        height: int | None = None,
        fps: float | None = None,
        autofocus: bool | None = None,
        focus: float | None = None,
        exposure: float | None = None,
        capture: CaptureFactory = cv2.VideoCapture,
    ) -> None:
        self._target = target
        self._live = live
        self._settings = (width, height, fps, autofocus, focus, exposure)
        self._capture_factory = capture
        self._cap: cv2.VideoCapture | None = None
        self._fps = fps

    @property
    def name(self) -> str:
        return f"camera {self._target}" if isinstance(self._target, int) else str(self._target)

    @property
    def live(self) -> bool:
        return self._live

    @property
    def fps(self) -> float | None:
        return self._fps

    def open(self) -> None:
        self.close()
        target = self._target
        is_url = isinstance(target, str) and target.lower().startswith(_URL_SCHEMES)
        is_device = isinstance(target, int) or str(target).startswith("/dev/")
        if is_device:
            backend = cv2.CAP_V4L2
        elif is_url:
            backend = cv2.CAP_FFMPEG
        else:
            backend = cv2.CAP_ANY
        params = [cv2.CAP_PROP_OPEN_TIMEOUT_MSEC, _OPEN_TIMEOUT_MS]
        params += [cv2.CAP_PROP_READ_TIMEOUT_MSEC, _READ_TIMEOUT_MS]
        cap = self._capture_factory(target, backend, params)
        if not cap.isOpened():
            cap.release()
            raise SourceUnavailable(f"{self.name} cannot be opened (not there, or busy)")
        if self._live:
            self._apply_settings(cap)
        reported = float(cap.get(cv2.CAP_PROP_FPS) or 0.0)
        if reported > 0:
            self._fps = reported
        self._cap = cap

    def _apply_settings(self, cap: cv2.VideoCapture) -> None:
        width, height, fps, autofocus, focus, exposure = self._settings
        # MJPG lets USB 2 webcams deliver 720p at 30 fps; raw YUYV often cannot.
        cap.set(cv2.CAP_PROP_FOURCC, cv2.VideoWriter.fourcc(*"MJPG"))
        # Keep the driver's queue short: a stale frame is worse than a dropped one.
        cap.set(cv2.CAP_PROP_BUFFERSIZE, 1)
        settings = [
            (cv2.CAP_PROP_FRAME_WIDTH, width),
            (cv2.CAP_PROP_FRAME_HEIGHT, height),
            (cv2.CAP_PROP_FPS, fps),
            (cv2.CAP_PROP_AUTOFOCUS, None if autofocus is None else float(autofocus)),
            (cv2.CAP_PROP_FOCUS, focus),
        ]
        if exposure is not None:
            # V4L2: 1 = manual exposure, 3 = aperture priority (auto).
            settings += [(cv2.CAP_PROP_AUTO_EXPOSURE, 1.0), (cv2.CAP_PROP_EXPOSURE, exposure)]
        for prop, value in settings:
            if value is not None:
                cap.set(prop, float(value))

    def read(self) -> Image | None:
        if self._cap is None:
            raise SourceError(f"{self.name} is not open")
        ok, image = self._cap.read()
        if not ok or image is None:
            if not self._live:
                raise SourceEnded(f"{self.name} has no more frames")
            return None
        return np.asarray(image, dtype=np.uint8)

    def close(self) -> None:
        if self._cap is not None:
            self._cap.release()
            self._cap = None


class ImageFolderSource:
    """The images of a folder in name order, at `fps`; unreadable files are skipped."""

    def __init__(self, folder: Path, *, fps: float | None = None) -> None:
        self._folder = folder
        self._fps = fps
        self._files: list[Path] = []
        self._next = 0
        self.skipped = 0

    @property
    def name(self) -> str:
        return str(self._folder)

    @property
    def live(self) -> bool:
        return False

    @property
    def fps(self) -> float | None:
        return self._fps

    def open(self) -> None:
        if not self._folder.is_dir():
            raise SourceUnavailable(f"{self._folder} is not a folder")
        self._files = sorted(
            p for p in self._folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES
        )
        if not self._files:
            raise SourceUnavailable(f"{self._folder} holds no images")
        self._next = 0

    def read(self) -> Image | None:
        while self._next < len(self._files):
            path = self._files[self._next]
            self._next += 1
            image = cv2.imread(str(path), cv2.IMREAD_COLOR)
            if image is not None and image.size:
                return np.asarray(image, dtype=np.uint8)
            self.skipped += 1
        raise SourceEnded(f"{self._folder}: all images shown")

    def close(self) -> None:
        self._files = []


def open_source(
    config: ScannerConfig, *, capture: CaptureFactory = cv2.VideoCapture
) -> FrameSource:
    """The source `config.source` names (not yet opened)."""
    spec = config.source.strip()
    if spec.isdigit() or spec.startswith("/dev/"):
        return CaptureSource(
            int(spec) if spec.isdigit() else spec,
            live=True,
            width=config.width,
            height=config.height,
            fps=config.fps,
            autofocus=config.autofocus,
            focus=config.focus,
            exposure=config.exposure,
            capture=capture,
        )
    if spec.lower().startswith(_URL_SCHEMES):
        return CaptureSource(spec, live=True, capture=capture)
    path = Path(spec).expanduser()
    if path.is_dir():
        return ImageFolderSource(path, fps=config.fps)
    if path.is_file():
        return CaptureSource(str(path), live=False, capture=capture)
    raise SourceUnavailable(f"scanner source {spec!r} is no camera, URL, video or folder")


class SourceState(enum.StrEnum):
    OPENING = "opening"
    LIVE = "live"
    STALLED = "stalled"
    LOST = "lost"
    ENDED = "ended"
    STOPPED = "stopped"


@dataclass(frozen=True, slots=True)
class SourceStatus:
    """A change of the source's state, with a message for the logs and the staff screen."""

    state: SourceState
    message: str
    at: float


class Backoff:
    """Delays before reconnect attempts: `minimum`, doubling up to `maximum`. Pure."""

    def __init__(self, minimum: float, maximum: float) -> None:
        self._minimum = minimum
        self._maximum = maximum
        self._next = minimum

    def next_delay(self) -> float:
        delay = self._next
        self._next = min(self._maximum, self._next * 2)
        return delay

    def reset(self) -> None:
        self._next = self._minimum


def _signature(image: Image) -> bytes:
    # A sparse sample is enough: a live sensor's noise changes it on every real frame.
    return hashlib.blake2b(image[::8, ::8].tobytes(), digest_size=16).digest()


class ResilientSource:
    """Supervises a source: opens it, detects stalls and freezes, reopens with backoff.

    Args:
        factory: makes a fresh, unopened source (called on every (re)open).
        clock: seconds, monotonic; injected for tests.
        on_status: told of every state change (from the capturing thread).
    """

    def __init__(
        self,
        factory: Callable[[], FrameSource],
        *,
        stall_after_s: float = 3.0,
        reopen_min_s: float = 0.5,
        reopen_max_s: float = 15.0,
        loop: bool = False,
        clock: Callable[[], float] = time.monotonic,
        on_status: Callable[[SourceStatus], None] = lambda status: None,
    ) -> None:
        self._factory = factory
        self._stall_after_s = stall_after_s
        self._backoff = Backoff(reopen_min_s, reopen_max_s)
        self._loop = loop
        self._clock = clock
        self._on_status = on_status
        self._source: FrameSource | None = None
        self._retry_at = 0.0
        self._last_new_at = 0.0
        self._last_signature = b""
        self._index = 0
        self.state = SourceState.OPENING
        self.reopen_count = 0
        self.fps: float | None = None
        self.live = True

    def retry_in(self) -> float:
        """Seconds until `read` may do something again (0 when a frame may be ready)."""
        if self.state is SourceState.ENDED:
            return float("inf")
        return max(0.0, self._retry_at - self._clock()) if self._source is None else 0.0

    def read(self) -> Frame | None:
        """The next frame, or None (waiting to reopen, a failed grab, a frozen image, the end)."""
        if self.state in (SourceState.ENDED, SourceState.STOPPED):
            return None
        now = self._clock()
        if self._source is None:
            if now < self._retry_at:
                return None
            self._open(now)
            if self._source is None:
                return None
        return self._read_open(self._source)

    def _read_open(self, source: FrameSource) -> Frame | None:
        try:
            image = source.read()
        except SourceEnded as exc:
            self._ended(source, str(exc))
            return None
        except (SourceError, cv2.error, FrameError) as exc:
            self._lose(f"{source.name} failed: {exc}", SourceState.LOST)
            return None
        now = self._clock()
        if image is None or image.size == 0:
            if source.live and now - self._last_new_at > self._stall_after_s:
                self._lose(f"{source.name} sends no frames", SourceState.STALLED)
            return None
        if source.live:
            signature = _signature(image)
            if signature == self._last_signature:
                if now - self._last_new_at > self._stall_after_s:
                    self._lose(f"{source.name} sends a frozen picture", SourceState.STALLED)
                return None
            self._last_signature = signature
        self._last_new_at = now
        if self.state is not SourceState.LIVE:
            self._backoff.reset()
            self._set(SourceState.LIVE, f"{source.name} delivers frames")
        image.flags.writeable = False
        self._index += 1
        return Frame(image=image, at=now, index=self._index)

    def close(self) -> None:
        if self._source is not None:
            self._source.close()
            self._source = None
        self._set(SourceState.STOPPED, "stopped")

    def _open(self, now: float) -> None:
        try:
            source = self._factory()
            source.open()
        except SourceError as exc:
            self._retry_at = now + self._backoff.next_delay()
            self._set(SourceState.LOST, str(exc))
            return
        self._source = source
        self.fps = source.fps
        self.live = source.live
        self._last_new_at = now
        self._last_signature = b""

    def _ended(self, source: FrameSource, message: str) -> None:
        source.close()
        self._source = None
        if self._loop:
            self._retry_at = self._clock()
            return
        self._set(SourceState.ENDED, message)

    def _lose(self, message: str, state: SourceState) -> None:
        if self._source is not None:
            self._source.close()
            self._source = None
        self.reopen_count += 1
        self._retry_at = self._clock() + self._backoff.next_delay()
        self._set(state, message)

    def _set(self, state: SourceState, message: str) -> None:
        if state is not self.state or state is SourceState.LOST:
            self.state = state
            self._on_status(SourceStatus(state, message, self._clock()))
