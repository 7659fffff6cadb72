"""A local EMVCo acquirer (the bank behind a PromptPay / PIX / SGQR merchant account), for
tests and demos. Not a bank.

It speaks this service's acquirer protocol (`central.payments.providers.emvco`): when a
shopper pays a dynamic QR it sends the HMAC-signed callback to the service (`pay`), and
it takes refunds of the bills it was paid (`POST /refunds`, `GET /refunds/{refund_id}`),
checking each request's signature, timestamp and nonce and signing each answer with the
shared secret. A refund is made once per refund_id (the same request again answers the
same refund, another body under that id is refused), never above what the bill was paid
over all its refunds, and answers `processing` `refund_processing` times first. When
a refund is done (`finish_refund`), or fails (`fail_refund`), it calls the refund's
`notify_url` back, signed like its payment callbacks (`send_refund`; tests may also send
forged or wrong ones).
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import requests
from fastapi import FastAPI, Request, Response

from central.payments.errors import NotifyRefused
from central.payments.providers import hmac_webhook
from kiosk.domain.money import Money
from simulators.serving import LocalServer


@dataclass
class AcquirerSimulator:
    secret: bytes
    refund_processing: int = 0
    window_s: int = 300
    url: str = ""

    def __post_init__(self) -> None:
        self.paid: dict[str, Money] = {}  # bill number -> what the shopper paid
        self.refunds: dict[str, dict[str, Any]] = {}  # refund_id -> request, answer, left
        self.refused_requests: list[str] = []
        self._nonces: set[str] = set()
        self._lock = threading.Lock()
        self.app = self._build()
        self._server = LocalServer(self.app, "EMVCo acquirer simulator")

    def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        self.url = self._server.start(host, port)
        return self.url

    def stop(self) -> None:
        self._server.stop()

    @property
    def refund_url(self) -> str:
        return self.url + "/refunds"

    def refunded(self, bill: str) -> int:
        """Minor units given back on a bill, over all its refunds."""
        return sum(
            int(Money.parse(r["request"]["amount"], r["request"]["currency"]).minor)
            for r in self.refunds.values()
            if r["request"]["bill_number"] == bill and r["answer"]["status"] != "failed"
        )

    # ---------------------------------------------------------------- the shopper
    def pay(self, notify_url: str, bill: str, amount: Money) -> requests.Response:
        """The shopper's bank pays the bill; the acquirer tells the merchant."""
        self.paid[bill] = amount
        body = json.dumps(
            {
                "bill_number": bill,
                "amount": amount.plain(),
                "currency": amount.currency,
                "reference": "ACQ" + secrets.token_hex(6).upper(),
                "status": "paid",
                "paid_at": datetime.now(UTC).isoformat(timespec="seconds"),
            }
        ).encode()
        headers = hmac_webhook.sign(self.secret, body, str(int(time.time())))
        return requests.post(notify_url, data=body, headers=headers, timeout=30)

    # ---------------------------------------------------------------- refund callbacks
    def finish_refund(self, refund_id: str, *, notify: bool = True) -> requests.Response | None:
        """The money reaches the shopper now, whatever `processing` was left; the acquirer
        calls the merchant back unless `notify` is off."""
        with self._lock:
            refund = self.refunds[refund_id]
            refund["left"] = 0
            refund["answer"]["status"] = "refunded"
        return self.send_refund(refund_id) if notify else None

    def fail_refund(
        self, refund_id: str, detail: str = "account_closed", *, notify: bool = True
    ) -> requests.Response | None:
        """The money cannot reach the shopper (their account was closed meanwhile, say): the
        refund fails, nothing goes back to the bill, and the acquirer calls the merchant
        back unless `notify` is off (then only a query learns it)."""
        with self._lock:
            refund = self.refunds[refund_id]
            refund["left"] = 0
            refund["answer"]["status"] = "failed"
            refund["answer"]["detail"] = detail
        return self.send_refund(refund_id) if notify else None

    def refund_notification(
        self, refund_id: str, *, amount: str | None = None, secret: bytes | None = None
    ) -> tuple[dict[str, str], bytes]:
        """The signed callback of a refund as it stands (optionally for another amount,
        or signed with another secret)."""
        refund = self.refunds[refund_id]
        request, answer = refund["request"], refund["answer"]
        body = json.dumps(
            {
                "refund_id": refund_id,
                "bill_number": request["bill_number"],
                "amount": amount or request["amount"],
                "currency": request["currency"],
                "status": answer["status"],
                "reference": answer["reference"],
                "detail": answer["detail"],
            }
        ).encode()
        return hmac_webhook.sign(secret or self.secret, body, str(int(time.time()))), body

    def send_refund(
        self, refund_id: str, headers: dict[str, str] | None = None, body: bytes | None = None
    ) -> requests.Response:
        if headers is None or body is None:
            headers, body = self.refund_notification(refund_id)
        url = self.refunds[refund_id]["request"]["notify_url"]
        return requests.post(url, data=body, headers=headers, timeout=30)

    # ---------------------------------------------------------------- HTTP
    def _answer(self, status: int, doc: dict[str, Any]) -> Response:
        body = json.dumps(doc).encode()
        headers = hmac_webhook.sign(self.secret, body, str(int(time.time())))
        return Response(body, status, headers=headers, media_type="application/json")

    def _checked(self, request: Request, body: bytes) -> bool:
        try:
            nonce = hmac_webhook.verify(
                self.secret, request.headers, body, int(time.time() * 1000), self.window_s
            )
        except NotifyRefused as exc:
            self.refused_requests.append(exc.reason)
            return False
        with self._lock:
            if nonce in self._nonces:
                self.refused_requests.append("replayed")
                return False
            self._nonces.add(nonce)
        return True

    def _refund(self, doc: dict[str, Any]) -> dict[str, Any]:
        refund_id = str(doc.get("refund_id", ""))
        with self._lock:
            existing = self.refunds.get(refund_id)
            if existing is not None:
                if existing["request"] != doc:
                    return {"refund_id": refund_id, "status": "failed", "detail": "id_reused"}
                return self._step(refund_id)
            paid = self.paid.get(str(doc.get("bill_number", "")))
            try:
                amount = Money.parse(str(doc["amount"]), str(doc["currency"]))
            except (KeyError, ValueError):
                return {"refund_id": refund_id, "status": "failed", "detail": "bad_amount"}
            if paid is None or paid.currency != amount.currency:
                return {"refund_id": refund_id, "status": "failed", "detail": "unknown_bill"}
            if self.refunded(doc["bill_number"]) + amount.minor > paid.minor:
                return {"refund_id": refund_id, "status": "failed", "detail": "exceeds_paid"}
            self.refunds[refund_id] = {
                "request": doc,
                "answer": {
                    "refund_id": refund_id,
                    "status": "processing",
                    "reference": "ACQR" + secrets.token_hex(6).upper(),
                    "detail": "",
                },
                "left": self.refund_processing,
            }
            return self._step(refund_id)

    def _step(self, refund_id: str) -> dict[str, Any]:
        """Each answer about a refund uses up one `processing`; then it is refunded (unless
        it failed meanwhile: `fail_refund`)."""
        refund = self.refunds[refund_id]
        if refund["left"] > 0:
            refund["left"] -= 1
        elif refund["answer"]["status"] == "processing":
            refund["answer"]["status"] = "refunded"
        return dict(refund["answer"])

    def _build(self) -> FastAPI:
        app = FastAPI()

        @app.post("/refunds")
        async def refund(request: Request) -> Response:
            body = await request.body()
            if not self._checked(request, body):
                return self._answer(401, {"error": "bad_signature"})
            return self._answer(200, self._refund(json.loads(body)))

        @app.get("/refunds/{refund_id}")
        async def query(refund_id: str, request: Request) -> Response:
            if not self._checked(request, b""):
                return self._answer(401, {"error": "bad_signature"})
            with self._lock:
                if refund_id not in self.refunds:
                    return self._answer(404, {"error": "not_found"})
                return self._answer(200, self._step(refund_id))

        return app
