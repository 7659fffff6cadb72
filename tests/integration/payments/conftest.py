"""Payment fixtures: the central service with payments installed, on loopback, with a
clock the test can move forward (the long-poll and expiry read it), and a signed
kiosk that talks to it with plain `requests` (so tests see every status and problem).

The database fixtures (`central_db_url`: SQLite and PostgreSQL) come from
tests/integration/conftest.py.
"""

from __future__ import annotations

import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import pytest
import requests
import uvicorn
from fastapi import FastAPI

from central.app import create_app
from central.config import Settings
from central.db import create_db_engine
from central.kiosks import service as kiosks
from central.payments.config import PaymentsConfig
from central.payments.runtime import PaymentsRuntime, install
from kiosk.domain.ids import uuid7
from sync.client import CentralClient, Credential
from tests.integration.conftest import TEST_SECRET, CentralHarness


class TestClock:
    """Real time plus an offset the test moves with `advance`; `freeze` stops it, for a
    test of a boundary to the millisecond."""

    __test__ = False

    def __init__(self) -> None:
        self.offset_ms = 0
        self.frozen_ms: int | None = None

    def __call__(self) -> int:
        if self.frozen_ms is not None:
            return self.frozen_ms
        return time.time_ns() // 1_000_000 + self.offset_ms

    def advance(self, seconds: float) -> None:
        step = round(seconds * 1000)
        self.offset_ms += step
        if self.frozen_ms is not None:
            self.frozen_ms += step

    def freeze(self) -> None:
        self.frozen_ms = self()


def serve(app: FastAPI) -> tuple[str, uvicorn.Server, threading.Thread]:
    # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on sockets whose proto says TCP;
    # without it every keep-alive answer waits ~40 ms for a delayed ACK.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = int(sock.getsockname()[1])
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive(), "server did not start"
        assert time.monotonic() < deadline, "server did not start in time"
        time.sleep(0.01)  # bounded wait: uvicorn offers no start callback
    return f"http://127.0.0.1:{port}", server, thread


@dataclass
class Kiosk:
    """A signed kiosk speaking the payment API with plain requests."""

    credential: Credential
    url: str
    clock: TestClock
    session: requests.Session = field(default_factory=requests.Session)

    def request(self, method: str, path: str, body: Any = None, **kwargs: Any) -> requests.Response:
        import json

        data = b"" if body is None else json.dumps(body).encode()
        client = CentralClient(self.url, self.credential, clock=lambda: self.clock() / 1000)
        headers = client._headers(method, self.url + path, data)
        kwargs.setdefault("timeout", 60)
        return self.session.request(
            method, self.url + path, data=data or None, headers=headers, **kwargs
        )

    def create(self, **overrides: Any) -> requests.Response:
        return self.request("POST", "/v1/payments", new_payment(**overrides))


def new_payment(**overrides: Any) -> dict[str, Any]:
    import secrets

    body: dict[str, Any] = {
        "payment_id": str(uuid7(time.time_ns() // 1_000_000, secrets.randbits(74))),
        "sale_id": str(uuid.uuid4()),
        "amount_minor": 2350,
        "currency": "CNY",
        "description": "Demo Market self-checkout",
    }
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}


def with_address(config: PaymentsConfig, url: str) -> PaymentsConfig:
    """As an operator would: real providers need the service's own address configured."""
    if config.public_url is None and not config.sandbox_only:
        return replace(config, public_url=url)
    return config


@dataclass
class PaymentsHarness:
    harness: CentralHarness
    app: FastAPI
    runtime: PaymentsRuntime
    clock: TestClock
    url: str

    def kiosk(self, store_id: str = "S001") -> Kiosk:
        return Kiosk(self.harness.enrol(store_id), self.url, self.clock)

    def reconfigure(self, config: PaymentsConfig) -> PaymentsRuntime:
        self.runtime = install(self.app, with_address(config, self.url))
        return self.runtime

    def op(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        return self.harness.op(method, path, **kwargs)


def start_payments(
    db_url: str, config: PaymentsConfig | None = None
) -> tuple[PaymentsHarness, Callable[[], None]]:
    clock = TestClock()
    settings = Settings(db_url=db_url, secret_key=TEST_SECRET)
    app = create_app(settings, clock_ms=clock)
    runtime = install(app, config or PaymentsConfig(poll_interval_s=0.02))
    url, server, thread = serve(app)
    runtime = install(app, with_address(runtime.config, url))
    engine = create_db_engine(db_url, pool=False)
    with engine.begin() as conn:
        token = kiosks.add_operator(conn, "test operator", clock())
    harness = CentralHarness(url, db_url, TEST_SECRET, token, engine, requests.Session())

    def stop() -> None:
        server.should_exit = True
        thread.join(timeout=30)
        app.state.payments.service.reader.dispose()
        harness.session.close()
        app.state.central.engine.dispose()
        engine.dispose()

    return PaymentsHarness(harness, app, runtime, clock, url), stop


@pytest.fixture
def payments(central_db_url: str) -> Iterator[PaymentsHarness]:
    harness, stop = start_payments(central_db_url)
    try:
        yield harness
    finally:
        stop()


def problem(answer: requests.Response, status: int, reason: str) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json"), answer.text
    body: dict[str, Any] = answer.json()
    assert body["reason"] == reason, body
    return body
