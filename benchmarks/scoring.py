"""Scoring decoded texts against a corpus manifest, by the rules of the corpus README.

A read is a hit when its normalised text equals the normalised expected text; any other
text (not listed in `also`) is a wrong read. Sets blurry on purpose count only for
wrong reads.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kiosk.domain.codes import expand_upce
from kiosk.domain.errors import CodeError

GS = "\x1d"
EAN_UPC_FAMILIES = frozenset(
    {"ean13", "ean8", "upca", "upce", "ean13-extension", "upca-extension", "ean8-extension"}
)
DATABAR_FAMILIES = frozenset({"rss14", "rssexpanded", "rssexpandedstacked", "databarltd"})
BLURRY_SETS = frozenset({"ean13-5", "upca-6"})
MISLABELLED = {
    "zxing-cpp/ean13-2/23.webp": "9784872348880",
    "zxing-cpp/ean13-2/28.webp": "9784872348880",
}
"""Photos whose manifest text is not the code they show (a book: 9784872348880 is printed
under the bars and encoded; the manifest expects 9780804816632). The corpus README's rules
have no exception for them, so reading what they show still counts as wrong; the tables
say how many of the wrong reads these are (`shows_mislabelled`)."""
_GTIN_LEN = 14
_UPCE_LEN = 8
_UPCA_LEN = 12
_EAN13_LEN = 13
_EAN8_LEN = 8
_ADDON_LENS = (2, 5)


def _normalize_ean(text: str, family: str) -> str:
    digits = "".join(ch for ch in text if ch.isascii() and ch.isdigit())
    # Add-on digits (2 or 5) trail the main code; the main code's length tells them apart.
    if family.startswith("upce") and len(digits) in (
        _UPCE_LEN,
        *(_UPCE_LEN + n for n in _ADDON_LENS),
    ):
        try:
            digits = "0" + expand_upce(digits[:_UPCE_LEN])
        except CodeError:
            return digits
    elif len(digits) in (_UPCA_LEN, *(_UPCA_LEN + n for n in _ADDON_LENS)):
        digits = "0" + digits[:_UPCA_LEN]
    elif len(digits) in (_EAN13_LEN, *(_EAN13_LEN + n for n in _ADDON_LENS)):
        digits = digits[:_EAN13_LEN]
    elif family.startswith("ean8") and len(digits) > _EAN8_LEN:
        digits = digits[:_EAN8_LEN]
    return digits


def _normalize_databar(text: str) -> str:
    body = text.removeprefix("]e0")
    body = body.replace("(", "").replace(")", "").replace(GS, "")
    if len(body) == _GTIN_LEN and body.isascii() and body.isdigit():
        body = "01" + body
    return body


def normalize(text: str, family: str) -> str:
    """The form in which a read and the expected text are compared for `family`."""
    if family in EAN_UPC_FAMILIES:
        return _normalize_ean(text, family)
    if family in DATABAR_FAMILIES:
        return _normalize_databar(text)
    return text


@dataclass(frozen=True, slots=True)
class ImageScore:
    """How one image's reads compare with what it holds."""

    hit: bool
    wrong: bool
    counted: bool
    """False for sets that are blurry on purpose: they count only for wrong reads."""


def score_image(
    texts: Iterable[str], *, family: str, set_name: str, expected: str, also: Iterable[str] = ()
) -> ImageScore:
    """Score the texts one image gave."""
    want = normalize(expected, family)
    tolerated = {normalize(a, family) for a in also}
    got = {normalize(t, family) for t in texts}
    hit = want in got
    wrong = bool(got - {want} - tolerated)
    counted = set_name not in BLURRY_SETS
    return ImageScore(hit=hit and counted, wrong=wrong, counted=counted)


def shows_mislabelled(texts: Iterable[str], *, file: str, family: str) -> bool:
    """True when a wrong read of `file` is the code a mislabelled photo really shows."""
    shown = MISLABELLED.get(file)
    return shown is not None and normalize(shown, family) in {normalize(t, family) for t in texts}
