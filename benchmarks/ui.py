"""UI-thread stalls while scanning continuously: `python -m benchmarks.ui [--seconds N] [--quick]`.

The real kiosk as a shop runs it (offscreen): the scanner worker on its thread decoding a
recorded 30 fps camera that shows a new catalog product every half second, previews painted
at the scanner's preview rate, every scan going through the checkout on the core thread
(pricing, SQLite write of the cart) and back to the cart model on the UI thread. A 5 ms
timer on the UI thread measures how late the event loop runs; each scan is timed from the
decoder's signal to the cart model showing it, and the checkout and cart write inside it.

Also home of the recorded camera the benchmark and the UI tests share.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np
from PySide6.QtCore import QElapsedTimer, QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QApplication

from demo.store import seed_demo_store
from kiosk.domain.codes import display_gtin
from kiosk.services.session import Timings
from scanner.config import ConfirmRule, ScannerConfig
from scanner.errors import SourceEnded
from scanner.sources import Image
from scanner.worker import ScannerWorker
from simulators.barcodes import render_ean13
from ui.bootstrap import ASSETS, UiConfig, build_kiosk
from ui.sounds import SilentPlayer

_TICK_MS = 5
T = TypeVar("T")


def recorded_frames(
    codes: list[str], frames_each: int = 8, gap: int = 6, *, busy: bool = False
) -> list[Image]:
    """Frames a camera would record: each product's label held up, then nothing.

    `busy`: 1280x720 frames with a striped shirt in view the whole time, bars no decoder
    reads, so that the decoder's search of such a place (`search_budget_ms`) runs between
    products, as it would in front of a shopper in stripes.
    """
    height, width = (720, 1280) if busy else (480, 640)
    blank = np.full((height, width, 3), 110, np.uint8)
    if busy:
        stripes = np.where((np.arange(360) // 5) % 2 == 0, 30, 220).astype(np.uint8)
        blank[200:520, 40:400] = stripes[None, :, None]
    frames: list[Image] = []
    for code in codes:
        label = render_ean13(code, module_px=3, bar_height_px=140)
        frame = blank.copy()
        h, w = label.shape
        top, left = (height - h) // 2, (width - w) // 2 + (200 if busy else 0)
        frame[top : top + h, left : left + w] = label[:, :, None]
        frames += [frame] * frames_each + [blank] * gap
    return frames


class RecordedSource:
    """A `FrameSource` playing recorded frames once, like a video file."""

    def __init__(self, frames: list[Image], fps: float = 30.0) -> None:
        self._frames = frames
        self._fps = fps
        self._next = 0

    @property
    def name(self) -> str:
        return "recorded"

    @property
    def live(self) -> bool:
        return False

    @property
    def fps(self) -> float | None:
        return self._fps

    def open(self) -> None:
        self._next = 0

    def read(self) -> Image | None:
        if self._next >= len(self._frames):
            raise SourceEnded("end of the recording")
        frame = self._frames[self._next]
        self._next += 1
        return frame

    def close(self) -> None:
        """Nothing to release."""


def _timed(fn: Callable[..., T], times: list[float]) -> Callable[..., T]:
    def timed(*args: object) -> T:
        started = time.perf_counter()
        try:
            return fn(*args)
        finally:
            times.append((time.perf_counter() - started) * 1000)

    return timed


def _ms(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run(
    seconds: float, out: Callable[[str], None] = print, *, busy: bool = False
) -> dict[str, float]:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        demo = seed_demo_store(home, ASSETS)
        per_product = 14  # frames: 8 in view + 6 gap, at 30 fps
        count = max(1, int(seconds * 30 / per_product))
        codes = [display_gtin(p.gtin) for p in demo.fixed[:count]]
        frames = recorded_frames(codes, busy=busy)
        config = ScannerConfig(source="recorded", confirm=ConfirmRule.FRAMES, fps=30.0)
        kiosk = build_kiosk(
            UiConfig(home=home, scanner=config, sounds=False, sync=False,
                     timings=Timings(idle_s=3600, still_there_s=3600, done_s=3600)),
            sounds=SilentPlayer(),
            source_factory=lambda: RecordedSource(frames),
        )  # fmt: skip
        session, core = kiosk.session, kiosk.session.core
        assert kiosk.scanner is not None
        worker = kiosk.scanner.worker
        assert isinstance(worker, ScannerWorker)
        # On the core thread: the checkout's scan, and the SQLite write inside it.
        checkout_ms: list[float] = []
        save_ms: list[float] = []
        core.store.carts.save = _timed(core.store.carts.save, save_ms)  # type: ignore[method-assign]
        core.checkout.scan = _timed(core.checkout.scan, checkout_ms)  # type: ignore[method-assign]
        # From the decoder's signal (on its thread) to the cart model showing the scan.
        decoded: list[float] = []
        scan_ms: list[float] = []
        worker.code_scanned.connect(
            lambda _event: decoded.append(time.perf_counter()), Qt.ConnectionType.DirectConnection
        )
        session.cart_changed.connect(
            lambda _state: (
                scan_ms.append((time.perf_counter() - decoded[len(scan_ms)]) * 1000)
                if len(decoded) > len(scan_ms)
                else None
            )
        )
        lags: list[float] = []
        clock = QElapsedTimer()
        ticker = QTimer()
        ticker.setTimerType(Qt.TimerType.PreciseTimer)
        ticker.setInterval(_TICK_MS)

        def tick() -> None:
            lags.append(max(0.0, clock.nsecsElapsed() / 1e6 - _TICK_MS))
            clock.restart()

        ticker.timeout.connect(tick)
        kiosk.window.show()
        # The window's first paint (every widget polished and drawn once) is start-up, not
        # scanning: it is done before the clock starts.
        app.processEvents()
        load_before = os.getloadavg()[0]
        kiosk.start()
        clock.start()
        ticker.start()
        started = time.perf_counter()
        loop = QEventLoop()
        worker.finished.connect(loop.quit, Qt.ConnectionType.QueuedConnection)
        loop.exec()
        elapsed = time.perf_counter() - started
        app.processEvents()
        ticker.stop()
        stats = kiosk.health.stats
        lines = len(session.state.cart.lines)
        kiosk.shutdown()
    figures = {
        "seconds": elapsed,
        "frames": float(stats.frames_captured if stats else 0),
        "capture_fps": stats.capture_fps if stats else 0.0,
        "decode_ms_median": stats.decode_ms_median if stats else 0.0,
        "dropped": float(stats.frames_dropped if stats else 0),
        "scans": float(len(scan_ms)),
        "lines": float(lines),
        "stall_max": max(lags, default=0.0),
        "stall_max_at": lags.index(max(lags)) * _TICK_MS / 1000 if lags else 0.0,
        "stalls_over_16": float(sum(1 for lag in lags if lag > 16.0)),
        "ticks": float(len(lags)),
        "first_scan": scan_ms[0] if scan_ms else 0.0,
        "checkout_median": statistics.median(checkout_ms) if checkout_ms else 0.0,
        "checkout_max": max(checkout_ms, default=0.0),
        "load_before": load_before,
        "load_after": os.getloadavg()[0],
        "stall_p99": _ms(lags, 0.99),
        "stall_median": statistics.median(lags) if lags else 0.0,
        "scan_median": statistics.median(scan_ms) if scan_ms else 0.0,
        "scan_max": max(scan_ms, default=0.0),
        "save_median": statistics.median(save_ms) if save_ms else 0.0,
        "save_max": max(save_ms, default=0.0),
    }
    out(f"UI thread while scanning at 30 fps ({figures['seconds']:.1f} s, "
        f"{figures['frames']:.0f} frames, {figures['scans']:.0f} scans, "
        f"{figures['lines']:.0f} cart lines):")  # fmt: skip
    out("| what | median | p99 | max |")
    out("|---|---|---|---|")
    out(f"| event-loop lateness (5 ms timer) | {figures['stall_median']:.2f} ms | "
        f"{figures['stall_p99']:.2f} ms | {figures['stall_max']:.2f} ms |")  # fmt: skip
    out(f"| scan: decoded to cart model updated | {figures['scan_median']:.2f} ms"
        f" | {_ms(scan_ms, 0.99):.2f} ms | {figures['scan_max']:.2f} ms |")  # fmt: skip
    out(f"| checkout scan on the core thread (pricing + cart write) | "
        f"{figures['checkout_median']:.2f} ms | {_ms(checkout_ms, 0.99):.2f} ms | "
        f"{figures['checkout_max']:.2f} ms |")  # fmt: skip
    out(f"| cart write (SQLite, WAL, synchronous=FULL) | {figures['save_median']:.2f} ms | "
        f"{_ms(save_ms, 0.99):.2f} ms | {figures['save_max']:.2f} ms |")  # fmt: skip
    out(f"longest stall about {figures['stall_max_at']:.1f} s into the run; "
        f"stalls over 16 ms: {figures['stalls_over_16']:.0f} of {figures['ticks']:.0f} ticks; "
        f"first scan (attract to scanning screen) {figures['first_scan']:.1f} ms; "
        f"load average {figures['load_before']:.2f} before, {figures['load_after']:.2f} after, "
        f"on {os.cpu_count()} CPUs")  # fmt: skip
    out(
        f"scanner: capture {figures['capture_fps']:.1f} fps, decode median "
        f"{figures['decode_ms_median']:.1f} ms, {figures['dropped']:.0f} frames dropped"
    )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--quick", action="store_true", help="5 seconds, for a smoke run.")
    parser.add_argument(
        "--busy", action="store_true", help="720p frames with a striped shirt always in view."
    )
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # the same figures with no display
    run(5.0 if args.quick else args.seconds, busy=args.busy)


if __name__ == "__main__":
    main()
