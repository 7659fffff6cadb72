"""The kiosk's sync operations for its command line, the demo and tests: one round now,
drain the queue, the status as plain data.

The sync thread (`sync.worker.SyncWorker`) runs the same `sync_round`.
"""

from __future__ import annotations

import time
from dataclasses import asdict
from importlib import metadata
from typing import Any

from kiosk.store.uow import KioskStore
from sync.client import Credential, new_client
from sync.enrolment import enroll, load_credential
from sync.errors import SyncError
from sync.relay import ROUTES
from sync.worker import RoundReport, heartbeat, status, sync_round


def enroll_kiosk(
    store: KioskStore, central_url: str, code: str, name: str = "", force: bool = False
) -> Credential:
    return enroll(store, central_url, code, name=name, force=force)


def sync_now(store: KioskStore, *, pull: bool = True) -> RoundReport:
    """One full round (push, then pull) with the usual retries; raises SyncError."""
    client = new_client(load_credential(store))
    try:
        report = sync_round(store, client, pull=pull)
        heartbeat(store, client, app_version())
        return report
    finally:
        client.close()


def app_version() -> str:
    try:
        return metadata.version("scan-to-buy-kiosk")
    except metadata.PackageNotFoundError:
        return "dev"


def pending_known(store: KioskStore) -> int:
    return sum(len(store.outbox.pending(1, kind)) for kind in ROUTES)


def drain(
    store: KioskStore, timeout_s: float = 300.0, batch_size: int | None = None
) -> RoundReport:
    """Sync until nothing the relay can send is pending, or give up after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    client = new_client(load_credential(store))
    report = RoundReport()
    try:
        while True:
            try:
                report = sync_round(store, client, pull=False, batch_size=batch_size)
                if not pending_known(store):
                    return report
            except SyncError as exc:
                report.error = str(exc)
            if time.monotonic() > deadline:
                raise SyncError(f"the queue did not drain in {timeout_s:.0f} s ({report.error})")
    finally:
        client.close()


def status_dict(store: KioskStore) -> dict[str, Any]:
    data = asdict(status(store))
    data["connectivity"] = str(data["connectivity"])
    data.pop("last_error")
    return data
