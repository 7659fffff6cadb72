"""The sandbox provider: a pretend wallet served by this service itself.

The QR holds `{public_url}/pay/sandbox/{payment_id}?t={token}` (token: HMAC of the
payment id under a key derived from the master key, so nobody can pay or decline an
order they were not shown). Pressing Pay on that page makes the service write a
sandbox callback, sign it with the sandbox provider's key and run it through the same
pipeline a real provider's callback takes (`PaymentService.handle_notify`): signature
and freshness check, replay guard, session match, then paid. The callback endpoint
`/v1/providers/sandbox/notify` accepts the same documents from outside, which is how
tests forge and replay them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from central.payments.errors import NotifyRefused
from central.payments.providers.base import (
    Acknowledgement,
    Created,
    Notice,
    Order,
    RefundOrder,
    RefundReport,
    Report,
)
from kiosk.domain.errors import KioskError
from kiosk.domain.money import Money

HEADER_TIMESTAMP = "X-Sandbox-Timestamp"
HEADER_NONCE = "X-Sandbox-Nonce"
HEADER_SIGNATURE = "X-Sandbox-Signature"


def sandbox_keys(master: bytes) -> tuple[bytes, bytes]:
    """(notify signing key, pay-page token key), both derived from the master key."""
    notify = hmac.new(master, b"sandbox-notify:v1", hashlib.sha256).digest()
    token = hmac.new(master, b"sandbox-page:v1", hashlib.sha256).digest()
    return notify, token


def _message(timestamp: str, nonce: str, body: bytes) -> bytes:
    return timestamp.encode() + b"\n" + nonce.encode() + b"\n" + body + b"\n"


class SandboxProvider:
    name = "sandbox"

    def __init__(self, master: bytes, ttl_s: int, window_s: int) -> None:
        self._notify_key, self._token_key = sandbox_keys(master)
        self._ttl = timedelta(seconds=ttl_s)
        self._window_s = window_s

    # ---------------------------------------------------------------- the pay page
    def token(self, payment_id: str) -> str:
        mac = hmac.new(self._token_key, payment_id.encode(), hashlib.sha256).hexdigest()
        return mac[:32]

    def token_ok(self, payment_id: str, token: str) -> bool:
        return hmac.compare_digest(self.token(payment_id), token)

    def signed_notify(
        self, order: Order, state: str, now_ms: int, *, amount_minor: int | None = None
    ) -> tuple[dict[str, str], bytes]:
        """The callback the pretend wallet sends when the shopper presses Pay or Decline."""
        session = order.session
        body = json.dumps(
            {
                "payment_id": session.payment_id,
                "state": state,
                "amount_minor": session.amount.minor if amount_minor is None else amount_minor,
                "currency": session.amount.currency,
                "reference": "SBX" + secrets.token_hex(8).upper(),
                "paid_at": datetime.fromtimestamp(now_ms / 1000, UTC).isoformat(),
            },
            separators=(",", ":"),
        ).encode()
        return self.sign(body, str(now_ms // 1000)), body

    def sign(self, body: bytes, timestamp: str, nonce: str | None = None) -> dict[str, str]:
        nonce = nonce or secrets.token_hex(16)
        mac = hmac.new(self._notify_key, _message(timestamp, nonce, body), hashlib.sha256)
        return {
            HEADER_TIMESTAMP: timestamp,
            HEADER_NONCE: nonce,
            HEADER_SIGNATURE: mac.hexdigest(),
        }

    # ---------------------------------------------------------------- Provider
    def create(self, order: Order) -> Created:
        session = order.session
        url = (
            f"{order.public_url.rstrip('/')}/pay/sandbox/{session.payment_id}"
            f"?t={self.token(session.payment_id)}"
        )
        return Created(url, session.created_at + self._ttl, None)

    def query(self, order: Order) -> Report:
        # The pretend wallet's only state is this service's own: nothing more to learn.
        return Report(order.session.payment_id, "open")

    def close(self, order: Order) -> Report:
        return Report(order.session.payment_id, "closed")

    def refund(self, refund: RefundOrder) -> RefundReport:
        # The pretend wallet gives money back at once; its reference follows from the
        # refund id, so the same refund sent again is the same refund.
        digest = hashlib.sha256(refund.refund_id.encode()).hexdigest()[:16].upper()
        return RefundReport("refunded", "SBXR" + digest)

    def query_refund(self, refund: RefundOrder) -> RefundReport:
        return self.refund(refund)

    def verify_notify(self, headers: Mapping[str, str], body: bytes, now_ms: int) -> Notice:
        h = {k.lower(): v for k, v in headers.items()}
        timestamp = h.get(HEADER_TIMESTAMP.lower(), "")
        nonce = h.get(HEADER_NONCE.lower(), "")
        signature = h.get(HEADER_SIGNATURE.lower(), "")
        if not (
            timestamp.isascii() and timestamp.isdigit() and 16 <= len(nonce) <= 64 and signature
        ):
            raise NotifyRefused("unsigned sandbox callback", reason="unsigned", status=401)
        expected = hmac.new(self._notify_key, _message(timestamp, nonce, body), hashlib.sha256)
        if not hmac.compare_digest(expected.hexdigest(), signature.lower()):
            raise NotifyRefused("bad sandbox signature", reason="bad_signature", status=401)
        if abs(int(timestamp) - now_ms // 1000) > self._window_s:
            raise NotifyRefused("stale sandbox callback", reason="stale", status=401)
        try:
            doc = json.loads(body)
            state = doc["state"]
            report = Report(
                payment_id=str(doc["payment_id"]),
                state="paid" if state == "paid" else "failed",
                amount=Money(int(doc["amount_minor"]), str(doc["currency"])),
                reference=str(doc["reference"]),
                paid_at=datetime.fromisoformat(doc["paid_at"]),
                detail="" if state == "paid" else "declined by the payer",
                document=doc,
            )
        except (ValueError, KeyError, TypeError, KioskError) as exc:
            raise NotifyRefused(f"malformed sandbox callback: {exc}", reason="malformed") from None
        return Notice(report, nonce)

    def acknowledge(self) -> Acknowledgement:
        return Acknowledgement(200, b'{"code":"SUCCESS"}')

    def refuse(self, status: int, message: str) -> Acknowledgement:
        return Acknowledgement(status, json.dumps({"code": "FAIL", "message": message}).encode())
