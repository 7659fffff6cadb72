from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.emvco import (
    EmvcoError,
    MerchantPresentedQr,
    crc16_ccitt_false,
    decode,
    pix_account,
    promptpay_account,
)
from kiosk.domain.money import Money

# Banco Central do Brasil, "Manual de Padrões para Iniciação do Pix", static QR example.
BCB_PIX_EXAMPLE = (
    "00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-4266554400005204000053039865802BR"
    "5913Fulano de Tal6008BRASILIA62070503***63041D3D"
)


def test_crc_check_value() -> None:
    assert crc16_ccitt_false(b"123456789") == 0x29B1  # the catalogue's check value


def test_the_central_bank_pix_example_decodes_and_re_encodes_byte_for_byte() -> None:
    qr = decode(BCB_PIX_EXAMPLE)
    assert qr.accounts["26"] == pix_account("123e4567-e12b-12d1-a456-426655440000")
    assert (qr.currency, qr.country, qr.merchant_name, qr.merchant_city) == (
        "BRL",
        "BR",
        "Fulano de Tal",
        "BRASILIA",
    )
    assert qr.amount is None
    assert qr.reference_label == "***"
    assert qr.encode() == BCB_PIX_EXAMPLE


def test_dynamic_promptpay_with_amount_and_bill_number() -> None:
    qr = MerchantPresentedQr(
        accounts={"29": promptpay_account("081-234-5678")},
        merchant_category="5411",
        currency="THB",
        country="TH",
        merchant_name="CARREFOUR",
        merchant_city="BANGKOK",
        amount=Money(12350, "THB"),
        bill_number="01J8ZQ3K",
        terminal_label="K01",
    )
    payload = qr.encode()
    assert payload.startswith("000201010212")
    assert "29370016A00000067701011101130066812345678" in payload
    assert "5406123.50" in payload
    assert "5303764" in payload
    back = decode(payload)
    assert back.amount == Money(12350, "THB")
    assert (back.bill_number, back.terminal_label) == ("01J8ZQ3K", "K01")


def test_zero_decimal_currency_amount() -> None:
    qr = MerchantPresentedQr(
        {"26": pix_account("k")}, "5411", "KRW", "KR", "E-MART", "SEOUL", amount=Money(15000, "KRW")
    )
    assert "540515000" in qr.encode()


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (BCB_PIX_EXAMPLE[:-1] + "E", "CRC mismatch"),
        (BCB_PIX_EXAMPLE[:-8], "CRC"),
        ("hello", "must start with 000201"),
        (BCB_PIX_EXAMPLE.replace("5913Fulano", "5999Fulano"), "CRC mismatch"),
    ],
)
def test_corrupt_payloads_are_refused(payload: str, message: str) -> None:
    with pytest.raises(EmvcoError, match=message):
        decode(payload)


def test_truncated_object_with_a_valid_crc_is_refused() -> None:
    from kiosk.domain.emvco import with_crc

    with pytest.raises(EmvcoError, match="truncated"):
        decode(with_crc("0002010102115999abc"))


def test_field_length_rules() -> None:
    base = {
        "accounts": {"26": pix_account("k")},
        "merchant_category": "5411",
        "currency": "BRL",
        "country": "BR",
        "merchant_city": "RIO",
    }
    with pytest.raises(EmvcoError, match="name"):
        MerchantPresentedQr(merchant_name="X" * 26, **base).encode()  # type: ignore[arg-type]
    with pytest.raises(EmvcoError, match="positive"):
        MerchantPresentedQr(merchant_name="X", amount=Money(0, "BRL"), **base).encode()  # type: ignore[arg-type]


@given(
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ", min_size=1, max_size=25),
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=15),
    st.integers(min_value=1, max_value=10**9),
    st.text(alphabet="0123456789ABCDEF", min_size=1, max_size=25),
)
def test_round_trip(name: str, city: str, amount: int, bill: str) -> None:
    qr = MerchantPresentedQr(
        {"26": pix_account("chave@pix.example")},
        "5411",
        "BRL",
        "BR",
        name,
        city,
        amount=Money(amount, "BRL"),
        bill_number=bill,
    )
    payload = qr.encode()
    assert decode(payload) == replace(qr, initiation="12")
    assert decode(payload).encode() == payload


@given(st.text(max_size=200))
def test_decoding_garbage_raises_only_emvco_errors(text: str) -> None:
    try:
        qr = decode(text)
    except EmvcoError:
        return
    assert decode(qr.encode()) == qr  # anything accepted is a well-formed payload
