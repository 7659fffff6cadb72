"""Confirmation across frames: a camera gives many looks at one product; use them.

The decoder's in-frame vote needs two agreeing attempts and a clear margin inside one
frame's budget. On a 720p frame of a moving, blurred product the budget often runs out with
one read in hand, and that read used to be dropped, frame after frame, though each frame
shows the same code. `FrameVote` keeps those unsettled reads for a short window and trusts a
text once two frames read it, each time as the only text of its place.

The wrong-read guard stays: a text is never confirmed while another EAN/UPC text was read
anywhere in the window (one product is held up at a time; a rival means a misread somewhere,
and a second look is cheaper than a wrong product in the cart), the kinds of misread one
decoder repeats from frame to frame need the other decoder too (`_one_decoder_suffices`),
and the decoder's own vote still settles everything it can on its own.
"""

from __future__ import annotations

import dataclasses
from collections import deque

from kiosk.domain.scan import Symbology
from scanner.decode import ZXING, Box, DecodeResult, Guide, Read, place_of
from scanner.symbols import EAN_UPC, looks_like_stripes

WINDOW_S = 0.5
"""How far back a read may confirm one: a product held up is in view longer than this."""
_FRAMES_TO_CONFIRM = 2
SEARCH_BACKOFF_S = 0.1
"""After a search in vain no frame searches for this long: long enough that a striped shirt
in view does not cost a search on every frame, short enough that a product held still gets
its next thorough look soon. At 30 fps the next search is the third or fourth frame after,
as the timestamps round (on the benchmark's exact ones: frames 0, 3, 6, 10, 13, 17, ...);
a steady three or four frames read fewer codes early (docs/scanner.md, eleventh round)."""
SPARE_S = 0.3
"""A place searched in vain is passed over for this long: the next search looks at the next
patch of bars (a code held up beside a striped shirt is searched after the shirt, not never),
and comes back to it after the others."""


MATRIX_EVERY = 2
"""A stream's whole-frame look for QR and DataMatrix runs on one frame in this many (see
`Guide.matrix`): a code held up stays in view for many frames, and on a plain background
the matrix pass is the dearest part of a 720p frame's first pass (DataMatrix's finder
most), which the EAN/UPC reads of the frames between need more."""

_ZBAR_ALONE_FRAMES = 3
_ZBAR_ALONE_STEPS = 2
"""zbar's reads alone confirm on this many frames, read by this many different attempts
(first pass, darkened, equalised, ...): zbar repeats a blurred EAN-13's misread frame after
frame when it scans the same kind of copy each time, and on the presentation benchmark such
a misread came back on three frames with no rival in between (`upca-4/13`, first pass only).
A different binarisation agreeing is evidence the same scan repeated is not."""


def _one_decoder_suffices(
    read: Read, decoders: frozenset[str], frames: int, steps: frozenset[str]
) -> bool:
    """Whether one decoder's reads may confirm `read` without the other's.

    On the presentation benchmark every wrong first read that two frames alone confirmed was
    one of three kinds: zbar reading a UPC-E inside a longer code (a UPC-E is the weakest
    EAN/UPC: six digits, 51 modules, its check digit hidden in parity; zxing-cpp also wants
    its quiet zones), zbar repeating a blurred EAN's misread, and a stripe pattern behind the
    product read as a code (`looks_like_stripes`). zxing-cpp's own reads already need two
    agreeing scan lines each.
    """
    if looks_like_stripes(read.text, read.symbology):
        return False
    if decoders == {ZXING}:
        return True
    return (
        read.symbology is not Symbology.UPCE
        and frames >= _ZBAR_ALONE_FRAMES
        and len(steps) >= _ZBAR_ALONE_STEPS
    )


@dataclasses.dataclass(frozen=True, slots=True)
class _Look:
    at: float
    texts: dict[str, frozenset[str]]
    """Every EAN/UPC text of the frame, settled or not, with the decoders that read it."""
    steps: dict[str, frozenset[str]]
    """The same texts with the decode attempts that read them."""
    place: Box | None
    """Where the frame's EAN/UPC reads were."""
    kinds: dict[str, frozenset[Symbology]]
    """The same texts with the symbologies they were read as."""


class FrameVote:
    """Adds cross-frame confirmations to each frame's trusted reads. Pure: time is `at`.

    Feed every decoded frame in order (`feed`); `reset` when the source restarts.
    """

    def __init__(self, window_s: float = WINDOW_S) -> None:
        self._window_s = window_s
        self._looks: deque[_Look] = deque()
        self._searched: deque[tuple[Box, float]] = deque()
        self._fed = 0

    def reset(self) -> None:
        self._looks.clear()
        self._searched.clear()
        self._fed = 0

    def guide(self, at: float) -> Guide:
        """What the decoder should know about the frame taken at `at` (`Guide`).

        QR and DataMatrix are looked for on every other frame (`MATRIX_EVERY`); no search
        runs within `SEARCH_BACKOFF_S` of one in vain, and places searched in vain within
        `SPARE_S` are passed over.
        """
        while self._searched and at - self._searched[0][1] >= SPARE_S:
            self._searched.popleft()
        return Guide(
            self.hint(),
            tuple(box for box, _ in self._searched),
            matrix=self._fed % MATRIX_EVERY == 0,
            search=not self._searched or at - self._searched[-1][1] >= SEARCH_BACKOFF_S,
            expect=self._expect(at),
        )

    def _expect(self, at: float) -> tuple[str, Symbology] | None:
        """The code a zxing-cpp read of which confirms, on the frame at `at`, if the frame
        reads nothing else (`Guide.expect`).

        The window must hold it alone, read as one symbology and not as stripes: `feed` then
        confirms it on a lone zxing-cpp read, whichever decoder read it before.
        """
        looks = [look for look in self._looks if at - look.at <= self._window_s]
        seen = {text for look in looks for text in look.texts}
        if len(seen) != 1:
            return None
        (text,) = seen
        kinds = frozenset().union(*(look.kinds[text] for look in looks if text in look.kinds))
        if len(kinds) != 1:
            return None  # an 8-digit text read as EAN-8 and as UPC-E: let the frame look
        (kind,) = kinds
        return None if looks_like_stripes(text, kind) else (text, kind)

    def hint(self) -> Box | None:
        """Where the newest frame in the window saw an EAN/UPC code: look there first."""
        return next((look.place for look in reversed(self._looks) if look.place), None)

    def feed(self, result: DecodeResult, at: float) -> tuple[Read, ...]:
        """The frame's trusted reads and the EAN/UPC texts the window now confirms.

        An EAN/UPC read by both decoders in this frame passes at once; one read by a single
        decoder, settled or not, passes once the window holds it on two frames with no rival
        text, read by both decoders between them or by one that suffices for it
        (`_one_decoder_suffices`).
        """
        self._fed += 1
        while self._looks and at - self._looks[0].at > self._window_s:
            self._looks.popleft()
        if result.searched is not None:
            self._searched.append((result.searched, at))
        lone = {place[0].text: place[0] for place in result.unsettled if len(place) == 1}
        # An in-frame winner read by one decoder is held to the same rule: two such wins of
        # zxing-cpp reading a striped background as a UPC-A were a wrong first read.
        passed = []
        for read in result.reads:
            if read.symbology in EAN_UPC and "+" not in read.decoder:
                lone.setdefault(read.text, read)
            else:
                passed.append(read)
        ean_upc = [r for place in result.unsettled for r in place]
        ean_upc += [r for r in result.reads if r.symbology in EAN_UPC]
        texts: dict[str, frozenset[str]] = {}
        attempts: dict[str, frozenset[str]] = {}
        kinds: dict[str, frozenset[Symbology]] = {}
        for r in ean_upc:
            texts[r.text] = texts.get(r.text, frozenset()) | frozenset(r.decoder.split("+"))
            attempts[r.text] = attempts.get(r.text, frozenset()) | r.steps
            kinds[r.text] = kinds.get(r.text, frozenset()) | {r.symbology}
        self._looks.append(_Look(at, texts, attempts, place_of(ean_upc), kinds))
        seen = {text for earlier in self._looks for text in earlier.texts}
        confirmed = []
        for text, read in lone.items():
            if seen != {text}:
                continue  # a rival in the window: wait for the in-frame vote
            looks = [earlier for earlier in self._looks if text in earlier.texts]
            if len(looks) < _FRAMES_TO_CONFIRM:
                continue
            decoders = frozenset().union(*(look.texts[text] for look in looks))
            steps = frozenset().union(*(look.steps[text] for look in looks))
            if len(decoders) > 1 or _one_decoder_suffices(read, decoders, len(looks), steps):
                confirmed.append(dataclasses.replace(read, frames=len(looks)))
        return (*passed, *confirmed)
