"""A payment session: one QR shown for one frozen cart, and what became of it.

    created ─▶ shown ─▶ paid
       │         ├────▶ expired ─┐
       │         ├────▶ cancelled├─▶ paid (late: the wallet took the money after all)
       └─────────┴────▶ failed   ┘

For a payment code (付款码) the shopper shows instead of a QR, `shown` means "charged,
waiting for the shopper to confirm on the phone" (`awaiting`, no QR).

A shopper can pay in the very second the QR expires or they press Cancel; the
provider then reports the payment after the kiosk gave up. That money is real,
so `paid` is reachable from `expired` and `cancelled` too, flagged `late`, and the
kiosk completes the sale instead of losing it. Every proof of payment is checked
against the session: same amount, same currency, same order reference.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from kiosk.domain.errors import KioskError, Reason
from kiosk.domain.money import Money


class PaymentError(KioskError):
    reason = Reason.PAYMENT


class PaymentMismatch(PaymentError):
    """A payment report that does not match the session: refused and flagged for review."""

    reason = Reason.PAYMENT_MISMATCH


class PaymentStatus(enum.StrEnum):
    CREATED = "created"
    SHOWN = "shown"
    PAID = "paid"
    EXPIRED = "expired"
    CANCELLED = "cancelled"
    FAILED = "failed"


OPEN = frozenset({PaymentStatus.CREATED, PaymentStatus.SHOWN})
_LATE_PAYABLE = frozenset({PaymentStatus.EXPIRED, PaymentStatus.CANCELLED})


@dataclass(frozen=True, slots=True)
class PaymentSession:
    """`payment_id` (UUIDv7) is also the order reference the provider sees."""

    payment_id: str
    sale_id: str
    amount: Money
    provider: str
    created_at: datetime
    status: PaymentStatus = PaymentStatus.CREATED
    expires_at: datetime | None = None
    qr_payload: str | None = None
    provider_ref: str | None = None
    paid_at: datetime | None = None
    late: bool = False
    attended_by: str | None = None
    failure: str | None = None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def is_paid(self) -> bool:
        return self.status is PaymentStatus.PAID

    def _move(
        self, target: PaymentStatus, allowed: frozenset[PaymentStatus], **changes: Any
    ) -> PaymentSession:
        if self.status not in allowed:
            raise PaymentError(
                f"payment {self.payment_id} is {self.status.value}; it cannot become "
                f"{target.value}",
                reason=Reason.PAYMENT_STATE,
            )
        return replace(self, status=target, **changes)

    def shown(self, qr_payload: str, expires_at: datetime) -> PaymentSession:
        return self._move(
            PaymentStatus.SHOWN,
            frozenset({PaymentStatus.CREATED}),
            qr_payload=qr_payload,
            expires_at=expires_at,
        )

    def awaiting(self, expires_at: datetime) -> PaymentSession:
        """A payment code was sent to the provider, which waits for the shopper (a
        password or a confirmation on the phone): open, with no QR, until `expires_at`."""
        return self._move(
            PaymentStatus.SHOWN, frozenset({PaymentStatus.CREATED}), expires_at=expires_at
        )

    def paid(
        self,
        amount: Money,
        reference: str,
        at: datetime,
        *,
        order_id: str | None = None,
        attended_by: str | None = None,
    ) -> PaymentSession:
        """Record proof of payment; refuses a report for another amount or order."""
        if order_id is not None and order_id != self.payment_id:
            raise PaymentMismatch(f"payment report for order {order_id}, not {self.payment_id}")
        if amount != self.amount:
            raise PaymentMismatch(
                f"paid {amount} but the QR was for {self.amount}: refused, staff must review"
            )
        if self.is_paid:
            if reference == self.provider_ref:
                return self  # the same proof twice (a duplicate notify): harmless
            raise PaymentMismatch(
                f"payment {self.payment_id} was already paid by "
                f"{self.provider_ref}, now again by {reference}"
            )
        late = self.status in _LATE_PAYABLE
        return self._move(
            PaymentStatus.PAID,
            OPEN | _LATE_PAYABLE,
            provider_ref=reference,
            paid_at=at,
            late=late,
            attended_by=attended_by,
        )

    def expire(self, now: datetime) -> PaymentSession:
        if self.expires_at is None or now < self.expires_at:
            raise PaymentError("the payment QR has not expired yet", reason=Reason.PAYMENT_STATE)
        return self._move(PaymentStatus.EXPIRED, OPEN)

    def cancel(self) -> PaymentSession:
        return self._move(PaymentStatus.CANCELLED, OPEN)

    def fail(self, reason: str) -> PaymentSession:
        return self._move(PaymentStatus.FAILED, OPEN, failure=reason)

    def seconds_left(self, now: datetime) -> int:
        if self.expires_at is None:
            return 0
        return max(0, int((self.expires_at - now).total_seconds()))

    def to_wire(self) -> dict[str, Any]:
        return {
            "payment_id": self.payment_id,
            "sale_id": self.sale_id,
            "amount_minor": self.amount.minor,
            "currency": self.amount.currency,
            "provider": self.provider,
            "created_at": self.created_at.isoformat(),
            "status": self.status.value,
            "expires_at": self.expires_at.isoformat() if self.expires_at else None,
            "qr_payload": self.qr_payload,
            "provider_ref": self.provider_ref,
            "paid_at": self.paid_at.isoformat() if self.paid_at else None,
            "late": self.late,
            "attended_by": self.attended_by,
            "failure": self.failure,
        }

    @classmethod
    def from_wire(cls, d: dict[str, Any]) -> PaymentSession:
        def when(key: str) -> datetime | None:
            return datetime.fromisoformat(d[key]) if d.get(key) else None

        created = when("created_at")
        if created is None:
            raise PaymentError("payment record without a creation time")
        return cls(
            payment_id=d["payment_id"],
            sale_id=d["sale_id"],
            amount=Money(d["amount_minor"], d["currency"]),
            provider=d["provider"],
            created_at=created,
            status=PaymentStatus(d["status"]),
            expires_at=when("expires_at"),
            qr_payload=d.get("qr_payload"),
            provider_ref=d.get("provider_ref"),
            paid_at=when("paid_at"),
            late=bool(d.get("late", False)),
            attended_by=d.get("attended_by"),
            failure=d.get("failure"),
        )
