"""HTTP routes of the service's health, kiosk enrolment and heartbeats, and the operators'
enrolment codes, revocations and fleet view."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from sqlalchemy import text

from central.clock import iso_ms
from central.deps import CentralDep, KioskDep, OperatorDep, source_of
from central.kiosks import service
from central.problems import problem_responses
from sync.protocol import (
    API_PREFIX,
    EnrollRequest,
    EnrollResponse,
    EnrolmentCode,
    EnrolmentCodeRequest,
    Fleet,
    Heartbeat,
    HeartbeatAck,
)

VERSION = "1.0.0"


def router() -> APIRouter:
    r = APIRouter(prefix=API_PREFIX, responses=problem_responses(400, 401, 403, 404, 413, 422))

    @r.get("/health", tags=["public"])
    def health(central: CentralDep) -> dict[str, str]:
        with central.tx() as conn:
            conn.execute(text("SELECT 1"))
        return {"status": "ok", "version": VERSION}

    @r.post("/enrol", tags=["public"])
    def enrol(body: EnrollRequest, central: CentralDep, request: Request) -> EnrollResponse:
        master, now = central.settings.secret_key, central.clock_ms()
        return central.guarded(
            "enrol", source_of(request), lambda conn: service.enroll(conn, master, body, now)
        )

    @r.post("/heartbeat", tags=["kiosk"])
    def heartbeat(beat: Heartbeat, call: KioskDep, central: CentralDep) -> HeartbeatAck:
        now = central.clock_ms()
        with central.tx() as conn:
            service.record_heartbeat(conn, call.kiosk, beat, now)
        return HeartbeatAck(server_time=now // 1000)

    @r.post("/admin/enrolment-codes", tags=["operator"], status_code=201)
    def new_code(body: EnrolmentCodeRequest, op: OperatorDep, central: CentralDep) -> EnrolmentCode:
        with central.tx() as conn:
            code, expires = service.issue_enrolment_code(
                conn, body.store_id, body.ttl_hours, central.clock_ms()
            )
        return EnrolmentCode(code=code, store_id=body.store_id, expires_at=iso_ms(expires) or "")

    @r.post("/admin/kiosks/{kiosk_id}/revoke", tags=["operator"], status_code=204)
    def revoke(kiosk_id: str, op: OperatorDep, central: CentralDep) -> Response:
        with central.tx() as conn:
            service.revoke_kiosk(conn, kiosk_id, central.clock_ms())
        return Response(status_code=204)

    @r.get("/admin/fleet", tags=["operator"])
    def fleet(op: OperatorDep, central: CentralDep) -> Fleet:
        with central.tx() as conn:
            return Fleet(kiosks=service.fleet(conn))

    return r
