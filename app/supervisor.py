"""`kiosk run`: the production entry. The UI runs in a child process (`python -m ui.run`)
under this small supervisor, so a crash comes back in a second or two into the same cart
(the checkout persists the cart on every change); a clean exit (staff left kiosk mode)
ends it. The supervisor itself imports no Qt: it only starts and watches the UI process.

Under systemd, run `kiosk run --no-supervise` with `Restart=on-failure` instead
(deploy/scan-to-buy-kiosk.service): one supervisor is enough.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

MAX_BACKOFF_S = 30.0
# A child that ran this long was healthy: the next crash restarts quickly again.
HEALTHY_AFTER_S = 60.0


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
