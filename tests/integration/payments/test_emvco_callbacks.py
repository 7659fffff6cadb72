"""EMVCo QR payments confirmed by an acquirer's HMAC-signed callback."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from central.payments.config import EmvcoScheme, PaymentsConfig, StoreConfig
from central.payments.providers import hmac_webhook
from central.payments.providers.base import bill_number
from central.payments.runtime import install
from kiosk.domain.emvco import decode, pix_account, promptpay_account
from kiosk.domain.money import Money
from tests.integration.payments.conftest import PaymentsHarness, problem, start_payments

PIX_SECRET = b"pix-acquirer-secret"
PP_SECRET = b"promptpay-acquirer-secret"


@pytest.fixture
def emvco(central_db_url: str) -> Iterator[PaymentsHarness]:
    pix = EmvcoScheme("pix", "26", pix_account("123e4567-e12b-12d1-a456-426655440000"),
                      "BRL", "BR", PIX_SECRET, bill_tag="05")  # fmt: skip
    promptpay = EmvcoScheme("promptpay", "29", promptpay_account("0812345678"), "THB", "TH",
                            PP_SECRET)  # fmt: skip
    store = StoreConfig(
        default_provider="emvco:promptpay",
        merchant_name="Demo Market",
        merchant_city="Bangkok",
        emvco={"pix": pix, "promptpay": promptpay},
    )
    harness, stop = start_payments(
        central_db_url, PaymentsConfig(default_store=store, poll_interval_s=0.02)
    )
    try:
        yield harness
    finally:
        stop()


def _callback(
    emvco: PaymentsHarness, scheme: str, secret: bytes, doc: dict[str, Any], **sign: Any
) -> requests.Response:
    body = json.dumps(doc).encode()
    ts = sign.pop("timestamp", str(emvco.clock() // 1000))
    headers = hmac_webhook.sign(secret, body, ts, **sign)
    url = f"{emvco.url}/v1/providers/emvco/{scheme}/notify"
    return requests.post(url, data=body, headers=headers, timeout=30)


def _doc(view: dict[str, Any], amount: str, currency: str, **extra: Any) -> dict[str, Any]:
    return {
        "bill_number": bill_number(view["payment_id"]),
        "amount": amount,
        "currency": currency,
        "reference": "ACQ-7781",
        "status": "paid",
        "paid_at": "2026-11-23T12:00:00+07:00",
    } | extra


def test_promptpay_qr_then_acquirer_callback_pays(emvco: PaymentsHarness) -> None:
    kiosk = emvco.kiosk()
    view = kiosk.create(amount_minor=12350, currency="THB").json()
    assert view["provider"] == "emvco:promptpay"
    qr = decode(view["qr_payload"])
    assert qr.amount == Money(12350, "THB")
    assert qr.bill_number == bill_number(view["payment_id"])
    assert qr.terminal_label == kiosk.credential.kiosk_id.replace("-", "")[:25]
    answer = _callback(emvco, "promptpay", PP_SECRET, _doc(view, "123.50", "764"))
    assert answer.status_code == 200, answer.text
    paid = kiosk.request("GET", f"/v1/payments/{view['payment_id']}?wait=5").json()
    assert paid["status"] == "paid"
    assert paid["provider_ref"] == "ACQ-7781"


def test_pix_payload_and_callback_rules(emvco: PaymentsHarness) -> None:
    kiosk = emvco.kiosk()
    view = kiosk.create(amount_minor=1050, currency="BRL", provider="emvco:pix").json()
    qr = decode(view["qr_payload"])
    assert qr.reference_label == bill_number(view["payment_id"])
    problem(kiosk.create(currency="CNY", provider="emvco:pix"), 422, "currency")
    # Wrong amount: refused and flagged. Wrong scheme's secret, stale, or the PIX
    # payment reported through the PromptPay endpoint: refused.
    assert _callback(emvco, "pix", PIX_SECRET, _doc(view, "1.05", "BRL")).status_code == 400
    assert _callback(emvco, "pix", PP_SECRET, _doc(view, "10.50", "BRL")).status_code == 401
    stale = str(emvco.clock() // 1000 - 3600)
    doc = _doc(view, "10.50", "BRL")
    assert _callback(emvco, "pix", PIX_SECRET, doc, timestamp=stale).status_code == 401
    assert _callback(emvco, "promptpay", PP_SECRET, doc).status_code == 400
    assert _callback(emvco, "sgqr", PP_SECRET, doc).status_code == 404
    status = kiosk.request("GET", f"/v1/payments/{view['payment_id']}").json()
    assert status["status"] == "shown"
    kinds = sorted(f["kind"] for f in emvco.op("GET", "/v1/ops/payments/flags").json())
    assert kinds == ["mismatch", "provider_mismatch"]
    # The right callback, then the same one replayed with the same nonce: paid once.
    first = _callback(emvco, "pix", PIX_SECRET, doc, nonce="n" * 32)
    again = _callback(emvco, "pix", PIX_SECRET, doc, nonce="n" * 32)
    assert (first.status_code, again.status_code) == (200, 200)
    assert kiosk.request("GET", f"/v1/payments/{view['payment_id']}").json()["status"] == "paid"


def test_failed_and_unknown_bills(emvco: PaymentsHarness) -> None:
    kiosk = emvco.kiosk()
    view = kiosk.create(amount_minor=500, currency="THB").json()
    failed = _doc(view, "5.00", "THB", status="failed")
    assert _callback(emvco, "promptpay", PP_SECRET, failed).status_code == 200
    after = kiosk.request("GET", f"/v1/payments/{view['payment_id']}").json()
    assert after["status"] == "failed"
    unknown = _doc(
        view, "5.00", "THB", bill_number=bill_number("0190a000-0000-7000-8000-00000000abcd")
    )
    assert _callback(emvco, "promptpay", PP_SECRET, unknown).status_code == 404


def test_real_payments_need_the_configured_address_never_the_host_header(
    payments: PaymentsHarness,
) -> None:
    # A sandbox-only demo may use the address the kiosk came to.
    kiosk = payments.kiosk()
    assert kiosk.create().status_code == 200
    scheme = EmvcoScheme("promptpay", "29", promptpay_account("0812345678"), "THB", "TH", b"s")
    real = StoreConfig(default_provider="sandbox", emvco={"promptpay": scheme})
    install(payments.app, PaymentsConfig(default_store=real))
    problem(kiosk.create(), 503, "no_public_url")
    payments.reconfigure(PaymentsConfig(default_store=real, public_url="https://pay.shop.example"))
    # The kiosk came to 127.0.0.1: the QR points at the configured address all the same.
    shown = kiosk.create().json()
    assert shown["qr_payload"].startswith("https://pay.shop.example/pay/sandbox/")
