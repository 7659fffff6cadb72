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
from sqlalchemy import Connection, insert, select, update

from central.auth import AuthedKiosk
from central.clock import iso_ms
from central.db import insert_one_ignore, upsert
from central.errors import Invalid
from central.exit_codes.tables import exit_code_reuses, exit_code_uses, exit_keys
from kiosk.domain.exit_code import ExitCodeError, ExitFlag, ExitPass, split
from sync.payment_protocol import ExitCodeReuse, ExitCodeVerdict, ExitKeyView

FUTURE_TOLERANCE = timedelta(minutes=5)


def register_key(conn: Connection, kiosk: AuthedKiosk, public_key: str, now_ms: int) -> ExitKeyView:
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key))
    except ValueError:
        raise Invalid("not an Ed25519 public key", reason="bad_key") from None
    conn.execute(
        upsert(conn, exit_keys, ["kiosk_id"], ["store_id", "public_key", "registered_at"]).values(
            kiosk_id=kiosk.kiosk_id,
            store_id=kiosk.store_id,
            public_key=public_key,
            registered_at=now_ms,
        )
    )
    return ExitKeyView(
        kiosk_id=kiosk.kiosk_id,
        store_id=kiosk.store_id,
        public_key=public_key,
        registered_at=iso_ms(now_ms) or "",
    )


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


def check_signature(conn: Connection, code: str) -> tuple[ExitPass | None, str]:
    """(the pass, "valid") if the code is well-formed and signed by its kiosk's key."""
    try:
        data, signature = split(code)
        exit_pass = ExitPass.from_signed_bytes(data)
    except ExitCodeError as exc:
        return None, exc.reason
    key_hex = conn.execute(
        select(exit_keys.c.public_key).where(exit_keys.c.kiosk_id == exit_pass.kiosk_id)
    ).scalar()
    if key_hex is None:
        return exit_pass, "unknown_kiosk"
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(key_hex)).verify(signature, data)
    except InvalidSignature:
        return exit_pass, "forged"
    return exit_pass, "valid"


def _verdict(
    ok: bool,
    reason: str,
    exit_pass: ExitPass | None,
    first_used_at: int | None = None,
    times_seen: int = 0,
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
    )


def verify(
    conn: Connection, code: str, used_by: str, now_ms: int, validity: timedelta
) -> ExitCodeVerdict:
    """Check a scanned exit code and spend it: the first valid use passes."""
    exit_pass, reason = check_signature(conn, code)
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
    if first:
        return _verdict(True, "valid", exit_pass, now_ms, 1)
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
    return _verdict(False, "already_used", exit_pass, row.first_used_at, int(row.uses))


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
