from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from scanner.config import ScannerConfig
from scanner.errors import SourceEnded, SourceUnavailable
from scanner.sources import (
    Backoff,
    CaptureSource,
    Image,
    ImageFolderSource,
    ResilientSource,
    SourceState,
    SourceStatus,
    open_source,
)
from simulators.barcodes import render_ean13


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class FakeCamera:
    """A camera whose behaviour each test scripts: frames, failures, freezes."""

    def __init__(self, script: list[str]) -> None:
        self.script = script
        self.opened = 0
        self.n = 0

    name = "fake camera"
    live = True
    fps = 30.0

    def open(self) -> None:
        if self.script and self.script[0] == "unplugged":
            self.script.pop(0)
            raise SourceUnavailable("fake camera is unplugged")
        self.opened += 1

    def read(self) -> Image | None:
        step = self.script.pop(0) if self.script else "frame"
        if step == "none":
            return None
        self.n += 1
        value = 0 if step == "same" else self.n % 250
        return np.full((4, 4, 3), value, np.uint8)

    def close(self) -> None:
        return


def test_nonexistent_camera_index_is_unavailable() -> None:
    source = open_source(ScannerConfig(source="97"))
    with pytest.raises(SourceUnavailable, match="camera 97"):
        source.open()


def test_unknown_spec_is_unavailable(tmp_path: Path) -> None:
    with pytest.raises(SourceUnavailable):
        open_source(ScannerConfig(source=str(tmp_path / "nowhere.mp4")))


def test_video_file_plays_then_ends(tmp_path: Path) -> None:
    path = tmp_path / "clip.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), 10, (64, 48))
    for i in range(3):
        writer.write(np.full((48, 64, 3), i * 40, np.uint8))
    writer.release()
    source = open_source(ScannerConfig(source=str(path)))
    assert isinstance(source, CaptureSource)
    assert not source.live
    source.open()
    frames = [source.read() for _ in range(3)]
    assert all(f is not None and f.shape == (48, 64, 3) for f in frames)
    with pytest.raises(SourceEnded):
        source.read()
    source.close()


def test_folder_skips_corrupt_images_and_ends(tmp_path: Path) -> None:
    cv2.imwrite(str(tmp_path / "a.png"), render_ean13("6901234567892"))
    (tmp_path / "b.png").write_bytes(b"\x89PNG truncated")
    (tmp_path / "c.jpg").write_bytes(b"")
    (tmp_path / "notes.txt").write_text("not an image")
    source = open_source(ScannerConfig(source=str(tmp_path)))
    assert isinstance(source, ImageFolderSource)
    source.open()
    image = source.read()
    assert image is not None
    assert image.ndim == 3
    with pytest.raises(SourceEnded):
        source.read()
    assert source.skipped == 2


def test_empty_folder_is_unavailable(tmp_path: Path) -> None:
    with pytest.raises(SourceUnavailable, match="no images"):
        ImageFolderSource(tmp_path).open()


def test_backoff_doubles_to_a_ceiling_and_resets() -> None:
    backoff = Backoff(0.5, 3.0)
    assert [backoff.next_delay() for _ in range(5)] == [0.5, 1.0, 2.0, 3.0, 3.0]
    backoff.reset()
    assert backoff.next_delay() == 0.5


def test_unplugged_camera_is_retried_with_backoff() -> None:
    clock = Clock()
    camera = FakeCamera(["unplugged", "unplugged", "frame"])
    statuses: list[SourceStatus] = []
    source = ResilientSource(lambda: camera, clock=clock, on_status=statuses.append)
    assert source.read() is None
    assert source.state is SourceState.LOST
    assert source.retry_in() == 0.5
    clock.now += 0.5
    assert source.read() is None
    assert source.retry_in() == 1.0
    clock.now += 0.9
    assert source.read() is None  # still backing off: the camera is not touched
    clock.now += 0.1
    frame = source.read()
    assert frame is not None
    assert frame.at == clock.now
    assert not frame.image.flags.writeable
    assert [s.state for s in statuses] == [SourceState.LOST, SourceState.LOST, SourceState.LIVE]


def test_frozen_picture_is_detected_and_reopened() -> None:
    clock = Clock()
    camera = FakeCamera(["same"] * 200)
    source = ResilientSource(lambda: camera, clock=clock, stall_after_s=2.0)
    assert source.read() is not None
    for _ in range(59):
        clock.now += 1 / 30
        assert source.read() is None
    assert source.state is SourceState.LIVE
    clock.now += 0.2
    assert source.read() is None
    assert source.state is SourceState.STALLED
    assert source.reopen_count == 1
    clock.now += 0.5
    source.read()
    assert camera.opened == 2


def test_camera_sending_nothing_is_stalled() -> None:
    clock = Clock()
    camera = FakeCamera(["frame"] + ["none"] * 10)
    source = ResilientSource(lambda: camera, clock=clock, stall_after_s=1.0)
    assert source.read() is not None
    clock.now += 0.5
    assert source.read() is None
    assert source.state is SourceState.LIVE
    clock.now += 0.6
    assert source.read() is None
    assert source.state is SourceState.STALLED


def test_looping_file_source_rewinds() -> None:
    clock = Clock()

    class TwoFrames(FakeCamera):
        live = False

        def read(self) -> Image | None:
            if self.n >= 2:
                raise SourceEnded("done")
            return super().read()

    opened: list[TwoFrames] = []

    def factory() -> TwoFrames:
        opened.append(TwoFrames([]))
        return opened[-1]

    source = ResilientSource(factory, clock=clock, loop=True)
    frames = [source.read() for _ in range(6)]
    assert [f is not None for f in frames] == [True, True, False, True, True, False]
    assert source.read() is not None
    assert len(opened) == 3
    assert source.state is not SourceState.ENDED


def test_ended_source_says_so() -> None:
    class OneShot(FakeCamera):
        live = False

        def read(self) -> Image | None:
            raise SourceEnded("end of clip")

    source = ResilientSource(lambda: OneShot([]), clock=Clock())
    assert source.read() is None
    assert source.state is SourceState.ENDED
    assert source.retry_in() == float("inf")
