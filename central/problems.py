"""RFC 9457 problem documents for every error, and the request body size limit."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from central.errors import CentralError, Unauthorized
from sync.protocol import PROBLEM_CONTENT_TYPE, Problem

log = logging.getLogger(__name__)

PROBLEM_BASE = "https://kiosk.example/problems/"


# Only bodies holding one of these are parsed a second time, so the check costs a scan.
_SUSPECT = re.compile(rb"\\u[dD][89a-fA-F]|NaN|Infinity")
_SURROGATE = re.compile("[\ud800-\udfff]")


class _NotJson(ValueError):
    pass


def _refuse_constant(name: str) -> Any:
    raise _NotJson(f"{name} is not a JSON number")


def _lone_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        return _SURROGATE.search(value) is not None
    if isinstance(value, dict):
        return any(_lone_surrogate(k) or _lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_lone_surrogate(v) for v in value)
    return False


def json_problem(body: bytes) -> str | None:
    """What makes a JSON body unstorable, or None.

    Python's `json` accepts `NaN`/`Infinity` (not JSON: stored, they make documents other
    parsers refuse) and lone surrogates such as `\\ud800` (not Unicode: encoding them
    fails later, as a 500). A body that is not JSON at all is left to the route.
    """
    if not _SUSPECT.search(body):
        return None
    try:
        value = json.loads(body, parse_constant=_refuse_constant)
    except _NotJson as exc:
        return str(exc)
    except ValueError:
        return None
    if _lone_surrogate(value):
        return "a string holds a lone UTF-16 surrogate, which is not Unicode text"
    return None


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """A router's `responses`: each status answered with a problem document."""
    return {
        status: {
            "model": Problem,
            "content": {PROBLEM_CONTENT_TYPE: {}},
            "description": "Problem document (RFC 9457)",
        }
        for status in statuses
    }


def problem_response(
    status: int,
    title: str,
    detail: str,
    reason: str,
    instance: str,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + reason if reason else "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": instance,
        "reason": reason,
    }
    if errors:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=PROBLEM_CONTENT_TYPE, headers=headers)


def _validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    # Only location, message and type: pydantic's `input`/`ctx` may hold the caller's
    # whole body or objects that are not JSON.
    return [
        {
            "loc": [str(part) for part in err.get("loc", ())],
            "msg": str(err.get("msg", "")),
            "type": str(err.get("type", "")),
        }
        for err in list(exc.errors())[:50]
    ]


async def central_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, CentralError)
    headers = {"WWW-Authenticate": "KSIG1, Bearer"} if isinstance(exc, Unauthorized) else None
    if exc.status == 503:
        headers = {"Retry-After": "2"}
    if exc.status == 429:
        # Failures are counted over this minute and the one before (kiosks.throttled).
        headers = {"Retry-After": "120"}
    return problem_response(
        exc.status, exc.title, str(exc), exc.reason, request.url.path, headers=headers
    )


async def validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return problem_response(
        422,
        "Invalid request",
        "the request does not match the API schema",
        "validation",
        request.url.path,
        errors=_validation_errors(exc),
    )


async def http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    reasons = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}
    title = {404: "Not found", 405: "Method not allowed"}.get(exc.status_code, "HTTP error")
    return problem_response(
        exc.status_code,
        title,
        str(exc.detail),
        reasons.get(exc.status_code, "http"),
        request.url.path,
        headers=dict(exc.headers) if exc.headers else None,
    )


async def database_error(request: Request, exc: Exception) -> JSONResponse:
    # A database that went away is the client's cue to retry, not a bug.
    log.warning("database unavailable: %s", exc)
    return problem_response(
        503,
        "Service unavailable",
        "the database is unavailable; retry shortly",
        "unavailable",
        request.url.path,
        headers={"Retry-After": "2"},
    )


async def data_error(request: Request, exc: Exception) -> JSONResponse:
    # Values the database cannot hold (a NUL character in PostgreSQL text, a number
    # out of range): the client's data is at fault, so retrying cannot help.
    return problem_response(
        422,
        "Unprocessable request",
        "a value in the request cannot be stored (e.g. a NUL character or a number out of range)",
        "invalid_value",
        request.url.path,
    )


async def integrity_error(request: Request, exc: Exception) -> JSONResponse:
    log.warning("integrity error: %s", exc)
    return problem_response(
        409,
        "Conflict",
        "the request clashes with data already stored",
        "conflict",
        request.url.path,
    )


async def unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s", request.url.path, exc_info=exc)
    return problem_response(
        500, "Internal error", "an unexpected error occurred", "internal", request.url.path
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(CentralError, central_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(DataError, data_error)
    app.add_exception_handler(IntegrityError, integrity_error)
    app.add_exception_handler(OperationalError, database_error)
    app.add_exception_handler(DBAPIError, database_error)
    app.add_exception_handler(Exception, unexpected)


class BodyLimit:
    """Refuses bodies over `limit` bytes, whether announced by Content-Length or streamed.

    A path matching one of `own_limits` is passed on whole: its route caps its body itself
    (`central.web.read_capped`), with a limit of its own, and answers a body too large in
    the words of its page (a phone's photo, in the buyer's language) rather than here.
    """

    def __init__(
        self, app: ASGIApp, limit: int, own_limits: Sequence[re.Pattern[str]] = ()
    ) -> None:
        self.app = app
        self.limit = limit
        self.own_limits = tuple(own_limits)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if scope["type"] != "http" or any(p.fullmatch(path) for p in self.own_limits):
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    announced = int(value)
                except ValueError:
                    announced = 0
                if announced > self.limit:
                    response = problem_response(
                        413,
                        "Request body too large",
                        f"the body may be at most {self.limit} bytes",
                        "too_large",
                        str(scope.get("path", "")),
                    )
                    await response(scope, receive, send)
                    return
        seen = 0
        limit = self.limit
        refused = False

        async def guarded_send(message: Message) -> None:
            # Once the 413 went out, whatever the app answers to its cut-off body is dropped.
            if not refused:
                await send(message)

        async def counting_receive() -> Message:
            nonlocal seen, refused
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    if not refused:
                        refused = True
                        response = problem_response(
                            413,
                            "Request body too large",
                            f"the body may be at most {limit} bytes",
                            "too_large",
                            str(scope.get("path", "")),
                        )
                        await response(scope, receive, send)
                    return {"type": "http.disconnect"}
            return message

        await self.app(scope, counting_receive, guarded_send)
