"""The attendant link: kiosks report their state and alerts, staff watch and decide.

Kiosks are the source of truth for an alert's life (raised, acknowledged, cleared,
withdrawn): the service keeps the newest `version` a kiosk reported and never goes back.
The one thing decided here is "coming": a console's acknowledgement is recorded on the
alert at once (so a second attendant sees it taken) and queued as a command for the
kiosk, which shows it and reports it back as the alert's next version.
"""

from __future__ import annotations

import functools
import hashlib
import json
import secrets
import statistics
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, delete, insert, select, update

from central.attendant.tables import (
    attendant_alerts,
    attendant_commands,
    attendant_live,
    attendant_sessions,
)
from central.auth import AuthedKiosk
from central.clock import iso_ms
from central.db import upsert
from central.errors import CentralError, Invalid, NotFound, Unauthorized
from central.feeds import service as feeds
from central.kiosks.tables import kiosks
from sync.attendant_protocol import (
    AlertBatch,
    AlertReport,
    AlertResult,
    AlertResults,
    AttendantAnswer,
    AttendantCommand,
    AttendantReport,
)

OPEN_STATES = ("raised", "acknowledged")
SESSION_MS = 12 * 3600 * 1000  # a shift
RECENT_MS = 15 * 60 * 1000  # closed alerts a console still lists (what it may have missed)
# A kiosk reports at least every 5 s; three missed reports and its tile says so.
UNREACHABLE_AFTER_MS = 15_000
_HASHER = PasswordHasher()


class AlreadyTaken(CentralError):
    status = 409
    reason = "already_acknowledged"
    title = "Already taken"


# ------------------------------------------------------------------ the kiosk's side
def record_report(
    conn: Connection, kiosk: AuthedKiosk, report: AttendantReport, now_ms: int
) -> AttendantAnswer:
    """Store what a kiosk reported; answer with the commands it has not confirmed yet."""
    stmt = upsert(conn, attendant_live, ["kiosk_id"], ["store_id", "data", "reported_ms"])
    conn.execute(
        stmt.values(
            kiosk_id=kiosk.kiosk_id,
            store_id=kiosk.store_id,
            data=report.live.model_dump_json(),
            reported_ms=now_ms,
        )
    )
    for alert in report.alerts:
        _record_alert(conn, kiosk, alert, now_ms)
    if report.done:
        conn.execute(
            update(attendant_commands)
            .where(
                attendant_commands.c.kiosk_id == kiosk.kiosk_id,
                attendant_commands.c.command_id.in_(report.done),
                attendant_commands.c.done_ms.is_(None),
            )
            .values(done_ms=now_ms)
        )
    return AttendantAnswer(commands=pending(conn, kiosk.kiosk_id), server_time=iso_ms(now_ms))


def record_alerts(
    conn: Connection, kiosk: AuthedKiosk, batch: AlertBatch, now_ms: int
) -> AlertResults:
    """The relay's delivery: each version stored once ("duplicate" for one already had)."""
    results = []
    for alert in batch.alerts:
        fresh = _record_alert(conn, kiosk, alert, now_ms)
        results.append(AlertResult(alert_key=alert.key, result="stored" if fresh else "duplicate"))
    return AlertResults(results=results)


def _record_alert(conn: Connection, kiosk: AuthedKiosk, alert: AlertReport, now_ms: int) -> bool:
    """Keep the newest version of the alert; True when this version was news."""
    if alert.kiosk_id is not None and alert.kiosk_id != kiosk.kiosk_id:
        raise Invalid(f"alert {alert.alert_id} names another kiosk", reason="alert_conflict")
    values = alert.model_dump(exclude={"kiosk_id"})
    row = conn.execute(
        select(attendant_alerts.c.kiosk_id, attendant_alerts.c.version).where(
            attendant_alerts.c.alert_id == alert.alert_id
        )
    ).first()
    if row is None:
        conn.execute(
            insert(attendant_alerts).values(
                **values,
                kiosk_id=kiosk.kiosk_id,
                store_id=kiosk.store_id,
                received_ms=now_ms,
                updated_ms=now_ms,
            )
        )
        return True
    if row.kiosk_id != kiosk.kiosk_id:
        raise Invalid(f"alert {alert.alert_id} belongs to another kiosk", reason="alert_conflict")
    if alert.version > row.version:
        conn.execute(
            update(attendant_alerts)
            .where(attendant_alerts.c.alert_id == alert.alert_id)
            .values(**values, updated_ms=now_ms)
        )
        return True
    return False


def pending(conn: Connection, kiosk_id: str) -> list[AttendantCommand]:
    rows = conn.execute(
        select(attendant_commands)
        .where(attendant_commands.c.kiosk_id == kiosk_id, attendant_commands.c.done_ms.is_(None))
        .order_by(attendant_commands.c.command_id)
    ).all()
    return [
        AttendantCommand(
            command_id=r.command_id,
            kind=r.kind,
            alert_id=r.alert_id,
            staff_id=r.staff_id,
            staff_name=r.staff_name,
            at=iso_ms(r.created_ms),
        )
        for r in rows
    ]


# ------------------------------------------------------------------ staff at the console
@dataclass(frozen=True, slots=True)
class ConsoleSession:
    staff_id: str
    staff_name: str
    store_id: str
    csrf: str


def store_exists(conn: Connection, store_id: str) -> bool:
    found = conn.execute(select(kiosks.c.kiosk_id).where(kiosks.c.store_id == store_id)).first()
    return found is not None


def sign_in(
    conn: Connection, store_id: str, staff_id: str, pin: str, now_ms: int
) -> tuple[str, ConsoleSession]:
    """A session token (for the cookie) for an active staff member whose PIN matches.

    Staff records are the chain's (the staff feed the kiosks pull); any active member may
    watch any store's kiosks. Wrong numbers and wrong PINs get the same answer.
    """
    wrong = Unauthorized("wrong staff number or PIN", reason="wrong_pin")
    record = feeds.item(conn, "staff", staff_id)
    if record is None or not record.get("active") or not record.get("pin_hash"):
        _HASHER.hash(pin)  # the same work as a real check: timing tells nothing
        raise wrong
    try:
        _HASHER.verify(str(record["pin_hash"]), pin)
    except (VerificationError, InvalidHashError):
        raise wrong from None
    token = secrets.token_urlsafe(32)
    session = ConsoleSession(staff_id, str(record.get("name") or staff_id)[:100], store_id,
                             secrets.token_urlsafe(24))  # fmt: skip
    conn.execute(delete(attendant_sessions).where(attendant_sessions.c.expires_ms < now_ms))
    conn.execute(
        insert(attendant_sessions).values(
            token_hash=_digest(token),
            staff_id=session.staff_id,
            staff_name=session.staff_name,
            store_id=store_id,
            csrf=session.csrf,
            created_ms=now_ms,
            expires_ms=now_ms + SESSION_MS,
        )
    )
    return token, session


def session_of(conn: Connection, token: str | None, store_id: str, now_ms: int) -> ConsoleSession:
    if not token:
        raise Unauthorized("sign in to the attendant console", reason="not_signed_in")
    row = conn.execute(
        select(attendant_sessions).where(attendant_sessions.c.token_hash == _digest(token))
    ).first()
    if row is None or row.expires_ms <= now_ms or row.store_id != store_id:
        raise Unauthorized("sign in to the attendant console", reason="not_signed_in")
    # A staff member deactivated during the shift loses the console at once.
    record = feeds.item(conn, "staff", row.staff_id)
    if record is None or not record.get("active"):
        raise Unauthorized("this staff member is no longer active", reason="not_signed_in")
    return ConsoleSession(row.staff_id, row.staff_name, row.store_id, row.csrf)


def sign_out(conn: Connection, token: str | None) -> None:
    if token:
        conn.execute(
            delete(attendant_sessions).where(attendant_sessions.c.token_hash == _digest(token))
        )


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def acknowledge(conn: Connection, who: ConsoleSession, alert_id: str, now_ms: int) -> None:
    """ "Coming": the alert is taken by `who`; a second attendant is told who has it."""
    row = conn.execute(
        select(attendant_alerts).where(
            attendant_alerts.c.alert_id == alert_id,
            attendant_alerts.c.store_id == who.store_id,
        )
    ).first()
    if row is None or row.state not in OPEN_STATES:
        raise NotFound("this alert is not open at this store", reason="alert_not_open")
    if row.state == "acknowledged":
        taken_by = _staff_name(conn, row.acknowledged_by) or "someone"
        raise AlreadyTaken(f"{taken_by} is already on the way")
    conn.execute(
        update(attendant_alerts)
        .where(attendant_alerts.c.alert_id == alert_id, attendant_alerts.c.state == "raised")
        .values(
            state="acknowledged",
            acknowledged_at=iso_ms(now_ms),
            acknowledged_by=who.staff_id,
            updated_ms=now_ms,
        )
    )
    _command(conn, who, row.kiosk_id, "acknowledge", alert_id, now_ms)


def set_paused(
    conn: Connection, who: ConsoleSession, kiosk_id: str, paused: bool, now_ms: int
) -> None:
    found = conn.execute(
        select(kiosks.c.kiosk_id).where(
            kiosks.c.kiosk_id == kiosk_id,
            kiosks.c.store_id == who.store_id,
            kiosks.c.revoked_at.is_(None),
        )
    ).first()
    if found is None:
        raise NotFound("no such kiosk at this store", reason="kiosk_not_found")
    _command(conn, who, kiosk_id, "pause" if paused else "resume", None, now_ms)


def _command(
    conn: Connection,
    who: ConsoleSession,
    kiosk_id: str,
    kind: str,
    alert_id: str | None,
    now_ms: int,
) -> None:
    conn.execute(
        insert(attendant_commands).values(
            kiosk_id=kiosk_id,
            store_id=who.store_id,
            kind=kind,
            alert_id=alert_id,
            staff_id=who.staff_id,
            staff_name=who.staff_name,
            created_ms=now_ms,
        )
    )


# ------------------------------------------------------------------ what a console shows
def snapshot(conn: Connection, store_id: str, now_ms: int) -> dict[str, Any]:
    """Every kiosk of the store with its live state and open alerts, and the alerts closed
    lately. Plain JSON: it is what the console's event stream sends."""
    rows = conn.execute(
        select(kiosks.c.kiosk_id, kiosks.c.name, kiosks.c.heartbeat, kiosks.c.last_seen_at)
        .where(kiosks.c.store_id == store_id, kiosks.c.revoked_at.is_(None))
        .order_by(kiosks.c.name, kiosks.c.kiosk_id)
    ).all()
    live = {
        r.kiosk_id: r
        for r in conn.execute(
            select(attendant_live).where(attendant_live.c.store_id == store_id)
        ).all()
    }
    alerts = conn.execute(
        select(attendant_alerts)
        .where(
            attendant_alerts.c.store_id == store_id,
            attendant_alerts.c.state.in_(OPEN_STATES)
            | (attendant_alerts.c.updated_ms >= now_ms - RECENT_MS),
        )
        .order_by(attendant_alerts.c.received_ms)
    ).all()
    open_by_kiosk: dict[str, list[dict[str, Any]]] = defaultdict(list)
    recent = []
    names = functools.cache(functools.partial(_staff_name, conn))
    items = functools.cache(functools.partial(_item_names, conn))
    for a in alerts:
        view = _alert_view(a, names, items)
        if a.state in OPEN_STATES:
            open_by_kiosk[a.kiosk_id].append(view)
        else:
            recent.append(view)
    tiles = []
    for k in rows:
        reported = live.get(k.kiosk_id)
        tiles.append(
            {
                "kiosk_id": k.kiosk_id,
                "name": k.name,
                "live": json.loads(reported.data) if reported else None,
                "reported_at": iso_ms(reported.reported_ms) if reported else None,
                "reachable": bool(
                    reported and now_ms - reported.reported_ms < UNREACHABLE_AFTER_MS
                ),
                "alerts": open_by_kiosk.get(k.kiosk_id, []),
                "backlog": json.loads(k.heartbeat).get("queue_depth") if k.heartbeat else None,
                "last_heartbeat": iso_ms(k.last_seen_at),
            }
        )
    return {"store_id": store_id, "server_time": iso_ms(now_ms), "kiosks": tiles,
            "recent": recent[-20:]}  # fmt: skip


def _staff_name(conn: Connection, staff_id: str | None) -> str | None:
    """A staff number as people read it: the name in the staff feed (alerts keep numbers,
    the reports' key), the number itself for someone the feed does not hold, such as
    the kiosk's own `shopper` or `kiosk` actors."""
    if staff_id is None:
        return None
    record = feeds.item(conn, "staff", staff_id)
    return str(record.get("name") or staff_id) if record else staff_id


def _item_names(conn: Connection, gtin: str | None) -> dict[str, str]:
    """The item an alert names, in each language of the catalog feed; none for an item
    the catalog does not hold (an unknown one: the console shows its code)."""
    record = feeds.item(conn, "catalog", gtin) if gtin else None
    return dict(record.get("names") or {}) if record else {}


def _alert_view(
    a: Any,
    name: Callable[[str | None], str | None],
    item: Callable[[str | None], dict[str, str]],
) -> dict[str, Any]:
    return {
        "alert_id": a.alert_id,
        "kiosk_id": a.kiosk_id,
        "reason": a.reason,
        "state": a.state,
        "line_no": a.line_no,
        "gtin": a.gtin,
        "item_names": item(a.gtin),
        "amount_minor": a.amount_minor,
        "currency": a.currency,
        "raised_at": a.raised_at,
        "received_at": iso_ms(a.received_ms),
        "acknowledged_by": a.acknowledged_by,
        "acknowledged_by_name": name(a.acknowledged_by),
        "closed_by": a.closed_by,
        "closed_by_name": name(a.closed_by),
    }


# ------------------------------------------------------------------ reports
def alerts_report(conn: Connection) -> dict[str, Any]:
    """Alerts by reason and by kiosk, with the times to acknowledge and to clear (median
    and p90, seconds, from the kiosk's own clock: both ends of each span are its times)."""
    rows = conn.execute(select(attendant_alerts)).all()
    by_reason: dict[str, int] = defaultdict(int)
    by_kiosk: dict[str, int] = defaultdict(int)
    to_ack: list[float] = []
    to_clear: list[float] = []
    for r in rows:
        by_reason[r.reason] += 1
        by_kiosk[r.kiosk_id] += 1
        raised = _parse(r.raised_at)
        if raised is None:
            continue
        acked = _parse(r.acknowledged_at)
        if acked is not None:
            to_ack.append((acked - raised).total_seconds())
        cleared = _parse(r.closed_at)
        if cleared is not None and r.state == "cleared":
            to_clear.append((cleared - raised).total_seconds())
    return {
        "count": len(rows),
        "open": sum(1 for r in rows if r.state in OPEN_STATES),
        "by_reason": dict(sorted(by_reason.items())),
        "by_kiosk": dict(sorted(by_kiosk.items())),
        "acknowledge_s": _spread(to_ack),
        "clear_s": _spread(to_clear),
    }


def _parse(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _spread(values: list[float]) -> dict[str, float | int | None]:
    if not values:
        return {"count": 0, "median": None, "p90": None}
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return {"count": len(ordered), "median": round(statistics.median(ordered), 1),
            "p90": round(p90, 1)}  # fmt: skip
