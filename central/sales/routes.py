"""HTTP routes of sales and journals: kiosks push batches; operators read the reports."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response

from central.csv_report import csv_response
from central.deps import CentralDep, KioskDep, OperatorDep
from central.problems import problem_responses
from central.sales import service
from kiosk.domain.journal import JournalEntry
from sync.protocol import (
    API_PREFIX,
    IntegrityReport,
    JournalBatch,
    JournalBatchResult,
    SaleBatch,
    SaleBatchResult,
    SalesReport,
    SalesTotal,
)


def _json(model: Any) -> Response:
    # Skips FastAPI's second validation of a large return value.
    return Response(model.model_dump_json(), media_type="application/json")


def router(on_stored: service.SalesStored | None = None) -> APIRouter:
    """`on_stored`: told of each batch's newly stored sales (see `service.ingest_sales`)."""
    r = APIRouter(prefix=API_PREFIX, responses=problem_responses(400, 401, 403, 404, 413, 422))

    @r.post("/sales/batch", tags=["kiosk"], response_model=SaleBatchResult)
    def push_sales(batch: SaleBatch, call: KioskDep, central: CentralDep) -> Response:
        documents = json.loads(call.body)["sales"]
        with central.tx() as conn:
            results = service.ingest_sales(
                conn,
                call.kiosk,
                documents,
                central.clock_ms(),
                bounds=central.settings.price_override,
                on_stored=on_stored,
            )
        return _json(SaleBatchResult(results=results))

    @r.post("/journal/batch", tags=["kiosk"])
    def push_journal(
        batch: JournalBatch, call: KioskDep, central: CentralDep
    ) -> JournalBatchResult:
        entries = [JournalEntry.from_wire(e.model_dump()) for e in batch.entries]
        with central.tx() as conn:
            return service.ingest_journal(conn, call.kiosk, entries, central.clock_ms())

    @r.get("/admin/reports/sales", tags=["operator"], response_model=SalesReport)
    def sales_report(
        op: OperatorDep, central: CentralDep, format: Literal["json", "csv"] = "json"
    ) -> Any:
        """Paid sales by kiosk: gross, refunds and net (minor units); CSV: the totals."""
        with central.tx() as conn:
            report = service.sales_report(conn)
        if format == "csv":
            rows = [t.model_dump() for t in report.totals]
            return csv_response(rows, list(SalesTotal.model_fields))
        return report

    @r.get("/admin/reports/staff", tags=["operator"])
    def staff_report(
        op: OperatorDep, central: CentralDep, format: Literal["json", "csv"] = "json"
    ) -> Any:
        """Price overrides and voids by staff member (count, amount in minor units)."""
        with central.tx() as conn:
            rows = service.staff_report(conn)
        if format == "csv":
            return csv_response(rows, service.STAFF_COLUMNS)
        return rows

    @r.get("/admin/reports/integrity", tags=["operator"])
    def integrity(op: OperatorDep, central: CentralDep) -> IntegrityReport:
        with central.tx() as conn:
            return service.integrity_report(conn)

    @r.get("/admin/conflicts", tags=["operator"])
    def conflicts(
        op: OperatorDep,
        central: CentralDep,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> list[dict[str, Any]]:
        with central.tx() as conn:
            return service.list_conflicts(conn, limit)

    return r
