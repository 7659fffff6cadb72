from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.scan import ScanEvent, ScanSource, Symbology
from scanner.wedge import RejectedBurst, TypedText, WedgeDetector, WedgeOutput


def _type(detector: WedgeDetector, text: str, start: float, gap: float) -> list[WedgeOutput]:
    out: list[WedgeOutput] = []
    for i, ch in enumerate(text):
        out += detector.key(ch, start + i * gap)
    return out


def test_fast_burst_with_enter_is_a_scan() -> None:
    detector = WedgeDetector()
    out = _type(detector, "4006381333931\r", 10.0, 0.004)
    assert out == [
        ScanEvent("4006381333931", Symbology.UNKNOWN, ScanSource.WEDGE, pytest.approx(10.048))
    ]
    assert not detector.holding


def test_aim_prefix_names_symbology_and_gs1() -> None:
    detector = WedgeDetector()
    (ean,) = _type(detector, "]E04006381333931\n", 0.0, 0.003)
    assert isinstance(ean, ScanEvent)
    assert (ean.text, ean.symbology, ean.aim_id) == ("4006381333931", Symbology.EAN13, "]E0")
    (gs1,) = _type(detector, "]C1010950400005910121ABC\n", 1.0, 0.003)
    assert isinstance(gs1, ScanEvent)
    assert gs1.gs1
    assert gs1.symbology is Symbology.CODE128
    (upc,) = _type(detector, "]E00036602301467\n", 2.0, 0.003)
    assert isinstance(upc, ScanEvent)
    assert (upc.text, upc.symbology) == ("036602301467", Symbology.UPCA)
    (upce,) = _type(detector, "]E001264904\n", 3.0, 0.003)
    assert isinstance(upce, ScanEvent)
    assert upce.symbology is Symbology.UPCE


def test_wrong_check_digit_burst_is_rejected() -> None:
    (out,) = _type(WedgeDetector(), "]E04006381333932\r", 0.0, 0.003)
    assert isinstance(out, RejectedBurst)


def test_human_typing_passes_through() -> None:
    detector = WedgeDetector()
    out = _type(detector, "hello", 0.0, 0.15)
    out += detector.poll(1.0)
    assert "".join(o.text for o in out if isinstance(o, TypedText)) == "hello"
    assert not any(isinstance(o, ScanEvent) for o in out)


def test_short_fast_typing_with_enter_is_text() -> None:
    out = _type(WedgeDetector(), "ok\r", 0.0, 0.01)
    assert out == [TypedText("ok", enter=True)]


def test_burst_without_enter_ends_on_timeout() -> None:
    detector = WedgeDetector(timeout_s=0.08)
    assert _type(detector, "6901234567892", 0.0, 0.002) == []
    assert detector.poll(0.05) == []
    (event,) = detector.poll(0.2)
    assert isinstance(event, ScanEvent)
    assert event.text == "6901234567892"


def test_typing_then_scan_are_told_apart() -> None:
    detector = WedgeDetector()
    out = _type(detector, "ab", 0.0, 0.2)
    out += _type(detector, "6901234567892\r", 1.0, 0.003)
    assert out[0] == TypedText("a")
    assert out[1] == TypedText("b")
    assert isinstance(out[2], ScanEvent)


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="wedge"):
        WedgeDetector(max_gap_s=0.1, timeout_s=0.05)


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789 ", min_size=1, max_size=40))
def test_slow_typing_is_never_a_scan(text: str) -> None:
    detector = WedgeDetector()
    out = _type(detector, text + "\r", 0.0, 0.09)
    assert not any(isinstance(o, ScanEvent) for o in out)
    assert "".join(o.text for o in out if isinstance(o, TypedText)) == text


@given(st.lists(st.tuples(st.characters(exclude_characters="]"), st.floats(0, 1)), max_size=50))
def test_any_key_stream_keeps_every_character(keys: list[tuple[str, float]]) -> None:
    detector = WedgeDetector()
    now = 0.0
    out: list[WedgeOutput] = []
    for ch, gap in keys:
        now += gap
        out += detector.key(ch, now)
    out += detector.poll(now + 1)
    delivered = "".join(o.text for o in out)
    assert not detector.holding
    assert delivered == "".join(ch for ch, _ in keys if ch not in "\r\n")
