"""A refund in flight when the central process dies: `central serve` run as a real
process (as the sync fault test does) with the WeChat Pay simulator as the tender's
provider, killed with SIGKILL after WeChat accepted a refund and while the service was
asking about it, then restarted on the same address. Once through WeChat's retried
refund callback, once through the kiosk's re-sent push (the query path): each refund is
settled exactly once, WeChat refunded each once, and the report nets them once."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import Engine, select

from central.db import create_db_engine
from central.embedded import CentralProcess, free_port, spawn
from central.sales.tables import refunds
from simulators.wechat_pay import WeChatSimulator
from sync.protocol import encode_secret
from tests.integration.conftest import TEST_SECRET
from tests.integration.payments.conftest import Kiosk, TestClock
from tests.integration.payments.test_refunds import CAKE, TEA, paid_sale, push, refund
from tests.integration.sync.test_sync_faults import _operator, _wait_until

STUCK = 10**6  # WeChat answers PROCESSING this many times: the refund stays in flight


@pytest.fixture
def sim() -> Iterator[WeChatSimulator]:
    simulator = WeChatSimulator()
    simulator.start()
    yield simulator
    simulator.stop()


def _status(engine: Engine, refund_id: str) -> str | None:
    with engine.begin() as conn:
        found = conn.execute(select(refunds.c.status).where(refunds.c.refund_id == refund_id))
        return found.scalar_one_or_none()


def _killed_in_flight(
    service: CentralProcess, kiosk: Kiosk, document: dict[str, Any], sim: WeChatSimulator,
    engine: Engine,
) -> None:  # fmt: skip
    """Push the refund and SIGKILL the service once WeChat has accepted it and the
    service has asked about it at least once (it is in its query loop, the row
    `processing`): the push's connection dies with it."""
    number = document["refund_id"].replace("-", "")
    failures: list[BaseException] = []

    def send() -> None:
        try:
            push(kiosk, document)
        except requests.RequestException as exc:
            failures.append(exc)

    thread = threading.Thread(target=send)
    thread.start()
    deadline = time.monotonic() + 60
    _wait_until(
        lambda: number in sim.refunds and sim.refunds[number]["left"] <= STUCK - 2,
        "WeChat to accept the refund and be asked about it",
        deadline,
    )
    assert _status(engine, document["refund_id"]) == "processing"
    service.kill()
    thread.join(timeout=60)
    assert len(failures) == 1  # the kiosk never got an answer


def test_a_refund_in_flight_when_central_is_killed_is_settled_once(
    tmp_path: Path, central_db_url: str, sim: WeChatSimulator
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    config = sim.write_config(
        tmp_path / "wechat", public_url=url, refund_wait_s=120, refund_poll_s=0.05
    )
    env = {
        **os.environ,
        "CENTRAL_SECRET_KEY": encode_secret(TEST_SECRET),
        "CENTRAL_PAYMENTS_CONFIG": str(config),
    }
    log = tmp_path / "central.log"
    service = spawn(central_db_url, port=port, env=env, log_path=log)
    engine = create_db_engine(central_db_url, pool=False)
    try:
        harness = _operator(central_db_url, engine, url)
        kiosk = Kiosk(harness.enrol(), url, TestClock())
        doc = paid_sale(kiosk, provider="wechat", sim=sim)
        otn = doc["tenders"][0]["payment_id"].replace("-", "")
        sim.refund_processing = STUCK

        # 1. Killed in flight; WeChat finishes while the service is down, so its
        # callback is not acknowledged; restarted, WeChat's retry settles the refund.
        one_tea = refund(doc, {1: (1, TEA)})
        _killed_in_flight(service, kiosk, one_tea, sim, engine)
        sim.finish_refund(one_tea["refund_id"].replace("-", ""))
        assert sim.refund_notify_answers == [0]
        service = spawn(central_db_url, port=port, env=env, log_path=log)
        assert sim.redeliver() == [200]
        assert _status(engine, one_tea["refund_id"]) == "refunded"
        # The kiosk's relay sends the row again: answered as it stands, nothing sent.
        refunds_before = len(sim.refunds)
        (again,) = push(kiosk, one_tea).json()["results"]
        assert (again["result"], again["status"]) == ("duplicate", "refunded")

        # 2. Killed in flight again; restarted, the kiosk's re-send asks WeChat (the
        # same out_refund_no: the same refund) and settles it by the query.
        rest = refund(doc, {1: (2, 2 * TEA), 2: (1, CAKE)})
        _killed_in_flight(service, kiosk, rest, sim, engine)
        sim.refund_notify = False  # no callback this time: only the query can tell
        sim.refunds[rest["refund_id"].replace("-", "")]["left"] = 0
        service = spawn(central_db_url, port=port, env=env, log_path=log)
        (settled,) = push(kiosk, rest).json()["results"]
        assert (settled["result"], settled["status"]) == ("duplicate", "refunded")
        assert push(kiosk, rest).json()["results"][0] == settled

        # WeChat refunded each refund once, the whole order and no more.
        mine = [r for r in sim.refunds.values() if r["request"]["out_trade_no"] == otn]
        assert len(mine) == 2 == refunds_before + 1
        assert sum(r["doc"]["amount"]["refund"] for r in mine) == 3 * TEA + CAKE
        harness.url = service.url
        (total,) = harness.op("GET", "/v1/admin/reports/sales").json()["totals"]
        assert (total["refund_count"], total["refund_minor"], total["net_minor"]) == (
            2,
            3 * TEA + CAKE,
            0,
        )
    finally:
        service.stop()
        engine.dispose()
