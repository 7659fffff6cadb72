"""Group-buy webhook signing: the secrets' configuration, and the receiver's check
against the service's signature (property-tested over bodies, times and secrets)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from central.config import settings_from, webhook_secrets_from
from central.errors import ConfigError
from central.groupbuy.service import webhook_signature
from sync.groupbuy_protocol import (
    HEADER_WEBHOOK_SIGNATURE,
    HEADER_WEBHOOK_TIMESTAMP,
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
    assert settings.webhook_secret("S001") == b"sixteen bytes at least"
    assert settings.webhook_secret("S777") == b"the other stores secret"
    only = settings_from({"CENTRAL_SECRET_KEY": KEY}, db_url="postgresql://x/y")
    assert only.webhook_secret("S001") is None
    for bad in ("[1]", "{", '{"S001": 5}', '{"S001": "short"}'):
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
