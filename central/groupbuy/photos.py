"""A buyer's photo of what was wrong with a group-buy product, as the store keeps it.

Shoppers photograph a broken egg or a bruised peach with their phone and attach it to the
problem report; the store looks at it before it refunds. What a phone uploads is checked
before it is decoded (a small file can claim a huge image: a decompression bomb), then
re-encoded: the kept JPEG is at most `KEPT_SIDE` pixels a side and carries none of the
phone's metadata (its EXIF holds where and when the photo was taken).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

import cv2
import numpy as np
from fastapi import Response

from central.errors import Invalid

MAX_UPLOAD = 12 * 1024 * 1024
"""Bytes of a problem report's form with its photo: a phone's JPEG is 2-6 MB."""
MAX_PIXELS = 50_000_000
"""A 48-megapixel phone camera's photo, and not a bomb."""
KEPT_SIDE = 1600
"""The longer side of the kept photo: a product's damage shows at that size."""
_QUALITY = 85
_PNG = b"\x89PNG\r\n\x1a\n"
# JPEG start-of-frame markers (not DHT C4, JPG C8 or DAC CC): they hold the image's size.
_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


@dataclass(frozen=True, slots=True)
class KeptPhoto:
    jpeg: bytes
    width: int
    height: int


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) from a PNG's or a JPEG's header; None for anything else."""
    if data.startswith(_PNG) and data[12:16] == b"IHDR" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return width, height
    if not data.startswith(b"\xff\xd8"):
        return None
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker == 0xFF:  # fill bytes before a marker
            at += 1
            continue
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:  # markers without a length
            at += 2
            continue
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        if length < 2:
            return None
        if marker in _SOF:
            if at + 9 > len(data):
                return None
            height, width = struct.unpack(">HH", data[at + 5 : at + 9])
            return width, height
        if marker == 0xDA:  # the image data starts: no frame header came before it
            return None
        at += 2 + length
    return None


def kept_photo(data: bytes) -> KeptPhoto:
    """The photo as the store keeps it; Invalid (`problem_photo`) for anything that is not
    a JPEG or PNG image of at most `MAX_PIXELS`."""
    size = image_size(data)
    if size is None or not 0 < size[0] * size[1] <= MAX_PIXELS:
        raise Invalid(
            "the photo must be a JPEG or PNG image of at most 50 megapixels",
            reason="problem_photo",
        )
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        raise Invalid("the photo could not be read: take it again", reason="problem_photo")
    height, width = image.shape[:2]
    scale = min(1.0, KEPT_SIDE / max(height, width))
    if scale < 1.0:
        width, height = max(1, round(width * scale)), max(1, round(height * scale))
        image = cv2.resize(image, (width, height), interpolation=cv2.INTER_AREA)
    done, encoded = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, _QUALITY])
    if not done:  # a decoded 8-bit image encodes; a store must never keep half of one
        raise Invalid("the photo could not be kept", reason="problem_photo")
    return KeptPhoto(encoded.tobytes(), width, height)


def photo_response(jpeg: bytes) -> Response:
    """A kept photo as an answer, for whoever may see its problem only (never a shared
    cache's): the buyer's photo may show their home."""
    return Response(
        jpeg,
        media_type="image/jpeg",
        headers={"Cache-Control": "private, max-age=3600", "X-Content-Type-Options": "nosniff"},
    )
