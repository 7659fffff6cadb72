"""A guard against a reference-counting bug of shiboken6 6.12 on Python 3.11.

Measured here: every call of a Qt method that returns nothing (`update()`, `processEvents()`,
`QTimer.start()`, ...) drops one reference to `None` that it never took, and some paths do
the same to `True`/`False`. From Python 3.12 on these objects are immortal and this is
harmless; on 3.11 a count reaches zero after some thousands of calls (a running kiosk makes
that many in seconds) and the interpreter aborts ("Fatal Python error: none_dealloc").
Until the lock moves to a fixed PySide6 or to Python 3.12, this tops the counts up to a
level no run can use up in days, and re-checks them from a timer. It changes nothing on an
unaffected interpreter.
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject, QTimer

AFFECTED = sys.version_info < (3, 12)
# Far above anything real code holds, far below where a signed 64-bit count overflows.
_CEILING = 1 << 40
_FLOOR = 1 << 39


def top_up_none() -> None:
    """Raise the reference counts of None, True and False back up if they fell low."""
    if not AFFECTED:
        return
    for singleton in (None, True, False):
        count = sys.getrefcount(singleton)
        if count < _FLOOR:
            # ob_refcnt is the first field of every object in CPython 3.11.
            ctypes.c_ssize_t.from_address(id(singleton)).value += _CEILING - count


class NoneGuard(QObject):
    """Tops the counts up now and every `every_ms` (a minute by default)."""

    def __init__(self, every_ms: int = 60_000) -> None:
        super().__init__()
        top_up_none()
        self._timer = QTimer(self)
        self._timer.setInterval(every_ms)
        self._timer.timeout.connect(top_up_none)
        self._timer.start()
