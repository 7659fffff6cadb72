"""Keyboard-wedge scanners: tell a scanner's burst of keystrokes from a person typing. Pure.

A USB scanner types a whole code in a few milliseconds and usually ends it with Enter; people
type tens of milliseconds apart. The UI feeds every key (with its event timestamp) into a
`WedgeDetector`, holds the keys back while a burst may be under way, and gets back either a
`ScanEvent` (source WEDGE) or the held keys to deliver to the focused widget as typed text.
The UI calls `poll` from a short timer so a burst without Enter, or a lone typed key, is
settled after `timeout_s`.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.domain.scan import ScanEvent, ScanSource, Symbology
from scanner.symbols import (
    EAN_UPC,
    GS1_AIM_IDS,
    canonical_ean_upc,
    split_aim,
    symbology_from_aim,
)

ENTER_KEYS = frozenset({"\r", "\n"})
# AIM "]E0" covers EAN-13, UPC-A and UPC-E alike; the length tells them apart ("]E4" is EAN-8).
_EAN_BY_LENGTH = {12: Symbology.UPCA, 13: Symbology.EAN13}
_SHORT = 8


@dataclass(frozen=True, slots=True)
class TypedText:
    """Keys that were a person typing: deliver them to the focused widget, in order."""

    text: str
    enter: bool = False
    """The Enter that ended them, to be delivered too."""


@dataclass(frozen=True, slots=True)
class RejectedBurst:
    """A scanner burst that is not a trustworthy code (a wrong check digit): drop, beep."""

    text: str
    reason: str


WedgeOutput = ScanEvent | TypedText | RejectedBurst


class WedgeDetector:
    """Splits key events into scanner bursts and typing.

    Args:
        max_gap_s: keys closer than this belong to one burst (scanners: under 10 ms).
        min_length: a burst shorter than this is typing (no retail code is shorter).
        timeout_s: a burst with no key for this long is finished (scanners without Enter).
    """

    def __init__(
        self, *, max_gap_s: float = 0.035, min_length: int = 6, timeout_s: float = 0.08
    ) -> None:
        if max_gap_s <= 0 or timeout_s < max_gap_s or min_length < 1:
            raise ValueError("wedge timings must be positive, timeout at least the gap")
        self._max_gap_s = max_gap_s
        self._min_length = min_length
        self._timeout_s = timeout_s
        self._keys: list[str] = []
        self._first_at = 0.0
        self._last_at = 0.0
        self._burst = True

    @property
    def holding(self) -> bool:
        """Whether keys are held back, waiting to be settled."""
        return bool(self._keys)

    def key(self, text: str, at: float) -> list[WedgeOutput]:
        """Feed one key's text (one character, or Enter as "\\r"/"\\n") pressed at `at`."""
        out: list[WedgeOutput] = []
        if self._keys and at - self._last_at > self._max_gap_s:
            out.extend(self._settle(enter=False))
        if text in ENTER_KEYS:
            if self._keys:
                out.extend(self._settle(enter=True))
            else:
                out.append(TypedText("", enter=True))
            return out
        if not self._keys:
            self._first_at = at
            self._burst = True
        elif at - self._last_at > self._max_gap_s:
            self._burst = False
        self._keys.append(text)
        self._last_at = at
        return out

    def poll(self, at: float) -> list[WedgeOutput]:
        """Settle held keys once nothing came for `timeout_s`; call from a timer."""
        if self._keys and at - self._last_at >= self._timeout_s:
            return self._settle(enter=False)
        return []

    def _settle(self, *, enter: bool) -> list[WedgeOutput]:
        text = "".join(self._keys)
        at = self._last_at
        burst = self._burst and len(text) >= self._min_length
        self._keys = []
        if not burst:
            return [TypedText(text, enter=enter)]
        return [_scan(text, at)]


def _scan(raw: str, at: float) -> ScanEvent | RejectedBurst:
    aim_id, body = split_aim(raw)
    symbology = symbology_from_aim(aim_id) if aim_id else Symbology.UNKNOWN
    if symbology in EAN_UPC:
        guess = _EAN_BY_LENGTH.get(len(body), symbology)
        if len(body) == _SHORT and symbology is Symbology.EAN13:
            guess = Symbology.UPCE
        canonical = canonical_ean_upc(body, guess)
        if canonical is None:
            return RejectedBurst(raw, "check digit")
        body, symbology = canonical
    gs1 = aim_id in GS1_AIM_IDS
    return ScanEvent(
        text=body, symbology=symbology, source=ScanSource.WEDGE, at=at, gs1=gs1, aim_id=aim_id
    )
