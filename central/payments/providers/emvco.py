"""EMVCo merchant-presented QR (PIX, PromptPay, SGQR, DuitNow…) with an acquirer callback.

The QR is a dynamic EMVCo payload (kiosk/domain/emvco.py): the store's merchant
account template, the amount, and a bill number that names the payment: the payment
id (a 128-bit UUID) in base 36, 25 characters, the longest a bill number may be; the
terminal label is the kiosk id (first 25 characters, dashes removed).

The shopper's bank pays the merchant account; the acquirer then calls
`/v1/providers/emvco/{scheme}/notify` with a JSON document signed with the HMAC secret
it shares with the store (see `hmac_webhook` and docs/payments.md):

    {"bill_number": "…25 chars…", "amount": "23.50", "currency": "CNY" | "156",
     "reference": "acquirer transaction id", "status": "paid" | "failed",
     "paid_at": "2026-11-23T05:00:00+00:00"}

The schemes have no common query or close call: `query` learns nothing and `close`
only stops this service from expecting money; money that arrives after that is kept
as a late payment.

Nor a common refund call, so refunds go to the acquirer that took the money, in the
same signed-JSON format as its callbacks, when the scheme names its `refund_url`
(`RefundingEmvcoProvider`; without one, the sale is refunded in cash):

    POST {refund_url}        {"refund_id": "<32 hex>", "bill_number": "…", "amount": "10.00",
                              "currency": "THB", "reason": "…", "notify_url": "…"}
    GET  {refund_url}/{refund_id}
    → 200 {"refund_id", "status": "refunded" | "processing" | "failed", "reference",
           "detail"}; 404 on the GET: not arrived (send the refund again)

Requests and answers carry the `hmac_webhook` headers under the scheme's shared secret;
an answer that does not verify is not believed. The acquirer refunds once per
`refund_id` and never more than the bill was paid.

When the money has reached the shopper (or the refund failed) the acquirer may call the
refund's `notify_url` (`/v1/providers/emvco/{scheme}/refund-notify`, sent only when the
service knows its public address) with the GET's answer plus the bill and amount, signed
like the payment callback:

    {"refund_id": "<32 hex>", "bill_number": "…", "amount": "10.00", "currency": "THB",
     "status": "refunded" | "failed", "reference": "…", "detail": "…"}

so a refund the service stopped asking about is settled without waiting for the
kiosk's next push (`verify_refund_notify`).
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

import requests

from central.errors import Invalid
from central.payments.config import EmvcoScheme, StoreConfig
from central.payments.errors import NotifyRefused, ProviderRefused, ProviderUnavailable
from central.payments.providers import hmac_webhook
from central.payments.providers.base import (
    Acknowledgement,
    Created,
    Notice,
    Order,
    RefundNotice,
    RefundOrder,
    RefundReport,
    Report,
    bill_number,
    compact_id,
    from_bill_number,
    from_compact,
)
from kiosk.domain.emvco import CURRENCY_BY_NUMBER, MerchantPresentedQr
from kiosk.domain.errors import KioskError
from kiosk.domain.money import Money


def terminal_label(kiosk_id: str) -> str:
    return kiosk_id.replace("-", "")[:25]


class EmvcoProvider:
    def __init__(self, scheme: EmvcoScheme, store: StoreConfig, ttl_s: int, window_s: int) -> None:
        self.name = f"emvco:{scheme.name}"
        self._scheme = scheme
        self._store = store
        self._ttl = timedelta(seconds=ttl_s)
        self._window_s = window_s

    def payload(self, order: Order) -> str:
        session = order.session
        scheme = self._scheme
        if session.amount.currency != scheme.currency:
            raise Invalid(
                f"{scheme.name} QR codes are in {scheme.currency}, not {session.amount.currency}",
                reason="currency",
            )
        bill = bill_number(session.payment_id)
        qr = MerchantPresentedQr(
            accounts={scheme.account_tag: dict(scheme.account)},
            merchant_category=scheme.mcc or self._store.mcc,
            currency=scheme.currency,
            country=scheme.country,
            merchant_name=(scheme.merchant_name or self._store.merchant_name)[:25],
            merchant_city=(scheme.merchant_city or self._store.merchant_city)[:15],
            amount=session.amount,
            bill_number=bill if scheme.bill_tag == "01" else None,
            reference_label=bill if scheme.bill_tag == "05" else None,
            terminal_label=terminal_label(order.kiosk_id),
        )
        try:
            return qr.encode()
        except KioskError as exc:
            raise Invalid(f"cannot make the {scheme.name} QR: {exc}", reason="emvco") from None

    def create(self, order: Order) -> Created:
        return Created(self.payload(order), order.session.created_at + self._ttl, None)

    def query(self, order: Order) -> Report:
        return Report(order.session.payment_id, "unknown")

    def close(self, order: Order) -> Report:
        return Report(order.session.payment_id, "closed")

    def verify_notify(self, headers: Mapping[str, str], body: bytes, now_ms: int) -> Notice:
        nonce = hmac_webhook.verify(self._scheme.secret, headers, body, now_ms, self._window_s)
        try:
            doc = json.loads(body)
            currency = str(doc["currency"])
            currency = CURRENCY_BY_NUMBER.get(currency, currency)
            payment_id = from_bill_number(str(doc["bill_number"]))
            if payment_id is None:
                raise ValueError(f"bill number {doc['bill_number']!r} is not one of ours")
            status = str(doc["status"])
            report = Report(
                payment_id=payment_id,
                state="paid" if status == "paid" else "failed",
                amount=Money.parse(str(doc["amount"]), currency),
                reference=str(doc["reference"])[:128],
                paid_at=datetime.fromisoformat(str(doc["paid_at"])),
                detail="" if status == "paid" else f"the acquirer reports {status}",
                document=doc,
            )
        except (ValueError, KeyError, TypeError, KioskError) as exc:
            raise NotifyRefused(f"malformed callback: {exc}", reason="malformed") from None
        return Notice(report, nonce)

    def acknowledge(self) -> Acknowledgement:
        return Acknowledgement(200, b'{"result":"accepted"}')

    def refuse(self, status: int, message: str) -> Acknowledgement:
        return Acknowledgement(
            status, json.dumps({"result": "refused", "message": message}).encode()
        )


class RefundingEmvcoProvider(EmvcoProvider):
    """An EMVCo scheme whose acquirer takes refunds (the module docstring's protocol)."""

    def __init__(
        self,
        scheme: EmvcoScheme,
        store: StoreConfig,
        ttl_s: int,
        window_s: int,
        session: requests.Session | None = None,
    ) -> None:
        super().__init__(scheme, store, ttl_s, window_s)
        self._http = session or requests.Session()

    def _send(self, method: str, url: str, body: bytes) -> requests.Response:
        headers = hmac_webhook.sign(self._scheme.secret, body, str(int(time.time())))
        headers["Content-Type"] = "application/json"
        try:
            answer = self._http.request(
                method, url, data=body or None, headers=headers, timeout=self._scheme.timeout_s
            )
        except requests.RequestException as exc:
            raise ProviderUnavailable(
                f"the {self._scheme.name} acquirer did not answer: {type(exc).__name__}"
            ) from None
        if answer.status_code >= 500:
            raise ProviderUnavailable(f"the acquirer answered HTTP {answer.status_code}")
        try:
            hmac_webhook.verify(
                self._scheme.secret,
                answer.headers,
                answer.content,
                int(time.time() * 1000),
                self._window_s,
            )
        except NotifyRefused:
            raise ProviderUnavailable(
                "the acquirer's answer is not signed with our secret"
            ) from None
        return answer

    def _report(self, refund: RefundOrder, answer: requests.Response) -> RefundReport:
        try:
            doc: Any = answer.json()
        except ValueError:
            raise ProviderUnavailable(
                "the acquirer answered with a body that is not JSON"
            ) from None
        if not isinstance(doc, dict) or doc.get("refund_id") != compact_id(refund.refund_id):
            raise ProviderRefused(f"the acquirer refused the refund (HTTP {answer.status_code})")
        return _refund_report(doc)

    def refund(self, refund: RefundOrder) -> RefundReport:
        url = self._scheme.refund_url or ""
        request = {
            "refund_id": compact_id(refund.refund_id),
            "bill_number": bill_number(refund.order.session.payment_id),
            "amount": refund.amount.plain(),
            "currency": refund.amount.currency,
            "reason": refund.reason[:80],
        }
        if refund.order.public_url:
            request["notify_url"] = (
                f"{refund.order.public_url.rstrip('/')}/v1/providers/emvco/"
                f"{self._scheme.name}/refund-notify"
            )
        body = json.dumps(request, ensure_ascii=False).encode()
        return self._report(refund, self._send("POST", url, body))

    def query_refund(self, refund: RefundOrder) -> RefundReport:
        url = f"{self._scheme.refund_url}/{compact_id(refund.refund_id)}"
        answer = self._send("GET", url, b"")
        if answer.status_code == 404:
            return RefundReport("processing", None, "not arrived")
        return self._report(refund, answer)

    def verify_refund_notify(
        self, headers: Mapping[str, str], body: bytes, now_ms: int
    ) -> RefundNotice:
        """The acquirer's refund callback (the module docstring's format), signed and
        fresh like the payment callback; what it says of which refund, for how much."""
        nonce = hmac_webhook.verify(self._scheme.secret, headers, body, now_ms, self._window_s)
        try:
            doc = json.loads(body)
            currency = str(doc["currency"])
            amount = Money.parse(str(doc["amount"]), CURRENCY_BY_NUMBER.get(currency, currency))
            refund_id = from_compact(str(doc["refund_id"]))
            payment_id = from_bill_number(str(doc["bill_number"]))
        except (ValueError, KeyError, TypeError, KioskError) as exc:
            raise NotifyRefused(f"malformed refund callback: {exc}", reason="malformed") from None
        if refund_id is None or payment_id is None:
            raise NotifyRefused("not one of our refunds", reason="unknown_order", status=404)
        return RefundNotice(refund_id, payment_id, amount, _refund_report(doc), nonce)


def _refund_report(doc: Mapping[str, Any]) -> RefundReport:
    """The acquirer's word on a refund, in its answers and its callbacks alike."""
    status = doc.get("status")
    reference = str(doc.get("reference") or "")[:128] or None
    if status in ("refunded", "processing"):
        return RefundReport(status, reference)
    return RefundReport("failed", reference, str(doc.get("detail") or status)[:200])
