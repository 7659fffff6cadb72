"""The decode pipeline: one frame in, the trusted codes in it out. Pure apart from the clock.

Two decoders run where each pays off (measured on the shared corpus of real photos):
zxing-cpp reads everything in the retail set and is the only one for DataMatrix and by far
the better one for QR, DataBar and Code 128; zbar is stronger on EAN/UPC. EAN/UPC is also
where both make confident mistakes (a valid check digit does not catch a misread half),
so an EAN/UPC read is accepted only after a vote: the region it came from is decoded again
at a second scale and with the other decoder, and the text must win clearly, with the other
decoder agreeing or with several attempts and no dissent. Other symbologies carry
Reed-Solomon or stronger checksums, so zxing-cpp's read stands on its own.

Retries (region of interest at 2x, CLAHE, Otsu threshold, whole frame at full resolution
or 2x for small frames) run cheapest first and stop at the per-frame time budget.
"""

from __future__ import annotations

import functools
import math
import time
from collections.abc import Callable, Iterable, Sequence
from ctypes import c_void_p, cast
from dataclasses import dataclass
from typing import Literal

import cv2
import numpy as np
import numpy.typing as npt
import zxingcpp
from pyzbar import pyzbar
from pyzbar.pyzbar import ZBarSymbol
from pyzbar.wrapper import (
    ZBarConfig,
    zbar_image_scanner_set_config,
    zbar_image_set_data,
    zbar_image_set_format,
    zbar_image_set_size,
    zbar_scan_image,
)

from kiosk.domain.scan import Symbology
from scanner.errors import FrameError
from scanner.symbols import (
    EAN_UPC,
    GS1_AIM_IDS,
    RETAIL,
    canonical_ean_upc,
    default_aim_id,
    gtin_key,
)

Image = npt.NDArray[np.uint8]
Corners = tuple[tuple[int, int], ...]
Box = tuple[int, int, int, int]
_Step = tuple[float, Callable[[], None]]
Axes = Literal["rows", "columns", "both"]

ZXING = "zxing"
ZBAR = "zbar"

_FMT = zxingcpp.BarcodeFormat
_ZXING_FORMATS: dict[Symbology, tuple[zxingcpp.BarcodeFormat, ...]] = {
    Symbology.EAN13: (_FMT.EAN13,),
    Symbology.EAN8: (_FMT.EAN8,),
    Symbology.UPCA: (_FMT.UPCA,),
    Symbology.UPCE: (_FMT.UPCE,),
    Symbology.CODE128: (_FMT.Code128,),
    Symbology.QR: (_FMT.QRCode,),
    Symbology.DATAMATRIX: (_FMT.DataMatrix,),
    Symbology.DATABAR: (_FMT.DataBar, _FMT.DataBarOmni, _FMT.DataBarStk, _FMT.DataBarStkOmni),
    Symbology.DATABAR_EXPANDED: (_FMT.DataBarExp, _FMT.DataBarExpStk),
    Symbology.DATABAR_LIMITED: (_FMT.DataBarLtd,),
}
_MATRIX = frozenset({Symbology.QR, Symbology.DATAMATRIX})
_ZBAR_SYMBOLS = {
    Symbology.EAN13: ZBarSymbol.EAN13,
    Symbology.EAN8: ZBarSymbol.EAN8,
    Symbology.UPCA: ZBarSymbol.UPCA,
    Symbology.UPCE: ZBarSymbol.UPCE,
}
_ZBAR_TYPES = {
    "EAN13": Symbology.EAN13,
    "EAN8": Symbology.EAN8,
    "UPCA": Symbology.UPCA,
    "UPCE": Symbology.UPCE,
}

MAX_SIDE = 4096
"""Larger frames are shrunk first: no retail code needs more, and decode time grows with area."""
_ZBAR_FIRST_SIDE = 960
"""zbar's first look at a larger frame is at half size: it costs a quarter and still finds
the code; the region is then read again at full size."""
_SMALL_FRAME_PIXELS = 300_000
"""Whole-frame 2x retries only for frames below VGA (cropped photos): on camera frames they
cost more than a frame's budget."""
_ROI_MAX_SIDE = 900
_UPSCALED_PIXELS = 450_000
_MIN_VOTES = 2
_MARGIN = 2
"""The winning text must have this many more votes than any rival in its region."""
_VETO_VOTES = 2
"""A rival text read by this many attempts makes the region ambiguous: no read, however
many votes the leader has (blur that widens bars gives a misread that repeats)."""
_LONE_DECODER_VOTES = {ZBAR: 3, ZXING: 2}
"""Without the other decoder agreeing, this many attempts must agree and none dissent.
zxing-cpp reports a linear code only once two of its scan lines agree (its `minLineCount`)
and its lone repeated reads held no misread on the corpus without a dissenting read; zbar's
did (two of its attempts agreeing on a misread, nothing else read)."""
_DOMINANCE = 2
"""A rival read twice does not veto a leader with this many times its votes that both
decoders read, when only one decoder read the rival: a misread one decoder repeats across
preprocessings is that decoder's own bias, which the other one does not share."""
_LINE_DOMINANCE = 4
"""zbar's evidence: a leader read on this many times more of zbar's scan lines than any rival
zbar read (summed over attempts) wins without the margin, veto and lone-decoder rules, as
long as it has two votes and more than any rival. A blurred misread is typically confirmed
on a few lines; the true code on most lines that cross it."""
_REPLACEMENT = "\ufffd"
_MIN_ROWS = 16
"""Frames fewer rows high than this (a scan line) get rows repeated: decoders need a few."""
_ROI_PAD = 0.5
"""A region on a camera frame reaches this much of the code's length beyond its reported
corners: zbar's polygon may span only the middle of a blurred code."""
_HINT_PAD = 0.5
"""A hinted place reaches this much of the code's length beyond where it was last seen."""
_FLAT_ASPECT = 1.5
"""A code's box this many times wider than high lies flat enough for zxing-cpp's rows alone."""
_LOCATE_SIDE = 640
_LOCATE_PIXELS = 640 * 360
"""The locator works on a copy at most this large (a 720p frame's size at 640 px): a 640x480
photo is looked at 0.87 times its size."""
_LOCATE_ENERGY = 4_000.0
"""Mean squared Sobel response over a 7x7 window: bars of contrast ~20 levels and more."""
_LOCATE_COHERENCE = 0.6
_LOCATE_MIN_AREA = 300
"""In pixels of the reduced (<= 640 px) copy: about a 40x8 px code there."""
_ANGLE_BINS = 18
_LOCATE_ALIGNED = 0.6
"""Share of the strong edge pixels around a patch within 10 degrees either side of its main
direction."""
_SECTORS = 6
"""The locator looks at edges in this many directions, 30 degrees apart, each with those
within 30 degrees of it."""
_ACROSS_LENGTH = 13
"""In pixels of the reduced copy: a patch must be this deep across its bars (a box's side
is about 9: the Sobel and the 7x7 window; the smallest code the locator finds, 40)."""
_CLOSE_KERNEL = np.ones((11, 11), np.uint8)
_PATCH_PAD = 0.5
"""A located patch is grown by this share of its length each side across its bars: the quiet
zones, and bars that glare or blur left out of it. A quarter (tried with the sixth round's
locator, before its first closing across the bars) read five clips fewer on the presentation
benchmark's `zxing-cpp/` half on a textured background, as many on a plain one."""
_PATCH_PAD_ALONG = 0.15
"""… and by this share along its bars, where only their tips can be missing: grown by half
that way too, a search's region was often most of the frame (673x905 pixels around a
444x228 code), and every step of the search paid for it (tenth round, `docs/scanner.md`)."""
_AXIS_SIDE = 160
_AXIS_COHERENCE = 0.3
_AXIS_TILT = 30.0
"""A region whose bars lean at most this many degrees from upright is scanned by zbar along
rows only (from lying, along columns only): a scan line that runs along the bars crosses too
few of them to read an EAN, so it only costs time. Between, zbar scans both."""
_CORROBORATE_PIXELS = 400_000
"""A camera frame's place read by one decoder is read by the other, budget or not, up to
this size (a product held up fills 30-55% of a 720p frame's width; its code far less)."""
_SAME_PLACE_IOU = 0.5
"""Bars located this much over a place searched in vain are taken for the same thing."""
_LADDER = (
    "roi-zbar-dark-2x",
    "roi-zxing-dark",
    "roi-zxing-clahe",
    "roi-zxing-flat",
    "roi-zbar-clahe-2x",
    "roi-zxing-1.5x",
    "roi-zbar-clahe",
    "roi-zbar-otsu",
    "roi-zxing-clahe-1.5x",
)
"""A region's re-decodes after zbar's full-size look (`Decoder._ladder`), most useful first."""
_SEARCH_LADDER = (
    "roi-zxing-dark",
    "roi-zxing-clahe",
    "roi-zxing-flat",
    "roi-zxing-1.5x",
    "roi-zxing-clahe-1.5x",
    "roi-zbar-dark-2x",
    "roi-zbar-clahe-2x",
    "roi-zbar-otsu",
)
"""The search's re-decodes: zxing-cpp's cheap steps first, none of zbar's full-size looks."""
_NS_PER_PIXEL = {ZXING: 8.0, ZBAR: 25.0}
"""Rough decode cost, used to skip a retry that would overrun the frame's budget."""


@dataclass(frozen=True, slots=True)
class Read:
    """One trusted code in a frame.

    `position` is the code's corners in frame pixels; `decoder` names the decoders that read
    it ("zxing", "zbar" or "zbar+zxing"); `votes` is how many decode attempts agreed;
    `at` is the frame's timestamp.
    """

    text: str
    symbology: Symbology
    gs1: bool
    aim_id: str | None
    position: Corners
    decoder: str
    votes: int
    at: float
    frames: int = 1
    """How many frames' reads stand behind it (see scanner.video.FrameVote)."""
    steps: frozenset[str] = frozenset()
    """EAN/UPC only: the decode attempts (first pass, ladder steps) that read it."""


@dataclass(frozen=True, slots=True)
class DecodeResult:
    """What one frame gave: the trusted reads, the time spent and what was tried."""

    reads: tuple[Read, ...]
    ms: float
    attempts: tuple[str, ...]
    rejected: int
    """Candidate texts that lost a vote or failed a check: a sign of a hard frame."""
    unsettled: tuple[tuple[Read, ...], ...] = ()
    """EAN/UPC places whose vote this frame did not settle: every text read there (with its
    votes). Not trusted alone; a video pipeline may confirm one with the next frames."""
    searched: Box | None = None
    """Camera streams: the place with bars this frame searched past its budget and read
    nothing in. A video pipeline passes it back (`Guide.searched`, `Guide.search`) so that
    a static pattern (a striped shirt) is not searched on every frame, and the next search
    looks at the next patch of bars."""


@dataclass(frozen=True, slots=True)
class Guide:
    """What a camera stream's last frames tell the decoder about the next one.

    `scanner.video.FrameVote.guide` carries it from frame to frame; a still image gets the
    default (no hint, nothing spared, every symbology).
    """

    hint: Box | None = None
    """Where the last frames saw an EAN/UPC code (frame pixels): on a camera frame that
    place is decoded first, and the whole frame only if nothing is read there."""
    searched: tuple[Box, ...] = ()
    """Places recent frames searched in vain (`DecodeResult.searched`): the locator passes
    over bars found there again for the next patch of bars, if any."""
    search: bool = True
    """Whether a camera frame with bars but no read may be searched (`Decoder(stream=)`):
    not again within a few frames of a search in vain."""
    matrix: bool = True
    """Whether the whole-frame passes look for QR and DataMatrix on this frame. A stream
    looks on every other frame: a phone's QR stays in view for many frames, and the pass
    costs a 720p frame 5-9 ms that the EAN/UPC reads of the frames between need more."""
    expect: tuple[str, Symbology] | None = None
    """The EAN/UPC code (text and symbology) the last frames read, alone, that a zxing-cpp
    read on this frame confirms if nothing else is read (`scanner.video.FrameVote`): once
    zxing-cpp has read it and no other code was read, the frame needs no more looks."""


@dataclass(frozen=True, slots=True)
class _View:
    """A derived image and how its pixels map back to the frame: frame = offset + p / scale."""

    image: Image
    scale: float
    offset: tuple[int, int]

    def to_frame(self, x: float, y: float) -> tuple[int, int]:
        return (
            round(self.offset[0] + x / self.scale),
            round(self.offset[1] + y / self.scale),
        )


@dataclass(frozen=True, slots=True)
class _Candidate:
    key: str
    text: str
    symbology: Symbology
    gs1: bool
    aim_id: str | None
    corners: Corners
    family: str
    attempt: str
    lines: int = 0
    """zbar only: how many of its scan lines read this text in this attempt (its `quality`),
    counted at full density (a scan of every other line counts double)."""

    @property
    def box(self) -> tuple[int, int, int, int]:
        xs = [c[0] for c in self.corners]
        ys = [c[1] for c in self.corners]
        return min(xs), min(ys), max(xs), max(ys)


def to_gray(frame: object) -> Image:
    """A frame as an 8-bit grayscale image; FrameError for anything no decoder can take."""
    if not isinstance(frame, np.ndarray):
        raise FrameError(f"a frame must be a numpy image, got {type(frame).__name__}")
    if frame.dtype != np.uint8:
        raise FrameError(f"a frame must be 8-bit, got {frame.dtype}")
    if frame.size == 0 or frame.ndim not in (2, 3) or min(frame.shape[:2]) < 1:
        raise FrameError(f"a frame of shape {frame.shape} holds no image")
    if frame.ndim == 2:
        gray = frame
    elif frame.shape[2] == 1:
        gray = frame[:, :, 0]
    elif frame.shape[2] == 3:
        gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
    elif frame.shape[2] == 4:
        gray = cv2.cvtColor(frame, cv2.COLOR_BGRA2GRAY)
    else:
        raise FrameError(f"a frame with {frame.shape[2]} channels is not an image")
    return np.ascontiguousarray(gray)


def _upscale(pixels: int) -> float:
    """Up to 2x, but not beyond _UPSCALED_PIXELS: larger images have modules enough."""
    return min(2.0, max(1.0, math.sqrt(_UPSCALED_PIXELS / pixels)))


def _resized(view: _View, factor: float) -> _View:
    h, w = view.image.shape
    size = (max(1, round(w * factor)), max(1, round(h * factor)))
    interpolation = cv2.INTER_AREA if factor < 1 else cv2.INTER_CUBIC
    image = cv2.resize(view.image, size, interpolation=interpolation)
    return _View(np.asarray(image, dtype=np.uint8), view.scale * factor, view.offset)


def _clahe(view: _View) -> _View:
    clahe = cv2.createCLAHE(clipLimit=2.0, tileGridSize=(8, 8))
    return _View(np.asarray(clahe.apply(view.image), dtype=np.uint8), view.scale, view.offset)


def _otsu(view: _View) -> _View:
    _, binary = cv2.threshold(view.image, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    return _View(np.asarray(binary, dtype=np.uint8), view.scale, view.offset)


_GAMMA_2 = np.clip((np.arange(256) / 255.0) ** 2 * 255, 0, 255).astype(np.uint8)


def _darkened(view: _View) -> _View:
    """Gamma 2: thins the light gaps that blur and glare widen, so blurred bars separate."""
    return _View(np.asarray(cv2.LUT(view.image, _GAMMA_2), dtype=np.uint8), view.scale, view.offset)


def _flattened(view: _View) -> _View:
    """Divided by its own large-scale blur: removes shading, glare and gradients of light."""
    h, w = view.image.shape
    sigma = max(4.0, max(h, w) / 20)
    image = view.image.astype(np.float32)
    # The blur is wide: take it on an eighth-size copy (a large-sigma blur costs ~40 ms
    # on a 720p region), then bring it back to size.
    shrink = 8 if min(h, w) >= 64 else 1
    small = cv2.resize(
        image, (max(1, w // shrink), max(1, h // shrink)), interpolation=cv2.INTER_AREA
    )
    blurred = cv2.GaussianBlur(small, (0, 0), sigma / shrink)
    background = cv2.resize(blurred, (w, h), interpolation=cv2.INTER_LINEAR)
    ratio = image / (background + 1.0)
    low, high = float(ratio.min()), float(ratio.max())
    flat = (ratio - low) * (255.0 / max(high - low, 1e-6))
    return _View(np.asarray(flat, dtype=np.uint8), view.scale, view.offset)


def _padded_thin(view: _View) -> _View:
    """Rows repeated above and below a frame only a few pixels high (a single scan line)."""
    pad = (_MIN_ROWS - view.image.shape[0] + 1) // 2
    image = cv2.copyMakeBorder(view.image, pad, pad, 0, 0, cv2.BORDER_REPLICATE)
    offset = (view.offset[0], round(view.offset[1] - pad / view.scale))
    return _View(np.asarray(image, dtype=np.uint8), view.scale, offset)


def _barcode_region(view: _View, avoid: Sequence[Box] = ()) -> _View | None:
    """The largest patch of strong, parallel edges (a linear code's bars), or None.

    Structure tensor on a reduced copy: bars give high gradient energy all in one direction
    (coherence near 1); text, texture and noise give weaker or mixed directions. The strong
    edges are split by direction (`_SECTORS`) and each share is opened with a line across
    its bars: a code is many edges deep across its bars, the side of a box or a shelf's edge
    one or two, and a code held up beside a striped shirt or a shelf no longer merges with
    them into one patch of many directions in which no direction holds. A few milliseconds
    on a 720p frame, less with little in view.

    Patches over a place in `avoid` (frame pixels; places searched in vain) are passed over
    for the next largest.
    """
    h, w = view.image.shape
    factor = min(1.0, _LOCATE_SIDE / max(h, w), math.sqrt(_LOCATE_PIXELS / (h * w)))
    small = view.image if factor == 1 else cv2.resize(
        view.image, (max(1, round(w * factor)), max(1, round(h * factor))),
        interpolation=cv2.INTER_AREA,
    )  # fmt: skip
    f = small.astype(np.float32)
    gx = cv2.Sobel(f, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(f, cv2.CV_32F, 0, 1, ksize=3)
    k = (7, 7)
    jxx = cv2.boxFilter(cv2.multiply(gx, gx), -1, k)
    jyy = cv2.boxFilter(cv2.multiply(gy, gy), -1, k)
    jxy = cv2.boxFilter(cv2.multiply(gx, gy), -1, k)
    energy = cv2.add(jxx, jyy)
    # Coherence (|anisotropy| / energy) > threshold, without dividing: the locator runs on
    # every camera frame where the first pass found nothing, so it must stay cheap.
    spread = cv2.subtract(jxx, jyy)
    twice_xy = jxy * 2
    anisotropy = cv2.magnitude(spread, twice_xy)
    strong = (energy > _LOCATE_ENERGY) & (anisotropy > _LOCATE_COHERENCE * (energy + 1e-6))
    if np.count_nonzero(strong) < _LOCATE_MIN_AREA:
        return None
    # The gradient's direction in [0, 180) degrees (cv2.phase gives twice it) in bins of
    # 15, turned by two bins so that each sector, the bins within 30 degrees of its own
    # direction, is one range: a pixel is in two sectors, and a code's bars, whatever their
    # angle, lie whole in one of them.
    turn = cv2.phase(spread, twice_xy, angleInDegrees=True)
    fine = cv2.convertScaleAbs(turn, alpha=_FINE_BINS / 360, beta=2 - 0.5)  # floor, +2 bins
    fine = cv2.LUT(fine, _WRAP_BINS)
    edges = strong.view(np.uint8)
    patches: list[tuple[float, Sequence[int]]] = []
    for index in range(_SECTORS):
        turned = cv2.bitwise_and(cv2.inRange(fine, 2 * index, 2 * index + 3), edges)
        if cv2.countNonZero(turned) < _LOCATE_MIN_AREA:
            continue
        # Across the bars: first fill the gaps inside bars wider than the tensor's window
        # (a large code's), then drop what is not that deep (an edge).
        mask = cv2.morphologyEx(turned, cv2.MORPH_CLOSE, _ACROSS_BARS[index])
        mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, _ACROSS_BARS[index])
        mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, _CLOSE_KERNEL)
        # Outer contours: a tenth of what labelling the pixels costs on a 640 px copy.
        contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        areas = ((cv2.contourArea(c), c) for c in contours)
        patches += [(a, cv2.boundingRect(c)) for a, c in areas if a >= _LOCATE_MIN_AREA]
    for _, (x, y, bw, bh) in sorted(patches, reverse=True):
        inside = strong[y : y + bh, x : x + bw]
        bins = (turn[y : y + bh, x : x + bw][inside] * (_ANGLE_BINS / 360)).astype(np.intp)
        hist = np.bincount(bins % _ANGLE_BINS, minlength=_ANGLE_BINS)
        peak = int(np.argmax(hist))
        pad_x, pad_y = _patch_pads(max(bw, bh), (peak + 0.5) * 180 / _ANGLE_BINS)
        x0, y0 = max(0, int((x - pad_x) / factor)), max(0, int((y - pad_y) / factor))
        x1 = min(w, int((x + bw + pad_x) / factor) + 1)
        y1 = min(h, int((y + bh + pad_y) / factor) + 1)
        place = (*view.to_frame(x0, y0), *view.to_frame(x1, y1))
        if any(_iou(place, spared) >= _SAME_PLACE_IOU for spared in avoid):
            continue
        # Bars share one direction across the whole patch; a patch that closing merged with
        # text, print and edges around it does not (counted per pixel, so one long strong
        # edge does not outweigh the bars next to it).
        near = sum(int(hist[(peak + d) % _ANGLE_BINS]) for d in (-1, 0, 1))
        if near >= _LOCATE_ALIGNED * bins.size:
            crop = np.ascontiguousarray(view.image[y0:y1, x0:x1])
            return _View(crop, view.scale, view.to_frame(x0, y0))
    return None


def _patch_pads(length: int, across: float) -> tuple[float, float]:
    """How far a located patch `length` pixels long is grown each side (x, y), its bars
    crossed at `across` degrees (the gradient's direction; 0: bars upright)."""
    wide, narrow = _PATCH_PAD * length + 4, _PATCH_PAD_ALONG * length + 4
    turn = math.radians(across)
    return (
        narrow + (wide - narrow) * abs(math.cos(turn)),
        narrow + (wide - narrow) * abs(math.sin(turn)),
    )


def _line_across(degrees: float, length: int = _ACROSS_LENGTH) -> npt.NDArray[np.uint8]:
    """A one-pixel line of `length` pixels at `degrees` (image axes: y down)."""
    kernel = np.zeros((length, length), np.uint8)
    c = length // 2
    dx, dy = c * math.cos(math.radians(degrees)), c * math.sin(math.radians(degrees))
    cv2.line(kernel, (round(c - dx), round(c - dy)), (round(c + dx), round(c + dy)), 1, 1)
    return kernel


_ACROSS_BARS = tuple(_line_across(i * 180 / _SECTORS) for i in range(_SECTORS))
_FINE_BINS = 2 * _SECTORS
_WRAP_BINS = np.array([b % _FINE_BINS for b in range(256)], np.uint8)


class Decoder:
    """Decodes frames; holds only settings, so one instance may serve any number of frames.

    Args:
        symbologies: the codes to look for (the retail set by default).
        time_budget_ms: retries stop once a frame has used this much; the first pass
            (both decoders over the whole frame) always runs.
        clock: seconds, monotonic; injected so tests can pin the budget.
        stream: frames come from a camera stream. A camera-sized frame where the first pass
            reads nothing and the bar locator finds no bars is left there: the next frame
            comes a frame period later. One with bars in view is searched (global-threshold
            retry, the EAN/UPC ladder at the bars) for up to `search_budget_ms`.
        search_budget_ms: streams only: the budget of such a search, counted like
            `time_budget_ms` from the frame's start (default: the same). On the
            presentation benchmark a product whose code the first pass misses is mostly
            still and in focus by then: one thorough look at it reads more codes within
            the second than the several frames' shallow looks it costs (docs/scanner.md).
    """

    def __init__(
        self,
        symbologies: Iterable[Symbology] = RETAIL,
        *,
        time_budget_ms: float = 30.0,
        clock: Callable[[], float] = time.perf_counter,
        stream: bool = False,
        search_budget_ms: float | None = None,
    ) -> None:
        self._stream = stream
        self._symbologies = frozenset(symbologies) & RETAIL
        self._budget_s = time_budget_ms / 1000
        self._search_budget_s = (
            self._budget_s if search_budget_ms is None else search_budget_ms / 1000
        )
        self._clock = clock
        self._zxing_all = [f for s in self._symbologies for f in _ZXING_FORMATS[s]]
        self._zxing_linear = [f for s in self._symbologies & EAN_UPC for f in _ZXING_FORMATS[s]]
        self._zxing_2d = [f for s in self._symbologies & _MATRIX for f in _ZXING_FORMATS[s]]
        self._zxing_1d = [f for f in self._zxing_all if f not in self._zxing_2d]
        self._zbar_symbols = [_ZBAR_SYMBOLS[s] for s in self._symbologies & EAN_UPC]

    def __call__(
        self,
        frame: object,
        *,
        at: float = 0.0,
        guide: Guide = Guide(),
    ) -> DecodeResult:
        """Decode one frame (BGR, BGRA or grayscale, 8-bit); `at` is stamped on its reads.

        `guide` is what the stream's last frames tell about this one (`Guide`; a still
        image has none).
        """
        hint, searched = guide.hint, guide.searched
        start = self._clock()
        gray = to_gray(frame)
        view = _View(gray, 1.0, (0, 0))
        if max(gray.shape) > MAX_SIDE:
            view = _resized(view, MAX_SIDE / max(gray.shape))
        if view.image.shape[0] < _MIN_ROWS:
            view = _padded_thin(view)
        # A small frame (a close-up or a crop) is mostly the code: its bars' direction spares
        # the scans that run along them. It is also re-read whole: the decoders' reported
        # corners often cover only part of a blurred code.
        small = view.image.size <= _SMALL_FRAME_PIXELS
        axes: Axes = _bar_axes(view.image) if small else "both"
        run = _Run(self, start, matrix=guide.matrix)
        zbar_at_full = False
        place_box: Box | None = None
        half_looked = False  # the whole frame's half-size look ran, turned scan included
        if hint is not None and not small and self._zbar_symbols:
            # The product moves little between frames: its last place, grown by the code's
            # length (and the slide of a hand), costs a fraction of the whole frame.
            place_box = _grown(hint, _HINT_PAD)
            place = _crop(view, place_box)
            # A code last read along the rows has rarely turned a quarter since: the look
            # spares the 90-degree scan, about two thirds of its cost (a turned code is
            # still read below).
            turn = not _lying_flat(hint)
            run.zxing(place, "hint-zxing", self._zxing_linear, rotate=turn, invert=False)
            if not run.candidates and guide.expect is not None:
                # The code the window expects may still be smeared, as when a half-size look
                # first read it: that look now, before any zbar, confirms it a few
                # milliseconds after the frame. Over the whole frame, as in step 2: a crop
                # of it binarises the code's edges without their surroundings and misses
                # codes the whole frame reads, for a fraction of a millisecond saved.
                self._zxing_half(run, view, rotate=turn)
                half_looked = turn
            if not _expected(run.candidates, guide.expect):
                run.zbar(place, "hint-zbar")
                zbar_at_full = True  # over the crop; the whole frame's first look resets it
            if not _read_at(run.candidates, place_box) and max(view.image.shape) > _ZBAR_FIRST_SIDE:
                # A blurred code large in the frame reads at half size, as the first look
                # read it, and not at full size: look there at that scale before the whole
                # frame is read again (a quarter of the crop's pixels).
                run.zbar(_resized(place, 0.5), "hint-zbar-half")
        # A code the half-size look read elsewhere does not stand for the place: the place's
        # looks and the whole frame's run as they did before that look came first.
        if not _read_at(run.candidates, place_box):
            self._zxing_whole(run, view, "zxing", small=small, rotate=axes != "rows")
            # A small frame is mostly one code: when zxing-cpp read it and it is not EAN/UPC
            # (its checksum stands alone), zbar, which reads only EAN/UPC here, has nothing
            # to add, and skipping it makes such a photo cost what zxing-cpp alone does.
            others_only = bool(run.candidates) and all(
                c.symbology not in EAN_UPC for c in run.candidates
            )
            if not (small and others_only) and not _expected(run.candidates, guide.expect):
                first_zbar = view
                if max(view.image.shape) > _ZBAR_FIRST_SIDE:
                    first_zbar = _resized(view, 0.5)
                run.zbar(first_zbar, "zbar", axes=axes)
                zbar_at_full = first_zbar is view
        if not run.candidates and self._stream and not small and not half_looked:
            self._zxing_half(run, view, rotate=True)
        bars: _View | None = None
        searching: Box | None = None
        if not run.candidates:
            if not small and self._zbar_symbols and (guide.search or not self._stream):
                # zbar reads a camera frame at full size only where something looks like
                # bars (in the ladder below): a frame with nothing in view stays cheap.
                bars = _barcode_region(view, avoid=searched if self._stream else ())
            if self._stream and not small and bars is not None:
                searching = _box_of(bars)
                run.budget_s = self._search_budget_s
            if small or not self._stream or searching is not None:
                self._retry_whole(run, view, rotate=axes != "rows")
        regions: list[tuple[_View, list[_Candidate]]] = [
            (view if small else _roi(view, region), list(region))
            for region in _regions([c for c in run.candidates if c.symbology in EAN_UPC])
        ]
        if not run.candidates and self._zbar_symbols:
            # Nothing read: search the place that looks like bars with the EAN/UPC ladder.
            found = view if small else bars
            if found is not None:
                regions.append((found, []))
                zbar_at_full = zbar_at_full or small
        reads, unsettled, rejected = self._vote(
            run,
            view,
            regions,
            zbar_at_full=zbar_at_full,
            search=searching is not None,
            expect=guide.expect,
            at=at,
        )
        others = self._others(run, at)
        ms = (self._clock() - start) * 1000
        in_vain = searching if not (reads or unsettled or others) else None
        return DecodeResult(
            (*reads, *others), ms, tuple(run.attempts), rejected, tuple(unsettled), in_vain
        )

    def _retry_whole(self, run: _Run, view: _View, *, rotate: bool) -> None:
        # zxing-cpp's local-average binarizer loses codes whose quiet zone meets a flat
        # mid-grey surface; a global threshold reads them.
        small = view.image.size <= _SMALL_FRAME_PIXELS
        steps: list[Callable[[], None]] = [
            lambda: self._zxing_whole(
                run,
                view,
                "zxing-fixed",
                zxingcpp.Binarizer.FixedThreshold,
                small=small,
                rotate=rotate,
            )
        ]
        # On camera-sized frames (mostly empty: nothing in view) a 2x copy costs more than
        # it finds; on small crops it pays. EAN/UPC retries are the region ladder's job.
        if small:
            # Up to 2x, but not beyond _UPSCALED_PIXELS (as in the ladder): a 480x480 photo
            # has modules enough at 1.4x, for half the cost of 2x.
            factor = _upscale(view.image.size)
            if factor > 1.0:
                steps.append(
                    lambda: run.zxing(
                        _resized(view, factor), "zxing-2x", self._zxing_all, rotate=rotate
                    )
                )
        for step in steps:
            if run.candidates or run.over_budget():
                return
            step()

    def _zxing_half(self, run: _Run, view: _View, *, rotate: bool) -> None:
        """zxing-cpp's EAN/UPC look at the whole camera frame at half size.

        A product still coming to rest is smeared: at half size its bars are sharper, and
        zxing-cpp's own downscaling goes to a third, which loses the modules. A millisecond
        on a 720p frame.
        """
        if self._zxing_linear:
            run.zxing(
                _resized(view, 0.5), "zxing-half", self._zxing_linear, rotate=rotate, invert=False
            )

    def _zxing_whole(
        self,
        run: _Run,
        view: _View,
        name: str,
        binarizer: zxingcpp.Binarizer = zxingcpp.Binarizer.LocalAverage,
        *,
        small: bool,
        rotate: bool,
    ) -> None:
        """zxing-cpp over the whole frame, every configured symbology.

        On a camera frame the matrix codes get a pass of their own without the 90-degree
        turn: their detectors find a symbol at any angle, so turning the frame only repeated
        their work (about 11 of the 31 ms a textured 720p frame cost). A small frame keeps
        one pass: it is cheap, and the vote counts one attempt.
        """
        if small:
            run.zxing(view, name, self._zxing_all, binarizer, rotate=rotate)
            return
        run.zxing(view, name, self._zxing_1d, binarizer, rotate=rotate)
        if run.matrix:
            run.zxing(view, f"{name}-2d", self._zxing_2d, binarizer, rotate=False)

    def _vote(
        self,
        run: _Run,
        view: _View,
        regions: Sequence[tuple[_View, list[_Candidate]]],
        *,
        zbar_at_full: bool,
        search: bool,
        expect: tuple[str, Symbology] | None,
        at: float,
    ) -> tuple[list[Read], list[tuple[Read, ...]], int]:
        # The last frames read this code alone, and it is all this frame read: the window
        # confirms it (`Guide.expect`), and more looks would only delay it. A rival read
        # anywhere in the frame sends every place through the vote as before.
        if _expected([c for _, found in regions for c in found], expect):
            return [], [_tallied(found, at) for _, found in regions], 0
        accepted: list[Read] = []
        unsettled: list[tuple[Read, ...]] = []
        rejected = 0
        for roi, found in regions:
            region_run = _Run(self, run.start, found, budget_s=run.budget_s)
            self._corroborate(region_run, roi, zbar_at_full=zbar_at_full)
            # The bars the locator found where nothing was read (`found` is empty) get the
            # search's ladder; `found` is the region's list, filled as the ladder reads.
            ladder = self._ladder(
                region_run, roi, zbar_at_full=zbar_at_full, search=search and not found
            )
            searching = search and not found
            for cost, attempt in ladder:
                if region_run.over_budget():
                    break
                if region_run.over_budget(cost):
                    continue  # a cheaper step further down may still fit
                attempt()
                if searching and region_run.candidates:
                    # A search reads a code on the frame where it comes to rest, and the
                    # next frame's look at that place confirms it a millisecond after it
                    # arrives: more steps here would only hold that frame back. The other
                    # decoder's look at the read's place still confirms it on this one.
                    self._corroborate(
                        region_run, _roi(view, region_run.candidates), zbar_at_full=False
                    )
                    break
                # Two attempts beyond the first pass always run (unless the window confirms
                # the read, above): a misread both decoders share at one scale rarely
                # survives a second look.
                if len(region_run.attempts) >= 2 and _winner(region_run.candidates, at):
                    break
            run.attempts.extend(region_run.attempts)
            won = _winner(region_run.candidates, at)
            keys = {c.key for c in region_run.candidates}
            rejected += len(keys) - (won is not None)
            if won is not None:
                accepted.append(won)
            elif region_run.candidates:
                unsettled.append(_tallied(region_run.candidates, at))
        return accepted, unsettled, rejected

    def _corroborate(self, run: _Run, roi: _View, *, zbar_at_full: bool) -> None:
        """The other decoder on a place one decoder alone read, whatever the budget says.

        On a 720p camera frame zxing-cpp's whole-frame pass alone takes more than the budget,
        so the ladder never started and the read waited for the next frame's look (a frame
        period and a whole decode later) to be confirmed. The crop is a small part of the
        frame: zbar on it at full size costs a few milliseconds, and when it agrees the two
        decoders confirm the code on its first readable frame.
        """
        families = {c.family for c in run.candidates}
        if not self._stream or len(families) != 1 or roi.image.size > _CORROBORATE_PIXELS:
            return
        if families == {ZXING} and not zbar_at_full:
            run.zbar(roi, "roi-zbar", axes=_bar_axes(roi.image))
        elif families == {ZBAR}:
            run.zxing(roi, "roi-zxing", self._zxing_linear, rotate=True, invert=False)
            if not zbar_at_full or {c.attempt for c in run.candidates} == {"hint-zbar-half"}:
                # zbar read it on a half-size look only: a blurred code that is large in
                # the frame reads at that scale and not at full size. The same scale,
                # darkened, is a second binarisation of what read it.
                run.zbar(_darkened(_resized(roi, 0.5)), "roi-zbar-dark-half")

    def _ladder(
        self, run: _Run, roi: _View, *, zbar_at_full: bool, search: bool = False
    ) -> list[_Step]:
        """The region's re-decodes, most useful first, each with its expected cost (s).

        The order was chosen greedily on half of the corpus (zxing-cpp's crops) for the
        hits each step adds at no extra wrong read, and checked on the other half.

        A `search` (a camera frame's bars that neither decoder read) runs the cheap
        zxing-cpp steps first and leaves out zbar's full-size looks (plain and equalised):
        logged over 348 searches of the presentation benchmark's `zxing-cpp/` clips
        (plain background), those two never read a code a search settled, and at 10-14 ms
        each they were a third of every search in vain, which holds the next frames back
        while the product comes to rest.
        """
        factor = min(_ROI_MAX_SIDE / max(roi.image.shape), _upscale(roi.image.size))
        mid = min(1.5, factor)
        linear = self._zxing_linear
        pixels = roi.image.size
        axes = _bar_axes(roi.image)
        directions = 2 if axes == "both" else 1

        def zbar(make: Callable[[], _View], name: str, scale: float = 1.0) -> _Step:
            # Upscaled copies are scanned on every other line, and only in the direction
            # that crosses the bars (see _zbar_decode).
            density = 2 if scale > 1 else 1
            cost = pixels * scale * scale * _NS_PER_PIXEL[ZBAR] * 1e-9 / density
            return cost * directions / 2, lambda: run.zbar(make(), name, density, axes)

        def zxing(make: Callable[[], _View], name: str, scale: float = 1.0) -> _Step:
            cost = pixels * scale * scale * _NS_PER_PIXEL[ZXING] * 1e-9
            # Retail EAN/UPC is dark on light, and upright bars need no 90-degree scan.
            return cost, lambda: run.zxing(
                make(), name, linear, rotate=axes != "rows", invert=False
            )

        @functools.cache
        def clahe() -> _View:  # three steps read it: equalise once
            return _clahe(roi)

        steps = {
            "roi-zbar": zbar(lambda: roi, "roi-zbar"),
            "roi-zbar-dark-2x": zbar(
                lambda: _darkened(_resized(roi, factor)), "roi-zbar-dark-2x", factor
            ),
            "roi-zxing-dark": zxing(lambda: _darkened(roi), "roi-zxing-dark"),
            "roi-zxing-clahe": zxing(clahe, "roi-zxing-clahe"),
            "roi-zxing-flat": zxing(lambda: _flattened(roi), "roi-zxing-flat"),
            "roi-zbar-clahe-2x": zbar(
                lambda: _resized(clahe(), factor), "roi-zbar-clahe-2x", factor
            ),
            "roi-zxing-1.5x": zxing(lambda: _resized(roi, mid), "roi-zxing-1.5x", mid),
            "roi-zbar-clahe": zbar(clahe, "roi-zbar-clahe"),
            "roi-zbar-otsu": zbar(lambda: _otsu(roi), "roi-zbar-otsu"),
            "roi-zxing-clahe-1.5x": zxing(
                lambda: _resized(clahe(), mid), "roi-zxing-clahe-1.5x", mid
            ),
        }
        if search:
            return [steps[name] for name in _SEARCH_LADDER]
        # zbar already saw this region at full size unless its first look was reduced.
        again = () if zbar_at_full or "roi-zbar" in run.attempts else ("roi-zbar",)
        return [steps[name] for name in (*again, *_LADDER)]

    def _others(self, run: _Run, at: float) -> tuple[Read, ...]:
        seen: set[tuple[str, Symbology]] = set()
        reads: list[Read] = []
        for c in run.candidates:
            if c.symbology in EAN_UPC or (c.text, c.symbology) in seen:
                continue
            seen.add((c.text, c.symbology))
            reads.append(Read(c.text, c.symbology, c.gs1, c.aim_id, c.corners, c.family, 1, at))
        return tuple(reads)


class _Run:
    """The candidates and attempts of one frame (or one region of it)."""

    def __init__(
        self,
        decoder: Decoder,
        start: float,
        candidates: list[_Candidate] | None = None,
        *,
        budget_s: float | None = None,
        matrix: bool = True,
    ) -> None:
        self.decoder = decoder
        self.start = start
        self.candidates: list[_Candidate] = candidates if candidates is not None else []
        self.attempts: list[str] = []
        self.budget_s = decoder._budget_s if budget_s is None else budget_s
        self.matrix = matrix

    def over_budget(self, reserve_s: float = 0.0) -> bool:
        """True once the frame has used its budget, or would with `reserve_s` more."""
        return self.decoder._clock() - self.start + reserve_s > self.budget_s

    def zxing(
        self,
        view: _View,
        name: str,
        formats: Sequence[zxingcpp.BarcodeFormat],
        binarizer: zxingcpp.Binarizer = zxingcpp.Binarizer.LocalAverage,
        *,
        rotate: bool = True,
        invert: bool = True,
        downscale: bool = True,
    ) -> None:
        self.attempts.append(name)
        if not formats or min(view.image.shape) < 2:
            return
        found = zxingcpp.read_barcodes(
            view.image,
            formats=zxingcpp.BarcodeFormats(formats),
            text_mode=zxingcpp.TextMode.Plain,
            binarizer=binarizer,
            ean_add_on_symbol=zxingcpp.EanAddOnSymbol.Ignore,
            try_rotate=rotate,
            try_invert=invert,
            try_downscale=downscale,
        )
        for barcode in found:
            candidate = _from_zxing(barcode, view, name, self.decoder._symbologies)
            if candidate is not None:
                self._add(candidate)

    def zbar(self, view: _View, name: str, density: int = 1, axes: Axes = "both") -> None:
        self.attempts.append(name)
        if not self.decoder._zbar_symbols or min(view.image.shape) < 2:
            return
        for decoded in _zbar_decode(view.image, self.decoder._zbar_symbols, density, axes):
            candidate = _from_zbar(decoded, view, name, self.decoder._symbologies, density)
            if candidate is not None:
                self._add(candidate)

    def _add(self, candidate: _Candidate) -> None:
        # One attempt may report the same code twice (e.g. zxing-cpp's own downscaled pass);
        # it is still one vote.
        if not any(
            c.key == candidate.key and c.attempt == candidate.attempt for c in self.candidates
        ):
            self.candidates.append(candidate)


def _zbar_decode(
    image: Image, symbols: Sequence[ZBarSymbol], density: int, axes: Axes = "both"
) -> list[pyzbar.Decoded]:
    """zbar over every `density`-th row and/or column (pyzbar's decode scans every one).

    An upscaled copy interpolates its extra rows from the original ones, so scanning every
    other row still crosses the code about as often as the original's rows do, for half the
    cost. A code whose bars stand upright is read only by rows (`axes="rows"`), one lying
    only by columns. pyzbar has no setting for these: its scanner is driven directly here.
    At density 1 in either direction zbar drops EAN/UPC symbols seen on fewer than 3 lines;
    at density 2 it keeps them (hence `_Candidate.lines` counts lines at full density).
    """
    if density == 1 and axes == "both":
        return list(pyzbar.decode(image, symbols=symbols))
    rows = density if axes != "columns" else 0
    columns = density if axes != "rows" else 0
    pixels, width, height = pyzbar._pixel_data(image)
    with pyzbar._image_scanner() as scanner:
        for symbol in ZBarSymbol:
            enable = symbol in symbols
            zbar_image_scanner_set_config(scanner, symbol, ZBarConfig.CFG_ENABLE, int(enable))
        zbar_image_scanner_set_config(scanner, ZBarSymbol.NONE, ZBarConfig.CFG_X_DENSITY, columns)
        zbar_image_scanner_set_config(scanner, ZBarSymbol.NONE, ZBarConfig.CFG_Y_DENSITY, rows)
        with pyzbar._image() as zimage:
            zbar_image_set_format(zimage, pyzbar._FOURCC["L800"])
            zbar_image_set_size(zimage, width, height)
            zbar_image_set_data(zimage, cast(pixels, c_void_p), len(pixels), None)
            if zbar_scan_image(scanner, zimage) < 0:
                return []
            symbols_found = pyzbar._symbols_for_image(zimage)
            return list(pyzbar._decode_symbols(symbols_found))


def _bar_axes(image: Image) -> Axes:
    """Which of zbar's scan directions can cross the bars of the code that fills `image`.

    The structure tensor summed over a small copy gives the dominant gradient direction;
    bars make it strong and one-directional. Weak or mixed structure: both directions.
    """
    h, w = image.shape
    factor = min(1.0, _AXIS_SIDE / max(h, w))
    small = image if factor == 1 else cv2.resize(
        image, (max(1, round(w * factor)), max(1, round(h * factor))),
        interpolation=cv2.INTER_AREA,
    )  # fmt: skip
    f = small.astype(np.float32)
    gx = cv2.Sobel(f, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(f, cv2.CV_32F, 0, 1, ksize=3)
    jxx, jyy, jxy = float((gx * gx).sum()), float((gy * gy).sum()), float((gx * gy).sum())
    energy = jxx + jyy
    if energy <= 0 or math.hypot(jxx - jyy, 2 * jxy) < _AXIS_COHERENCE * energy:
        return "both"
    # Angle of the gradient (across the bars) from the horizontal, folded into [0, 90].
    lean = abs(math.degrees(0.5 * math.atan2(2 * jxy, jxx - jyy)))
    if lean <= _AXIS_TILT:
        return "rows"
    if lean >= 90 - _AXIS_TILT:
        return "columns"
    return "both"


def _symbology_of(barcode: zxingcpp.Barcode) -> Symbology | None:
    name = barcode.format.name
    if name.startswith("DataBarExp"):
        return Symbology.DATABAR_EXPANDED
    if name.startswith("DataBarLtd"):
        return Symbology.DATABAR_LIMITED
    if name.startswith("DataBar"):
        return Symbology.DATABAR
    for symbology, formats in _ZXING_FORMATS.items():
        if barcode.format in formats:
            return symbology
    return None


def _plausible(text: str) -> bool:
    # zxing-cpp returns "" or U+FFFD for payloads in an encoding it cannot map (e.g. a
    # mixed-ECI DataMatrix): better no read than a garbled one.
    return bool(text.strip()) and _REPLACEMENT not in text


def _from_zxing(
    barcode: zxingcpp.Barcode, view: _View, attempt: str, allowed: frozenset[Symbology]
) -> _Candidate | None:
    symbology = _symbology_of(barcode)
    if symbology is None or not _plausible(barcode.text):
        return None
    p = barcode.position
    corners = tuple(
        view.to_frame(q.x, q.y) for q in (p.top_left, p.top_right, p.bottom_right, p.bottom_left)
    )
    aim_id = barcode.symbology_identifier or None
    gs1 = barcode.content_type == zxingcpp.ContentType.GS1 or aim_id in GS1_AIM_IDS
    text = barcode.text
    key = text
    if symbology in EAN_UPC:
        canonical = canonical_ean_upc(text, symbology)
        if canonical is None:
            return None
        text, symbology = canonical
        key = gtin_key(text, symbology)
    if symbology not in allowed:
        return None
    return _Candidate(key, text, symbology, gs1, aim_id, corners, ZXING, attempt)


def _from_zbar(
    decoded: pyzbar.Decoded,
    view: _View,
    attempt: str,
    allowed: frozenset[Symbology],
    density: int = 1,
) -> _Candidate | None:
    symbology = _ZBAR_TYPES.get(decoded.type)
    if symbology is None:
        return None
    try:
        text = decoded.data.decode("ascii")
    except UnicodeDecodeError:
        return None
    canonical = canonical_ean_upc(text, symbology)
    if canonical is None or canonical[1] not in allowed:
        return None
    text, symbology = canonical
    corners = tuple(view.to_frame(p.x, p.y) for p in decoded.polygon)
    if not corners:
        return None
    aim_id = default_aim_id(symbology, gs1=False)
    lines = decoded.quality * density
    return _Candidate(
        gtin_key(text, symbology), text, symbology, False, aim_id, corners, ZBAR, attempt, lines
    )


def _grown(box: tuple[int, int, int, int], by: float = 0.35) -> tuple[int, int, int, int]:
    x0, y0, x1, y1 = box
    # A linear code's reported corners can be one scan line thin: grow by its length.
    pad = by * max(x1 - x0, y1 - y0) + 8
    return round(x0 - pad), round(y0 - pad), round(x1 + pad), round(y1 + pad)


def _lying_flat(box: Box) -> bool:
    """Whether the reads within `box` ran along the frame's rows: the box (the scan lines
    that read the code, or its corners) is much wider than high. A code read across its
    columns gives a tall box."""
    return box[2] - box[0] >= _FLAT_ASPECT * (box[3] - box[1])


def _read_at(candidates: Sequence[_Candidate], box: Box | None) -> bool:
    """Whether a candidate was read within `box` (anywhere, without one)."""
    return any(box is None or _overlap(c.box, box) for c in candidates)


def _box_of(view: _View) -> Box:
    h, w = view.image.shape
    x0, y0 = view.offset
    return x0, y0, round(x0 + w / view.scale), round(y0 + h / view.scale)


def _iou(a: Box, b: Box) -> float:
    """Intersection over union of two boxes (x0, y0, x1, y1)."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    inter = w * h
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def _regions(candidates: Sequence[_Candidate]) -> list[list[_Candidate]]:
    """Group reads by place: rivals in one place compete, codes in different places do not."""
    regions: list[tuple[tuple[int, int, int, int], list[_Candidate]]] = []
    for c in candidates:
        box = _grown(c.box)
        hits = [r for r in regions if _overlap(r[0], box)]
        members = [c]
        for r in hits:
            regions.remove(r)
            members.extend(r[1])
            box = (
                min(box[0], r[0][0]),
                min(box[1], r[0][1]),
                max(box[2], r[0][2]),
                max(box[3], r[0][3]),
            )
        regions.append((box, members))
    return [members for _, members in regions]


def _crop(view: _View, box: Box) -> _View:
    """The part of a view inside a box given in frame pixels."""
    h, w = view.image.shape
    x0, y0 = max(0, int(box[0] * view.scale)), max(0, int(box[1] * view.scale))
    x1, y1 = min(w, int(box[2] * view.scale) + 1), min(h, int(box[3] * view.scale) + 1)
    x1, y1 = max(x1, x0 + 1), max(y1, y0 + 1)
    crop = np.ascontiguousarray(view.image[y0:y1, x0:x1])
    return _View(crop, view.scale, view.to_frame(x0, y0))


def place_of(reads: Iterable[Read]) -> Box | None:
    """The box around the reads' corners (frame pixels), or None for no reads."""
    points = [p for r in reads for p in r.position]
    if not points:
        return None
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def _roi(view: _View, region: Sequence[_Candidate]) -> _View:
    boxes = [_grown(c.box, _ROI_PAD) for c in region]
    h, w = view.image.shape
    # Region boxes are in frame pixels; the view may be a shrunk copy of the frame.
    x0 = max(0, int(min(b[0] for b in boxes) * view.scale))
    y0 = max(0, int(min(b[1] for b in boxes) * view.scale))
    x1 = min(w, int(max(b[2] for b in boxes) * view.scale) + 1)
    y1 = min(h, int(max(b[3] for b in boxes) * view.scale) + 1)
    crop = np.ascontiguousarray(view.image[y0:y1, x0:x1])
    origin = view.to_frame(x0, y0)
    return _View(crop, view.scale, origin)


def _tallied(candidates: Sequence[_Candidate], at: float) -> tuple[Read, ...]:
    """Every text of a place, once, with the attempts and decoders that read it."""
    reads = []
    for key in dict.fromkeys(c.key for c in candidates):
        mine = [c for c in candidates if c.key == key]
        top = min(mine, key=lambda c: c.family != ZXING)
        decoder = "+".join(sorted({c.family for c in mine}))
        steps = frozenset(c.attempt for c in mine)
        reads.append(
            Read(
                top.text, top.symbology, top.gs1, top.aim_id, top.corners, decoder, len(steps), at,
                steps=steps,
            )
        )  # fmt: skip
    return tuple(reads)


def _expected(candidates: Sequence[_Candidate], expect: tuple[str, Symbology] | None) -> bool:
    """Whether zxing-cpp read `expect` among `candidates`, and no other EAN/UPC code was read."""
    codes = {(c.text, c.symbology) for c in candidates if c.symbology in EAN_UPC}
    return (
        expect is not None
        and codes == {expect}
        and any(c.family == ZXING and (c.text, c.symbology) == expect for c in candidates)
    )


def _winner(candidates: Sequence[_Candidate], at: float) -> Read | None:
    votes: dict[str, set[str]] = {}
    families: dict[str, set[str]] = {}
    lines: dict[str, int] = {}
    for c in candidates:
        votes.setdefault(c.key, set()).add(c.attempt)
        families.setdefault(c.key, set()).add(c.family)
        lines[c.key] = lines.get(c.key, 0) + c.lines
    ranked = sorted(votes, key=lambda k: len(votes[k]), reverse=True)
    if not ranked:
        return None
    best = ranked[0]
    count = len(votes[best])
    if count < _MIN_VOTES:
        return None
    rival = len(votes[ranked[1]]) if len(ranked) > 1 else 0
    rival_lines = max((lines[k] for k in ranked[1:]), default=0)
    # Only zbar counts scan lines: the comparison needs a rival that zbar read too.
    by_lines = count > rival and 0 < rival_lines * _LINE_DOMINANCE <= lines[best]
    if not by_lines:
        if count - rival < _MARGIN:
            return None
        repeated = [k for k in ranked[1:] if len(votes[k]) >= _VETO_VOTES]
        if repeated and not (
            count >= _DOMINANCE * rival
            and len(families[best]) > 1
            and all(len(families[k]) == 1 for k in repeated)
        ):
            return None
        if len(families[best]) < 2 and (
            count < _LONE_DECODER_VOTES[next(iter(families[best]))] or rival
        ):
            return None
    # zxing-cpp's read comes first: it knows the AIM identifier and the GS1 flag.
    top = min((c for c in candidates if c.key == best), key=lambda c: c.family != ZXING)
    decoder = "+".join(sorted(families[best]))
    return Read(
        top.text, top.symbology, top.gs1, top.aim_id, top.corners, decoder, count, at,
        steps=frozenset(votes[best]),
    )  # fmt: skip
