"""HTTP routes of payments, provider callbacks, the sandbox pay page, exit codes, e-receipts.

`install(app)` mounts them on the app `central.app.create_app` built and keeps what
they need on `app.state.payments`; calling it again (tests, benchmarks) only swaps
that runtime, e.g. for a configuration pointing at a WeChat Pay simulator.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Annotated, Any, Literal
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, FastAPI, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse

from central import exit_codes, receipts
from central.errors import Invalid, NotFound
from central.kiosks import AuthedKiosk, AuthedOperator, SignedRequest
from central.payments.config import PaymentsConfig, load_payments_config
from central.payments.pages import pay_page, result_page
from central.payments.providers.base import Provider
from central.payments.providers.sandbox import SandboxProvider
from central.payments.service import PaymentService, Providers, read_engine, session_of
from kiosk.domain.money import Money
from sync.payment_protocol import (
    MAX_WAIT_S,
    UUID_PATTERN,
    CreatePayment,
    ExitCodeCheck,
    ExitCodeReuse,
    ExitCodeVerdict,
    ExitKey,
    ExitKeyView,
    PaymentFlag,
    PaymentView,
    ReceiptLink,
    ReceiptLinkRequest,
)
from sync.protocol import PROBLEM_CONTENT_TYPE, Problem

if TYPE_CHECKING:
    from central.deps import Central

Sleep = Callable[[float], Awaitable[None]]


@dataclass
class PaymentsRuntime:
    central: Central
    config: PaymentsConfig
    service: PaymentService
    sandbox: SandboxProvider

    @property
    def master(self) -> bytes:
        return self.central.settings.secret_key

    def public_url(self, request: Request) -> str:
        return self.config.public_url or str(request.base_url).rstrip("/")


def build_providers(config: PaymentsConfig, sandbox: SandboxProvider, master: bytes) -> Providers:
    made: dict[int, Provider] = {}

    def table(store_id: str | None) -> dict[str, Provider]:
        store = config.store(store_id) if store_id else config.default_store
        out: dict[str, Provider] = {}
        if store.sandbox:
            out["sandbox"] = sandbox
        if store.wechat is not None:
            from central.payments.providers.wechat import WeChatProvider

            wechat = store.wechat
            out["wechat"] = made.setdefault(
                id(wechat), WeChatProvider(wechat, config.qr_ttl_s, config.notify_window_s)
            )
        for name, scheme in store.emvco.items():
            from central.payments.providers.emvco import EmvcoProvider

            out[f"emvco:{name}"] = made.setdefault(
                id(scheme),
                EmvcoProvider(scheme, store, config.qr_ttl_s, config.notify_window_s),
            )
        return out

    return Providers({sid: table(sid) for sid in config.stores}, table(None))


def build_runtime(central: Central, config: PaymentsConfig, sleep: Sleep) -> PaymentsRuntime:
    master = central.settings.secret_key
    sandbox = SandboxProvider(master, config.qr_ttl_s, config.notify_window_s)
    service = PaymentService(
        engine=central.engine,
        config=config,
        providers=build_providers(config, sandbox, master),
        clock_ms=central.clock_ms,
        sleep=sleep,
        reader=read_engine(central.engine),
    )
    return PaymentsRuntime(central, config, service, sandbox)


def install(
    app: FastAPI,
    config: PaymentsConfig | None = None,
    *,
    sleep: Sleep = asyncio.sleep,
    env: Mapping[str, str] | None = None,
) -> PaymentsRuntime:
    """Mount the payment routes (once) and set their runtime (every call)."""
    central: Central = app.state.central
    if config is None:
        config = load_payments_config(dict(os.environ) if env is None else env)
    runtime = build_runtime(central, config, sleep)
    first = getattr(app.state, "payments", None) is None
    app.state.payments = runtime
    if first:
        app.include_router(api_router())
        app.include_router(pages_router())
    return runtime


# ---------------------------------------------------------------- dependencies


def _runtime(request: Request) -> PaymentsRuntime:
    runtime: PaymentsRuntime = request.app.state.payments
    return runtime


async def _kiosk(request: Request) -> AuthedKiosk:
    body = await request.body()
    signed = SignedRequest(
        request.method, request.url.path, request.url.query, body, request.headers
    )
    central = _runtime(request).central
    kiosk: AuthedKiosk = await run_in_threadpool(central.authenticate_kiosk, signed)
    return kiosk


def _operator(request: Request) -> AuthedOperator:
    return _runtime(request).central.authenticate_operator(request.headers.get("authorization"))


async def _kiosk_or_operator(request: Request) -> str:
    """Who is checking: "operator:<name>" for a bearer token, else "kiosk:<id>"."""
    if request.headers.get("authorization"):
        op = await run_in_threadpool(_operator, request)
        return f"operator:{op.name}"[:128]
    kiosk = await _kiosk(request)
    return f"kiosk:{kiosk.kiosk_id}"


RuntimeDep = Annotated[PaymentsRuntime, Depends(_runtime)]
KioskDep = Annotated[AuthedKiosk, Depends(_kiosk)]
OperatorDep = Annotated[AuthedOperator, Depends(_operator)]
CheckerDep = Annotated[str, Depends(_kiosk_or_operator)]
PaymentId = Annotated[str, Query(pattern=UUID_PATTERN)]


def _ack(body: bytes, status: int, media_type: str) -> Response:
    return Response(body, status_code=status, media_type=media_type)


_PROBLEM: dict[str, Any] = {"model": Problem, "content": {PROBLEM_CONTENT_TYPE: {}}}
ERRORS: dict[int | str, dict[str, Any]] = {
    code: {**_PROBLEM, "description": "Problem document (RFC 9457)"}
    for code in (400, 401, 403, 404, 409, 413, 422, 502, 503)
}


def api_router() -> APIRouter:
    r = APIRouter(prefix="/v1", responses=ERRORS)

    # ------------------------------------------------------------ kiosk: payments
    @r.post("/payments", tags=["payments"])
    def create_payment(
        body: CreatePayment, kiosk: KioskDep, rt: RuntimeDep, request: Request
    ) -> PaymentView:
        return rt.service.create(kiosk, body, rt.public_url(request))

    @r.get("/payments/{payment_id}", tags=["payments"])
    async def get_payment(
        payment_id: str,
        kiosk: KioskDep,
        rt: RuntimeDep,
        request: Request,
        wait: Annotated[float, Query(ge=0, le=MAX_WAIT_S)] = 0,
    ) -> PaymentView:
        if wait <= 0:
            return await run_in_threadpool(
                rt.service.refresh, payment_id, kiosk, rt.public_url(request)
            )
        return await rt.service.wait(payment_id, kiosk, wait)

    @r.post("/payments/{payment_id}/cancel", tags=["payments"])
    def cancel_payment(
        payment_id: str, kiosk: KioskDep, rt: RuntimeDep, request: Request
    ) -> PaymentView:
        return rt.service.cancel(payment_id, kiosk, rt.public_url(request))

    # ------------------------------------------------------------ provider callbacks
    # Providers' callbacks answer in the provider's format, not with problem documents:
    # documented in docs/payments.md rather than in the kiosk API's OpenAPI document.
    @r.post("/providers/wechat/notify", include_in_schema=False)
    async def wechat_notify(request: Request, rt: RuntimeDep) -> Response:
        body = await request.body()
        ack = await run_in_threadpool(
            rt.service.handle_notify, "wechat", dict(request.headers), body
        )
        return _ack(ack.body, ack.status, ack.media_type)

    # Providers' callbacks answer in the provider's format, not with problem documents:
    # documented in docs/payments.md rather than in the kiosk API's OpenAPI document.
    @r.post("/providers/sandbox/notify", include_in_schema=False)
    async def sandbox_notify(request: Request, rt: RuntimeDep) -> Response:
        body = await request.body()
        ack = await run_in_threadpool(
            rt.service.handle_notify, "sandbox", dict(request.headers), body
        )
        return _ack(ack.body, ack.status, ack.media_type)

    # Providers' callbacks answer in the provider's format, not with problem documents:
    # documented in docs/payments.md rather than in the kiosk API's OpenAPI document.
    @r.post("/providers/emvco/{scheme}/notify", include_in_schema=False)
    async def emvco_notify(scheme: str, request: Request, rt: RuntimeDep) -> Response:
        body = await request.body()
        ack = await run_in_threadpool(
            rt.service.handle_notify, f"emvco:{scheme}", dict(request.headers), body
        )
        return _ack(ack.body, ack.status, ack.media_type)

    # ------------------------------------------------------------ kiosk: exit codes, receipts
    @r.put("/kiosk/exit-key", tags=["exit codes"])
    def put_exit_key(body: ExitKey, kiosk: KioskDep, rt: RuntimeDep) -> ExitKeyView:
        with rt.central.tx() as conn:
            return exit_codes.register_key(conn, kiosk, body.public_key, rt.central.clock_ms())

    @r.post("/exit-codes/verify", tags=["exit codes"])
    def verify_exit_code(body: ExitCodeCheck, who: CheckerDep, rt: RuntimeDep) -> ExitCodeVerdict:
        validity = timedelta(seconds=rt.config.exit_validity_s)
        with rt.central.tx() as conn:
            return exit_codes.verify(conn, body.code, who, rt.central.clock_ms(), validity)

    def _receipt_link(
        sale_id: str, kiosk: AuthedKiosk, rt: PaymentsRuntime, request: Request,
        body: ReceiptLinkRequest | None,
    ) -> ReceiptLink:  # fmt: skip
        if not _is_uuid(sale_id):
            raise Invalid("the sale id must be a UUID", reason="validation")
        now = rt.central.clock_ms()
        with rt.central.tx() as conn:
            if body is not None and body.exit_code:
                exit_pass, reason = exit_codes.check_signature(conn, body.exit_code)
                if exit_pass is None or reason != "valid":
                    raise Invalid(f"the exit code does not verify: {reason}", reason="exit_code")
                if exit_pass.sale_id != sale_id.lower() or exit_pass.kiosk_id != kiosk.kiosk_id:
                    raise Invalid("the exit code is for another sale", reason="exit_code")
                receipts.store_exit_code(
                    conn, exit_pass.sale_id, kiosk.kiosk_id, body.exit_code, now
                )
        days = rt.config.receipt_ttl_days
        expires = now // 1000 + days * 86_400 if days else receipts.NO_EXPIRY
        lang = body.lang if body is not None else None
        return ReceiptLink(
            sale_id=sale_id.lower(),
            url=receipts.link(rt.public_url(request), rt.master, sale_id.lower(), expires, lang),
            expires_at=None if not days else _iso_s(expires),
        )

    @r.post("/sales/{sale_id}/receipt-link", tags=["receipts"])
    def post_receipt_link(
        sale_id: str, kiosk: KioskDep, rt: RuntimeDep, request: Request,
        body: ReceiptLinkRequest | None = None,
    ) -> ReceiptLink:  # fmt: skip
        return _receipt_link(sale_id, kiosk, rt, request, body)

    @r.get("/sales/{sale_id}/receipt-link", tags=["receipts"])
    def get_receipt_link(
        sale_id: str, kiosk: KioskDep, rt: RuntimeDep, request: Request
    ) -> ReceiptLink:
        return _receipt_link(sale_id, kiosk, rt, request, None)

    # ------------------------------------------------------------ operators
    @r.get("/ops/payments/flags", tags=["operator"])
    def payment_flags(
        op: OperatorDep, rt: RuntimeDep, limit: Annotated[int, Query(ge=1, le=1000)] = 100
    ) -> list[PaymentFlag]:
        return rt.service.flags(limit)

    @r.get("/ops/payments/paid-without-sale", tags=["operator"])
    def paid_without_sale(
        op: OperatorDep,
        rt: RuntimeDep,
        grace_s: Annotated[int, Query(ge=0, le=7 * 86_400)] = 600,
    ) -> list[PaymentView]:
        return rt.service.paid_without_sale(grace_s)

    @r.get("/ops/payments/{payment_id}", tags=["operator"])
    def operator_payment(payment_id: str, op: OperatorDep, rt: RuntimeDep) -> PaymentView:
        return rt.service.refresh(payment_id, None)

    @r.post("/ops/payments/sweep", tags=["operator"])
    def sweep(op: OperatorDep, rt: RuntimeDep, request: Request) -> dict[str, int]:
        return {"checked": rt.service.sweep(rt.public_url(request))}

    @r.get("/ops/exit-keys", tags=["operator"])
    def exit_keys(op: OperatorDep, rt: RuntimeDep) -> list[ExitKeyView]:
        with rt.central.tx() as conn:
            return exit_codes.list_keys(conn)

    @r.get("/ops/exit-codes/reuses", tags=["operator"])
    def exit_reuses(
        op: OperatorDep, rt: RuntimeDep, limit: Annotated[int, Query(ge=1, le=1000)] = 100
    ) -> list[ExitCodeReuse]:
        with rt.central.tx() as conn:
            return exit_codes.reuses(conn, limit)

    return r


def _is_uuid(text: str) -> bool:
    import re

    return re.fullmatch(UUID_PATTERN, text) is not None


def _iso_s(seconds: int) -> str:
    from central.kiosks import iso_ms

    return iso_ms(seconds * 1000) or ""


# ---------------------------------------------------------------- pages for people


def _lang(request: Request, lang: str | None) -> Literal["en", "zh", "ko"]:
    if lang in ("en", "zh", "ko"):
        return lang  # type: ignore[return-value]
    accept = request.headers.get("accept-language", "").lower()
    if accept.startswith("zh"):
        return "zh"
    if accept.startswith("ko"):
        return "ko"
    return "en"


def pages_router() -> APIRouter:
    r = APIRouter(include_in_schema=False)

    def _order_page(rt: PaymentsRuntime, payment_id: str, token: str) -> Any:
        row = rt.service.page_row(payment_id) if _is_uuid(payment_id) else None
        if row is None or row.provider != "sandbox":
            raise NotFound("no such sandbox order", reason="payment_not_found")
        if not rt.sandbox.token_ok(payment_id, token):
            raise NotFound("no such sandbox order", reason="payment_not_found")
        return row

    @r.get("/pay/sandbox/{payment_id}", response_class=HTMLResponse)
    def sandbox_page(
        payment_id: str, rt: RuntimeDep, t: Annotated[str, Query(max_length=64)] = ""
    ) -> HTMLResponse:
        row = _order_page(rt, payment_id, t)
        store = rt.config.store(row.store_id)
        amount = Money(int(row.amount_minor), row.currency)
        if not row.provider_open:
            outcome = "paid" if row.status == "paid" else "closed"
            html = result_page(
                store.merchant_name, amount, row.description, payment_id, outcome,
                f"status: {row.status}",
            )  # fmt: skip
            return HTMLResponse(html)
        action = f"/pay/sandbox/{payment_id}"
        return HTMLResponse(
            pay_page(store.merchant_name, amount, row.description, payment_id, t, action)
        )

    @r.post("/pay/sandbox/{payment_id}", response_class=HTMLResponse)
    async def sandbox_pay(payment_id: str, request: Request, rt: RuntimeDep) -> HTMLResponse:
        form = parse_qs((await request.body()).decode("utf-8", "replace"))
        token = form.get("t", [""])[0]
        action = form.get("action", [""])[0]
        return await run_in_threadpool(_press, rt, request, payment_id, token, action)

    def _press(
        rt: PaymentsRuntime, request: Request, payment_id: str, token: str, action: str
    ) -> HTMLResponse:
        row = _order_page(rt, payment_id, token)
        store = rt.config.store(row.store_id)
        amount = Money(int(row.amount_minor), row.currency)

        def page(outcome: str, note: str, status: int = 200) -> HTMLResponse:
            html = result_page(
                store.merchant_name, amount, row.description, payment_id, outcome, note
            )
            return HTMLResponse(html, status_code=status)

        if action not in ("pay", "decline"):
            return page("refused", "unknown action", 400)
        if not row.provider_open:
            if row.status == "paid":
                return page("paid", "this order was already paid")
            return page("closed", f"the order is {row.status}", 409)
        order = rt.service._order(row, rt.public_url(request))
        state = "paid" if action == "pay" else "declined"
        headers, body = rt.sandbox.signed_notify(order, state, rt.central.clock_ms())
        # The very pipeline a provider's callback goes through.
        ack = rt.service.handle_notify("sandbox", headers, body)
        if ack.status != 200:
            return page("refused", ack.body.decode(), 409)
        return page("paid" if action == "pay" else "declined", "you can go back to the kiosk")

    @r.get("/r/{sale_id}", response_class=HTMLResponse)
    def e_receipt(
        sale_id: str,
        rt: RuntimeDep,
        request: Request,
        sig: Annotated[str, Query(max_length=64)] = "",
        exp: Annotated[int, Query(ge=0, le=2**40)] = 0,
        lang: Annotated[str | None, Query(max_length=8)] = None,
    ) -> HTMLResponse:
        chosen = _lang(request, lang)
        now = rt.central.clock_ms()
        if not _is_uuid(sale_id) or not receipts.link_ok(rt.master, sale_id.lower(), exp, sig, now):
            raise NotFound("this receipt link is not valid (or has expired)", reason="receipt_link")
        with rt.central.tx() as conn:
            stored = receipts.load(conn, sale_id.lower())
        if stored is None:
            return HTMLResponse(receipts.render_pending(chosen), status_code=404)
        store = rt.config.store(str(stored.document.get("store_id", "")))
        self_url = f"/r/{sale_id.lower()}?exp={exp}&sig={sig}"
        return HTMLResponse(receipts.render(stored, store, chosen, self_url))

    return r


__all__ = ["PaymentsRuntime", "install", "session_of"]
