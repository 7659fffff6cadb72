"""Integration fixtures: a throwaway PostgreSQL server for the test session
(`tools.postgres`, which the analytics benchmark starts too). Each test that asks for
PostgreSQL gets a database of its own.

Without PostgreSQL binaries the PostgreSQL variants are skipped with a reason; set
`REQUIRE_POSTGRES=1` (CI does) to turn that skip into a failure.
"""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import Engine

from central.config import Settings
from central.db import create_db_engine
from central.embedded import EmbeddedCentral, start
from central.feeds import service as feeds
from central.kiosks import service as kiosks
from kiosk.domain.catalog import product_to_wire
from kiosk.domain.catalog_csv import parse_catalog_csv
from sync.client import CentralClient, Credential, RetryPolicy
from tools.postgres import PostgresServer, bindir, throwaway_server


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    binaries = bindir()
    if binaries is None or not (binaries / "pg_ctl").exists():
        message = "PostgreSQL binaries not found (apt-get install postgresql)"
        if os.environ.get("REQUIRE_POSTGRES"):
            pytest.fail(message)
        pytest.skip(message)
    with throwaway_server(binaries) as server:
        yield server


_database_numbers = itertools.count(1)


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """A fresh, empty database on the session's server."""
    name = f"central_test_{os.getpid()}_{next(_database_numbers)}"
    with postgres_server.admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield postgres_server.url(name)
    with postgres_server.admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def central_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Every central test runs against both engines."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'central.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


# ---------------------------------------------------------------- the central service


@dataclass
class CentralHarness:
    """A real central service on loopback (from a thread of the test process)."""

    url: str
    db_url: str
    secret_key: bytes
    token: str
    engine: Engine
    session: requests.Session

    def op(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        headers = {"Authorization": f"Bearer {self.token}", **kwargs.pop("headers", {})}
        return self.session.request(method, self.url + path, headers=headers, timeout=30, **kwargs)

    def enrolment_code(self, store_id: str = "S001") -> str:
        answer = self.op("POST", "/v1/admin/enrolment-codes", json={"store_id": store_id})
        assert answer.status_code == 201, answer.text
        return str(answer.json()["code"])

    def enrol(self, store_id: str = "S001", name: str = "test kiosk") -> Credential:
        code = self.enrolment_code(store_id)
        answer = self.session.post(
            self.url + "/v1/enrol", json={"code": code, "name": name}, timeout=30
        )
        assert answer.status_code == 200, answer.text
        reply = answer.json()
        return Credential(
            central_url=self.url,
            **{k: reply[k] for k in ("kiosk_id", "store_id", "key_id", "secret",
                                     "member_phone_key", "staff_badge_key")},
        )  # fmt: skip

    def client(self, credential: Credential | None = None, **kwargs: Any) -> CentralClient:
        kwargs.setdefault("retry", FAST_RETRY)
        return CentralClient(self.url, credential, **kwargs)

    def load_catalog(self, products: list[dict[str, Any]]) -> None:
        with self.engine.begin() as conn:
            feeds.write(conn, "catalog", products, [])

    def load_offers(self) -> None:
        """The demo promotions and coupons, imported as an operator would, and a campaign."""
        for feed in ("promotions", "coupons"):
            answer = self.op(
                "POST",
                f"/v1/loyalty/admin/offers/{feed}/import",
                data=(DEMO_ASSETS / f"{feed}.csv").read_bytes(),
                headers={"Content-Type": "text/csv"},
            )
            assert answer.status_code == 200, answer.text
        answer = self.op(
            "PUT",
            "/v1/loyalty/admin/offers/campaigns",
            json={
                "items": [
                    {"campaign_id": "double-12", "name": "Double 12", "starts_at": "2026-12-01"}
                ]
            },
        )
        assert answer.json() == {"changed": 1}


DEMO_ASSETS = Path(__file__).resolve().parents[2] / "assets" / "demo"
FAST_RETRY = RetryPolicy(attempts=4, base_s=0.01, cap_s=0.05, read_timeout_s=30)
TEST_SECRET = b"central-test-secret-key-32-bytes"


def make_central(db_url: str) -> tuple[EmbeddedCentral, CentralHarness]:
    settings = Settings(db_url=db_url, secret_key=TEST_SECRET)
    handle = start(db_url, settings=settings)
    engine = create_db_engine(db_url, pool=False)
    with engine.begin() as conn:
        token = kiosks.add_operator(conn, "test operator", int(time.time() * 1000))
    harness = CentralHarness(handle.url, db_url, TEST_SECRET, token, engine, requests.Session())
    return handle, harness


@pytest.fixture
def central(central_db_url: str) -> Iterator[CentralHarness]:
    handle, harness = make_central(central_db_url)
    try:
        yield harness
    finally:
        harness.session.close()
        handle.stop()
        harness.engine.dispose()


@pytest.fixture(scope="session")
def demo_products() -> list[dict[str, Any]]:
    parsed = parse_catalog_csv(Path(__file__).resolve().parents[2] / "assets/demo/catalog.csv")
    return [product_to_wire(p) for p in parsed.products]
