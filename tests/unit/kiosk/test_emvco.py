from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.domain.emvco import (
    EmvcoError,
    MerchantPresentedQr,
    crc16_ccitt_false,
    decode,
    parse_objects,
    pix_account,
    promptpay_account,
    with_crc,
)
from kiosk.domain.money import Money
from tests.helpers import PARSER_EXAMPLES

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


# ---------------------------------------------------------------- issue #12.13
# Published payloads (CRC-valid as published): Bakong KHQR (National Bank of Cambodia's
# SDK test vectors; a UnionPay account in id 15 beside Bakong's 29, and one in 15 alone)
# and VietQR (NAPAS; account in 15 and template 38). A Lao BCEL One payload (LAK) waits
# for LAK among the kiosk's currencies (CLDR formats it without decimals, ISO with 2).
KHQR_UPI = (
    "00020101021115231234567812345678901234529180014jonhsmith@nbcq5204599953031165802KH"
    "5910Jonh Smith6010Phnom Penh6304F646"
)
KHQR_15 = (
    "00020101021115311974011600520446BONG1000231208129140010ratha@bkrt5204599953031165802KH"
    "5914RA THA Phearom6010Phnom Penh63043AD8"
)
VIETQR = (
    "0002010102111531397007040052044600006789177200238550010A000000727012500069704230111"
    "678917720020208QRIBFTTA5204513753037045802VN5405200005914NGUYEN HUU HOA6006Ha Noi630469A3"
)


@pytest.mark.parametrize("payload", [KHQR_UPI, KHQR_15, VIETQR, BCB_PIX_EXAMPLE])
def test_published_payloads_decode_with_nothing_dropped(payload: str) -> None:
    qr = decode(payload)
    again = qr.encode()
    assert decode(again) == qr
    # Every data object of the original is in the re-encoding (ours may order them).
    assert sorted(_flat(payload)) == sorted(_flat(again))


def _flat(payload: str) -> list[tuple[str, str]]:
    return [(t, v) for t, v in parse_objects(payload[:-8]).items() if t != "01"]


def test_an_account_in_a_network_id_is_kept() -> None:
    qr = decode(KHQR_15)  # was refused: no account in 26..51
    assert qr.network_accounts == {"15": "1974011600520446BONG10002312081"}
    assert qr.accounts == {"29": {"00": "ratha@bkrt"}}
    assert qr.currency == "KHR"


def test_every_additional_data_sub_object_is_kept() -> None:
    qr = replace(
        decode(BCB_PIX_EXAMPLE),
        additional={"03": "STORE-7", "08": "groceries"},
        bill_number="B1",
    )
    back = decode(qr.encode())
    assert back.additional == {"03": "STORE-7", "08": "groceries"}
    assert (back.bill_number, back.reference_label) == ("B1", "***")


def test_merchant_name_and_city_must_be_ascii() -> None:
    body = BCB_PIX_EXAMPLE[:-8].replace("5913Fulano de Tal", "5913Fulano de Tál")
    with pytest.raises(EmvcoError, match="59 must be printable ASCII"):
        decode(with_crc(body))
    with pytest.raises(EmvcoError, match="60 must be printable ASCII"):
        replace(decode(BCB_PIX_EXAMPLE), merchant_city="São Paulo").encode()


def test_a_repeated_id_is_refused_not_last_wins() -> None:
    body = BCB_PIX_EXAMPLE[:-8]
    with pytest.raises(EmvcoError, match="54 appears twice"):
        decode(with_crc(body + "54041.00" + "5406999.00"))
    with pytest.raises(EmvcoError, match="01 appears twice"):  # a second payee key in 26
        decode(with_crc(body.replace("0136123e", "0103abc0136123e").replace("2658", "2665")))


@pytest.mark.parametrize(
    "amount", ["-1", "0", "0.00", "+5", "1_000", "10,50", "1e3", " 5", "12345678901.00"]
)
def test_amounts_the_specification_does_not_allow_are_refused(amount: str) -> None:
    payload = with_crc(BCB_PIX_EXAMPLE[:-8] + f"54{len(amount):02d}{amount}")
    with pytest.raises(EmvcoError, match="tag 54"):
        decode(payload)


@pytest.mark.parametrize("value", [None, b"000201", 42, ["000201"]])
def test_decode_refuses_what_is_not_text_with_its_own_error(value: object) -> None:
    with pytest.raises(EmvcoError, match="is text"):
        decode(value)


_ascii = st.text(
    alphabet=st.characters(min_codepoint=32, max_codepoint=126), min_size=1, max_size=20
)
_sub = st.dictionaries(st.sampled_from([f"{n:02d}" for n in range(2, 10)]), _ascii, max_size=3)


@given(
    name=st.text(
        alphabet=st.characters(min_codepoint=32, max_codepoint=126), min_size=1, max_size=25
    ),
    city=st.text(
        alphabet=st.characters(min_codepoint=32, max_codepoint=126), min_size=1, max_size=15
    ),
    amount=st.one_of(st.none(), st.integers(min_value=1, max_value=10**12)),
    network=st.dictionaries(
        st.sampled_from([f"{n:02d}" for n in range(2, 26)]), _ascii, max_size=2
    ),
    templates=st.dictionaries(
        st.sampled_from([f"{n:02d}" for n in range(26, 52)]),
        st.dictionaries(st.sampled_from(["00", "01", "02"]), _ascii, min_size=1, max_size=3),
        max_size=2,
    ),
    additional=_sub,
    extra=st.dictionaries(st.sampled_from(["64", "80", "99"]), _ascii, max_size=2),
)
@settings(max_examples=PARSER_EXAMPLES, deadline=None)
def test_round_trip_keeps_everything(
    name: str,
    city: str,
    amount: int | None,
    network: dict[str, str],
    templates: dict[str, dict[str, str]],
    additional: dict[str, str],
    extra: dict[str, str],
) -> None:
    qr = MerchantPresentedQr(
        templates,
        "5411",
        "THB",
        "TH",
        name,
        city,
        amount=None if amount is None else Money(amount, "THB"),
        extra=extra,
        network_accounts=network,
        additional=additional,
    )
    try:
        payload = qr.encode()
    except EmvcoError:
        return  # no account at all, or too long for one QR: refused, not mangled
    assert decode(payload) == replace(qr, initiation="12" if amount else "11")


@given(
    st.one_of(
        st.text(max_size=300), st.from_regex(r"000201([0-9]{4}[ -~]{0,12}){1,12}", fullmatch=True)
    )
)
@settings(max_examples=PARSER_EXAMPLES, deadline=None)
def test_fuzz_with_a_valid_crc_raises_only_emvco_errors(body: str) -> None:
    try:
        qr = decode(with_crc(body))
    except EmvcoError:
        return
    assert decode(qr.encode()) == qr
