"""A buyer's photo with a group-buy problem: its size read from the header before it is
decoded (a small file can claim a huge image), then kept small and without the phone's
metadata."""

from __future__ import annotations

import struct
import zlib

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from central.errors import Invalid
from central.groupbuy.photos import KEPT_SIDE, image_size, kept_photo
from tests.helpers import PARSER_EXAMPLES


def _photo(width: int, height: int, ext: str = ".jpg") -> bytes:
    rng = np.random.default_rng(width * 7 + height)
    image = rng.integers(0, 255, (height, width, 3), dtype=np.uint8)
    done, data = cv2.imencode(ext, image)
    assert done
    return data.tobytes()


def _with_exif(jpeg: bytes, payload: bytes) -> bytes:
    """The JPEG with an APP1 Exif segment after its start, as a phone writes one."""
    body = b"Exif\x00\x00" + payload
    return jpeg[:2] + b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body + jpeg[2:]


def _png_header(width: int, height: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return (
        b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + chunk + struct.pack(">I", zlib.crc32(chunk))
    )


@pytest.mark.parametrize(("width", "height"), [(1, 1), (640, 480), (333, 1201)])
@pytest.mark.parametrize("ext", [".jpg", ".png"])
def test_the_size_is_read_from_the_header(width: int, height: int, ext: str) -> None:
    data = _photo(width, height, ext)
    assert image_size(data) == (width, height)
    assert image_size(_with_exif(data, b"GPS" * 100) if ext == ".jpg" else data) == (
        width,
        height,
    )


@given(st.one_of(
    st.binary(max_size=64),
    st.binary(max_size=64).map(lambda b: b"\xff\xd8" + b),
    st.binary(max_size=64).map(lambda b: b"\x89PNG\r\n\x1a\n" + b),
))  # fmt: skip
@settings(max_examples=PARSER_EXAMPLES, deadline=None)
def test_any_bytes_give_a_size_or_none(data: bytes) -> None:
    size = image_size(data)
    assert size is None or all(isinstance(n, int) and n >= 0 for n in size)


def test_a_phone_photo_is_kept_small_and_without_its_metadata() -> None:
    phone = _with_exif(_photo(3200, 2400), b"GPS 31.2304N 121.4737E" * 10)
    kept = kept_photo(phone)
    assert (kept.width, kept.height) == (KEPT_SIDE, KEPT_SIDE * 3 // 4)
    assert b"GPS" not in kept.jpeg
    assert b"Exif" not in kept.jpeg
    decoded = cv2.imdecode(np.frombuffer(kept.jpeg, np.uint8), cv2.IMREAD_COLOR)
    assert decoded is not None
    assert decoded.shape == (kept.height, kept.width, 3)
    small = kept_photo(_photo(800, 600, ".png"))
    assert (small.width, small.height) == (800, 600)  # not enlarged
    assert small.jpeg.startswith(b"\xff\xd8")


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"GIF89a" + bytes(100),
        _png_header(30_000, 30_000) + bytes(100),  # 900 MP claimed in 100 bytes: a bomb
        _png_header(0, 10) + bytes(100),
        b"\xff\xd8" + bytes(100),  # a JPEG start and nothing of a frame
        _photo(64, 64)[:200],  # cut off
    ],
)
def test_what_is_no_photo_is_refused_before_or_by_decoding(data: bytes) -> None:
    with pytest.raises(Invalid) as refused:
        kept_photo(data)
    assert refused.value.reason == "problem_photo"
