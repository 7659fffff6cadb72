from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest
import segno
from pyzbar.pyzbar import ZBarSymbol

from benchmarks.scoring import score_image
from kiosk.domain.scan import Symbology
from scanner.decode import Decoder, Guide, to_gray
from scanner.errors import FrameError
from simulators.barcodes import render_ean13


def _sample(manifest: list[dict[str, Any]], per_set: int) -> list[dict[str, Any]]:
    """A few images of every set: every family is covered, the run stays short."""
    taken: dict[str, int] = {}
    sample = []
    for entry in manifest:
        if taken.get(entry["set"], 0) < per_set:
            taken[entry["set"]] = taken.get(entry["set"], 0) + 1
            sample.append(entry)
    return sample


def test_corpus_sample_reads_most_and_rarely_wrong(
    corpus: Path, manifest: list[dict[str, Any]]
) -> None:
    decoder = Decoder()
    sample = _sample(manifest, per_set=4)
    hits = wrong = counted = 0
    for entry in sample:
        image = cv2.imread(str(corpus / entry["file"]), cv2.IMREAD_COLOR)
        assert image is not None, entry["file"]
        texts = [r.text for r in decoder(image).reads]
        score = score_image(
            texts,
            family=entry["family"],
            set_name=entry["set"],
            expected=entry["expected"],
            also=entry.get("also", ()),
        )
        hits += score.hit
        wrong += score.wrong
        counted += score.counted
    assert len(sample) > 100
    # The full corpus gives 0.3% wrong; the sample holds one of those hard photos (upca-4).
    assert wrong <= 0.01 * len(sample)
    assert hits / counted > 0.85


def test_rendered_ean13_is_read_by_both_decoders() -> None:
    result = Decoder()(render_ean13("4006381333931"), at=12.5)
    (read,) = result.reads
    assert (read.text, read.symbology) == ("4006381333931", Symbology.EAN13)
    assert read.decoder == "zbar+zxing"
    assert read.aim_id == "]E0"
    assert read.at == 12.5
    assert read.votes >= 2
    xs = [x for x, _ in read.position]
    assert min(xs) >= 0
    assert max(xs) <= 400


def test_upc_a_comes_out_as_twelve_digits() -> None:
    (read,) = Decoder()(render_ean13("0036602301467")).reads
    assert (read.text, read.symbology) == ("036602301467", Symbology.UPCA)


def test_symbologies_outside_the_config_are_not_read() -> None:
    result = Decoder({Symbology.QR})(render_ean13("4006381333931"))
    assert result.reads == ()


def test_qr_with_gs1_flag_and_position() -> None:
    qr = segno.make_qr("https://example.com/p/42", error="m")
    image = _qr_image(qr)
    (read,) = Decoder()(image).reads
    assert read.text == "https://example.com/p/42"
    assert read.symbology is Symbology.QR
    assert read.decoder == "zxing"
    assert not read.gs1


def test_a_small_frame_that_zxing_read_as_a_qr_is_not_scanned_again_by_zbar() -> None:
    # zbar reads only EAN/UPC here: on a photo that is one QR code it has nothing to add.
    result = Decoder()(_qr_image(segno.make_qr("https://example.com/p/42", error="m")))
    assert result.attempts == ("zxing",)
    assert [r.text for r in result.reads] == ["https://example.com/p/42"]


def test_a_small_frame_with_a_qr_and_an_ean_still_votes_on_the_ean() -> None:
    qr = _qr_image(segno.make_qr("https://example.com/p/42", error="m"))
    ean = render_ean13("4006381333931")
    frame = np.full(
        (max(qr.shape[0], ean.shape[0]), qr.shape[1] + ean.shape[1] + 40), 255, np.uint8
    )
    frame[: qr.shape[0], : qr.shape[1]] = qr
    frame[: ean.shape[0], qr.shape[1] + 40 :] = ean
    result = Decoder()(frame)
    assert "zbar" in result.attempts
    reads = {r.text: r.decoder for r in result.reads}
    assert reads == {"https://example.com/p/42": "zxing", "4006381333931": "zbar+zxing"}


def _qr_image(qr: segno.QRCode) -> np.ndarray:
    matrix = np.array([[0 if bit else 255 for bit in row] for row in qr.matrix], np.uint8)
    matrix = np.pad(matrix, 4, constant_values=255)
    return np.asarray(cv2.resize(matrix, None, fx=6, fy=6, interpolation=cv2.INTER_NEAREST))


@pytest.mark.parametrize("angle", [0, 30, 90, 135])
def test_a_qr_on_a_camera_frame_is_read_at_any_angle_without_a_turned_pass(angle: int) -> None:
    qr = _qr_image(segno.make_qr("https://example.com/p/42", error="m"))
    side = qr.shape[0] * 2
    canvas = np.full((side, side), 255, np.uint8)
    canvas[side // 4 : side // 4 + qr.shape[0], side // 4 : side // 4 + qr.shape[1]] = qr
    turn = cv2.getRotationMatrix2D((side / 2, side / 2), angle, 1.0)
    turned = cv2.warpAffine(canvas, turn, (side, side), borderValue=255)
    frame = np.full((720, 1280), 90, np.uint8)
    frame[100 : 100 + side, 500 : 500 + side] = turned
    result = Decoder(time_budget_ms=10_000)(frame)
    assert [r.text for r in result.reads] == ["https://example.com/p/42"]
    assert result.attempts[:2] == ("zxing", "zxing-2d")


def test_non_utf8_qr_payload_is_skipped_or_read_without_crash() -> None:
    qr = segno.make_qr(b"\xff\xfe\xfa\x80 bytes", mode="byte")
    result = Decoder()(_qr_image(qr))
    assert all("\ufffd" not in r.text and r.text for r in result.reads)


@pytest.mark.parametrize(
    "frame",
    [
        np.zeros((0, 0), np.uint8),
        np.zeros((10, 0, 3), np.uint8),
        np.zeros((10, 10), np.uint16),
        np.zeros((10, 10, 2), np.uint8),
        np.zeros((2, 2, 2, 2), np.uint8),
        b"not an image",
    ],
)
def test_bad_frames_raise_frame_error(frame: object) -> None:
    with pytest.raises(FrameError):
        Decoder()(frame)


def test_blank_tiny_and_noisy_frames_give_no_reads() -> None:
    decoder = Decoder()
    rng = np.random.default_rng(3)
    for frame in (
        np.full((1, 1), 255, np.uint8),
        np.full((3, 5, 3), 0, np.uint8),
        rng.integers(0, 256, (480, 640, 3), dtype=np.uint8),
    ):
        assert decoder(frame).reads == ()


def test_huge_frame_is_shrunk_and_still_read() -> None:
    label = cv2.resize(render_ean13("6901234567892"), None, fx=4, fy=4)
    frame = np.full((5000, 6000), 255, np.uint8)
    frame[1000 : 1000 + label.shape[0], 1000 : 1000 + label.shape[1]] = label
    (read,) = Decoder(time_budget_ms=200)(frame).reads
    assert read.text == "6901234567892"
    x0 = min(x for x, _ in read.position)
    assert 900 < x0 < 1200


def test_truncated_image_file_decodes_to_nothing(tmp_path: Path) -> None:
    ok, png = cv2.imencode(".png", render_ean13("6901234567892"))
    assert ok
    broken = tmp_path / "broken.png"
    broken.write_bytes(png.tobytes()[:200])
    assert cv2.imread(str(broken)) is None


def test_time_budget_stops_retries() -> None:
    ticks = iter(range(0, 10_000, 1))
    decoder = Decoder(time_budget_ms=0.5, clock=lambda: next(ticks) / 1000)
    result = decoder(np.full((200, 300), 200, np.uint8))
    assert result.attempts == ("zxing", "zbar")


def test_to_gray_keeps_gray_and_converts_colour() -> None:
    bgr = np.zeros((4, 4, 3), np.uint8)
    bgr[..., 2] = 255
    assert to_gray(bgr).shape == (4, 4)
    assert to_gray(np.zeros((4, 4, 1), np.uint8)).shape == (4, 4)
    assert to_gray(np.zeros((4, 4, 4), np.uint8)).dtype == np.uint8


def _camera_frame() -> np.ndarray:
    return np.full((720, 1280), 120, np.uint8)


def test_bar_region_is_found_on_a_camera_frame_and_text_is_not() -> None:
    from scanner.decode import _barcode_region, _View

    frame = _camera_frame()
    label = render_ean13("4006381333931", module_px=2)
    frame[300 : 300 + label.shape[0], 500 : 500 + label.shape[1]] = label
    region = _barcode_region(_View(frame, 1.0, (0, 0)))
    assert region is not None
    x0, y0 = region.offset
    _, w = region.image.shape
    assert x0 <= 510
    assert y0 <= 310
    assert x0 + w >= 490 + label.shape[1]

    text = _camera_frame()
    for row in range(6):
        cv2.putText(text, "Best before 12/2027 lot 4711", (40, 120 + 90 * row), 0, 1.6, 0, 3)
    rng = np.random.default_rng(5)
    noise = rng.integers(0, 256, (720, 1280), dtype=np.uint8)
    for empty in (_camera_frame(), text, noise):
        assert _barcode_region(_View(empty, 1.0, (0, 0))) is None


@pytest.mark.parametrize("degrees", [0, 15, 30, 45, 75, 90, 105, 165])
def test_bar_region_is_found_whatever_the_bars_angle(degrees: int) -> None:
    # The locator splits edges into direction sectors 30 degrees apart: a code whose bars lie
    # on a sector's edge (15, 45, 75 ...) must still be one patch, in the sector beside it.
    from scanner.decode import _barcode_region, _box_of, _View

    label = render_ean13("4006381333931", module_px=2)
    h, w = label.shape
    side = int(np.hypot(h, w)) + 40
    canvas = np.full((side, side), 255, np.uint8)
    canvas[(side - h) // 2 : (side + h) // 2, (side - w) // 2 : (side + w) // 2] = label
    turn = cv2.getRotationMatrix2D((side / 2, side / 2), degrees, 1.0)
    turned = cv2.warpAffine(canvas, turn, (side, side), borderValue=255)
    frame = _camera_frame()
    frame[200 : 200 + side, 500 : 500 + side] = turned
    region = _barcode_region(_View(frame, 1.0, (0, 0)))
    assert region is not None
    x0, y0, x1, y1 = _box_of(region)
    centre = (500 + side / 2, 200 + side / 2)
    assert x0 < centre[0] < x1
    assert y0 < centre[1] < y1
    assert x1 - x0 >= 0.7 * side  # the whole code, not a part of it


def test_a_stream_frame_looks_at_half_size_before_it_searches() -> None:
    # Bars smeared by a product's slide: zxing-cpp misses them at full size and reads them at
    # half, where a module is one pixel and the smear less than one; zbar misses them both.
    frame = _camera_frame()
    label = render_ean13("4006381333931", module_px=2)
    frame[300 : 300 + label.shape[0], 500 : 500 + label.shape[1]] = label
    smeared = cv2.blur(frame, (3, 1))
    result = Decoder(time_budget_ms=10_000, stream=True)(smeared)
    assert result.attempts[:4] == ("zxing", "zxing-2d", "zbar", "zxing-half")
    assert "zxing-fixed" not in result.attempts  # read without a search
    (read,) = result.reads
    assert read.text == "4006381333931"
    assert "zxing-half" in read.steps
    # A still image has no use for it: it is searched whole, as before.
    assert "zxing-half" not in Decoder(time_budget_ms=10_000)(smeared).attempts


def _box_edges_and_stripes(frame: np.ndarray) -> None:
    """A shelf's print around a product: a dark box (two strong parallel edges) and a
    diagonal striped fabric, touching the code's left and right."""
    frame[250:520, 380:440] = 25
    yy, xx = np.mgrid[0:260, 0:200]
    frame[260:520, 700:900] = np.where(((xx + yy) // 6) % 2 == 0, 40, 210).astype(np.uint8)


def test_a_code_beside_box_edges_and_stripes_is_located() -> None:
    from scanner.decode import _barcode_region, _box_of, _View

    frame = _camera_frame()
    label = render_ean13("4006381333931", module_px=2)
    h, w = label.shape
    frame[300 : 300 + h, 470 : 470 + w] = label
    _box_edges_and_stripes(frame)
    code = (470, 300, 470 + w, 300 + h)
    found = []
    avoid: tuple[tuple[int, int, int, int], ...] = ()
    while (region := _barcode_region(_View(frame, 1.0, (0, 0)), avoid=avoid)) is not None:
        found.append(_box_of(region))
        avoid = (*avoid, found[-1])
    # The stripes, the larger patch, come first, then the code: each once. The box's edges
    # (one edge deep) are no patch of their own.
    assert len(found) == 2
    assert 700 < (found[0][0] + found[0][2]) / 2 < 900
    x0, y0, x1, y1 = found[1]
    assert x0 <= code[0]
    assert y0 <= code[1]
    assert x1 >= code[2]
    assert y1 >= code[3]
    # Grown by half its length each side, but not merged with the stripes beyond it.
    assert x1 < 900


def test_a_located_patch_reaches_further_across_its_bars_than_along_them() -> None:
    from scanner.decode import _barcode_region, _box_of, _patch_pads, _View

    assert _patch_pads(100, 0) == pytest.approx((54, 19))  # upright bars: crossed along x
    assert _patch_pads(100, 90) == pytest.approx((19, 54))
    label = render_ean13("4006381333931", module_px=2)
    h, w = label.shape
    frame = _camera_frame()
    frame[300 : 300 + h, 470 : 470 + w] = label
    for turned in (False, True):
        image = np.ascontiguousarray(frame.T) if turned else frame
        region = _barcode_region(_View(image, 1.0, (0, 0)))
        assert region is not None
        x0, y0, x1, y1 = _box_of(region)
        if turned:
            x0, y0, x1, y1 = y0, x0, y1, x1
        # The whole code with its quiet zones, and far less of what lies above and below.
        assert (x0, y0) <= (470 - 9 * 2, 300)
        assert (x1, y1) >= (470 + w + 9 * 2, 300 + h)
        assert 470 - x0 > 2 * (300 - y0)
        assert x1 - 470 - w > 2 * (y1 - 300 - h)


def _soft_code_frame(sigma: float, gain: float) -> np.ndarray:
    """A blurred code the first pass misses and a search at its bars reads."""
    frame = np.full((720, 1280), 180, np.uint8)
    label = cv2.GaussianBlur(
        render_ean13("4006381333931", module_px=3).astype(np.float32), (0, 0), sigma
    )
    label = np.clip(255 * (label / 255) ** gain, 0, 255).astype(np.uint8)
    frame[250 : 250 + label.shape[0], 400 : 400 + label.shape[1]] = label
    return frame


def test_a_stream_search_ends_at_its_first_read_with_the_other_decoders_look() -> None:
    stream = Decoder(time_budget_ms=10_000, stream=True)
    # zxing-cpp's equalised copy at 1.5x reads it and zbar's look at that place agrees: the
    # search ends there, and the code is confirmed on this frame.
    both = stream(_soft_code_frame(1.4, 0.6))
    (read,) = both.reads
    assert (read.text, read.decoder) == ("4006381333931", "zbar+zxing")
    ladder = [name for name in both.attempts if name.startswith("roi-")]
    assert ladder[-2:] == ["roi-zxing-clahe-1.5x", "roi-zbar"]
    assert read.steps == {"roi-zxing-clahe-1.5x", "roi-zbar"}
    # Read by one step only and not by zbar: handed on for the next frame to confirm, the
    # rest of the ladder left.
    alone = stream(_soft_code_frame(1.8, 0.8))
    assert alone.reads == ()
    assert [[r.text for r in place] for place in alone.unsettled] == [["4006381333931"]]
    ladder = [name for name in alone.attempts if name.startswith("roi-")]
    assert ladder == ["roi-zxing-dark", "roi-zxing-clahe", "roi-zxing-flat", "roi-zbar"]
    # A still image has no next frame: its search runs the whole ladder as before.
    still = Decoder(time_budget_ms=10_000)(_soft_code_frame(1.8, 0.8))
    assert len([name for name in still.attempts if name.startswith("roi-")]) > 4


def test_empty_camera_frame_skips_the_ean_ladder() -> None:
    # A budget no loaded machine runs out of: the ladder must be skipped for want of bars,
    # not of time (with 30 ms of wall time the retry was cut on a busy machine).
    result = Decoder(time_budget_ms=10_000)(_camera_frame())
    assert result.reads == ()
    assert result.attempts == ("zxing", "zxing-2d", "zbar", "zxing-fixed", "zxing-fixed-2d")


def test_a_stream_leaves_a_camera_frame_with_no_first_read_at_the_first_pass() -> None:
    frame = _camera_frame()
    label = render_ean13("4006381333931", module_px=2)
    frame[300 : 300 + label.shape[0], 500 : 500 + label.shape[1]] = label
    stream = Decoder(time_budget_ms=10_000, stream=True)
    assert stream(_camera_frame()).attempts == ("zxing", "zxing-2d", "zbar", "zxing-half")
    # A code the first pass reads is voted on as before.
    assert [r.text for r in stream(frame).reads] == ["4006381333931"]
    # Small frames (photos, crops) are searched whole either way.
    small = np.full((200, 300), 200, np.uint8)
    assert "zxing-fixed" in stream(small).attempts


def _striped_camera_frame() -> np.ndarray:
    """Bars no decoder reads (a striped shirt behind the product): the locator finds them."""
    frame = _camera_frame()
    stripes = np.where((np.arange(300) // 4) % 2 == 0, 30, 220).astype(np.uint8)
    frame[300:420, 400:700] = stripes[None, :]
    return frame


def test_a_stream_searches_bars_it_cannot_read_then_spares_that_place() -> None:
    stream = Decoder(time_budget_ms=10_000, stream=True)
    first = stream(_striped_camera_frame())
    assert first.reads == ()
    assert "zxing-fixed" in first.attempts
    assert any(name.startswith("roi-") for name in first.attempts)  # the ladder ran there
    assert first.searched is not None
    x0, y0, x1, y1 = first.searched
    assert x0 <= 400
    assert y0 <= 300
    assert x1 >= 700
    assert y1 >= 420
    # Passed back (FrameVote.guide), the same bars are passed over: nothing else to search.
    again = stream(_striped_camera_frame(), guide=Guide(searched=(first.searched,)))
    assert again.attempts == ("zxing", "zxing-2d", "zbar", "zxing-half")
    assert again.searched is None
    # Spared somewhere else, these bars are searched.
    elsewhere = stream(_striped_camera_frame(), guide=Guide(searched=((0, 0, 200, 100),)))
    assert elsewhere.searched == first.searched
    # Just after a search in vain a stream searches nothing, not even a new place.
    resting = stream(_striped_camera_frame(), guide=Guide(search=False))
    assert resting.attempts == ("zxing", "zxing-2d", "zbar", "zxing-half")
    # A still image has no stream to spare it for.
    assert Decoder(time_budget_ms=10_000)(_striped_camera_frame()).searched is None


def test_a_stream_search_runs_on_the_search_budget() -> None:
    ticks = itertools.count(step=0.002)  # 2 ms per clock reading

    def attempts(**budgets: float) -> tuple[str, ...]:
        clock = lambda: next(ticks)  # noqa: E731 - one shared counter
        return Decoder(clock=clock, stream=True, **budgets)(_striped_camera_frame()).attempts

    # The frame's own budget is spent by the first pass: the ladder never starts.
    assert not any(a.startswith("roi-") for a in attempts(time_budget_ms=5))
    assert any(a.startswith("roi-") for a in attempts(time_budget_ms=5, search_budget_ms=500))


def test_small_code_on_a_camera_frame_is_read_through_its_region() -> None:
    frame = _camera_frame()
    label = render_ean13("5012345678900", module_px=2)
    frame[200 : 200 + label.shape[0], 700 : 700 + label.shape[1]] = label
    (read,) = Decoder(time_budget_ms=200)(frame).reads
    assert read.text == "5012345678900"
    assert min(x for x, _ in read.position) >= 690


def test_a_single_scan_line_image_is_read() -> None:
    label = render_ean13("4006381333931", module_px=2)
    line = np.ascontiguousarray(label[label.shape[0] // 3 : label.shape[0] // 3 + 1])
    (read,) = Decoder()(line).reads
    assert read.text == "4006381333931"


def test_zbar_scans_only_the_direction_that_crosses_the_bars() -> None:
    from scanner.decode import _bar_axes

    label = render_ean13("4006381333931", module_px=2)
    assert _bar_axes(label) == "rows"
    assert _bar_axes(np.ascontiguousarray(np.rot90(label))) == "columns"
    h, w = label.shape
    tilted = cv2.warpAffine(
        label, cv2.getRotationMatrix2D((w / 2, h / 2), 45, 1.0), (w, h), borderValue=255
    )
    assert _bar_axes(np.asarray(tilted, np.uint8)) == "both"
    noise = np.random.default_rng(3).integers(0, 256, (200, 300), dtype=np.uint8)
    assert _bar_axes(noise) == "both"
    assert _bar_axes(np.full((50, 80), 128, np.uint8)) == "both"


def test_a_code_lying_on_its_side_is_read_through_the_column_scans() -> None:
    from scanner.decode import _zbar_decode

    label = np.ascontiguousarray(np.rot90(render_ean13("4006381333931", module_px=2)))
    symbols = [ZBarSymbol.EAN13]
    assert [d.data for d in _zbar_decode(label, symbols, 1, "columns")] == [b"4006381333931"]
    assert _zbar_decode(label, symbols, 1, "rows") == []
    frame = _camera_frame()
    frame[100 : 100 + label.shape[0], 600 : 600 + label.shape[1]] = label
    (read,) = Decoder(time_budget_ms=200)(frame).reads
    assert read.text == "4006381333931"


def test_a_dim_low_contrast_photo_is_read_by_zxing_on_an_equalised_upscale(corpus: Path) -> None:
    # Read by no other step of the ladder: CLAHE brings the bars out, 1.5x gives zxing-cpp
    # enough pixels per module.
    image = cv2.imread(str(corpus / "zxing-java/upca-2/34.png"), cv2.IMREAD_COLOR)
    result = Decoder(time_budget_ms=500)(image)
    assert [r.text for r in result.reads] == ["899684001003"]
    assert "roi-zxing-clahe-1.5x" in result.attempts


def _code128_image(text: str) -> np.ndarray:
    import io

    from barcode import Code128  # python-barcode, pinned (it comes with python-escpos)
    from barcode.writer import ImageWriter

    buffer = io.BytesIO()
    options = {"module_width": 0.4, "module_height": 15, "quiet_zone": 6, "write_text": False}
    Code128(text, writer=ImageWriter()).write(buffer, options)
    image = cv2.imdecode(np.frombuffer(buffer.getvalue(), np.uint8), cv2.IMREAD_GRAYSCALE)
    return np.asarray(image)


@pytest.mark.parametrize("code", ["134567890123456701", "2876344382566439400"])
def test_a_wallets_payment_code_is_read_as_its_barcode_and_its_qr(code: str) -> None:
    # WeChat and Alipay show the payment code as a Code 128 barcode above a QR of the
    # same digits; either one held to the camera reads as the digits.
    (bar,) = Decoder()(_code128_image(code)).reads
    assert (bar.text, bar.symbology) == (code, Symbology.CODE128)
    (qr,) = Decoder()(_qr_image(segno.make_qr(code, error="m"))).reads
    assert (qr.text, qr.symbology) == (code, Symbology.QR)


def test_a_frame_guided_to_skip_matrix_codes_leaves_its_qr_to_the_next() -> None:
    qr = _qr_image(segno.make_qr("https://example.com/p/42", error="m"))
    frame = np.full((720, 1280), 90, np.uint8)
    frame[100 : 100 + qr.shape[0], 500 : 500 + qr.shape[1]] = qr
    stream = Decoder(time_budget_ms=10_000, stream=True)
    skipped = stream(frame, guide=Guide(matrix=False))
    assert skipped.reads == ()
    assert "zxing-2d" not in skipped.attempts
    looked = stream(frame, guide=Guide(matrix=True))
    assert [r.text for r in looked.reads] == ["https://example.com/p/42"]


def test_a_stream_search_tries_the_cheap_zxing_steps_first_and_not_zbar_at_full_size() -> None:
    result = Decoder(time_budget_ms=10_000, stream=True)(_striped_camera_frame())
    ladder = [name for name in result.attempts if name.startswith("roi-")]
    assert ladder[:5] == [
        "roi-zxing-dark",
        "roi-zxing-clahe",
        "roi-zxing-flat",
        "roi-zxing-1.5x",
        "roi-zxing-clahe-1.5x",
    ]
    assert "roi-zbar" not in ladder
    assert "roi-zbar-clahe" not in ladder
    # A still image's bars get the whole ladder, zbar at full size first.
    still = Decoder(time_budget_ms=10_000)(_striped_camera_frame())
    assert next(name for name in still.attempts if name.startswith("roi-")) == "roi-zbar"
