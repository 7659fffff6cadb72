"""The EAN/UPC vote: which of the texts read in one place is trusted."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from pyzbar.pyzbar import ZBarSymbol

from kiosk.domain.scan import Symbology
from scanner.decode import ZBAR, ZXING, _Candidate, _from_zbar, _View, _winner, _zbar_decode
from simulators.barcodes import render_ean13

TRUE = "4006381333931"
MISREAD = "4006381333948"


def _c(text: str, attempt: str, family: str = ZBAR, lines: int = 0) -> _Candidate:
    corners = ((0, 0), (100, 0), (100, 50), (0, 50))
    return _Candidate(
        text.rjust(14, "0"), text, Symbology.EAN13, False, "]E0", corners, family, attempt, lines
    )


def _won(candidates: Sequence[_Candidate]) -> str | None:
    read = _winner(candidates, 0.0)
    return None if read is None else read.text


def test_both_decoders_agreeing_twice_win() -> None:
    assert _won([_c(TRUE, "zbar", ZBAR, 20), _c(TRUE, "zxing", ZXING)]) == TRUE


def test_a_rival_read_twice_vetoes_an_even_contest() -> None:
    votes = [_c(TRUE, a, ZXING) for a in ("zxing", "dark", "clahe")]
    votes += [_c(TRUE, "zbar", ZBAR, 10), _c(MISREAD, "z1", ZBAR, 10), _c(MISREAD, "z2", ZBAR, 10)]
    # Twice the rival's votes, from both decoders, against a rival only zbar read: no veto.
    assert _won(votes) == TRUE
    # Three against two is not dominance: the place stays ambiguous.
    assert _won(votes[1:]) is None


def test_a_rival_that_both_decoders_read_keeps_its_veto() -> None:
    votes = [_c(TRUE, a, ZXING) for a in ("zxing", "dark", "clahe")]
    votes += [_c(TRUE, "zbar", ZBAR, 10)]
    votes += [_c(MISREAD, "z1", ZBAR, 10), _c(MISREAD, "fixed", ZXING)]
    assert _won(votes) is None


def test_a_leader_read_by_one_decoder_does_not_lift_a_veto() -> None:
    votes = [_c(TRUE, a, ZBAR, 5) for a in ("a", "b", "c", "d", "e")]
    votes += [_c(MISREAD, "x", ZXING), _c(MISREAD, "y", ZXING)]
    assert _won(votes) is None


def test_many_more_zbar_scan_lines_outweigh_a_thin_rival() -> None:
    votes = [_c(TRUE, "a", ZBAR, 80), _c(TRUE, "b", ZBAR, 60), _c(MISREAD, "c", ZBAR, 30)]
    assert _won(votes) == TRUE
    # Under four times the rival's lines: the usual rules, and a lead of one vote is too little.
    assert _won([*votes[:2], _c(MISREAD, "c", ZBAR, 50)]) is None


def test_scan_lines_need_a_zbar_rival_and_a_vote_lead() -> None:
    # A rival only zxing-cpp read has no scan lines to compare with.
    assert _won([_c(TRUE, "a", ZBAR, 80), _c(TRUE, "b", ZBAR, 60), _c(MISREAD, "x", ZXING)]) is None
    # Equal votes: lines alone never decide.
    votes = [_c(TRUE, "a", ZBAR, 80), _c(TRUE, "b", ZBAR, 60)]
    votes += [_c(MISREAD, "c", ZBAR, 4), _c(MISREAD, "d", ZBAR, 4)]
    assert _won(votes) is None


def test_one_attempt_never_wins_however_many_lines() -> None:
    assert _won([_c(TRUE, "zbar", ZBAR, 500)]) is None


_texts = st.sampled_from([TRUE, MISREAD, "5012345678900"])
_attempts = st.sampled_from(["zxing", "zbar", "dark", "clahe", "flat", "otsu", "2x"])
_candidates = st.lists(
    st.builds(
        _c,
        _texts,
        _attempts,
        st.sampled_from([ZBAR, ZXING]),
        st.integers(min_value=0, max_value=200),
    ),
    max_size=12,
)


@given(_candidates)
def test_the_winner_has_the_most_votes_and_at_least_two(candidates: list[_Candidate]) -> None:
    read = _winner(candidates, 0.0)
    if read is None:
        return
    votes: dict[str, set[str]] = {}
    for c in candidates:
        votes.setdefault(c.text, set()).add(c.attempt)
    assert read.votes == len(votes[read.text]) >= 2
    assert all(len(v) < read.votes for t, v in votes.items() if t != read.text)


def test_zbar_scan_lines_are_counted_at_full_density() -> None:
    label = render_ean13(TRUE, module_px=3)
    image = np.ascontiguousarray(label)
    view = _View(image, 1.0, (0, 0))
    allowed = frozenset({Symbology.EAN13})
    lines = {}
    for density in (1, 2):
        (decoded,) = _zbar_decode(image, [ZBarSymbol.EAN13], density)
        candidate = _from_zbar(decoded, view, "zbar", allowed, density)
        assert candidate is not None
        lines[density] = candidate.lines
    # Every other line scanned, each counted twice: about the same evidence either way.
    assert lines[1] > 20
    assert 0.8 * lines[1] <= lines[2] <= 1.2 * lines[1]


def test_zxing_cpp_alone_needs_two_agreeing_attempts_and_no_dissent() -> None:
    agreeing = [_c(TRUE, "zxing-2x", ZXING), _c(TRUE, "zxing-1.5x", ZXING)]
    assert _won(agreeing) == TRUE
    assert _won([*agreeing, _c(MISREAD, "zbar", ZBAR, 3)]) is None
    # zbar alone still needs three.
    assert _won([_c(TRUE, "a", ZBAR, 30), _c(TRUE, "b", ZBAR, 30)]) is None
    assert _won([_c(TRUE, a, ZBAR, 30) for a in ("a", "b", "c")]) == TRUE
