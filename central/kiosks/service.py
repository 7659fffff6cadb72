"""Operators, kiosk enrolment, request authentication, heartbeats and the fleet view."""

from __future__ import annotations

import hmac
import json
import secrets
import uuid

from sqlalchemy import Connection, delete, func, insert, select, update

from central import keys
from central.auth import AuthedKiosk, AuthedOperator, SignedRequest
from central.clock import iso_ms
from central.db import insert_one_ignore, insert_or_add
from central.errors import EnrolmentRefused, NotFound, Unauthorized
from central.kiosks.tables import auth_failures, enrolment_codes, kiosks, nonces, operators
from sync import protocol
from sync.protocol import (
    EnrollRequest,
    EnrollResponse,
    Heartbeat,
    KioskStatus,
)

NONCE_MAX_LEN = 64


def add_operator(conn: Connection, name: str, now_ms: int) -> str:
    """Create an operator credential and return the bearer token (shown once)."""
    token_id, token = keys.new_operator_token()
    conn.execute(
        insert(operators).values(
            token_id=token_id,
            name=name,
            token_hash=keys.sha256_hex(token),
            created_at=now_ms,
            revoked=False,
        )
    )
    return token


def authenticate_operator(conn: Connection, authorization: str | None) -> AuthedOperator:
    if not authorization or not authorization.startswith("Bearer "):
        raise Unauthorized(
            "operator requests need 'Authorization: Bearer <token>'", reason="no_token"
        )
    token = authorization[len("Bearer ") :].strip()
    token_id = keys.parse_operator_token(token)
    row = None
    if token_id is not None:
        row = conn.execute(
            select(operators.c.name, operators.c.token_hash, operators.c.revoked).where(
                operators.c.token_id == token_id
            )
        ).first()
    if row is None or not hmac.compare_digest(row.token_hash, keys.sha256_hex(token)):
        raise Unauthorized("unknown operator token", reason="bad_token")
    if row.revoked:
        raise Unauthorized("this operator token was revoked", reason="revoked")
    return AuthedOperator(token_id or "", row.name)


def issue_enrolment_code(
    conn: Connection, store_id: str, ttl_hours: int, now_ms: int, form_hash: str | None = None
) -> tuple[str, int]:
    """(code, expiry). `form_hash`: the console form's token that asked for it (unique)."""
    code = keys.new_enrolment_code()
    expires = now_ms + ttl_hours * 3_600_000
    conn.execute(
        insert(enrolment_codes).values(
            code_hash=keys.sha256_hex(keys.normalize_code(code)),
            store_id=store_id,
            created_at=now_ms,
            expires_at=expires,
            form_hash=form_hash,
        )
    )
    return code, expires


def enroll(conn: Connection, master: bytes, request: EnrollRequest, now_ms: int) -> EnrollResponse:
    code_hash = keys.sha256_hex(keys.normalize_code(request.code))
    kiosk_id = str(uuid.uuid4())
    # One UPDATE both checks and spends the code, so two kiosks racing with the same
    # code cannot both succeed, even on two replicas.
    spent = conn.execute(
        update(enrolment_codes)
        .where(
            enrolment_codes.c.code_hash == code_hash,
            enrolment_codes.c.used_at.is_(None),
            enrolment_codes.c.expires_at > now_ms,
        )
        .values(used_at=now_ms, kiosk_id=kiosk_id)
    )
    if spent.rowcount != 1:
        raise EnrolmentRefused("this enrolment code is unknown, already used or expired")
    store_id = conn.execute(
        select(enrolment_codes.c.store_id).where(enrolment_codes.c.code_hash == code_hash)
    ).scalar_one()
    key_id = keys.new_key_id()
    conn.execute(
        insert(kiosks).values(
            kiosk_id=kiosk_id,
            store_id=store_id,
            key_id=key_id,
            name=request.name or kiosk_id[:8],
            enrolled_at=now_ms,
        )
    )
    return EnrollResponse(
        kiosk_id=kiosk_id,
        store_id=store_id,
        key_id=key_id,
        secret=protocol.encode_secret(keys.kiosk_secret(master, key_id)),
        member_phone_key=protocol.encode_secret(keys.member_phone_key(master)),
        staff_badge_key=protocol.encode_secret(keys.staff_badge_key(master)),
        server_time=now_ms // 1000,
    )


def revoke_kiosk(conn: Connection, kiosk_id: str, now_ms: int) -> None:
    done = conn.execute(
        update(kiosks)
        .where(kiosks.c.kiosk_id == kiosk_id, kiosks.c.revoked_at.is_(None))
        .values(revoked_at=now_ms)
    )
    if done.rowcount != 1:
        exists = conn.execute(
            select(kiosks.c.kiosk_id).where(kiosks.c.kiosk_id == kiosk_id)
        ).first()
        if exists is None:
            raise NotFound(f"no kiosk {kiosk_id}")


def timestamp_ok(timestamp_s: int, now_ms: int, window_s: int) -> bool:
    """A signed request's time is within `window_s` of the service's, in whole seconds."""
    return abs(timestamp_s - now_ms // 1000) <= window_s


def nonce_cutoff_ms(now_ms: int, window_s: int) -> int:
    """Nonces first seen before this may be forgotten.

    A request first seen at `seen` carried a timestamp of at most `seen // 1000 + window`
    seconds, so its replay passes `timestamp_ok` until the service's clock reads that plus
    the window, in whole seconds: up to `2 × window + 1` seconds after `seen`. Its nonce
    is kept that long; an older one is refused by its timestamp first.
    """
    return now_ms - (2 * window_s + 1) * 1000


def check_signature(
    conn: Connection, master: bytes, request: SignedRequest, now_ms: int, window_s: int
) -> tuple[AuthedKiosk, str]:
    """Check a signed kiosk request, reading only: (the kiosk, its nonce).

    Runs on a connection that takes no write lock, so a flood of unsigned or wrongly
    signed requests never queues behind, or in front of, the writers (`record_nonce`
    is the only write, and only for a request whose signature holds).
    """
    h = request.headers
    key_id = h.get(protocol.HEADER_KEY.lower(), "")
    timestamp = h.get(protocol.HEADER_TIMESTAMP.lower(), "")
    nonce = h.get(protocol.HEADER_NONCE.lower(), "")
    signature = h.get(protocol.HEADER_SIGNATURE.lower(), "")
    if not (key_id and timestamp and nonce and signature):
        raise Unauthorized("this request is not signed", reason="unsigned")
    if not (timestamp.isascii() and timestamp.isdigit()) or len(timestamp) > 12:
        raise Unauthorized("the signature timestamp is not a Unix time", reason="bad_timestamp")
    if not timestamp_ok(int(timestamp), now_ms, window_s):
        raise Unauthorized(
            "the request's time is too far from the service's: check the kiosk's clock",
            reason="expired",
        )
    if len(nonce) > NONCE_MAX_LEN or len(nonce) < 16:
        raise Unauthorized("the nonce must be 16 to 64 characters", reason="bad_nonce")
    row = conn.execute(
        select(kiosks.c.kiosk_id, kiosks.c.store_id, kiosks.c.revoked_at).where(
            kiosks.c.key_id == key_id
        )
    ).first()
    # Compute the signature even for unknown keys so timing does not reveal which exist.
    expected = protocol.sign(
        keys.kiosk_secret(master, key_id),
        request.method,
        request.path,
        request.query,
        request.body,
        timestamp,
        nonce,
        key_id,
    )
    if row is None or not hmac.compare_digest(expected, signature.lower()):
        raise Unauthorized("the request signature does not match", reason="bad_signature")
    if row.revoked_at is not None:
        raise Unauthorized("this kiosk's credential was revoked: enrol it again", reason="revoked")
    return AuthedKiosk(row.kiosk_id, row.store_id, key_id), nonce


def record_nonce(
    conn: Connection, kiosk: AuthedKiosk, nonce: str, now_ms: int, window_s: int
) -> None:
    """Remember a signed request's nonce so it can never be replayed."""
    seen = {"key_id": kiosk.key_id, "nonce": nonce, "seen_at": now_ms}
    if not insert_one_ignore(conn, nonces, seen):
        raise Unauthorized("this request was already received (replayed nonce)", reason="replayed")
    # Expiring old nonces now and then keeps the table small.
    if secrets.randbelow(64) == 0:
        conn.execute(delete(nonces).where(nonces.c.seen_at < nonce_cutoff_ms(now_ms, window_s)))


def record_heartbeat(conn: Connection, kiosk: AuthedKiosk, beat: Heartbeat, now_ms: int) -> None:
    conn.execute(
        update(kiosks)
        .where(kiosks.c.kiosk_id == kiosk.kiosk_id)
        .values(last_seen_at=now_ms, heartbeat=beat.model_dump_json())
    )


def fleet(conn: Connection) -> list[KioskStatus]:
    rows = conn.execute(select(kiosks).order_by(kiosks.c.store_id, kiosks.c.name)).all()
    return [
        KioskStatus(
            kiosk_id=r.kiosk_id,
            store_id=r.store_id,
            name=r.name,
            revoked=r.revoked_at is not None,
            enrolled_at=iso_ms(r.enrolled_at) or "",
            last_seen_at=iso_ms(r.last_seen_at),
            heartbeat=Heartbeat.model_validate(json.loads(r.heartbeat)) if r.heartbeat else None,
        )
        for r in rows
    ]


FAILURES_PER_MINUTE = 10
"""Wrong enrolment codes, operator tokens or staff PINs one source may try in the last one
to two minutes: a person who mistypes is never stopped, a guesser gets at most 14,400 tries
a day against 10^18 codes (a console's staff number: against 10^4 PINs, hence argon2 and
the lockout counted per staff number, not per address)."""


def throttled(conn: Connection, scope: str, source: str, now_ms: int) -> bool:
    # This minute and the one before: counting the current minute alone let ten tries at
    # hh:mm:59 and ten more at hh:mm+1:00 through.
    minute = now_ms // 60_000
    failures = conn.execute(
        select(func.coalesce(func.sum(auth_failures.c.count), 0)).where(
            auth_failures.c.scope == scope,
            auth_failures.c.source == source[:64],
            auth_failures.c.minute >= minute - 1,
        )
    ).scalar_one()
    return int(failures) >= FAILURES_PER_MINUTE


def record_failure(conn: Connection, scope: str, source: str, now_ms: int) -> None:
    minute = now_ms // 60_000
    conn.execute(delete(auth_failures).where(auth_failures.c.minute < minute - 1))
    stmt = insert_or_add(conn, auth_failures, ["scope", "source", "minute"], "count")
    conn.execute(stmt.values(scope=scope, source=source[:64], minute=minute, count=1))
