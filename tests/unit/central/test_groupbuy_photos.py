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

from central.config import PHOTO_KEEP_DAYS, settings_from
from central.errors import ConfigError, Invalid
from central.groupbuy.photos import KEPT_SIDE, MAX_SCANS, image_size, kept_photo
from tests.helpers import PARSER_EXAMPLES


def _photo(width: int, height: int, ext: str = ".jpg") -> bytes:
    rng = np.random.default_rng(width * 7 + height)
    image = rng.integers(0, 255, (height, width, 3), dtype=np.uint8)
    done, data = cv2.imencode(ext, image)
    assert done
    return data.tobytes()


def _with_exif(jpeg: bytes, orientation: int = 1, gps: bytes = b"31.2304N 121.4737E") -> bytes:
    """The JPEG with an APP1 Exif segment after its start, as a phone writes one: a TIFF
    header and one directory holding the orientation and a text where the GPS goes."""
    entries = [
        struct.pack("<HHII", 0x0112, 3, 1, orientation),  # Orientation, SHORT
        struct.pack("<HHII", 0x010E, 2, len(gps) + 1, 8 + 2 + 2 * 12 + 4),  # a description
    ]
    tiff = b"II*\x00" + struct.pack("<I", 8) + struct.pack("<H", len(entries))
    tiff += b"".join(entries) + struct.pack("<I", 0) + gps + b"\x00"
    body = b"Exif\x00\x00" + tiff
    return jpeg[:2] + b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body + jpeg[2:]


def _markers(jpeg: bytes) -> list[int]:
    """The JPEG's segment markers up to its image data."""
    found, at = [], 2
    while jpeg[at + 1] != 0xDA:
        found.append(jpeg[at + 1])
        at += 2 + struct.unpack(">H", jpeg[at + 2 : at + 4])[0]
    return found


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
    assert image_size(_with_exif(data) if ext == ".jpg" else data) == (width, height)


@given(st.one_of(
    st.binary(max_size=64),
    st.binary(max_size=64).map(lambda b: b"\xff\xd8" + b),
    st.binary(max_size=64).map(lambda b: b"\x89PNG\r\n\x1a\n" + b),
))  # fmt: skip
@settings(max_examples=PARSER_EXAMPLES, deadline=None)
def test_any_bytes_give_a_size_or_none(data: bytes) -> None:
    size = image_size(data)
    assert size is None or all(isinstance(n, int) and n >= 0 for n in size)


def test_a_phone_photo_is_kept_small_upright_and_without_its_metadata() -> None:
    phone = _with_exif(_photo(3200, 2400))
    assert 0xE1 in _markers(phone)
    kept = kept_photo(phone)
    assert (kept.width, kept.height) == (KEPT_SIDE, KEPT_SIDE * 3 // 4)
    assert b"31.2304N" not in kept.jpeg
    # No application segment but the JFIF one the encoder writes: no EXIF, no profile.
    assert [m for m in _markers(kept.jpeg) if 0xE0 <= m <= 0xEF] == [0xE0]
    # Held sideways, the phone says so (orientation 6: turn 90 degrees clockwise).
    turned = kept_photo(_with_exif(_photo(3200, 2400), orientation=6))
    assert (turned.width, turned.height) == (KEPT_SIDE * 3 // 4, KEPT_SIDE)
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


def _hidden_frame(width: int, height: int) -> bytes:
    """A JPEG whose real frame header follows a stuffed FF 00, which libjpeg skips and a
    simple reader takes for a marker, and a second, small one where that reader lands."""
    jpeg = _photo(8, 8)
    segments, at = [], 2
    while jpeg[at + 1] != 0xDA:
        length = struct.unpack(">H", jpeg[at + 2 : at + 4])[0]
        segments.append(jpeg[at : at + 2 + length])
        at += 2 + length
    frame = next(s for s in segments if s[1] == 0xC0)
    frame = frame[:5] + struct.pack(">HH", height, width) + frame[9:]
    rest = b"".join(s for s in segments if s[1] != 0xC0) + jpeg[at:]
    data = b"\xff\xd8\xff\x00" + frame + rest
    data += bytes(2 + 2 + 0xFFC0 - len(data))
    return data + b"\xff\xc0\x00\x0b\x08" + struct.pack(">HH", 100, 100) + b"\x01\x01\x11\x00"


def test_a_header_the_decoder_would_read_otherwise_is_no_photo() -> None:
    # libjpeg reads the 100-megapixel frame after the FF 00 it skips (a reader that took
    # FF 00 for a marker saw 100 x 100); a second frame header, or start, is no photo's.
    bomb = _hidden_frame(10_000, 10_000)
    assert image_size(bomb) is None
    with pytest.raises(Invalid, match="at most 50 megapixels"):
        kept_photo(bomb)
    jpeg = _photo(64, 48)
    frame = jpeg.index(b"\xff\xc0")
    length = struct.unpack(">H", jpeg[frame + 2 : frame + 4])[0]
    twice = jpeg[:frame] + jpeg[frame : frame + 2 + length] * 2 + jpeg[frame + 2 + length :]
    assert image_size(twice) is None
    assert image_size(jpeg[:2] + jpeg) is None


def test_a_jpeg_of_more_scans_than_a_phone_writes_is_refused_undecoded() -> None:
    jpeg = _photo(64, 64)
    scan = jpeg.index(b"\xff\xda")
    repeated = jpeg[:scan] + jpeg[scan:-2] * (MAX_SCANS + 1) + b"\xff\xd9"
    with pytest.raises(Invalid, match="too many scans"):
        kept_photo(repeated)


def test_how_long_photos_are_kept_is_a_whole_number_of_days() -> None:
    env = {"CENTRAL_SECRET_KEY": "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo"}
    assert settings_from(env, "postgresql://x/y").photo_keep_days == PHOTO_KEEP_DAYS
    kept = {**env, "CENTRAL_GROUPBUY_PHOTO_KEEP_DAYS": " 30 "}
    assert settings_from(kept, "postgresql://x/y").photo_keep_days == 30
    for bad in ("0", "-5", "1.5", "ninety", "+3", "²", "٣٠", "3651", "9" * 30):
        with pytest.raises(ConfigError, match="CENTRAL_GROUPBUY_PHOTO_KEEP_DAYS"):
            settings_from({**env, "CENTRAL_GROUPBUY_PHOTO_KEEP_DAYS": bad}, "postgresql://x/y")
