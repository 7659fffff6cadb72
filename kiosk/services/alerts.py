"""The kiosk's alerts (`kiosk.domain.alerts`) kept in its database.

Every change of an alert is one transaction: its latest version in `alerts`, a journal
entry, and an outbox row of kind `alert` keyed `<alert_id>:<version>`, so the attendant
console (issue #13.2) can later receive every raise, acknowledgement and clear in order,
also those made while the kiosk was offline. Open alerts live in the database, not in the
session: a reset or a restart shows them again until staff clear them.
"""

from __future__ import annotations

from kiosk.domain.alerts import SHOPPER, Alert, AlertError, AlertReason
from kiosk.domain.audit import AuditCause
from kiosk.domain.errors import Reason
from kiosk.domain.ids import IdFactory
from kiosk.domain.money import Money
from kiosk.services.journaling import append_journal
from kiosk.services.ports import Clock
from kiosk.store.uow import KioskStore

ALERT_KIND = "alert"
"""The outbox kind of an alert's versions."""
KIOSK_ACTOR = "kiosk"
SHOPPER_RAISED = frozenset({AlertReason.SHOPPER_CALL, AlertReason.PRICE_QUERY})
"""Alerts the shopper asks for (journalled as theirs); the kiosk raises the others."""


class Alerts:
    """Not thread-safe: the session's thread calls it."""

    def __init__(self, store: KioskStore, kiosk_id: str, clock: Clock, ids: IdFactory) -> None:
        self._store = store
        self._kiosk_id = kiosk_id
        self._clock = clock
        self._ids = ids

    def open(self) -> list[Alert]:
        """Oldest first."""
        return self._store.alerts.open_alerts()

    def raise_alert(
        self,
        reason: AlertReason,
        *,
        line_no: int | None = None,
        amount: Money | None = None,
        gtin: str | None = None,
    ) -> Alert:
        """Raise an alert, unless one for the same reason, line and item is open already: a
        shopper pressing "help" twice, or scanning the same unknown label again, still
        waits for one person (a second unknown item is a second thing to fetch)."""
        for alert in self.open():
            if alert.reason is reason and (alert.line_no, alert.gtin) == (line_no, gtin):
                return alert
        alert = Alert(
            alert_id=self._ids.new(),
            kiosk_id=self._kiosk_id,
            reason=reason,
            raised_at=self._clock.now(),
            line_no=line_no,
            amount=amount,
            gtin=gtin,
        )
        actor = SHOPPER if reason in SHOPPER_RAISED else KIOSK_ACTOR
        self._save(alert, actor)
        return alert

    def raise_audit(self, sale_id: str, sequence: int, cause: AuditCause, total: Money) -> Alert:
        """Call staff to check a paid sale's bag; the journal says which sale and why it
        was picked (the alert names only the amount), in the alert's transaction."""
        with self._store.transaction():
            alert = self.raise_alert(AlertReason.EXIT_AUDIT, amount=total)
            append_journal(
                self._store,
                self._clock.now(),
                "exit_audit_selected",
                KIOSK_ACTOR,
                {
                    "alert_id": alert.alert_id,
                    "sale_id": sale_id,
                    "sequence": sequence,
                    "cause": cause.value,
                    "total_minor": total.minor,
                    "currency": total.currency,
                },
            )
        return alert

    def acknowledge(self, alert_id: str, staff_id: str) -> Alert:
        alert = self._get(alert_id).acknowledge(staff_id, self._clock.now())
        self._save(alert, staff_id)
        return alert

    def clear(self, alert_id: str, staff_id: str) -> Alert:
        alert = self._get(alert_id).clear(staff_id, self._clock.now())
        self._save(alert, staff_id)
        return alert

    def withdraw(self, alert_id: str) -> Alert:
        alert = self._get(alert_id).withdraw(self._clock.now())
        self._save(alert, SHOPPER)
        return alert

    def _get(self, alert_id: str) -> Alert:
        alert = self._store.alerts.get(alert_id)
        if alert is None:
            raise AlertError(f"there is no alert {alert_id}", reason=Reason.NO_SUCH_ALERT)
        return alert

    def _save(self, alert: Alert, actor: str) -> None:
        now = self._clock.now()
        wire = alert.to_wire()
        with self._store.transaction():
            self._store.alerts.save(alert)
            append_journal(self._store, now, f"alert_{alert.state.value}", actor, wire)
            self._store.outbox.add(ALERT_KIND, f"{alert.alert_id}:{alert.version}", wire, now)
