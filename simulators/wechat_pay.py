"""A local WeChat Pay API v3 (Native) simulator, for tests and demos. Not WeChat.

It speaks the same protocol with keys of its own: a merchant key pair (the chain's
API key; the simulator holds the public half to check request signatures), a platform
key pair (WeChat's; it signs every answer and callback) and a random APIv3 key
(encrypts callback resources). The platform key is either a platform public key
(`PUB_KEY_ID_…`, pinned by the merchant) or, with `mode="certificate"`, platform
certificates listed by `GET /v3/certificates`, which a test can rotate as WeChat does:
publish a new certificate (`issue_certificate`), switch signing to it (`use`), and drop
the old one (`retire`). It issues `weixin://wxpay/bizpayurl?pr=…` code URLs,
answers queries and closes, and lets a test pay an order, which sends a signed,
encrypted callback to the order's notify_url; tests can also send duplicates,
forgeries, wrong amounts and old timestamps, and make it slow (`delay_s`). A refund that
succeeds (after `refund_processing` answers, or at once by `finish_refund`) sends the
refund callback (REFUND.SUCCESS, the same envelope and encryption) to the refund's
notify_url before anything else answers about it, unless `refund_notify` is off.

    python -m simulators.wechat_pay --folder var/wechat-sim --port 8790

writes the keys and a payments configuration for the central service, then serves.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import secrets
import string
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from fastapi import FastAPI, Request, Response
from fastapi.concurrency import run_in_threadpool

from central.payments.config import WeChatConfig
from central.payments.providers import wechat_crypto as wc
from simulators.serving import LocalServer

CST = timezone(timedelta(hours=8))


def _pem_private(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _pem_public(key: rsa.RSAPublicKey) -> bytes:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


@dataclass(frozen=True)
class SimCertificate:
    serial: str
    key: rsa.RSAPrivateKey
    pem: bytes
    effective: datetime
    expires: datetime


def _certificate(effective: datetime, expires: datetime) -> SimCertificate:
    """A platform certificate as WeChat issues them: RSA 2048, a 160-bit serial (its hex
    is the `Wechatpay-Serial`), 'Tenpay.com' subject. Self-signed here."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    number = secrets.randbits(159) | (1 << 158)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Tenpay.com"),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "Tenpay.com CA Center"),
            x509.NameAttribute(NameOID.COMMON_NAME, "Tenpay.com Root CA"),
        ]
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(number)
        .not_valid_before(effective)
        .not_valid_after(expires)
        .sign(key, hashes.SHA256())
    )
    pem = cert.public_bytes(serialization.Encoding.PEM)
    return SimCertificate(f"{number:040X}", key, pem, effective, expires)


@dataclass
class SimOrder:
    request: dict[str, Any]
    code_url: str
    state: str = "NOTPAY"
    transaction_id: str | None = None
    success_time: str | None = None
    paid_total: int | None = None


@dataclass
class WeChatSimulator:
    mchid: str = "1900000109"
    appid: str = "wxd678efh567hg6787"
    merchant_serial: str = field(default_factory=lambda: secrets.token_hex(20).upper())
    platform_serial: str = field(default_factory=lambda: "PUB_KEY_ID_" + secrets.token_hex(8))
    apiv3_key: bytes = field(
        default_factory=lambda: "".join(
            secrets.choice(string.ascii_letters + string.digits) for _ in range(32)
        ).encode()
    )
    delay_s: float = 0.0  # every answer waits this long (a provider that times out)
    url: str = ""
    mode: str = "public_key"  # or "certificate"
    # The certificate list is sealed with another key (a man in the middle, a mix-up).
    tamper_certificates: bool = False
    # Refunds answer PROCESSING to this many requests (the create included), then SUCCESS.
    refund_processing: int = 1
    refund_notify: bool = True  # call the refund's notify_url when it succeeds

    def __post_init__(self) -> None:
        self.merchant_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.platform_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.certificates: list[SimCertificate] = []
        self.certificate_requests = 0
        if self.mode == "certificate":
            self.use(self.issue_certificate().serial)
        self.orders: dict[str, SimOrder] = {}
        self.refunds: dict[str, dict[str, Any]] = {}
        """Refunds by out_refund_no: the request, the answer document, PROCESSING left."""
        self._due: list[str] = []  # refunds that succeeded and owe their callback
        self.undelivered: list[str] = []  # refund callbacks not acknowledged yet
        self.refused_requests: list[str] = []
        self.refund_notify_answers: list[int] = []  # HTTP status of each refund callback
        self.app = self._build()
        self._server = LocalServer(self.app, "WeChat Pay simulator")
        self.http = requests.Session()

    # ---------------------------------------------------------------- configuration
    def write_keys(self, folder: Path) -> tuple[Path, Path]:
        """The merchant private key and the platform public key as PEM files (0600)."""
        folder.mkdir(parents=True, exist_ok=True)
        merchant = folder / "apiclient_key.pem"
        platform = folder / "wechatpay_pub.pem"
        merchant.write_bytes(_pem_private(self.merchant_key))
        merchant.chmod(0o600)
        platform.write_bytes(self.platform_public_pem())
        return merchant, platform

    def config(self, notify_url: str | None = None, timeout_s: float = 5.0) -> WeChatConfig:
        """Public key mode pins the platform public key; certificate mode pins nothing
        and downloads the certificates, as a merchant that follows WeChat's rotation."""
        downloads = self.mode == "certificate"
        pinned = {} if downloads else {self.platform_serial: self.platform_public_pem()}
        return WeChatConfig(
            mchid=self.mchid,
            appid=self.appid,
            serial_no=self.merchant_serial,
            private_key_pem=_pem_private(self.merchant_key),
            platform_keys=pinned,
            apiv3_key=self.apiv3_key,
            base_url=self.url,
            notify_url=notify_url,
            timeout_s=timeout_s,
            download_certificates=downloads,
        )

    def write_config(self, folder: Path, **top: Any) -> Path:
        """The keys and a payments configuration for a central service (its
        `CENTRAL_PAYMENTS_CONFIG`) in `folder`; `top`: top-level settings to add
        (`public_url`, `refund_wait_s`, …)."""
        merchant, platform = self.write_keys(folder)
        (folder / "apiv3.key").write_bytes(self.apiv3_key)
        (folder / "apiv3.key").chmod(0o600)
        keys: dict[str, Any] = (
            {"download_certificates": True}
            if self.mode == "certificate"
            else {"platform_keys": {self.platform_serial: str(platform.resolve())}}
        )
        config = {
            "default_store": {
                "default_provider": "wechat",
                "wechat": {
                    "mchid": self.mchid, "appid": self.appid, "serial_no": self.merchant_serial,
                    "private_key_file": str(merchant.resolve()),
                    **keys,
                    "apiv3_key_file": str((folder / "apiv3.key").resolve()),
                    "base_url": self.url,
                },
            },
            **top,
        }  # fmt: skip
        path = folder / "payments.json"
        path.write_text(json.dumps(config, indent=2))
        return path

    def platform_public_pem(self) -> bytes:
        return _pem_public(self.platform_key.public_key())

    # ---------------------------------------------------------------- certificates
    def issue_certificate(
        self, effective: datetime | None = None, days: int = 5 * 365
    ) -> SimCertificate:
        """Publish a new platform certificate (WeChat does so ahead of a switch)."""
        start = effective or datetime.now(UTC) - timedelta(minutes=5)
        cert = _certificate(start, start + timedelta(days=days))
        self.certificates.append(cert)
        return cert

    def use(self, serial: str) -> None:
        """Sign answers and callbacks with this certificate from now on."""
        cert = next(c for c in self.certificates if c.serial == serial)
        self.platform_serial, self.platform_key = cert.serial, cert.key

    def retire(self, serial: str) -> None:
        self.certificates = [c for c in self.certificates if c.serial != serial]

    def certificate_list(self) -> dict[str, Any]:
        sealing = b"w" * 32 if self.tamper_certificates else self.apiv3_key
        data = []
        for cert in self.certificates:
            nonce = secrets.token_hex(6)
            data.append(
                {
                    "serial_no": cert.serial,
                    "effective_time": cert.effective.astimezone(CST).isoformat(),
                    "expire_time": cert.expires.astimezone(CST).isoformat(),
                    "encrypt_certificate": {
                        "algorithm": "AEAD_AES_256_GCM",
                        "nonce": nonce,
                        "associated_data": "certificate",
                        "ciphertext": wc.encrypt_resource(sealing, nonce, "certificate", cert.pem),
                    },
                }
            )
        return {"data": data}

    # ---------------------------------------------------------------- serving
    def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        self.url = self._server.start(host, port)
        return self.url

    def stop(self) -> None:
        self._server.stop()
        self.http.close()

    # ---------------------------------------------------------------- signing
    def sign_answer(self, body: bytes, timestamp: str | None = None) -> dict[str, str]:
        timestamp = timestamp or str(int(time.time()))
        nonce = secrets.token_hex(16).upper()
        signature = wc.rsa_sign(self.platform_key, wc.response_message(timestamp, nonce, body))
        return {
            "Wechatpay-Timestamp": timestamp,
            "Wechatpay-Nonce": nonce,
            "Wechatpay-Signature": signature,
            "Wechatpay-Serial": self.platform_serial,
            "Request-ID": str(uuid.uuid4()),
        }

    def _answer(self, status: int, doc: Any = None) -> Response:
        body = b"" if doc is None else json.dumps(doc, ensure_ascii=False).encode()
        return Response(
            body, status_code=status, media_type="application/json", headers=self.sign_answer(body)
        )

    def _check_request(self, request: Request, body: bytes) -> str | None:
        """None if the merchant signed this request; otherwise why not."""
        try:
            auth = wc.parse_authorization(request.headers.get("authorization", ""))
        except wc.WeChatCryptoError as exc:
            return str(exc)
        if auth.get("mchid") != self.mchid or auth.get("serial_no") != self.merchant_serial:
            return "unknown merchant or certificate serial"
        timestamp = auth.get("timestamp", "")
        if not timestamp.isdigit() or abs(int(timestamp) - time.time()) > 300:
            return "timestamp out of window"
        url = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        message = wc.request_message(
            request.method, url, timestamp, auth.get("nonce_str", ""), body
        )
        if not wc.rsa_verify(self.merchant_key.public_key(), message, auth.get("signature", "")):
            return "signature does not verify"
        return None

    # ---------------------------------------------------------------- the API
    def transaction(self, out_trade_no: str) -> dict[str, Any]:
        order = self.orders[out_trade_no]
        total = int(order.request["amount"]["total"])
        doc: dict[str, Any] = {
            "appid": self.appid,
            "mchid": self.mchid,
            "out_trade_no": out_trade_no,
            "trade_type": "NATIVE",
            "trade_state": order.state,
            "trade_state_desc": {"NOTPAY": "未支付", "SUCCESS": "支付成功", "CLOSED": "已关闭"}.get(
                order.state, order.state
            ),
            "bank_type": "OTHERS",
            "attach": "",
            "payer": {"openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"},
            "amount": {
                "total": total,
                "payer_total": order.paid_total if order.paid_total is not None else total,
                "currency": order.request["amount"].get("currency", "CNY"),
                "payer_currency": "CNY",
            },
        }
        if order.state == "SUCCESS":
            doc["transaction_id"] = order.transaction_id
            doc["success_time"] = order.success_time
        return doc

    def _build(self) -> FastAPI:
        app = FastAPI()

        async def guard(request: Request) -> tuple[bytes, Response | None]:
            body = await request.body()
            if self.delay_s:
                await asyncio.sleep(self.delay_s)
            why = self._check_request(request, body)
            if why is not None:
                self.refused_requests.append(why)
                return body, self._answer(401, {"code": "SIGN_ERROR", "message": why})
            return body, None

        @app.post("/v3/pay/transactions/native")
        async def native(request: Request) -> Response:
            body, refused = await guard(request)
            if refused is not None:
                return refused
            doc = json.loads(body)
            required = ("appid", "mchid", "description", "out_trade_no", "notify_url", "amount")
            missing = [k for k in required if k not in doc]
            if missing or doc["mchid"] != self.mchid or doc["appid"] != self.appid:
                return self._answer(400, {"code": "PARAM_ERROR", "message": f"bad {missing}"})
            otn = str(doc["out_trade_no"])
            if not 6 <= len(otn) <= 32:
                return self._answer(400, {"code": "PARAM_ERROR", "message": "out_trade_no"})
            existing = self.orders.get(otn)
            if existing is not None:
                if existing.state == "SUCCESS":
                    return self._answer(400, {"code": "ORDERPAID", "message": "该订单已支付"})
                if existing.request != doc:
                    return self._answer(
                        400, {"code": "INVALID_REQUEST", "message": "201 商户订单号重复"}
                    )
                return self._answer(200, {"code_url": existing.code_url})
            code_url = f"weixin://wxpay/bizpayurl?pr={secrets.token_urlsafe(6)}"
            self.orders[otn] = SimOrder(doc, code_url)
            return self._answer(200, {"code_url": code_url})

        @app.get("/v3/pay/transactions/out-trade-no/{otn}")
        async def query(otn: str, request: Request) -> Response:
            _, refused = await guard(request)
            if refused is not None:
                return refused
            if request.query_params.get("mchid") != self.mchid:
                return self._answer(400, {"code": "PARAM_ERROR", "message": "mchid"})
            if otn not in self.orders:
                return self._answer(404, {"code": "ORDER_NOT_EXIST", "message": "订单不存在"})
            return self._answer(200, self.transaction(otn))

        @app.post("/v3/pay/transactions/out-trade-no/{otn}/close")
        async def close(otn: str, request: Request) -> Response:
            _, refused = await guard(request)
            if refused is not None:
                return refused
            order = self.orders.get(otn)
            if order is None:
                return self._answer(404, {"code": "ORDER_NOT_EXIST", "message": "订单不存在"})
            if order.state == "SUCCESS":
                return self._answer(400, {"code": "ORDERPAID", "message": "该订单已支付"})
            order.state = "CLOSED"
            return self._answer(204)

        @app.post("/v3/refund/domestic/refunds")
        async def refund(request: Request) -> Response:
            body, refused = await guard(request)
            if refused is not None:
                return refused
            answer = self._refund(json.loads(body))
            await self._notify_due()
            return answer

        @app.get("/v3/refund/domestic/refunds/{out_refund_no}")
        async def refund_query(out_refund_no: str, request: Request) -> Response:
            _, refused = await guard(request)
            if refused is not None:
                return refused
            if out_refund_no not in self.refunds:
                return self._answer(404, {"code": "RESOURCE_NOT_EXISTS", "message": "退款单不存在"})
            doc = self._refund_step(out_refund_no)
            await self._notify_due()
            return self._answer(200, doc)

        @app.get("/v3/certificates")
        async def certificates(request: Request) -> Response:
            _, refused = await guard(request)
            if refused is not None:
                return refused
            self.certificate_requests += 1
            return self._answer(200, self.certificate_list())

        @app.post("/sim/pay/{otn}")
        async def sim_pay(otn: str) -> dict[str, Any]:
            """Not WeChat: the demo's stand-in for a shopper paying with their phone."""
            if otn not in self.orders or self.orders[otn].state != "NOTPAY":
                return {"paid": False}
            answer = await run_in_threadpool(self.pay, otn)
            return {"paid": True, "notify_status": answer.status_code if answer else None}

        return app

    # ---------------------------------------------------------------- refunds
    def _refund(self, doc: dict[str, Any]) -> Response:
        """`POST /v3/refund/domestic/refunds`: idempotent by out_refund_no; never more
        than the order's payer paid, over all its refunds."""
        out_refund_no = str(doc.get("out_refund_no", ""))
        amount = doc.get("amount") or {}
        order = self.orders.get(str(doc.get("out_trade_no", "")))
        if not 1 <= len(out_refund_no) <= 64 or not {"refund", "total"} <= set(amount):
            return self._answer(400, {"code": "PARAM_ERROR", "message": "out_refund_no / amount"})
        existing = self.refunds.get(out_refund_no)
        if existing is not None:
            if existing["request"] != doc:
                return self._answer(400, {"code": "INVALID_REQUEST", "message": "退款单号重复"})
            return self._answer(200, self._refund_step(out_refund_no))
        if order is None or order.state != "SUCCESS":
            return self._answer(404, {"code": "RESOURCE_NOT_EXISTS", "message": "订单不存在"})
        total = int(order.request["amount"]["total"])
        if int(amount["total"]) != total:
            return self._answer(400, {"code": "PARAM_ERROR", "message": "订单金额不一致"})
        refunded = sum(
            int(r["doc"]["amount"]["refund"])
            for r in self.refunds.values()
            if r["doc"]["out_trade_no"] == doc["out_trade_no"] and r["doc"]["status"] != "ABNORMAL"
        )
        if refunded + int(amount["refund"]) > total:
            return self._answer(403, {"code": "NOT_ENOUGH", "message": "可退金额不足"})
        answer = {
            "refund_id": "50300" + secrets.token_hex(12)[:24],
            "out_refund_no": out_refund_no,
            "transaction_id": order.transaction_id,
            "out_trade_no": doc["out_trade_no"],
            "channel": "ORIGINAL",
            "user_received_account": "支付用户零钱",
            "create_time": datetime.now(CST).isoformat(timespec="seconds"),
            "status": "PROCESSING",
            "funds_account": "AVAILABLE",
            "amount": {
                "total": total, "refund": int(amount["refund"]), "payer_total": total,
                "payer_refund": int(amount["refund"]), "settlement_refund": int(amount["refund"]),
                "settlement_total": total, "discount_refund": 0,
                "currency": amount.get("currency", "CNY"), "refund_fee": 0,
            },
        }  # fmt: skip
        self.refunds[out_refund_no] = {
            "request": doc,
            "doc": answer,
            "left": self.refund_processing,
        }
        return self._answer(200, self._refund_step(out_refund_no))

    def _refund_step(self, out_refund_no: str) -> dict[str, Any]:
        """Each answer about a refund uses up one PROCESSING; then it has succeeded."""
        refund = self.refunds[out_refund_no]
        if refund["left"] > 0:
            refund["left"] -= 1
        elif refund["doc"]["status"] == "PROCESSING":
            self._succeed(out_refund_no)
            self._due.append(out_refund_no)
        return dict(refund["doc"])

    def _succeed(self, out_refund_no: str) -> None:
        refund = self.refunds[out_refund_no]
        refund["doc"]["status"] = "SUCCESS"
        refund["doc"]["success_time"] = datetime.now(CST).isoformat(timespec="seconds")

    async def _notify_due(self) -> None:
        """Refund callbacks owed, sent before the answer that reveals the success (so a
        test sees the callback and the query race in a known order)."""
        while self._due:
            out_refund_no = self._due.pop()
            if self.refund_notify:
                await run_in_threadpool(self.send_refund, out_refund_no)

    def finish_refund(self, out_refund_no: str) -> None:
        """The refund reaches the shopper now (whatever PROCESSING was left): WeChat
        calls the merchant back."""
        self._succeed(out_refund_no)
        if self.refund_notify:
            self.send_refund(out_refund_no)

    def refund_notification(
        self,
        out_refund_no: str,
        *,
        refund: int | None = None,
        apiv3_key: bytes | None = None,
    ) -> tuple[dict[str, str], bytes]:
        """The signed, encrypted REFUND.* callback of a refund (optionally wrong)."""
        doc = self.refunds[out_refund_no]["doc"]
        status = str(doc["status"])
        resource = {
            "mchid": self.mchid,
            "out_trade_no": doc["out_trade_no"],
            "transaction_id": doc["transaction_id"],
            "out_refund_no": out_refund_no,
            "refund_id": doc["refund_id"],
            "refund_status": status,
            "success_time": doc.get("success_time"),
            "user_received_account": doc["user_received_account"],
            "amount": {
                "total": doc["amount"]["total"],
                "refund": doc["amount"]["refund"] if refund is None else refund,
                "payer_total": doc["amount"]["payer_total"],
                "payer_refund": doc["amount"]["payer_refund"],
            },
        }
        return self._callback(
            resource, "refund", f"REFUND.{status}", "退款成功", apiv3_key=apiv3_key
        )

    def send_refund(
        self, out_refund_no: str, headers: dict[str, str] | None = None, body: bytes | None = None
    ) -> requests.Response | None:
        if headers is None or body is None:
            headers, body = self.refund_notification(out_refund_no)
        url = self.refunds[out_refund_no]["request"]["notify_url"]
        try:
            answer = self.http.post(url, data=body, headers=headers, timeout=10)
        except requests.RequestException:
            # WeChat keeps a callback nobody acknowledged and sends it again later.
            self.refund_notify_answers.append(0)
            self.undelivered.append(out_refund_no)
            return None
        self.refund_notify_answers.append(answer.status_code)
        if answer.status_code != 200:
            self.undelivered.append(out_refund_no)
        return answer

    def redeliver(self) -> list[int]:
        """WeChat's retry of refund callbacks not acknowledged yet (freshly signed, as
        each retry is); the HTTP status of each (0: not reached)."""
        due, self.undelivered = self.undelivered, []
        return [a.status_code if a is not None else 0 for a in map(self.send_refund, due)]

    # ---------------------------------------------------------------- the shopper
    def pay(
        self, out_trade_no: str, *, notify: bool = True, paid_total: int | None = None
    ) -> requests.Response | None:
        """The shopper scans and pays; WeChat then calls the merchant back."""
        order = self.orders[out_trade_no]
        if order.state != "NOTPAY":
            raise RuntimeError(f"order {out_trade_no} is {order.state}")
        order.state = "SUCCESS"
        order.transaction_id = "42000" + secrets.token_hex(12)[:23]
        order.success_time = datetime.now(CST).isoformat(timespec="seconds")
        order.paid_total = paid_total
        if not notify:
            return None
        headers, body = self.notification(out_trade_no)
        return self.send(out_trade_no, headers, body)

    def notification(
        self,
        out_trade_no: str,
        *,
        total: int | None = None,
        currency: str | None = None,
        timestamp: str | None = None,
        event_type: str = "TRANSACTION.SUCCESS",
        signer: rsa.RSAPrivateKey | None = None,
        apiv3_key: bytes | None = None,
    ) -> tuple[dict[str, str], bytes]:
        """A signed, encrypted callback for an order (optionally wrong on purpose)."""
        tx = self.transaction(out_trade_no)
        if total is not None:
            tx["amount"]["total"] = total
        if currency is not None:
            tx["amount"]["currency"] = currency
        return self._callback(
            tx, "transaction", event_type, "支付成功", timestamp, signer, apiv3_key
        )

    def _callback(
        self,
        resource: dict[str, Any],
        original_type: str,
        event_type: str,
        summary: str,
        timestamp: str | None = None,
        signer: rsa.RSAPrivateKey | None = None,
        apiv3_key: bytes | None = None,
    ) -> tuple[dict[str, str], bytes]:
        """WeChat's callback envelope: the resource AEAD_AES_256_GCM-encrypted with the
        APIv3 key, the body signed with the platform key."""
        nonce = secrets.token_hex(6)
        ciphertext = wc.encrypt_resource(
            apiv3_key or self.apiv3_key, nonce, original_type, json.dumps(resource).encode()
        )
        body = json.dumps(
            {
                "id": str(uuid.uuid4()),
                "create_time": datetime.now(CST).isoformat(timespec="seconds"),
                "resource_type": "encrypt-resource",
                "event_type": event_type,
                "summary": summary,
                "resource": {
                    "original_type": original_type,
                    "algorithm": "AEAD_AES_256_GCM",
                    "ciphertext": ciphertext,
                    "associated_data": original_type,
                    "nonce": nonce,
                },
            },
            ensure_ascii=False,
        ).encode()
        headers = self.sign_answer(body, timestamp)
        if signer is not None:
            message = wc.response_message(
                headers["Wechatpay-Timestamp"], headers["Wechatpay-Nonce"], body
            )
            headers["Wechatpay-Signature"] = wc.rsa_sign(signer, message)
        headers["Content-Type"] = "application/json"
        return headers, body

    def send(self, out_trade_no: str, headers: dict[str, str], body: bytes) -> requests.Response:
        url = self.orders[out_trade_no].request["notify_url"]
        return self.http.post(url, data=body, headers=headers, timeout=10)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=Path("var/wechat-sim"))
    parser.add_argument("--port", type=int, default=8790)
    parser.add_argument(
        "--certificates",
        action="store_true",
        help="platform certificates to download (default: a platform public key to pin)",
    )
    args = parser.parse_args(argv)
    sim = WeChatSimulator(mode="certificate" if args.certificates else "public_key")
    sim.start(port=args.port)
    path = sim.write_config(args.folder)
    print(f"WeChat Pay simulator on {sim.url}; CENTRAL_PAYMENTS_CONFIG={path.resolve()}")
    print("pay an order as a shopper would: curl -X POST {url}/sim/pay/{out_trade_no}")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        sim.stop()


if __name__ == "__main__":
    main()


__all__ = ["WeChatSimulator"]
