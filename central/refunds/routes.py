"""HTTP route of refunds: kiosks push their `refund` outbox rows."""

from __future__ import annotations

from fastapi import APIRouter

from central.deps import KioskDep
from central.payments.runtime import RuntimeDep
from central.problems import problem_responses
from central.refunds.service import RefundService
from sync.payment_protocol import RefundBatch, RefundBatchResult
from sync.protocol import API_PREFIX


def router() -> APIRouter:
    r = APIRouter(prefix=API_PREFIX, responses=problem_responses(400, 401, 403, 404, 413, 422, 503))

    @r.post("/refunds/batch", tags=["payments"])
    def push_refunds(body: RefundBatch, call: KioskDep, rt: RuntimeDep) -> RefundBatchResult:
        """Record each refund once (by `refund_id`), re-checked against the stored sale
        and its earlier refunds, and send it to the sale's tender (docs/payments.md)."""
        service = RefundService(
            rt.central.engine, rt.config, rt.service.providers, rt.central.clock_ms
        )
        return RefundBatchResult(results=service.push(call.kiosk, body.refunds))

    return r
