"""Wire models of the attendant link (kiosk ⇄ central), version 1.

A kiosk tells the store's central service what it is doing and which alerts need staff;
the attendant console (a web page on a staff tablet) shows every kiosk of the store and
sends back what staff decide from afar ("coming", pause). Both ends import this module,
so it depends on pydantic and the standard library only. Requests are signed like every
other kiosk request (see `sync.protocol.sign`); docs/staff.md describes the flow.

    POST /v1/attendant/alerts/batch     AlertBatch      -> AlertResults   (the outbox relay)
    POST /v1/attendant/report           AttendantReport -> AttendantAnswer
    GET  /v1/attendant/commands?wait=S  (long-poll)     -> AttendantAnswer

Every change of an alert is an outbox row (`kiosk.domain.alerts.Alert.to_wire`, keyed
`<alert_id>:<version>`) that the relay delivers exactly once, also after the kiosk was
offline; a report carries the kiosk's live state and may carry alerts too. `version`
grows with each change of one alert, so a late or repeated copy never turns it back.
Commands stay pending until a report lists them in `done`: a kiosk that lost an answer
gets the same commands again, and applying one twice changes nothing (acknowledging an
acknowledged alert, pausing a paused kiosk).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from sync.payment_protocol import MAX_WAIT_S, UUID_PATTERN
from sync.protocol import WireModel

__all__ = [
    "MAX_WAIT_S",
    "AlertBatch",
    "AlertReport",
    "AlertResults",
    "AlertStateName",
    "AttendantAnswer",
    "AttendantCommand",
    "AttendantReport",
    "KioskLive",
]

AlertStateName = Literal["raised", "acknowledged", "cleared", "withdrawn"]
KioskStateName = Literal["idle", "scanning", "paying", "paused", "staff", "closed"]
CommandKind = Literal["acknowledge", "pause", "resume"]
CameraName = Literal["ok", "stalled", "lost", "none"]
PrinterName = Literal["ok", "no_paper", "error", "offline", "none"]
_CODE = r"^[a-z][a-z0-9_]{0,31}$"


_Wire = WireModel


class AlertReport(_Wire):
    """One alert as the kiosk holds it now. Times are ISO 8601 with their offset."""

    alert_id: str = Field(pattern=UUID_PATTERN)
    reason: str = Field(pattern=_CODE)
    state: AlertStateName
    version: int = Field(ge=1, le=2**31)
    line_no: int | None = Field(default=None, ge=1, le=10_000)
    gtin: str | None = Field(default=None, pattern=r"^[0-9]{8,14}$")
    amount_minor: int | None = Field(default=None, ge=0, le=10**12)
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    raised_at: str = Field(max_length=40)
    acknowledged_at: str | None = Field(default=None, max_length=40)
    acknowledged_by: str | None = Field(default=None, max_length=128)
    closed_at: str | None = Field(default=None, max_length=40)
    closed_by: str | None = Field(default=None, max_length=128)
    # As the kiosk's outbox keeps it; when given, it must be the sending kiosk.
    kiosk_id: str | None = Field(default=None, max_length=64)

    @property
    def key(self) -> str:
        return f"{self.alert_id.lower()}:{self.version}"


class AlertBatch(_Wire):
    alerts: list[AlertReport] = Field(min_length=1, max_length=200)


class AlertResult(_Wire):
    alert_key: str
    result: Literal["stored", "duplicate"]


class AlertResults(_Wire):
    results: list[AlertResult]


class KioskLive(_Wire):
    """What the tile shows besides alerts: state, cart size and the kiosk's health."""

    state: KioskStateName
    item_count: int = Field(ge=0, le=10_000)
    total_minor: int = Field(ge=0, le=10**12)
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    camera: CameraName = "ok"
    printer: PrinterName = "ok"
    at: str = Field(max_length=40)


CommandId = Annotated[int, Field(ge=1, le=2**31 - 1)]
"""A console command's id: central's `attendant_commands.command_id`, a 32-bit serial."""


class AttendantReport(_Wire):
    live: KioskLive
    alerts: list[AlertReport] = Field(default_factory=list, max_length=200)
    done: list[CommandId] = Field(default_factory=list, max_length=200)


class AttendantCommand(_Wire):
    """What a member of staff decided at the console, for the kiosk to apply."""

    command_id: int
    kind: CommandKind
    alert_id: str | None = None
    staff_id: str
    staff_name: str
    at: str


class AttendantAnswer(_Wire):
    commands: list[AttendantCommand]
    server_time: str
