"""Kiosk-side payments: sessions saved at each step, recovered after a crash, never lost."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.domain.errors import NotAllowed
from kiosk.domain.ids import IdFactory
from kiosk.domain.money import Money
from kiosk.domain.payment import PaymentStatus
from kiosk.domain.staff import Role, Staff
from kiosk.services.payment_port import PaymentOutcome, PaymentResult, PaymentUnavailable
from kiosk.services.payments import (
    ATTENDED_METHOD,
    GatewayPayments,
    attended_payment,
)
from kiosk.store.uow import KioskStore
from tests.fakes import AMOUNT, FakeGateway
from tests.helpers import FixedClock

TIMEOUT = 10


class Results:
    def __init__(self) -> None:
        self.items: list[PaymentResult] = []
        self.arrived = threading.Event()

    def __call__(self, result: PaymentResult) -> None:
        self.items.append(result)
        self.arrived.set()


@pytest.fixture
def gateway(clock: FixedClock) -> FakeGateway:
    return FakeGateway(clock)


@pytest.fixture
def payments(
    tmp_path: Path, store: KioskStore, gateway: FakeGateway, clock: FixedClock
) -> Iterator[GatewayPayments]:
    provider = GatewayPayments(
        gateway, lambda: KioskStore.open(tmp_path / "kiosk.db"), clock, IdFactory()
    )
    yield provider
    provider.stop()


def test_paid_in_the_wallet_reaches_the_kiosk(
    payments: GatewayPayments, gateway: FakeGateway, store: KioskStore
) -> None:
    results = Results()
    payments.subscribe(results)
    view = payments.start(AMOUNT, "sale-1")
    assert store.payments.get(view.payment_id).status is PaymentStatus.SHOWN  # type: ignore[union-attr]
    gateway.pay(view.payment_id)
    assert results.arrived.wait(TIMEOUT)
    assert results.items == [PaymentResult(view.payment_id, PaymentOutcome.PAID, "wx-4200")]
    saved = store.payments.get(view.payment_id)
    assert saved is not None
    assert (saved.status, saved.provider_ref) == (PaymentStatus.PAID, "wx-4200")


def test_cancel_after_the_shopper_paid_still_reports_paid(
    payments: GatewayPayments, gateway: FakeGateway
) -> None:
    results = Results()
    payments.subscribe(results)
    payments.stop()  # no watcher: only the cancel path may learn about the payment
    view = payments.start(AMOUNT, "sale-1")
    gateway.pay(view.payment_id)
    payments.cancel(view.payment_id)
    assert results.arrived.wait(TIMEOUT)
    assert results.items[0].outcome is PaymentOutcome.PAID


def test_a_restart_recovers_a_payment_made_while_the_kiosk_was_down(
    tmp_path: Path, store: KioskStore, gateway: FakeGateway, clock: FixedClock
) -> None:
    first = GatewayPayments(
        gateway, lambda: KioskStore.open(tmp_path / "kiosk.db"), clock, IdFactory()
    )
    first.stop()  # the kiosk dies right after showing the QR
    view = first.start(AMOUNT, "sale-1")
    gateway.pay(view.payment_id)  # the shopper pays while it is down
    second = GatewayPayments(
        gateway, lambda: KioskStore.open(tmp_path / "kiosk.db"), clock, IdFactory()
    )
    recovered = second.recover()
    second.stop()
    assert [(r.payment_id, r.outcome) for r in recovered] == [
        (view.payment_id, PaymentOutcome.PAID)
    ]
    assert store.payments.open_sessions() == []


def test_central_down_when_paying_is_a_clear_error_and_leaves_a_trace(
    payments: GatewayPayments, gateway: FakeGateway, store: KioskStore
) -> None:
    gateway.online = False
    with pytest.raises(PaymentUnavailable):
        payments.start(AMOUNT, "sale-1")
    rows = store.store.db.conn.execute("SELECT status FROM payments").fetchall()
    assert rows == [("failed",)]


def test_a_report_for_another_amount_is_refused(
    payments: GatewayPayments, gateway: FakeGateway, store: KioskStore
) -> None:
    results = Results()
    payments.subscribe(results)
    view = payments.start(AMOUNT, "sale-1")
    gateway.pay(view.payment_id, Money(1, "CNY"))
    assert results.arrived.wait(TIMEOUT)
    assert results.items[0] == PaymentResult(
        view.payment_id, PaymentOutcome.FAILED, "", "payment_mismatch"
    )


def test_attended_payment_needs_the_right_staff(store: KioskStore, clock: FixedClock) -> None:
    with pytest.raises(NotAllowed):
        attended_payment(store, Staff("1", "Ann", Role.ASSOCIATE), AMOUNT, "s", clock, IdFactory())
    tender = attended_payment(
        store, Staff("2", "Sam", Role.SUPERVISOR), AMOUNT, "s", clock, IdFactory()
    )
    assert (tender.method, tender.attended_by, tender.amount) == (ATTENDED_METHOD, "2", AMOUNT)
    saved = store.payments.get(tender.payment_id)
    assert saved is not None
    assert saved.is_paid


def test_a_restart_withdraws_an_unpaid_qr(
    tmp_path: Path, store: KioskStore, gateway: FakeGateway, clock: FixedClock
) -> None:
    first = GatewayPayments(
        gateway, lambda: KioskStore.open(tmp_path / "kiosk.db"), clock, IdFactory()
    )
    first.stop()
    view = first.start(AMOUNT, "sale-1")
    second = GatewayPayments(
        gateway, lambda: KioskStore.open(tmp_path / "kiosk.db"), clock, IdFactory()
    )
    assert [(r.payment_id, r.outcome) for r in second.recover()] == [
        (view.payment_id, PaymentOutcome.CANCELLED)
    ]
    assert gateway.payments[view.payment_id].status is PaymentStatus.CANCELLED
    assert store.payments.open_sessions() == []


def test_a_payment_the_service_never_got_ends_failed_after_a_restart(
    tmp_path: Path, store: KioskStore, gateway: FakeGateway, clock: FixedClock
) -> None:
    first = GatewayPayments(
        gateway, lambda: KioskStore.open(tmp_path / "kiosk.db"), clock, IdFactory()
    )
    first.stop()
    view = first.start(AMOUNT, "sale-1")
    del gateway.payments[view.payment_id]  # the request never reached the service
    second = GatewayPayments(
        gateway, lambda: KioskStore.open(tmp_path / "kiosk.db"), clock, IdFactory()
    )
    recovered = second.recover()
    second.stop()
    assert recovered == [
        PaymentResult(view.payment_id, PaymentOutcome.FAILED, "", "payment_not_found")
    ]
    assert store.payments.open_sessions() == []  # no watcher asking forever
