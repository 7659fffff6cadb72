"""A buyer's photo of what was wrong with a group-buy product, as the store keeps it.

Shoppers photograph a broken egg or a bruised peach with their phone and attach it to the
problem report; the store looks at it before it refunds. A small file can claim a huge
image (a decompression bomb), so what a phone uploads is checked before it is decoded
whole: its header's size, read as the decoders will read it, and its count of scans
(each of a progressive JPEG's costs a pass over the whole image, whose coefficients
libjpeg holds at full size: about 460 MB for a four-component progressive 50 MP JPEG, the
worst an accepted photo costs). At most `DECODERS` photos are decoded at once. The photo
is then
re-encoded: the kept JPEG is at most `KEPT_SIDE` pixels a side, upright (EXIF
orientation applied), and carries none of the phone's metadata (its EXIF holds where and
when the photo was taken) nor its colour profile.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

import cv2
import numpy as np
from fastapi import Response

from central.errors import Invalid

MAX_UPLOAD = 12 * 1024 * 1024
"""Bytes of a problem report's form with its photo: a phone's JPEG is 2-6 MB, a 50 MP
mode's up to 12 (the route caps its body itself: `central.app.OWN_LIMITS`)."""
MAX_SCANS = 64
"""Start-of-scan markers in a JPEG: a progressive one has about ten."""
DECODERS = 2
"""Photos decoded at once per service process (the machine's cores); the others wait
without holding a thread (`central.groupbuy.routes`)."""
MAX_PIXELS = 50_000_000
"""A 48-megapixel phone camera's photo, and not a bomb."""
KEPT_SIDE = 1600
"""The longer side of the kept photo: a product's damage shows at that size."""
_QUALITY = 85
_PNG = b"\x89PNG\r\n\x1a\n"
# JPEG start-of-frame markers (not DHT C4, JPG C8 or DAC CC): they hold the image's size.
_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
_REDUCED = {1: cv2.IMREAD_COLOR, 2: cv2.IMREAD_REDUCED_COLOR_2, 4: cv2.IMREAD_REDUCED_COLOR_4,
            8: cv2.IMREAD_REDUCED_COLOR_8}  # fmt: skip


@dataclass(frozen=True, slots=True)
class KeptPhoto:
    jpeg: bytes
    width: int
    height: int


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) from a PNG's or a JPEG's header, as their decoders will read it; None
    for anything else, or a header they could read otherwise.

    libpng holds to the first IHDR. libjpeg skips what is not a marker between segments
    (`FF 00`, any byte not after `FF`) and may meet more than one frame header: a reader
    that took the first marker-like bytes for the header was shown a small frame while the
    decoder found a 100-megapixel one. So the segments up to the image data must be all
    markers, with exactly one frame header among them.
    """
    if data.startswith(_PNG) and data[12:16] == b"IHDR" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return width, height
    if not data.startswith(b"\xff\xd8"):
        return None
    size: tuple[int, int] | None = None
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker == 0xFF:  # fill bytes before a marker
            at += 1
            continue
        if marker == 0x00 or marker == 0xD8:  # skipped by libjpeg, or a second start
            return None
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:  # markers without a length
            at += 2
            continue
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        if length < 2:
            return None
        if marker in _SOF:
            if size is not None or at + 9 > len(data):
                return None
            height, width = struct.unpack(">HH", data[at + 5 : at + 9])
            size = (width, height)
        if marker == 0xDA:  # the image data starts
            return size
        at += 2 + length
    return None


def kept_photo(data: bytes) -> KeptPhoto:
    """The photo as the store keeps it; Invalid (`problem_photo`) for anything that is not
    a JPEG or PNG image of at most `MAX_PIXELS`. Blocks for the decoding (a few hundred
    milliseconds for a phone's photo): callers run it off the event loop, with a limit of
    their own on how many run at once (`central.groupbuy.routes`)."""
    size = image_size(data)
    if size is None or not 0 < size[0] * size[1] <= MAX_PIXELS:
        raise _refused("the photo must be a JPEG or PNG image of at most 50 megapixels")
    if data.count(b"\xff\xda") > MAX_SCANS:
        raise _refused("the photo has too many scans for a phone's")
    # A JPEG at the smallest of libjpeg's scales (1/2, 1/4, 1/8, as it decodes, for a
    # fraction of the memory) that still gives `KEPT_SIDE`; a PNG whole.
    jpeg = data.startswith(b"\xff\xd8")
    reduce = max((r for r in _REDUCED if max(size) // r >= KEPT_SIDE), default=1) if jpeg else 1
    try:
        image = cv2.imdecode(np.frombuffer(data, np.uint8), _REDUCED[reduce])
    except cv2.error:  # what OpenCV refuses itself (over its own pixel limit)
        image = None
    if image is None:
        raise _refused("the photo could not be read: take it again")
    height, width = image.shape[:2]
    scale = min(1.0, KEPT_SIDE / max(height, width))
    if scale < 1.0:
        width, height = max(1, round(width * scale)), max(1, round(height * scale))
        image = cv2.resize(image, (width, height), interpolation=cv2.INTER_AREA)
    done, encoded = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, _QUALITY])
    if not done:  # a decoded 8-bit image encodes; a store must never keep half of one
        raise _refused("the photo could not be kept")
    return KeptPhoto(encoded.tobytes(), width, height)


def _refused(why: str) -> Invalid:
    return Invalid(why, reason="problem_photo")


def photo_response(jpeg: bytes) -> Response:
    """A kept photo as an answer, for whoever may see its problem only: the buyer's photo
    may show their home."""
    return Response(
        jpeg,
        media_type="image/jpeg",
        # Not kept by the browser either: a store's PC is shared, and outlives a sign-out.
        headers={"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"},
    )
