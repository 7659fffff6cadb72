"""Timestamped HMAC-SHA256 webhook signatures (the EMVCo acquirer callback format).

X-Acquirer-Timestamp: Unix seconds
X-Acquirer-Nonce:     16..64 characters, never reused
X-Acquirer-Signature: hex HMAC-SHA256(secret, timestamp "\\n" nonce "\\n" body "\\n")
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping

from central.payments.errors import NotifyRefused

HEADER_TIMESTAMP = "X-Acquirer-Timestamp"
HEADER_NONCE = "X-Acquirer-Nonce"
HEADER_SIGNATURE = "X-Acquirer-Signature"


def _mac(secret: bytes, timestamp: str, nonce: str, body: bytes) -> str:
    message = timestamp.encode() + b"\n" + nonce.encode() + b"\n" + body + b"\n"
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def sign(secret: bytes, body: bytes, timestamp: str, nonce: str | None = None) -> dict[str, str]:
    nonce = nonce or secrets.token_hex(16)
    return {
        HEADER_TIMESTAMP: timestamp,
        HEADER_NONCE: nonce,
        HEADER_SIGNATURE: _mac(secret, timestamp, nonce, body),
    }


def verify(
    secret: bytes, headers: Mapping[str, str], body: bytes, now_ms: int, window_s: int
) -> str:
    """The nonce of a correctly signed, fresh callback; `NotifyRefused` otherwise."""
    h = {k.lower(): v for k, v in headers.items()}
    timestamp = h.get(HEADER_TIMESTAMP.lower(), "")
    nonce = h.get(HEADER_NONCE.lower(), "")
    signature = h.get(HEADER_SIGNATURE.lower(), "")
    if not (
        timestamp.isascii()
        and timestamp.isdigit()
        and len(timestamp) <= 12
        and 16 <= len(nonce) <= 64
        and signature
    ):
        raise NotifyRefused("unsigned callback", reason="unsigned", status=401)
    if not hmac.compare_digest(_mac(secret, timestamp, nonce, body), signature.lower()):
        raise NotifyRefused(
            "the callback signature does not match", reason="bad_signature", status=401
        )
    if abs(int(timestamp) - now_ms // 1000) > window_s:
        raise NotifyRefused(
            "the callback is too old (or from the future)", reason="stale", status=401
        )
    return nonce
