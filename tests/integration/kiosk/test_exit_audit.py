"""Exit-pass audits through the session (issue #13): a paid sale the store's policy picks
calls staff, holds its exit pass (no countdown, no print, Done and scans wait) until staff
have checked the bag and signed out, and is journalled with the sale and the cause."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from demo.store import DEMO_BADGE, DEMO_STAFF, DemoStore, audit_exits
from kiosk.domain.alerts import AlertReason, AlertState, RemoteCommand
from kiosk.domain.audit import select_for_audit
from kiosk.domain.codes import display_gtin
from kiosk.domain.exit_code import ExitFlag, ExitPass, split
from kiosk.domain.policy import BASIS_POINTS, AuditPolicy
from kiosk.domain.scan import Symbology
from kiosk.services.session import Level, PassShown, PrinterShown, Screen, Timer
from kiosk.services.shopper import ShopperSession
from tests.integration.kiosk.session_driver import Driver, reasons, running, said


def pay(drive: Driver, demo: DemoStore) -> None:
    drive.scan(display_gtin(demo.fixed[0].gtin))
    drive.do(ShopperSession.pay)
    drive.paid()


@pytest.fixture
def audited(demo_home: Path) -> Iterator[Driver]:
    """A kiosk whose store checks every sale over ¥0.00."""
    audit_exits(demo_home, AuditPolicy(over_minor=0))
    with running(demo_home) as driver:
        yield driver


def test_a_picked_sale_calls_staff_and_holds_the_pass(audited: Driver, demo: DemoStore) -> None:
    start = len(audited.seen)
    pay(audited, demo)
    events = audited.seen[start:]
    session = audited.session
    assert session.screen is Screen.DONE
    assert reasons(events) == [AlertReason.EXIT_AUDIT]
    [alert] = session.alerts
    assert alert.amount == demo.fixed[0].price
    assert ("exit_audit_wait", Level.INFO) in said(events)
    passes = [e for e in events if isinstance(e, PassShown)]
    assert passes[-1].handoff.audit
    assert passes[-1].seconds is None  # no countdown takes the screen away
    assert Timer.DONE not in audited.timers
    # The kiosk's check needs no flag in the pass: the gate need not stop the shopper again.
    assert session.exit_code is not None
    exit_pass = ExitPass.from_signed_bytes(split(session.exit_code)[0])
    assert not exit_pass.flags & ExitFlag.AUDIT

    [entry] = [e for e in audited.core.store.journal.entries() if e.kind == "exit_audit_selected"]
    assert session.last_sale is not None
    assert entry.payload["sale_id"] == session.last_sale.sale_id
    assert (entry.payload["cause"], entry.payload["alert_id"]) == ("amount", alert.alert_id)


def test_done_print_and_the_next_scan_wait_for_the_bag_check(
    audited: Driver, demo: DemoStore
) -> None:
    pay(audited, demo)
    for intent in (ShopperSession.finish, ShopperSession.print_receipt):
        events = audited.do(intent)
        assert said(events) == [("exit_audit_wait", Level.INFO)]
        assert not any(isinstance(e, PrinterShown) for e in events)  # the receipt has the pass
    events = audited.scan(display_gtin(demo.fixed[1].gtin))
    assert ("exit_audit_wait", Level.WARNING) in said(events)
    assert audited.session.screen is Screen.DONE
    assert audited.core.checkout.cart.is_empty


def test_staff_check_the_bag_at_the_kiosk_and_the_pass_is_given(
    audited: Driver, demo: DemoStore
) -> None:
    pay(audited, demo)
    audited.scan(DEMO_BADGE, Symbology.CODE128)
    [alert] = audited.session.alerts
    assert (alert.state, alert.acknowledged_by) == (AlertState.ACKNOWLEDGED, DEMO_STAFF.staff_id)
    assert audited.session.handoff.audit  # signing in is not the check: leaving is
    events = audited.do(lambda s: s.desk.sign_out())
    assert audited.session.alerts == ()
    stored = audited.core.store.alerts.get(alert.alert_id)
    assert stored is not None
    assert stored.closed_by == DEMO_STAFF.staff_id
    passes = [e for e in events if isinstance(e, PassShown)]
    assert not passes[-1].handoff.audit
    assert passes[-1].seconds is not None  # the countdown starts now
    assert Timer.DONE in audited.timers
    assert PrinterShown in {type(e) for e in audited.do(ShopperSession.print_receipt)}
    assert audited.do(ShopperSession.finish)  # printed: Done leaves
    assert audited.session.screen is Screen.ATTRACT


def test_the_console_may_say_staff_are_coming_but_not_clear_the_check(
    audited: Driver, demo: DemoStore
) -> None:
    pay(audited, demo)
    [alert] = audited.session.alerts
    command = RemoteCommand(1, "acknowledge", "2001", "Li Na", alert.alert_id)
    audited.do(lambda s: s.desk.remote(command))
    [still] = audited.session.alerts
    assert still.state is AlertState.ACKNOWLEDGED
    assert audited.session.handoff.audit


def test_without_an_audit_policy_no_sale_is_held(drive: Driver, demo: DemoStore) -> None:
    pay(drive, demo)
    assert drive.session.alerts == ()
    assert not drive.session.handoff.audit
    assert Timer.DONE in drive.timers


def test_the_same_sale_is_picked_again_after_a_restart(demo_home: Path, demo: DemoStore) -> None:
    """Deterministic: showing the paid sale again (a restart) draws the same answer."""
    policy = AuditPolicy(rate_bp=BASIS_POINTS // 2)
    audit_exits(demo_home, policy)
    with running(demo_home) as first:
        key = first.core.exit_signer.audit_key
        picks = []
        for _ in range(6):
            pay(first, demo)
            sale = first.session.last_sale
            assert sale is not None
            picks.append((sale, first.session.handoff.audit))
            drawn = select_for_audit(policy, key, sale.sale_id, sale.priced.total.minor)
            assert first.session.handoff.audit is (drawn is not None)
            if first.session.alerts:
                first.scan(DEMO_BADGE, Symbology.CODE128)
                first.do(lambda s: s.desk.sign_out())
            first.do(ShopperSession.finish)
            first.do(ShopperSession.leave_anyway)
            assert first.session.screen is Screen.ATTRACT
    with running(demo_home) as again:
        assert again.core.exit_signer.audit_key == key
        for sale, picked in picks:
            again.do(lambda s, sale=sale: s.show_paid(sale))  # type: ignore[misc]
            assert again.session.handoff.audit is picked
            if again.session.alerts:
                again.scan(DEMO_BADGE, Symbology.CODE128)
                again.do(lambda s: s.desk.sign_out())
