"""WeChat Pay Native, API v3: order → `code_url` QR, signed callback, query, close.

- Create: `POST /v3/pay/transactions/native` {appid, mchid, description,
  out_trade_no (the payment id without dashes: 32 characters), time_expire (RFC 3339),
  notify_url, amount {total, currency}} → {code_url}. Re-sending the same order is
  answered with the same code_url, so a create that timed out is simply retried.
- Every request is signed with the merchant API key; every answer's signature is
  checked against the platform key its serial names before it is believed
  (`wechat_crypto`); platform certificates are downloaded and rotated
  (`wechat_certs`).
- Callback (`/v1/providers/wechat/notify`): signature over the raw body, timestamp
  within the window, resource decrypted with the APIv3 key, then mchid, appid,
  out_trade_no, amount and currency are checked; the answer is `{"code":"SUCCESS"}`, or
  `{"code":"FAIL",…}` with a 4xx/5xx so WeChat retries.
- Query by out_trade_no when no callback arrived; close (after a query, so an order
  paid in the last second is reported paid rather than closed) on expiry or cancel.
- Refunds: `POST /v3/refund/domestic/refunds` with a `notify_url` beside the payment's
  (`…/refund-notify`); the refund callback (REFUND.SUCCESS | REFUND.ABNORMAL |
  REFUND.CLOSED) is verified and decrypted exactly as the payment callback
  (`verify_refund_notify`), and the refund is also asked about until final.
"""

from __future__ import annotations

import json
import logging
import secrets
import time
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote, urljoin

import requests

from central.payments.config import WeChatConfig
from central.payments.errors import NotifyRefused, ProviderRefused, ProviderUnavailable
from central.payments.providers import wechat_crypto as wc
from central.payments.providers.base import (
    Acknowledgement,
    Created,
    Notice,
    Order,
    RefundNotice,
    RefundOrder,
    RefundReport,
    Report,
    compact_id,
    from_compact,
)
from central.payments.providers.wechat_certs import (
    CERTIFICATES,
    CertificateStore,
    PlatformKeys,
)
from kiosk.domain.errors import KioskError
from kiosk.domain.money import Money

NATIVE = "/v3/pay/transactions/native"
BY_OUT_TRADE_NO = "/v3/pay/transactions/out-trade-no/"
REFUNDS = "/v3/refund/domestic/refunds"
# CST: WeChat writes times in China Standard Time; any offset is accepted back.
_OPEN_STATES = {"NOTPAY", "USERPAYING", "PAYERROR", "ACCEPT"}
_CLOSED_STATES = {"CLOSED", "REVOKED"}
_PAID_STATES = {"SUCCESS", "REFUND"}
_REFUND_EVENTS = {"REFUND.SUCCESS", "REFUND.ABNORMAL", "REFUND.CLOSED"}

log = logging.getLogger(__name__)


def rfc3339(when: datetime) -> str:
    return when.isoformat(timespec="seconds")


class WeChatProvider:
    name = "wechat"

    def __init__(
        self,
        config: WeChatConfig,
        ttl_s: int,
        window_s: int,
        session: requests.Session | None = None,
        *,
        certificates: CertificateStore | None = None,
        clock_ms: Callable[[], int] = lambda: int(time.time() * 1000),
    ) -> None:
        self._cfg = config
        self._key = wc.load_private_key(config.private_key_pem)
        self.keys = PlatformKeys(
            config.mchid,
            config.platform_keys,
            certificates if config.download_certificates else None,
            clock_ms,
        )
        self._ttl = timedelta(seconds=ttl_s)
        self._window_s = window_s
        self._http = session or requests.Session()

    @property
    def mchid(self) -> str:
        return self._cfg.mchid

    # ---------------------------------------------------------------- HTTP
    def _send(self, method: str, path: str, body: Mapping[str, Any] | None) -> requests.Response:
        data = b"" if body is None else json.dumps(body, ensure_ascii=False).encode()
        timestamp = str(int(time.time()))
        nonce = secrets.token_hex(16)
        headers = {
            "Authorization": wc.authorization(
                self._cfg.mchid,
                self._cfg.serial_no,
                self._key,
                method,
                path,
                data,
                timestamp,
                nonce,
            ),
            "Accept": "application/json",
            "User-Agent": "scan-to-buy-central/1",
        }
        if body is not None:
            headers["Content-Type"] = "application/json"
        try:
            answer = self._http.request(
                method,
                self._cfg.base_url + path,
                data=data or None,
                headers=headers,
                timeout=self._cfg.timeout_s,
            )
        except requests.RequestException as exc:
            raise ProviderUnavailable(f"WeChat Pay did not answer: {type(exc).__name__}") from None
        if answer.status_code >= 500:
            raise ProviderUnavailable(f"WeChat Pay answered HTTP {answer.status_code}")
        return answer

    def _call(self, method: str, path: str, body: Mapping[str, Any] | None) -> tuple[int, Any]:
        if self.keys.due():
            self._refresh_quietly()
        answer = self._send(method, path, body)
        self._check_answer(answer)
        try:
            document = answer.json() if answer.content else None
        except ValueError:
            raise ProviderUnavailable("WeChat Pay answered with a body that is not JSON") from None
        return answer.status_code, document

    def _check_answer(self, answer: requests.Response) -> None:
        """An answer is believed only if the platform key signed it."""
        h = answer.headers
        key = self._key_for(h.get("Wechatpay-Serial", ""))
        message = wc.response_message(
            h.get("Wechatpay-Timestamp", ""), h.get("Wechatpay-Nonce", ""), answer.content
        )
        if key is None or not wc.rsa_verify(key, message, h.get("Wechatpay-Signature", "")):
            raise ProviderUnavailable("WeChat Pay's answer is not signed by the platform key")

    def _key_for(self, serial: str) -> Any:
        key = self.keys.key(serial)
        if key is None and self.keys.may_ask(serial):
            self._refresh_quietly()
            key = self.keys.key(serial)
        return key

    def refresh_certificates(self) -> list[str]:
        """Download the platform certificates now (`GET /v3/certificates`); the serials
        held afterwards. Raises ProviderUnavailable, or ProviderRefused (also when the
        list cannot be trusted: `CertificateRefused`)."""
        answer = self._send("GET", CERTIFICATES, None)
        if answer.status_code != 200:
            try:
                doc = answer.json()
            except ValueError:
                doc = None
            raise self._refused(answer.status_code, doc)
        return self.keys.accept(answer.headers, answer.content, self._cfg.apiv3_key)

    def _refresh_quietly(self) -> None:
        """A failed download keeps the keys already held: payments go on with them."""
        try:
            self.refresh_certificates()
        except (ProviderUnavailable, ProviderRefused) as exc:
            log.warning("WeChat Pay platform certificates not refreshed: %s", exc)

    @staticmethod
    def _refused(status: int, doc: Any) -> ProviderRefused:
        code = doc.get("code", "") if isinstance(doc, dict) else ""
        message = doc.get("message", "") if isinstance(doc, dict) else ""
        return ProviderRefused(f"WeChat Pay refused (HTTP {status} {code}): {message}")

    # ---------------------------------------------------------------- Provider
    def create(self, order: Order) -> Created:
        session = order.session
        expires = session.created_at + self._ttl
        body = {
            "appid": self._cfg.appid,
            "mchid": self._cfg.mchid,
            "description": (order.description or "Self-checkout")[:127],
            "out_trade_no": compact_id(session.payment_id),
            "time_expire": rfc3339(expires),
            "notify_url": self._notify_url(order),
            "amount": {"total": session.amount.minor, "currency": session.amount.currency},
        }
        status, doc = self._call("POST", NATIVE, body)
        if status != 200 or not isinstance(doc, dict) or not doc.get("code_url"):
            raise self._refused(status, doc)
        return Created(str(doc["code_url"]), expires, None)

    def _notify_url(self, order: Order) -> str:
        return self._cfg.notify_url or (
            f"{order.public_url.rstrip('/')}/v1/providers/wechat/notify"
        )

    def _path(self, order: Order, suffix: str = "") -> str:
        return BY_OUT_TRADE_NO + compact_id(order.session.payment_id) + suffix

    def query(self, order: Order) -> Report:
        path = self._path(order) + f"?mchid={quote(self._cfg.mchid)}"
        status, doc = self._call("GET", path, None)
        if status == 404:
            return Report(order.session.payment_id, "unknown", detail="ORDER_NOT_EXIST")
        if status != 200 or not isinstance(doc, dict):
            raise self._refused(status, doc)
        return self.transaction_report(doc)

    def close(self, order: Order) -> Report:
        report = self.query(order)
        if report.state in ("paid", "closed"):
            return report
        if report.state == "unknown":
            # ORDER_NOT_EXIST: the create never reached WeChat; nothing can be paid.
            return Report(order.session.payment_id, "closed", detail="ORDER_NOT_EXIST")
        status, doc = self._call("POST", self._path(order, "/close"), {"mchid": self._cfg.mchid})
        if status in (200, 204):
            return Report(order.session.payment_id, "closed")
        if isinstance(doc, dict) and doc.get("code") == "ORDERPAID":
            return self.query(order)
        raise self._refused(status, doc)

    # ---------------------------------------------------------------- refunds
    def refund(self, refund: RefundOrder) -> RefundReport:
        """`POST /v3/refund/domestic/refunds`, `out_refund_no` = the refund id without
        dashes: WeChat refunds once per out_refund_no, so sending it again is safe. The
        refund callback comes to `refund-notify` beside the payment callback's URL; the
        service also asks (`query_refund`), whichever comes first settles it."""
        amount = refund.amount
        body: dict[str, Any] = {
            "out_trade_no": compact_id(refund.order.session.payment_id),
            "out_refund_no": compact_id(refund.refund_id),
            "reason": refund.reason[:80],
            "amount": {
                "refund": amount.minor,
                "total": refund.order.session.amount.minor,
                "currency": amount.currency,
            },
        }
        if refund.order.public_url or self._cfg.notify_url:
            body["notify_url"] = urljoin(self._notify_url(refund.order), "refund-notify")
        status, doc = self._call("POST", REFUNDS, body)
        return self._refund_report(status, doc)

    def query_refund(self, refund: RefundOrder) -> RefundReport:
        status, doc = self._call("GET", REFUNDS + "/" + compact_id(refund.refund_id), None)
        return self._refund_report(status, doc)

    @staticmethod
    def _refund_report(status: int, doc: Any) -> RefundReport:
        if status == 200 and isinstance(doc, dict):
            state = str(doc.get("status", ""))
            reference = str(doc.get("refund_id") or "") or None
            if state == "SUCCESS":
                return RefundReport("refunded", reference)
            if state == "PROCESSING":
                return RefundReport("processing", reference)
            return RefundReport("failed", reference, state or "unknown status")
        code = doc.get("code", "") if isinstance(doc, dict) else ""
        if status in (400, 403, 404) and code in (
            "NOT_ENOUGH",
            "RESOURCE_NOT_EXISTS",
            "USER_ACCOUNT_ABNORMAL",
        ):
            return RefundReport("failed", None, code)
        raise WeChatProvider._refused(status, doc)

    def transaction_report(self, tx: Mapping[str, Any]) -> Report:
        """A transaction document (query answer or decrypted callback) as a report."""
        if tx.get("mchid") != self._cfg.mchid or tx.get("appid") != self._cfg.appid:
            raise NotifyRefused("the transaction is for another merchant", reason="merchant")
        payment_id = from_compact(str(tx.get("out_trade_no", "")))
        if payment_id is None:
            raise NotifyRefused(
                "out_trade_no is not one of ours", reason="unknown_order", status=404
            )
        state = str(tx.get("trade_state", ""))
        if state not in _PAID_STATES:
            if state in _CLOSED_STATES:
                return Report(payment_id, "closed", detail=state, document=dict(tx))
            return Report(payment_id, "open", detail=state, document=dict(tx))
        try:
            amount = tx["amount"]
            paid_at = datetime.fromisoformat(str(tx["success_time"]))
            return Report(
                payment_id=payment_id,
                state="paid",
                amount=Money(int(amount["total"]), str(amount.get("currency", "CNY"))),
                reference=str(tx["transaction_id"])[:128],
                paid_at=paid_at,
                document=dict(tx),
            )
        except (KeyError, TypeError, ValueError, KioskError) as exc:
            raise NotifyRefused(f"malformed transaction: {exc}", reason="malformed") from None

    def _open_callback(
        self, headers: Mapping[str, str], body: bytes, now_ms: int
    ) -> tuple[str, dict[str, Any], str]:
        """(event_type, decrypted resource, nonce) of a callback signed by the platform
        key, fresh, whose resource decrypts with the APIv3 key; `NotifyRefused` else."""
        h = {k.lower(): v for k, v in headers.items()}
        timestamp = h.get("wechatpay-timestamp", "")
        nonce = h.get("wechatpay-nonce", "")
        signature = h.get("wechatpay-signature", "")
        if not (
            timestamp.isascii()
            and timestamp.isdigit()
            and len(timestamp) <= 12
            and nonce
            and signature
        ):
            raise NotifyRefused("unsigned callback", reason="unsigned", status=401)
        key = self._key_for(h.get("wechatpay-serial", ""))
        if key is None:
            raise NotifyRefused("unknown platform key serial", reason="unknown_serial", status=401)
        if not wc.rsa_verify(key, wc.response_message(timestamp, nonce, body), signature):
            raise NotifyRefused("bad signature", reason="bad_signature", status=401)
        if abs(int(timestamp) - now_ms // 1000) > self._window_s:
            raise NotifyRefused("stale callback", reason="stale", status=401)
        try:
            doc = json.loads(body)
            resource = doc["resource"]
            plain = wc.decrypt_resource(
                self._cfg.apiv3_key,
                str(resource["nonce"]),
                str(resource.get("associated_data", "")),
                str(resource["ciphertext"]),
            )
            found = json.loads(plain)
            event = str(doc.get("event_type", ""))
        except wc.WeChatCryptoError:
            raise NotifyRefused("the resource does not decrypt", reason="decrypt") from None
        except (ValueError, KeyError, TypeError) as exc:
            raise NotifyRefused(f"malformed callback: {exc}", reason="malformed") from None
        if not isinstance(found, dict):
            raise NotifyRefused("malformed callback resource", reason="malformed")
        return event, found, nonce[:64]

    def verify_notify(self, headers: Mapping[str, str], body: bytes, now_ms: int) -> Notice:
        event, tx, nonce = self._open_callback(headers, body, now_ms)
        report = self.transaction_report(tx)
        if event != "TRANSACTION.SUCCESS" and report.state == "paid":
            # Refund and other events repeat a paid transaction: nothing new to store.
            report = Report(report.payment_id, "unknown", detail=event, document=report.document)
        return Notice(report, nonce)

    def verify_refund_notify(
        self, headers: Mapping[str, str], body: bytes, now_ms: int
    ) -> RefundNotice:
        """A refund callback: REFUND.SUCCESS is refunded, REFUND.ABNORMAL and
        REFUND.CLOSED failed (as the query's `ABNORMAL` / `CLOSED`)."""
        event, doc, nonce = self._open_callback(headers, body, now_ms)
        if event not in _REFUND_EVENTS:
            raise NotifyRefused(f"{event or 'an event'} is not a refund", reason="malformed")
        if doc.get("mchid") != self._cfg.mchid:
            raise NotifyRefused("the refund is for another merchant", reason="merchant")
        refund_id = from_compact(str(doc.get("out_refund_no", "")))
        payment_id = from_compact(str(doc.get("out_trade_no", "")))
        if refund_id is None or payment_id is None:
            raise NotifyRefused("not one of our refunds", reason="unknown_order", status=404)
        try:
            amount = doc["amount"]
            refunded = Money(int(amount["refund"]), str(amount.get("currency", "CNY")))
        except (KeyError, TypeError, ValueError, KioskError) as exc:
            raise NotifyRefused(f"malformed refund: {exc}", reason="malformed") from None
        report = self._refund_report(200, {**doc, "status": doc.get("refund_status", "")})
        return RefundNotice(refund_id, payment_id, refunded, report, nonce)

    def acknowledge(self) -> Acknowledgement:
        return Acknowledgement(200, b'{"code":"SUCCESS","message":"OK"}')

    def refuse(self, status: int, message: str) -> Acknowledgement:
        return Acknowledgement(status, json.dumps({"code": "FAIL", "message": message}).encode())
