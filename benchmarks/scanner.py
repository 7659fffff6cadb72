"""Benchmarks: accuracy and speed on a barcode manifest, and frame-to-scan latency.

    python -m benchmarks.scanner --manifest corpus/manifest.jsonl [--root DIR] [--results OUT.jsonl]
                            [--frame 1280x720] [--budget-ms 30] [--clock wall|cpu]
    python -m benchmarks.scanner --latency [--seconds 12] [--fps 30]

The manifest is JSON lines with `file`, `family`, `set`, `expected` and optionally `also`
(the shared corpus format); scoring follows the corpus README (see `benchmarks.scoring`).
With `--frame`, each image is centred on a neutral grey frame of that size (shrunk to fit),
as a webcam would see it. Everything runs on one core. `--clock cpu` times decoding (and
spends the decoder's budget) in this process's CPU time instead of wall time: on a machine
shared with other work, wall time counts the waits for a core too, and the budget then cuts
retries that a kiosk's own core would finish. (CPU time is the decoding thread's: decoding
runs on the calling thread, OpenCV on one.)
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

from benchmarks import presentation
from benchmarks.scoring import DATABAR_FAMILIES, EAN_UPC_FAMILIES, score_image
from scanner.config import ConfirmRule, ScannerConfig
from scanner.decode import Decoder
from scanner.loop import FrameGrabber, ScanLoop, StatsTracker
from scanner.sources import ResilientSource
from scanner.trust import Debouncer
from scanner.video import FrameVote
from simulators.barcodes import render_ean13

Image = npt.NDArray[np.uint8]
_NEUTRAL = 128
_GROUPS = ("EAN/UPC", "Code 128", "QR", "DataMatrix", "DataBar", "other")
_CLOCKS: dict[str, Callable[[], float]] = {"wall": time.perf_counter, "cpu": time.thread_time}
"""`cpu` is the decoding thread's own CPU time: the process's (`process_time`) also counts any
other thread of the process, so a thread left busy (in a test run, another test's) spent the
decoder's budget and cut its retries."""


def family_group(family: str) -> str:
    if family in EAN_UPC_FAMILIES:
        return "EAN/UPC"
    if family in DATABAR_FAMILIES:
        return "DataBar"
    return {"code128": "Code 128", "qrcode": "QR", "datamatrix": "DataMatrix"}.get(family, "other")


def place_on_frame(image: Image, width: int, height: int) -> Image:
    """The image centred on a neutral grey frame of the given size, shrunk to fit if needed."""
    h, w = image.shape[:2]
    scale = min(1.0, width / w, height / h)
    if scale < 1:
        size = (max(1, int(w * scale)), max(1, int(h * scale)))
        image = np.asarray(cv2.resize(image, size, interpolation=cv2.INTER_AREA), np.uint8)
        h, w = image.shape[:2]
    frame = np.full((height, width, 3), _NEUTRAL, np.uint8)
    top, left = (height - h) // 2, (width - w) // 2
    frame[top : top + h, left : left + w] = image if image.ndim == 3 else image[:, :, None]
    return frame


@dataclass
class Tally:
    images: int = 0
    counted: int = 0
    hits: int = 0
    wrong: int = 0
    ms: list[float] = field(default_factory=list)

    def add(self, *, counted: bool, hit: bool, wrong: bool, ms: float) -> None:
        self.images += 1
        self.counted += counted
        self.hits += hit
        self.wrong += wrong
        self.ms.append(ms)

    def row(self, name: str) -> str:
        ms = sorted(self.ms)
        median = statistics.median(ms) if ms else 0.0
        p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))] if ms else 0.0
        hit_pct = 100 * self.hits / self.counted if self.counted else 0.0
        wrong_pct = 100 * self.wrong / self.images if self.images else 0.0
        return (
            f"| {name} | {self.images} | {self.hits}/{self.counted} | {hit_pct:.1f}% "
            f"| {self.wrong} | {wrong_pct:.2f}% | {median:.1f} | {p95:.1f} |"
        )


def _parse_frame(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not WIDTHxHEIGHT") from None
    if not (16 <= w <= 8192 and 16 <= h <= 8192):
        raise argparse.ArgumentTypeError(f"{text!r} is out of range")
    return w, h


def read_manifest(path: Path) -> list[dict[str, Any]]:
    entries = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        entry = json.loads(line)
        missing = {"file", "family", "set", "expected"} - set(entry)
        if missing:
            raise ValueError(f"{path}:{n}: missing {', '.join(sorted(missing))}")
        entries.append(entry)
    return entries


def run_accuracy(
    entries: Iterable[dict[str, Any]],
    root: Path,
    *,
    frame: tuple[int, int] | None,
    budget_ms: float,
    results_out: Any | None,
    clock: Callable[[], float] = time.perf_counter,
) -> dict[str, Tally]:
    decoder = Decoder(time_budget_ms=budget_ms, clock=clock)
    tallies: dict[str, Tally] = {}
    for entry in entries:
        image = cv2.imread(str(root / entry["file"]), cv2.IMREAD_COLOR)
        texts: list[dict[str, str]] = []
        error = None
        ms = 0.0
        if image is None:
            error = "unreadable image"
        else:
            pixels = np.asarray(image, np.uint8)
            if frame is not None:
                pixels = place_on_frame(pixels, *frame)
            start = clock()
            result = decoder(pixels)
            ms = (clock() - start) * 1000
            texts = [{"text": r.text, "symbology": r.symbology.value} for r in result.reads]
        score = score_image(
            (t["text"] for t in texts),
            family=entry["family"],
            set_name=entry["set"],
            expected=entry["expected"],
            also=entry.get("also", ()),
        )
        for key in (entry["family"], "#" + family_group(entry["family"]), "#all"):
            tallies.setdefault(key, Tally()).add(
                counted=score.counted, hit=score.hit, wrong=score.wrong, ms=ms
            )
        if results_out is not None:
            line: dict[str, Any] = {"file": entry["file"], "results": texts, "ms": round(ms, 2)}
            if error:
                line["error"] = error
            results_out.write(json.dumps(line, ensure_ascii=False) + "\n")
    return tallies


def run_peer(
    entries: Iterable[dict[str, Any]],
    root: Path,
    decode: Callable[[Image], list[str]],
    *,
    frame: tuple[int, int] | None,
    clock: Callable[[], float] = time.perf_counter,
) -> dict[str, Tally]:
    """The same photos through a peer (e.g. the naive chain), scored and timed the same way."""
    tallies: dict[str, Tally] = {}
    for entry in entries:
        image = cv2.imread(str(root / entry["file"]), cv2.IMREAD_COLOR)
        texts: list[str] = []
        ms = 0.0
        if image is not None:  # an unreadable image counts as no read, as for the kiosk's
            pixels = np.asarray(image, np.uint8)
            if frame is not None:
                pixels = place_on_frame(pixels, *frame)
            start = clock()
            # Peers get grey pixels, as the kiosk's decoder makes them itself (timed there).
            texts = decode(np.asarray(cv2.cvtColor(pixels, cv2.COLOR_BGR2GRAY), np.uint8))
            ms = (clock() - start) * 1000
        score = score_image(
            texts,
            family=entry["family"],
            set_name=entry["set"],
            expected=entry["expected"],
            also=entry.get("also", ()),
        )
        for key in ("#" + family_group(entry["family"]), "#all"):
            tallies.setdefault(key, Tally()).add(
                counted=score.counted, hit=score.hit, wrong=score.wrong, ms=ms
            )
    return tallies


def format_table(tallies: dict[str, Tally]) -> str:
    head = [
        "| family | images | hits | hit % | wrong | wrong % | median ms | p95 ms |",
        "|---|---|---|---|---|---|---|---|",
    ]
    rows = [tallies[k].row(k) for k in sorted(k for k in tallies if not k.startswith("#"))]
    groups = [tallies["#" + g].row(f"**{g}**") for g in _GROUPS if "#" + g in tallies]
    total = [tallies["#all"].row("**all**")] if "#all" in tallies else []
    return "\n".join(head + rows + groups + total)


class TimedSource:
    """A live 1280x720 source at a fixed rate: codes come into view and leave, like a shopper.

    Each code is in view for `on_s` then gone for `off_s`; `appearances` records when each
    appearance started, so the benchmark can time appearance-to-scan as well.
    """

    def __init__(self, codes: Sequence[str], *, fps: float, on_s: float = 0.8, off_s: float = 0.6):
        self._fps = fps
        self._on_s = on_s
        self._cycle = on_s + off_s
        self._codes = list(codes)
        self._labels = [
            np.asarray(cv2.cvtColor(render_ean13(c, module_px=3), cv2.COLOR_GRAY2BGR), np.uint8)
            for c in codes
        ]
        rng = np.random.default_rng(1)
        # Pre-made sensor noise, so no two consecutive frames are identical (a frozen camera).
        self._noise = [rng.integers(0, 6, (720, 1280, 3), dtype=np.uint8) for _ in range(5)]
        self._background = np.full((720, 1280, 3), 110, np.uint8)
        self._start = 0.0
        self._n = 0
        self.appearances: list[tuple[str, float]] = []
        self._shown: int | None = None

    name = "timed source"
    live = True

    @property
    def fps(self) -> float:
        return self._fps

    def open(self) -> None:
        self._start = time.monotonic()

    def read(self) -> Image:
        due = self._start + self._n / self._fps
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        self._n += 1
        t = due - self._start
        cycle = int(t // self._cycle)
        frame = self._background.copy()
        if t - cycle * self._cycle < self._on_s:
            index = cycle % len(self._codes)
            if self._shown != cycle:
                self._shown = cycle
                self.appearances.append((self._codes[index], due))
            label = self._labels[index]
            h, w = label.shape[:2]
            frame[200 : 200 + h, 400 : 400 + w] = label
        return np.asarray(cv2.add(frame, self._noise[self._n % len(self._noise)]), np.uint8)

    def close(self) -> None:
        return


def run_latency(seconds: float, fps: float, budget_ms: float, search_budget_ms: float) -> str:
    codes = ["6901234567892", "4006381333931", "5012345678900", "9780201379624"]
    timed = TimedSource(codes, fps=fps)
    stats = StatsTracker()
    source = ResilientSource(lambda: timed, stall_after_s=3.0)
    grabber = FrameGrabber(source, stats, pace=False)
    debouncer = Debouncer(confirm=ConfirmRule.EITHER)
    decoder = Decoder(time_budget_ms=budget_ms, search_budget_ms=search_budget_ms, stream=True)
    loop = ScanLoop(grabber, decoder, debouncer, stats, source, vote=FrameVote())
    capture_to_scan: list[float] = []
    appear_to_scan: list[float] = []
    grabber.start()
    end = time.monotonic() + seconds
    try:
        while time.monotonic() < end:
            step = loop.step(0.1)
            now = time.monotonic()
            for event in step.events:
                capture_to_scan.append((now - event.at) * 1000)
                starts = [at for code, at in timed.appearances if code == event.text and at <= now]
                if starts:
                    appear_to_scan.append((now - starts[-1]) * 1000)
    finally:
        grabber.stop()
    snap = loop.stats()
    lines = [
        f"latency at {fps:g} fps for {seconds:g} s on 1280x720 frames "
        f"({len(capture_to_scan)} scans of {len(timed.appearances)} appearances, "
        f"threads: {threading.active_count()})",
        f"capture-to-scan ms: {_summary(capture_to_scan)}",
        f"appearance-to-scan ms: {_summary(appear_to_scan)}",
        f"decode ms: median {snap.decode_ms_median:.1f}, p95 {snap.decode_ms_p95:.1f}; "
        f"frames captured {snap.frames_captured}, decoded {snap.frames_decoded}, "
        f"dropped {snap.frames_dropped}",
    ]
    return "\n".join(lines)


def _summary(values: list[float]) -> str:
    if not values:
        return "no scans"
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"median {statistics.median(ordered):.1f}, p95 {p95:.1f}, max {ordered[-1]:.1f}"


def _presentation(entries: list[dict[str, Any]], root: Path, args: argparse.Namespace) -> str:
    chosen = presentation.counted_entries(entries)
    if args.half:
        chosen = [e for e in chosen if e["file"].startswith(args.half.rstrip("/") + "/")]
    if args.sample and args.sample < len(chosen):
        step = len(chosen) / args.sample
        chosen = [chosen[int(i * step)] for i in range(args.sample)]
    kiosk = presentation.KioskPipeline(
        budget_ms=args.budget_ms, search_budget_ms=args.search_budget_ms
    )
    pipelines = [kiosk, *presentation.peers()]
    out = args.results.open("w", encoding="utf-8") if args.results else None
    try:
        tallies = presentation.run_presentation(
            chosen, root, pipelines,
            progress=lambda text: print(text, file=sys.stderr, flush=True),
            record=None if out is None else lambda row: print(json.dumps(row), file=out),
        )  # fmt: skip
    finally:
        if out is not None:
            out.close()
    return presentation.format_presentation(tallies, [p.name for p in pipelines])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scanner", description=__doc__)
    parser.add_argument("--manifest", type=Path)
    parser.add_argument("--root", type=Path, help="image folder (default: the manifest's)")
    parser.add_argument("--results", type=Path, help="write one JSON line per image here")
    parser.add_argument("--frame", type=_parse_frame, help="place images on WxH frames")
    parser.add_argument("--budget-ms", type=float, default=ScannerConfig().time_budget_ms)
    parser.add_argument(
        "--search-budget-ms",
        type=float,
        default=ScannerConfig().search_budget_ms,
        help="camera streams (--presentation, --latency): a frame with bars but no read",
    )
    parser.add_argument(
        "--clock", choices=sorted(_CLOCKS), default="wall", help="time in wall or CPU time"
    )
    parser.add_argument("--latency", action="store_true", help="frame-to-scan latency run")
    parser.add_argument(
        "--presentation",
        action="store_true",
        help="EAN/UPC photos as 1 s 720p clips in real time, beside zxing-cpp and a naive chain",
    )
    parser.add_argument(
        "--peers", action="store_true", help="also run zxing-cpp alone and the naive chain"
    )
    parser.add_argument("--sample", type=int, help="presentation: every k-th photo, N in all")
    parser.add_argument("--half", help="presentation: only photos under this folder (zxing-cpp/…)")
    parser.add_argument("--seconds", type=float, default=12.0)
    parser.add_argument("--fps", type=float, default=30.0)
    args = parser.parse_args(argv)
    cv2.setNumThreads(1)
    if args.latency:
        print(run_latency(args.seconds, args.fps, args.budget_ms, args.search_budget_ms))
        return 0
    if args.manifest is None:
        parser.error("give --manifest FILE.jsonl (or --latency)")
    if not args.manifest.is_file():
        # The corpus lives beside the repository, not in it: a user's clone has none.
        print(
            f"no barcode corpus at {args.manifest}: this benchmark is optional and needs "
            "the shared corpus (the tests use tests/data/barcodes)",
            file=sys.stderr,
        )
        return 2
    entries = read_manifest(args.manifest)
    root = args.root or args.manifest.parent
    if args.presentation:
        print(_presentation(entries, root, args))
        return 0
    out = args.results.open("w", encoding="utf-8") if args.results else None
    try:
        tallies = run_accuracy(
            entries,
            root,
            frame=args.frame,
            budget_ms=args.budget_ms,
            results_out=out,
            clock=_CLOCKS[args.clock],
        )
    finally:
        if out is not None:
            out.close()
    print(format_table(tallies))
    if args.peers:
        clock = _CLOCKS[args.clock]
        for name, decode in (
            ("zxing-cpp alone", presentation.zxing_any),
            ("naive chain", lambda f: presentation.naive_chain(f, presentation.zxing_any)),
        ):
            peer = run_peer(entries, root, decode, frame=args.frame, clock=clock)
            print(f"\n{name}")
            print(format_table(peer))
    return 0


if __name__ == "__main__":
    sys.exit(main())
