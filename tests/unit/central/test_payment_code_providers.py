"""Payment-code providers' pieces: configuration, WeChat v2 signing and XML, Alipay's
signed response node."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from hypothesis import given, settings
from hypothesis import strategies as st

from central.errors import ConfigError
from central.payments.config import config_from
from central.payments.providers import alipay, wechat_micropay
from central.payments.providers import wechat_crypto as rsa2
from simulators.wechat_pay import _pem_private, _pem_public
from tests.helpers import PARSER_EXAMPLES

KEY = b"192006250b4c09247ec02edce69f6a2d"


def test_code_providers_read_their_secrets_from_env_or_files(tmp_path: Path) -> None:
    app_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    (tmp_path / "app.pem").write_bytes(_pem_private(app_key))
    (tmp_path / "alipay.pem").write_bytes(_pem_public(app_key.public_key()))
    store = {
        "wechat_code": {"mchid": "1900000109", "appid": "wx1", "api_key_env": "WX_V2"},
        "alipay": {
            "app_id": "2021000000000001",
            "private_key_file": str(tmp_path / "app.pem"),
            "alipay_public_key_file": str(tmp_path / "alipay.pem"),
        },
    }
    config = config_from({"stores": {"S001": store}, "code_wait_s": 30}, {"WX_V2": KEY.decode()})
    s001 = config.store("S001")
    assert s001.code_providers() == ["wechat_code", "alipay_code"]
    assert s001.wechat_code is not None
    assert s001.wechat_code.api_key == KEY
    assert config.code_wait_s == 30
    assert not config.sandbox_only  # real money: the public URL is required
    assert config.store("S999").code_providers() == []
    with pytest.raises(ConfigError, match="not in the configuration"):
        config_from(
            {"default_store": {"wechat_code": {**store["wechat_code"], "api_key": "x"}}}, {}
        )
    with pytest.raises(ConfigError, match="32 characters"):
        config_from({"default_store": store}, {"WX_V2": "short"})


def test_wechat_v2_sign_covers_every_non_empty_parameter() -> None:
    params = {"appid": "wx1", "mch_id": "1900000109", "nonce_str": "abc", "body": "x", "sign": ""}
    signed = wechat_micropay.sign(params, KEY)
    assert len(signed) == 64
    assert signed == signed.upper()
    assert wechat_micropay.sign({**params, "empty": ""}, KEY) == signed  # empty: not signed
    assert wechat_micropay.sign({**params, "sign": "anything"}, KEY) == signed
    assert wechat_micropay.sign({**params, "body": "y"}, KEY) != signed
    assert wechat_micropay.sign(params, KEY[::-1]) != signed


def test_wechat_xml_round_trips_and_refuses_entities() -> None:
    doc = {"return_code": "SUCCESS", "body": "<a> & 中文"}
    assert wechat_micropay.from_xml(wechat_micropay.to_xml(doc)) == doc
    bomb = b'<!DOCTYPE x [<!ENTITY a "aaaa">]><xml><b>&a;</b></xml>'
    with pytest.raises(ValueError, match="document type"):
        wechat_micropay.from_xml(bomb)


def test_alipay_answers_are_checked_on_the_exact_text_signed() -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    raw = '{"code":"10000","msg":"Success","total_amount":"18.50"}'
    body = f'{{"alipay_trade_pay_response":{raw},"sign":"{rsa2.rsa_sign(key, raw.encode())}"}}'
    text, node, signature = alipay.response_node(body, "alipay.trade.pay")
    assert text == raw
    assert node["total_amount"] == "18.50"
    assert rsa2.rsa_verify(key.public_key(), text.encode(), signature)
    # Re-serialised JSON is other text: only the exact bytes verify.
    assert not rsa2.rsa_verify(key.public_key(), json.dumps(node).encode(), signature)
    params = {"app_id": "1", "method": "m", "sign": "s", "biz_content": "{}", "x": ""}
    assert alipay.signing_text(params) == b"app_id=1&biz_content={}&method=m"


_xmlish = st.one_of(
    st.text(max_size=200),
    st.lists(
        st.tuples(
            st.sampled_from(["return_code", "sign", "a", "xml", "b c", "1"]),
            st.text(max_size=12),
        ),
        max_size=5,
    ).map(lambda kv: "<xml>" + "".join(f"<{k}>{v}</{k}>" for k, v in kv) + "</xml>"),
    st.sampled_from(['<!DOCTYPE x [<!ENTITY a "b">]><xml/>', "<xml><a><b/></a></xml>", "<x/>"]),
)


@given(_xmlish)
@settings(max_examples=PARSER_EXAMPLES, deadline=None)
def test_wechat_answers_fail_only_with_value_errors(text: str) -> None:
    try:
        doc = wechat_micropay.from_xml(text.encode())
    except ValueError:  # ET.ParseError is a SyntaxError: the adapter catches both
        return
    except ET.ParseError:
        return
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in doc.items())


_jsonish = st.one_of(
    st.text(max_size=120),
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=8),
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(
                st.sampled_from(["alipay_trade_pay_response", "error_response", "sign", "code"]),
                inner,
                max_size=3,
            )
        ),
        max_leaves=8,
    ).map(json.dumps),
)


@given(_jsonish)
@settings(max_examples=PARSER_EXAMPLES, deadline=None)
def test_alipay_answers_fail_only_with_value_errors(text: str) -> None:
    try:
        raw, node, _ = alipay.response_node(text, "alipay.trade.pay")
    except ValueError:
        return
    assert json.loads(raw) == node
