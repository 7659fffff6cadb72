"""Members: lookup, sign-up (idempotent by the kiosk-made member UUID) and the
append-only points ledger (idempotent by event UUID). Balances are derived by summing
the ledger, never stored."""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlalchemy import Connection, func, select

from central.db import insert_one_ignore, member_ledger, members
from central.errors import Invalid, NotFound
from central.kiosks import AuthedKiosk
from central.sales import body_hash, record_conflict
from kiosk.domain.members import member_code_for
from sync.protocol import (
    Consent,
    LedgerEvent,
    LedgerResult,
    Member,
    MemberResult,
    MemberSignUp,
)

DEFAULT_TIER = "basic"


def lookup(conn: Connection, member_code: str | None, phone_hash: str | None) -> Member:
    if bool(member_code) == bool(phone_hash):
        raise Invalid("give exactly one of member_code or phone_hash", reason="bad_lookup")
    where = (
        members.c.member_code == member_code if member_code else members.c.phone_hash == phone_hash
    )
    row = conn.execute(select(members).where(where)).first()
    if row is None:
        raise NotFound("no member with this code or phone", reason="no_member")
    points = conn.execute(
        select(func.coalesce(func.sum(member_ledger.c.points), 0)).where(
            member_ledger.c.member_id == row.member_id
        )
    ).scalar_one()
    return Member(
        member_id=row.member_id,
        member_code=row.member_code,
        phone_hash=row.phone_hash,
        tier=row.tier,
        points=int(points),
        consent=Consent.model_validate(json.loads(row.consent)),
        created_at=row.created_at,
    )


def sign_up(
    conn: Connection, kiosk: AuthedKiosk, signups: Sequence[MemberSignUp], now_ms: int
) -> list[MemberResult]:
    results = []
    for signup in signups:
        document = signup.model_dump(mode="json")
        digest = body_hash(document)
        member_id = signup.member_id.lower()
        code = member_code_for(member_id)
        inserted = insert_one_ignore(
            conn,
            members,
            {
                "member_id": member_id,
                "member_code": code,
                "phone_hash": signup.phone_hash,
                "tier": DEFAULT_TIER,
                "consent": signup.consent.model_dump_json(),
                "store_id": signup.store_id,
                "kiosk_id": kiosk.kiosk_id,
                "created_at": signup.created_at,
                "received_at": now_ms,
                "body_hash": digest,
            },
        )
        if inserted:
            results.append(MemberResult(member_id=member_id, result="stored", member_code=code))
            continue
        row = conn.execute(
            select(members.c.body_hash).where(members.c.member_id == member_id)
        ).first()
        if row is not None and row.body_hash == digest:
            results.append(MemberResult(member_id=member_id, result="duplicate", member_code=code))
            continue
        if row is None:
            # The phone is already registered to another member: one phone, one member.
            other = conn.execute(
                select(members.c.member_id, members.c.member_code).where(
                    members.c.phone_hash == signup.phone_hash
                )
            ).first()
            reason = "phone_registered"
            detail = f"phone already belongs to member {other.member_id if other else '?'}"
            code = other.member_code if other else ""
        else:
            reason, detail = "body_differs", "a different sign-up with this member id exists"
        record_conflict(conn, "member", member_id, kiosk.kiosk_id, reason, digest, document, now_ms)
        results.append(
            MemberResult(
                member_id=member_id,
                result="conflict",
                member_code=code,
                detail=f"{reason}: {detail}",
            )
        )
    return results


def append_ledger(
    conn: Connection, kiosk: AuthedKiosk, events: Sequence[LedgerEvent], now_ms: int
) -> list[LedgerResult]:
    results = []
    for event in events:
        document = event.model_dump(mode="json")
        digest = body_hash(document)
        event_id = event.event_id.lower()
        inserted = insert_one_ignore(
            conn,
            member_ledger,
            {
                "event_id": event_id,
                "member_id": event.member_id.lower(),
                "kind": event.kind,
                "points": event.points,
                "sale_id": event.sale_id,
                "at": event.at,
                "data": json.dumps(event.data, ensure_ascii=False),
                "kiosk_id": kiosk.kiosk_id,
                "received_at": now_ms,
                "body_hash": digest,
            },
        )
        if inserted:
            results.append(LedgerResult(event_id=event_id, result="stored"))
            continue
        stored = conn.execute(
            select(member_ledger.c.body_hash).where(member_ledger.c.event_id == event_id)
        ).scalar_one()
        if stored == digest:
            results.append(LedgerResult(event_id=event_id, result="duplicate"))
        else:
            record_conflict(
                conn, "ledger", event_id, kiosk.kiosk_id, "body_differs", digest, document, now_ms
            )
            results.append(
                LedgerResult(event_id=event_id, result="conflict", detail="body_differs")
            )
    return results
