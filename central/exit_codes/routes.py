"""HTTP routes of exit codes: a kiosk's key, checks at the gate, operators' views."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query

from central.deps import CheckerDep, KioskDep, OperatorDep
from central.exit_codes import service
from central.payments.runtime import RuntimeDep
from central.problems import problem_responses
from sync.payment_protocol import (
    ExitCodeCheck,
    ExitCodeReuse,
    ExitCodeUse,
    ExitCodeVerdict,
    ExitKey,
    ExitKeyView,
    StoreKeys,
)
from sync.protocol import API_PREFIX


def router() -> APIRouter:
    r = APIRouter(prefix=API_PREFIX, responses=problem_responses(400, 401, 403, 404, 413, 422))

    @r.put("/kiosk/exit-key", tags=["exit codes"])
    def put_exit_key(body: ExitKey, call: KioskDep, rt: RuntimeDep) -> ExitKeyView:
        with rt.central.tx() as conn:
            return service.register_key(conn, call.kiosk, body.public_key, rt.central.clock_ms())

    @r.get("/kiosk/store-keys", tags=["exit codes"])
    def get_store_keys(call: KioskDep, rt: RuntimeDep) -> StoreKeys:
        with rt.central.tx() as conn:
            return service.store_keys(conn, call.kiosk)

    @r.post("/exit-codes/verify", tags=["exit codes"])
    def verify_exit_code(body: ExitCodeCheck, who: CheckerDep, rt: RuntimeDep) -> ExitCodeVerdict:
        validity = timedelta(seconds=rt.config.exit_validity_s)
        with rt.central.tx() as conn:
            return service.verify(
                conn, body.code, who.name, rt.central.clock_ms(), validity, store_id=who.store_id
            )

    @r.get("/ops/exit-keys", tags=["operator"])
    def exit_keys(op: OperatorDep, rt: RuntimeDep) -> list[ExitKeyView]:
        with rt.central.tx() as conn:
            return service.list_keys(conn)

    @r.post("/ops/exit-keys/{kiosk_id}/approve", tags=["operator"])
    def approve_exit_key(kiosk_id: str, op: OperatorDep, rt: RuntimeDep) -> ExitKeyView:
        with rt.central.tx() as conn:
            who = f"operator:{op.name}"[:128]
            return service.approve_key(conn, kiosk_id, who, rt.central.clock_ms())

    @r.get("/ops/exit-codes/unknown-sales", tags=["operator"])
    def exit_unknown_sales(
        op: OperatorDep, rt: RuntimeDep, limit: Annotated[int, Query(ge=1, le=1000)] = 100
    ) -> list[ExitCodeUse]:
        with rt.central.tx() as conn:
            return service.unknown_sales(conn, limit)

    @r.get("/ops/exit-codes/reuses", tags=["operator"])
    def exit_reuses(
        op: OperatorDep, rt: RuntimeDep, limit: Annotated[int, Query(ge=1, le=1000)] = 100
    ) -> list[ExitCodeReuse]:
        with rt.central.tx() as conn:
            return service.reuses(conn, limit)

    return r
