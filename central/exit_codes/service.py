"""Exit codes checked centrally: kiosk keys, signature and age, first use wins.

Mirrors `kiosk.services.exit_codes.ExitCodeVerifier` (same verdicts, same rules),
with the database as the memory: `exit_code_uses.sale_id` is the primary key, so of
two gates scanning one code at the same moment, even on two replicas, exactly one
gets `valid` and the other `already_used` with the first use's time. Every re-use is
kept in `exit_code_reuses` for the operators.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import Connection, exists, insert, select, update

from central.auth import AuthedKiosk
from central.clock import iso_ms
from central.db import insert_one_ignore, upsert
from central.errors import Invalid, NotFound
from central.exit_codes.tables import (
    exit_code_reuses,
    exit_code_uses,
    exit_key_history,
    exit_keys,
)
from central.kiosks.tables import kiosks
from central.sales.tables import sales
from kiosk.domain.exit_code import ExitCodeError, ExitFlag, ExitPass, split
from sync.payment_protocol import (
    ExitCodeReuse,
    ExitCodeUse,
    ExitCodeVerdict,
    ExitKeyView,
    StoreKeys,
)

FUTURE_TOLERANCE = timedelta(minutes=5)


def register_key(conn: Connection, kiosk: AuthedKiosk, public_key: str, now_ms: int) -> ExitKeyView:
    """A kiosk's exit-code key: its first is in force at once (enrolment vouches for it);
    another waits as `pending` until an operator approves it (`approve_key`), so a stolen
    signing credential alone cannot make the service accept codes it minted."""
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key))
    except ValueError:
        raise Invalid("not an Ed25519 public key", reason="bad_key") from None
    current = conn.execute(
        select(exit_keys.c.public_key, exit_keys.c.registered_at).where(
            exit_keys.c.kiosk_id == kiosk.kiosk_id
        )
    ).first()
    if current is not None and current.public_key == public_key:
        return _view(kiosk.kiosk_id, kiosk.store_id, public_key, current.registered_at, "active")
    if current is None:
        conn.execute(
            insert(exit_keys).values(
                kiosk_id=kiosk.kiosk_id,
                store_id=kiosk.store_id,
                public_key=public_key,
                registered_at=now_ms,
            )
        )
        conn.execute(
            insert(exit_key_history).values(
                kiosk_id=kiosk.kiosk_id, store_id=kiosk.store_id, public_key=public_key,
                requested_at=now_ms, approved_at=now_ms, approved_by="enrolment",
            )
        )  # fmt: skip
        return _view(kiosk.kiosk_id, kiosk.store_id, public_key, now_ms, "active")
    waiting = conn.execute(
        select(exit_key_history.c.requested_at).where(
            exit_key_history.c.kiosk_id == kiosk.kiosk_id,
            exit_key_history.c.public_key == public_key,
            exit_key_history.c.approved_at.is_(None),
            exit_key_history.c.retired_at.is_(None),
        )
    ).scalar()
    if waiting is None:
        conn.execute(
            insert(exit_key_history).values(
                kiosk_id=kiosk.kiosk_id, store_id=kiosk.store_id, public_key=public_key,
                requested_at=now_ms,
            )
        )  # fmt: skip
    return _view(kiosk.kiosk_id, kiosk.store_id, public_key, waiting or now_ms, "pending")


def approve_key(conn: Connection, kiosk_id: str, approved_by: str, now_ms: int) -> ExitKeyView:
    """Put a kiosk's newest pending key in force; the one before is retired, its codes
    still verify for the time it was in force."""
    pending = conn.execute(
        select(exit_key_history)
        .where(
            exit_key_history.c.kiosk_id == kiosk_id,
            exit_key_history.c.approved_at.is_(None),
            exit_key_history.c.retired_at.is_(None),
        )
        .order_by(exit_key_history.c.id.desc())
    ).first()
    if pending is None:
        raise NotFound(f"kiosk {kiosk_id} has no exit-code key waiting", reason="no_pending_key")
    conn.execute(
        update(exit_key_history)
        .where(
            exit_key_history.c.kiosk_id == kiosk_id,
            exit_key_history.c.approved_at.is_not(None),
            exit_key_history.c.retired_at.is_(None),
        )
        .values(retired_at=now_ms)
    )
    # Other keys still waiting are superseded by this one: never approved, never in force.
    conn.execute(
        update(exit_key_history)
        .where(
            exit_key_history.c.kiosk_id == kiosk_id,
            exit_key_history.c.approved_at.is_(None),
            exit_key_history.c.id != pending.id,
        )
        .values(retired_at=now_ms)
    )
    conn.execute(
        update(exit_key_history)
        .where(exit_key_history.c.id == pending.id)
        .values(approved_at=now_ms, approved_by=approved_by)
    )
    conn.execute(
        upsert(conn, exit_keys, ["kiosk_id"], ["store_id", "public_key", "registered_at"]).values(
            kiosk_id=kiosk_id,
            store_id=pending.store_id,
            public_key=pending.public_key,
            registered_at=now_ms,
        )
    )
    return _view(kiosk_id, pending.store_id, pending.public_key, now_ms, "active")


def _view(kiosk_id: str, store_id: str, public_key: str, at_ms: int, status: str) -> ExitKeyView:
    return ExitKeyView(
        kiosk_id=kiosk_id,
        store_id=store_id,
        public_key=public_key,
        registered_at=iso_ms(at_ms) or "",
        status=status,  # type: ignore[arg-type]
    )


def store_keys(conn: Connection, kiosk: AuthedKiosk) -> StoreKeys:
    """The keys in force of the kiosks of `kiosk`'s store, revoked kiosks left out: a
    code signed by a revoked kiosk must not resume anywhere."""
    rows = conn.execute(
        select(exit_keys.c.kiosk_id, exit_keys.c.public_key)
        .join(kiosks, kiosks.c.kiosk_id == exit_keys.c.kiosk_id)
        .where(exit_keys.c.store_id == kiosk.store_id, kiosks.c.revoked_at.is_(None))
    )
    return StoreKeys(keys={r.kiosk_id: r.public_key for r in rows})


def list_keys(conn: Connection) -> list[ExitKeyView]:
    rows = conn.execute(select(exit_keys).order_by(exit_keys.c.store_id, exit_keys.c.kiosk_id))
    return [
        ExitKeyView(
            kiosk_id=r.kiosk_id,
            store_id=r.store_id,
            public_key=r.public_key,
            registered_at=iso_ms(r.registered_at) or "",
        )
        for r in rows
    ]


def check_signature(
    conn: Connection, code: str, store_id: str | None = None
) -> tuple[ExitPass | None, str]:
    """(the pass, "valid") if the code is well-formed and signed by a key of its kiosk
    that was in force when the code says it was paid, and the kiosk was not revoked then.

    With `store_id` (a kiosk checking), a code of another store's kiosk is "unknown_kiosk",
    as to the kiosk's own offline check, which holds only its store's keys: a receipt of one
    store does not open another's gate, nor use up the code its shopper will show at home.
    """
    try:
        data, signature = split(code)
        exit_pass = ExitPass.from_signed_bytes(data)
    except ExitCodeError as exc:
        return None, exc.reason
    key = conn.execute(
        select(exit_keys.c.public_key, exit_keys.c.store_id).where(
            exit_keys.c.kiosk_id == exit_pass.kiosk_id
        )
    ).first()
    if key is None or store_id not in (None, key.store_id):
        return exit_pass, "unknown_kiosk"
    current = key.public_key
    paid_ms = int(exit_pass.paid_at.timestamp() * 1000)
    revoked_at = conn.execute(
        select(kiosks.c.revoked_at).where(kiosks.c.kiosk_id == exit_pass.kiosk_id)
    ).scalar()
    if revoked_at is not None and paid_ms >= revoked_at:
        return exit_pass, "revoked"
    earlier = conn.execute(
        select(exit_key_history.c.public_key).where(
            exit_key_history.c.kiosk_id == exit_pass.kiosk_id,
            # A code carries its time in whole seconds: the second the key came in counts.
            exit_key_history.c.approved_at < paid_ms + 1000,
            exit_key_history.c.retired_at > paid_ms,
        )
    ).scalars()
    for key_hex in dict.fromkeys([current, *earlier]):
        try:
            Ed25519PublicKey.from_public_bytes(bytes.fromhex(key_hex)).verify(signature, data)
        except InvalidSignature:
            continue
        return exit_pass, "valid"
    return exit_pass, "forged"


def _verdict(
    ok: bool,
    reason: str,
    exit_pass: ExitPass | None,
    first_used_at: int | None = None,
    times_seen: int = 0,
    sale_known: bool | None = None,
) -> ExitCodeVerdict:
    if exit_pass is None:
        return ExitCodeVerdict(ok=ok, reason=reason)  # type: ignore[arg-type]
    return ExitCodeVerdict(
        ok=ok,
        reason=reason,  # type: ignore[arg-type]
        sale_id=exit_pass.sale_id,
        kiosk_id=exit_pass.kiosk_id,
        total_minor=exit_pass.total_minor,
        currency=exit_pass.currency,
        item_count=exit_pass.item_count,
        paid_at=exit_pass.paid_at.isoformat(),
        audit=bool(exit_pass.flags & ExitFlag.AUDIT),
        attended=bool(exit_pass.flags & ExitFlag.ATTENDED),
        first_used_at=iso_ms(first_used_at),
        times_seen=times_seen,
        sale_known=sale_known,
    )


def verify(
    conn: Connection,
    code: str,
    used_by: str,
    now_ms: int,
    validity: timedelta,
    *,
    store_id: str | None = None,
) -> ExitCodeVerdict:
    """Check a scanned exit code and spend it: the first valid use passes. `store_id`: the
    checking kiosk's store, whose codes alone it may check (`check_signature`)."""
    exit_pass, reason = check_signature(conn, code, store_id)
    if exit_pass is None or reason != "valid":
        return _verdict(False, reason, exit_pass)
    now = datetime.fromtimestamp(now_ms / 1000, UTC)
    if exit_pass.flags & ExitFlag.TRAINING:
        return _verdict(False, "training", exit_pass)
    if now - exit_pass.paid_at > validity:
        return _verdict(False, "expired", exit_pass)
    if exit_pass.paid_at - now > FUTURE_TOLERANCE:
        return _verdict(False, "from_the_future", exit_pass)
    first = insert_one_ignore(
        conn,
        exit_code_uses,
        {
            "sale_id": exit_pass.sale_id,
            "kiosk_id": exit_pass.kiosk_id,
            "first_used_at": now_ms,
            "first_used_by": used_by,
            "uses": 1,
        },
    )
    # A code for a sale the service never received passes (the kiosk may be offline),
    # but says so, and operators see it in `unknown_sales`.
    known = conn.execute(select(sales.c.sale_id).where(sales.c.sale_id == exit_pass.sale_id))
    sale_known = known.first() is not None
    if first:
        return _verdict(True, "valid", exit_pass, now_ms, 1, sale_known)
    conn.execute(
        update(exit_code_uses)
        .where(exit_code_uses.c.sale_id == exit_pass.sale_id)
        .values(uses=exit_code_uses.c.uses + 1)
    )
    row = conn.execute(
        select(exit_code_uses).where(exit_code_uses.c.sale_id == exit_pass.sale_id)
    ).one()
    conn.execute(
        insert(exit_code_reuses).values(
            sale_id=exit_pass.sale_id,
            kiosk_id=exit_pass.kiosk_id,
            first_used_at=row.first_used_at,
            first_used_by=row.first_used_by,
            reused_at=now_ms,
            reused_by=used_by,
        )
    )
    return _verdict(False, "already_used", exit_pass, row.first_used_at, int(row.uses), sale_known)


def reuses(conn: Connection, limit: int = 100) -> list[ExitCodeReuse]:
    rows = conn.execute(
        select(exit_code_reuses).order_by(exit_code_reuses.c.id.desc()).limit(limit)
    )
    return [
        ExitCodeReuse(
            sale_id=r.sale_id,
            kiosk_id=r.kiosk_id,
            first_used_at=iso_ms(r.first_used_at) or "",
            first_used_by=r.first_used_by,
            reused_at=iso_ms(r.reused_at) or "",
            reused_by=r.reused_by,
        )
        for r in rows
    ]


def unknown_sales(conn: Connection, limit: int = 100) -> list[ExitCodeUse]:
    """Codes let through for sales the service still has not received: newest first."""
    rows = conn.execute(
        select(exit_code_uses)
        .where(~exists().where(sales.c.sale_id == exit_code_uses.c.sale_id))
        .order_by(exit_code_uses.c.first_used_at.desc())
        .limit(limit)
    )
    return [
        ExitCodeUse(
            sale_id=r.sale_id,
            kiosk_id=r.kiosk_id,
            first_used_at=iso_ms(r.first_used_at) or "",
            first_used_by=r.first_used_by,
            uses=int(r.uses),
        )
        for r in rows
    ]
