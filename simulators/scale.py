"""An MT-SICS retail scale on a pseudo-terminal, for the tests and the demo (Linux, macOS).

`ScaleSimulator().port` is a real tty path: the kiosk opens it with pyserial exactly as it
opens `/dev/ttyUSB0`, and the simulator answers `SI`, `S`, `Z`, `T` and `@` as a scale
does (`docs/scale.md`). A test or the demo scripts what happens on the platform:

    with ScaleSimulator() as scale:
        scale.place(1250)    # the next answers are "S D" (moving), then "S S 1.250 kg"
        scale.place(20_000)  # over capacity: "S +"
        scale.remove()
        scale.silent = True  # answers nothing: the kiosk's timeout

`python -m simulators.scale` prints the port and takes the same actions from stdin
(`place 1250`, `remove`, `silent`, `talk`, `quit`), to try a kiosk by hand.
"""

from __future__ import annotations

import contextlib
import os
import select
import sys
import threading
import tty
from types import TracebackType
from typing import Self

from kiosk.domain.scale import TERMINATOR, ScaleReading, ScaleState, weight_answer, weight_text

CAPACITY_G = 15_000
"""A typical retail scale: 15 kg."""
ZERO_RANGE_G = 300
"""The zero key works within ±2 % of capacity, as on scales of this class."""
UNDERLOAD_G = 200
"""Below zero by more than this, the scale says "S -" instead of a weight."""
WOBBLE_G = (7, -4, 2)
"""How far a moving reading is off the final weight, answer by answer."""


class ScaleSimulator:
    """A scale answering on a pty from its own thread; the script methods are thread-safe."""

    def __init__(self, *, settle_answers: int = 3, capacity_g: int = CAPACITY_G) -> None:
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)
        self.port = os.ttyname(self._slave)
        self.settle_answers = settle_answers
        """How many weight answers are "moving" after something changes on the platform."""
        self.capacity_g = capacity_g
        self.silent = False
        """Answer nothing (a hung scale, a cable that carries no data)."""
        self.commands: list[str] = []
        """Every command received, in order (the tests read what the kiosk asked)."""
        self._lock = threading.Lock()
        self._load_g = 0
        self._zero_g = 0
        self._tare_g = 0
        self._moving = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="scale-simulator", daemon=True)
        self._thread.start()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # ------------------------------------------------------------- the script
    def place(self, grams: int) -> None:
        """Put goods weighing `grams` (in all) on the platform; they settle after a while."""
        with self._lock:
            self._load_g = grams
            self._moving = self.settle_answers

    def remove(self) -> None:
        self.place(0)

    def unplug(self) -> None:
        """Pull the cable: the kiosk's port reads nothing and writes into the void."""
        self.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        for fd in (self._master, self._slave):
            with contextlib.suppress(OSError):  # already closed by an earlier unplug
                os.close(fd)

    # ------------------------------------------------------------- the scale
    def _serve(self) -> None:
        pending = b""
        while not self._stop.is_set():
            ready, _, _ = select.select([self._master], [], [], 0.05)
            if not ready:
                continue
            try:
                pending += os.read(self._master, 256)
            except OSError:
                return
            *lines, pending = pending.split(b"\n")
            for line in lines:
                command = line.rstrip(b"\r").decode("ascii", errors="replace")
                self.commands.append(command)
                answer = self._answer(command)
                if answer and not self.silent:
                    os.write(self._master, answer.encode("ascii"))

    def _answer(self, command: str) -> str:
        with self._lock:
            if command in ("SI", "S"):
                return weight_answer(self._reading(stable_only=command == "S"))
            if command == "Z":
                gross = self._load_g - self._zero_g
                if abs(gross) > ZERO_RANGE_G:
                    return f"Z {'+' if gross > 0 else '-'}{TERMINATOR}"
                self._zero_g, self._tare_g = self._load_g, 0
                return f"Z A{TERMINATOR}"
            if command == "T":
                gross = self._load_g - self._zero_g
                if not 0 <= gross <= self.capacity_g or self._moving:
                    return f"T I{TERMINATOR}" if self._moving else f"T +{TERMINATOR}"
                self._tare_g = gross
                return f"T S {weight_text(gross)} kg{TERMINATOR}"
            if command == "@":
                self._tare_g = 0
                return f'I4 A "SIM00001"{TERMINATOR}'
            return f"ES{TERMINATOR}"

    def _reading(self, *, stable_only: bool) -> ScaleReading:
        gross = self._load_g - self._zero_g
        if gross > self.capacity_g:
            return ScaleReading(ScaleState.OVER_CAPACITY)
        if gross < -UNDERLOAD_G:
            return ScaleReading(ScaleState.UNDER_ZERO)
        net = gross - self._tare_g
        if self._moving:
            wobble = WOBBLE_G[(self.settle_answers - self._moving) % len(WOBBLE_G)]
            self._moving -= 1
            if stable_only:
                return ScaleReading(ScaleState.BUSY)  # "S" waits for stability: not yet
            return ScaleReading(ScaleState.MOVING, net + wobble)
        return ScaleReading(ScaleState.STABLE, net)


def main() -> None:
    """The simulator on a pty, driven from stdin; the port is the first line printed."""
    with ScaleSimulator() as scale:
        print(scale.port, flush=True)
        for line in sys.stdin:
            action, _, value = line.strip().partition(" ")
            if action == "place":
                scale.place(int(value))
            elif action == "remove":
                scale.remove()
            elif action in ("silent", "talk"):
                scale.silent = action == "silent"
            elif action == "quit":
                break


if __name__ == "__main__":
    main()
