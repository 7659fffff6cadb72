"""HTTP routes of suspended carts: the kiosks' reports (the outbox relay) and the
operators' report."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from central.deps import CentralDep, KioskDep, OperatorDep
from central.problems import problem_responses
from central.transfers import service
from sync.protocol import API_PREFIX
from sync.transfer_protocol import (
    ClaimAnswer,
    ResumeClaim,
    TransferBatch,
    TransferCode,
    TransferReportView,
    TransferResults,
)


def router() -> APIRouter:
    r = APIRouter(prefix=API_PREFIX, responses=problem_responses(400, 401, 404, 413, 422))

    @r.post("/transfers/batch", tags=["kiosk"])
    def transfers_batch(
        body: TransferBatch, call: KioskDep, central: CentralDep
    ) -> TransferResults:
        with central.tx() as conn:
            return service.record_transfers(conn, call.kiosk, body, central.clock_ms())

    @r.post("/transfers/claim", tags=["kiosk"])
    def transfers_claim(body: ResumeClaim, call: KioskDep, central: CentralDep) -> ClaimAnswer:
        with central.tx() as conn:
            return service.claim_resume(conn, call.kiosk, body, central.clock_ms())

    @r.get("/transfers/number/{number}", tags=["kiosk"])
    def transfers_by_number(
        number: Annotated[str, Path(pattern=r"^[0-9]{10}$")], call: KioskDep, central: CentralDep
    ) -> TransferCode:
        with central.tx() as conn:
            return service.code_by_number(conn, call.kiosk, number)

    @r.get("/ops/reports/transfers", tags=["operator"])
    def transfers_report(op: OperatorDep, central: CentralDep) -> TransferReportView:
        with central.tx() as conn:
            return service.report(conn)

    return r
