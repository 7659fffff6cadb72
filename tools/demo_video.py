"""Generate the demo scan footage: catalog barcodes shown to a camera, for kiosks without one.

    python -m tools.demo_video --out assets/demo/scan [--codes 6901234567892 ...]

Codes default to the `gtin` column of assets/demo/catalog.csv (GTIN-13s only), else a short
built-in list. Each product card slides in, tilts (perspective), wobbles, is blurred while it
moves, under changing light and sensor noise, then leaves, so the debouncer adds one item per
appearance. Deterministic (seeded) so the file only changes when the generator does.
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt

from kiosk.domain.codes import has_valid_check_digit
from simulators.barcodes import render_ean13

Image = npt.NDArray[np.uint8]
DEFAULT_CODES = ("6901234567892", "4006381333931", "5012345678900", "9780201379624")
CATALOG = Path("assets/demo/catalog.csv")
_SIZE = (640, 480)
_FPS = 15.0
_ENTER_S, _HOLD_S, _LEAVE_S, _GAP_S = 0.6, 1.6, 0.6, 0.7


def catalog_codes(path: Path) -> list[str]:
    """GTIN-13s from a catalog CSV's `gtin` column (others, e.g. GTIN-8, are left out)."""
    with path.open(newline="", encoding="utf-8") as f:
        rows = csv.DictReader(f)
        codes = [(row.get("gtin") or "").strip() for row in rows]
    return [c.zfill(13)[-13:] for c in codes if c.isdigit() and len(c.lstrip("0")) <= 13
            and len(c) in (12, 13, 14) and has_valid_check_digit(c)]  # fmt: skip


def _background(rng: np.random.Generator) -> Image:
    w, h = _SIZE
    ramp = np.linspace(70, 150, w, dtype=np.float32)[None, :].repeat(h, axis=0)
    texture = cv2.GaussianBlur(rng.normal(0, 18, (h, w)).astype(np.float32), (0, 0), 6)
    gray = np.clip(ramp + texture, 0, 255).astype(np.uint8)
    return np.asarray(cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR), np.uint8)


def _card(code: str, hue: int) -> Image:
    label = render_ean13(code, module_px=2, bar_height_px=90)
    lh, lw = label.shape
    card = np.zeros((lh + 80, lw + 60, 3), np.uint8)
    card[:] = cv2.cvtColor(np.array([[[hue, 160, 200]]], dtype=np.uint8), cv2.COLOR_HSV2BGR)[0, 0]
    card[40 : 40 + lh, 30 : 30 + lw] = label[:, :, None]
    return card


def _frames(code: str, index: int, rng: np.random.Generator) -> Iterator[Image]:
    card = _card(code, hue=(index * 37) % 180)
    ch, cw = card.shape[:2]
    w, h = _SIZE
    background = _background(rng)
    total = _ENTER_S + _HOLD_S + _LEAVE_S + _GAP_S
    for n in range(round(total * _FPS)):
        t = n / _FPS
        frame = background.copy()
        if t < _ENTER_S + _HOLD_S + _LEAVE_S:
            if t < _ENTER_S:
                x_mid = -cw + (w / 2 + cw) * (t / _ENTER_S)
            elif t < _ENTER_S + _HOLD_S:
                x_mid = w / 2 + 12 * math.sin(t * 5)
            else:
                x_mid = w / 2 + (w / 2 + cw) * ((t - _ENTER_S - _HOLD_S) / _LEAVE_S)
            y_mid = h / 2 + 10 * math.cos(t * 4)
            tilt = 0.12 * math.sin(t * 2 + index)
            src = np.array([[0, 0], [cw, 0], [cw, ch], [0, ch]], dtype=np.float32)
            dx, dy = cw / 2, ch / 2
            dst = np.array(
                [
                    [x_mid - dx, y_mid - dy * (1 - tilt)],
                    [x_mid + dx, y_mid - dy * (1 + tilt)],
                    [x_mid + dx * 0.97, y_mid + dy * (1 + tilt)],
                    [x_mid - dx * 1.03, y_mid + dy * (1 - tilt)],
                ],
                dtype=np.float32,
            )
            matrix = cv2.getPerspectiveTransform(src, dst)
            warped = cv2.warpPerspective(card, matrix, _SIZE)
            mask = cv2.warpPerspective(np.full((ch, cw), 255, np.uint8), matrix, _SIZE)
            frame[mask > 0] = warped[mask > 0]
            moving = t < _ENTER_S or t > _ENTER_S + _HOLD_S
            kernel = 9 if moving else 3
            size = (kernel, 1) if moving else (kernel, kernel)
            frame = np.asarray(cv2.GaussianBlur(frame, size, 0), np.uint8)
        gain = 0.85 + 0.2 * math.sin(t * 1.3 + index)
        noise = rng.normal(0, 2.5, frame.shape)
        yield np.clip(frame.astype(np.float32) * gain + noise, 0, 255).astype(np.uint8)


def write_video(codes: Sequence[str], out_dir: Path, *, seed: int = 7) -> Path:
    """Write `scan-demo.mp4` (MPEG-4 part 2, which OpenCV writes without extra codecs)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "scan-demo.mp4"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"mp4v"), _FPS, _SIZE)
    if not writer.isOpened():
        raise OSError(f"cannot write {path}: this OpenCV has no MPEG-4 encoder")
    rng = np.random.default_rng(seed)
    try:
        for i, code in enumerate(codes):
            for frame in _frames(code, i, rng):
                writer.write(frame)
    finally:
        writer.release()
    (out_dir / "codes.txt").write_text("\n".join(codes) + "\n", encoding="utf-8")
    return path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.demo_video", description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("assets/demo/scan"))
    parser.add_argument("--codes", nargs="*", help="GTIN-13s to show, in order")
    parser.add_argument("--catalog", type=Path, default=CATALOG)
    args = parser.parse_args(argv)
    codes = list(args.codes or [])
    if not codes and args.catalog.is_file():
        codes = catalog_codes(args.catalog)
    codes = codes or list(DEFAULT_CODES)
    bad = [c for c in codes if len(c) != 13 or not has_valid_check_digit(c)]
    if bad:
        parser.error(f"not GTIN-13s with a valid check digit: {', '.join(bad)}")
    path = write_video(codes, args.out)
    print(f"wrote {path} ({path.stat().st_size // 1024} KiB, {len(codes)} codes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
