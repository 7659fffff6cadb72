"""A payment provider for demos and tests: no network, no keys, a clock decides.

A payment is paid when someone "pays with the wallet" (`simulate_paid`, the demo's
button), or by itself `auto_pay_after_s` after it started if that is set; it expires
after `ttl_s`. A payment code (`charge_code`) follows the payment-code simulator's
stories by its last two digits (`simulators.payment_codes`): `01` the shopper confirms
on the phone after `confirm_after_s`, `02` cancels there, `03`/`04`/`05` are refused
(insufficient funds, expired, invalid), anything else is paid at once.

Time is read from the injected clock whenever `tick` is called (the UI
calls it from a timer, tests call it after moving their clock), so nothing here sleeps
or starts a thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import quote

from kiosk.domain.errors import Reason
from kiosk.domain.ids import IdFactory
from kiosk.domain.money import Money
from kiosk.domain.payment_code import PaymentCode
from kiosk.services.payment_port import (
    CodeCharge,
    PaymentListener,
    PaymentOutcome,
    PaymentResult,
    PaymentUnavailable,
    PaymentView,
)
from kiosk.services.ports import Clock

DEMO_QR_BASE = "https://pay.demo.invalid/p/"
# The simulator's sample codes end in the outcome they play (simulators.payment_codes).
_REFUSED = {
    "03": Reason.PAYMENT_CODE_INSUFFICIENT_FUNDS,
    "04": Reason.PAYMENT_CODE_EXPIRED,
    "05": Reason.PAYMENT_CODE_INVALID,
}


@dataclass(slots=True)
class _Open:
    view: PaymentView
    started: float
    confirm_at: float | None = None  # a payment code the shopper confirms on the phone
    cancels: bool = False


class DemoPaymentProvider:
    method = "demo_wallet"

    def __init__(
        self,
        clock: Clock,
        ids: IdFactory,
        *,
        ttl_s: float = 120.0,
        auto_pay_after_s: float | None = None,
        confirm_after_s: float = 2.0,
    ) -> None:
        self._clock = clock
        self._ids = ids
        self._ttl = timedelta(seconds=ttl_s)
        self._auto_pay_after_s = auto_pay_after_s
        self._confirm_after_s = confirm_after_s
        self._listeners: list[PaymentListener] = []
        self._open: dict[str, _Open] = {}
        self.online = True
        """Set False to play the central service being unreachable."""

    def subscribe(self, listener: PaymentListener) -> None:
        self._listeners.append(listener)

    def start(self, amount: Money, sale_id: str) -> PaymentView:
        if not self.online:
            raise PaymentUnavailable("the payment service cannot be reached")
        payment_id = self._ids.new()
        now = self._clock.now()
        payload = (
            f"{DEMO_QR_BASE}{payment_id}?sale={quote(sale_id)}"
            f"&amount={amount.minor}&currency={amount.currency}"
        )
        view = PaymentView(payment_id, payload, now + self._ttl, amount)
        self._open[payment_id] = _Open(view, now.timestamp())
        return view

    def charge_code(self, code: PaymentCode, amount: Money, sale_id: str) -> CodeCharge:
        if not self.online:
            raise PaymentUnavailable("the payment service cannot be reached")
        payment_id = self._ids.new()
        now = self._clock.now()
        view = PaymentView(payment_id, "", now + self._ttl, amount, code.wallet.value)
        story = code.text[-2:]
        if story in _REFUSED:
            return CodeCharge(
                view, PaymentResult(payment_id, PaymentOutcome.FAILED, reason=_REFUSED[story])
            )
        if story in ("01", "02"):
            confirm_at = now.timestamp() + self._confirm_after_s
            self._open[payment_id] = _Open(view, now.timestamp(), confirm_at, story == "02")
            return CodeCharge(view)
        reference = f"demo-{code.wallet.value}-{payment_id[-8:]}"
        return CodeCharge(view, PaymentResult(payment_id, PaymentOutcome.PAID, reference))

    def cancel(self, payment_id: str) -> bool:
        self._end(payment_id, PaymentOutcome.CANCELLED)
        return True

    def simulate_paid(self, payment_id: str) -> None:
        self._end(payment_id, PaymentOutcome.PAID, reference=f"demo-{payment_id[-8:]}")

    def simulate_failure(
        self, payment_id: str, reason: Reason = Reason.CENTRAL_UNREACHABLE
    ) -> None:
        self._end(payment_id, PaymentOutcome.FAILED, reason=reason)

    def tick(self) -> None:
        """Settle what the clock says is due: automatic payments, then expiries."""
        now = self._clock.now()
        for payment_id, entry in list(self._open.items()):
            if entry.confirm_at is not None:
                if now.timestamp() >= entry.confirm_at and entry.cancels:
                    self.simulate_failure(payment_id, Reason.PAYMENT_CODE_USER_CANCELLED)
                elif now.timestamp() >= entry.confirm_at:
                    self.simulate_paid(payment_id)
            elif (
                self._auto_pay_after_s is not None
                and now.timestamp() - entry.started >= self._auto_pay_after_s
            ):
                self.simulate_paid(payment_id)
            elif now >= entry.view.expires_at:
                self._end(payment_id, PaymentOutcome.EXPIRED)

    def _end(
        self,
        payment_id: str,
        outcome: PaymentOutcome,
        *,
        reference: str = "",
        reason: Reason | None = None,
    ) -> None:
        if self._open.pop(payment_id, None) is None:
            return  # already ended: a late button press or a second cancel is harmless
        result = PaymentResult(payment_id, outcome, reference, reason)
        for listener in list(self._listeners):
            listener(result)
