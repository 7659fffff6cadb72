"""Money a wallet took always ends as a recorded sale, or journalled with staff called:
a crash between "paid" and the sale, a restart while the payment service is unreachable,
and an answer for a payment the screen no longer shows.

The session pays through `GatewayPayments` and a `FakeGateway`; provider results are
queued and handed to the session on the test's thread, as `ui.session` does with its
queued signal.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from app.core import KioskCore, build_core
from demo.store import DEMO_BADGE, DemoStore
from kiosk.domain.alerts import AlertReason
from kiosk.domain.codes import display_gtin
from kiosk.domain.errors import Reason
from kiosk.domain.ids import IdFactory
from kiosk.domain.payment import PaymentSession, PaymentStatus
from kiosk.domain.sale import Sale
from kiosk.domain.scan import Symbology
from kiosk.services.payment_port import PaymentNotFound, PaymentOutcome, PaymentResult
from kiosk.services.payments import GatewayPayments, RemoteStatus
from kiosk.services.session import IDLE_ACTOR, Event, Said, Screen
from kiosk.services.setup import database_path
from kiosk.services.shopper import ShopperSession
from kiosk.store.uow import KioskStore
from tests.fakes import FakeGateway
from tests.helpers import FixedClock
from tests.integration.kiosk.session_driver import Driver

TIMEOUT_S = 10.0
WECHAT_CODE = "134567890123456700"
"""A WeChat payment code (18 digits, 10–15 first)."""


@dataclass
class Inbox:
    """The provider's results, as its watcher threads report them."""

    items: list[PaymentResult] = field(default_factory=list)
    arrived: threading.Condition = field(default_factory=threading.Condition)

    def __call__(self, result: PaymentResult) -> None:
        with self.arrived:
            self.items.append(result)
            self.arrived.notify_all()

    def wait(self, count: int = 1) -> list[PaymentResult]:
        with self.arrived:
            assert self.arrived.wait_for(lambda: len(self.items) >= count, TIMEOUT_S)
            taken, self.items = self.items, []
        return taken


@dataclass
class Kiosk:
    driver: Driver
    payments: GatewayPayments
    inbox: Inbox
    recovered: Sale | None

    @property
    def session(self) -> ShopperSession:
        return self.driver.session

    @property
    def core(self) -> KioskCore:
        return self.driver.core

    def deliver(self, count: int = 1) -> None:
        """Hand the next `count` results to the session, on this thread."""
        for result in self.inbox.wait(count):
            self.driver.do(lambda s, r=result: s.payment_result(r))

    def paid_sales(self) -> list[str]:
        return [s.sale_id for s in self.core.store.sales.recent(50) if s.status == "paid"]

    def open_alerts(self) -> list[AlertReason]:
        return [a.reason for a in self.core.alerts.open()]


@contextmanager
def kiosk(home: Path, gateway: FakeGateway, clock: FixedClock) -> Iterator[Kiosk]:
    """A kiosk started as `ui.bootstrap` starts one: recovery, then the session."""
    db = database_path(home)
    payments = GatewayPayments(
        gateway,
        lambda: KioskStore.open(db),
        clock,
        IdFactory(),
        sleep=lambda _s: threading.Event().wait(0.05),
    )
    core = build_core(home, clock=clock, monotonic=lambda: 0.0, payments=payments)
    recovered = core.recover_payments()
    inbox = Inbox()
    payments.subscribe(inbox)
    driver = Driver(ShopperSession(core), core, None)  # type: ignore[arg-type]
    driver.do(ShopperSession.open)
    if recovered is not None:
        driver.do(lambda s: s.show_paid(recovered))
    try:
        yield Kiosk(driver, payments, inbox, recovered)
    finally:
        core.close()


def show_qr(k: Kiosk, demo: DemoStore) -> str:
    """One item in the cart, Pay: the QR is on screen. Returns its payment id."""
    k.driver.scan(display_gtin(demo.fixed[0].gtin))
    k.driver.do(ShopperSession.pay)
    view = k.session.payment
    assert view is not None
    assert view.qr_payload
    return view.payment_id


def test_a_crash_between_saving_paid_and_the_sale_completes_the_sale_at_start_up(
    demo_home: Path, demo: DemoStore
) -> None:
    clock = FixedClock()
    gateway = FakeGateway(clock)
    with kiosk(demo_home, gateway, clock) as first:
        payment_id = show_qr(first, demo)
        cart_id = first.core.checkout.cart.cart_id
        gateway.pay(payment_id)
        first.inbox.wait()  # the watcher saved PAID and reported it...
        # ... and the process dies before the session handles the report.
    with kiosk(demo_home, gateway, clock) as second:
        assert second.recovered is not None
        assert second.recovered.sale_id == cart_id
        assert [t.payment_id for t in second.recovered.tenders] == [payment_id]
        assert second.paid_sales() == [cart_id]
        assert second.session.screen is Screen.DONE
        assert not second.core.checkout.cart.lines  # nothing offered to pay again


def test_a_restart_while_central_is_unreachable_keeps_the_payment_and_completes_it(
    demo_home: Path, demo: DemoStore
) -> None:
    clock = FixedClock()
    gateway = FakeGateway(clock)
    with kiosk(demo_home, gateway, clock) as first:
        payment_id = show_qr(first, demo)
        cart_id = first.core.checkout.cart.cart_id
    gateway.pay(payment_id)  # the shopper pays while the kiosk is down
    gateway.online = False  # and it starts again while central is unreachable
    with kiosk(demo_home, gateway, clock) as second:
        assert second.recovered is None
        # The cart stays frozen under its payment, which is on screen again, and staff
        # are called: nobody can withdraw it until the service answers.
        assert second.core.checkout.cart.frozen
        assert second.session.screen is Screen.PAYMENT
        assert second.session.payment is not None
        assert second.session.payment.payment_id == payment_id
        assert AlertReason.ATTENDED_PAYMENT in second.open_alerts()
        with gateway.changed:
            gateway.online = True
            gateway.changed.notify_all()
        second.deliver()
        assert second.paid_sales() == [cart_id]
        assert second.session.screen is Screen.DONE


def paid_session(k: Kiosk, sale_id: str) -> PaymentSession:
    """A wallet payment for `sale_id`, saved as paid, as a watcher saves one."""
    now = k.core.clock.now()
    amount = k.core.checkout.state().priced.total
    session = PaymentSession(k.core.ids.new(), sale_id, amount, "sandbox", now)
    session = session.paid(amount, "wx-late", now)
    k.core.store.payments.save(session, now)
    return session


def test_a_paid_answer_for_a_voided_cart_is_journalled_and_calls_staff(
    demo_home: Path, demo: DemoStore
) -> None:
    clock = FixedClock()
    gateway = FakeGateway(clock)
    with kiosk(demo_home, gateway, clock) as k:
        k.driver.scan(display_gtin(demo.fixed[0].gtin))
        voided = k.core.checkout.cart.cart_id
        session = paid_session(k, voided)
        k.core.checkout.void_sale(IDLE_ACTOR, "shopper left")
        result = PaymentResult(session.payment_id, PaymentOutcome.PAID, "wx-late")
        k.driver.do(lambda s: s.payment_result(result))
        assert k.open_alerts() == [AlertReason.ATTENDED_PAYMENT]
        [alert] = k.core.alerts.open()
        assert alert.amount == session.amount
        [entry] = [e for e in k.core.store.journal.entries() if e.kind == "payment_without_sale"]
        assert entry.payload["payment_id"] == session.payment_id
        assert entry.payload["sale_status"] == "voided"
        assert entry.payload["amount_minor"] == session.amount.minor


def test_a_paid_answer_for_the_frozen_cart_off_screen_completes_its_sale(
    demo_home: Path, demo: DemoStore
) -> None:
    clock = FixedClock()
    gateway = FakeGateway(clock)
    with kiosk(demo_home, gateway, clock) as k:
        k.driver.scan(display_gtin(demo.fixed[0].gtin))
        k.driver.do(ShopperSession.pay)
        cart_id = k.core.checkout.cart.cart_id
        payment_id = k.session.payment.payment_id  # type: ignore[union-attr]
        k.driver.do(ShopperSession.cancel_payment)  # withdrawn: the cart is back...
        k.deliver()
        k.driver.do(ShopperSession.pay)  # ... and frozen again for a fresh QR
        k.session.payment = None  # the screen shows none (a code is asked for)
        session = paid_session(k, cart_id)
        result = PaymentResult(session.payment_id, PaymentOutcome.PAID, "wx-late")
        k.driver.do(lambda s: s.payment_result(result))
        assert k.paid_sales() == [cart_id]
        assert payment_id != session.payment_id
        # The same answer again (two threads learnt it) is no second sale and no alert.
        k.driver.do(lambda s: s.payment_result(result))
        assert k.paid_sales() == [cart_id]
        assert AlertReason.ATTENDED_PAYMENT not in k.open_alerts()


# ------------------------------------------------------------------ staff void


class CodeGateway(FakeGateway):
    """A gateway that also charges payment codes (idempotent by payment id, as the
    central service is) and knows nothing of a charge that never reached it."""

    def __init__(self, clock: FixedClock) -> None:
        super().__init__(clock)
        self.charges: list[str] = []

    def charge(self, session: PaymentSession, auth_code: str) -> RemoteStatus:
        self._check()
        with self.changed:
            if session.payment_id not in self.payments:
                self.charges.append(session.payment_id)
                self.payments[session.payment_id] = RemoteStatus(
                    session.payment_id, PaymentStatus.PAID, session.amount, "wx-code"
                )
                self.changed.notify_all()
            return self.payments[session.payment_id]

    def cancel(self, payment_id: str) -> RemoteStatus:
        self._check()
        if payment_id not in self.payments:
            raise PaymentNotFound(f"no payment {payment_id}")
        return super().cancel(payment_id)


def sign_in(k: Kiosk) -> None:
    k.driver.scan(DEMO_BADGE, Symbology.CODE128)
    assert k.session.staff is not None


def said(events: list[Event]) -> list[object]:
    return [e.notice.reason for e in events if isinstance(e, Said)]


def test_a_void_while_the_shopper_has_just_paid_the_qr_completes_the_sale(
    demo_home: Path, demo: DemoStore
) -> None:
    clock = FixedClock()
    gateway = FakeGateway(clock)
    with kiosk(demo_home, gateway, clock) as k:
        payment_id = show_qr(k, demo)
        cart_id = k.core.checkout.cart.cart_id
        gateway.pay(payment_id)  # paid in the wallet; the kiosk has not heard yet
        sign_in(k)
        events = k.driver.do(lambda s: s.desk.void_sale("shopper left"))
        # Refused while the wallet may still take (has taken) the money; the QR's
        # withdrawal is asked for, and its answer decides.
        assert said(events) == [Reason.PAYMENT_STILL_OPEN]
        assert k.core.store.sales.recent(50) == []
        assert k.core.checkout.cart.frozen
        k.deliver()
        assert k.paid_sales() == [cart_id]
        assert k.session.screen is Screen.DONE


def test_a_void_waits_for_the_qr_to_be_withdrawn_then_voids(
    demo_home: Path, demo: DemoStore
) -> None:
    clock = FixedClock()
    gateway = FakeGateway(clock)
    with kiosk(demo_home, gateway, clock) as k:
        payment_id = show_qr(k, demo)
        sign_in(k)
        k.driver.do(lambda s: s.desk.void_sale("shopper left"))
        k.deliver()  # withdrawn: the cart is back, unpaid
        assert gateway.payments[payment_id].status is PaymentStatus.CANCELLED
        assert not k.core.checkout.cart.frozen
        k.driver.do(lambda s: s.desk.void_sale("shopper left"))
        assert [s.status for s in k.core.store.sales.recent(50)] == ["voided"]


def test_a_void_while_a_code_charge_is_unanswered_withdraws_it_and_never_charges(
    demo_home: Path, demo: DemoStore
) -> None:
    clock = FixedClock()
    gateway = CodeGateway(clock)
    gateway.online = False  # the charge cannot be sent: its outcome is unknown
    with kiosk(demo_home, gateway, clock) as k:
        k.driver.scan(display_gtin(demo.fixed[0].gtin))
        k.driver.scan(WECHAT_CODE, Symbology.CODE128)
        assert k.session.payment is not None
        assert k.session.payment.wallet
        sign_in(k)
        events = k.driver.do(lambda s: s.desk.void_sale("shopper left"))
        assert said(events) == [Reason.PAYMENT_STILL_OPEN]  # cancel cannot reach it either
        assert k.core.store.sales.recent(50) == []
        with gateway.changed:  # the network is back: the watcher withdraws the charge
            gateway.online = True
            gateway.changed.notify_all()
        [result] = k.inbox.wait()
        assert result.reason is Reason.PAYMENT_NOT_FOUND
        k.driver.do(lambda s: s.payment_result(result))
        assert gateway.charges == []  # never re-sent after the void was asked for
        k.driver.do(lambda s: s.desk.void_sale("shopper left"))
        assert [s.status for s in k.core.store.sales.recent(50)] == ["voided"]
        assert gateway.charges == []


def test_a_void_asked_twice_while_the_provider_is_out_of_reach_goes_through_and_loses_nothing(
    demo_home: Path, demo: DemoStore
) -> None:
    """An outage must not hold the kiosk: the second void goes through, journalled; the
    wallet's money, learnt once the service is back, is journalled and calls staff."""
    clock = FixedClock()
    gateway = FakeGateway(clock)
    with kiosk(demo_home, gateway, clock) as k:
        payment_id = show_qr(k, demo)
        gateway.pay(payment_id)  # paid, as the network went down
        gateway.online = False
        sign_in(k)
        first = k.driver.do(lambda s: s.desk.void_sale("shopper left"))
        assert said(first) == [Reason.PAYMENT_STILL_OPEN]
        k.driver.do(lambda s: s.desk.void_sale("shopper left"))
        assert [s.status for s in k.core.store.sales.recent(50)] == ["voided"]
        [entry] = [e for e in k.core.store.journal.entries() if e.kind == "void_payment_unanswered"]
        assert entry.payload["payment_id"] == payment_id
        with gateway.changed:  # the service is back: the watcher learns the payment
            gateway.online = True
            gateway.changed.notify_all()
        k.deliver()
        assert k.paid_sales() == []
        assert k.open_alerts() == [AlertReason.ATTENDED_PAYMENT]
        kinds = [e.kind for e in k.core.store.journal.entries()]
        assert "payment_without_sale" in kinds


def test_a_second_void_waits_for_a_paid_answer_learnt_since_the_first(
    demo_home: Path, demo: DemoStore
) -> None:
    """The first void could not reach the provider; the watcher then learnt "paid" (its
    answer queued behind the second tap): the second void asks again and is refused, and
    the answer completes the sale (it went through, voiding a paid sale; found in review)."""
    clock = FixedClock()
    gateway = FakeGateway(clock)
    with kiosk(demo_home, gateway, clock) as k:
        payment_id = show_qr(k, demo)
        cart_id = k.core.checkout.cart.cart_id
        gateway.pay(payment_id)
        gateway.online = False
        sign_in(k)
        first = k.driver.do(lambda s: s.desk.void_sale("shopper left"))
        assert said(first) == [Reason.PAYMENT_STILL_OPEN]
        with gateway.changed:
            gateway.online = True
            gateway.changed.notify_all()
        [result] = k.inbox.wait()  # paid, saved, queued for the core thread
        second = k.driver.do(lambda s: s.desk.void_sale("shopper left"))
        assert said(second) == [Reason.PAYMENT_STILL_OPEN]
        k.driver.do(lambda s: s.payment_result(result))
        assert k.paid_sales() == [cart_id]


def test_money_a_restart_learns_was_taken_for_a_voided_cart_is_journalled_and_calls_staff(
    demo_home: Path, demo: DemoStore
) -> None:
    """Voided during an outage, restarted before the watcher heard: the restart's own
    asking learns the payment, and it is not dropped (found in review)."""
    clock = FixedClock()
    gateway = FakeGateway(clock)
    with kiosk(demo_home, gateway, clock) as k:
        payment_id = show_qr(k, demo)
        gateway.pay(payment_id)
        gateway.online = False
        sign_in(k)
        k.driver.do(lambda s: s.desk.void_sale("shopper left"))
        k.driver.do(lambda s: s.desk.void_sale("shopper left"))
        assert [s.status for s in k.core.store.sales.recent(50)] == ["voided"]
    gateway.online = True
    with kiosk(demo_home, gateway, clock) as again:
        assert again.core.store.payments.get(payment_id).status is PaymentStatus.PAID  # type: ignore[union-attr]
        [entry] = [
            e for e in again.core.store.journal.entries() if e.kind == "payment_without_sale"
        ]
        assert (entry.payload["payment_id"], entry.payload["sale_status"]) == (payment_id, "voided")
        assert again.open_alerts() == [AlertReason.ATTENDED_PAYMENT]
        assert again.paid_sales() == []


# ------------------------------------------------------------------ attended payment


def test_an_attended_confirmation_over_a_wallet_qr_is_refused_and_the_wallet_pays(
    demo_home: Path, demo: DemoStore
) -> None:
    clock = FixedClock()
    gateway = FakeGateway(clock)
    with kiosk(demo_home, gateway, clock) as k:
        payment_id = show_qr(k, demo)
        cart_id = k.core.checkout.cart.cart_id
        gateway.pay(payment_id)  # paid in the wallet
        sign_in(k)
        events = k.driver.do(lambda s: s.desk.attended_payment())
        assert said(events) == [Reason.PAYMENT_STILL_OPEN]
        assert k.core.store.sales.recent(50) == []
        assert gateway.payments[payment_id].status is PaymentStatus.PAID
        k.deliver()  # the watcher's answer: the wallet's payment is the sale's tender
        assert k.paid_sales() == [cart_id]
        document = k.core.store.sales.document(cart_id)
        assert document is not None
        assert [t["payment_id"] for t in document["tenders"]] == [payment_id]
        assert [t["method"] for t in document["tenders"]] == [gateway.provider]
