"""A small EAN-13 renderer (numpy + OpenCV) for demo footage and tests: real bars, real digits."""

from __future__ import annotations

import cv2
import numpy as np
import numpy.typing as npt

from kiosk.domain.codes import has_valid_check_digit
from scanner.errors import ConfigError

_L = ("0001101", "0011001", "0010011", "0111101", "0100011",
      "0110001", "0101111", "0111011", "0110111", "0001011")  # fmt: skip
_PARITY = ("LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG",
           "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL", "LGGLGL")  # fmt: skip
_QUIET_MODULES = 11
_EAN13_LEN = 13


def _r(digit: int) -> str:
    return "".join("1" if b == "0" else "0" for b in _L[digit])


def _g(digit: int) -> str:
    return _r(digit)[::-1]


def ean13_modules(code: str) -> str:
    """The 95 modules (1 = bar) of an EAN-13 with a valid check digit."""
    if len(code) != _EAN13_LEN or not has_valid_check_digit(code):
        raise ConfigError(f"{code!r} is not an EAN-13 with a valid check digit")
    digits = [int(c) for c in code]
    left = "".join(
        _L[d] if p == "L" else _g(d) for d, p in zip(digits[1:7], _PARITY[digits[0]], strict=True)
    )
    right = "".join(_r(d) for d in digits[7:])
    return "101" + left + "01010" + right + "101"


def render_ean13(
    code: str, *, module_px: int = 3, bar_height_px: int = 160
) -> npt.NDArray[np.uint8]:
    """A white label with the code's bars, quiet zones and human-readable digits (grayscale)."""
    modules = ean13_modules(code)
    quiet = _QUIET_MODULES * module_px
    width = len(modules) * module_px + 2 * quiet
    text_h = 12 * module_px
    label = np.full((bar_height_px + text_h + 2 * module_px * 3, width), 255, np.uint8)
    top = module_px * 3
    for i, m in enumerate(modules):
        if m == "1":
            x = quiet + i * module_px
            guard = i < 3 or 45 <= i < 50 or i >= 92
            bottom = top + bar_height_px + (text_h // 2 if guard else 0)
            label[top:bottom, x : x + module_px] = 0
    scale = module_px / 3.2
    baseline = top + bar_height_px + text_h - module_px
    font = cv2.FONT_HERSHEY_SIMPLEX
    thickness = max(1, module_px // 2)
    cv2.putText(label, code[0], (module_px, baseline), font, scale, 0, thickness, cv2.LINE_AA)
    for part, start in ((code[1:7], 3), (code[7:], 50)):
        x = quiet + (start + 2) * module_px
        cv2.putText(label, part, (x, baseline), font, scale, 0, thickness, cv2.LINE_AA)
    return label
