"""EAN/UPC facts the trust rules lean on, checked against the standard's bit patterns."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.scan import Symbology
from scanner.symbols import looks_like_stripes

# The L-set patterns of GS1 General Specifications, 5.2.1.2 (1 = a dark module).
_L = ("0001101", "0011001", "0010011", "0111101", "0100011",
      "0110001", "0101111", "0111011", "0110111", "0001011")  # fmt: skip


def _widest(digits: str) -> int:
    return max(len(list(run)) for d in digits for _, run in itertools.groupby(_L[int(d)]))


@given(st.text("0123456789", min_size=12, max_size=12))
def test_stripes_are_codes_whose_elements_are_all_one_or_two_modules(upca: str) -> None:
    assert looks_like_stripes(upca, Symbology.UPCA) == (_widest(upca) <= 2)


def test_only_the_digits_carried_by_bars_count() -> None:
    # A striped background read by zxing-cpp as a UPC-A on the presentation benchmark.
    assert looks_like_stripes("111112111222", Symbology.UPCA)
    # EAN-13's first digit and UPC-E's number system and check digit are not bars of their own.
    assert looks_like_stripes("9121212121212", Symbology.EAN13)
    assert looks_like_stripes("01121129", Symbology.UPCE)
    assert not looks_like_stripes("01121139", Symbology.UPCE)
    assert not looks_like_stripes("4006381333931", Symbology.EAN13)
