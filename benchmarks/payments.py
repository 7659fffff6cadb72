"""Payment latency benchmark: `python -m benchmarks.payments [--n 200] [--db URL]`.

Runs the central service (payments installed) and the WeChat Pay simulator on
loopback, enrols a kiosk, and measures, as the kiosk sees it:

- Pay → QR: a signed `POST /v1/payments` until the QR payload is back (sandbox, and
  WeChat Pay through the simulator: RSA signing both ways);
- callback → kiosk "paid": the provider's callback is sent while the kiosk long-polls
  `GET /v1/payments/{id}?wait=20`; the time until the long-poll answers paid;
- exit-code verification: parse + Ed25519 check (in process), and the whole
  `POST /v1/exit-codes/verify` (HTTP, database, first-use record).

Prints a Markdown table (p50/p95/max in milliseconds). SQLite in a temporary folder
unless `--db` names another database.
"""

from __future__ import annotations

import argparse
import json
import secrets
import statistics
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from central.app import create_app
from central.config import Settings, new_secret_key
from central.embedded import free_port
from central.kiosks import service as kiosks
from central.payments.config import PaymentsConfig, StoreConfig
from central.payments.providers.sandbox import SandboxProvider
from central.payments.runtime import install
from kiosk.domain.exit_code import ExitPass, encode, split
from kiosk.domain.ids import IdFactory
from simulators.wechat_pay import WeChatSimulator
from sync.protocol import (
    HEADER_KEY,
    HEADER_NONCE,
    HEADER_SIGNATURE,
    HEADER_TIMESTAMP,
    decode_secret,
    sign,
)

IDS = IdFactory()


class _Kiosk:
    def __init__(self, url: str, enrolment: dict[str, Any]) -> None:
        self.url = url
        self.key_id = str(enrolment["key_id"])
        self.kiosk_id = str(enrolment["kiosk_id"])
        self.secret = decode_secret(str(enrolment["secret"]))
        self.http = requests.Session()

    def call(self, method: str, path: str, body: Any = None) -> Any:
        data = b"" if body is None else json.dumps(body).encode()
        route, _, query = path.partition("?")
        ts, nonce = str(int(time.time())), secrets.token_hex(16)
        headers = {
            HEADER_KEY: self.key_id,
            HEADER_TIMESTAMP: ts,
            HEADER_NONCE: nonce,
            HEADER_SIGNATURE: sign(self.secret, method, route, query, data, ts, nonce, self.key_id),
            "Content-Type": "application/json",
        }
        answer = self.http.request(method, self.url + path, data=data or None, headers=headers)
        answer.raise_for_status()
        return answer.json()


def _payment(provider: str) -> dict[str, Any]:
    return {
        "payment_id": IDS.new(),
        "sale_id": str(uuid.uuid4()),
        "amount_minor": 2600,
        "currency": "CNY",
        "provider": provider,
        "description": "Demo Market bench",
    }


def _stats(name: str, goal: str, samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (
        f"| {name} | {len(samples)} | {statistics.median(ordered):.2f} | {p95:.2f} "
        f"| {ordered[-1]:.2f} | {goal} |"
    )


def _timed(n: int, step: Callable[[], float | None]) -> list[float]:
    out = []
    for _ in range(n):
        started = time.perf_counter()
        measured = step()
        out.append(measured if measured is not None else (time.perf_counter() - started) * 1000)
    return out


def _notify_to_paid(
    kiosk: _Kiosk, provider: str, n: int, pay: Callable[[dict[str, Any]], None]
) -> list[float]:
    samples = []
    for _ in range(n):
        view = kiosk.call("POST", "/v1/payments", _payment(provider))
        answered: dict[str, Any] = {}

        def poll(payment_id: str = view["payment_id"], out: dict[str, Any] = answered) -> None:
            out["view"] = kiosk.call("GET", f"/v1/payments/{payment_id}?wait=20")
            out["at"] = time.perf_counter()

        poller = threading.Thread(target=poll)
        poller.start()
        time.sleep(0.15)  # the long-poll is waiting now (a bench, not a test)
        sent = time.perf_counter()
        pay(view)
        poller.join(timeout=30)
        if answered.get("view", {}).get("status") != "paid":
            raise RuntimeError(f"payment not seen as paid: {answered}")
        samples.append((answered["at"] - sent) * 1000)
    return samples


def run(n: int, db_url: str | None) -> str:
    folder = Path(tempfile.mkdtemp(prefix="payments-bench-"))
    url_db = db_url or f"sqlite:///{folder / 'central.db'}"
    master = new_secret_key().encode()
    sim = WeChatSimulator()
    sim.start()
    store = StoreConfig(default_provider="sandbox", wechat=sim.config())
    settings = Settings(db_url=url_db, secret_key=master)
    app = create_app(settings)
    port = free_port()
    install(app, PaymentsConfig(default_store=store, public_url=f"http://127.0.0.1:{port}"))
    import uvicorn

    server = uvicorn.Server(
        uvicorn.Config(app, port=port, log_level="warning", access_log=False, lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    url = f"http://127.0.0.1:{port}"
    try:
        with app.state.central.tx() as conn:
            token = kiosks.add_operator(conn, "bench", int(time.time() * 1000))
            code, _ = kiosks.issue_enrolment_code(conn, "S001", 1, int(time.time() * 1000))
        enrolment = requests.post(f"{url}/v1/enrol", json={"code": code}, timeout=30).json()
        kiosk = _Kiosk(url, enrolment)
        for provider in ("sandbox", "wechat"):  # warm up connections and code paths
            kiosk.call("POST", "/v1/payments", _payment(provider))
        rows = [
            "| Measure (loopback, kiosk's view) | n | p50 ms | p95 ms | max ms | goal |",
            "|---|---|---|---|---|---|",
        ]
        sandbox = _timed(
            n, lambda: kiosk.call("POST", "/v1/payments", _payment("sandbox")) and None
        )
        rows.append(_stats("Pay → QR payload (sandbox)", "p95 ≤ 300 ms", sandbox))
        wechat = _timed(n, lambda: kiosk.call("POST", "/v1/payments", _payment("wechat")) and None)
        rows.append(_stats("Pay → QR payload (WeChat Pay via simulator)", "p95 ≤ 300 ms", wechat))

        notifier = SandboxProvider(master, 120, 300)
        http = requests.Session()

        def sandbox_pay(view: dict[str, Any]) -> None:
            body = json.dumps(
                {"payment_id": view["payment_id"], "state": "paid", "amount_minor": 2600,
                 "currency": "CNY", "reference": "SBX" + secrets.token_hex(6),
                 "paid_at": datetime.now(UTC).isoformat()}
            ).encode()  # fmt: skip
            headers = notifier.sign(body, str(int(time.time())))
            http.post(
                f"{url}/v1/providers/sandbox/notify", data=body, headers=headers
            ).raise_for_status()

        def wechat_pay(view: dict[str, Any]) -> None:
            answer = sim.pay(view["payment_id"].replace("-", ""))
            if answer is None or answer.status_code != 200:
                raise RuntimeError("WeChat callback refused")

        rounds = max(10, n // 4)
        paid_sandbox = _notify_to_paid(kiosk, "sandbox", rounds, sandbox_pay)
        rows.append(_stats("Callback → kiosk long-poll sees paid (sandbox)", "p95 ≤ 500 ms",
                           paid_sandbox))  # fmt: skip
        paid_wechat = _notify_to_paid(kiosk, "wechat", rounds, wechat_pay)
        rows.append(_stats("Callback → kiosk long-poll sees paid (WeChat, RSA + AES-GCM)",
                           "p95 ≤ 500 ms", paid_wechat))  # fmt: skip

        key = Ed25519PrivateKey.generate()
        public = key.public_key()
        kiosk.call(
            "PUT", "/v1/kiosk/exit-key",
            {"public_key": public.public_bytes(Encoding.Raw, PublicFormat.Raw).hex()},
        )  # fmt: skip

        def new_code() -> str:
            exit_pass = ExitPass(kiosk.kiosk_id, str(uuid.uuid4()), 1, 2600, "CNY", 5,
                                 datetime.now(UTC))  # fmt: skip
            return encode(exit_pass, key.sign(exit_pass.signed_bytes()))

        codes = [new_code() for _ in range(n)]

        def check(code: str) -> None:
            data, signature = split(code)
            ExitPass.from_signed_bytes(data)
            public.verify(signature, data)

        it = iter(codes)
        rows.append(_stats("Exit code: parse + Ed25519 verify (in process)", "≤ 1 ms",
                           _timed(n, lambda: check(next(it)))))  # fmt: skip
        it2 = iter(codes)
        rows.append(
            _stats("Exit code: POST /v1/exit-codes/verify (HTTP + DB, first use)", "—",
                   _timed(n, lambda: kiosk.call("POST", "/v1/exit-codes/verify",
                                                {"code": next(it2)}) and None))
        )  # fmt: skip
        del token
        engine = "PostgreSQL" if url_db.startswith("postgresql") else "SQLite"
        return "\n".join(rows) + f"\n\nDatabase: {engine}; long-poll re-reads every 50 ms."
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sim.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Payment latency benchmark")
    parser.add_argument("--n", type=int, default=200, help="samples per measure")
    parser.add_argument("--db", default=None, help="database URL (default: temporary SQLite)")
    args = parser.parse_args(argv)
    print(run(args.n, args.db))


if __name__ == "__main__":
    main()
