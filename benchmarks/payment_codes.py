"""Payment-code latency: `python -m benchmarks.payment_codes [--n 50] [--n-paying 20]`.

"Scan → paid on screen", as the kiosk's session sees it: the demo store's real kiosk core
(enrolled with an embedded central service on loopback, SQLite) and its Qt-free
`ShopperSession`; a product is scanned, then a WeChat Pay or Alipay payment code; the
time runs from `ShopperSession.scan(code)` until the session emits the sale's done screen
(`SaleShown`). In between: the charge task (`GatewayPayments.charge_code`, a signed
`POST /v1/payments/code`), the central service's call to the payment-code simulator
(HMAC-signed XML for WeChat Pay, RSA2 both ways for Alipay), and, while the shopper
confirms on the phone, the kiosk watcher's long-poll while the service queries the
provider every `code_poll_s` (1 s, the production default).

Two stories: the simulator answers at once (code ending 00), and the shopper confirms on
the phone after 2 s (code ending 01: USERPAYING / WAIT_BUYER_PAY, then query).
Rendering is not included (the UI benchmark measures the UI thread).
"""

from __future__ import annotations

import argparse
import itertools
import queue
import tempfile
import time
from pathlib import Path

from app.core import build_core
from benchmarks.payments import _stats
from demo.store import demo_central, seed_demo_store
from kiosk.domain.codes import display_gtin
from kiosk.domain.errors import KioskError
from kiosk.domain.scan import ScanEvent, ScanSource, Symbology
from kiosk.services.payment_port import PaymentResult
from kiosk.services.session import Event, SaleShown, Task
from kiosk.services.shopper import ShopperSession

ASSETS = Path(__file__).resolve().parents[1] / "assets"
USER_PAYING_S = 2.0
_serial = itertools.count()


def _code(wallet: str, story: str) -> str:
    n = f"{next(_serial):06d}"
    return f"1345678901{n}{story}" if wallet == "wechat" else f"28763443825{n}{story}"


class _Runner:
    """Runs the session's intents as the UI would, minus Qt: tasks at once, results from
    the payment watcher's thread handed back on this one."""

    def __init__(self, session: ShopperSession, results: queue.Queue[PaymentResult]) -> None:
        self.session = session
        self.results = results
        self.done_at = 0.0
        """When the done screen's event came: the clock stops there, not after the tasks
        that follow it (the e-receipt link)."""

    def take(self, events: list[Event]) -> bool:
        """True once the sale's done screen is among the events."""
        done = False
        for event in events:
            if isinstance(event, Task):
                try:
                    more = event.done(event.run())
                except KioskError as exc:
                    more = event.failed(exc)
                done = self.take(more) or done
            elif isinstance(event, SaleShown):
                self.done_at = time.perf_counter()
                done = True
        return done

    def scan(self, text: str, symbology: Symbology) -> bool:
        event = ScanEvent(text, symbology, ScanSource.CAMERA, 0.0)
        return self.take(self.session.scan(event))

    def until_paid(self, timeout_s: float = 60) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            result = self.results.get(timeout=max(0.01, deadline - time.monotonic()))
            if self.take(self.session.payment_result(result)):
                return
        raise TimeoutError("the payment did not end paid")


def run(n: int, n_paying: int) -> str:
    out = Path(tempfile.mkdtemp(prefix="payment-codes-bench-"))
    demo = seed_demo_store(out, ASSETS)
    product = display_gtin(demo.fixed[0].gtin)
    rows = [
        "| Scan of the payment code → done screen (session events) | n | p50 ms | p95 ms "
        "| max ms | goal |",
        "|---|---|---|---|---|---|",
    ]
    with demo_central(out, ASSETS, user_paying_s=USER_PAYING_S):
        core = build_core(out)
        results: queue.Queue[PaymentResult] = queue.Queue()
        core.payments.subscribe(results.put)
        session = ShopperSession(core)
        runner = _Runner(session, results)
        runner.take(session.open())
        try:
            for wallet, story, count, goal in [
                ("wechat", "00", n, "p95 ≤ 1,000 ms"),
                ("alipay", "00", n, "p95 ≤ 1,000 ms"),
                ("wechat", "01", n_paying, "p95 ≤ 2 s + 1,500 ms"),
                ("alipay", "01", n_paying, "p95 ≤ 2 s + 1,500 ms"),
            ]:
                samples = []
                for _ in range(count + 1):  # the first warms connections and code paths
                    runner.scan(product, Symbology.EAN13)
                    started = time.perf_counter()
                    if not runner.scan(_code(wallet, story), Symbology.CODE128):
                        runner.until_paid()
                    samples.append((runner.done_at - started) * 1000)
                    runner.take(session.next_shopper())
                name = "WeChat Pay micropay" if wallet == "wechat" else "Alipay trade.pay"
                when = "answered at once" if story == "00" else "2 s user paying"
                rows.append(_stats(f"{name}, {when}", goal, samples[1:]))
        finally:
            core.close()  # stops the payment watchers too
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Payment-code latency benchmark")
    parser.add_argument("--n", type=int, default=50, help="samples answered at once, per wallet")
    parser.add_argument("--n-paying", type=int, default=20, help="samples with user paying")
    args = parser.parse_args(argv)
    print(run(args.n, args.n_paying))


if __name__ == "__main__":
    main()
