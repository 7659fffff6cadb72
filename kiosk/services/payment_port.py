"""The payment port the kiosk UI pays through, and the shapes that cross it.

A provider shows the shopper a QR for their wallet and later reports how the payment
ended. `start` may talk to the central service, so callers run it off the UI thread;
results arrive through the listener given to `subscribe`, on whatever thread the provider
learns them (the UI re-emits them on its own thread). The demo provider lives in
`demo.payment`; the central service's sandbox and real providers plug in
through the same port.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from kiosk.domain.errors import KioskError, Reason
from kiosk.domain.money import Money
from kiosk.domain.payment_code import PaymentCode


class PaymentOutcome(enum.StrEnum):
    PAID = "paid"
    EXPIRED = "expired"
    CANCELLED = "cancelled"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class PaymentView:
    """What the payment screen shows: the QR to scan, until when, for how much."""

    payment_id: str
    qr_payload: str
    expires_at: datetime
    amount: Money
    wallet: str = ""
    """A payment code being charged: its wallet (`wechat`, `alipay`), and no QR."""


@dataclass(frozen=True, slots=True)
class PaymentResult:
    """How a payment ended. `reason` is a stable code for FAILED (e.g. `central_unreachable`)."""

    payment_id: str
    outcome: PaymentOutcome
    reference: str = ""
    reason: Reason | None = None


PaymentListener = Callable[[PaymentResult], None]


@dataclass(frozen=True, slots=True)
class CodeCharge:
    """A payment code sent to be charged. `result` is set when the provider answered at
    once (paid, or refused); otherwise the shopper confirms on the phone (or the outcome
    is not known yet) and the result comes through the listener like a QR's."""

    view: PaymentView
    result: PaymentResult | None = None


class PaymentUnavailable(KioskError):
    """The provider cannot take a payment now (central service unreachable, provider down)."""

    reason = Reason.PAYMENT_UNAVAILABLE


class PaymentNotFound(KioskError):
    """The payment service has no such payment: the request that would have made it never
    arrived, so nothing was (or can be) charged under it."""

    reason = Reason.PAYMENT_NOT_FOUND


class PaymentProvider(Protocol):
    @property
    def method(self) -> str:
        """The tender method written on the sale (`demo_wallet`, `wechat_native`, ...)."""
        ...

    def subscribe(self, listener: PaymentListener) -> None:
        """Receive every result; the listener must be quick and thread-safe."""
        ...

    def start(self, amount: Money, sale_id: str) -> PaymentView:
        """Create a payment for `sale_id`; may block on the network; raises PaymentUnavailable."""
        ...

    def cancel(self, payment_id: str) -> bool:
        """Withdraw the QR; a CANCELLED result follows unless the payment already ended.
        False when the provider could not be reached: it is withdrawn once it can be, and
        its answer, whenever it comes, is still delivered."""
        ...

    def charge_code(self, code: PaymentCode, amount: Money, sale_id: str) -> CodeCharge:
        """Charge the shopper's payment code, once: may block on the network; raises
        PaymentUnavailable only when nothing can have been charged."""
        ...
