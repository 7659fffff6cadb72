"""The central service's composition root: `create_app(settings)` builds everything.

Nothing is created at import time. The process keeps no state between requests
(nonces, cursors, idempotency all live in the database), so any number of replicas
can serve one PostgreSQL database behind a load balancer.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Query, Response
from sqlalchemy import Engine, text

from central import feeds, kiosks, loyalty_api, members, sales
from central.config import Settings
from central.db import create_db_engine, migrate
from central.deps import Central, CentralDep, KioskDep, OperatorDep, system_clock_ms
from central.payments.web import install as install_payments
from central.problems import BodyLimit, install
from kiosk.domain.journal import JournalEntry
from sync.protocol import (
    API_PREFIX,
    MAX_FEED_PAGE,
    PROBLEM_CONTENT_TYPE,
    EnrollRequest,
    EnrollResponse,
    EnrolmentCode,
    EnrolmentCodeRequest,
    Feed,
    FeedPage,
    FeedUpsert,
    FeedUpsertResult,
    Fleet,
    Heartbeat,
    HeartbeatAck,
    IntegrityReport,
    JournalBatch,
    JournalBatchResult,
    LedgerBatch,
    LedgerBatchResult,
    Member,
    MemberBatch,
    MemberBatchResult,
    Problem,
    SaleBatch,
    SaleBatchResult,
    SalesReport,
)

VERSION = "1.0.0"


_PROBLEM = {"model": Problem, "content": {PROBLEM_CONTENT_TYPE: {}}}
_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {**_PROBLEM, "description": "Problem document (RFC 9457)"}
    for code in (400, 401, 403, 404, 405, 410, 413, 422, 503)
}


def _json(model: Any) -> Response:
    # Skips FastAPI's second validation of large return values (feed pages, batch results).
    return Response(model.model_dump_json(), media_type="application/json")


def build_router() -> APIRouter:
    r = APIRouter(prefix=API_PREFIX, responses=_ERRORS)

    @r.get("/health", tags=["public"])
    def health(central: CentralDep) -> dict[str, str]:
        with central.tx() as conn:
            conn.execute(text("SELECT 1"))
        return {"status": "ok", "version": VERSION}

    @r.post("/enrol", tags=["public"])
    def enrol(body: EnrollRequest, central: CentralDep) -> EnrollResponse:
        with central.tx() as conn:
            return kiosks.enroll(conn, central.settings.secret_key, body, central.clock_ms())

    # ------------------------------------------------------------ kiosk
    @r.post("/sales/batch", tags=["kiosk"], response_model=SaleBatchResult)
    def push_sales(batch: SaleBatch, call: KioskDep, central: CentralDep) -> Response:
        documents = json.loads(call.body)["sales"]
        with central.tx() as conn:
            results = sales.ingest_sales(conn, call.kiosk, documents, central.clock_ms())
        return _json(SaleBatchResult(results=results))

    @r.post("/journal/batch", tags=["kiosk"])
    def push_journal(
        batch: JournalBatch, call: KioskDep, central: CentralDep
    ) -> JournalBatchResult:
        entries = [JournalEntry.from_wire(e.model_dump()) for e in batch.entries]
        with central.tx() as conn:
            return sales.ingest_journal(conn, call.kiosk, entries, central.clock_ms())

    @r.get("/feeds/{feed}", tags=["kiosk"], response_model=FeedPage)
    def pull_feed(
        feed: Feed,
        call: KioskDep,
        central: CentralDep,
        cursor: Annotated[str, Query(max_length=200)] = "",
        limit: Annotated[int, Query(ge=1, le=MAX_FEED_PAGE)] = 1000,
    ) -> Response:
        with central.tx() as conn:
            body = feeds.page_json(conn, feed, cursor, limit)
        return Response(body, media_type="application/json")

    @r.get("/members/lookup", tags=["kiosk"])
    def lookup_member(
        call: KioskDep,
        central: CentralDep,
        member_code: Annotated[str | None, Query(max_length=32)] = None,
        phone_hash: Annotated[str | None, Query(pattern=r"^[0-9a-f]{64}$")] = None,
    ) -> Member:
        with central.tx() as conn:
            return members.lookup(conn, member_code, phone_hash)

    @r.post("/members/batch", tags=["kiosk"])
    def sign_up(batch: MemberBatch, call: KioskDep, central: CentralDep) -> MemberBatchResult:
        with central.tx() as conn:
            return MemberBatchResult(
                results=members.sign_up(conn, call.kiosk, batch.members, central.clock_ms())
            )

    @r.post("/ledger/batch", tags=["kiosk"])
    def ledger(batch: LedgerBatch, call: KioskDep, central: CentralDep) -> LedgerBatchResult:
        with central.tx() as conn:
            return LedgerBatchResult(
                results=members.append_ledger(conn, call.kiosk, batch.events, central.clock_ms())
            )

    @r.post("/heartbeat", tags=["kiosk"])
    def heartbeat(beat: Heartbeat, call: KioskDep, central: CentralDep) -> HeartbeatAck:
        now = central.clock_ms()
        with central.tx() as conn:
            kiosks.record_heartbeat(conn, call.kiosk, beat, now)
        return HeartbeatAck(server_time=now // 1000)

    # ------------------------------------------------------------ operator
    @r.post("/admin/enrolment-codes", tags=["operator"], status_code=201)
    def new_code(body: EnrolmentCodeRequest, op: OperatorDep, central: CentralDep) -> EnrolmentCode:
        with central.tx() as conn:
            code, expires = kiosks.issue_enrolment_code(
                conn, body.store_id, body.ttl_hours, central.clock_ms()
            )
        return EnrolmentCode(
            code=code, store_id=body.store_id, expires_at=kiosks.iso_ms(expires) or ""
        )

    @r.post("/admin/kiosks/{kiosk_id}/revoke", tags=["operator"], status_code=204)
    def revoke(kiosk_id: str, op: OperatorDep, central: CentralDep) -> Response:
        with central.tx() as conn:
            kiosks.revoke_kiosk(conn, kiosk_id, central.clock_ms())
        return Response(status_code=204)

    @r.get("/admin/fleet", tags=["operator"])
    def fleet(op: OperatorDep, central: CentralDep) -> Fleet:
        with central.tx() as conn:
            return Fleet(kiosks=kiosks.fleet(conn))

    @r.put("/admin/feeds/{feed}", tags=["operator"])
    def write_feed(
        feed: Feed, body: FeedUpsert, op: OperatorDep, central: CentralDep
    ) -> FeedUpsertResult:
        with central.tx() as conn:
            return FeedUpsertResult(changed=feeds.write(conn, feed, body.items, body.delete))

    @r.get("/admin/reports/sales", tags=["operator"])
    def sales_report(op: OperatorDep, central: CentralDep) -> SalesReport:
        with central.tx() as conn:
            return sales.sales_report(conn)

    @r.get("/admin/reports/integrity", tags=["operator"])
    def integrity(op: OperatorDep, central: CentralDep) -> IntegrityReport:
        with central.tx() as conn:
            return sales.integrity_report(conn)

    @r.get("/admin/conflicts", tags=["operator"])
    def conflicts(
        op: OperatorDep,
        central: CentralDep,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> list[dict[str, Any]]:
        with central.tx() as conn:
            return sales.list_conflicts(conn, limit)

    return r


PROBLEM_STATUSES = (400, 401, 403, 404, 405, 409, 410, 413, 422, 503)


def _document_problems(app: FastAPI) -> None:
    """Declare the problem documents on every operation of every router.

    The exception handlers answer every error of every route with a problem document,
    so the OpenAPI document says so once, here, instead of each router repeating it
    (and FastAPI's default 422 schema, which the service never sends, is replaced).
    """
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = generate()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["Problem"] = Problem.model_json_schema(
            ref_template="#/components/schemas/{model}"
        )
        components.pop("HTTPValidationError", None)
        components.pop("ValidationError", None)
        problem = {
            "description": "Problem document (RFC 9457)",
            "content": {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status in PROBLEM_STATUSES:
                    key = str(status)
                    if status == 422 or PROBLEM_CONTENT_TYPE not in responses.get(key, {}).get(
                        "content", {}
                    ):
                        responses[key] = problem
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def create_app(
    settings: Settings,
    *,
    clock_ms: Callable[[], int] = system_clock_ms,
    engine: Engine | None = None,
) -> FastAPI:
    """Build the service. Pass `engine` to share one with a test or a benchmark."""
    engine = engine or create_db_engine(settings.db_url)
    if settings.migrate_on_start:
        migrate(engine)
    app = FastAPI(
        title="Scan-to-buy central service",
        version=VERSION,
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
    )
    app.state.central = Central(engine=engine, settings=settings, clock_ms=clock_ms)
    install(app)
    app.include_router(build_router())
    app.include_router(loyalty_api.build_router())
    install_payments(app)  # payments, provider callbacks, exit codes, e-receipts
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    _document_problems(app)
    return app
