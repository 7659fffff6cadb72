"""The FastAPI dependencies every router shares: the service's state (`CentralDep`), a
signed kiosk request (`KioskDep`) and an operator's bearer token (`OperatorDep`).

Routers import these from here, never from the app factory, so no router depends on the
module that assembles the routers.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Connection, Engine

from central import kiosks
from central.config import Settings
from central.kiosks import AuthedKiosk, AuthedOperator, SignedRequest
from sync.protocol import HEADER_KEY, HEADER_NONCE, HEADER_SIGNATURE, HEADER_TIMESTAMP


def system_clock_ms() -> int:
    return time.time_ns() // 1_000_000


@dataclass
class Central:
    """What request handlers need: the engine, the master key, the clock, the settings."""

    engine: Engine
    settings: Settings
    clock_ms: Callable[[], int]

    @contextlib.contextmanager
    def tx(self) -> Iterator[Connection]:
        with self.engine.begin() as conn:
            yield conn

    def authenticate_kiosk(self, request: SignedRequest) -> AuthedKiosk:
        with self.tx() as conn:
            return kiosks.authenticate_kiosk(
                conn,
                self.settings.secret_key,
                request,
                self.clock_ms(),
                self.settings.signature_window_s,
            )

    def authenticate_operator(self, authorization: str | None) -> AuthedOperator:
        with self.tx() as conn:
            return kiosks.authenticate_operator(conn, authorization)


@dataclass(frozen=True, slots=True)
class KioskCall:
    kiosk: AuthedKiosk
    body: bytes


def _central(request: Request) -> Central:
    central: Central = request.app.state.central
    return central


# Declared for the OpenAPI document; the checking happens in `kiosk_call`.
_kiosk_key = APIKeyHeader(name=HEADER_KEY, auto_error=False, scheme_name="KioskSignature")
_ts = APIKeyHeader(name=HEADER_TIMESTAMP, auto_error=False, scheme_name="KioskTimestamp")
_nonce = APIKeyHeader(name=HEADER_NONCE, auto_error=False, scheme_name="KioskNonce")
_sig = APIKeyHeader(name=HEADER_SIGNATURE, auto_error=False, scheme_name="KioskHmac")
_bearer = HTTPBearer(auto_error=False, scheme_name="OperatorToken")


async def kiosk_call(
    request: Request,
    _k: Annotated[str | None, Depends(_kiosk_key)],
    _t: Annotated[str | None, Depends(_ts)],
    _n: Annotated[str | None, Depends(_nonce)],
    _s: Annotated[str | None, Depends(_sig)],
) -> KioskCall:
    body = await request.body()
    signed = SignedRequest(
        request.method, request.url.path, request.url.query, body, request.headers
    )
    kiosk = await run_in_threadpool(_central(request).authenticate_kiosk, signed)
    return KioskCall(kiosk, body)


def operator(
    request: Request,
    _b: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> AuthedOperator:
    return _central(request).authenticate_operator(request.headers.get("authorization"))


KioskDep = Annotated[KioskCall, Depends(kiosk_call)]
OperatorDep = Annotated[AuthedOperator, Depends(operator)]
CentralDep = Annotated[Central, Depends(_central)]
