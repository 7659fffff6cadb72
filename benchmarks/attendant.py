"""Kiosk event → attendant console tile: `python -m benchmarks.attendant [--n 30]`.

A real central service on loopback, a real kiosk core (Qt-free session) enrolled with
it and its sync worker on its own thread, and the console open in headless Chromium.
Each round the shopper presses "call staff"; the session saves the alert to the outbox
and wakes the sync worker, which relays it; the console's event stream shows it. Timed
from the press to the tile showing the alert in the browser (as the attendant sees it),
then the shopper withdraws the call and the tile is waited clear. Prints p50/p95/max.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher

from app.core import build_core
from central.embedded import issue_enrolment_code, start
from central.feeds import service as feeds
from demo.store import seed_demo_store
from kiosk.services.shopper import ShopperSession
from kiosk.store.uow import KioskStore
from sync.enrolment import enroll
from sync.worker import SyncWorker
from tools.browser import MISSING, available, chromium

ASSETS = Path(__file__).resolve().parents[1] / "assets"


def _ms(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run(n: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        handle = start(folder / "central.db", env={})
        with handle.app.state.central.tx() as conn:
            record = {"staff_id": "E100", "name": "Li Na", "role": "associate",
                      "pin_hash": PasswordHasher().hash("2468")}  # fmt: skip
            feeds.write(conn, "staff", [record], [])
        home = folder / "kiosk"
        seed_demo_store(home, ASSETS)
        store = KioskStore.open(home / "kiosk.db")
        enroll(store, handle.url, issue_enrolment_code(handle, "S001"), name="Kiosk 1", force=True)
        store.close()
        core = build_core(home)
        session = ShopperSession(core)
        session.open()
        worker = SyncWorker(lambda: KioskStore.open(home / "kiosk.db"), interval_s=5.0)
        worker.start()
        times: list[float] = []
        try:
            with chromium() as browser:
                page: Any = browser.new_page(viewport={"width": 1024, "height": 768})
                page.goto(f"{handle.url}/attendant/S001/?lang=en")
                page.fill("#staff_id", "E100")
                page.fill("#pin", "2468")
                page.click("#sign_in")
                page.wait_for_selector(".tile")
                for _ in range(n):
                    started = time.perf_counter()
                    session.call_assistance()
                    worker.wake()  # what the kiosk's UI does when its alerts change
                    [alert] = session.alerts
                    page.wait_for_selector(f"[data-alert='{alert.alert_id}']", timeout=10_000)
                    times.append((time.perf_counter() - started) * 1000)
                    session.withdraw_call()
                    worker.wake()
                    page.wait_for_selector(".tile.alert", state="detached", timeout=10_000)
        finally:
            worker.stop()
            core.close()
            handle.stop()
    return {"n": float(len(times)), "p50": statistics.median(times), "p95": _ms(times, 0.95),
            "max": max(times)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=30)
    args = parser.parse_args()
    if not available():
        raise SystemExit(MISSING)
    load = os.getloadavg()[0]
    figures = run(args.n)
    print(f"Kiosk event to attendant console tile ({figures['n']:.0f} alerts, headless "
          f"Chromium, loopback, SQLite; load average {load:.2f} before, "
          f"{os.getloadavg()[0]:.2f} after, {os.cpu_count()} CPUs):")  # fmt: skip
    print("| what | p50 | p95 | max |")
    print("|---|---|---|---|")
    print(f"| shopper calls staff → tile shows the alert | {figures['p50']:.0f} ms | "
          f"{figures['p95']:.0f} ms | {figures['max']:.0f} ms |")  # fmt: skip


if __name__ == "__main__":
    main()
