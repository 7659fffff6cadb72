"""Alipay face-to-face payment by payment code (当面付 条码支付): `alipay.trade.pay`.

- Every call is a form POST to the gateway: app_id, method, format=JSON, charset=utf-8,
  sign_type=RSA2, timestamp, version=1.0, biz_content (JSON) and `sign`: RSA-SHA256 by
  the app's private key over every other parameter, sorted, as `k=v&…`.
- The answer is `{"<method>_response": {...}, "sign": "…"}`; `sign` is Alipay's RSA2
  signature over the exact text of the response object, checked with Alipay's public
  key before anything in it is believed.
- `alipay.trade.pay` {out_trade_no (the payment id without dashes), scene=bar_code,
  auth_code, subject, total_amount (yuan, "18.50")}: code 10000 paid; 10003
  WAIT_BUYER_PAY (the shopper confirms on the phone: query); 20000 or
  ACQ.SYSTEM_ERROR (outcome unknown: query); 40004 with a sub_code (final).
- `alipay.trade.query`: trade_status WAIT_BUYER_PAY | TRADE_SUCCESS | TRADE_FINISHED |
  TRADE_CLOSED, or ACQ.TRADE_NOT_EXIST.
- `alipay.trade.cancel`: closes an unpaid trade, refunds a paid one; `retry_flag=Y`
  means "call again".
- `alipay.trade.refund` {out_trade_no, refund_amount, out_request_no (the refund id
  without dashes: Alipay refunds once per out_request_no), refund_reason}: 10000 with
  `fund_change=Y` refunded; 10000 with `fund_change=N` (a repeat, or not settled yet),
  20000 and ACQ.SYSTEM_ERROR say nothing certain, so `alipay.trade.fastpay.refund.query`
  {out_trade_no, out_request_no} decides: the refund listed (`refund_status` empty or
  REFUND_SUCCESS) is refunded, not listed is not refunded yet (the service sends the
  same refund again later); 40004 with another sub_code is final.

Hand-written rather than `python-alipay-sdk` / `alipay-sdk-python`: those pull in
pycryptodome(x) for what `cryptography` (already here) does, and the five calls are a
page.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from typing import Any

import requests

from central.payments.config import AlipayConfig
from central.payments.errors import NotifyRefused, ProviderRefused, ProviderUnavailable
from central.payments.providers import wechat_crypto as rsa2
from central.payments.providers.base import (
    Acknowledgement,
    Created,
    Notice,
    Order,
    RefundOrder,
    RefundReport,
    Report,
    compact_id,
)
from kiosk.domain.errors import KioskError
from kiosk.domain.money import Money

CST = timezone(timedelta(hours=8))
FINAL_ERRORS = {
    "ACQ.PAYMENT_AUTH_CODE_INVALID": "code_invalid",
    "ACQ.AUTH_CODE_EXPIRED": "code_expired",
    "ACQ.BUYER_BALANCE_NOT_ENOUGH": "insufficient_funds",
    "ACQ.BUYER_BANKCARD_BALANCE_NOT_ENOUGH": "insufficient_funds",
    "ACQ.BUYER_PAYMENT_AMOUNT_DAY_LIMIT_ERROR": "declined",
    "ACQ.TRADE_HAS_CLOSE": "declined",
    "ACQ.BUYER_ENABLE_STATUS_FORBID": "declined",
    "ACQ.TRADE_BUYER_NOT_MATCH": "declined",
    "ACQ.USER_CANCELLED": "user_cancelled",
}


def signing_text(params: Mapping[str, str]) -> bytes:
    return "&".join(
        f"{k}={v}" for k, v in sorted(params.items()) if v != "" and k != "sign"
    ).encode()


def response_node(body: str, method: str) -> tuple[str, dict[str, Any], str]:
    """The raw text of the response object (what Alipay signed), it parsed, and `sign`.
    Anything else (not an object, no response node, a node whose text cannot be found
    as such) is a `ValueError`."""
    doc = json.loads(body)
    if not isinstance(doc, dict):
        raise ValueError("the answer is not an object")
    key = method.replace(".", "_") + "_response"
    if key not in doc:
        key = "error_response"
    node = doc.get(key)
    if not isinstance(node, dict):
        raise ValueError("the answer has no response object")
    start = body.find("{", body.find(f'"{key}"') + len(key) + 2)
    if start < 0:
        raise ValueError("the response object is not where it should be")
    found, end = json.JSONDecoder().raw_decode(body, start)
    # The text checked against the signature must be exactly the node used.
    if found != node:
        raise ValueError("the response object's text is ambiguous")
    return body[start:end], node, str(doc.get("sign", ""))


def yuan(amount: Money) -> str:
    return amount.plain()


def _text(value: Any) -> str | None:
    return str(value)[:128] if value else None


class AlipayCodeProvider:
    name = "alipay_code"

    def __init__(self, config: AlipayConfig, session: requests.Session | None = None) -> None:
        self._cfg = config
        self._key = rsa2.load_private_key(config.private_key_pem)
        self._alipay_key = rsa2.load_public_key(config.alipay_public_key_pem)
        self._http = session or requests.Session()

    def _call(self, method: str, biz: Mapping[str, Any]) -> dict[str, Any]:
        params = {
            "app_id": self._cfg.app_id,
            "method": method,
            "format": "JSON",
            "charset": "utf-8",
            "sign_type": "RSA2",
            "timestamp": datetime.now(CST).strftime("%Y-%m-%d %H:%M:%S"),
            "version": "1.0",
            "biz_content": json.dumps(biz, ensure_ascii=False, separators=(",", ":")),
        }
        params["sign"] = rsa2.rsa_sign(self._key, signing_text(params))
        try:
            answer = self._http.post(self._cfg.gateway, data=params, timeout=self._cfg.timeout_s)
        except requests.RequestException as exc:
            raise ProviderUnavailable(f"Alipay did not answer: {type(exc).__name__}") from None
        if answer.status_code >= 500:
            raise ProviderUnavailable(f"Alipay answered HTTP {answer.status_code}")
        try:
            raw, node, signature = response_node(answer.content.decode("utf-8"), method)
        except (ValueError, UnicodeDecodeError):
            raise ProviderUnavailable("Alipay answered with a body that is not JSON") from None
        if not rsa2.rsa_verify(self._alipay_key, raw.encode(), signature):
            raise ProviderUnavailable("Alipay's answer is not signed by Alipay's key")
        if node.get("code") in ("40001", "40002", "40006"):
            raise ProviderRefused(f"Alipay refused the request: {node.get('sub_msg', '')}")
        return node

    def _paid(self, order: Order, node: Mapping[str, Any]) -> Report:
        try:
            amount = Money.parse(str(node["total_amount"]), order.session.amount.currency)
            paid_at = datetime.strptime(
                str(node.get("gmt_payment") or node["send_pay_date"]), "%Y-%m-%d %H:%M:%S"
            ).replace(tzinfo=CST)
            return Report(
                order.session.payment_id,
                "paid",
                amount=amount,
                reference=str(node["trade_no"])[:128],
                paid_at=paid_at,
                document=dict(node),
            )
        except (KeyError, ValueError, KioskError) as exc:
            raise NotifyRefused(f"malformed trade: {exc}", reason="malformed") from None

    def _mine(self, order: Order, node: Mapping[str, Any]) -> None:
        if node.get("out_trade_no", compact_id(order.session.payment_id)) != compact_id(
            order.session.payment_id
        ):
            raise ProviderUnavailable("Alipay answered about another trade")

    # ---------------------------------------------------------------- CodeProvider
    def charge(self, order: Order, auth_code: str) -> Report:
        session = order.session
        node = self._call(
            "alipay.trade.pay",
            {
                "out_trade_no": compact_id(session.payment_id),
                "scene": "bar_code",
                "auth_code": auth_code,
                "product_code": "FACE_TO_FACE_PAYMENT",
                "subject": (order.description or "Self-checkout")[:256],
                "total_amount": yuan(session.amount),
                "trans_currency": session.amount.currency,
                "terminal_id": order.kiosk_id[:32],
                "store_id": order.store_id[:32],
                "timeout_express": "1m",
            },
        )
        self._mine(order, node)
        code, sub = str(node.get("code", "")), str(node.get("sub_code", ""))
        if code == "10000":
            return self._paid(order, node)
        if code == "40004" and sub in FINAL_ERRORS:
            return Report(session.payment_id, "failed", detail=FINAL_ERRORS[sub], document=node)
        # 10003 WAIT_BUYER_PAY, 20000, ACQ.SYSTEM_ERROR and anything unknown: ask.
        return Report(session.payment_id, "open", detail=sub or code, document=node)

    def query(self, order: Order) -> Report:
        payment_id = order.session.payment_id
        node = self._call("alipay.trade.query", {"out_trade_no": compact_id(payment_id)})
        self._mine(order, node)
        if node.get("code") != "10000":
            return Report(payment_id, "unknown", detail=str(node.get("sub_code", "")))
        status = str(node.get("trade_status", ""))
        if status in ("TRADE_SUCCESS", "TRADE_FINISHED"):
            return self._paid(order, node)
        if status == "TRADE_CLOSED":
            return Report(payment_id, "closed", detail=status, document=node)
        return Report(payment_id, "open", detail=status, document=node)

    def close(self, order: Order) -> Report:
        """Query first (money that came first is a sale), then cancel."""
        report = self.query(order)
        if report.state in ("paid", "closed", "failed"):
            return report
        payment_id = order.session.payment_id
        node = self._call("alipay.trade.cancel", {"out_trade_no": compact_id(payment_id)})
        if node.get("code") == "10000" and node.get("retry_flag") != "Y":
            return Report(payment_id, "closed", detail="CANCELLED", document=node)
        raise ProviderUnavailable(f"Alipay could not cancel yet ({node.get('sub_code', '')})")

    # ---------------------------------------------------------------- RefundingProvider
    def refund(self, refund: RefundOrder) -> RefundReport:
        node = self._call(
            "alipay.trade.refund",
            {
                "out_trade_no": compact_id(refund.order.session.payment_id),
                "out_request_no": compact_id(refund.refund_id),
                "refund_amount": yuan(refund.amount),
                "refund_reason": refund.reason[:256],
            },
        )
        self._mine(refund.order, node)
        code, sub = str(node.get("code", "")), str(node.get("sub_code", ""))
        if code == "10000" and node.get("fund_change") == "Y":
            return RefundReport("refunded", _text(node.get("trade_no")))
        if code == "40004" and sub != "ACQ.SYSTEM_ERROR":
            return RefundReport("failed", None, sub or "refused")
        # fund_change=N, 20000, ACQ.SYSTEM_ERROR: only the refund query knows.
        return self.query_refund(refund)

    def query_refund(self, refund: RefundOrder) -> RefundReport:
        node = self._call(
            "alipay.trade.fastpay.refund.query",
            {
                "out_trade_no": compact_id(refund.order.session.payment_id),
                "out_request_no": compact_id(refund.refund_id),
            },
        )
        self._mine(refund.order, node)
        listed = node.get("out_request_no") == compact_id(refund.refund_id)
        done = node.get("refund_status", "") in ("", "REFUND_SUCCESS")
        if node.get("code") == "10000" and listed and done:
            return RefundReport("refunded", _text(node.get("trade_no")))
        # Not listed: Alipay has not refunded it (yet); sending it again is safe.
        return RefundReport("processing", None, str(node.get("sub_code", "")))

    # A payment code is charged, never shown; this integration takes no callbacks.
    def create(self, order: Order) -> Created:
        raise ProviderRefused("Alipay payment codes are charged, not shown as a QR")

    def verify_notify(self, headers: Mapping[str, str], body: bytes, now_ms: int) -> Notice:
        raise NotifyRefused("no Alipay callbacks are taken", reason="unknown_provider", status=404)

    def acknowledge(self) -> Acknowledgement:
        return Acknowledgement(200, b"success", "text/plain")

    def refuse(self, status: int, message: str) -> Acknowledgement:
        return Acknowledgement(status, b"fail", "text/plain")
