"""The outbox relay: delivers what the kiosk owes the central service, exactly once.

The kiosk writes each sale, journal entry, member sign-up, ledger event, coupon
redemption, refund and group-buy pickup to its outbox in the transaction that creates
it. The relay sends pending rows in batches and marks a row sent only after the service
acknowledged it (stored or duplicate).
A crash between the service storing a batch and the kiosk marking it sent just means
the batch is sent again, and the service answers "duplicate": at-least-once delivery
plus the service's unique keys gives exactly-once storage.

A "conflict" (same id, different body) is acknowledged too, so it does not block the
queue, but it is recorded in the kiosk's settings and in the row's `last_error`, and
reported in `kiosk sync status` and the heartbeat for a person to look at. A row the
service refuses as malformed (422) is isolated by resending rows one by one, and the
single bad row is treated like a conflict: one poison row never blocks the queue.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from kiosk.services.alerts import ALERT_KIND
from kiosk.services.pickups import PICKUP_KIND
from kiosk.services.refunds import REFUND_KIND, refused
from kiosk.services.transfers import TRANSFER_KIND
from kiosk.store.repositories import OutboxRow
from kiosk.store.uow import KioskStore
from sync.client import CentralClient
from sync.errors import ProtocolError
from sync.groupbuy_protocol import MAX_PICKUPS_PER_BATCH
from sync.loyalty_protocol import (
    LOYALTY_PREFIX,
    MAX_REDEMPTIONS_PER_BATCH,
    REDEMPTION_KIND,
)
from sync.payment_protocol import MAX_REFUNDS_PER_BATCH
from sync.protocol import (
    API_PREFIX,
    MAX_JOURNAL_PER_BATCH,
    MAX_LEDGER_PER_BATCH,
    MAX_MEMBERS_PER_BATCH,
    MAX_SALES_PER_BATCH,
)
from sync.transfer_protocol import MAX_TRANSFERS_PER_BATCH

CONFLICTS_KEY = "sync.conflicts"
JOURNAL_ISSUES_KEY = "sync.journal_issues"
LAST_SYNC_KEY = "sync.last_success_at"
KEEP_CONFLICTS = 200


@dataclass(frozen=True, slots=True)
class Route:
    path: str
    field: str
    id_field: str | None  # None: the whole batch is acknowledged at once (journal)
    batch: int


# Every outbox kind and where it goes, sent in this order each round: a sale before what
# names it, a member sign-up before their ledger events and coupon redemptions.
ROUTES: dict[str, Route] = {
    "sale": Route(f"{API_PREFIX}/sales/batch", "sales", "sale_id", MAX_SALES_PER_BATCH),
    "journal": Route(f"{API_PREFIX}/journal/batch", "entries", None, MAX_JOURNAL_PER_BATCH),
    "member": Route(f"{API_PREFIX}/members/batch", "members", "member_id", MAX_MEMBERS_PER_BATCH),
    "ledger": Route(f"{API_PREFIX}/ledger/batch", "events", "event_id", MAX_LEDGER_PER_BATCH),
    REDEMPTION_KIND: Route(
        f"{LOYALTY_PREFIX}/redemptions/batch",
        "redemptions",
        "redemption_id",
        MAX_REDEMPTIONS_PER_BATCH,
    ),
    # Each change of an alert, for the attendant console and the alerts report.
    ALERT_KIND: Route(f"{API_PREFIX}/attendant/alerts/batch", "alerts", "alert_key", 200),
    # Suspended carts and their resumes: one resume per cart, a second one a conflict.
    TRANSFER_KIND: Route(
        f"{API_PREFIX}/transfers/batch", "transfers", "transfer_key", MAX_TRANSFERS_PER_BATCH
    ),
    # After the sale it refunds and the ledger events whose points it undoes.
    REFUND_KIND: Route(
        f"{API_PREFIX}/refunds/batch", "refunds", "refund_id", MAX_REFUNDS_PER_BATCH
    ),
    # Group-buy orders handed out; one collected on two kiosks offline is a conflict.
    PICKUP_KIND: Route(
        f"{API_PREFIX}/groupbuy/pickups/batch", "pickups", "pickup_id", MAX_PICKUPS_PER_BATCH
    ),
}


@dataclass
class RelayReport:
    sent: int = 0
    duplicates: int = 0
    conflicts: int = 0
    batches: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)


def _now() -> datetime:
    return datetime.now(UTC)


class OutboxRelay:
    def __init__(
        self,
        store: KioskStore,
        client: CentralClient,
        *,
        batch_size: int | None = None,
        clock: Callable[[], datetime] = _now,
    ) -> None:
        self._store = store
        self._client = client
        self._batch_size = batch_size
        self._clock = clock

    def drain(self, max_batches: int = 1_000_000) -> RelayReport:
        """Send until the outbox holds nothing this relay knows how to send.

        Raises `SyncError` subclasses when the service cannot be reached; whatever was
        acknowledged before that stays marked sent.
        """
        report = RelayReport()
        for kind, route in ROUTES.items():
            limit = min(self._batch_size or route.batch, route.batch)
            while report.batches < max_batches:
                rows = self._store.outbox.pending(limit, kind)
                if not rows:
                    break
                settled = report.sent + report.duplicates + report.conflicts
                self._send(kind, route, rows, report)
                report.batches += 1
                report.by_kind[kind] = report.by_kind.get(kind, 0) + len(rows)
                if report.sent + report.duplicates + report.conflicts == settled:
                    # Answered, but about none of these rows: sending them again now would
                    # loop; the next round tries again.
                    break
        if report.batches:
            self._store.settings.set(LAST_SYNC_KEY, self._clock().isoformat())
        return report

    def _send(
        self, kind: str, route: Route, rows: Sequence[OutboxRow], report: RelayReport
    ) -> None:
        body = {route.field: [row.payload for row in rows]}
        try:
            answer = self._client.call(
                "POST", route.path, body=body, idempotency_key=f"{kind}:{rows[0].key}:{len(rows)}"
            )
        except ProtocolError as exc:
            if exc.status != 422:
                raise
            if len(rows) > 1:
                for row in rows:
                    self._send(kind, route, [row], report)
                return
            self._settle(rows, {}, {rows[0].key: f"rejected: {exc}"}, report, kind)
            return
        if route.id_field is None:
            issues = answer.get("issues", []) if isinstance(answer, dict) else []
            if issues:
                self._remember(JOURNAL_ISSUES_KEY, issues)
            self._settle(rows, {row.key: "stored" for row in rows}, {}, report, kind)
            return
        results: dict[str, str] = {}
        conflicts: dict[str, str] = {}
        items: dict[str, dict[str, Any]] = {}
        for item in answer.get("results", []):
            key = str(item.get(route.id_field, "")).lower()
            items[key] = item
            if item.get("result") == "conflict":
                conflicts[key] = str(item.get("detail", "conflict"))
            else:
                results[key] = str(item.get("result"))
        self._settle(rows, results, conflicts, report, kind, items)

    def _settle(
        self,
        rows: Sequence[OutboxRow],
        results: dict[str, str],
        conflicts: dict[str, str],
        report: RelayReport,
        kind: str,
        items: dict[str, dict[str, Any]] | None = None,
    ) -> None:
        acked = [row.id for row in rows if row.key.lower() in results]
        clashed = [row for row in rows if row.key.lower() in conflicts]
        now = self._clock()
        with self._store.transaction():
            if kind == REFUND_KIND:
                self._follow_refunds(rows, items or {}, conflicts)
            if acked or clashed:
                self._store.outbox.mark_sent(acked + [row.id for row in clashed], now)
            for row in clashed:
                self._store.outbox.record_failure(
                    [row.id], f"conflict: {conflicts[row.key.lower()]}"
                )
            if clashed:
                self._remember(
                    CONFLICTS_KEY,
                    [
                        {
                            "kind": kind,
                            "key": row.key,
                            "detail": conflicts[row.key.lower()],
                            "at": now.isoformat(),
                        }
                        for row in clashed
                    ],
                )
            missing = [row.id for row in rows if row.id not in acked and row not in clashed]
            if missing:
                # Answered but not about these rows: keep them pending and say so.
                self._store.outbox.record_failure(missing, "not in the service's answer")
        report.sent += sum(1 for v in results.values() if v == "stored")
        report.duplicates += sum(1 for v in results.values() if v == "duplicate")
        report.conflicts += len(clashed)

    def _follow_refunds(
        self,
        rows: Sequence[OutboxRow],
        items: dict[str, dict[str, Any]],
        conflicts: dict[str, str],
    ) -> None:
        """A refund the supervisor queued (service out of reach) takes the service's answer
        as its status here: what it paid out, or, refused or failed, `failed` with the
        coupons it gave back taken back again, so its units can be refunded anew and no
        coupon is used twice."""
        for row in rows:
            key = row.key.lower()
            method = str(row.payload.get("method", ""))
            item = items.get(key, {})
            if key in conflicts or item.get("status") == "failed":
                refused(self._store, row.key, str(item.get("method", method)))
            elif item:
                self._store.refunds.settle(
                    row.key, str(item["status"]), str(item.get("method", method))
                )

    def _remember(self, key: str, items: list[Any]) -> None:
        kept = list(self._store.settings.get(key, [])) + items
        self._store.settings.set(key, kept[-KEEP_CONFLICTS:])
