"""The kiosk UI process: `python -m ui.run --home DIR`, started by `kiosk run`
(`app.supervisor` restarts it after a crash, into the same cart).
"""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QInputDevice
from PySide6.QtWidgets import QApplication

from scanner.config import ScannerConfig
from ui.bootstrap import UiConfig, build_kiosk
from ui.i18n import DEFAULT_LANGUAGE


def quit_on_signals(app: QCoreApplication) -> None:
    """Ctrl+C or SIGTERM end the event loop cleanly (shutdown runs, the cart is saved).

    Python only sees a signal when it runs, so a timer wakes it up twice a second."""
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: app.quit())
    wake = QTimer(app)
    wake.timeout.connect(lambda: None)
    wake.start(500)


def has_touch_screen() -> bool:
    return any(
        device.type() == QInputDevice.DeviceType.TouchScreen for device in QInputDevice.devices()
    )


def run_kiosk(
    home: Path, camera: str | None, printer: str | None, language: str, windowed: bool
) -> int:
    """The kiosk window until staff leave kiosk mode; returns the process exit status."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    config = UiConfig(
        home=home,
        scanner=ScannerConfig(source=camera) if camera else None,
        kiosk_mode=not windowed,
        hide_cursor=has_touch_screen(),
        language=language,
        printer=printer,
    )
    kiosk = build_kiosk(config)
    quit_on_signals(app)
    if windowed:
        kiosk.window.show()
    kiosk.start()
    try:
        return app.exec()
    finally:
        kiosk.shutdown()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="The kiosk UI process (see `kiosk run`).")
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--camera", default=None)
    parser.add_argument("--printer", default=None)
    parser.add_argument("--lang", default=DEFAULT_LANGUAGE)
    parser.add_argument("--windowed", action="store_true")
    args = parser.parse_args(argv)
    return run_kiosk(args.home, args.camera, args.printer, args.lang, args.windowed)


if __name__ == "__main__":
    sys.exit(main())
