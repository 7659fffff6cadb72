"""The demo footage generator: a short clip written to a temp folder and decoded back."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from kiosk.domain.codes import has_valid_check_digit
from kiosk.domain.scan import Symbology
from scanner.config import ConfirmRule
from scanner.decode import Decoder
from scanner.trust import Debouncer
from tools import demo_video

CODES = ["4006381333931", "5012345678900"]


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_video.write_video(CODES, tmp_path_factory.mktemp("demo"))


def _frames(path: Path) -> list[np.ndarray]:
    capture = cv2.VideoCapture(str(path))
    frames = []
    try:
        while True:
            ok, frame = capture.read()
            if not ok:
                break
            frames.append(frame)
    finally:
        capture.release()
    return frames


def test_clip_has_the_expected_size_and_length(clip: Path) -> None:
    frames = _frames(clip)
    per_code = (
        demo_video._ENTER_S + demo_video._HOLD_S + demo_video._LEAVE_S + demo_video._GAP_S
    ) * demo_video._FPS
    assert len(frames) == round(per_code) * len(CODES)
    assert frames[0].shape == (480, 640, 3)
    assert (clip.parent / "codes.txt").read_text(encoding="utf-8").split() == CODES


def test_decoding_the_clip_scans_each_code_once_in_order(clip: Path) -> None:
    decoder = Decoder(time_budget_ms=100)
    debouncer = Debouncer(confirm=ConfirmRule.FRAMES)
    events = []
    read_frames = 0
    for n, frame in enumerate(_frames(clip)):
        at = n / demo_video._FPS
        result = decoder(frame, at=at)
        read_frames += bool(result.reads)
        assert all(r.text in CODES for r in result.reads)
        events.extend(debouncer.feed(result.reads, at))
    assert [e.text for e in events] == CODES
    assert all(e.symbology is Symbology.EAN13 for e in events)
    # The card is still and sharp for most of its time in view: most of those frames read.
    assert read_frames >= len(CODES) * demo_video._HOLD_S * demo_video._FPS * 0.8


def test_generation_is_deterministic() -> None:
    def first_frames(seed: int) -> list[np.ndarray]:
        frames = demo_video._frames(CODES[0], 0, np.random.default_rng(seed))
        return [next(frames) for _ in range(12)]

    same = zip(first_frames(7), first_frames(7), strict=True)
    assert all(np.array_equal(a, b) for a, b in same)
    assert not np.array_equal(first_frames(7)[-1], first_frames(8)[-1])


def test_catalog_codes_keep_valid_gtin_13s(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog.csv"
    catalog.write_text(
        "name,gtin\ntea,4006381333931\nbad check,4006381333932\nupc,036000291452\n"
        "short,96385074\nnone,\n",
        encoding="utf-8",
    )
    assert demo_video.catalog_codes(catalog) == ["4006381333931", "0036000291452"]


def test_cli_refuses_codes_with_a_wrong_check_digit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        demo_video.main(["--out", str(tmp_path), "--codes", "4006381333932"])
    assert exc.value.code == 2
    assert "4006381333932" in capsys.readouterr().err
    assert not (tmp_path / "scan-demo.mp4").exists()


def test_cli_writes_the_clip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert demo_video.main(["--out", str(tmp_path), "--codes", CODES[1]]) == 0
    assert (tmp_path / "scan-demo.mp4").stat().st_size > 10_000
    assert "1 codes" in capsys.readouterr().out


def test_built_in_codes_are_valid_and_an_empty_catalog_gives_none(tmp_path: Path) -> None:
    assert all(len(c) == 13 and has_valid_check_digit(c) for c in demo_video.DEFAULT_CODES)
    assert demo_video.catalog_codes(_write(tmp_path / "c.csv", "gtin\n")) == []


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
