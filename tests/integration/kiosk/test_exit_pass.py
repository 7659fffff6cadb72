"""The done screen's exit pass without Qt (issue #16, "The exit pass"): a countdown that a
touch restarts, Done that asks before an unprinted pass goes, and a printer fault that
holds the pass on screen, with its staff call surviving the reset."""

from __future__ import annotations

from demo.store import DEMO_BADGE, DemoStore
from kiosk.domain.alerts import AlertReason
from kiosk.domain.codes import display_gtin
from kiosk.domain.handoff import Handoff
from kiosk.domain.scan import Symbology
from kiosk.services.receipt_port import TextFileSalePrinter
from kiosk.services.session import Level, PassShown, Screen, Timer, Timings
from kiosk.services.shopper import ShopperSession
from tests.integration.kiosk.session_driver import Driver, said, screens


def passes(events: list[object]) -> list[PassShown]:
    return [e for e in events if isinstance(e, PassShown)]


def paid(drive: Driver, demo: DemoStore) -> list[object]:
    drive.scan(display_gtin(demo.fixed[0].gtin))
    drive.do(ShopperSession.pay)
    return list(drive.paid())


def printer_of(drive: Driver) -> TextFileSalePrinter:
    printer = drive.core.printer
    assert isinstance(printer, TextFileSalePrinter)
    return printer


def test_the_done_screen_counts_down_and_a_touch_starts_it_again(
    drive: Driver, demo: DemoStore
) -> None:
    done_s = Timings().done_s
    [shown] = passes(paid(drive, demo))
    assert shown == PassShown(Handoff(), done_s)
    assert drive.timers[Timer.DONE] == done_s
    del drive.timers[Timer.DONE]  # as if it had run down a while: a touch re-arms it
    assert passes(drive.do(ShopperSession.touch)) == [PassShown(Handoff(), done_s)]
    assert drive.timers[Timer.DONE] == done_s


def test_done_asks_before_an_unprinted_pass_goes(drive: Driver, demo: DemoStore) -> None:
    paid(drive, demo)
    [asked] = passes(drive.do(ShopperSession.finish))
    assert asked.handoff.asking
    assert drive.session.screen is Screen.DONE
    [back] = passes(drive.do(ShopperSession.keep_pass))
    assert not back.handoff.asking
    assert drive.session.screen is Screen.DONE
    drive.do(ShopperSession.finish)
    assert screens(drive.do(ShopperSession.leave_anyway)) == [Screen.ATTRACT]


def test_leave_anyway_means_nothing_unless_asked(drive: Driver, demo: DemoStore) -> None:
    paid(drive, demo)
    assert drive.do(ShopperSession.leave_anyway) == []
    assert drive.session.screen is Screen.DONE


def test_a_printed_pass_lets_done_leave_at_once(drive: Driver, demo: DemoStore) -> None:
    paid(drive, demo)
    [printed] = passes(drive.do(ShopperSession.print_receipt))
    assert printed.handoff.printed
    assert screens(drive.do(ShopperSession.finish)) == [Screen.ATTRACT]


def test_a_failed_print_holds_the_pass_and_the_staff_call_survives_the_reset(
    drive: Driver, demo: DemoStore
) -> None:
    paid(drive, demo)
    printer_of(drive).working = False
    events = drive.do(ShopperSession.print_receipt)
    assert said(events) == [("printer_no_paper", Level.ERROR)]
    [held] = passes(events)
    assert held == PassShown(held.handoff, None)  # no countdown
    assert held.handoff.held
    assert Timer.DONE not in drive.timers
    # Touches do not start a countdown; a new shopper's scan does not take the pass away.
    assert passes(drive.do(ShopperSession.touch)) == []
    refused = drive.scan(display_gtin(demo.fixed[1].gtin))
    assert said(refused) == [("exit_code_held", Level.WARNING)]
    assert drive.session.screen is Screen.DONE
    assert drive.core.checkout.cart.lines == ()
    # The shopper says they have it (a photo): the kiosk resets, the printer call stays.
    drive.do(ShopperSession.finish)
    drive.do(ShopperSession.leave_anyway)
    assert drive.session.screen is Screen.ATTRACT
    assert [a.reason for a in drive.core.alerts.open()] == [AlertReason.PRINTER_PAPER_OUT]
    assert [a.reason for a in drive.session.alerts] == [AlertReason.PRINTER_PAPER_OUT]


def test_staff_clearing_the_printer_releases_the_held_pass(drive: Driver, demo: DemoStore) -> None:
    paid(drive, demo)
    printer = printer_of(drive)
    printer.working = False
    drive.do(ShopperSession.print_receipt)
    assert drive.session.handoff.held
    drive.scan(DEMO_BADGE, Symbology.CODE128)
    printer.working = True  # refilled
    events = drive.do(lambda s: s.desk.sign_out())
    assert drive.core.alerts.open() == []
    [released] = passes(events)
    assert not released.handoff.held
    assert released.seconds == Timings().done_s  # the countdown runs again
    assert Timer.DONE in drive.timers
    assert drive.session.screen is Screen.DONE
    drive.fire(Timer.DONE)
    assert drive.session.screen is Screen.ATTRACT


def test_a_staff_reprint_hands_the_held_pass_over(drive: Driver, demo: DemoStore) -> None:
    paid(drive, demo)
    printer = printer_of(drive)
    printer.working = False
    drive.do(ShopperSession.print_receipt)
    drive.scan(DEMO_BADGE, Symbology.CODE128)
    printer.working = True
    drive.do(lambda s: s.desk.reprint())
    assert drive.session.handoff.printed
    assert screens(drive.do(ShopperSession.finish)) == [Screen.ATTRACT]


def test_without_a_held_pass_a_scan_on_the_done_screen_starts_the_next_sale(
    drive: Driver, demo: DemoStore
) -> None:
    paid(drive, demo)
    drive.scan(display_gtin(demo.fixed[1].gtin))
    assert drive.session.screen is Screen.SCANNING
    assert len(drive.core.checkout.cart.lines) == 1
