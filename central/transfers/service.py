"""Recording suspended carts and their resumes exactly once per cart id.

A kiosk speaks only for itself and its store: a report naming another kiosk (as the one
that suspended, or resumed) or another store is refused. A resume of a cart another
kiosk already resumed is the case two offline kiosks make when both took the same code:
it is kept as a double resume (for the report) and answered `conflict`, so the second
kiosk's outbox records it for a person, and the cart's one resume stays the first.

An online kiosk claims the cart before it resumes it (`claim_resume`): the claim is
stored as the cart's resume row, marked as a claim, and the kiosk's own report completes
it when its outbox delivers it. A claim is granted once per cart, to one kiosk.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, func, select

from central.auth import AuthedKiosk
from central.db import insert_one_ignore
from central.errors import Invalid, NotFound
from central.transfers.tables import cart_double_resumes, cart_transfers
from kiosk.domain.transfer import short_number
from sync.transfer_protocol import (
    ClaimAnswer,
    DoubleResume,
    ResumeClaim,
    TransferBatch,
    TransferCode,
    TransferReport,
    TransferReportView,
    TransferResult,
    TransferResults,
)


def record_transfers(
    conn: Connection, kiosk: AuthedKiosk, batch: TransferBatch, now_ms: int
) -> TransferResults:
    return TransferResults(results=[_record(conn, kiosk, t, now_ms) for t in batch.transfers])


def _record(
    conn: Connection, kiosk: AuthedKiosk, report: TransferReport, now_ms: int
) -> TransferResult:
    if report.kiosk_id != kiosk.kiosk_id or report.store_id != kiosk.store_id:
        raise Invalid(
            f"transfer {report.key} names another kiosk or store", reason="transfer_conflict"
        )
    if report.event == "suspended" and report.from_kiosk_id != kiosk.kiosk_id:
        raise Invalid(f"transfer {report.key} was suspended elsewhere", reason="transfer_conflict")
    cart_id = report.cart_id.lower()
    fresh = insert_one_ignore(
        conn,
        cart_transfers,
        {
            "cart_id": cart_id,
            "event": report.event,
            "store_id": report.store_id,
            "kiosk_id": report.kiosk_id,
            "from_kiosk_id": report.from_kiosk_id,
            "number": report.number,
            "at": report.at,
            "staff_id": report.staff_id,
            "document": json.dumps(report.model_dump(), sort_keys=True),
            "received_ms": now_ms,
        },
    )
    if fresh:
        return TransferResult(transfer_key=report.key, result="stored")
    first = _first(conn, cart_id, report.event)
    if first.kiosk_id == kiosk.kiosk_id:
        if json.loads(first.document).get(_CLAIM):
            # The report of a resume this kiosk claimed online: it completes the claim.
            conn.execute(
                cart_transfers.update()
                .where(cart_transfers.c.cart_id == cart_id, cart_transfers.c.event == report.event)
                .values(at=report.at, document=json.dumps(report.model_dump(), sort_keys=True))
            )
            return TransferResult(transfer_key=report.key, result="stored")
        return TransferResult(transfer_key=report.key, result="duplicate")
    conn.execute(
        cart_double_resumes.insert().values(
            cart_id=cart_id,
            store_id=report.store_id,
            first_kiosk_id=first.kiosk_id,
            first_at=first.at,
            kiosk_id=report.kiosk_id,
            at=report.at,
            staff_id=report.staff_id,
            received_ms=now_ms,
        )
    )
    return TransferResult(
        transfer_key=report.key,
        result="conflict",
        detail=f"already resumed at kiosk {first.kiosk_id} at {first.at}",
    )


_CLAIM = "claim"


def claim_resume(
    conn: Connection, kiosk: AuthedKiosk, claim: ResumeClaim, now_ms: int
) -> ClaimAnswer:
    """Grant `kiosk` the cart's resume unless another kiosk holds it (by an earlier claim,
    or by a resume reported from offline). Asking again is granted again: a kiosk that
    claimed and then failed to resume (power cut) may try once more."""
    cart_id = claim.cart_id.lower()
    row = {
        "cart_id": cart_id,
        "event": "resumed",
        "store_id": kiosk.store_id,
        "kiosk_id": kiosk.kiosk_id,
        "from_kiosk_id": claim.from_kiosk_id,
        "number": short_number(cart_id),
        "at": claim.at,
        "staff_id": claim.staff_id,
        "document": json.dumps({**claim.model_dump(), _CLAIM: True}, sort_keys=True),
        "received_ms": now_ms,
    }
    if insert_one_ignore(conn, cart_transfers, row):
        return ClaimAnswer(granted=True, kiosk_id=kiosk.kiosk_id, at=claim.at)
    first = _first(conn, cart_id, "resumed")
    granted = first.kiosk_id == kiosk.kiosk_id
    return ClaimAnswer(granted=granted, kiosk_id=first.kiosk_id, at=first.at)


def code_by_number(conn: Connection, kiosk: AuthedKiosk, number: str) -> TransferCode:
    """The code of the store's latest suspension with this slip number (resumed or not:
    the kiosk's own checks then say where it went)."""
    documents = conn.execute(
        select(cart_transfers.c.document)
        .where(
            cart_transfers.c.store_id == kiosk.store_id,
            cart_transfers.c.number == number,
            cart_transfers.c.event == "suspended",
        )
        .order_by(cart_transfers.c.received_ms.desc())
    ).scalars()
    for document in documents:
        code = json.loads(document).get("code")
        if code:
            return TransferCode(code=code)
    raise NotFound(f"no suspended cart of store {kiosk.store_id} has the number {number}")


def _first(conn: Connection, cart_id: str, event: str) -> Any:
    return conn.execute(
        select(cart_transfers).where(
            cart_transfers.c.cart_id == cart_id, cart_transfers.c.event == event
        )
    ).one()


def report(conn: Connection, limit: int = 100) -> TransferReportView:
    counts: dict[str, int] = dict(
        conn.execute(
            select(cart_transfers.c.event, func.count()).group_by(cart_transfers.c.event)
        ).all()
    )
    resumed = select(cart_transfers.c.cart_id).where(cart_transfers.c.event == "resumed")
    still_open = conn.execute(
        select(func.count()).where(
            cart_transfers.c.event == "suspended", cart_transfers.c.cart_id.not_in(resumed)
        )
    ).scalar_one()
    doubles = conn.execute(
        select(cart_double_resumes).order_by(cart_double_resumes.c.id.desc()).limit(limit)
    ).all()
    return TransferReportView(
        suspended=int(counts.get("suspended", 0)),
        resumed=int(counts.get("resumed", 0)),
        open=int(still_open),
        double_resumes=[
            DoubleResume(
                cart_id=r.cart_id,
                store_id=r.store_id,
                first_kiosk_id=r.first_kiosk_id,
                first_at=r.first_at,
                kiosk_id=r.kiosk_id,
                at=r.at,
                staff_id=r.staff_id,
            )
            for r in doubles
        ],
    )
