"""Retail symbologies: canonical text, check digits, AIM identifiers and GS1 flags.

Both decoders report EAN/UPC in their own way (zxing-cpp calls a UPC-A an EAN-13 with a
leading zero and expands UPC-E; zbar keeps them apart). Everything is brought to one
canonical form here so reads from either decoder can be compared and voted on.
"""

from __future__ import annotations

from kiosk.domain.codes import expand_upce, has_valid_check_digit
from kiosk.domain.errors import CodeError
from kiosk.domain.scan import Symbology

EAN_UPC = frozenset({Symbology.EAN13, Symbology.EAN8, Symbology.UPCA, Symbology.UPCE})
DATABARS = frozenset({Symbology.DATABAR, Symbology.DATABAR_EXPANDED, Symbology.DATABAR_LIMITED})
RETAIL = frozenset({*EAN_UPC, Symbology.CODE128, Symbology.QR, Symbology.DATAMATRIX, *DATABARS})

# AIM identifiers (ISO/IEC 15424) for the retail set; a suffix other than the
# symbology's GS1 one still names the symbology.
_AIM_PREFIX_TO_SYMBOLOGY = {
    "]E0": Symbology.EAN13,
    "]E4": Symbology.EAN8,
    "]C": Symbology.CODE128,
    "]Q": Symbology.QR,
    "]d": Symbology.DATAMATRIX,
    "]e": Symbology.DATABAR,
}
GS1_AIM_IDS = frozenset({"]C1", "]e0", "]d2", "]Q3", "]J1"})
_AIM_LEN = 3
_UPCA_LEN = 12
_EAN13_LEN = 13
_SHORT_LEN = 8
_UPCE_SYSTEMS = "01"


def compress_upce(upca: str) -> str | None:
    """The 8-digit UPC-E for a 12-digit UPC-A, or None when it has no UPC-E form."""
    if len(upca) != _UPCA_LEN or not upca.isascii() or not upca.isdigit():
        return None
    if upca[0] not in _UPCE_SYSTEMS:
        return None
    a = upca[1:11]
    if a[2] in "012" and a[3:7] == "0000":
        six = a[0] + a[1] + a[7] + a[8] + a[9] + a[2]
    elif a[3:8] == "00000":
        six = a[0:3] + a[8:10] + "3"
    elif a[4:9] == "00000":
        six = a[0:4] + a[9] + "4"
    elif a[5:9] == "0000" and a[9] in "56789":
        six = a[0:5] + a[9]
    else:
        return None
    code = upca[0] + six + upca[11]
    try:
        return code if expand_upce(code) == upca else None
    except CodeError:
        return None


def canonical_ean_upc(text: str, symbology: Symbology) -> tuple[str, Symbology] | None:
    """Bring an EAN/UPC read to its printed form, or None when it is not a valid one.

    A 13-digit EAN with a leading 0 is the UPC-A it encodes; a UPC-E stays 8 digits
    (the kiosk expands it by symbology, as the digits alone cannot tell it from EAN-8).
    """
    digits = text.strip()
    if not digits.isascii() or not digits.isdigit():
        return None
    if symbology is Symbology.UPCE:
        if len(digits) == _EAN13_LEN and digits[0] == "0":
            digits = digits[1:]
        if len(digits) == _UPCA_LEN:
            short = compress_upce(digits)
            if short is None:
                return None
            digits = short
        if len(digits) != _SHORT_LEN:
            return None
        try:
            expand_upce(digits)
        except CodeError:
            return None
        return digits, Symbology.UPCE
    if symbology is Symbology.EAN8:
        ok = len(digits) == _SHORT_LEN and has_valid_check_digit(digits)
        return (digits, Symbology.EAN8) if ok else None
    if len(digits) == _EAN13_LEN and digits[0] == "0":
        digits = digits[1:]
    if not has_valid_check_digit(digits):
        return None
    if len(digits) == _UPCA_LEN:
        return digits, Symbology.UPCA
    if len(digits) == _EAN13_LEN:
        return digits, Symbology.EAN13
    return None


_WIDEST_ELEMENT = dict(zip("0123456789", (3, 2, 2, 4, 3, 3, 4, 3, 3, 3), strict=True))
"""The widest bar or space, in modules, of each digit's EAN/UPC pattern (0 is 3-2-1-1, 1 is
2-2-2-1, …; the L, G and R sets share the widths)."""


def looks_like_stripes(text: str, symbology: Symbology) -> bool:
    """True for an EAN/UPC whose bars and spaces are all one or two modules wide.

    Only digits 1 and 2 have no element wider than two modules, so a product code made of
    nothing else is vanishingly rare (4 in 10^9 for a UPC-A, 6 in 10^5 for a UPC-E); a
    regular stripe pattern (fabric, a grille) decodes to exactly such codes.
    """
    if symbology is Symbology.EAN13:
        digits = text[1:]  # the first digit is carried by the others' parity, not by bars
    elif symbology is Symbology.UPCE:
        digits = text[1:7]  # number system and check digit, likewise
    else:
        digits = text
    return bool(digits) and all(_WIDEST_ELEMENT.get(d, 9) <= 2 for d in digits)


def gtin_key(text: str, symbology: Symbology) -> str:
    """The GTIN-14 a canonical EAN/UPC read stands for: reads of one product share it."""
    if symbology is Symbology.UPCE:
        return expand_upce(text).rjust(14, "0")
    return text.rjust(14, "0")


def symbology_from_aim(aim_id: str) -> Symbology:
    """The symbology an AIM identifier announces, UNKNOWN for anything outside the retail set."""
    for prefix, symbology in _AIM_PREFIX_TO_SYMBOLOGY.items():
        if aim_id.startswith(prefix):
            return symbology
    return Symbology.UNKNOWN


def split_aim(text: str) -> tuple[str | None, str]:
    """Split a leading AIM identifier (`]` + letter + modifier) off a transmitted code."""
    if len(text) > _AIM_LEN and text[0] == "]" and text[1].isalpha() and text[2].isalnum():
        return text[:_AIM_LEN], text[_AIM_LEN:]
    return None, text


def default_aim_id(symbology: Symbology, *, gs1: bool) -> str | None:
    """The AIM identifier a reader would send, for decoders that report none (zbar)."""
    if symbology is Symbology.EAN8:
        return "]E4"
    if symbology in EAN_UPC:
        return "]E0"
    if symbology is Symbology.CODE128:
        return "]C1" if gs1 else "]C0"
    return None
