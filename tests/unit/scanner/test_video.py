"""Confirmation across frames, on hand-made decode results (no decoder, no clock)."""

from __future__ import annotations

import dataclasses
import itertools

import cv2
import numpy as np
import pytest
import zxingcpp
from hypothesis import example, given
from hypothesis import strategies as st

from kiosk.domain.scan import Symbology
from scanner import decode
from scanner.config import ConfirmRule
from scanner.decode import Decoder, DecodeResult, Guide, Read
from scanner.trust import Debouncer
from scanner.video import FrameVote
from simulators.barcodes import render_ean13

_CODE = "4006381333931"
_RIVAL = "4006381333948"


def _read(text: str, at: float, *, decoder: str = "zxing", votes: int = 1) -> Read:
    return Read(text, Symbology.EAN13, False, "]E0", ((0, 0),), decoder, votes, at)


def _frame(
    at: float, *places: tuple[str, ...], won: tuple[Read, ...] = (), decoder: str = ""
) -> DecodeResult:
    # Frames alternate decoders unless told: both must read a text across the window.
    decoder = decoder or ("zxing" if round(at * 10) % 2 else "zbar")
    unsettled = tuple(tuple(_read(t, at, decoder=decoder) for t in place) for place in places)
    return DecodeResult(won, 30.0, ("zxing",), 0, unsettled)


def test_a_lone_read_on_two_frames_is_trusted_on_the_second() -> None:
    vote = FrameVote()
    assert vote.feed(_frame(0.0, (_CODE,)), 0.0) == ()
    (read,) = vote.feed(_frame(0.1, (_CODE,)), 0.1)
    assert (read.text, read.frames, read.at) == (_CODE, 2, 0.1)


def test_zxing_alone_confirms_an_ean13_on_two_frames() -> None:
    vote = FrameVote()
    assert vote.feed(_frame(0.0, (_CODE,), decoder="zxing"), 0.0) == ()
    (read,) = vote.feed(_frame(0.033, (_CODE,), decoder="zxing"), 0.033)
    assert (read.text, read.frames) == (_CODE, 2)


def _zbar(at: float, step: str) -> DecodeResult:
    read = dataclasses.replace(_read(_CODE, at, decoder="zbar"), steps=frozenset({step}))
    return DecodeResult((), 30.0, (step,), 0, ((read,),))


def test_zbar_alone_needs_three_frames_and_two_different_attempts() -> None:
    # The same scan repeating a blurred code's misread is one piece of evidence, not three.
    same = FrameVote()
    for n in range(5):
        assert same.feed(_zbar(n / 30, "zbar"), n / 30) == ()
    varied = FrameVote()
    assert varied.feed(_zbar(0.0, "zbar"), 0.0) == ()
    assert varied.feed(_zbar(0.033, "roi-zbar-dark-2x"), 0.033) == ()
    (read,) = varied.feed(_zbar(0.066, "zbar"), 0.066)
    assert (read.text, read.frames) == (_CODE, 3)


def _lone(text: str, symbology: Symbology, at: float, decoder: str) -> DecodeResult:
    # Each frame read by another attempt: only the symbology and the decoder decide here.
    steps = frozenset({f"{decoder}-{at}"})
    read = Read(text, symbology, False, "]E0", ((0, 0),), decoder, 1, at, steps=steps)
    return DecodeResult((), 30.0, (decoder,), 0, ((read,),))


def test_zbar_alone_never_confirms_a_upc_e_but_zxing_alone_does() -> None:
    # zbar finds UPC-Es inside longer codes; zxing-cpp also checks a UPC-E's quiet zones.
    upce = "01264904"
    vote = FrameVote()
    for n in range(4):
        assert vote.feed(_lone(upce, Symbology.UPCE, n / 30, "zbar"), n / 30) == ()
    (read,) = vote.feed(_lone(upce, Symbology.UPCE, 0.2, "zxing"), 0.2)
    assert read.frames == 5
    alone = FrameVote()
    alone.feed(_lone(upce, Symbology.UPCE, 0.0, "zxing"), 0.0)
    assert [r.text for r in alone.feed(_lone(upce, Symbology.UPCE, 0.1, "zxing"), 0.1)] == [upce]


def test_a_stripe_pattern_needs_both_decoders() -> None:
    stripes = "111112111222"
    vote = FrameVote()
    for n in range(4):
        assert vote.feed(_lone(stripes, Symbology.UPCA, n / 30, "zxing"), n / 30) == ()
    (read,) = vote.feed(_lone(stripes, Symbology.UPCA, 0.2, "zbar"), 0.2)
    assert read.text == stripes


def test_an_empty_frame_between_does_not_break_the_pair() -> None:
    vote = FrameVote()
    vote.feed(_frame(0.0, (_CODE,)), 0.0)
    assert vote.feed(_frame(0.033), 0.033) == ()
    assert [r.text for r in vote.feed(_frame(0.066, (_CODE,)), 0.066)] == [_CODE]


def test_a_read_older_than_the_window_confirms_nothing() -> None:
    vote = FrameVote(window_s=0.5)
    vote.feed(_frame(0.0, (_CODE,)), 0.0)
    assert vote.feed(_frame(0.6, (_CODE,)), 0.6) == ()
    assert len(vote.feed(_frame(0.7, (_CODE,)), 0.7)) == 1


def test_a_rival_anywhere_in_the_window_holds_the_read_back() -> None:
    vote = FrameVote(window_s=0.5)
    vote.feed(_frame(0.0, (_CODE,)), 0.0)
    vote.feed(_frame(0.1, (_RIVAL,)), 0.1)
    assert vote.feed(_frame(0.2, (_CODE,)), 0.2) == ()
    # A place holding two texts is a rival too, even on the same frame.
    later = FrameVote()
    later.feed(_frame(0.0, (_CODE,)), 0.0)
    assert later.feed(_frame(0.1, (_CODE, _RIVAL)), 0.1) == ()
    # Once the rival has left the window, two clean frames confirm again.
    vote.feed(_frame(0.65, (_CODE,)), 0.65)
    assert [r.text for r in vote.feed(_frame(0.7, (_CODE,)), 0.7)] == [_CODE]


def test_a_read_both_decoders_won_in_one_frame_passes_at_once() -> None:
    won = _read(_CODE, 0.0, decoder="zbar+zxing", votes=3)
    assert FrameVote().feed(_frame(0.0, won=(won,)), 0.0) == (won,)


def test_a_one_decoder_in_frame_win_waits_for_a_second_frame() -> None:
    vote = FrameVote()
    won = _read(_CODE, 0.0, decoder="zxing", votes=2)
    assert vote.feed(_frame(0.0, won=(won,)), 0.0) == ()
    again = _read(_CODE, 0.1, decoder="zxing", votes=2)
    (read,) = vote.feed(_frame(0.1, won=(again,)), 0.1)
    assert read.frames == 2


def test_reset_forgets_earlier_frames() -> None:
    vote = FrameVote()
    vote.feed(_frame(0.0, (_CODE,)), 0.0)
    vote.reset()
    assert vote.feed(_frame(0.1, (_CODE,)), 0.1) == ()


def test_the_debouncer_takes_a_cross_frame_read_as_confirmed() -> None:
    debouncer = Debouncer(confirm=ConfirmRule.FRAMES)
    vote = FrameVote()
    assert debouncer.feed(vote.feed(_frame(0.0, (_CODE,)), 0.0), 0.0) == []
    (event,) = debouncer.feed(vote.feed(_frame(0.1, (_CODE,)), 0.1), 0.1)
    assert event.text == _CODE
    assert debouncer.feed(vote.feed(_frame(0.2, (_CODE,)), 0.2), 0.2) == []


def _frame_with_label() -> tuple[np.ndarray, tuple[int, int, int, int]]:
    frame = np.full((720, 1280), 120, np.uint8)
    label = render_ean13(_CODE, module_px=2)
    h, w = label.shape
    frame[300 : 300 + h, 700 : 700 + w] = label
    return frame, (700, 300, 700 + w, 300 + h)


def test_the_last_place_is_decoded_first_and_the_whole_frame_is_spared() -> None:
    frame, box = _frame_with_label()
    result = Decoder(time_budget_ms=10_000)(frame, guide=Guide(hint=box))
    assert [r.text for r in result.reads] == [_CODE]
    assert result.attempts[:2] == ("hint-zxing", "hint-zbar")
    assert "zxing" not in result.attempts


def test_a_stale_place_falls_back_to_the_whole_frame() -> None:
    frame, _ = _frame_with_label()
    result = Decoder(time_budget_ms=10_000)(frame, guide=Guide(hint=(20, 20, 200, 120)))
    assert [r.text for r in result.reads] == [_CODE]
    assert result.attempts[:6] == (
        "hint-zxing",
        "hint-zbar",
        "hint-zbar-half",
        "zxing",
        "zxing-2d",
        "zbar",
    )


def test_the_other_decoder_reads_a_lone_place_past_the_budget_on_a_camera_frame() -> None:
    # Modules one pixel wide: zbar's half-size first look misses them, zxing-cpp reads them.
    frame = np.full((720, 1280), 120, np.uint8)
    label = render_ean13(_CODE, module_px=1)
    frame[300 : 300 + label.shape[0], 700 : 700 + label.shape[1]] = label
    ticks = itertools.count()  # a clock a second per call: every frame is over its budget

    def decoder(stream: bool) -> Decoder:
        return Decoder(time_budget_ms=1, clock=lambda: float(next(ticks)), stream=stream)

    camera = decoder(stream=True)(frame)
    assert [(r.text, r.decoder) for r in camera.reads] == [(_CODE, "zbar+zxing")]
    assert camera.attempts[-1] == "roi-zbar"
    # A still image keeps its budget: the read waits for the vote (here, unsettled).
    still = decoder(stream=False)(frame)
    assert still.reads == ()
    assert [[r.text for r in place] for place in still.unsettled] == [[_CODE]]


def test_a_place_only_zbar_read_at_half_size_gets_a_second_binarisation(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # zxing-cpp blinded: zbar's half-size first look is the only read, as on a blurred code.
    monkeypatch.setattr(zxingcpp, "read_barcodes", lambda *args, **kwargs: [])
    frame = np.full((720, 1280), 120, np.uint8)
    label = render_ean13(_CODE, module_px=3, bar_height_px=100)
    frame[200 : 200 + label.shape[0], 300 : 300 + label.shape[1]] = label
    ticks = itertools.count()
    result = Decoder(time_budget_ms=1, clock=lambda: float(next(ticks)), stream=True)(frame)
    assert result.attempts[-2:] == ("roi-zxing", "roi-zbar-dark-half")
    (place,) = result.unsettled
    assert [(r.text, r.steps) for r in place] == [
        (_CODE, frozenset({"zbar", "roi-zbar-dark-half"}))
    ]


def test_the_hint_is_where_the_newest_frame_saw_a_code() -> None:
    vote = FrameVote(window_s=0.5)
    assert vote.hint() is None
    first = _read(_CODE, 0.0)
    vote.feed(DecodeResult((), 1.0, (), 0, ((first,),)), 0.0)
    moved = dataclasses.replace(_read(_CODE, 0.1), position=((50, 60), (90, 70)))
    vote.feed(DecodeResult((), 1.0, (), 0, ((moved,),)), 0.1)
    vote.feed(_frame(0.2), 0.2)
    assert vote.hint() == (50, 60, 90, 70)
    vote.feed(_frame(0.7), 0.7)
    assert vote.hint() is None


def test_a_search_in_vain_rests_the_search_then_spares_its_place() -> None:
    vote = FrameVote()
    assert vote.guide(0.0).searched == ()
    assert vote.guide(0.0).search
    box = (400, 300, 700, 420)
    vote.feed(DecodeResult((), 150.0, (), 0, (), box), 0.0)
    assert vote.guide(0.033) == Guide(searched=(box,), search=False, matrix=False)
    assert not vote.guide(0.099).search
    # SEARCH_BACKOFF_S: the next thorough look, at another place while SPARE_S lasts.
    assert vote.guide(0.1).search
    assert vote.guide(0.1).searched == (box,)
    elsewhere = (0, 0, 200, 100)
    vote.feed(DecodeResult((), 150.0, (), 0, (), elsewhere), 0.15)
    vote.feed(_frame(0.2), 0.2)  # a frame that searched nothing keeps both places
    assert vote.guide(0.2).searched == (box, elsewhere)
    assert not vote.guide(0.2).search
    assert vote.guide(0.3).searched == (elsewhere,)  # SPARE_S: back to the first place
    assert vote.guide(0.45).searched == ()
    vote.feed(DecodeResult((), 150.0, (), 0, (), box), 0.5)
    vote.reset()
    assert vote.guide(0.5).searched == ()
    assert vote.guide(0.5).search


def test_a_stream_looks_for_matrix_codes_on_every_other_frame() -> None:
    vote = FrameVote()
    looks = []
    for n in range(5):
        looks.append(vote.guide(n / 30).matrix)
        vote.feed(_frame(n / 30), n / 30)
    assert looks == [True, False, True, False, True]  # the first frame of a stream looks
    vote.feed(_frame(0.2), 0.2)
    vote.reset()
    assert vote.guide(0.3).matrix


def test_the_guide_expects_the_one_text_the_window_holds() -> None:
    vote = FrameVote(window_s=0.5)
    assert vote.guide(0.0).expect is None
    vote.feed(_frame(0.0, (_CODE,), decoder="zbar"), 0.0)
    # A zxing-cpp read would make it both decoders.
    assert vote.guide(0.033).expect == (_CODE, Symbology.EAN13)
    vote.feed(_frame(0.033, (_RIVAL,), decoder="zxing"), 0.033)
    assert vote.guide(0.066).expect is None  # a rival in the window
    assert vote.guide(0.52).expect == (_RIVAL, Symbology.EAN13)  # the first read has left
    assert vote.guide(0.6).expect is None
    striped = FrameVote()
    striped.feed(_lone("111112111222", Symbology.UPCA, 0.0, "zxing"), 0.0)
    assert striped.guide(0.033).expect is None  # stripes need both decoders: no shortcut
    # Eight digits that are both a UPC-E and an EAN-8, read as each: no shortcut either.
    twice = FrameVote()
    twice.feed(_lone("00000116", Symbology.UPCE, 0.0, "zbar"), 0.0)
    assert twice.guide(0.033).expect == ("00000116", Symbology.UPCE)
    twice.feed(_lone("00000116", Symbology.EAN8, 0.033, "zbar"), 0.033)
    assert twice.guide(0.066).expect is None


_TEXTS = st.sampled_from([_CODE, _RIVAL, "111112111222"])
_LOOKS = st.lists(
    st.tuples(
        st.floats(0.0, 0.3),
        st.lists(st.tuples(_TEXTS, st.sampled_from(["zbar", "zxing", "zbar+zxing"])), max_size=2),
    ),
    max_size=6,
)


@given(_LOOKS, st.floats(0.0, 0.3))
@example([(0.0, [("111112111222", "zxing")])], 0.033)  # stripes: zxing-cpp alone never does
def test_an_expected_text_is_confirmed_by_a_zxing_read(
    looks: list[tuple[float, list[tuple[str, str]]]], gap: float
) -> None:
    # The decoder stops looking once zxing-cpp reads `Guide.expect`: the promise must hold.
    vote, at = FrameVote(), 0.0
    for step, reads in looks:
        at += step
        place = tuple(
            Read(t, Symbology.UPCA if len(t) == 12 else Symbology.EAN13, False, None,
                 ((0, 0),), d, 1, at, steps=frozenset({f"{d}-{at}"}))
            for t, d in reads
        )  # fmt: skip
        vote.feed(DecodeResult((), 1.0, (), 0, (place,) if place else ()), at)
    at += gap
    expect = vote.guide(at).expect
    if expect is None:
        return
    text, symbology = expect
    confirmed = vote.feed(_lone(text, symbology, at, "zxing"), at)
    assert [r.text for r in confirmed] == [text]


def test_a_stream_confirms_a_read_on_the_next_frame_at_its_first_look(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(decode, "_zbar_decode", lambda *args, **kwargs: [])  # zbar blinded
    frame, _ = _frame_with_label()
    decoder, vote = Decoder(time_budget_ms=10_000, stream=True), FrameVote()
    first = decoder(frame, at=0.0, guide=vote.guide(0.0))
    assert vote.feed(first, 0.0) == ()  # zxing-cpp alone: a second frame must agree
    second = decoder(frame, at=0.033, guide=vote.guide(0.033))
    assert second.attempts == ("hint-zxing",)  # nothing more once it read the expected text
    assert [r.text for r in vote.feed(second, 0.033)] == [_CODE]
    # A frame expecting another code is decoded in full.
    rival = (_RIVAL, Symbology.EAN13)
    other = decoder(frame, guide=dataclasses.replace(vote.guide(0.066), expect=rival))
    assert other.attempts[:2] == ("hint-zxing", "hint-zbar")


def test_a_smeared_expected_code_is_confirmed_at_half_size_before_any_zbar() -> None:
    # Still sliding in: zxing-cpp misses the smeared bars at full size and reads them at half.
    frame, box = _frame_with_label()
    smeared = cv2.blur(frame, (3, 1))
    vote = FrameVote()
    vote.feed(DecodeResult((), 1.0, (), 0, ((_read(_CODE, 0.0, decoder="zbar"),),)), 0.0)
    guide = dataclasses.replace(vote.guide(0.033), hint=box)
    assert guide.expect == (_CODE, Symbology.EAN13)
    result = Decoder(time_budget_ms=10_000, stream=True)(smeared, at=0.033, guide=guide)
    assert result.attempts == ("hint-zxing", "zxing-half")
    assert [r.text for r in vote.feed(result, 0.033)] == [_CODE]
    # Without an expected code the place gets zbar's look first, as before.
    plain = Decoder(time_budget_ms=10_000, stream=True)(smeared, guide=Guide(hint=box))
    assert plain.attempts[:2] == ("hint-zxing", "hint-zbar")


def test_a_code_turned_a_quarter_since_the_last_frame_is_still_read() -> None:
    label = np.ascontiguousarray(np.rot90(render_ean13(_CODE, module_px=2)))
    frame = np.full((720, 1280), 120, np.uint8)
    h, w = label.shape
    frame[100 : 100 + h, 600 : 600 + w] = label
    decoder, expect = Decoder(time_budget_ms=10_000, stream=True), (_CODE, Symbology.EAN13)
    # Last seen standing (a tall box): the place's look scans across turned bars too.
    standing = decoder(frame, guide=Guide(hint=(600, 100, 600 + w, 100 + h), expect=expect))
    assert standing.attempts == ("hint-zxing",)
    # Last seen lying flat (a wide box): the look spares the turned scan and misses the code,
    # and the looks after it read it.
    flat = (600 - h // 2 + w // 2, 100 + h // 2 - 20, 600 + h // 2 + w // 2, 100 + h // 2 + 20)
    turned = decoder(frame, guide=Guide(hint=flat, expect=expect))
    assert turned.attempts[:3] == ("hint-zxing", "zxing-half", "hint-zbar")
    assert [r.text for r in turned.reads] == [_CODE]


def test_a_rival_the_half_size_look_reads_elsewhere_leaves_the_place_its_looks() -> None:
    # The product left its last place; another code is in view elsewhere. The half-size look
    # reads that one: the place's zbar looks and the whole frame's passes still run.
    frame = np.full((720, 1280), 120, np.uint8)
    rival = render_ean13(_RIVAL, module_px=2)
    frame[40 : 40 + rival.shape[0], 60 : 60 + rival.shape[1]] = rival
    guide = Guide(hint=(700, 300, 900, 340), expect=(_CODE, Symbology.EAN13))
    result = Decoder(time_budget_ms=10_000, stream=True)(frame, guide=guide)
    assert result.attempts[:5] == (
        "hint-zxing",
        "zxing-half",
        "hint-zbar",
        "hint-zbar-half",
        "zxing",
    )
    assert [r.text for r in result.reads] == [_RIVAL]


def test_a_rival_elsewhere_in_the_frame_sends_the_expected_code_through_the_vote() -> None:
    frame, _ = _frame_with_label()
    rival = render_ean13(_RIVAL, module_px=2)
    frame[40 : 40 + rival.shape[0], 60 : 60 + rival.shape[1]] = rival
    guide = Guide(expect=(_CODE, Symbology.EAN13))
    result = Decoder(time_budget_ms=10_000, stream=True)(frame, guide=guide)
    assert "zbar" in result.attempts  # the whole frame's zbar look, and the vote after it
    assert sorted(r.text for r in result.reads) == sorted([_CODE, _RIVAL])
