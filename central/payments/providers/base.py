"""What every provider offers the payment service (`Provider`), and what it reports.

A provider never changes a payment itself: it creates the order, and turns what the
provider says (a query answer, a verified callback) into a `Report`; the service
checks each report against the session (`PaymentSession.paid`) and stores it.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol

from kiosk.domain.money import Money
from kiosk.domain.payment import PaymentSession

ReportState = Literal["paid", "open", "closed", "failed", "unknown"]


@dataclass(frozen=True, slots=True)
class Order:
    """A payment session and what a provider needs around it."""

    session: PaymentSession
    kiosk_id: str
    store_id: str
    description: str
    public_url: str


@dataclass(frozen=True, slots=True)
class Created:
    qr_payload: str
    expires_at: datetime
    provider_ref: str | None = None


@dataclass(frozen=True, slots=True)
class Report:
    """What the provider says about one order. `payment_id` is derived from the
    provider's own order reference (out_trade_no, bill number)."""

    payment_id: str
    state: ReportState
    amount: Money | None = None
    reference: str | None = None
    paid_at: datetime | None = None
    detail: str = ""
    document: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Notice:
    """A callback whose signature and freshness were verified."""

    report: Report
    nonce: str


@dataclass(frozen=True, slots=True)
class Acknowledgement:
    status: int
    body: bytes
    media_type: str = "application/json"


class Provider(Protocol):
    """`create(order) -> Created`, `query(order)`, `close(order)` (which reports `paid`
    if the money came first), and `verify_notify` for the callback endpoint."""

    name: str

    def create(self, order: Order) -> Created: ...

    def query(self, order: Order) -> Report: ...

    def close(self, order: Order) -> Report: ...

    def verify_notify(self, headers: Mapping[str, str], body: bytes, now_ms: int) -> Notice: ...

    def acknowledge(self) -> Acknowledgement: ...

    def refuse(self, status: int, message: str) -> Acknowledgement: ...


def compact_id(payment_id: str) -> str:
    """A payment id without dashes: 32 hex characters (WeChat's out_trade_no)."""
    return uuid.UUID(payment_id).hex


def from_compact(text: str) -> str | None:
    try:
        return str(uuid.UUID(hex=text))
    except ValueError:
        return None


_B36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def bill_number(payment_id: str) -> str:
    """The 128-bit payment id in base 36: 25 characters, the longest an EMVCo bill
    number may be, and only upper-case letters and digits (which every scheme takes)."""
    n = uuid.UUID(payment_id).int
    out = []
    for _ in range(25):
        n, rem = divmod(n, 36)
        out.append(_B36[rem])
    return "".join(reversed(out))


def from_bill_number(text: str) -> str | None:
    if len(text) != 25 or any(ch not in _B36 for ch in text.upper()):
        return None
    n = 0
    for ch in text.upper():
        n = n * 36 + _B36.index(ch)
    if n >= 1 << 128:
        return None
    return str(uuid.UUID(int=n))


RefundState = Literal["refunded", "processing", "failed"]


@dataclass(frozen=True, slots=True)
class RefundOrder:
    """Money going back on a paid order: `refund_id` is the provider's idempotency key
    (WeChat `out_refund_no`, Alipay `out_request_no`), so a re-sent refund refunds once."""

    refund_id: str
    order: Order
    amount: Money
    reason: str


@dataclass(frozen=True, slots=True)
class RefundReport:
    state: RefundState
    reference: str | None = None
    detail: str = ""


@dataclass(frozen=True, slots=True)
class RefundNotice:
    """A refund callback whose signature and freshness were verified: what the provider
    says of refund `refund_id` on payment `payment_id` (its amount, to be compared with
    the refund's own), and the callback's nonce for the replay guard."""

    refund_id: str
    payment_id: str
    amount: Money
    report: RefundReport
    nonce: str


class RefundingProvider(Protocol):
    """A provider that gives money back: `refund` sends it (again, harmlessly, with the
    same `refund_id`), `query_refund` asks until the answer is final."""

    def refund(self, refund: RefundOrder) -> RefundReport: ...

    def query_refund(self, refund: RefundOrder) -> RefundReport: ...


class CodeProvider(Provider, Protocol):
    """A provider that charges a shopper's payment code (付款码): `charge` sends the code
    once; the answer is `paid`, `failed` (a stable `detail`: `code_expired`,
    `code_invalid`, `insufficient_funds`, `user_cancelled`, `declined`), or `open`
    while the shopper confirms on the phone or the outcome is not known yet: then the
    service queries, and `close` reverses (cancels, refunding money already taken) an
    order whose outcome stays unknown. `create` (a QR) is not offered."""

    def charge(self, order: Order, auth_code: str) -> Report: ...
