"""Exactly once, under fire: a faulty network, and kill -9 of the kiosk and of the service.

Real processes: `central serve` on a loopback port, and the kiosk (`python -m
simulators.sales --sync --drain`: the real checkout selling training sales while its
sync thread delivers them) talking to the service through `FaultProxy`. Both are
killed with SIGKILL at seeded moments, defined by progress (the kiosk's or the
service's sales count), not by time, and restarted. At the end the service must hold
exactly the kiosk's sales (same ids, same totals), their journal, and no conflicts.
"""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from central.db import create_db_engine
from central.embedded import CentralProcess, spawn
from central.sales.tables import conflicts, journal, sales
from kiosk.store.uow import KioskStore
from sync.client import Credential
from sync.enrolment import enroll
from sync.operations import sync_now
from sync.protocol import encode_secret
from tests.integration.conftest import TEST_SECRET, CentralHarness
from tests.integration.sync.faultproxy import FaultProxy

SALES = 160
DEADLINE_S = 300
SEED = int(os.environ.get("FAULT_SEED", "20261123"))


def _env() -> dict[str, str]:
    return {**os.environ, "CENTRAL_SECRET_KEY": encode_secret(TEST_SECRET)}


def _kiosk_counts(path: Path) -> tuple[int, int]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        row = conn.execute("SELECT count(*), coalesce(sum(total_minor), 0) FROM sales").fetchone()
    except sqlite3.OperationalError:
        return 0, 0
    finally:
        conn.close()
    return int(row[0]), int(row[1])


class Kiosk:
    def __init__(self, home: Path, log: Path) -> None:
        self.home = home
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None
        self.runs = 0

    def start(self) -> None:
        args = [
            sys.executable, "-m", "simulators.sales", "--home", str(self.home),
            "--sales", str(SALES), "--items", "4", "--members", "--sync", "--drain",
            "--pace", "0.01", "--batch", "8",
            "--seed", str(SEED + self.runs),
        ]  # fmt: skip
        self.runs += 1
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(args, stdout=out, stderr=out)

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()
        self.process.wait()


def _wait_until(condition: Callable[[], bool], what: str, deadline: float) -> None:
    """Bounded polling of real state (process status, row counts)."""
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


@pytest.mark.slow
def test_every_sale_arrives_exactly_once(
    tmp_path: Path, central_db_url: str, demo_products: list[dict[str, Any]]
) -> None:
    rng = random.Random(SEED)
    deadline = time.monotonic() + DEADLINE_S
    logs = tmp_path / "logs"
    logs.mkdir()
    service: CentralProcess = spawn(central_db_url, env=_env(), log_path=logs / "central.log")
    engine = create_db_engine(central_db_url, pool=False)
    proxy = FaultProxy(int(service.url.rsplit(":", 1)[1]), seed=SEED, fault_rate=0.35).start()
    kiosk: Kiosk | None = None
    try:
        # Operator set-up and enrolment straight to the service (the code is single-use).
        harness = _operator(central_db_url, engine, service.url)
        harness.load_catalog(demo_products)
        home = tmp_path / "kiosk"
        store = KioskStore.open(home / "kiosk.db")
        cred = enroll(store, service.url, harness.enrolment_code("S001"), name="under fire")
        sync_now(store)
        # From here on the kiosk only reaches the service through the faulty proxy.
        store.settings.set(
            "sync.credential",
            Credential(**{**cred.to_settings(), "central_url": proxy.url}).to_settings(),
        )
        store.close()

        kiosk_kills = sorted(rng.sample(range(10, SALES - 10), 3))
        central_kills = sorted(rng.sample(range(5, SALES - 20), 2))
        kiosk = Kiosk(home, logs / "kiosk.log")
        kiosk.start()

        def central_count() -> int:
            with engine.begin() as conn:
                return int(conn.execute(select(func.count()).select_from(sales)).scalar_one())

        while True:
            assert kiosk.process is not None
            done = kiosk.process.poll()
            sold, _ = _kiosk_counts(home / "kiosk.db")
            if kiosk_kills and sold >= kiosk_kills[0]:
                kiosk_kills.pop(0)
                kiosk.kill()
                kiosk.start()
                continue
            if central_kills and central_count() >= central_kills[0]:
                central_kills.pop(0)
                service.kill()
                service = spawn(central_db_url, env=_env(), log_path=logs / "central.log")
                proxy.upstream_port = int(service.url.rsplit(":", 1)[1])
                continue
            if done is not None:
                if done == 0 and not kiosk_kills and not central_kills:
                    break
                # Finished before a scheduled kill came due, or failed: run again.
                kiosk_kills.clear()
                central_kills.clear()
                kiosk.start()
            if time.monotonic() > deadline:
                pytest.fail(f"no convergence in {DEADLINE_S} s; faults so far {dict(proxy.counts)}")
            time.sleep(0.05)  # bounded poll of the processes and both databases

        kiosk_db = sqlite3.connect(f"file:{home / 'kiosk.db'}?mode=ro", uri=True)
        kiosk_sales = dict(kiosk_db.execute("SELECT sale_id, total_minor FROM sales").fetchall())
        kiosk_journal = kiosk_db.execute("SELECT count(*) FROM journal").fetchone()[0]
        pending = kiosk_db.execute("SELECT count(*) FROM outbox WHERE sent_at IS NULL").fetchone()[
            0
        ]
        kiosk_db.close()
        with engine.begin() as conn:
            central_sales = dict(conn.execute(select(sales.c.sale_id, sales.c.total_minor)).all())
            central_journal = conn.execute(select(func.count()).select_from(journal)).scalar_one()
            kept = conn.execute(select(conflicts.c.entity, conflicts.c.reason)).all()
        harness.url = service.url
        integrity = harness.op("GET", "/v1/admin/reports/integrity").json()

        assert len(kiosk_sales) == SALES
        assert pending == 0
        assert central_sales == kiosk_sales
        assert sum(central_sales.values()) == sum(kiosk_sales.values())
        assert central_journal == kiosk_journal
        assert [tuple(c) for c in kept] == []
        assert integrity == {"issues": [], "sequence_gaps": []}
        # The run must really have been under fire.
        assert kiosk.runs >= 4
        injected = {k: v for k, v in proxy.counts.items() if k != "pass"}
        assert len(injected) >= 6, injected
    finally:
        if kiosk is not None and kiosk.process is not None and kiosk.process.poll() is None:
            kiosk.kill()
        proxy.stop()
        service.stop()
        engine.dispose()


def _operator(db_url: str, engine: Any, url: str) -> CentralHarness:
    import requests

    from central.kiosks import service as kiosks

    with engine.begin() as conn:
        token = kiosks.add_operator(conn, "fault test", int(time.time() * 1000))
    return CentralHarness(url, db_url, TEST_SECRET, token, engine, requests.Session())
