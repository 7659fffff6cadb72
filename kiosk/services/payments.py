"""Paying through the central service, without ever losing a payment the shopper made.

`GatewayPayments` is the kiosk's `PaymentProvider` (see `payment_port`) for any
`PaymentGateway` (the central service's payment API, in `sync.payments`). Every
step of a session is saved in the kiosk's database before the next one starts,
and each open payment has a watcher thread that long-polls its status. After a
crash or power cut `recover()` asks the gateway about every session still open:
one the shopper paid is completed, never dropped; one that expired is closed.

Offline, `attended_payment` lets staff confirm that the shopper paid the store's
static QR; the tender is marked attended and the exit code asks for a bag check.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from kiosk.domain.errors import KioskError, Reason
from kiosk.domain.ids import IdFactory
from kiosk.domain.money import Money
from kiosk.domain.payment import PaymentMismatch, PaymentSession, PaymentStatus
from kiosk.domain.payment_code import PaymentCode
from kiosk.domain.sale import Tender
from kiosk.domain.staff import Permission, Staff
from kiosk.services.checkout import KIOSK_ACTOR
from kiosk.services.journaling import append_journal
from kiosk.services.payment_port import (
    CodeCharge,
    PaymentListener,
    PaymentNotFound,
    PaymentOutcome,
    PaymentResult,
    PaymentUnavailable,
    PaymentView,
)
from kiosk.services.ports import Clock
from kiosk.store.uow import KioskStore

ATTENDED_METHOD = "attended_static_qr"
CODE_SUFFIX = "_code"
"""A payment code's provider and tender method is its wallet and this: `wechat_code`."""
LONG_POLL_S = 20.0
# After the QR's expiry the watcher keeps asking this long: a wallet may confirm late.
GRACE = timedelta(seconds=30)
RETRY_S = (1.0, 2.0, 5.0, 10.0)
# How long a payment-code charge may wait for the shopper's confirmation on the phone;
# the central service reverses it after its own `code_wait_s` (45 s), before this.
CODE_WAIT = timedelta(seconds=60)


@dataclass(frozen=True, slots=True)
class RemoteStatus:
    """What the central service says about a payment."""

    payment_id: str
    status: PaymentStatus
    amount: Money
    provider_ref: str = ""
    paid_at: datetime | None = None
    failure: str = ""


class PaymentGateway(Protocol):
    """The central service's payment API as the kiosk needs it."""

    @property
    def provider(self) -> str: ...

    def create(self, session: PaymentSession) -> tuple[str, datetime]:
        """Register the payment; returns the QR payload and its expiry.
        Idempotent by `session.payment_id`. Raises `PaymentUnavailable`."""
        ...

    def wait(self, payment_id: str, timeout_s: float) -> RemoteStatus:
        """Long-poll: return when the status is final or after `timeout_s`."""
        ...

    def cancel(self, payment_id: str) -> RemoteStatus:
        """Withdraw the QR at the provider; the answer may still be PAID."""
        ...

    def charge(self, session: PaymentSession, auth_code: str) -> RemoteStatus:
        """Charge a payment code; idempotent by `session.payment_id` (re-sending the same
        code never charges twice). Raises `PaymentUnavailable`."""
        ...


_OUTCOME = {
    PaymentStatus.PAID: PaymentOutcome.PAID,
    PaymentStatus.EXPIRED: PaymentOutcome.EXPIRED,
    PaymentStatus.CANCELLED: PaymentOutcome.CANCELLED,
    PaymentStatus.FAILED: PaymentOutcome.FAILED,
}


class GatewayPayments:
    """A `PaymentProvider` that persists sessions and recovers them after a restart.

    `open_store` opens a new connection: each thread that saves a session uses its own.
    `wait_s` is how long a watcher sleeps between retries after a network error; tests
    pass an event-driven sleeper so nothing waits on the wall clock.
    """

    def __init__(
        self,
        gateway: PaymentGateway,
        open_store: Callable[[], KioskStore],
        clock: Clock,
        ids: IdFactory,
        sleep: Callable[[float], bool] | None = None,
    ) -> None:
        self._gateway = gateway
        self._open_store = open_store
        self._clock = clock
        self._ids = ids
        self._stop = threading.Event()
        self._sleep = sleep or self._stop.wait
        self._listeners: list[PaymentListener] = []
        self._watchers: dict[str, threading.Thread] = {}
        self._withdrawing: set[str] = set()
        """Payments someone asked to withdraw while the service could not be reached."""
        self._lock = threading.Lock()

    @property
    def method(self) -> str:
        return self._gateway.provider

    def subscribe(self, listener: PaymentListener) -> None:
        self._listeners.append(listener)

    @contextlib.contextmanager
    def _store(self) -> Iterator[KioskStore]:
        store = self._open_store()
        try:
            yield store
        finally:
            store.close()

    def _save(self, session: PaymentSession) -> None:
        with self._store() as store:
            store.payments.save(session, self._clock.now())

    # ---------------------------------------------------------------- the port
    def start(self, amount: Money, sale_id: str) -> PaymentView:
        session = PaymentSession(
            self._ids.new(), sale_id, amount, self._gateway.provider, self._clock.now()
        )
        self._save(session)  # before the network: a crash now leaves a trace to clean up
        try:
            qr, expires_at = self._gateway.create(session)
        except PaymentUnavailable:
            self._save(session.fail(Reason.CENTRAL_UNREACHABLE))
            raise
        session = session.shown(qr, expires_at)
        self._save(session)
        self._watch(session)
        return PaymentView(session.payment_id, qr, expires_at, amount)

    def charge_code(self, code: PaymentCode, amount: Money, sale_id: str) -> CodeCharge:
        now = self._clock.now()
        session = PaymentSession(
            self._ids.new(), sale_id, amount, f"{code.wallet}{CODE_SUFFIX}", now
        )
        self._save(session)  # before the network, like a QR
        session = session.awaiting(now + CODE_WAIT)
        view = PaymentView(session.payment_id, "", now + CODE_WAIT, amount, code.wallet.value)
        try:
            remote = self._gateway.charge(session, code.text)
        except PaymentUnavailable:
            # The request may have reached the service and charged the code: the outcome
            # is unknown, so the session stays open and the watcher re-sends the very same
            # charge (idempotent by payment id) until the service answers.
            self._save(session)
            self._watch(session, resend=code.text)
            return CodeCharge(view)
        result = self._settle(session, remote, notify=False)
        if result is None:
            self._save(session)
            self._watch(session)
        return CodeCharge(view, result)

    def cancel(self, payment_id: str) -> bool:
        """Close the QR; if the shopper paid in the meantime the result is PAID."""
        with self._store() as store:
            session = store.payments.get(payment_id)
        if session is None or not session.is_open:
            return True
        try:
            remote = self._gateway.cancel(payment_id)
        except PaymentUnavailable:
            # Cannot reach the provider: its watcher withdraws it when it can, and never
            # re-sends a payment code's charge from now on (the shopper or staff gave up on
            # it: a charge sent after that takes money for a cart nobody is paying).
            with self._lock:
                self._withdrawing.add(payment_id)
            return False
        self._settle(session, remote)
        return True

    # ---------------------------------------------------------------- recovery
    def recover(self) -> list[PaymentResult]:
        """Settle sessions a restart interrupted; PAID results must complete their sale.

        A QR still open at the provider is withdrawn: the kiosk restarted, so nobody
        watches that screen any more. Withdrawing answers PAID if the shopper paid in
        the meantime. Only sessions the gateway cannot be asked about stay open, with a
        watcher that settles them when the network is back.
        """
        with self._store() as store:
            sessions = store.payments.open_sessions()
        results = []
        for session in sessions:
            try:
                result = self._settle(
                    session, self._gateway.wait(session.payment_id, 0), notify=False
                )
                if result is None:
                    result = self._settle(
                        session, self._gateway.cancel(session.payment_id), notify=False
                    )
            except PaymentNotFound:
                result = self._settle(session, _not_found(session), notify=False)
            except PaymentUnavailable:
                result = None
            if result is None:
                self._watch(session)
            else:
                results.append(result)
        return results

    def stop(self, timeout_s: float = 5.0) -> None:
        self._stop.set()
        for thread in list(self._watchers.values()):
            thread.join(timeout_s)

    # ---------------------------------------------------------------- internals
    def _watch(self, session: PaymentSession, resend: str | None = None) -> None:
        thread = threading.Thread(
            target=self._watch_loop,
            args=(session.payment_id, resend),
            daemon=True,
            name=f"payment-{session.payment_id[-6:]}",
        )
        with self._lock:
            self._watchers[session.payment_id] = thread
        thread.start()

    def _watch_loop(self, payment_id: str, resend: str | None = None) -> None:
        """`resend`: a payment code whose charge got no answer, sent again until one comes
        (kept in memory only: the code is the shopper's one-minute credential)."""
        failures = 0
        while not self._stop.is_set():
            with self._store() as store:
                session = store.payments.get(payment_id)
            if session is None or not session.is_open:
                break
            now = self._clock.now()
            expired = session.expires_at is not None and now >= session.expires_at + GRACE
            with self._lock:
                withdrawing = payment_id in self._withdrawing
            try:
                if resend is not None and not expired and not withdrawing:
                    remote = self._gateway.charge(session, resend)
                    resend = None
                elif expired or withdrawing:
                    remote = self._gateway.cancel(payment_id)
                else:
                    remote = self._gateway.wait(payment_id, LONG_POLL_S)
            except PaymentNotFound:
                self._settle(session, _not_found(session))
                break
            except PaymentUnavailable:
                if self._sleep(RETRY_S[min(failures, len(RETRY_S) - 1)]):
                    break
                failures += 1
                continue
            failures = 0
            if self._stop.is_set():
                break  # shutting down: the next start's `recover` settles it
            if self._settle(session, remote) is not None:
                break
        with self._lock:
            self._watchers.pop(payment_id, None)
            self._withdrawing.discard(payment_id)

    def _settle(
        self, session: PaymentSession, remote: RemoteStatus, notify: bool = True
    ) -> PaymentResult | None:
        """Apply the remote status; save; tell the listeners. None while still open."""
        now = self._clock.now()
        try:
            if remote.status is PaymentStatus.PAID:
                session = session.paid(
                    remote.amount,
                    remote.provider_ref,
                    remote.paid_at or now,
                    order_id=remote.payment_id,
                )
            elif remote.status is PaymentStatus.EXPIRED:
                session = session.expire(max(now, session.expires_at or now))
            elif remote.status is PaymentStatus.CANCELLED:
                session = session.cancel()
            elif remote.status is PaymentStatus.FAILED:
                session = session.fail(remote.failure or Reason.PROVIDER_FAILED)
            else:
                return None
        except PaymentMismatch:
            session = session.fail(Reason.PAYMENT_MISMATCH)
        self._save(session)
        result = PaymentResult(
            session.payment_id,
            _OUTCOME[session.status],
            session.provider_ref or "",
            _failure(session.failure),
        )
        if notify:
            for listener in list(self._listeners):
                listener(result)
        return result


# A payment code's failure at the provider (the central service's `failure`): the shopper
# reads what to do about it; any other failure of a code payment reads as declined.
CODE_FAILURES: dict[str, Reason] = {
    "code_expired": Reason.PAYMENT_CODE_EXPIRED,
    "code_invalid": Reason.PAYMENT_CODE_INVALID,
    "insufficient_funds": Reason.PAYMENT_CODE_INSUFFICIENT_FUNDS,
    "user_cancelled": Reason.PAYMENT_CODE_USER_CANCELLED,
    "not_confirmed": Reason.PAYMENT_CODE_NOT_CONFIRMED,
}
CODE_REASONS = frozenset(CODE_FAILURES.values())


def _failure(code: str | None) -> Reason | None:
    """A failure as the shopper is told it: a provider's payment-code failure, a `Reason`
    this kiosk stored, or else a failed payment."""
    if not code:
        return None
    if code in CODE_FAILURES:
        return CODE_FAILURES[code]
    try:
        return Reason(code)
    except ValueError:
        return Reason.PAYMENT


def _not_found(session: PaymentSession) -> RemoteStatus:
    """The service never got the payment (its create or charge was lost, then the kiosk
    restarted): nothing can be charged under it, so it ends failed."""
    return RemoteStatus(
        session.payment_id, PaymentStatus.FAILED, session.amount, failure=Reason.PAYMENT_NOT_FOUND
    )


def tender_of(session: PaymentSession) -> Tender:
    """The tender a paid session puts on its sale, as the live result would have: the
    provider's method (`wechat_code` for a code), its reference, who attended it."""
    return Tender(
        session.payment_id,
        session.provider,
        session.amount,
        session.provider_ref or "",
        attended_by=session.attended_by,
    )


def view_of(session: PaymentSession, now: datetime) -> PaymentView:
    """What the payment screen shows of a saved session (a restart's open payment): its
    QR, or for a payment code its wallet; `now` when it has no expiry saved."""
    code = session.provider.endswith(CODE_SUFFIX)
    wallet = session.provider.removesuffix(CODE_SUFFIX) if code else ""
    return PaymentView(
        session.payment_id,
        session.qr_payload or "",
        session.expires_at or now,
        session.amount,
        wallet,
    )


def paid_without_sale(store: KioskStore, now: datetime, session: PaymentSession) -> bool:
    """Journal money a paid `session` took that no recorded sale holds (its cart voided,
    or paid another way), for the central service's books; whether it did (False: a
    recorded sale already has it as its tender, a repeated answer). The caller calls staff
    to give it back."""
    document = store.sales.document(session.sale_id)
    if document is not None and any(
        t["payment_id"] == session.payment_id for t in document["tenders"]
    ):
        return False
    append_journal(
        store,
        now,
        "payment_without_sale",
        KIOSK_ACTOR,
        {
            "payment_id": session.payment_id,
            "sale_id": session.sale_id,
            "sale_status": document["status"] if document is not None else None,
            "amount_minor": session.amount.minor,
            "currency": session.amount.currency,
            "reference": session.provider_ref or "",
        },
    )
    return True


def attended_payment(
    store: KioskStore,
    staff: Staff,
    amount: Money,
    sale_id: str,
    clock: Clock,
    ids: IdFactory,
    reference: str = "",
) -> Tender:
    """Staff confirm the shopper paid the store's static QR while the kiosk is offline.

    The session is saved as paid with the staff id; the sale syncs later like any other.
    """
    staff.require(Permission.CONFIRM_PAYMENT)
    if amount.minor <= 0:
        raise KioskError("nothing to pay", reason=Reason.NOTHING_TO_PAY)
    now = clock.now()
    session = PaymentSession(ids.new(), sale_id, amount, ATTENDED_METHOD, now)
    session = session.paid(
        amount, reference or f"attended:{staff.staff_id}", now, attended_by=staff.staff_id
    )
    store.payments.save(session, now)
    return Tender(
        session.payment_id,
        ATTENDED_METHOD,
        amount,
        session.provider_ref or "",
        attended_by=staff.staff_id,
    )


class NoPaymentService:
    """The `PaymentProvider` of a kiosk with no payment service (not enrolled): it takes
    no wallet payments, so the shopper is offered the store's static QR with staff
    confirmation, or told to ask staff. Fail closed: never a payment nobody checked."""

    method = "none"

    def subscribe(self, listener: PaymentListener) -> None:
        """Nothing is ever paid here, so there is nothing to report."""

    def start(self, amount: Money, sale_id: str) -> PaymentView:
        raise PaymentUnavailable(
            "this kiosk has no payment service: enrol it with the central service "
            "(kiosk enroll), or staff confirm a payment to the store's QR"
        )

    def cancel(self, payment_id: str) -> bool:
        """No payment is ever open."""
        return True

    def charge_code(self, code: PaymentCode, amount: Money, sale_id: str) -> CodeCharge:
        raise PaymentUnavailable(
            "this kiosk has no payment service: payment codes need the central service"
        )
