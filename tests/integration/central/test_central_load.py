"""Twenty kiosks pushing at once to a real `central serve`: every sale stored exactly once.

Each kiosk sends its sales in batches from its own thread, all starting together, then
sends every batch again (a retry after a lost answer). The service must answer each sale
`stored` once and `duplicate` after, keep no conflict, and report exactly the kiosks'
takings.
"""

from __future__ import annotations

import concurrent.futures
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from central.db import create_db_engine
from central.embedded import spawn
from central.sales.tables import sales as sales_table
from sync.client import CentralClient, Credential
from sync.protocol import encode_secret
from tests.integration.central.test_central_sales import sale
from tests.integration.conftest import FAST_RETRY, TEST_SECRET, CentralHarness

KIOSKS = 20
SALES_PER_KIOSK = 60
BATCH = 15


@pytest.mark.slow
def test_twenty_kiosks_pushing_at_once_store_every_sale_once(
    central_db_url: str, tmp_path: Path
) -> None:
    import os

    import requests

    from central.kiosks import service as kiosks

    service = spawn(
        central_db_url,
        env={**os.environ, "CENTRAL_SECRET_KEY": encode_secret(TEST_SECRET)},
        log_path=tmp_path / "central.log",
    )
    engine = create_db_engine(central_db_url, pool=False)
    try:
        with engine.begin() as conn:
            token = kiosks.add_operator(conn, "load test", int(time.time() * 1000))
        harness = CentralHarness(
            service.url, central_db_url, TEST_SECRET, token, engine, requests.Session()
        )
        creds = [harness.enrol("S001" if n % 2 else "S002") for n in range(KIOSKS)]
        plans = {
            c.kiosk_id: [sale(c, s, total=100 + s) for s in range(1, SALES_PER_KIOSK + 1)]
            for c in creds
        }
        start = threading.Barrier(KIOSKS)

        def push(cred: Credential) -> list[str]:
            client = CentralClient(service.url, cred, retry=FAST_RETRY)
            results: list[str] = []
            start.wait()
            for _ in range(2):  # the second round is a retry of everything
                documents = plans[cred.kiosk_id]
                for i in range(0, len(documents), BATCH):
                    body: dict[str, Any] = {"sales": documents[i : i + BATCH]}
                    answer = client.call("POST", "/v1/sales/batch", body=body)
                    results += [r["result"] for r in answer["results"]]
            client.close()
            return results

        began = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(KIOSKS) as pool:
            outcomes = list(pool.map(push, creds))
        elapsed = time.monotonic() - began
        for results in outcomes:
            assert results == ["stored"] * SALES_PER_KIOSK + ["duplicate"] * SALES_PER_KIOSK
        with engine.begin() as conn:
            stored = conn.execute(select(sales_table.c.sale_id, sales_table.c.total_minor)).all()
        sent = {s["sale_id"]: s["total_minor"] for plan in plans.values() for s in plan}
        assert len(stored) == len(sent) == KIOSKS * SALES_PER_KIOSK
        assert dict(stored) == sent
        report = harness.op("GET", "/v1/admin/reports/sales").json()
        assert report["conflicts"] == 0
        assert sum(t["total_minor"] for t in report["totals"]) == sum(sent.values())
        print(f"{KIOSKS} kiosks, {len(sent)} sales twice each: {elapsed:.1f} s")
        harness.session.close()
    finally:
        service.stop()
        engine.dispose()
