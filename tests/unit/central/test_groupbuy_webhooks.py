"""Group-buy webhook signing: the secrets' configuration, and the receiver's check
against the service's signature (property-tested over bodies, times and secrets), also
while a secret is rotated (the service signs with the new and the old)."""

from __future__ import annotations

import json

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from central.config import settings_from, webhook_secrets_from
from central.errors import ConfigError
from central.groupbuy.service import webhook_signature, webhook_signatures
from sync.groupbuy_protocol import (
    HEADER_WEBHOOK_SIGNATURE,
    HEADER_WEBHOOK_TIMESTAMP,
    MAX_WEBHOOK_SIGNATURES,
    verify_webhook,
)

KEY = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo"  # base64url, 26 bytes


def test_secrets_per_store_and_a_default_from_the_environment() -> None:
    env = {
        "CENTRAL_SECRET_KEY": KEY,
        "CENTRAL_GROUPBUY_WEBHOOK_SECRETS": '{"S001": "sixteen bytes at least", "*": '
        '"the other stores secret"}',
    }
    settings = settings_from(env, db_url="postgresql://x/y")
    assert settings.webhook_secrets_for("S001") == (b"sixteen bytes at least",)
    assert settings.webhook_secrets_for("S777") == (b"the other stores secret",)
    only = settings_from({"CENTRAL_SECRET_KEY": KEY}, db_url="postgresql://x/y")
    assert only.webhook_secrets_for("S001") == ()
    rotating = webhook_secrets_from('{"S001": ["the new secret, 16+", "the old secret, 16+"]}')
    assert rotating == {"S001": (b"the new secret, 16+", b"the old secret, 16+")}
    for bad in (
        "[1]",
        "{",
        '{"S001": 5}',
        '{"S001": "short"}',
        '{"S001": []}',
        '{"S001": ["the new secret, 16+", "short"]}',
        '{"S001": ["the new secret, 16+", 5]}',
        json.dumps({"S001": [f"sixteen bytes, number {n}" for n in range(4)]}),
    ):
        with pytest.raises(ConfigError):
            webhook_secrets_from(bad)


@given(
    body=st.binary(max_size=300),
    secret=st.binary(min_size=16, max_size=64),
    sent=st.integers(min_value=1_600_000_000, max_value=2_000_000_000),
    late=st.integers(min_value=-300, max_value=300),
)
def test_what_the_service_signs_the_receiver_accepts_within_five_minutes(
    body: bytes, secret: bytes, sent: int, late: int
) -> None:
    headers = {
        HEADER_WEBHOOK_TIMESTAMP: str(sent),
        HEADER_WEBHOOK_SIGNATURE: webhook_signature(secret, sent, body),
    }
    assert verify_webhook(secret, headers, body, sent + late)
    assert not verify_webhook(secret, headers, body, sent + 301)
    assert not verify_webhook(secret, headers, body + b" ", sent)
    assert not verify_webhook(secret[::-1] + b"!", headers, body, sent)
    # The timestamp is signed: moving it forward to pass the freshness check fails.
    moved = {**headers, HEADER_WEBHOOK_TIMESTAMP: str(sent + 600)}
    assert not verify_webhook(secret, moved, body, sent + 600)


@given(
    body=st.binary(max_size=300),
    new=st.binary(min_size=16, max_size=64),
    old=st.binary(min_size=16, max_size=64),
    stranger=st.binary(min_size=16, max_size=64),
    sent=st.integers(min_value=1_600_000_000, max_value=2_000_000_000),
)
def test_while_a_secret_is_rotated_a_receiver_with_either_accepts(
    body: bytes, new: bytes, old: bytes, stranger: bytes, sent: int
) -> None:
    headers = {
        HEADER_WEBHOOK_TIMESTAMP: str(sent),
        HEADER_WEBHOOK_SIGNATURE: webhook_signatures((new, old), sent, body),
    }
    assert headers[HEADER_WEBHOOK_SIGNATURE].count("v1=") == 2
    assert verify_webhook(new, headers, body, sent)
    assert verify_webhook(old, headers, body, sent)
    # HMAC pads a key shorter than its block with zeros: "k" and "k\0" are one key.
    assume(stranger.rstrip(b"\0") not in {new.rstrip(b"\0"), old.rstrip(b"\0")})
    assert not verify_webhook(stranger, headers, body, sent)
    assert not verify_webhook(old, headers, body + b"!", sent)
    # One secret signs as before: the header is the single signature.
    assert webhook_signatures((new,), sent, body) == webhook_signature(new, sent, body)


def test_a_signature_header_of_another_kind_is_refused() -> None:
    secret, sent, body = b"sixteen bytes at least", 1_800_000_000, b'{"event": "orders.ready"}'
    right = webhook_signature(secret, sent, body)

    def check(signature: str) -> bool:
        headers = {HEADER_WEBHOOK_TIMESTAMP: str(sent), HEADER_WEBHOOK_SIGNATURE: signature}
        return verify_webhook(secret, headers, body, sent)

    assert check(f"v2=abc, {right}")  # a version it does not know is passed over
    assert not check("v2=" + right.removeprefix("v1="))
    assert not check("")
    assert not check(right.upper())
    assert not check(",".join(["v1=00"] * MAX_WEBHOOK_SIGNATURES + [right]))
    assert not check(" " * 1000 + right)  # too long to be split

    def stamped(stamp: str) -> bool:
        headers = {HEADER_WEBHOOK_TIMESTAMP: stamp, HEADER_WEBHOOK_SIGNATURE: right}
        return verify_webhook(secret, headers, body, sent)

    assert stamped(str(sent))
    # Other scripts' digits, and more digits than int() takes: refused, not raised.
    assert not stamped("".join(chr(0x0660 + int(d)) for d in str(sent)))
    assert not stamped("9" * 5000)
