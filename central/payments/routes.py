"""HTTP routes of payments, provider callbacks, the sandbox pay page and operators' views.

What they need is the payments runtime (`central.payments.runtime`), set by `install`.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse

from central.deps import KioskDep, OperatorDep
from central.errors import NotFound
from central.payments.pages import pay_page, result_page
from central.payments.runtime import PaymentsRuntime, RuntimeDep, is_uuid
from central.problems import problem_responses
from kiosk.domain.money import Money
from sync.payment_protocol import (
    MAX_WAIT_S,
    ChargeCode,
    CreatePayment,
    PaymentFlag,
    PaymentView,
)
from sync.protocol import API_PREFIX


def _ack(body: bytes, status: int, media_type: str) -> Response:
    return Response(body, status_code=status, media_type=media_type)


ERRORS = problem_responses(400, 401, 403, 404, 409, 413, 422, 502, 503)


def api_router() -> APIRouter:
    r = APIRouter(prefix=API_PREFIX, responses=ERRORS)

    # ------------------------------------------------------------ kiosk: payments
    @r.post("/payments", tags=["payments"])
    def create_payment(
        body: CreatePayment, call: KioskDep, rt: RuntimeDep, request: Request
    ) -> PaymentView:
        return rt.service.create(call.kiosk, body, rt.public_url(request))

    @r.post("/payments/code", tags=["payments"])
    def charge_payment_code(
        body: ChargeCode, call: KioskDep, rt: RuntimeDep, request: Request
    ) -> PaymentView:
        return rt.service.charge(call.kiosk, body, rt.public_url(request))

    @r.get("/payments/{payment_id}", tags=["payments"])
    async def get_payment(
        payment_id: str,
        call: KioskDep,
        rt: RuntimeDep,
        request: Request,
        wait: Annotated[float, Query(ge=0, le=MAX_WAIT_S)] = 0,
    ) -> PaymentView:
        if wait <= 0:
            return await run_in_threadpool(
                rt.service.refresh, payment_id, call.kiosk, rt.public_url(request)
            )
        return await rt.service.wait(payment_id, call.kiosk, wait)

    @r.post("/payments/{payment_id}/cancel", tags=["payments"])
    def cancel_payment(
        payment_id: str, call: KioskDep, rt: RuntimeDep, request: Request
    ) -> PaymentView:
        return rt.service.cancel(payment_id, call.kiosk, rt.public_url(request))

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

    @r.get("/ops/payments/wechat/keys", tags=["operator"])
    def wechat_keys(op: OperatorDep, rt: RuntimeDep) -> list[dict[str, Any]]:
        """The WeChat Pay platform keys trusted now: pinned, and downloaded certificates."""
        return rt.service.wechat_keys(refresh=False)

    @r.post("/ops/payments/wechat/keys/refresh", tags=["operator"])
    def refresh_wechat_keys(op: OperatorDep, rt: RuntimeDep) -> list[dict[str, Any]]:
        """Download the platform certificates now (the service also does it every 12 h
        and when WeChat Pay signs with a serial it does not know yet)."""
        return rt.service.wechat_keys(refresh=True)

    @r.post("/ops/payments/sweep", tags=["operator"])
    def sweep(op: OperatorDep, rt: RuntimeDep, request: Request) -> dict[str, int]:
        return {"checked": rt.service.sweep(rt.public_url(request))}

    return r


# ---------------------------------------------------------------- pages for people


def pages_router() -> APIRouter:
    r = APIRouter(include_in_schema=False)

    def _order_page(rt: PaymentsRuntime, payment_id: str, token: str) -> Any:
        row = rt.service.page_row(payment_id) if is_uuid(payment_id) else None
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

    return r
