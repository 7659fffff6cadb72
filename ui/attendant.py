"""The kiosk as the attendant console sees it: its state, cart and health in one value.

Read on the attendant link's thread from what the UI thread last showed (immutable
values, swapped whole), so it never touches the core or the database. The sync backlog
reaches the console with the kiosk's heartbeat.
"""

from __future__ import annotations

from datetime import UTC, datetime

from kiosk.services.session import PrinterStatus, Screen
from sync.attendant_protocol import CameraName, KioskLive, KioskStateName, PrinterName
from ui.health import HealthMonitor
from ui.session import KioskSession

_PRINTER: dict[PrinterStatus, PrinterName] = {
    PrinterStatus.UNKNOWN: "none",
    PrinterStatus.OK: "ok",
    PrinterStatus.PAPER_OUT: "no_paper",
    PrinterStatus.ERROR: "error",
    PrinterStatus.OFFLINE: "offline",
}
_CAMERA: dict[str, CameraName] = {"live": "ok", "": "ok", "stalled": "stalled", "lost": "lost"}


def live_state(session: KioskSession, health: HealthMonitor, *, camera: bool) -> KioskLive:
    priced = session.state.priced
    state: KioskStateName
    if session.locked:
        state = "paused"
    elif session.staff is not None:
        state = "staff"
    elif session.screen is Screen.PAYMENT:
        state = "paying"
    elif session.state.cart.lines or session.screen in (Screen.SCANNING, Screen.MEMBER):
        state = "scanning"
    else:
        state = "idle"
    return KioskLive(
        state=state,
        item_count=priced.item_count,
        total_minor=priced.total.minor,
        currency=priced.total.currency,
        camera=_CAMERA.get(health.camera_state, "lost") if camera else "none",
        printer=_PRINTER[session.printer],
        at=datetime.now(UTC).isoformat(timespec="seconds"),
    )
