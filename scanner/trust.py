"""When a camera read becomes a scan: confirmation and debounce, pure, on the frames' clock.

A code in view is a *presence*. It becomes one ScanEvent once confirmed (a second frame, or a
second decoder agreeing in one frame, as the config says); staying in view adds nothing;
leaving view (no sighting for `leave_after_s`) and coming back adds another, as does, if
configured, holding it for `repeat_after_s`. Time comes only from the `at` passed in, so the
same rules run on live frames, recorded video and tests alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kiosk.domain.scan import ScanEvent, ScanSource
from scanner.config import ConfirmRule
from scanner.decode import Read


@dataclass(slots=True)
class _Presence:
    first_at: float
    last_at: float
    frames: int
    emitted_at: float | None


class Debouncer:
    """Turns per-frame reads into ScanEvents: one per product shown.

    Args:
        confirm: what confirms a read (see `ConfirmRule`).
        confirm_frames: frames that must see a code under `FRAMES`/`EITHER`.
        leave_after_s: a code unseen this long has left view.
        repeat_after_s: a code held in view this long after its scan adds another; None never.
        source: the ScanSource stamped on events.
    """

    def __init__(
        self,
        *,
        confirm: ConfirmRule = ConfirmRule.EITHER,
        confirm_frames: int = 2,
        leave_after_s: float = 1.0,
        repeat_after_s: float | None = None,
        source: ScanSource = ScanSource.CAMERA,
    ) -> None:
        self._confirm = confirm
        self._confirm_frames = confirm_frames
        self._leave_after_s = leave_after_s
        self._repeat_after_s = repeat_after_s
        self._source = source
        self._present: dict[tuple[str, str], _Presence] = {}

    def feed(self, reads: Iterable[Read], at: float) -> list[ScanEvent]:
        """Take one frame's reads (taken at `at`) and return the scans they complete."""
        self._forget_left(at)
        events: list[ScanEvent] = []
        seen: set[tuple[str, str]] = set()
        for read in reads:
            key = (read.text, read.symbology.value)
            if key in seen:
                continue
            seen.add(key)
            presence = self._present.get(key)
            if presence is None:
                presence = _Presence(first_at=at, last_at=at, frames=0, emitted_at=None)
                self._present[key] = presence
            presence.frames += 1
            presence.last_at = at
            if self._due(presence, read, at):
                presence.emitted_at = at
                events.append(
                    ScanEvent(
                        text=read.text,
                        symbology=read.symbology,
                        source=self._source,
                        at=at,
                        gs1=read.gs1,
                        aim_id=read.aim_id,
                    )
                )
        return events

    def reset(self) -> None:
        """Forget everything in view (a new sale, a source that was reopened)."""
        self._present.clear()

    def _forget_left(self, at: float) -> None:
        gone = [k for k, p in self._present.items() if at - p.last_at > self._leave_after_s]
        for key in gone:
            del self._present[key]

    def _due(self, presence: _Presence, read: Read, at: float) -> bool:
        if presence.emitted_at is not None:
            repeat = self._repeat_after_s
            return repeat is not None and at - presence.emitted_at >= repeat
        if self._confirm is ConfirmRule.NONE:
            return True
        if max(presence.frames, read.frames) >= self._confirm_frames:
            return True
        # "zbar+zxing": both decoders read the same text in one frame.
        return self._confirm is ConfirmRule.EITHER and "+" in read.decoder
