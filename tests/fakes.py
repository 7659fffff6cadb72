"""Fakes for the ports the kiosk owns, with the same rules as the real parts."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from kiosk.domain.money import Money
from kiosk.domain.payment import PaymentSession, PaymentStatus
from kiosk.services.payment_port import PaymentNotFound, PaymentUnavailable
from kiosk.services.payments import RemoteStatus
from tests.helpers import FixedClock

AMOUNT = Money(2450, "CNY")


@dataclass
class FakeGateway:
    """An in-memory stand-in for the central payment API with the same rules: a payment
    is paid once, cancelling a paid payment answers paid, `wait` returns on any change."""

    clock: FixedClock
    provider: str = "sandbox"
    online: bool = True
    payments: dict[str, RemoteStatus] = field(default_factory=dict)
    changed: threading.Condition = field(default_factory=threading.Condition)

    def _check(self) -> None:
        if not self.online:
            raise PaymentUnavailable("central unreachable")

    def create(self, session: PaymentSession) -> tuple[str, datetime]:
        self._check()
        with self.changed:
            self.payments.setdefault(
                session.payment_id,
                RemoteStatus(session.payment_id, PaymentStatus.SHOWN, session.amount),
            )
        return f"https://central/pay/{session.payment_id}", self.clock.now() + timedelta(minutes=2)

    def wait(self, payment_id: str, timeout_s: float) -> RemoteStatus:
        self._check()
        if payment_id not in self.payments:
            raise PaymentNotFound(f"no payment {payment_id}")
        with self.changed:
            self.changed.wait_for(
                lambda: (
                    self.payments[payment_id].status is not PaymentStatus.SHOWN or not self.online
                ),
                timeout=timeout_s,
            )
            self._check()
            return self.payments[payment_id]

    def cancel(self, payment_id: str) -> RemoteStatus:
        self._check()
        with self.changed:
            current = self.payments[payment_id]
            if current.status is PaymentStatus.SHOWN:
                self.payments[payment_id] = RemoteStatus(
                    payment_id, PaymentStatus.CANCELLED, current.amount
                )
                self.changed.notify_all()
            return self.payments[payment_id]

    def pay(self, payment_id: str, amount: Money | None = None) -> None:
        """The shopper pays in the wallet (by default exactly what was asked)."""
        with self.changed:
            asked = self.payments[payment_id].amount
            self.payments[payment_id] = RemoteStatus(
                payment_id, PaymentStatus.PAID, amount or asked, "wx-4200", self.clock.now()
            )
            self.changed.notify_all()
