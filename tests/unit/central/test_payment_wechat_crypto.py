"""WeChat Pay v3 signing strings, RSA signatures and AES-256-GCM resources."""

from __future__ import annotations

import base64
import os

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from central.payments.providers import wechat_crypto as wc

KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def test_request_string_is_the_documented_five_lines() -> None:
    message = wc.request_message(
        "get", "/v3/certificates?x=1", "1554208460", "593BEC0C930BF1AFEB40B4A08C8FB242", b""
    )
    assert message == b"GET\n/v3/certificates?x=1\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n"
    assert wc.response_message("1", "n", b"{}") == b"1\nn\n{}\n"


def test_authorization_header_round_trips_and_verifies() -> None:
    header = wc.authorization("1900000109", "SERIAL1", KEY, "POST", "/v3/x", b"{}", "100", "N1")
    assert header.startswith("WECHATPAY2-SHA256-RSA2048 ")
    params = wc.parse_authorization(header)
    assert params["mchid"] == "1900000109"
    assert params["serial_no"] == "SERIAL1"
    message = wc.request_message("POST", "/v3/x", "100", "N1", b"{}")
    assert wc.rsa_verify(KEY.public_key(), message, params["signature"])
    assert not wc.rsa_verify(KEY.public_key(), message + b"x", params["signature"])
    assert not wc.rsa_verify(KEY.public_key(), message, "not base64!")
    with pytest.raises(wc.WeChatCryptoError):
        wc.parse_authorization("Basic abc")


def test_resource_decrypts_and_tampering_is_detected() -> None:
    key = os.urandom(16).hex().encode()  # 32 ASCII characters, as the APIv3 key is
    sealed = wc.encrypt_resource(key, "fdasflkja484", "transaction", b'{"a":1}')
    assert wc.decrypt_resource(key, "fdasflkja484", "transaction", sealed) == b'{"a":1}'
    with pytest.raises(wc.WeChatCryptoError):
        wc.decrypt_resource(key, "fdasflkja484", "certificate", sealed)
    raw = bytearray(base64.b64decode(sealed))
    raw[0] ^= 1
    with pytest.raises(wc.WeChatCryptoError):
        wc.decrypt_resource(key, "fdasflkja484", "transaction", base64.b64encode(raw).decode())
