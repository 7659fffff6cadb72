"""WeChat Pay payment code (付款码支付, "micropay"), API v2: XML signed with the API key.

- Charge: `POST /pay/micropay` {appid, mch_id, nonce_str, sign_type=HMAC-SHA256, body,
  out_trade_no (the payment id without dashes), total_fee (fen), fee_type,
  spbill_create_ip, auth_code} → `result_code` SUCCESS (paid), or FAIL with `err_code`:
  USERPAYING (the shopper enters a password: query), SYSTEMERROR / BANKERROR (outcome
  unknown: query), AUTHCODEEXPIRE, AUTH_CODE_INVALID, NOTENOUGH, … (final).
- Query: `POST /pay/orderquery` → `trade_state` SUCCESS | USERPAYING | NOTPAY | PAYERROR |
  CLOSED | REVOKED (or `err_code` ORDERNOTEXIST).
- Reverse: `POST /secapi/pay/reverse` (API client certificate): closes an unpaid order,
  refunds a paid one; `recall=Y` means "call again".
- Refund: `POST /secapi/pay/refund` (API client certificate) {out_trade_no,
  out_refund_no (the refund id without dashes: WeChat refunds once per out_refund_no),
  total_fee, refund_fee, refund_fee_type, refund_desc}: `result_code` SUCCESS means the
  refund was accepted, not that it reached the shopper, so `POST /pay/refundquery`
  {out_refund_no} is asked: `refund_status_0` SUCCESS | PROCESSING | REFUNDCLOSE |
  CHANGE. SYSTEMERROR / BIZERR_NEED_RETRY (and REFUNDNOTEXIST on the query) say
  nothing certain: asked again, and the same refund re-sent later; other `err_code`s
  are final.
- Every request and answer carries `sign`: HMAC-SHA256 (key: the API key) over the
  non-empty parameters but `sign`, sorted, as `k=v&…&key=API_KEY`, upper-case hex. An
  answer whose sign does not verify is not believed.

Hand-written rather than `wechatpy`: it is a few dozen lines over `requests`, the one
HTTP client the service already uses, and keeps the error mapping in plain view.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone

import requests

from central.payments.config import WeChatCodeConfig
from central.payments.errors import NotifyRefused, ProviderRefused, ProviderUnavailable
from central.payments.providers.base import (
    Acknowledgement,
    Created,
    Notice,
    Order,
    RefundOrder,
    RefundReport,
    RefundState,
    Report,
    compact_id,
)
from kiosk.domain.errors import KioskError
from kiosk.domain.money import Money

CST = timezone(timedelta(hours=8))
# err_code → the stable failure the kiosk explains to the shopper.
FINAL_ERRORS = {
    "AUTHCODEEXPIRE": "code_expired",
    "AUTH_CODE_INVALID": "code_invalid",
    "AUTH_CODE_ERROR": "code_invalid",
    "NOTENOUGH": "insufficient_funds",
    "NOTSUPORTCARD": "declined",
    "BUYER_MISMATCH": "declined",
    "TRADE_ERROR": "declined",
    "ORDERCLOSED": "declined",
    "ORDERREVERSED": "declined",
}
UNKNOWN_ERRORS = {"USERPAYING", "SYSTEMERROR", "BANKERROR", "ORDERPAID"}
# A refund whose outcome these leave open is asked about (and sent again), never assumed.
REFUND_UNKNOWN = {"SYSTEMERROR", "BIZERR_NEED_RETRY", "FREQUENCY_LIMITED", "REFUNDNOTEXIST"}
REFUND_STATES: dict[str, RefundState] = {"SUCCESS": "refunded", "PROCESSING": "processing"}


def sign(params: Mapping[str, str], key: bytes) -> str:
    text = "&".join(f"{k}={v}" for k, v in sorted(params.items()) if v != "" and k != "sign")
    message = f"{text}&key={key.decode()}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest().upper()


def to_xml(params: Mapping[str, str]) -> bytes:
    root = ET.Element("xml")
    for k, v in params.items():
        ET.SubElement(root, k).text = v
    text: bytes = ET.tostring(root, encoding="utf-8")
    return text


def from_xml(body: bytes) -> dict[str, str]:
    """A flat `<xml>` document. The XML attacks defusedxml guards against all need a
    document type declaration (entities, external references), so one is refused before
    parsing; that keeps the service off one more dependency for a flat document."""
    if b"<!DOCTYPE" in body or b"<!ENTITY" in body:
        raise ValueError("a document type declaration is not allowed")
    root = ET.fromstring(body)  # noqa: S314 - DTDs refused above
    if root.tag != "xml":
        raise ValueError("not a WeChat Pay document")
    return {child.tag: (child.text or "") for child in root}


class WeChatCodeProvider:
    name = "wechat_code"

    def __init__(self, config: WeChatCodeConfig, session: requests.Session | None = None) -> None:
        self._cfg = config
        self._http = session or requests.Session()

    def _call(self, path: str, params: Mapping[str, str]) -> dict[str, str]:
        body = {
            "appid": self._cfg.appid,
            "mch_id": self._cfg.mchid,
            "nonce_str": secrets.token_hex(16),
            "sign_type": "HMAC-SHA256",
            **params,
        }
        body["sign"] = sign(body, self._cfg.api_key)
        try:
            answer = self._http.post(
                self._cfg.base_url + path,
                data=to_xml(body),
                headers={"Content-Type": "text/xml; charset=utf-8"},
                timeout=self._cfg.timeout_s,
                cert=self._cfg.client_cert if path.startswith("/secapi/") else None,
            )
        except requests.RequestException as exc:
            raise ProviderUnavailable(f"WeChat Pay did not answer: {type(exc).__name__}") from None
        if answer.status_code >= 500:
            raise ProviderUnavailable(f"WeChat Pay answered HTTP {answer.status_code}")
        try:
            doc = from_xml(answer.content)
        except (ValueError, ET.ParseError):
            raise ProviderUnavailable("WeChat Pay answered with a body that is not XML") from None
        if doc.get("return_code") != "SUCCESS":
            raise ProviderRefused(f"WeChat Pay refused the request: {doc.get('return_msg', '')}")
        if not hmac.compare_digest(doc.get("sign", ""), sign(doc, self._cfg.api_key)):
            raise ProviderUnavailable("WeChat Pay's answer is not signed with our API key")
        if doc.get("mch_id") != self._cfg.mchid or doc.get("appid") != self._cfg.appid:
            raise ProviderUnavailable("WeChat Pay's answer is for another merchant")
        return doc

    def _paid(self, order: Order, doc: Mapping[str, str]) -> Report:
        try:
            amount = Money(int(doc["total_fee"]), doc.get("fee_type") or "CNY")
            paid_at = datetime.strptime(doc["time_end"], "%Y%m%d%H%M%S").replace(tzinfo=CST)
            return Report(
                order.session.payment_id,
                "paid",
                amount=amount,
                reference=doc["transaction_id"][:128],
                paid_at=paid_at,
                document=dict(doc),
            )
        except (KeyError, ValueError, KioskError) as exc:
            raise NotifyRefused(f"malformed transaction: {exc}", reason="malformed") from None

    # ---------------------------------------------------------------- CodeProvider
    def charge(self, order: Order, auth_code: str) -> Report:
        session = order.session
        doc = self._call(
            "/pay/micropay",
            {
                "body": (order.description or "Self-checkout")[:127],
                "out_trade_no": compact_id(session.payment_id),
                "total_fee": str(session.amount.minor),
                "fee_type": session.amount.currency,
                "spbill_create_ip": "127.0.0.1",
                "device_info": order.kiosk_id[:32],
                "auth_code": auth_code,
            },
        )
        if doc.get("result_code") == "SUCCESS":
            return self._paid(order, doc)
        err = doc.get("err_code", "")
        if err in FINAL_ERRORS:
            return Report(session.payment_id, "failed", detail=FINAL_ERRORS[err], document=doc)
        # USERPAYING, SYSTEMERROR, BANKERROR, and anything unknown: ask, never assume.
        return Report(session.payment_id, "open", detail=err or "unknown", document=doc)

    def query(self, order: Order) -> Report:
        doc = self._call("/pay/orderquery", {"out_trade_no": compact_id(order.session.payment_id)})
        payment_id = order.session.payment_id
        if doc.get("result_code") != "SUCCESS":
            # ORDERNOTEXIST: the charge has not reached WeChat (or is still on its way).
            return Report(payment_id, "unknown", detail=doc.get("err_code", ""), document=doc)
        state = doc.get("trade_state", "")
        if state in ("SUCCESS", "REFUND"):
            return self._paid(order, doc)
        if state == "PAYERROR":
            desc = doc.get("trade_state_desc", "")
            detail = "user_cancelled" if "取消" in desc or "cancel" in desc.lower() else "declined"
            return Report(payment_id, "failed", detail=detail, document=doc)
        if state in ("CLOSED", "REVOKED"):
            return Report(payment_id, "closed", detail=state, document=doc)
        return Report(payment_id, "open", detail=state, document=doc)

    def close(self, order: Order) -> Report:
        """Query first (money that came first is a sale), then reverse."""
        report = self.query(order)
        if report.state in ("paid", "closed", "failed"):
            return report
        doc = self._call(
            "/secapi/pay/reverse", {"out_trade_no": compact_id(order.session.payment_id)}
        )
        if doc.get("result_code") == "SUCCESS" and doc.get("recall") != "Y":
            return Report(order.session.payment_id, "closed", detail="REVERSED", document=doc)
        # recall=Y or SYSTEMERROR: WeChat asks to call reverse again; the next check does.
        raise ProviderUnavailable(f"WeChat Pay could not reverse yet ({doc.get('err_code', '')})")

    # ---------------------------------------------------------------- RefundingProvider
    def refund(self, refund: RefundOrder) -> RefundReport:
        doc = self._call(
            "/secapi/pay/refund",
            {
                "out_trade_no": compact_id(refund.order.session.payment_id),
                "out_refund_no": compact_id(refund.refund_id),
                "total_fee": str(refund.order.session.amount.minor),
                "refund_fee": str(refund.amount.minor),
                "refund_fee_type": refund.amount.currency,
                "refund_desc": refund.reason[:80],
            },
        )
        err = doc.get("err_code", "")
        if doc.get("result_code") != "SUCCESS" and err not in REFUND_UNKNOWN:
            return RefundReport("failed", None, err or "refused")
        return self.query_refund(refund)

    def query_refund(self, refund: RefundOrder) -> RefundReport:
        doc = self._call("/pay/refundquery", {"out_refund_no": compact_id(refund.refund_id)})
        if doc.get("result_code") != "SUCCESS":
            err = doc.get("err_code", "")
            if err in REFUND_UNKNOWN:
                return RefundReport("processing", None, err)
            return RefundReport("failed", None, err or "refused")
        if doc.get("out_refund_no_0") != compact_id(refund.refund_id):
            raise ProviderUnavailable("WeChat Pay answered about another refund")
        state = doc.get("refund_status_0", "")
        reference = doc.get("refund_id_0") or None
        return RefundReport(
            REFUND_STATES.get(state, "failed"), reference, "" if state in REFUND_STATES else state
        )

    # A payment code is charged, never shown: there is no QR and no callback.
    def create(self, order: Order) -> Created:
        raise ProviderRefused("WeChat Pay payment codes are charged, not shown as a QR")

    def verify_notify(self, headers: Mapping[str, str], body: bytes, now_ms: int) -> Notice:
        raise NotifyRefused("micropay sends no callbacks", reason="unknown_provider", status=404)

    def acknowledge(self) -> Acknowledgement:
        return Acknowledgement(200, to_xml({"return_code": "SUCCESS"}), "text/xml")

    def refuse(self, status: int, message: str) -> Acknowledgement:
        body = to_xml({"return_code": "FAIL", "return_msg": message})
        return Acknowledgement(status, body, "text/xml")


__all__ = ["WeChatCodeProvider", "from_xml", "sign", "to_xml"]
