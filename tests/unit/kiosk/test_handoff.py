"""The exit pass's hand-over rules (`kiosk.domain.handoff`): whatever the shopper taps, in
whatever order, Done never lets go of a pass that was neither printed nor confirmed, and
a failed print holds the pass until it is printed, confirmed or staff clear the printer."""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.handoff import Handoff

STEPS: dict[str, Callable[[Handoff], Handoff]] = {
    "print_ok": Handoff.print_succeeded,
    "print_failed": Handoff.print_failed,
    "printer_cleared": Handoff.printer_cleared,
    "done": Handoff.finish,
    "leave_anyway": Handoff.leave_anyway,
    "back": Handoff.keep,
    "e_receipt": Handoff.with_e_receipt,
}


def test_done_asks_before_an_unprinted_pass_goes() -> None:
    asked = Handoff().finish()
    assert asked.asking
    assert not asked.taken
    assert asked.leave_anyway().taken
    assert not asked.keep().asking
    assert not asked.keep().taken


def test_a_printed_pass_lets_done_leave_at_once() -> None:
    printed = Handoff().print_succeeded().finish()
    assert printed.taken
    assert not printed.asking


def test_an_e_receipt_alone_is_not_proof_that_the_shopper_took_it() -> None:
    assert Handoff().with_e_receipt().finish().asking


def test_a_failed_print_holds_the_pass_until_staff_or_the_shopper_release_it() -> None:
    failed = Handoff().finish().print_failed()
    assert failed.held
    assert not failed.asking  # the question gave way to the printer's news
    assert not failed.printer_cleared().held
    assert not failed.print_succeeded().held  # staff refilled it and reprinted
    assert not failed.finish().leave_anyway().held


@given(st.lists(st.sampled_from(sorted(STEPS)), max_size=12))
def test_whatever_happens_done_never_drops_an_untaken_pass(steps: list[str]) -> None:
    handoff = Handoff()
    history = []
    for step in steps:
        handoff = STEPS[step](handoff)
        history.append(step)
        finished = handoff.finish()
        if not finished.asking:
            # Done leaves only with a print or the shopper's answer behind it.
            assert "print_ok" in history or "leave_anyway" in history
        if handoff.held:
            assert "print_failed" in history
            assert not handoff.taken
