"""Presentation benchmark: a product held up to a 720p, 30 fps camera, decoded in real time.

Each counted EAN/UPC photo of a manifest becomes a one-second clip (`Clip`): the product
slides in from one side and eases to a stop (horizontal motion blur from its speed), the lens
hunts focus over the first frames (a Gaussian blur easing off), with a small fixed tilt, a
gain change, sensor noise, on a textured (or plain) background, 30-55% of the frame wide.
Every parameter is drawn from a generator seeded by the photo's path, so a run is the same
on any machine; none is tuned per photo.

Frames arrive in real time (`present`): while one is decoded, newer ones replace it, and the
decode's cost is measured on the CPU clock of the decoding thread (`time.thread_time`), so
other work on a shared machine does not count. Each pipeline's first trusted read is scored
by the corpus README's rules: right within the clip's second, wrong, or none.
"""

from __future__ import annotations

import functools
import hashlib
import math
import statistics
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import cv2
import numpy as np
import numpy.typing as npt
import zxingcpp
from pyzbar import pyzbar

from benchmarks.scoring import BLURRY_SETS, EAN_UPC_FAMILIES, score_image, shows_mislabelled
from scanner.config import ConfirmRule, ScannerConfig
from scanner.decode import Decoder
from scanner.trust import Debouncer
from scanner.video import FrameVote

Image = npt.NDArray[np.uint8]

WIDTH, HEIGHT, FPS = 1280, 720, 30.0
CLIP_S = 1.0
EXPOSURE_S = 1 / 120
"""Shutter time: the product's travel during it is the motion blur's length."""
_SEED = 2026
_NOISE_SIGMA = 4.0
_NOISE_FIELDS = 8


@dataclass(frozen=True, slots=True)
class ClipParams:
    """One clip's draw. Positions are fractions of the frame; times in seconds."""

    width_frac: float
    tilt_deg: float
    from_left: bool
    stop_s: float
    stop_x: float
    stop_y: float
    focus_sigma: float
    focus_s: float
    gain_from: float
    gain_s: float

    @classmethod
    def draw(cls, rng: np.random.Generator) -> ClipParams:
        return cls(
            width_frac=float(rng.uniform(0.30, 0.55)),
            tilt_deg=float(rng.uniform(-8.0, 8.0)),
            from_left=bool(rng.integers(0, 2)),
            stop_s=float(rng.uniform(0.35, 0.6)),
            stop_x=float(rng.uniform(0.4, 0.6)),
            stop_y=float(rng.uniform(0.4, 0.6)),
            focus_sigma=float(rng.uniform(2.0, 4.5)),
            focus_s=float(rng.uniform(0.2, 0.4)),
            gain_from=float(rng.choice([rng.uniform(0.55, 0.8), rng.uniform(1.25, 1.6)])),
            gain_s=float(rng.uniform(0.3, 0.6)),
        )


def seed_for(name: str) -> int:
    """A stable seed from a photo's path (Python's own hash() changes per process)."""
    return _SEED ^ int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big")


def textured_background(rng: np.random.Generator) -> Image:
    """Clothes, shelves and print behind the product: patches, stripes, text, soft light."""
    light = rng.uniform(70, 190, (9, 16)).astype(np.float32)
    bg = cv2.resize(light, (WIDTH, HEIGHT), interpolation=cv2.INTER_CUBIC)
    for _ in range(14):  # boxes and shelf edges
        x, y = int(rng.integers(0, WIDTH)), int(rng.integers(0, HEIGHT))
        w, h = int(rng.integers(40, 400)), int(rng.integers(20, 300))
        cv2.rectangle(bg, (x, y), (x + w, y + h), float(rng.uniform(20, 235)), -1)
    yy, xx = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float32)
    for _ in range(4):  # striped fabric
        x, y = int(rng.integers(0, WIDTH - 100)), int(rng.integers(0, HEIGHT - 80))
        w, h = int(rng.integers(100, 420)), int(rng.integers(80, 300))
        angle = rng.uniform(0, math.pi)
        period = rng.uniform(5, 24)
        phase = xx[y : y + h, x : x + w] * math.cos(angle) + yy[y : y + h, x : x + w] * math.sin(
            angle
        )
        stripes = 128 + 90 * np.sign(np.sin(phase * (2 * math.pi / period)))
        bg[y : y + h, x : x + w] = stripes
    image = np.asarray(np.clip(bg, 0, 255), np.uint8)
    for _ in range(8):  # print: words and prices
        words = "".join(chr(int(c)) for c in rng.integers(65, 91, int(rng.integers(4, 12))))
        org = (int(rng.integers(0, WIDTH - 200)), int(rng.integers(20, HEIGHT)))
        ink = float(rng.choice([15.0, 240.0]))
        size = float(rng.uniform(0.6, 2.0))
        cv2.putText(image, words, org, 0, size, ink, int(rng.integers(1, 4)))
    return image


def plain_background(rng: np.random.Generator) -> Image:
    """A plain counter or wall: one tone with a gentle gradient of light."""
    base = float(rng.uniform(90, 170))
    ramp = np.linspace(-15, 15, WIDTH, dtype=np.float32)[None, :]
    return np.asarray(np.clip(np.full((HEIGHT, WIDTH), base, np.float32) + ramp, 0, 255), np.uint8)


@functools.cache
def _noise_fields() -> tuple[npt.NDArray[np.float32], ...]:
    rng = np.random.default_rng(_SEED)
    return tuple(
        rng.normal(0, _NOISE_SIGMA, (HEIGHT, WIDTH)).astype(np.float32)
        for _ in range(_NOISE_FIELDS)
    )


class Clip:
    """One photo presented for a second; `frame(i)` renders frame i (grey, as decoders see it).

    Frames are rendered on demand and kept: a real-time run decodes only some of them, and
    the peers are shown the very same frames.
    """

    def __init__(self, photo: Image, *, background: Image, params: ClipParams) -> None:
        self.params = params
        self._background = background.astype(np.float32)
        gray = photo if photo.ndim == 2 else cv2.cvtColor(photo, cv2.COLOR_BGR2GRAY)
        h, w = gray.shape
        scale = min(params.width_frac * WIDTH / w, 0.85 * HEIGHT / h)
        size = (max(1, round(w * scale)), max(1, round(h * scale)))
        interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
        product = cv2.resize(gray, size, interpolation=interpolation).astype(np.float32)
        # Tilt on a canvas large enough for the corners; the mask says where the product is.
        diagonal = math.ceil(math.hypot(*size))
        canvas = np.zeros((diagonal, diagonal), np.float32)
        mask = np.zeros_like(canvas)
        top, left = (diagonal - size[1]) // 2, (diagonal - size[0]) // 2
        canvas[top : top + size[1], left : left + size[0]] = product
        mask[top : top + size[1], left : left + size[0]] = 1.0
        turn = cv2.getRotationMatrix2D((diagonal / 2, diagonal / 2), params.tilt_deg, 1.0)
        self._product = cv2.warpAffine(canvas, turn, (diagonal, diagonal), flags=cv2.INTER_LINEAR)
        self._mask = cv2.warpAffine(mask, turn, (diagonal, diagonal), flags=cv2.INTER_LINEAR)
        self._side = diagonal
        self._seed = seed_for(str(params))
        self.frames = round(CLIP_S * FPS)

    def centre_x(self, t: float) -> tuple[float, float]:
        """The product's centre (px) at time t and its speed (px/s): an ease-out cubic."""
        p = self.params
        start = -0.25 * self._side if p.from_left else WIDTH + 0.25 * self._side
        stop = p.stop_x * WIDTH
        q = min(1.0, t / p.stop_s)
        x = start + (stop - start) * (1 - (1 - q) ** 3)
        speed = abs(stop - start) * 3 * (1 - q) ** 2 / p.stop_s
        return x, speed

    @functools.cache  # noqa: B019 - a clip lives for one photo's run; its frames are the point
    def frame(self, index: int) -> Image:
        p = self.params
        t = index / FPS
        x, speed = self.centre_x(t)
        blur = round(speed * EXPOSURE_S)
        product, mask = self._product, self._mask
        if blur > 1:
            product = cv2.blur(product, (blur, 1))
            mask = cv2.blur(mask, (blur, 1))
        frame = self._background.copy()
        _paste(frame, product * mask, mask, round(x - self._side / 2),
               round(p.stop_y * HEIGHT - self._side / 2))  # fmt: skip
        if t < p.focus_s:
            # Hunting: the blur eases off, overshooting once on the way to focus.
            left = 1 - t / p.focus_s
            sigma = p.focus_sigma * left * (0.7 + 0.3 * abs(math.cos(3 * math.pi * left)))
            if sigma > 0.3:
                frame = np.asarray(cv2.GaussianBlur(frame, (0, 0), sigma), np.float32)
        gain = p.gain_from + (1 - p.gain_from) * min(1.0, t / p.gain_s)
        noise = _noise_fields()[(self._seed + index) % _NOISE_FIELDS]
        return np.asarray(np.clip(frame * gain + noise, 0, 255), np.uint8)


def _paste(frame: npt.NDArray[np.float32], ink: Any, mask: Any, x0: int, y0: int) -> None:
    h, w = mask.shape
    fx0, fy0 = max(0, x0), max(0, y0)
    fx1, fy1 = min(WIDTH, x0 + w), min(HEIGHT, y0 + h)
    if fx0 >= fx1 or fy0 >= fy1:
        return
    sx, sy = fx0 - x0, fy0 - y0
    m = mask[sy : sy + fy1 - fy0, sx : sx + fx1 - fx0]
    region = frame[fy0:fy1, fx0:fx1]
    region *= 1 - m
    region += ink[sy : sy + fy1 - fy0, sx : sx + fx1 - fx0]


class Pipeline(Protocol):
    """A scanner as the benchmark sees it: frames in, the texts it trusts out."""

    name: str

    def reset(self) -> None: ...

    def feed(self, frame: Image, at: float) -> list[str]: ...


class TwoFrameTrust:
    """A per-frame decoder trusted the way the kiosk trusts a camera: a text on two frames."""

    def __init__(self, name: str, decode: Callable[[Image], Iterable[str]]) -> None:
        self.name = name
        self._decode = decode
        self._seen: set[str] = set()

    def reset(self) -> None:
        self._seen = set()

    def feed(self, frame: Image, at: float) -> list[str]:
        texts = set(self._decode(frame))
        trusted = sorted(texts & self._seen)
        self._seen |= texts
        return trusted


class KioskPipeline:
    """The kiosk's own decoder and debouncer, as `ui/bootstrap.py` builds them."""

    def __init__(
        self,
        name: str = "this pipeline",
        *,
        budget_ms: float = ScannerConfig().time_budget_ms,
        search_budget_ms: float = ScannerConfig().search_budget_ms,
    ) -> None:
        self.name = name
        self._decoder = Decoder(
            time_budget_ms=budget_ms,
            search_budget_ms=search_budget_ms,
            clock=time.thread_time,
            stream=True,
        )
        self._debouncer = Debouncer(confirm=ConfirmRule.EITHER)
        self._vote = FrameVote()

    def reset(self) -> None:
        self._debouncer.reset()
        self._vote.reset()

    def feed(self, frame: Image, at: float) -> list[str]:
        result = self._decoder(frame, at=at, guide=self._vote.guide(at))
        reads = self._vote.feed(result, at)
        return [event.text for event in self._debouncer.feed(reads, at)]


_EAN_FORMATS = zxingcpp.BarcodeFormats(
    [
        zxingcpp.BarcodeFormat.EAN13,
        zxingcpp.BarcodeFormat.EAN8,
        zxingcpp.BarcodeFormat.UPCA,
        zxingcpp.BarcodeFormat.UPCE,
    ]
)


def zxing_alone(frame: Image) -> list[str]:
    return [b.text for b in zxingcpp.read_barcodes(frame, formats=_EAN_FORMATS) if b.text]


def zxing_any(frame: Image) -> list[str]:
    """zxing-cpp with its defaults: every format it knows (for the still photos)."""
    return [b.text for b in zxingcpp.read_barcodes(frame) if b.text]


def naive_chain(frame: Image, zxing: Callable[[Image], list[str]] = zxing_alone) -> list[str]:
    """zxing-cpp, else zbar, else zbar on a 2x upscale: the ten lines anyone would write."""
    texts = zxing(frame)
    if texts:
        return texts
    for image in (frame, cv2.resize(frame, None, fx=2, fy=2)):
        found = [d.data.decode("ascii", "replace") for d in pyzbar.decode(image)]
        if found:
            return found
    return []


def peers() -> list[Pipeline]:
    return [
        TwoFrameTrust("zxing-cpp alone", zxing_alone),
        TwoFrameTrust("naive chain", naive_chain),
    ]


@dataclass(frozen=True, slots=True)
class Outcome:
    """A pipeline's first trusted read of a clip: its texts and when (s after frame 0)."""

    texts: tuple[str, ...]
    at: float | None
    decoded: int


def present(
    frames: Callable[[int], Image],
    count: int,
    pipeline: Pipeline,
    *,
    fps: float = FPS,
    clock: Callable[[], float] = time.thread_time,
    accept: Callable[[Sequence[str]], bool] = bool,
) -> Outcome:
    """Play `count` frames to `pipeline` in real time until it trusts a read `accept`s.

    Frame i is captured at i / fps. Decoding starts on the newest frame captured by then (the
    ones between were replaced while the last decode ran) or waits for the next; it ends
    `clock`'s measured cost later. Rendering a frame is not timed.
    """
    pipeline.reset()
    now, last, decoded = 0.0, -1, 0
    while True:
        index = min(count - 1, math.floor(now * fps + 1e-9))
        if index <= last:
            if last >= count - 1:
                return Outcome((), None, decoded)
            index = last + 1
            now = index / fps
        frame = frames(index)
        start = clock()
        texts = pipeline.feed(frame, index / fps)
        now += clock() - start
        last, decoded = index, decoded + 1
        if texts and accept(texts):
            return Outcome(tuple(texts), now, decoded)


@dataclass
class PresentationTally:
    clips: int = 0
    right: int = 0
    wrong: int = 0
    mislabelled: int = 0
    """Of the wrong first reads, those of the code a mislabelled photo really shows."""
    ms: list[float] = field(default_factory=list)
    shared_ms: list[float] = field(default_factory=list)
    """Times to the right read on the clips every pipeline of the run read right: the
    median over `ms` rises with every late clip a pipeline reads that the others miss, so
    speed is compared on these too."""

    def every_clip_median(self) -> float:
        """The median wait over every clip, a clip not read right within the second counting
        as longer (inf): the time by which half the shoppers' products were read. Unlike the
        median over `ms`, a pipeline's extra late reads lower it, never raise it."""
        if not self.clips:
            return float("nan")
        waits = sorted(self.ms) + [math.inf] * (self.clips - len(self.ms))
        return statistics.median(waits)

    def cells(self) -> str:
        pct = 100 * self.right / self.clips if self.clips else 0.0
        ordered = sorted(self.ms)
        median = statistics.median(ordered) if ordered else float("nan")
        p90 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))] if ordered else float("nan")
        shared = statistics.median(self.shared_ms) if self.shared_ms else float("nan")
        every = self.every_clip_median()
        every_cell = "> 1000" if every == math.inf else f"{every:.0f}"
        wrong = f"{self.wrong} ({self.mislabelled} mislabelled)" if self.mislabelled else self.wrong
        return (
            f"{self.right}/{self.clips} ({pct:.1f}%) | {wrong} | {median:.0f} | {p90:.0f} "
            f"| {shared:.0f} ({len(self.shared_ms)}) | {every_cell}"
        )


def counted_entries(entries: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The manifest's EAN/UPC photos that count for hits (blurry-on-purpose sets do not)."""
    return [e for e in entries if e["family"] in EAN_UPC_FAMILIES and e["set"] not in BLURRY_SETS]


def run_presentation(
    entries: Sequence[dict[str, Any]],
    root: Path,
    pipelines: Sequence[Pipeline],
    *,
    backgrounds: Sequence[str] = ("textured", "plain"),
    progress: Callable[[str], None] | None = None,
    record: Callable[[dict[str, Any]], None] | None = None,
) -> dict[tuple[str, str, str], PresentationTally]:
    """Tallies keyed by (background, half of the corpus or "all", pipeline name).

    `record` is given each clip's outcome per pipeline (file, background, pipeline, texts,
    ms to the first trusted read or None, right, wrong), to compare runs clip by clip."""
    tallies: dict[tuple[str, str, str], PresentationTally] = {}
    makers = {"textured": textured_background, "plain": plain_background}
    for n, entry in enumerate(entries, 1):
        photo = cv2.imread(str(root / entry["file"]), cv2.IMREAD_GRAYSCALE)
        if photo is None:
            continue
        half = entry["file"].split("/")[0]
        for background in backgrounds:
            rng = np.random.default_rng(seed_for(f"{background}:{entry['file']}"))
            params = ClipParams.draw(rng)
            clip = Clip(
                np.asarray(photo, np.uint8), background=makers[background](rng), params=params
            )

            def score(texts: Sequence[str], entry: dict[str, Any] = entry) -> tuple[bool, bool]:
                s = score_image(
                    texts,
                    family=entry["family"],
                    set_name=entry["set"],
                    expected=entry["expected"],
                    also=entry.get("also", ()),
                )
                return s.hit, s.wrong

            def counts(
                texts: Sequence[str], score: Callable[..., tuple[bool, bool]] = score
            ) -> bool:
                # A read of a second genuine code in the photo ("also") is neither: go on.
                return any(score(texts))

            right_ms: dict[str, float] = {}
            for pipeline in pipelines:
                outcome = present(clip.frame, clip.frames, pipeline, accept=counts)
                hit, wrong = score(outcome.texts) if outcome.texts else (False, False)
                mislabelled = wrong and shows_mislabelled(
                    outcome.texts, file=entry["file"], family=entry["family"]
                )
                if hit and not wrong and outcome.at is not None and outcome.at <= CLIP_S:
                    right_ms[pipeline.name] = outcome.at * 1000
                if record is not None:
                    record({
                        "file": entry["file"], "background": background,
                        "pipeline": pipeline.name, "texts": list(outcome.texts),
                        "ms": None if outcome.at is None else round(outcome.at * 1000, 2),
                        "right": pipeline.name in right_ms, "wrong": wrong,
                    })  # fmt: skip
                for tally in _tallies(tallies, background, half, pipeline.name):
                    tally.clips += 1
                    tally.wrong += wrong
                    tally.mislabelled += mislabelled
                    if pipeline.name in right_ms:
                        tally.right += 1
                        tally.ms.append(right_ms[pipeline.name])
            if len(right_ms) == len(pipelines):
                for name, ms in right_ms.items():
                    for tally in _tallies(tallies, background, half, name):
                        tally.shared_ms.append(ms)
        if progress is not None and n % 25 == 0:
            progress(f"{n}/{len(entries)} photos")
    return tallies


def _tallies(
    tallies: dict[tuple[str, str, str], PresentationTally], background: str, half: str, name: str
) -> tuple[PresentationTally, ...]:
    """The clip's half's tally and the one over all photos, created on first use."""
    return tuple(
        tallies.setdefault(key, PresentationTally())
        for key in ((background, half, name), (background, "all", name))
    )


def format_presentation(
    tallies: dict[tuple[str, str, str], PresentationTally], names: Sequence[str]
) -> str:
    head = [
        "| background | photos | pipeline | right within 1 s | wrong first reads "
        "| median ms to right | p90 ms | median ms, clips all read (n) "
        "| median ms, every clip (a miss: over 1 s) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    groups = sorted(
        {(k[0], k[1]) for k in tallies},
        key=lambda g: (g[0] != "textured", g[0], g[1] != "all", g[1]),
    )
    rows = [
        f"| {background} | {half} | {name} | {tallies[background, half, name].cells()} |"
        for background, half in groups
        for name in names
        if (background, half, name) in tallies
    ]
    return "\n".join(head + rows)
