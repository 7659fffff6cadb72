"""Payment configuration: secrets only from the environment or files, never inline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from central.errors import ConfigError
from central.payments.config import config_from, load_payments_config


def test_no_file_means_sandbox_everywhere() -> None:
    config = load_payments_config({})
    assert config.store("any").default_provider == "sandbox"
    assert config.store("any").providers() == ["sandbox"]


def test_emvco_scheme_with_secret_from_the_environment(tmp_path: Path) -> None:
    path = tmp_path / "payments.json"
    path.write_text(
        json.dumps(
            {
                "public_url": "https://pay.example",
                "stores": {
                    "S001": {
                        "default_provider": "emvco:promptpay",
                        "merchant_name": "Demo Market Sukhumvit",
                        "emvco": {
                            "promptpay": {
                                "account_tag": "29",
                                "account": {"00": "A000000677010111", "01": "0066812345678"},
                                "currency": "THB",
                                "country": "TH",
                                "secret_env": "ACQ_SECRET",
                                "refund_url": "https://acquirer.example/refunds",
                            }
                        },
                    }
                },
            }
        )
    )
    env = {"CENTRAL_PAYMENTS_CONFIG": str(path), "ACQ_SECRET": "s3cret"}
    config = load_payments_config(env)
    store = config.store("S001")
    assert store.providers() == ["sandbox", "emvco:promptpay"]
    assert store.emvco["promptpay"].secret == b"s3cret"
    assert store.emvco["promptpay"].refund_url == "https://acquirer.example/refunds"
    assert config.public_url == "https://pay.example"
    assert config.store("S999").default_provider == "sandbox"


@pytest.mark.parametrize(
    ("scheme", "message"),
    [
        ({"secret": "inline"}, "not in the configuration"),
        ({"secret_env": "MISSING"}, "is not set"),
        ({"secret_file": "/nonexistent/secret"}, "cannot read"),
        ({}, "secret_env or secret_file"),
    ],
)
def test_secrets_must_come_from_outside(scheme: dict[str, str], message: str) -> None:
    base = {"account_tag": "26", "account": {"00": "br.gov.bcb.pix"}, "currency": "BRL",
            "country": "BR"}  # fmt: skip
    with pytest.raises(ConfigError, match=message):
        config_from({"default_store": {"emvco": {"pix": base | scheme}}}, {})


def test_default_provider_must_be_set_up() -> None:
    with pytest.raises(ConfigError, match="not set up"):
        config_from({"default_store": {"default_provider": "wechat"}}, {})
