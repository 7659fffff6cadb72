"""Alerts: what needs a member of staff at a kiosk, and why.

An alert is raised by the kiosk (an age check, an unknown, recalled or unsellable item,
the printer, the camera, an offline payment, repeated failed scans, an item only staff may
take off) or by the shopper (their own call). Staff acknowledge it ("coming": at the kiosk,
or later from the attendant console) and clear it once its cause is dealt with; the
shopper may withdraw only their own call. Each change is a new frozen value, so every step
can be saved, journalled and synced as it happens.

    RAISED ──acknowledge──▶ ACKNOWLEDGED ──clear──▶ CLEARED
       │ └──────────────────clear─────────────────────▲
       └──withdraw (the shopper's own call only)──▶ WITHDRAWN   (also from ACKNOWLEDGED)

CLEARED and WITHDRAWN are final.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from kiosk.domain.errors import KioskError, Reason
from kiosk.domain.money import Money


class AlertReason(enum.StrEnum):
    SHOPPER_CALL = "shopper_call"
    AGE_CHECK = "age_check"
    UNKNOWN_ITEM = "unknown_item"
    RECALLED_ITEM = "recalled_item"
    UNSELLABLE_ITEM = "unsellable_item"
    """Past its date, or not for sale here: staff take it."""
    PRICE_QUERY = "price_query"
    PRINTER_PAPER_OUT = "printer_paper_out"
    PRINTER_ERROR = "printer_error"
    CAMERA_FAULT = "camera_fault"
    ATTENDED_PAYMENT = "attended_payment"
    """The payment service is unreachable (the store's static QR needs staff to confirm),
    or a payment failed or could not close the sale."""
    EXIT_AUDIT = "exit_audit"
    REPEATED_FAILED_SCANS = "repeated_failed_scans"
    ITEM_REMOVAL = "item_removal"
    """The shopper wants an item off that only staff may take off (store policy)."""
    PICKUP_BRING = "pickup_bring"
    """A group-buy order was collected at the kiosk and staff bring it (store setting)."""
    PICKUP_PROBLEM = "pickup_problem"
    """A pickup code handed nothing out (collected already, not ready, not valid here)."""


class AlertState(enum.StrEnum):
    RAISED = "raised"
    ACKNOWLEDGED = "acknowledged"
    CLEARED = "cleared"
    WITHDRAWN = "withdrawn"


OPEN_STATES = frozenset({AlertState.RAISED, AlertState.ACKNOWLEDGED})
SHOPPER = "shopper"
"""The actor of a withdrawn call: the shopper has no staff number."""


class AlertError(KioskError):
    """A change the alert's state does not allow (cleared twice, acknowledged twice, a
    shopper withdrawing what they did not raise)."""

    reason = Reason.ALERT_CLOSED


@dataclass(frozen=True, slots=True)
class Alert:
    """`line_no`, `gtin` and `amount`: what the alert is about (the line to check, the item
    by its code, the sum to take), when it is about one: staff are told which product to
    look for, not only that one needs them. `version` counts the changes: each is synced
    as its own row."""

    alert_id: str
    kiosk_id: str
    reason: AlertReason
    raised_at: datetime
    line_no: int | None = None
    amount: Money | None = None
    gtin: str | None = None
    state: AlertState = AlertState.RAISED
    acknowledged_at: datetime | None = None
    acknowledged_by: str | None = None
    closed_at: datetime | None = None
    closed_by: str | None = None
    version: int = 1

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def acknowledge(self, staff_id: str, at: datetime) -> Alert:
        """Staff say they are coming. A second acknowledgement (another attendant) is
        refused: the first one's name stays on it."""
        if self.state is not AlertState.RAISED:
            raise AlertError(
                f"alert {self.alert_id} is {self.state.value}, not waiting for anyone",
                reason=Reason.ALERT_ALREADY_ACKNOWLEDGED if self.is_open else Reason.ALERT_CLOSED,
            )
        return replace(
            self,
            state=AlertState.ACKNOWLEDGED,
            acknowledged_at=at,
            acknowledged_by=staff_id,
            version=self.version + 1,
        )

    def clear(self, staff_id: str, at: datetime) -> Alert:
        """Staff dealt with it. Clearing without acknowledging first is fine: they came."""
        self._require_open()
        return replace(
            self,
            state=AlertState.CLEARED,
            closed_at=at,
            closed_by=staff_id,
            version=self.version + 1,
        )

    def withdraw(self, at: datetime) -> Alert:
        """The shopper no longer needs help. Only their own call: an age check or a recalled
        item needs staff whatever the shopper says."""
        self._require_open()
        if self.reason is not AlertReason.SHOPPER_CALL:
            raise AlertError(
                f"only staff clear a {self.reason.value} alert", reason=Reason.ALERT_NEEDS_STAFF
            )
        return replace(
            self,
            state=AlertState.WITHDRAWN,
            closed_at=at,
            closed_by=SHOPPER,
            version=self.version + 1,
        )

    def _require_open(self) -> None:
        if not self.is_open:
            raise AlertError(f"alert {self.alert_id} is already {self.state.value}")

    def to_wire(self) -> dict[str, Any]:
        """The alert as saved and synced (one document per version)."""
        return {
            "alert_id": self.alert_id,
            "kiosk_id": self.kiosk_id,
            "reason": self.reason.value,
            "state": self.state.value,
            "version": self.version,
            "line_no": self.line_no,
            "gtin": self.gtin,
            "amount_minor": self.amount.minor if self.amount else None,
            "currency": self.amount.currency if self.amount else None,
            "raised_at": self.raised_at.isoformat(),
            "acknowledged_at": _iso(self.acknowledged_at),
            "acknowledged_by": self.acknowledged_by,
            "closed_at": _iso(self.closed_at),
            "closed_by": self.closed_by,
        }

    @classmethod
    def from_wire(cls, data: dict[str, Any]) -> Alert:
        amount = (
            Money(int(data["amount_minor"]), str(data["currency"]))
            if data.get("amount_minor") is not None
            else None
        )
        return cls(
            alert_id=str(data["alert_id"]),
            kiosk_id=str(data["kiosk_id"]),
            reason=AlertReason(data["reason"]),
            raised_at=datetime.fromisoformat(data["raised_at"]),
            line_no=data.get("line_no"),
            amount=amount,
            gtin=data.get("gtin"),
            state=AlertState(data["state"]),
            acknowledged_at=_from_iso(data.get("acknowledged_at")),
            acknowledged_by=data.get("acknowledged_by"),
            closed_at=_from_iso(data.get("closed_at")),
            closed_by=data.get("closed_by"),
            version=int(data["version"]),
        )


def _iso(at: datetime | None) -> str | None:
    return at.isoformat() if at else None


def _from_iso(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


@dataclass(frozen=True, slots=True)
class RemoteCommand:
    """A decision made at the attendant console for this kiosk: "acknowledge" an alert
    (staff are coming), "pause" or "resume" the kiosk."""

    command_id: int
    kind: str
    staff_id: str
    staff_name: str
    alert_id: str | None = None
