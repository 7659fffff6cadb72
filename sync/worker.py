"""The sync loop: relay the outbox, pull feeds, send heartbeats, on a background thread.

A plain `threading.Thread` with an `Event` to stop and one to wake it early (`sync
now`), so the CLI, tests and a Qt wrapper can all use it. The thread opens its own
kiosk store connection (one SQLite connection per thread). It never raises out of
the loop: a failed round is recorded in the connectivity state and retried at the
next interval, while the kiosk keeps selling from its local store.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kiosk.domain.errors import KioskError
from kiosk.services.config import (
    REFUSED_ITEMS_KEY,
    REJECTED_RULES_KEY,
    REJECTED_STORE_RULES_KEY,
)
from kiosk.services.pickups import PICKUP_KEY_KEY, READY_ORDERS_KEY
from kiosk.services.transfers import KIOSK_KEYS_KEY
from kiosk.store.uow import KioskStore
from sync.client import CentralClient, new_client
from sync.connectivity import Connectivity, State
from sync.enrolment import load_credential
from sync.errors import SyncError
from sync.groupbuy_protocol import OrderView, PickupKey
from sync.payment_protocol import StoreKeys
from sync.protocol import ANSWER, API_PREFIX, MAX_ERRORS, Heartbeat
from sync.pullers import FeedPuller
from sync.relay import CONFLICTS_KEY, LAST_SYNC_KEY, ROUTES, OutboxRelay, RelayReport

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SyncStatus:
    enrolled: bool
    central_url: str
    kiosk_id: str
    connectivity: State
    queue_depth: int
    oldest_pending_at: str | None
    last_sync_at: str | None
    conflicts: list[dict[str, Any]]
    last_error: str
    rejected_rules: dict[str, str]
    """Central barcode rules this kiosk refused, by rule_id, with the reason."""
    rejected_store_rules: str | None
    """Why this kiosk refused the chain's newest rules for its store, if it did."""
    refused_items: dict[str, dict[str, str]]
    """Products and offers this kiosk's version cannot read: feed → key → reason."""

    @property
    def refused(self) -> int:
        """How many feed items a newer service sent that this version cannot read: an
        update of the kiosk reads them. (A refused rule may be the chain's own mistake,
        store rules in another currency a setup one: they are among the `problems`.)"""
        return sum(len(keys) for keys in self.refused_items.values())

    def problems(self) -> list[str]:
        """What the central service should hear of, one line each, at most the heartbeat's
        `MAX_ERRORS` (the last line then counts the rest)."""
        lines = [f"barcode rule {key} refused: {why}" for key, why in self.rejected_rules.items()]
        if self.rejected_store_rules:
            lines.append(f"store rules refused: {self.rejected_store_rules}")
        lines += [
            f"{feed} {key} refused: {why}"
            for feed, keys in sorted(self.refused_items.items())
            for key, why in sorted(keys.items())
        ]
        if len(lines) <= MAX_ERRORS:
            return lines
        shown = MAX_ERRORS - 1
        return [*lines[:shown], f"… and {len(lines) - shown} more (kiosk sync status)"]


def status(store: KioskStore, connectivity: Connectivity | None = None) -> SyncStatus:
    data = store.settings.get("sync.credential")
    snap = connectivity.snapshot() if connectivity else None
    return SyncStatus(
        enrolled=data is not None,
        central_url=str(data["central_url"]) if data else "",
        kiosk_id=str(data["kiosk_id"]) if data else "",
        connectivity=snap.state if snap else State.OFFLINE,
        # What the relay sends; kinds without a route yet (`alert`) are not a backlog.
        queue_depth=store.outbox.depth(ROUTES),
        oldest_pending_at=store.outbox.oldest_pending_at(ROUTES),
        last_sync_at=store.settings.get(LAST_SYNC_KEY),
        conflicts=list(store.settings.get(CONFLICTS_KEY, [])),
        last_error=snap.last_error if snap else "",
        rejected_rules=dict(store.settings.get(REJECTED_RULES_KEY, {})),
        rejected_store_rules=store.settings.get(REJECTED_STORE_RULES_KEY),
        refused_items={
            feed: {key: str(entry["reason"]) for key, entry in keys.items()}
            for feed, keys in store.settings.get(REFUSED_ITEMS_KEY, {}).items()
        },
    )


@dataclass
class RoundReport:
    relay: RelayReport = field(default_factory=RelayReport)
    pulled: dict[str, int] = field(default_factory=dict)
    error: str = ""


def heartbeat(
    store: KioskStore,
    client: CentralClient,
    app_version: str,
    camera_fps: float | None = None,
) -> None:
    s = status(store, client.connectivity)
    oldest_sale = store.outbox.pending(1, "sale")
    beat = Heartbeat(
        app_version=app_version,
        queue_depth=s.queue_depth,
        oldest_unsent_at=oldest_sale[0].created_at if oldest_sale else None,
        last_sync_at=s.last_sync_at,
        connectivity=s.connectivity.value,
        camera_fps=camera_fps,
        errors=s.problems(),
        conflicts=len(s.conflicts),
    )
    client.call("POST", f"{API_PREFIX}/heartbeat", body=beat.model_dump(mode="json"), attempts=1)


def pull_store_keys(store: KioskStore, client: CentralClient) -> None:
    """The store's kiosks' public keys, so this kiosk checks their transfer codes offline
    (`kiosk.services.transfers`); the whole set each time, so a revoked kiosk drops out."""
    answer = client.call("GET", f"{API_PREFIX}/kiosk/store-keys")
    keys = StoreKeys.model_validate(answer, context=ANSWER).keys
    store.settings.set(KIOSK_KEYS_KEY, keys)


def pull_pickups(store: KioskStore, client: CentralClient) -> None:
    """The store's pickup key and its group-buy orders that may be handed out, so this
    kiosk checks pickup codes and hands orders out offline (`kiosk.services.pickups`)."""
    key = PickupKey.model_validate(
        client.call("GET", f"{API_PREFIX}/kiosk/pickup-key"), context=ANSWER
    )
    answer = client.call("GET", f"{API_PREFIX}/groupbuy/ready-orders")
    orders = [
        OrderView.model_validate(order, context=ANSWER).model_dump(mode="json") for order in answer
    ]
    with store.transaction():
        store.settings.set(PICKUP_KEY_KEY, key.model_dump(mode="json"))
        store.settings.set(READY_ORDERS_KEY, orders)


def sync_round(
    store: KioskStore,
    client: CentralClient,
    *,
    pull: bool = True,
    batch_size: int | None = None,
) -> RoundReport:
    """One round: push everything pending, then pull every feed.

    Raises SyncError on failure; what was acknowledged before stays acknowledged.
    """
    report = RoundReport()
    report.relay = OutboxRelay(store, client, batch_size=batch_size).drain()
    if pull:
        report.pulled = FeedPuller(store, client).pull_all()
        pull_store_keys(store, client)
        pull_pickups(store, client)
    store.settings.set(LAST_SYNC_KEY, time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
    return report


class SyncWorker:
    """Runs `sync_round` every `interval_s` (sooner after `wake()`), heartbeats every
    `heartbeat_s`. `stop()` returns once the thread has finished its current request."""

    def __init__(
        self,
        open_store: Callable[[], KioskStore],
        *,
        app_version: str = "",
        interval_s: float = 5.0,
        pull_every: int = 12,
        heartbeat_s: float = 30.0,
        connectivity: Connectivity | None = None,
        client_factory: Callable[..., CentralClient] = new_client,
        camera_fps: Callable[[], float | None] = lambda: None,
        batch_size: int | None = None,
    ) -> None:
        self._batch_size = batch_size
        self._open_store = open_store
        self._app_version = app_version
        self._interval_s = interval_s
        self._pull_every = pull_every
        self._heartbeat_s = heartbeat_s
        self.connectivity = connectivity or Connectivity()
        self._client_factory = client_factory
        self._camera_fps = camera_fps
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self.rounds = 0
        self.last_report: RoundReport | None = None
        self._round_done = threading.Condition()

    def start(self) -> None:
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="sync", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def wait_rounds(self, count: int, timeout: float) -> bool:
        """Block until `count` rounds have completed (for tests and `sync now`)."""
        with self._round_done:
            return self._round_done.wait_for(lambda: self.rounds >= count, timeout)

    def _run(self) -> None:
        store = self._open_store()
        client: CentralClient | None = None
        last_beat = 0.0
        try:
            while not self._stop.is_set():
                report = RoundReport()
                try:
                    if client is None:
                        client = self._client_factory(
                            load_credential(store), connectivity=self.connectivity
                        )
                    report = sync_round(
                        store,
                        client,
                        pull=self.rounds % self._pull_every == 0,
                        batch_size=self._batch_size,
                    )
                    if time.monotonic() - last_beat >= self._heartbeat_s:
                        heartbeat(store, client, self._app_version, self._camera_fps())
                        last_beat = time.monotonic()
                except (SyncError, KioskError) as exc:
                    # KioskError: the local store was busy or full; the next round retries.
                    report.error = str(exc)
                    log.info("sync round failed: %s", exc)
                with self._round_done:
                    self.rounds += 1
                    self.last_report = report
                    self._round_done.notify_all()
                self._wake.wait(self._interval_s)
                self._wake.clear()
        finally:
            if client is not None:
                client.close()
            store.close()
