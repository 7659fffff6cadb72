"""A retail scale on a serial port, spoken to in MT-SICS level 0 through pyserial.

One command at a time: write the command line, read one answer line within the timeout.
Every fault (the port cannot be opened, the cable is pulled, the scale stays silent or
answers nonsense) is a `ScaleError`: the kiosk then sends the shopper to the weighing
counter and never sells a weight it did not read. The answers are parsed by the pure
`kiosk.domain.scale`; `docs/scale.md` describes the protocol.

pyserial was taken because it is what serial-device code in Python uses, and
`serial_for_url` opens a device path, a pseudo-terminal (the simulator) or a
`socket://` bridge alike. The MT-SICS packages on PyPI were not taken: `mettler-toledo-device`
was last released in 2018 and brings its own threaded serial wrapper, `serial-scale-bench`
is a young package for lab bench scales; the kiosk needs four commands, and their answers
parsed by a pure, fuzzed parser in the domain, not a second serial stack.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from types import TracebackType
from typing import Self

import serial

from kiosk.domain.errors import ScaleError
from kiosk.domain.scale import (
    MAX_LINE,
    TERMINATOR,
    Command,
    ScaleReading,
    ZeroResult,
    command_line,
    parse_tare,
    parse_weight,
    parse_zero,
)

_PORT_ERRORS: tuple[type[Exception], ...] = (serial.SerialException, OSError)
if sys.platform != "win32":
    import termios

    # pyserial lets termios' own error through when a pty or USB adapter vanishes.
    _PORT_ERRORS += (termios.error,)
_OPEN_ERRORS: tuple[type[Exception], ...] = (*_PORT_ERRORS, ValueError)
"""pyserial raises ValueError for a setting the port cannot take."""


@dataclass(frozen=True, slots=True)
class SerialSettings:
    """MT-SICS scales leave the factory at 9600 baud, 8 data bits, no parity, 1 stop bit."""

    baudrate: int = 9600
    timeout_s: float = 1.0
    """How long an answer may take; a stable weight is answered at once by `SI`."""


class SerialScale:
    """An open connection to one MT-SICS scale; use it from one thread."""

    def __init__(self, port: str, settings: SerialSettings | None = None) -> None:
        self.port = port
        settings = settings or SerialSettings()
        try:
            self._serial = serial.serial_for_url(
                port,
                baudrate=settings.baudrate,
                bytesize=serial.EIGHTBITS,
                parity=serial.PARITY_NONE,
                stopbits=serial.STOPBITS_ONE,
                timeout=settings.timeout_s,
                write_timeout=settings.timeout_s,
            )
        except _OPEN_ERRORS as exc:
            raise ScaleError(f"cannot open the scale on {port}: {exc}") from exc

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._serial.close()

    def weight(self) -> ScaleReading:
        """What is on the scale now, stable or still moving."""
        return parse_weight(self._ask(Command.WEIGHT_NOW))

    def zero(self) -> ZeroResult:
        """Set a new zero (and clear the tare): only possible on a near-empty platform."""
        return parse_zero(self._ask(Command.ZERO))

    def tare(self) -> int | None:
        """Tare what is on the platform; its weight in grams, or None if refused."""
        return parse_tare(self._ask(Command.TARE))

    def _ask(self, command: Command) -> str:
        try:
            self._serial.reset_input_buffer()  # a late answer to an earlier command
            self._serial.write(command_line(command))
            self._serial.flush()
            raw = self._serial.read_until(TERMINATOR.encode("ascii"), MAX_LINE + 1)
        except _PORT_ERRORS as exc:
            raise ScaleError(f"the scale on {self.port} went away: {exc}") from exc
        if not raw.endswith(TERMINATOR.encode("ascii")):
            raise ScaleError(
                f"the scale on {self.port} did not answer {command.value!r} in time"
                + (f" (got {raw!r})" if raw else "")
            )
        return raw.decode("ascii", errors="replace")
