"""HTTP routes of the attendant link: the kiosks' report and commands (signed kiosk
requests), the staff console's pages, its event stream and its actions (a staff session
cookie, and a CSRF token on every action)."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse

from central import web
from central.attendant import console, service
from central.attendant.service import ConsoleSession
from central.clock import iso_ms
from central.deps import Central, CentralDep, KioskDep, OperatorDep
from central.errors import NotFound, Unauthorized
from central.problems import problem_responses
from sync.attendant_protocol import (
    MAX_WAIT_S,
    AlertBatch,
    AlertResults,
    AttendantAnswer,
    AttendantReport,
)
from sync.protocol import API_PREFIX, STORE_ID_PATTERN

COOKIE = "attendant"
STORE_ID = re.compile(STORE_ID_PATTERN)
POLL_S = 0.1  # how often a stream or a long-poll looks at the database: well inside 1 s
KEEPALIVE_S = 15.0
RECHECK_SESSION_S = 5.0


def api_router() -> APIRouter:
    r = APIRouter(prefix=API_PREFIX, responses=problem_responses(400, 401, 413, 422))

    @r.post("/attendant/report", tags=["attendant"])
    def report(body: AttendantReport, call: KioskDep, central: CentralDep) -> AttendantAnswer:
        with central.tx() as conn:
            return service.record_report(conn, call.kiosk, body, central.clock_ms())

    @r.post("/attendant/alerts/batch", tags=["attendant"])
    def alerts_batch(body: AlertBatch, call: KioskDep, central: CentralDep) -> AlertResults:
        with central.tx() as conn:
            return service.record_alerts(conn, call.kiosk, body, central.clock_ms())

    @r.get("/attendant/commands", tags=["attendant"])
    async def commands(
        call: KioskDep,
        central: CentralDep,
        wait: Annotated[float, Query(ge=0, le=MAX_WAIT_S)] = 0,
    ) -> AttendantAnswer:
        """Long-poll: answers as soon as a command is waiting, or at `wait` with none."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait
        while True:
            found = await run_in_threadpool(_pending, central, call.kiosk.kiosk_id)
            if found.commands or loop.time() >= deadline:
                return found
            await asyncio.sleep(POLL_S)

    @r.get("/ops/reports/alerts", tags=["operator"])
    def alerts_report(op: OperatorDep, central: CentralDep) -> dict[str, object]:
        with central.reader.connect() as conn:
            return service.alerts_report(conn)

    return r


def _pending(central: Central, kiosk_id: str) -> AttendantAnswer:
    with central.reader.connect() as conn:
        commands = service.pending(conn, kiosk_id)
    return AttendantAnswer(commands=commands, server_time=iso_ms(central.clock_ms()))


def _html(page: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(page, status_code=status, headers=web.page_headers(console.POLICY))


def pages_router() -> APIRouter:
    r = APIRouter(prefix="/attendant/{store_id}", include_in_schema=False)

    @r.get("/", response_class=HTMLResponse)
    def page(store_id: str, request: Request, central: CentralDep,
             lang: Annotated[str | None, Query(max_length=8)] = None) -> HTMLResponse:  # fmt: skip
        _check_store(store_id)
        chosen = web.language(request.headers.get("accept-language"), lang)
        try:
            who = _session(central, request, store_id)
        except Unauthorized:
            with central.reader.connect() as conn:
                if not service.store_exists(conn, store_id):
                    raise NotFound("no kiosks at this store", reason="store_not_found") from None
            return _html(console.sign_in_page(store_id, chosen, error=None))
        return _html(console.console_page(store_id, who, chosen))

    @r.post("/sign-in")
    async def sign_in(store_id: str, request: Request, central: CentralDep) -> Response:
        _check_store(store_id)
        form = await web.form_fields(request)
        staff_id = form.get("staff_id", "").strip()[:128]
        pin = form.get("pin", "")[:32]
        chosen = web.language(None, form.get("lang", "en"))
        now = central.clock_ms()
        # Counted per staff number at this store: a guessed PIN locks that number for the
        # minute, whoever is guessing and from wherever.
        try:
            token, _who = await run_in_threadpool(
                central.guarded,
                "attendant",
                f"{store_id}:{staff_id}"[:64],
                lambda conn: service.sign_in(conn, store_id, staff_id, pin, now),
            )
        except Unauthorized:
            return _html(console.sign_in_page(store_id, chosen, error="wrong_pin"), status=401)
        answer = RedirectResponse(f"/attendant/{store_id}/?lang={chosen}", status_code=303)
        web.set_session_cookie(
            answer,
            request,
            COOKIE,
            token,
            path=f"/attendant/{store_id}/",
            max_age_s=service.SESSION_MS // 1000,
        )
        return answer

    @r.post("/sign-out")
    def sign_out(
        store_id: str,
        request: Request,
        central: CentralDep,
        x_csrf_token: Annotated[str | None, Header()] = None,
    ) -> Response:
        who = _session(central, request, store_id)
        web.check_csrf(who.csrf, x_csrf_token)
        with central.tx() as conn:
            service.sign_out(conn, request.cookies.get(COOKIE))
        answer = Response(status_code=204)
        answer.delete_cookie(COOKIE, path=f"/attendant/{store_id}/")
        return answer

    @r.post("/alerts/{alert_id}/acknowledge", status_code=204)
    def acknowledge(
        store_id: str,
        alert_id: str,
        request: Request,
        central: CentralDep,
        x_csrf_token: Annotated[str | None, Header()] = None,
    ) -> None:
        who = _session(central, request, store_id)
        web.check_csrf(who.csrf, x_csrf_token)
        with central.tx() as conn:
            service.acknowledge(conn, who, alert_id, central.clock_ms())

    @r.post("/kiosks/{kiosk_id}/{action}", status_code=204)
    def pause(
        store_id: str,
        kiosk_id: str,
        action: str,
        request: Request,
        central: CentralDep,
        x_csrf_token: Annotated[str | None, Header()] = None,
    ) -> None:
        if action not in ("pause", "resume"):
            raise NotFound("no such action", reason="not_found")
        who = _session(central, request, store_id)
        web.check_csrf(who.csrf, x_csrf_token)
        with central.tx() as conn:
            service.set_paused(conn, who, kiosk_id, action == "pause", central.clock_ms())

    @r.get("/events")
    async def events(store_id: str, request: Request, central: CentralDep) -> StreamingResponse:
        """Server-sent events: the whole store's picture whenever it changes. A browser
        that loses the stream reconnects by itself and gets the picture as it is now,
        closed alerts of the last minutes included (what it missed)."""
        token = request.cookies.get(COOKIE)
        await run_in_threadpool(_session_by_token, central, token, store_id)
        return StreamingResponse(
            _stream(request, central, token, store_id),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
        )

    return r


async def _stream(
    request: Request, central: Central, token: str | None, store_id: str
) -> AsyncIterator[str]:
    loop = asyncio.get_running_loop()
    yield "retry: 1000\n\n"
    last = ""
    sent_at = checked_at = loop.time()
    while not await request.is_disconnected():
        now = loop.time()
        if now - checked_at >= RECHECK_SESSION_S:
            checked_at = now
            try:
                await run_in_threadpool(_session_by_token, central, token, store_id)
            except Unauthorized:
                yield "event: signed_out\ndata: {}\n\n"
                return
        picture, message = await run_in_threadpool(_picture, central, store_id)
        if picture != last:
            last, sent_at = picture, now
            yield f"event: store\ndata: {message}\n\n"
        elif now - sent_at >= KEEPALIVE_S:
            sent_at = now
            yield ": keep-alive\n\n"
        await asyncio.sleep(POLL_S)


def _picture(central: Central, store_id: str) -> tuple[str, str]:
    """(the store's picture, the message carrying it with the server's time): the time
    changes every poll, only a change in the store is news."""
    with central.reader.connect() as conn:
        shot = service.snapshot(conn, store_id, central.clock_ms())
    now = shot.pop("server_time")
    picture = json.dumps(shot, separators=(",", ":"), sort_keys=True)
    return picture, picture[:-1] + f',"server_time":"{now}"}}'


def _check_store(store_id: str) -> None:
    # The pattern a store id is issued with (sync.protocol.EnrolmentCodeRequest).
    if STORE_ID.fullmatch(store_id) is None:
        raise NotFound("no such store", reason="store_not_found")


def _session(central: Central, request: Request, store_id: str) -> ConsoleSession:
    return _session_by_token(central, request.cookies.get(COOKIE), store_id)


def _session_by_token(central: Central, token: str | None, store_id: str) -> ConsoleSession:
    with central.reader.connect() as conn:
        return service.session_of(conn, token, store_id, central.clock_ms())
