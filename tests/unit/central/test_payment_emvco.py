"""EMVCo provider: bill numbers, dynamic payloads per scheme, acquirer callback checks."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from central.errors import Invalid
from central.payments.config import EmvcoScheme, StoreConfig
from central.payments.errors import NotifyRefused
from central.payments.providers import hmac_webhook
from central.payments.providers.base import Order, bill_number, from_bill_number
from central.payments.providers.emvco import EmvcoProvider, terminal_label
from kiosk.domain.emvco import decode, pix_account, promptpay_account
from kiosk.domain.money import Money
from kiosk.domain.payment import PaymentSession

SECRET = b"acquirer-shared-secret-for-tests"
NOW_MS = 1_795_000_000_000
PAYMENT_ID = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"
KIOSK_ID = "5f0c6a58-2f7e-4d43-9a53-0d2c51f1b9aa"

PIX = EmvcoScheme(
    name="pix",
    account_tag="26",
    account=pix_account("123e4567-e12b-12d1-a456-426655440000"),
    currency="BRL",
    country="BR",
    secret=SECRET,
    bill_tag="05",
    merchant_name="Fulano de Tal",
    merchant_city="BRASILIA",
)
PROMPTPAY = EmvcoScheme(
    name="promptpay",
    account_tag="29",
    account=promptpay_account("081-234-5678"),
    currency="THB",
    country="TH",
    secret=SECRET,
)
STORE = StoreConfig(merchant_name="Demo Market", merchant_city="Bangkok")


def _order(amount: Money) -> Order:
    session = PaymentSession(
        PAYMENT_ID, str(uuid.uuid4()), amount, "emvco:x", datetime.fromtimestamp(NOW_MS / 1000, UTC)
    )
    return Order(session, KIOSK_ID, "S001", "", "http://central")


@given(st.uuids())
def test_bill_number_is_25_alphanumerics_and_round_trips(value: uuid.UUID) -> None:
    bill = bill_number(str(value))
    assert len(bill) == 25
    assert bill.isalnum()
    assert bill.upper() == bill
    assert from_bill_number(bill) == str(value)
    assert from_bill_number(bill.lower()) == str(value)


def test_foreign_bill_numbers_are_not_ours() -> None:
    assert from_bill_number("***") is None
    assert from_bill_number("Z" * 25) is None  # above 2**128
    assert from_bill_number("0000000000000000000000-00") is None


def test_dynamic_pix_keeps_the_central_bank_layout_and_adds_amount_and_txid() -> None:
    payload = EmvcoProvider(PIX, STORE, 120, 300).create(_order(Money(1050, "BRL"))).qr_payload
    # The merchant account template of the BCB manual's example, byte for byte.
    assert "26580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-426655440000" in payload
    qr = decode(payload)  # checks the CRC and structure
    assert payload.startswith("000201010212")
    assert qr.amount == Money(1050, "BRL")
    assert qr.currency == "BRL"
    assert qr.merchant_name == "Fulano de Tal"
    assert qr.reference_label == bill_number(PAYMENT_ID)  # PIX: the txid in 62-05
    assert qr.bill_number is None
    assert qr.terminal_label == terminal_label(KIOSK_ID)
    assert len(qr.terminal_label or "") <= 25


def test_dynamic_promptpay_uses_store_details_and_bill_number() -> None:
    payload = EmvcoProvider(PROMPTPAY, STORE, 120, 300).create(_order(Money(12350, "THB")))
    qr = decode(payload.qr_payload)
    assert "29370016A00000067701011101130066812345678" in payload.qr_payload
    assert qr.amount == Money(12350, "THB")
    assert "5406123.50" in payload.qr_payload
    assert qr.merchant_category == "5411"
    assert (qr.merchant_name, qr.merchant_city) == ("Demo Market", "Bangkok")
    assert qr.bill_number == bill_number(PAYMENT_ID)


def test_a_qr_in_another_currency_is_refused() -> None:
    with pytest.raises(Invalid):
        EmvcoProvider(PROMPTPAY, STORE, 120, 300).create(_order(Money(100, "CNY")))


def _callback(**overrides: object) -> bytes:
    doc = {
        "bill_number": bill_number(PAYMENT_ID),
        "amount": "123.50",
        "currency": "764",
        "reference": "ACQ-0001",
        "status": "paid",
        "paid_at": "2026-11-23T12:00:00+07:00",
    } | overrides
    return json.dumps(doc).encode()


def test_callback_is_verified_and_read() -> None:
    provider = EmvcoProvider(PROMPTPAY, STORE, 120, 300)
    body = _callback()
    notice = provider.verify_notify(
        hmac_webhook.sign(SECRET, body, str(NOW_MS // 1000)), body, NOW_MS
    )
    assert notice.report.payment_id == PAYMENT_ID
    assert notice.report.state == "paid"
    assert notice.report.amount == Money(12350, "THB")
    assert notice.report.reference == "ACQ-0001"


@pytest.mark.parametrize(
    ("name", "reason"),
    [("wrong key", "bad_signature"), ("stale", "stale"), ("unsigned", "unsigned"),
     ("tampered", "bad_signature"), ("bad bill", "malformed"), ("bad amount", "malformed")],
)  # fmt: skip
def test_bad_callbacks_are_refused(name: str, reason: str) -> None:
    provider = EmvcoProvider(PROMPTPAY, STORE, 120, 300)
    body = _callback()
    ts = str(NOW_MS // 1000)
    headers = hmac_webhook.sign(SECRET, body, ts)
    if name == "wrong key":
        headers = hmac_webhook.sign(b"another-secret", body, ts)
    elif name == "stale":
        headers = hmac_webhook.sign(SECRET, body, str(NOW_MS // 1000 - 301))
    elif name == "unsigned":
        headers = {}
    elif name == "tampered":
        body = _callback(amount="1.00")
    elif name == "bad bill":
        body = _callback(bill_number="***")
        headers = hmac_webhook.sign(SECRET, body, ts)
    elif name == "bad amount":
        body = _callback(amount="12.345")
        headers = hmac_webhook.sign(SECRET, body, ts)
    with pytest.raises(NotifyRefused) as caught:
        provider.verify_notify(headers, body, NOW_MS)
    assert caught.value.reason == reason
