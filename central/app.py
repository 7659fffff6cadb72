"""The central service's composition root: `create_app(settings)` builds everything.

Nothing is created at import time. The process keeps no state between requests
(nonces, cursors, idempotency all live in the database), so any number of replicas
can serve one PostgreSQL database behind a load balancer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from fastapi import Depends, FastAPI
from sqlalchemy import Engine

from central.admin import routes as admin_routes
from central.analytics import routes as analytics_routes
from central.analytics import service as analytics
from central.attendant import routes as attendant_routes
from central.clock import system_clock_ms
from central.config import Settings
from central.db import create_db_engine, migrate, read_engine
from central.deps import Central, sound_json
from central.exit_codes import routes as exit_code_routes
from central.feeds import routes as feed_routes
from central.groupbuy import routes as groupbuy_routes
from central.groupbuy.service import collected_with
from central.kiosks import routes as kiosk_routes
from central.kiosks import service as kiosks
from central.kiosks.routes import VERSION
from central.loyalty import routes as loyalty_routes
from central.payments import routes as payment_routes
from central.payments.runtime import install as install_payments
from central.problems import BodyLimit, install
from central.receipts import routes as receipt_routes
from central.refunds import routes as refund_routes
from central.sales import routes as sale_routes
from central.transfers import routes as transfer_routes
from sync.protocol import API_PREFIX, PROBLEM_CONTENT_TYPE, Problem

OWN_LIMITS = (re.compile(r"/g/o/[^/]+/problem"),)
"""Paths whose routes cap their bodies themselves (`BodyLimit`): a buyer's problem report
with a phone's photo (`central.groupbuy.photos.MAX_UPLOAD`)."""

PROBLEM_STATUSES = (400, 401, 403, 404, 405, 409, 410, 413, 422, 429, 503)


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
        dependencies=[Depends(sound_json)],
    )
    app.state.central = Central(
        engine=engine,
        reader=read_engine(engine),
        settings=settings,
        clock_ms=clock_ms,
        kiosk_auth=kiosks.check_signature,
        nonce_record=kiosks.record_nonce,
        operator_auth=kiosks.authenticate_operator,
        throttled=kiosks.throttled,
        record_failure=kiosks.record_failure,
    )
    install(app)
    admin_routes.install(app)
    for router in (
        kiosk_routes.router(),
        feed_routes.router(),
        sale_routes.router(on_stored=analytics.record),
        loyalty_routes.members_router(),
        loyalty_routes.router(),
        payment_routes.api_router(),
        refund_routes.router(),
        exit_code_routes.router(),
        receipt_routes.api_router(),
        payment_routes.pages_router(),
        receipt_routes.pages_router(collected=collected_with),
        attendant_routes.api_router(),
        attendant_routes.pages_router(),
        transfer_routes.router(),
        admin_routes.router(),
        groupbuy_routes.router(),
        groupbuy_routes.pages_router(),
        analytics_routes.router(),
        analytics_routes.static_router(),
    ):
        app.include_router(router)
    install_payments(app)  # the runtime of payments, exit codes and e-receipts
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes, own_limits=OWN_LIMITS)
    _document_problems(app)
    return app
