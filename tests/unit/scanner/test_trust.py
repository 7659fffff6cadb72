from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.scan import ScanSource, Symbology
from scanner.config import ConfirmRule
from scanner.decode import Read
from scanner.trust import Debouncer


def _read(text: str = "4006381333931", decoder: str = "zxing") -> Read:
    return Read(text, Symbology.EAN13, False, "]E0", ((0, 0),), decoder, 2, 0.0)


def test_one_decoder_needs_a_second_frame() -> None:
    debouncer = Debouncer()
    assert debouncer.feed([_read()], 0.0) == []
    (event,) = debouncer.feed([_read()], 0.033)
    assert (event.text, event.source, event.at) == ("4006381333931", ScanSource.CAMERA, 0.033)
    assert event.aim_id == "]E0"


def test_two_decoders_agreeing_confirm_in_one_frame() -> None:
    assert len(Debouncer().feed([_read(decoder="zbar+zxing")], 0.0)) == 1


def test_frames_rule_ignores_decoder_agreement() -> None:
    debouncer = Debouncer(confirm=ConfirmRule.FRAMES)
    assert debouncer.feed([_read(decoder="zbar+zxing")], 0.0) == []
    assert len(debouncer.feed([_read(decoder="zbar+zxing")], 0.1)) == 1


def test_held_in_view_adds_one_item() -> None:
    debouncer = Debouncer()
    events = [e for i in range(300) for e in debouncer.feed([_read()], i / 30)]
    assert len(events) == 1


def test_shown_again_after_leaving_view_adds_another() -> None:
    debouncer = Debouncer(leave_after_s=0.5)
    first = debouncer.feed([_read()], 0.0) + debouncer.feed([_read()], 0.1)
    assert debouncer.feed([], 0.4) == []
    assert debouncer.feed([_read()], 0.5) == []  # 0.4 s unseen: still the same showing
    assert debouncer.feed([], 1.2) == []
    again = debouncer.feed([_read()], 1.3) + debouncer.feed([_read()], 1.35)
    assert len(first) == 1
    assert len(again) == 1


def test_repeat_interval_re_adds_while_held() -> None:
    debouncer = Debouncer(repeat_after_s=2.0)
    events = [e for i in range(20) for e in debouncer.feed([_read()], i * 0.25)]
    assert [e.at for e in events] == [0.25, 2.25, 4.25]


def test_none_rule_scans_at_once_and_reset_forgets() -> None:
    debouncer = Debouncer(confirm=ConfirmRule.NONE)
    assert len(debouncer.feed([_read()], 0.0)) == 1
    assert debouncer.feed([_read()], 0.1) == []
    debouncer.reset()
    assert len(debouncer.feed([_read()], 0.2)) == 1


def test_two_products_in_view_each_scan_once() -> None:
    debouncer = Debouncer()
    a, b = _read("4006381333931"), _read("6901234567892")
    events = [e for i in range(10) for e in debouncer.feed([a, b, a], i / 30)]
    assert sorted(e.text for e in events) == ["4006381333931", "6901234567892"]


@given(
    st.lists(
        st.tuples(st.floats(0.001, 2.0), st.booleans(), st.sampled_from(["zxing", "zbar+zxing"])),
        max_size=60,
    )
)
def test_never_more_scans_than_showings(steps: list[tuple[float, bool, str]]) -> None:
    """However reads come and go, scans never outnumber the times the code came into view."""
    debouncer = Debouncer(leave_after_s=0.5)
    now = 0.0
    last_seen: float | None = None
    showings = scans = 0
    for gap, seen, decoder in steps:
        now += gap
        if seen:
            if last_seen is None or now - last_seen > 0.5:
                showings += 1
            last_seen = now
        scans += len(debouncer.feed([_read(decoder=decoder)] if seen else [], now))
        assert scans <= showings
