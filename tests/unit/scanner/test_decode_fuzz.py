"""Fuzzing the decoder: whatever arrives as a frame, it raises only ScannerErrors and never
returns an EAN/UPC read with a bad check digit."""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.domain.codes import expand_upce, has_valid_check_digit
from kiosk.domain.scan import Symbology
from scanner.decode import Decoder, Read
from scanner.errors import ScannerError
from scanner.symbols import EAN_UPC
from simulators.barcodes import render_ean13

_DECODER = Decoder(time_budget_ms=40)
_FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)


def _check(frame: object) -> tuple[Read, ...]:
    try:
        result = _DECODER(frame)
    except ScannerError:
        return ()
    for read in result.reads:
        assert read.text
        assert "\ufffd" not in read.text
        if read.symbology in EAN_UPC:
            assert read.text.isascii()
            assert read.text.isdigit()
            digits = expand_upce(read.text) if read.symbology is Symbology.UPCE else read.text
            assert has_valid_check_digit(digits), read
    return result.reads


_DTYPES = st.sampled_from([np.uint8, np.uint8, np.uint8, np.uint16, np.float32, np.int8, bool])


@st.composite
def arrays(draw: st.DrawFn) -> Any:
    """Arrays of any small shape and dtype: noise, flat, striped or empty."""
    ndim = draw(st.integers(0, 4))
    shape = tuple(draw(st.integers(0, 90)) for _ in range(ndim))
    if ndim == 3:
        shape = (*shape[:2], draw(st.sampled_from([1, 2, 3, 4, 5])))
    dtype = draw(_DTYPES)
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    kind = draw(st.sampled_from(["noise", "flat", "stripes"]))
    if kind == "noise":
        data = rng.integers(0, 256, shape)
    elif kind == "flat":
        data = np.full(shape, draw(st.integers(0, 255)))
    else:
        data = np.zeros(shape)
        if ndim >= 2 and shape[1]:
            widths = rng.integers(1, 5, shape[1])
            data = np.broadcast_to(
                ((np.cumsum(widths) % 2) * 255).reshape(1, -1, *([1] * (ndim - 2))), shape
            )
    return np.ascontiguousarray(data).astype(dtype)


@given(arrays())
@_FUZZ
def test_any_array_gives_reads_or_a_frame_error(frame: Any) -> None:
    _check(frame)


@given(st.one_of(st.none(), st.integers(), st.text(max_size=20), st.binary(max_size=50)))
@settings(max_examples=20, deadline=None, database=None)
def test_non_arrays_give_a_frame_error(frame: object) -> None:
    _check(frame)


_LABEL = render_ean13("4006381333931")


@st.composite
def damaged_labels(draw: st.DrawFn) -> Any:
    """A real EAN-13 label, then scaled, noised, blurred, cut and scribbled over."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    image = _LABEL.astype(np.float32)
    scale = draw(st.floats(0.25, 1.5))
    image = cv2.resize(image, None, fx=scale, fy=draw(st.floats(0.1, 1.5)))
    if draw(st.booleans()):
        image = cv2.GaussianBlur(image, (0, 0), draw(st.floats(0.3, 3.0)))
    image = image * draw(st.floats(0.2, 1.2)) + draw(st.floats(-60, 120))
    image = image + rng.normal(0, draw(st.floats(0, 60)), image.shape)
    h, w = image.shape
    for _ in range(draw(st.integers(0, 6))):
        # Scribbles and erased blocks: bars that are not there, bars that are extra.
        x0, y0 = int(rng.integers(0, w)), int(rng.integers(0, h))
        x1, y1 = x0 + int(rng.integers(1, 40)), y0 + int(rng.integers(1, h + 1))
        image[y0:y1, x0:x1] = draw(st.sampled_from([0.0, 255.0]))
    if draw(st.booleans()):
        # Cut: keep a random window (a crop through the code).
        x0 = int(rng.integers(0, max(1, w // 2)))
        image = image[:, x0 : x0 + int(rng.integers(1, w + 1))]
    if draw(st.booleans()):
        image = np.rot90(image, draw(st.integers(1, 3)))
    return np.ascontiguousarray(np.clip(image, 0, 255).astype(np.uint8))


@given(damaged_labels())
@_FUZZ
def test_damaged_labels_read_right_or_not_at_all(frame: Any) -> None:
    for read in _check(frame):
        assert read.text == "4006381333931", read
