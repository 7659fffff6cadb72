"""Keys derived from the service's master key, and operator tokens.

Kiosk secrets are derived (HMAC of the key id under the master key) rather than
stored: a copy of the database alone cannot forge kiosk requests, and every replica
that holds the master key can verify any kiosk without shared state.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from sync.protocol import encode_secret

_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud, typed by hand


def kiosk_secret(master: bytes, key_id: str) -> bytes:
    return hmac.new(master, b"kiosk-secret:v1:" + key_id.encode(), hashlib.sha256).digest()


def member_phone_key(master: bytes) -> bytes:
    """One key for the chain, so a member signed up in one store is found in every other."""
    return hmac.new(master, b"member-phone:v1", hashlib.sha256).digest()


def staff_badge_key(master: bytes) -> bytes:
    return hmac.new(master, b"staff-badge:v1", hashlib.sha256).digest()


def badge_hash(master: bytes, badge: str) -> str:
    return hmac.new(staff_badge_key(master), badge.strip().encode(), hashlib.sha256).hexdigest()


def new_key_id() -> str:
    return "k_" + secrets.token_hex(12)


def new_enrolment_code() -> str:
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalize_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def new_operator_token() -> tuple[str, str]:
    """(token_id, token). Tokens are 32 random bytes: a plain SHA-256 at rest is enough,
    no slow hash is needed for secrets that cannot be guessed."""
    token_id = secrets.token_hex(8)
    return token_id, f"cop_{token_id}_{encode_secret(secrets.token_bytes(32))}"


def parse_operator_token(token: str) -> str | None:
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != "cop" or not parts[1]:
        return None
    return parts[1]
