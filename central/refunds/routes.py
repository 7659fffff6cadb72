"""HTTP route of refunds: kiosks push their `refund` outbox rows."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool

from central.deps import KioskDep, OperatorDep
from central.payments.runtime import PaymentsRuntime, RuntimeDep
from central.problems import problem_responses
from central.refunds.service import RefundService
from sync.payment_protocol import RefundBatch, RefundBatchResult
from sync.protocol import API_PREFIX


def _service(rt: PaymentsRuntime) -> RefundService:
    return RefundService(rt.central.engine, rt.config, rt.service.providers, rt.central.clock_ms)


def router() -> APIRouter:
    r = APIRouter(prefix=API_PREFIX, responses=problem_responses(400, 401, 403, 404, 413, 422, 503))

    @r.post("/refunds/batch", tags=["payments"])
    def push_refunds(body: RefundBatch, call: KioskDep, rt: RuntimeDep) -> RefundBatchResult:
        """Record each refund once (by `refund_id`), re-checked against the stored sale
        and its earlier refunds, and send it to the sale's tender (docs/payments.md)."""
        return RefundBatchResult(results=_service(rt).push(call.kiosk, body.refunds))

    @r.post("/ops/refunds/sweep", tags=["operator"])
    def sweep_refunds(op: OperatorDep, rt: RuntimeDep) -> dict[str, int]:
        """Ask the providers again about refunds still processing (`central sweep` does it
        on a timer)."""
        return {"checked": _service(rt).sweep()}

    # Answered in the provider's format, not with problem documents, like the payment
    # callbacks: documented in docs/payments.md rather than in the kiosk API's OpenAPI.
    @r.post("/providers/wechat/refund-notify", include_in_schema=False)
    async def wechat_refund_notify(request: Request, rt: RuntimeDep) -> Response:
        return await _refund_notify("wechat", request, rt)

    @r.post("/providers/emvco/{scheme}/refund-notify", include_in_schema=False)
    async def emvco_refund_notify(scheme: str, request: Request, rt: RuntimeDep) -> Response:
        return await _refund_notify(f"emvco:{scheme}", request, rt)

    return r


async def _refund_notify(name: str, request: Request, rt: PaymentsRuntime) -> Response:
    body = await request.body()
    ack = await run_in_threadpool(
        _service(rt).handle_refund_notify,
        name,
        dict(request.headers),
        body,
        rt.service.record_flag,
    )
    return Response(ack.body, ack.status, media_type=ack.media_type)
