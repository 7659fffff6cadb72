"""Alerts at the kiosk without Qt (issue #13.1): raised by the kiosk or the shopper, saved,
journalled and queued for the central service at every change; they pause the idle timer,
survive the next shopper and a killed process, and close only by staff (or, for their own
call, the shopper). Also the staff desk's refusals that back the staff screen (#13.3)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from demo.store import DEMO_BADGE, DEMO_STAFF, DemoStore
from kiosk.domain.alerts import AlertReason, AlertState, RemoteCommand
from kiosk.domain.codes import Gtin, display_gtin
from kiosk.domain.scan import Symbology
from kiosk.domain.staff import Role, Staff
from kiosk.services.alerts import ALERT_KIND
from kiosk.services.receipt_port import TextFileSalePrinter
from kiosk.services.session import (
    AlertsShown,
    Level,
    PrinterShown,
    PrinterStatus,
    Screen,
    ScreenShown,
    StillThereDismissed,
    Timer,
)
from kiosk.services.shopper import FAILED_SCANS_ALERT, ShopperSession
from kiosk.services.staff_desk import DeskAction, why_not
from sync.relay import ROUTES
from sync.worker import status
from tests.helpers import REPO
from tests.integration.kiosk.session_driver import Driver, reasons, running, said

UNKNOWN = "6999999999997"  # a valid EAN-13 the demo catalog does not hold


def alert_rows(drive: Driver) -> list[tuple[str, str]]:
    rows = drive.core.store.outbox.pending(1000, ALERT_KIND)
    return [(row.key.split(":")[1], row.payload["state"]) for row in rows]


def test_an_age_check_is_saved_journalled_and_queued_at_every_change(
    drive: Driver, demo: DemoStore
) -> None:
    drive.scan(display_gtin(demo.adult.gtin))
    [alert] = drive.session.alerts
    assert (alert.reason, alert.line_no, alert.kiosk_id) == (AlertReason.AGE_CHECK, 1, "K01")

    drive.scan(DEMO_BADGE, Symbology.CODE128)  # staff came: acknowledged in their name
    assert drive.session.alerts[0].state is AlertState.ACKNOWLEDGED
    assert drive.session.alerts[0].acknowledged_by == DEMO_STAFF.staff_id
    drive.do(lambda s: s.desk.approve_age())
    assert drive.session.alerts == ()

    assert alert_rows(drive) == [("1", "raised"), ("2", "acknowledged"), ("3", "cleared")]
    stored = drive.core.store.alerts.get(alert.alert_id)
    assert stored is not None
    assert stored.closed_by == DEMO_STAFF.staff_id
    kinds = [e.kind for e in drive.core.store.journal.entries()]
    assert [k for k in kinds if k.startswith("alert_")] == [
        "alert_raised",
        "alert_acknowledged",
        "alert_cleared",
    ]


def test_an_open_alert_pauses_the_idle_timer_and_the_cart_is_never_voided(
    drive: Driver, demo: DemoStore
) -> None:
    drive.scan(display_gtin(demo.fixed[0].gtin))
    drive.fire(Timer.IDLE)  # "still there?" is on screen
    events = drive.do(ShopperSession.call_assistance)
    assert StillThereDismissed() in events
    assert Timer.IDLE not in drive.timers
    assert Timer.STILL_THERE not in drive.timers
    # A timeout already on its way, or the demo's "abandon", voids nothing either.
    assert drive.do(lambda s: s.timer_fired(Timer.STILL_THERE)) == []
    drive.do(ShopperSession.abandon)
    assert len(drive.core.checkout.cart.lines) == 1
    assert drive.core.store.sales.recent() == []
    # Touches while waiting do not restart it.
    drive.do(ShopperSession.touch)
    assert Timer.IDLE not in drive.timers

    drive.scan(DEMO_BADGE, Symbology.CODE128)
    drive.do(lambda s: s.desk.sign_out())
    assert drive.session.alerts == ()
    assert Timer.IDLE in drive.timers  # back to normal once staff are done


def test_the_shopper_withdraws_their_call_but_not_an_age_check(
    drive: Driver, demo: DemoStore
) -> None:
    drive.scan(display_gtin(demo.fixed[0].gtin))
    events = drive.do(ShopperSession.call_assistance)
    assert said(events) == [("assistance_called", Level.INFO)]
    assert reasons(events) == [AlertReason.SHOPPER_CALL]
    drive.do(ShopperSession.call_assistance)  # pressed twice: still one call
    assert len(drive.session.alerts) == 1

    events = drive.do(ShopperSession.withdraw_call)
    assert said(events) == [("assistance_withdrawn", Level.INFO)]
    assert AlertsShown(()) in events
    assert Timer.IDLE in drive.timers
    assert alert_rows(drive)[-1] == ("2", "withdrawn")

    drive.scan(display_gtin(demo.adult.gtin))
    assert drive.do(ShopperSession.withdraw_call) == []
    assert reasons([AlertsShown(drive.session.alerts)]) == [AlertReason.AGE_CHECK]


def test_alerts_outlive_the_next_shopper(drive: Driver, demo: DemoStore) -> None:
    drive.scan(UNKNOWN)
    drive.do(ShopperSession.next_shopper)
    assert drive.session.screen is Screen.ATTRACT
    assert reasons([AlertsShown(drive.session.alerts)]) == [AlertReason.UNKNOWN_ITEM]


def test_a_restarted_kiosk_comes_back_with_its_open_alert(demo_home: Path, demo: DemoStore) -> None:
    with running(demo_home) as first:
        first.scan(display_gtin(demo.fixed[0].gtin))
        first.do(ShopperSession.call_assistance)
    with running(demo_home) as again:
        assert reasons(again.seen) == [AlertReason.SHOPPER_CALL]  # shown by `open`
        assert again.session.screen is Screen.SCANNING
        assert Timer.IDLE not in again.timers


KILLED_WITH_AN_ALERT = """
import os, signal, sys
from pathlib import Path
from app.core import build_core
from kiosk.services.shopper import ShopperSession
core = build_core(Path(sys.argv[1]))
session = ShopperSession(core)
session.open()
session.call_assistance()
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_killed_kiosk_process_comes_back_with_its_alert(demo_home: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", KILLED_WITH_AN_ALERT, str(demo_home)],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    with running(demo_home) as again:
        assert reasons(again.seen) == [AlertReason.SHOPPER_CALL]
        assert again.core.store.outbox.pending(10, ALERT_KIND)[0].payload["state"] == "raised"


def test_unknown_and_recalled_items_call_staff_by_themselves(
    drive: Driver, demo: DemoStore
) -> None:
    events = drive.scan(UNKNOWN)
    assert said(events) == [("unknown_product", Level.ERROR)]
    assert reasons(events) == [AlertReason.UNKNOWN_ITEM]
    drive.scan(UNKNOWN)  # the same label again: the same call
    assert len(drive.session.alerts) == 1
    if demo.recalled is None:
        pytest.skip("the demo catalog holds no recalled product")
    events = drive.scan(display_gtin(demo.recalled.gtin))
    assert reasons(events) == [AlertReason.UNKNOWN_ITEM, AlertReason.RECALLED_ITEM]


def test_each_alert_names_its_item_and_the_screen_gets_the_product(
    drive: Driver, demo: DemoStore
) -> None:
    """Staff are told which item to look for: the code of an unknown one, the product of
    an age check or a recall; a second unknown item is a second thing to fetch."""
    other = "6999999999980"  # another valid EAN-13 the demo catalog does not hold
    drive.scan(UNKNOWN)
    drive.scan(other)
    events = drive.scan(display_gtin(demo.adult.gtin))
    [shown] = [e for e in events if isinstance(e, AlertsShown)][-1:]
    assert [(a.reason, a.gtin and display_gtin(Gtin(a.gtin))) for a in shown.alerts] == [
        (AlertReason.UNKNOWN_ITEM, UNKNOWN),
        (AlertReason.UNKNOWN_ITEM, other),
        (AlertReason.AGE_CHECK, display_gtin(demo.adult.gtin)),
    ]
    assert shown.items == (demo.adult,)  # the unknown ones have no product: their code


def test_an_item_not_for_sale_calls_staff_to_take_it(drive: Driver, demo: DemoStore) -> None:
    unsellable = next((p for p in demo.products if not p.sellable), None)
    if unsellable is None:
        pytest.skip("the demo catalog holds no product that is not for sale")
    events = drive.scan(display_gtin(unsellable.gtin))
    assert said(events) == [("not_sellable", Level.ERROR)]
    assert reasons(events) == [AlertReason.UNSELLABLE_ITEM]


def test_repeated_failed_scans_call_staff_and_a_good_scan_resets_the_count(
    drive: Driver, demo: DemoStore
) -> None:
    bad = "6901234567890"  # a wrong check digit
    for _ in range(FAILED_SCANS_ALERT - 1):
        drive.scan(bad)
    drive.scan(display_gtin(demo.fixed[0].gtin))
    for _ in range(FAILED_SCANS_ALERT - 1):
        drive.scan(bad)
    assert drive.session.alerts == ()
    events = drive.scan(bad)
    assert reasons(events) == [AlertReason.REPEATED_FAILED_SCANS]


def paid_sale_printer(drive: Driver, demo: DemoStore) -> TextFileSalePrinter:
    """A sale just paid, on the done screen; its printer, for the test to break."""
    printer = drive.core.printer
    assert isinstance(printer, TextFileSalePrinter)
    drive.scan(display_gtin(demo.fixed[0].gtin))
    drive.do(ShopperSession.pay)
    drive.paid()
    return printer


def test_a_printer_out_of_paper_calls_staff_and_shows_in_health(
    drive: Driver, demo: DemoStore
) -> None:
    printer = paid_sale_printer(drive, demo)
    assert PrinterShown(PrinterStatus.OK) in drive.do(ShopperSession.print_receipt)
    printer.working = False
    events = drive.do(ShopperSession.print_receipt)
    assert said(events) == [("printer_no_paper", Level.ERROR)]
    assert PrinterShown(PrinterStatus.PAPER_OUT) in events
    assert reasons(events) == [AlertReason.PRINTER_PAPER_OUT]


def test_a_camera_fault_calls_staff_once(drive: Driver) -> None:
    events = drive.do(lambda s: s.camera_status("lost"))
    assert reasons(events) == [AlertReason.CAMERA_FAULT]
    assert drive.do(lambda s: s.camera_status("stalled")) == []


def test_attended_payment_is_refused_while_no_payment_is_open(
    drive: Driver, demo: DemoStore
) -> None:
    drive.scan(display_gtin(demo.fixed[0].gtin))
    drive.scan(DEMO_BADGE, Symbology.CODE128)
    events = drive.do(lambda s: s.desk.attended_payment())
    assert said(events) == [("no_payment_open", Level.ERROR)]
    assert drive.core.store.sales.recent() == []
    assert not drive.core.checkout.cart.frozen


def test_an_offline_payment_alert_carries_the_amount_and_closes_with_the_confirmation(
    drive: Driver, demo: DemoStore
) -> None:
    drive.core.static_qr = "https://pay.example/static"
    drive.wallet.online = False
    drive.scan(display_gtin(demo.fixed[0].gtin))
    events = drive.do(ShopperSession.pay)
    [alert] = drive.session.alerts
    assert reasons(events) == [AlertReason.ATTENDED_PAYMENT]
    assert alert.amount == demo.fixed[0].price
    drive.scan(DEMO_BADGE, Symbology.CODE128)
    drive.do(lambda s: s.desk.attended_payment())
    assert drive.session.screen is Screen.DONE
    assert drive.session.alerts == ()


def test_why_not_says_what_the_staff_screen_shows_beside_each_action(
    drive: Driver, demo: DemoStore
) -> None:
    associate = Staff("2002", "Kim Min", Role.ASSOCIATE)
    empty = drive.core.checkout.cart
    assert why_not(DEMO_STAFF, DeskAction.VOID_SALE, empty, reason_chosen=True) == "empty_cart"
    assert why_not(DEMO_STAFF, DeskAction.APPROVE_AGE, empty, reason_chosen=False) == (
        "nothing_to_approve"
    )
    drive.scan(display_gtin(demo.adult.gtin))
    cart = drive.core.checkout.cart
    assert why_not(DEMO_STAFF, DeskAction.VOID_LINE, cart, reason_chosen=False) == (
        "reason_required"
    )
    assert why_not(DEMO_STAFF, DeskAction.VOID_LINE, cart, reason_chosen=True) is None
    assert why_not(DEMO_STAFF, DeskAction.APPROVE_AGE, cart, reason_chosen=False) is None
    assert why_not(associate, DeskAction.VOID_SALE, cart, reason_chosen=True) == (
        "needs_supervisor"
    )
    assert why_not(DEMO_STAFF, DeskAction.EXIT_KIOSK, cart, reason_chosen=False) == (
        "needs_manager"
    )
    assert why_not(DEMO_STAFF, DeskAction.ATTENDED_PAYMENT, cart, reason_chosen=False) == (
        "no_payment_open"
    )


def test_alert_rows_are_relayed_and_count_in_the_sync_backlog(
    drive: Driver, demo: DemoStore
) -> None:
    """Every change of an alert is an outbox row the relay sends (to the attendant
    console): until sent it is backlog like any other, in health and the heartbeat."""
    store = drive.core.store
    before = store.outbox.depth(ROUTES)
    drive.do(ShopperSession.call_assistance)
    drive.do(ShopperSession.withdraw_call)
    assert store.outbox.depth() == store.outbox.depth(ROUTES)
    assert len(store.outbox.pending(10, ALERT_KIND)) == 2
    assert status(store).queue_depth == store.outbox.depth(ROUTES) > before


STEPS = ("good", "unknown", "adult", "call", "withdraw", "touch", "idle", "still", "badge", "out")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(STEPS), min_size=1, max_size=14))
def test_no_sequence_of_taps_scans_and_timeouts_voids_a_cart_while_staff_are_called(
    seeded: tuple[Path, DemoStore], tmp_path_factory: pytest.TempPathFactory, steps: list[str]
) -> None:
    """Whatever the shopper, staff and timers do, in any order: while an alert is open no
    idle timer runs and no cart is voided for idling; and the open alerts shown are always
    the store's."""
    home = tmp_path_factory.mktemp("prop") / "home"
    shutil.copytree(seeded[0], home)
    demo = seeded[1]
    actions = {
        "good": lambda d: d.scan(display_gtin(demo.fixed[0].gtin)),
        "unknown": lambda d: d.scan(UNKNOWN),
        "adult": lambda d: d.scan(display_gtin(demo.adult.gtin)),
        "call": lambda d: d.do(ShopperSession.call_assistance),
        "withdraw": lambda d: d.do(ShopperSession.withdraw_call),
        "touch": lambda d: d.do(ShopperSession.touch),
        "idle": lambda d: d.fire(Timer.IDLE) if Timer.IDLE in d.timers else [],
        "still": lambda d: d.fire(Timer.STILL_THERE) if Timer.STILL_THERE in d.timers else [],
        "badge": lambda d: d.scan(DEMO_BADGE, Symbology.CODE128),
        "out": lambda d: d.do(lambda s: s.desk.sign_out()),
    }
    with running(home) as drive:
        for step in steps:
            called = bool(drive.session.alerts)
            voided_before = len(drive.core.store.sales.recent(100))
            actions[step](drive)
            if called:
                assert len(drive.core.store.sales.recent(100)) == voided_before, step
            if drive.session.alerts:
                assert Timer.IDLE not in drive.timers, step
                assert Timer.STILL_THERE not in drive.timers, step
            assert drive.session.alerts == tuple(drive.core.alerts.open())


def test_the_attendant_console_takes_an_alert_and_pauses_the_kiosk_from_afar(
    drive: Driver, demo: DemoStore
) -> None:
    drive.scan(display_gtin(demo.fixed[0].gtin))
    drive.do(ShopperSession.call_assistance)
    [called] = drive.session.alerts
    coming = RemoteCommand(7, "acknowledge", "E100", "Li Na", called.alert_id)
    events = drive.do(lambda s: s.desk.remote(coming))
    [shown_event] = [e for e in events if isinstance(e, AlertsShown)]
    shown = shown_event.alerts
    # The alert keeps the staff number (the journal's and the reports' key); the shopper
    # is told the name the console gave, as this kiosk does not know E100 yet.
    assert [(a.state, a.acknowledged_by) for a in shown] == [(AlertState.ACKNOWLEDGED, "E100")]
    assert shown_event.coming == "Li Na"
    assert drive.core.store.journal.entries()[-1].actor == "E100"
    # Delivered twice (an answer lost on the way): nothing changes, nothing is journalled.
    entries = len(drive.core.store.journal.entries())
    assert drive.do(lambda s: s.desk.remote(coming)) == []
    assert len(drive.core.store.journal.entries()) == entries
    # Pause: the kiosk closes (the cart kept), journalled as the remote staff member's.
    events = drive.do(lambda s: s.desk.remote(RemoteCommand(8, "pause", "E200", "Kim Min")))
    assert drive.session.locked
    assert Screen.LOCKED in [e.screen for e in events if isinstance(e, ScreenShown)]
    assert not drive.core.checkout.cart.is_empty
    locked = [e for e in drive.core.store.journal.entries() if e.kind == "kiosk_locked"]
    assert [(e.actor, e.payload["remote"]) for e in locked] == [("E200", True)]
    drive.do(lambda s: s.desk.remote(RemoteCommand(9, "resume", "E200", "Kim Min")))
    assert not drive.session.locked
    assert drive.session.screen is Screen.SCANNING


def test_a_camera_alert_stays_while_the_camera_is_broken_and_goes_when_it_is_back(
    drive: Driver,
) -> None:
    drive.do(lambda s: s.camera_status("lost"))
    drive.scan(DEMO_BADGE, Symbology.CODE128)
    drive.do(lambda s: s.desk.sign_out())  # staff looked, but the camera is still gone
    assert [a.reason for a in drive.session.alerts] == [AlertReason.CAMERA_FAULT]
    events = drive.do(lambda s: s.camera_status("ok"))
    assert AlertsShown(()) in events
    [cleared] = [e for e in drive.core.store.journal.entries() if e.kind == "alert_cleared"]
    assert cleared.actor == "kiosk"


def test_a_receipt_printed_again_clears_the_printer_alert_in_the_kiosk_s_name(
    drive: Driver, demo: DemoStore
) -> None:
    printer = paid_sale_printer(drive, demo)
    printer.working = False
    drive.do(ShopperSession.print_receipt)
    assert [a.reason for a in drive.session.alerts] == [AlertReason.PRINTER_PAPER_OUT]
    printer.working = True
    events = drive.do(ShopperSession.print_receipt)
    assert PrinterShown(PrinterStatus.OK) in events
    assert drive.session.alerts == ()
    [cleared] = [e for e in drive.core.store.journal.entries() if e.kind == "alert_cleared"]
    assert cleared.actor == "kiosk"


def test_the_shopper_queries_a_price_and_the_supervisor_s_override_answers_it(
    drive: Driver, demo: DemoStore
) -> None:
    item = demo.fixed[0]
    drive.scan(display_gtin(item.gtin))
    drive.scan(display_gtin(demo.fixed[1].gtin))
    line = drive.core.checkout.state().priced.lines[0]
    events = drive.do(lambda s: s.query_price(line.line_no))
    assert said(events) == [("price_query_called", Level.INFO)]
    [query] = drive.session.alerts
    assert (query.reason, query.line_no, query.amount) == (
        AlertReason.PRICE_QUERY, line.line_no, line.amount)  # fmt: skip
    assert Timer.IDLE not in drive.timers  # nobody walks off while staff come
    raised = [e for e in drive.core.store.journal.entries() if e.kind == "alert_raised"]
    assert raised[-1].actor == "shopper"
    # Asked twice, still one person comes.
    drive.do(lambda s: s.query_price(line.line_no))
    assert len(drive.session.alerts) == 1
    drive.scan(DEMO_BADGE, Symbology.CODE128)
    lower = line.unit_price.minor - 100
    drive.do(lambda s: s.desk.override_price(line.line_no, lower, "shelf price"))
    assert drive.session.alerts == ()
    cleared = [e for e in drive.core.store.journal.entries() if e.kind == "alert_cleared"]
    assert cleared[-1].actor == DEMO_STAFF.staff_id
