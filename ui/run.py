"""`kiosk run`: the production entry. The UI runs in a child process under a small
supervisor, so a crash comes back in a second or two into the same cart (the checkout
persists the cart on every change); a clean exit (staff left kiosk mode) ends it.

Under systemd, run `kiosk run --no-supervise` with `Restart=on-failure` instead
(deploy/scan-to-buy-kiosk.service): one supervisor is enough.
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QInputDevice
from PySide6.QtWidgets import QApplication

from scanner.config import ScannerConfig
from ui.bootstrap import UiConfig, build_kiosk
from ui.i18n import DEFAULT_LANGUAGE

MAX_BACKOFF_S = 30.0
# A child that ran this long was healthy: the next crash restarts quickly again.
HEALTHY_AFTER_S = 60.0


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


def supervise(
    command: Sequence[str],
    *,
    run: Callable[[Sequence[str]], int] = lambda cmd: subprocess.call(cmd),  # noqa: S603
    sleep: Callable[[float], None] = time.sleep,
    monotonic: Callable[[], float] = time.monotonic,
    log: Callable[[str], None] = lambda text: print(text, file=sys.stderr),
) -> int:
    """Run `command` until it exits with status 0; restart it after a crash, backing off."""
    backoff = 1.0
    while True:
        started = monotonic()
        status = run(command)
        if status == 0:
            return 0
        if monotonic() - started >= HEALTHY_AFTER_S:
            backoff = 1.0
        log(f"kiosk UI exited with status {status}; restarting in {backoff:.0f} s")
        sleep(backoff)
        backoff = min(backoff * 2, MAX_BACKOFF_S)


def child_command(
    home: Path, camera: str | None, printer: str | None, language: str, windowed: bool
) -> list[str]:
    command = [sys.executable, "-m", "ui.run", "--home", str(home), "--lang", language]
    if camera:
        command += ["--camera", camera]
    if printer:
        command += ["--printer", printer]
    if windowed:
        command.append("--windowed")
    return command


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
