"""Local simulators of WeChat Pay micropay (API v2) and Alipay `alipay.trade.pay`, for
tests, benchmarks and demos. Not WeChat, not Alipay.

Each speaks its provider's protocol with keys of its own: WeChat's v2 API key (HMAC-SHA256
`sign` on every request and answer, XML bodies: `/pay/micropay`, `/pay/orderquery`,
`/secapi/pay/reverse`, `/secapi/pay/refund`, `/pay/refundquery`), and for Alipay an app
key pair (the simulator holds the public half to check request signatures) and an
"Alipay" key pair that signs every answer (`/gateway.do`: `alipay.trade.pay`, `.query`,
`.cancel`, `.refund`, `.fastpay.refund.query`). A payment code works once.

Refunds, as the providers make them: once per out_refund_no / out_request_no (the same
request again answers the same refund, Alipay with `fund_change=N`; another amount under
that number is refused), never more than the order's total over all its refunds. WeChat's
refundquery answers PROCESSING `refund_processing` times per refund first;
`refund_errors` refund calls make the refund but answer a system error (the caller must
ask the query).

What the shopper does is told by the code's last two digits, so a demo or a test
picks a story by the code it shows:

    00 (and anything not below)  paid at once
    01  the shopper confirms on the phone after `user_paying_s`, then paid
    02  the shopper cancels on the phone after `user_paying_s`
    03  insufficient funds           04  code expired          05  code invalid
    06  system error, but the money was taken (a query finds it paid)
    07  the answer comes after `slow_s` (the caller times out); the money was taken
    08  the shopper never confirms (the charge stays "user paying" until reversed)

`user_paying_s_all` makes every paying code wait that long first (benchmarks).

    python -m simulators.payment_codes --folder var/codes-sim --port 8791

writes the keys and a payments configuration for the central service, then serves.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import secrets
import string
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI, Request, Response

from central.payments.config import AlipayConfig, WeChatCodeConfig
from central.payments.providers import alipay as ali
from central.payments.providers import wechat_crypto as rsa2
from central.payments.providers import wechat_micropay as wx
from kiosk.domain.money import Money
from kiosk.domain.payment_code import Wallet, parse_payment_code
from simulators.serving import LocalServer
from simulators.wechat_pay import _pem_private, _pem_public

CST = timezone(timedelta(hours=8))
SAMPLE_WECHAT_CODE = "134567890123456701"  # the shopper confirms on the phone
SAMPLE_ALIPAY_CODE = "2876344382566439400"
STORIES = {
    "01": "user_paying",
    "02": "user_cancels",
    "03": "insufficient_funds",
    "04": "code_expired",
    "05": "code_invalid",
    "06": "system_error",
    "07": "timeout",
    "08": "never_confirms",
}


@dataclass
class CodeOrder:
    wallet: Wallet
    out_trade_no: str
    total: int
    currency: str
    auth_code: str
    story: str
    state: str = "USERPAYING"  # SUCCESS | USERPAYING | PAYERROR | REVOKED
    confirm_at: float | None = None
    transaction_id: str = ""
    paid_at: datetime | None = None
    refunded: bool = False


@dataclass
class CodeRefund:
    out_trade_no: str
    amount: int
    refund_id: str
    queries: int = 0


@dataclass
class CodeSimulator:
    """Both providers on one local HTTP server (see the module docstring)."""

    mchid: str = "1900000109"
    appid: str = "wxd678efh567hg6787"
    alipay_app_id: str = "2021000000000001"
    api_key: bytes = field(
        default_factory=lambda: "".join(
            secrets.choice(string.ascii_letters + string.digits) for _ in range(32)
        ).encode()
    )
    user_paying_s: float = 2.0
    user_paying_s_all: float = 0.0
    slow_s: float = 3.0
    taken_total: int | None = None  # a provider that reports another amount (tests)
    drop_time: bool = False  # a paid answer without its payment time (tests)
    refund_processing: int = 0
    refund_errors: int = 0
    url: str = ""

    def __post_init__(self) -> None:
        self.app_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.alipay_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.orders: dict[str, CodeOrder] = {}
        self.used_codes: set[str] = set()
        self.charges: dict[str, int] = {}  # out_trade_no -> times money was taken
        self.refunds: dict[str, CodeRefund] = {}  # out_refund_no / out_request_no
        self.refused_requests: list[str] = []
        self.calls: list[str] = []
        self._lock = threading.Lock()
        self.app = self._build()
        self._server = LocalServer(self.app, "payment-code simulator")

    # ---------------------------------------------------------------- configuration
    def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        self.url = self._server.start(host, port)
        return self.url

    def stop(self) -> None:
        self._server.stop()

    def wechat_config(self, timeout_s: float = 10.0) -> WeChatCodeConfig:
        return WeChatCodeConfig(self.mchid, self.appid, self.api_key, self.url, timeout_s)

    def alipay_config(self, timeout_s: float = 10.0) -> AlipayConfig:
        return AlipayConfig(
            app_id=self.alipay_app_id,
            private_key_pem=_pem_private(self.app_key),
            alipay_public_key_pem=_pem_public(self.alipay_key.public_key()),
            gateway=self.url + "/gateway.do",
            timeout_s=timeout_s,
        )

    def money_taken(self, out_trade_no: str) -> int:
        """Times money left the shopper for this order, minus refunds (0 or 1 if correct)."""
        order = self.orders.get(out_trade_no)
        return self.charges.get(out_trade_no, 0) - (1 if order and order.refunded else 0)

    def refunded(self, out_trade_no: str) -> int:
        """Minor units given back on this order by refunds (reversals aside)."""
        return sum(r.amount for r in self.refunds.values() if r.out_trade_no == out_trade_no)

    def _refund(self, otn: str, number: str, amount: int) -> str:
        """`made`, `repeat` (this number refunded before, same request), or why not:
        `no_order`, `not_paid`, `mismatch`, `over`."""
        with self._lock:
            order = self.orders.get(otn)
            if order is None:
                return "no_order"
            self._settle(order)
            existing = self.refunds.get(number)
            if existing is not None:
                same = (existing.out_trade_no, existing.amount) == (otn, amount)
                return "repeat" if same else "mismatch"
            if order.state != "SUCCESS":
                return "not_paid"
            if amount <= 0 or self.refunded(otn) + amount > order.total:
                return "over"
            prefix = "50300" if order.wallet is Wallet.WECHAT else ""
            self.refunds[number] = CodeRefund(otn, amount, prefix + secrets.token_hex(12)[:23])
            return "made"

    def _refund_error(self) -> bool:
        """Whether this refund call answers a system error (after making the refund)."""
        with self._lock:
            if self.refund_errors <= 0:
                return False
            self.refund_errors -= 1
            return True

    # ---------------------------------------------------------------- the shopper
    def _story(self, code: str) -> str:
        return STORIES.get(code[-2:], "paid")

    def _settle(self, order: CodeOrder) -> None:
        """The shopper's phone: a pending confirmation resolves when its time comes."""
        if order.state != "USERPAYING" or order.confirm_at is None:
            return
        if time.monotonic() < order.confirm_at:
            return
        if order.story == "user_cancels":
            order.state = "PAYERROR"
        else:
            self._take(order)

    def _take(self, order: CodeOrder) -> None:
        order.state = "SUCCESS"
        order.transaction_id = (
            "42000" + secrets.token_hex(12)[:23]
            if order.wallet is Wallet.WECHAT
            else datetime.now(CST).strftime("%Y%m%d") + "22001" + secrets.token_hex(8)[:14]
        )
        order.paid_at = datetime.now(CST).replace(microsecond=0)
        self.charges[order.out_trade_no] = self.charges.get(order.out_trade_no, 0) + 1

    def _charge(self, wallet: Wallet, otn: str, total: int, currency: str, code: str) -> str:
        """What happens when the code is charged; returns the story's immediate answer:
        `paid`, `paying`, `system_error`, `timeout` or a failure name."""
        with self._lock:
            existing = self.orders.get(otn)
            if existing is not None:
                self._settle(existing)
                return {"SUCCESS": "order_paid", "USERPAYING": "paying"}.get(
                    existing.state, "order_closed"
                )
            story = self._story(code)
            if parse_payment_code(code) is None or code in self.used_codes:
                return "code_invalid"
            if story in ("insufficient_funds", "code_expired", "code_invalid"):
                return story
            self.used_codes.add(code)
            order = CodeOrder(wallet, otn, self.taken_total or total, currency, code, story)
            self.orders[otn] = order
            waits = self.user_paying_s_all or (
                self.user_paying_s if story in ("user_paying", "user_cancels") else 0
            )
            if story == "never_confirms":
                return "paying"
            if waits:
                order.confirm_at = time.monotonic() + waits
                return "paying"
            self._take(order)
            return story if story in ("system_error", "timeout") else "paid"

    def _reverse(self, otn: str) -> bool:
        with self._lock:
            order = self.orders.get(otn)
            if order is None:
                return True
            self._settle(order)
            if order.state == "SUCCESS":
                order.refunded = True
            order.state = "REVOKED"
            return True

    # ---------------------------------------------------------------- WeChat (v2)
    def _wx_answer(self, params: dict[str, str]) -> Response:
        doc = {
            "return_code": "SUCCESS",
            "return_msg": "OK",
            "appid": self.appid,
            "mch_id": self.mchid,
            "nonce_str": secrets.token_hex(8),
            **params,
        }
        doc["sign"] = wx.sign(doc, self.api_key)
        return Response(wx.to_xml(doc), media_type="text/xml")

    def _wx_request(self, body: bytes) -> dict[str, str] | Response:
        try:
            doc = wx.from_xml(body)
        except ValueError:
            return Response(
                wx.to_xml({"return_code": "FAIL", "return_msg": "XML"}), media_type="text/xml"
            )
        if doc.get("sign") != wx.sign(doc, self.api_key) or doc.get("mch_id") != self.mchid:
            self.refused_requests.append("wechat sign")
            return Response(
                wx.to_xml({"return_code": "FAIL", "return_msg": "签名错误"}), media_type="text/xml"
            )
        return doc

    def _wx_order(self, order: CodeOrder) -> dict[str, str]:
        out = {
            "result_code": "SUCCESS",
            "out_trade_no": order.out_trade_no,
            "trade_state": order.state,
            "trade_state_desc": {
                "SUCCESS": "支付成功",
                "USERPAYING": "需要用户输入支付密码",
                "PAYERROR": "用户取消支付",
                "REVOKED": "已撤销",
            }[order.state],
            "total_fee": str(order.total),
            "fee_type": order.currency,
            "trade_type": "MICROPAY",
        }
        if order.state == "SUCCESS":
            paid_at = order.paid_at.strftime("%Y%m%d%H%M%S") if order.paid_at else ""
            out.update(
                transaction_id=order.transaction_id,
                time_end="" if self.drop_time else paid_at,
                openid="oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
                bank_type="OTHERS",
                cash_fee=str(order.total),
            )
        return out

    # ---------------------------------------------------------------- Alipay
    def _ali_answer(self, method: str, node: dict[str, Any]) -> Response:
        raw = json.dumps(node, ensure_ascii=False, separators=(",", ":"))
        signature = rsa2.rsa_sign(self.alipay_key, raw.encode())
        key = method.replace(".", "_") + "_response"
        body = f'{{"{key}":{raw},"sign":"{signature}"}}'
        return Response(body.encode(), media_type="application/json;charset=utf-8")

    def _ali_order(self, order: CodeOrder) -> dict[str, Any]:
        status = {
            "SUCCESS": "TRADE_SUCCESS",
            "USERPAYING": "WAIT_BUYER_PAY",
            "PAYERROR": "TRADE_CLOSED",
            "REVOKED": "TRADE_CLOSED",
        }[order.state]
        node: dict[str, Any] = {
            "code": "10000",
            "msg": "Success",
            "out_trade_no": order.out_trade_no,
            "trade_status": status,
            "total_amount": Money(order.total, order.currency).plain(),
            "buyer_logon_id": "159****5620",
        }
        if order.state == "SUCCESS" and order.paid_at:
            node.update(
                trade_no=order.transaction_id,
                send_pay_date=order.paid_at.strftime("%Y-%m-%d %H:%M:%S"),
            )
        return node

    # ---------------------------------------------------------------- HTTP
    def _build(self) -> FastAPI:
        app = FastAPI()
        fails_wx = {
            "insufficient_funds": ("NOTENOUGH", "余额不足"),
            "code_expired": ("AUTHCODEEXPIRE", "二维码已过期，请用户在微信上刷新后再试"),
            "code_invalid": ("AUTH_CODE_INVALID", "付款码无效"),
            "order_closed": ("ORDERREVERSED", "订单已撤销"),
        }
        fails_wx_refund = {
            "no_order": ("ORDERNOTEXIST", "订单不存在"),
            "not_paid": ("TRADE_STATE_ERROR", "订单状态错误"),
            "mismatch": ("INVALID_REQUEST", "参数错误：订单金额或退款金额与之前请求不一致"),
            "over": ("ERROR", "申请退款金额超过订单可退金额"),
        }
        fails_ali_refund = {
            "no_order": "ACQ.TRADE_NOT_EXIST",
            "not_paid": "ACQ.TRADE_STATUS_ERROR",
            "mismatch": "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL",
            "over": "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL",
        }
        fails_ali = {
            "insufficient_funds": "ACQ.BUYER_BALANCE_NOT_ENOUGH",
            "code_expired": "ACQ.AUTH_CODE_EXPIRED",
            "code_invalid": "ACQ.PAYMENT_AUTH_CODE_INVALID",
            "order_closed": "ACQ.TRADE_HAS_CLOSE",
        }

        @app.post("/pay/micropay")
        async def micropay(request: Request) -> Response:
            doc = self._wx_request(await request.body())
            if isinstance(doc, Response):
                return doc
            self.calls.append("micropay")
            otn = doc.get("out_trade_no", "")
            outcome = self._charge(
                Wallet.WECHAT,
                otn,
                int(doc.get("total_fee", "0")),
                doc.get("fee_type") or "CNY",
                doc.get("auth_code", ""),
            )
            if outcome == "timeout":
                await asyncio.sleep(self.slow_s)
            if outcome in ("paid", "timeout", "order_paid"):
                if outcome == "order_paid":
                    return self._wx_answer(
                        {
                            "result_code": "FAIL",
                            "err_code": "ORDERPAID",
                            "err_code_des": "订单已支付",
                        }
                    )
                return self._wx_answer(self._wx_order(self.orders[otn]))
            if outcome == "paying":
                return self._wx_answer(
                    {
                        "result_code": "FAIL",
                        "err_code": "USERPAYING",
                        "err_code_des": "需要用户输入支付密码",
                    }
                )
            if outcome == "system_error":
                return self._wx_answer(
                    {"result_code": "FAIL", "err_code": "SYSTEMERROR", "err_code_des": "系统超时"}
                )
            err, des = fails_wx[outcome]
            return self._wx_answer({"result_code": "FAIL", "err_code": err, "err_code_des": des})

        @app.post("/pay/orderquery")
        async def orderquery(request: Request) -> Response:
            doc = self._wx_request(await request.body())
            if isinstance(doc, Response):
                return doc
            self.calls.append("orderquery")
            with self._lock:
                order = self.orders.get(doc.get("out_trade_no", ""))
                if order is None:
                    return self._wx_answer(
                        {
                            "result_code": "FAIL",
                            "err_code": "ORDERNOTEXIST",
                            "err_code_des": "此交易订单号不存在",
                        }
                    )
                self._settle(order)
                return self._wx_answer(self._wx_order(order))

        @app.post("/secapi/pay/reverse")
        async def reverse(request: Request) -> Response:
            doc = self._wx_request(await request.body())
            if isinstance(doc, Response):
                return doc
            self.calls.append("reverse")
            self._reverse(doc.get("out_trade_no", ""))
            return self._wx_answer({"result_code": "SUCCESS", "recall": "N"})

        @app.post("/secapi/pay/refund")
        async def refund(request: Request) -> Response:
            doc = self._wx_request(await request.body())
            if isinstance(doc, Response):
                return doc
            self.calls.append("refund")
            otn, number = doc.get("out_trade_no", ""), doc.get("out_refund_no", "")
            order = self.orders.get(otn)
            if order is not None and doc.get("total_fee") != str(order.total):
                outcome = "mismatch"
            else:
                outcome = self._refund(otn, number, int(doc.get("refund_fee") or 0))
            if outcome in ("made", "repeat"):
                if self._refund_error():
                    return self._wx_answer(
                        {
                            "result_code": "FAIL",
                            "err_code": "SYSTEMERROR",
                            "err_code_des": "系统超时",
                        }
                    )
                made = self.refunds[number]
                return self._wx_answer(
                    {
                        "result_code": "SUCCESS",
                        "out_trade_no": otn,
                        "out_refund_no": number,
                        "refund_id": made.refund_id,
                        "refund_fee": str(made.amount),
                        "total_fee": doc.get("total_fee", ""),
                    }
                )
            err, des = fails_wx_refund[outcome]
            return self._wx_answer({"result_code": "FAIL", "err_code": err, "err_code_des": des})

        @app.post("/pay/refundquery")
        async def refundquery(request: Request) -> Response:
            doc = self._wx_request(await request.body())
            if isinstance(doc, Response):
                return doc
            self.calls.append("refundquery")
            with self._lock:
                made = self.refunds.get(doc.get("out_refund_no", ""))
                if made is None:
                    return self._wx_answer(
                        {
                            "result_code": "FAIL",
                            "err_code": "REFUNDNOTEXIST",
                            "err_code_des": "退款订单查询失败",
                        }
                    )
                made.queries += 1
                processing = made.queries <= self.refund_processing
                return self._wx_answer(
                    {
                        "result_code": "SUCCESS",
                        "out_trade_no": made.out_trade_no,
                        "refund_count": "1",
                        "out_refund_no_0": doc.get("out_refund_no", ""),
                        "refund_id_0": made.refund_id,
                        "refund_fee_0": str(made.amount),
                        "refund_status_0": "PROCESSING" if processing else "SUCCESS",
                    }
                )

        @app.post("/gateway.do")
        async def gateway(request: Request) -> Response:
            form = {k: v[0] for k, v in parse_qs((await request.body()).decode()).items()}
            method = form.get("method", "")
            ok = rsa2.rsa_verify(
                self.app_key.public_key(), ali.signing_text(form), form.get("sign", "")
            )
            if not ok or form.get("app_id") != self.alipay_app_id:
                self.refused_requests.append("alipay sign")
                return self._ali_answer(
                    method,
                    {
                        "code": "40002",
                        "msg": "Invalid Arguments",
                        "sub_code": "isv.invalid-signature",
                    },
                )
            biz = json.loads(form.get("biz_content", "{}"))
            otn = str(biz.get("out_trade_no", ""))
            self.calls.append(method)
            if method == "alipay.trade.pay":
                total = Money.parse(str(biz["total_amount"]), "CNY").minor
                outcome = self._charge(Wallet.ALIPAY, otn, total, "CNY", str(biz["auth_code"]))
                if outcome == "timeout":
                    await asyncio.sleep(self.slow_s)
                if outcome in ("paid", "timeout"):
                    node = self._ali_order(self.orders[otn])
                    node.pop("trade_status")
                    node["gmt_payment"] = node.pop("send_pay_date")
                    return self._ali_answer(method, node)
                if outcome in ("paying", "order_paid"):
                    return self._ali_answer(
                        method, {"code": "10003", "msg": "WAIT_BUYER_PAY", "out_trade_no": otn}
                    )
                if outcome == "system_error":
                    return self._ali_answer(
                        method,
                        {
                            "code": "20000",
                            "msg": "Service Currently Unavailable",
                            "sub_code": "isp.unknow-error",
                        },
                    )
                return self._ali_answer(
                    method,
                    {"code": "40004", "msg": "Business Failed", "sub_code": fails_ali[outcome]},
                )
            if method == "alipay.trade.query":
                with self._lock:
                    order = self.orders.get(otn)
                    if order is None:
                        return self._ali_answer(
                            method,
                            {
                                "code": "40004",
                                "msg": "Business Failed",
                                "sub_code": "ACQ.TRADE_NOT_EXIST",
                            },
                        )
                    self._settle(order)
                    return self._ali_answer(method, self._ali_order(order))
            if method == "alipay.trade.cancel":
                order = self.orders.get(otn)
                refund = order is not None and order.state == "SUCCESS"
                self._reverse(otn)
                return self._ali_answer(
                    method,
                    {
                        "code": "10000",
                        "msg": "Success",
                        "out_trade_no": otn,
                        "retry_flag": "N",
                        "action": "refund" if refund else "close",
                    },
                )
            if method == "alipay.trade.refund":
                number = str(biz.get("out_request_no") or otn)
                amount = Money.parse(str(biz["refund_amount"]), "CNY").minor
                outcome = self._refund(otn, number, amount)
                if outcome in ("made", "repeat"):
                    if self._refund_error():
                        return self._ali_answer(
                            method,
                            {"code": "20000", "msg": "Service Currently Unavailable",
                             "sub_code": "isp.unknow-error"},
                        )  # fmt: skip
                    order = self.orders[otn]
                    return self._ali_answer(
                        method,
                        {
                            "code": "10000",
                            "msg": "Success",
                            "out_trade_no": otn,
                            "trade_no": order.transaction_id,
                            "buyer_logon_id": "159****5620",
                            # Alipay: a repeat of a refund already made moves no money.
                            "fund_change": "Y" if outcome == "made" else "N",
                            "refund_fee": Money(self.refunded(otn), order.currency).plain(),
                        },
                    )
                return self._ali_answer(
                    method,
                    {
                        "code": "40004",
                        "msg": "Business Failed",
                        "sub_code": fails_ali_refund[outcome],
                    },
                )
            if method == "alipay.trade.fastpay.refund.query":
                number = str(biz.get("out_request_no") or otn)
                with self._lock:
                    made = self.refunds.get(number)
                    node = {"code": "10000", "msg": "Success", "out_trade_no": otn}
                    if made is not None and made.out_trade_no == otn:
                        order = self.orders[otn]
                        node.update(
                            out_request_no=number,
                            trade_no=order.transaction_id,
                            total_amount=Money(order.total, order.currency).plain(),
                            refund_amount=Money(made.amount, order.currency).plain(),
                            refund_status="REFUND_SUCCESS",
                        )
                    return self._ali_answer(method, node)
            return self._ali_answer(method, {"code": "40004", "sub_code": "isv.invalid-method"})

        return app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=Path("var/codes-sim"))
    parser.add_argument("--port", type=int, default=8791)
    args = parser.parse_args(argv)
    sim = CodeSimulator()
    sim.start(port=args.port)
    folder: Path = args.folder
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in (("api.key", sim.api_key), ("alipay_app_key.pem", _pem_private(sim.app_key))):
        (folder / name).write_bytes(data)
        (folder / name).chmod(0o600)
    (folder / "alipay_public.pem").write_bytes(_pem_public(sim.alipay_key.public_key()))
    config = {
        "default_store": {
            "wechat_code": {
                "mchid": sim.mchid,
                "appid": sim.appid,
                "base_url": sim.url,
                "api_key_file": str((folder / "api.key").resolve()),
            },
            "alipay": {
                "app_id": sim.alipay_app_id,
                "gateway": sim.url + "/gateway.do",
                "private_key_file": str((folder / "alipay_app_key.pem").resolve()),
                "alipay_public_key_file": str((folder / "alipay_public.pem").resolve()),
            },
        }
    }
    path = folder / "payments.json"
    path.write_text(json.dumps(config, indent=2))
    print(f"payment-code simulator on {sim.url}; CENTRAL_PAYMENTS_CONFIG={path.resolve()}")
    print(f"sample codes: WeChat {SAMPLE_WECHAT_CODE}, Alipay {SAMPLE_ALIPAY_CODE}")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        sim.stop()


if __name__ == "__main__":
    main()
