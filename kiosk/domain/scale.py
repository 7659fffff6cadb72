"""What the kiosk's scale reports, and how its protocol says it: Mettler Toledo's MT-SICS
(Standard Interface Command Set), level 0, the commands every MT-SICS scale and balance
answers. Pure: the serial driver (`scale.serial_scale`) sends the commands and hands each
answer line here; `docs/scale.md` gives the protocol with its sources.

A command is one upper-case line ended by CR LF; so is its answer:

    SI  -> "S S      0.125 kg"   stable net weight (S D: still moving)
           "S +" / "S -"         over capacity / under zero
           "S I"                 the scale cannot answer now (busy, e.g. zeroing)
    Z   -> "Z A"                 zeroed (the tare is cleared with it)
           "Z +" / "Z -"         out of the zero range (something is on the platform)
           "Z I"                 busy
    T   -> "T S      0.020 kg"   tared: the tare weight (T + / T -: out of tare range)
    any -> "ES" / "ET" / "EL"    syntax, transmission or logical error

Weights become whole grams, truncated toward zero: a retail scale's division is a gram or
more, and a fraction left over is never charged to the shopper.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from kiosk.domain.errors import ScaleError

TERMINATOR = "\r\n"
MAX_LINE = 64
"""No MT-SICS level-0 answer is longer; more is noise on the line, not an answer."""


class Command(enum.StrEnum):
    WEIGHT_NOW = "SI"
    """The net weight at once, stable or not (S S / S D): the live weight on screen."""
    ZERO = "Z"
    TARE = "T"
    RESET = "@"


class ScaleState(enum.StrEnum):
    STABLE = "stable"
    MOVING = "moving"
    """The weight is still changing: "hold still"."""
    OVER_CAPACITY = "over_capacity"
    UNDER_ZERO = "under_zero"
    BUSY = "busy"
    """The scale could not weigh just now (zeroing, taring): ask again."""


@dataclass(frozen=True, slots=True)
class ScaleReading:
    """One answer to "what is on the scale?". `grams` is the net weight (None when the
    scale gave no weight: over capacity, under zero, busy)."""

    state: ScaleState
    grams: int | None = None

    @property
    def sellable(self) -> bool:
        """A weight the kiosk may sell: stable, and something is on the scale."""
        return self.state is ScaleState.STABLE and self.grams is not None and self.grams > 0


class ZeroResult(enum.StrEnum):
    DONE = "done"
    OUT_OF_RANGE = "out_of_range"
    """Too much (or too little) on the platform to call it zero: it is not empty."""
    BUSY = "busy"


_GRAMS_PER_UNIT = {"g": 1, "kg": 1000}
_VALUE = re.compile(r"-?[0-9]{1,9}(?:\.[0-9]{1,6})?")
_ERRORS = {
    "ES": "the scale did not understand the command",
    "ET": "the scale received a garbled command",
    "EL": "the scale cannot carry out the command",
}


def command_line(command: Command) -> bytes:
    return (command.value + TERMINATOR).encode("ascii")


def _tokens(line: str, ident: str) -> list[str]:
    if len(line) > MAX_LINE:
        raise ScaleError(f"an answer of {len(line)} characters is not MT-SICS")
    text = line.removesuffix(TERMINATOR)
    if not text.isascii() or not text.isprintable():
        raise ScaleError(f"unreadable answer from the scale: {line!r}")
    tokens = text.split()
    if tokens and tokens[0] in _ERRORS:
        raise ScaleError(f"{_ERRORS[tokens[0]]}: {text!r}")
    if len(tokens) < 2 or tokens[0] != ident:
        raise ScaleError(f"expected an answer to {ident!r}, got {text!r}")
    return tokens


def grams_of(value: str, unit: str) -> int:
    """MT-SICS weight text in `g` or `kg` as whole grams, truncated toward zero."""
    if not _VALUE.fullmatch(value):
        raise ScaleError(f"{value!r} is not a weight")
    factor = _GRAMS_PER_UNIT.get(unit)
    if factor is None:
        raise ScaleError(f"the scale weighs in {unit!r}: set it to g or kg")
    negative = value.startswith("-")
    whole, _, fraction = value.lstrip("-").partition(".")
    scaled: int = int(whole + fraction) * factor // 10 ** len(fraction)
    return -scaled if negative else scaled


def _weight(tokens: list[str]) -> int:
    if len(tokens) != 4:
        raise ScaleError(f"a weight answer has a value and a unit: {' '.join(tokens)!r}")
    return grams_of(tokens[2], tokens[3])


def parse_weight(line: str) -> ScaleReading:
    """The answer to `SI` (or `S`)."""
    tokens = _tokens(line, "S")
    status = tokens[1]
    if status in ("S", "D"):
        state = ScaleState.STABLE if status == "S" else ScaleState.MOVING
        return ScaleReading(state, _weight(tokens))
    if len(tokens) != 2:
        raise ScaleError(f"unexpected weight answer {line!r}")
    states = {"+": ScaleState.OVER_CAPACITY, "-": ScaleState.UNDER_ZERO, "I": ScaleState.BUSY}
    if status not in states:
        raise ScaleError(f"unknown weight status {status!r}")
    return ScaleReading(states[status])


def parse_zero(line: str) -> ZeroResult:
    """The answer to `Z`."""
    tokens = _tokens(line, "Z")
    results = {
        "A": ZeroResult.DONE,
        "+": ZeroResult.OUT_OF_RANGE,
        "-": ZeroResult.OUT_OF_RANGE,
        "I": ZeroResult.BUSY,
    }
    if len(tokens) != 2 or tokens[1] not in results:
        raise ScaleError(f"unexpected zero answer {line!r}")
    return results[tokens[1]]


def parse_tare(line: str) -> int | None:
    """The answer to `T`: the tare weight in grams, or None when the scale refused
    (out of its tare range, or busy)."""
    tokens = _tokens(line, "T")
    if tokens[1] == "S":
        return _weight(tokens)
    if len(tokens) != 2 or tokens[1] not in ("+", "-", "I"):
        raise ScaleError(f"unexpected tare answer {line!r}")
    return None


def weight_text(grams: int) -> str:
    """`grams` as MT-SICS shows kilograms: right-aligned in 10 characters, 3 decimals."""
    sign = "-" if grams < 0 else ""
    kg, rest = divmod(abs(grams), 1000)
    return f"{sign}{kg}.{rest:03d}".rjust(10)


def weight_answer(reading: ScaleReading) -> str:
    """The answer line a scale sends for `reading` (the simulator speaks with this)."""
    if reading.grams is not None and reading.state in (ScaleState.STABLE, ScaleState.MOVING):
        status = "S" if reading.state is ScaleState.STABLE else "D"
        return f"S {status} {weight_text(reading.grams)} kg{TERMINATOR}"
    sign = {
        ScaleState.OVER_CAPACITY: "+",
        ScaleState.UNDER_ZERO: "-",
        ScaleState.BUSY: "I",
    }.get(reading.state)
    if sign is None:
        raise ScaleError(f"a {reading.state} reading carries a weight")
    return f"S {sign}{TERMINATOR}"
