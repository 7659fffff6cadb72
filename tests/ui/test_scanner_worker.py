"""The Qt worker with a fake camera yielding recorded frames (rendered barcodes)."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from kiosk.domain.scan import ScanEvent, ScanSource
from scanner.config import ScannerConfig
from scanner.loop import ScannerStats
from scanner.sources import Frame, Image
from scanner.worker import ScannerWorker, preview_image
from simulators.barcodes import render_ean13
from ui.tasks import WorkerThread


class RecordedCamera:
    """Plays frames at 30 fps (paced by the grabber): blanks, a product held, blanks."""

    name = "recorded camera"
    live = False
    fps = 30.0

    def __init__(self) -> None:
        label = render_ean13("6901234567892")
        frame = np.full((480, 640, 3), 120, np.uint8)
        frame[100 : 100 + label.shape[0], 100 : 100 + label.shape[1]] = label[:, :, None]
        blank = np.full((480, 640, 3), 120, np.uint8)
        self._frames = [blank] * 3 + [frame] * 20 + [blank] * 1000
        self._n = 0

    def open(self) -> None:
        return

    def read(self) -> Image | None:
        frame = self._frames[min(self._n, len(self._frames) - 1)].copy()
        frame[0, 0, 0] = self._n % 256  # a live sensor never sends the same picture twice
        self._n += 1
        return frame

    def close(self) -> None:
        return


def test_worker_scans_once_previews_and_stops(qtbot: QtBot) -> None:
    config = ScannerConfig(source="recorded", preview_fps=1000, stats_every_s=0.001)
    worker = ScannerWorker(config, source_factory=RecordedCamera)
    events: list[ScanEvent] = []
    stats: list[ScannerStats] = []
    previews: list[QImage] = []
    # Plain callables run on the emitting (worker) thread; the test polls what they collect.
    worker.code_scanned.connect(events.append)
    worker.stats_updated.connect(stats.append)
    worker.preview_ready.connect(previews.append)
    thread = WorkerThread(worker, "scanner")
    thread.start()
    qtbot.waitUntil(lambda: bool(events) and bool(previews), timeout=10000)
    assert previews[0].width() == 640
    assert not previews[0].isNull()
    qtbot.waitUntil(lambda: len(stats) >= 2 and stats[-1].frames_decoded > 30, timeout=10000)
    assert thread.stop()
    assert not thread.is_running()
    assert [(e.text, e.source) for e in events] == [("6901234567892", ScanSource.CAMERA)]
    assert stats[-1].state == "stopped"
    assert stats[-1].scans == 1


def test_missing_camera_reports_lost_and_stops_cleanly(qtbot: QtBot) -> None:
    worker = ScannerWorker(ScannerConfig(source="97"))
    statuses: list[tuple[str, str]] = []
    worker.source_status_changed.connect(lambda state, text: statuses.append((state, text)))
    thread = WorkerThread(worker, "scanner")
    thread.start()
    qtbot.waitUntil(lambda: bool(statuses), timeout=10000)
    assert statuses[0][0] == "lost"
    assert "camera 97" in statuses[0][1]
    assert thread.stop()
    assert statuses[-1][0] == "stopped"


def test_previews_are_32_bit_whatever_the_camera_sends() -> None:
    # The UI thread paints 32-bit images by copying them; any other format it converts pixel
    # by pixel at every preview frame.
    red_bgr = np.zeros((720, 1280, 3), np.uint8)
    red_bgr[:, :] = (0, 0, 255)
    grey = np.full((480, 640), 200, np.uint8)
    grey_3d = grey.reshape(480, 640, 1)
    blue_bgra = np.zeros((480, 640, 4), np.uint8)
    blue_bgra[:, :] = (255, 0, 0, 255)
    expected = {0: (255, 0, 0), 1: (200, 200, 200), 2: (200, 200, 200), 3: (0, 0, 255)}
    for i, image in enumerate((red_bgr, grey, grey_3d, blue_bgra)):
        preview = preview_image(Frame(image, 0.0, i), 640)
        assert preview.format() is QImage.Format.Format_RGB32
        assert preview.width() == 640
        assert preview.height() == image.shape[0] * 640 // image.shape[1]
        colour = preview.pixelColor(10, 10)
        assert (colour.red(), colour.green(), colour.blue()) == expected[i]
