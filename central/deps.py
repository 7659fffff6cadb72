"""The FastAPI dependencies every router shares: the service's state (`CentralDep`), a
signed kiosk request (`KioskDep`), an operator's bearer token (`OperatorDep`), and
either of the two (`CheckerDep`, for exit-code checks at a gate or by staff).

Routers import these from here, never from the app factory. The checks themselves
belong to the kiosks feature; the app factory hands them in (`Central.kiosk_auth`,
`Central.operator_auth`), so this module depends on no feature and every feature's
routes may depend on it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Connection, Engine

from central import db
from central.auth import AuthedKiosk, AuthedOperator, SignedRequest
from central.config import Settings
from central.errors import EnrolmentRefused, Invalid, TooManyAttempts, Unauthorized
from central.problems import json_problem
from sync.protocol import HEADER_KEY, HEADER_NONCE, HEADER_SIGNATURE, HEADER_TIMESTAMP

KioskAuth = Callable[[Connection, bytes, SignedRequest, int, int], tuple[AuthedKiosk, str]]
"""(read-only connection, master key, request, now in ms, window in s) -> (kiosk, nonce)."""
NonceRecord = Callable[[Connection, AuthedKiosk, str, int, int], None]
"""(connection, kiosk, nonce, now in ms, window in s): refuses a nonce seen before."""
OperatorAuth = Callable[[Connection, str | None], AuthedOperator]
"""(connection, Authorization header) -> the operator."""
Throttled = Callable[[Connection, str, str, int], bool]
"""(connection, scope, source address, now in ms): too many failures lately?"""
FailureRecord = Callable[[Connection, str, str, int], None]
"""(connection, scope, source address, now in ms): count one more failure."""
T = TypeVar("T")


@dataclass
class Central:
    """What request handlers need: the engines, the settings, the clock, the checks.

    `reader` reads without taking SQLite's write lock (`central.db.read_engine`); on
    PostgreSQL it is `engine`.
    """

    engine: Engine
    reader: Engine
    settings: Settings
    clock_ms: Callable[[], int]
    kiosk_auth: KioskAuth
    nonce_record: NonceRecord
    operator_auth: OperatorAuth
    throttled: Throttled
    record_failure: FailureRecord

    @contextlib.contextmanager
    def tx(self) -> Iterator[Connection]:
        with self.engine.begin() as conn:
            yield conn

    def snapshot(self) -> contextlib.AbstractContextManager[Connection]:
        """Reads that must agree with each other (a page's count and rows): `db.snapshot`."""
        return db.snapshot(self.reader)

    def authenticate_kiosk(self, request: SignedRequest) -> AuthedKiosk:
        now, window = self.clock_ms(), self.settings.signature_window_s
        with self.reader.connect() as conn:
            kiosk, nonce = self.kiosk_auth(conn, self.settings.secret_key, request, now, window)
        with self.tx() as conn:
            self.nonce_record(conn, kiosk, nonce, now, window)
        return kiosk

    def authenticate_operator(self, authorization: str | None, source: str) -> AuthedOperator:
        return self.guarded(
            "operator", source, lambda conn: self.operator_auth(conn, authorization)
        )

    def guarded(self, scope: str, source: str, attempt: Callable[[Connection], T]) -> T:
        """Run a check of a guessable secret (an enrolment code, an operator token) in a
        transaction; its failures are counted per source address, and an address with
        too many of them lately is refused before trying (`TooManyAttempts`)."""
        now = self.clock_ms()
        with self.reader.connect() as conn:
            if self.throttled(conn, scope, source, now):
                raise TooManyAttempts(
                    "too many wrong attempts: wait two minutes", reason="throttled"
                )
        try:
            with self.tx() as conn:
                return attempt(conn)
        except (Unauthorized, EnrolmentRefused):
            with self.tx() as conn:
                self.record_failure(conn, scope, source, now)
            raise


@dataclass(frozen=True, slots=True)
class KioskCall:
    kiosk: AuthedKiosk
    body: bytes


def source_of(request: Request) -> str:
    """The caller's address, as the throttles count it."""
    return request.client.host if request.client else "unknown"


def central_of(request: Request) -> Central:
    central: Central = request.app.state.central
    return central


# Declared for the OpenAPI document; the checking happens in `kiosk_call`.
_kiosk_key = APIKeyHeader(name=HEADER_KEY, auto_error=False, scheme_name="KioskSignature")
_ts = APIKeyHeader(name=HEADER_TIMESTAMP, auto_error=False, scheme_name="KioskTimestamp")
_nonce = APIKeyHeader(name=HEADER_NONCE, auto_error=False, scheme_name="KioskNonce")
_sig = APIKeyHeader(name=HEADER_SIGNATURE, auto_error=False, scheme_name="KioskHmac")
_bearer = HTTPBearer(auto_error=False, scheme_name="OperatorToken")


async def _signed_kiosk(request: Request) -> KioskCall:
    body = await request.body()
    signed = SignedRequest(
        request.method, request.url.path, request.url.query, body, request.headers
    )
    kiosk = await run_in_threadpool(central_of(request).authenticate_kiosk, signed)
    return KioskCall(kiosk, body)


async def kiosk_call(
    request: Request,
    _k: Annotated[str | None, Depends(_kiosk_key)],
    _t: Annotated[str | None, Depends(_ts)],
    _n: Annotated[str | None, Depends(_nonce)],
    _s: Annotated[str | None, Depends(_sig)],
) -> KioskCall:
    return await _signed_kiosk(request)


def operator(
    request: Request,
    _b: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> AuthedOperator:
    return central_of(request).authenticate_operator(
        request.headers.get("authorization"), source_of(request)
    )


@dataclass(frozen=True)
class Checker:
    """Who checks an exit code: `name` is "operator:<name>" or "kiosk:<id>"; `store_id` is
    the kiosk's store (an operator's token is the chain's: None)."""

    name: str
    store_id: str | None


async def kiosk_or_operator(request: Request) -> Checker:
    central = central_of(request)
    if request.headers.get("authorization"):
        op = await run_in_threadpool(
            central.authenticate_operator, request.headers.get("authorization"), source_of(request)
        )
        return Checker(f"operator:{op.name}"[:128], None)
    call = await _signed_kiosk(request)
    return Checker(f"kiosk:{call.kiosk.kiosk_id}", call.kiosk.store_id)


async def sound_json(request: Request) -> None:
    """Refuse a body `json` would accept but no store can keep (`json_problem`)."""
    if request.method in ("POST", "PUT", "PATCH"):
        problem = json_problem(await request.body())
        if problem is not None:
            raise Invalid(problem, reason="invalid_json")


KioskDep = Annotated[KioskCall, Depends(kiosk_call)]
OperatorDep = Annotated[AuthedOperator, Depends(operator)]
CentralDep = Annotated[Central, Depends(central_of)]
CheckerDep = Annotated[Checker, Depends(kiosk_or_operator)]
