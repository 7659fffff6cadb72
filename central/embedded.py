"""Run the central service inside another program (demo, tests) or as a child process.

`start(db)` serves on a loopback port from a background thread and returns a handle
with `url` and `stop()`; `spawn(db)` runs `central serve` as a subprocess (what the
fault-injection tests kill -9) and waits until it answers health checks.

For the demo: `handle = start_demo(folder, catalog_csv)`, then
`code = issue_enrolment_code(handle, "S001")` and, on the kiosk side,
`sync.enrolment.enroll(store, handle.url, code)`.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from fastapi import FastAPI

from central.app import create_app
from central.config import Settings, normalize_db_url, settings_from
from central.errors import CentralError
from central.feeds import service as feeds
from central.kiosks import service as kiosks
from central.loyalty import offers as loyalty_offers
from kiosk.domain.catalog import product_to_wire
from kiosk.domain.catalog_csv import parse_catalog_csv
from sync.protocol import API_PREFIX

START_TIMEOUT_S = 30.0
# Attendant consoles hold an event stream open for ever: shutting down gives in-flight
# requests this long, then closes the streams (the browsers reconnect to the next server).
GRACEFUL_SHUTDOWN_S = 3


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


@dataclass
class EmbeddedCentral:
    url: str
    settings: Settings
    app: FastAPI
    server: uvicorn.Server
    thread: threading.Thread

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=START_TIMEOUT_S)
        self.app.state.central.engine.dispose()


def start(
    db: str | Path,
    port: int = 0,
    host: str = "127.0.0.1",
    env: Mapping[str, str] | None = None,
    settings: Settings | None = None,
) -> EmbeddedCentral:
    """Serve the central service from a thread of this process (SQLite path or DB URL)."""
    settings = settings or settings_from(dict(os.environ) if env is None else env, str(db))
    app = create_app(settings)
    # IPPROTO_TCP given explicitly: only then does asyncio set TCP_NODELAY, without which
    # every keep-alive answer waits ~40 ms for the peer's delayed ACK.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    actual = int(sock.getsockname()[1])
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        lifespan="off",
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="central", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT_S
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise CentralError("the embedded central service did not start")
        time.sleep(0.01)  # bounded wait for uvicorn, which offers no start callback
    return EmbeddedCentral(f"http://{host}:{actual}", settings, app, server, thread)


@dataclass
class CentralProcess:
    url: str
    process: subprocess.Popen[bytes]

    def kill(self) -> None:
        """SIGKILL: no shutdown handlers run, as in a power cut."""
        self.process.kill()
        self.process.wait()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill()


def spawn(
    db: str,
    port: int | None = None,
    env: Mapping[str, str] | None = None,
    log_path: Path | None = None,
) -> CentralProcess:
    """Run `central serve` as a child process on loopback and wait until it is healthy."""
    port = port or free_port()
    args = [sys.executable, "-m", "central.cli", "serve", "--db", normalize_db_url(db)]
    args += ["--host", "127.0.0.1", "--port", str(port)]
    environment = dict(os.environ if env is None else env)
    if log_path is None:
        process = subprocess.Popen(  # noqa: S603
            args, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
    else:
        # The child keeps its own descriptor; ours is closed as soon as it has started.
        with log_path.open("ab") as out:
            process = subprocess.Popen(args, env=environment, stdout=out, stderr=out)  # noqa: S603
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        if process.poll() is not None:
            raise CentralError(f"central serve exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}{API_PREFIX}/health", timeout=2) as answer:  # noqa: S310
                if answer.status == 200:
                    return CentralProcess(url, process)
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() > deadline:
            process.kill()
            raise CentralError("central serve did not become healthy in time")
        time.sleep(0.05)  # bounded poll of a real health check


def issue_enrolment_code(handle: EmbeddedCentral, store_id: str, ttl_hours: int = 24) -> str:
    """A one-time enrolment code from the running service's database (operator task)."""
    with handle.app.state.central.tx() as conn:
        code, _ = kiosks.issue_enrolment_code(conn, store_id, ttl_hours, time.time_ns() // 10**6)
    return code


def import_catalog(handle: EmbeddedCentral, csv_path: Path) -> int:
    """Load a catalog CSV (the kiosk's format) into the service; returns products changed."""
    parsed = parse_catalog_csv(csv_path)
    with handle.app.state.central.tx() as conn:
        return feeds.write(conn, "catalog", [product_to_wire(p) for p in parsed.products], [])


def start_demo(folder: Path, catalog_csv: Path | None = None, port: int = 0) -> EmbeddedCentral:
    """A store's own central service for the demo: SQLite and a generated key in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    handle = start(folder / "central.db", port=port, env={})
    if catalog_csv is not None:
        import_catalog(handle, catalog_csv)
        # The demo chain's offers, when they sit beside the catalog: a kiosk's first pull
        # makes its offers equal to the service's, so the service must hold them. The
        # campaigns first: offers name them, and the console finds them by name.
        for feed in ("campaigns", "promotions", "coupons"):
            offers = catalog_csv.with_name(f"{feed}.csv")
            if offers.exists():
                with handle.app.state.central.tx() as conn:
                    loyalty_offers.import_csv(conn, feed, offers.read_text(encoding="utf-8"))
    return handle
