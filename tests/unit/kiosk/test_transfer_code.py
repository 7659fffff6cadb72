"""The transfer code of a suspended cart (`kiosk.domain.transfer`): what goes in comes out,
a changed character is never accepted, and any other text is refused with its own error."""

from __future__ import annotations

import json
import uuid
import zlib
from datetime import UTC, date, datetime, timedelta

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.domain.exit_code import b45encode
from kiosk.domain.transfer import (
    PREFIX,
    VERSION,
    CartTransfer,
    TransferCodeError,
    TransferLine,
    TransferOverride,
    encode,
    short_number,
    split,
)
from kiosk.services.transfers import TransferSigner
from tests.helpers import PARSER_EXAMPLES, gtin13

KEY = Ed25519PrivateKey.generate()
SIGNED_EXAMPLES = 200
"""Each example signs with Ed25519: the properties over signed codes take fewer."""
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"

texts = st.text(min_size=1, max_size=20)
seconds = st.integers(1_500_000_000, 2_500_000_000).map(lambda s: datetime.fromtimestamp(s, UTC))
money = st.integers(0, 10**9)
overrides = st.builds(
    TransferOverride,
    unit_minor=money,
    shelf_minor=st.integers(1, 10**9),
    staff_id=texts,
    at=seconds,
    reason=texts,
)
lines = st.builds(
    TransferLine,
    gtin=st.from_regex(r"\A[0-9]{12}\Z").map(gtin13),
    quantity=st.integers(1, 99),
    unit_minor=money,
    weight_g=st.none() | st.integers(1, 50_000),
    label_price_minor=st.none() | money,
    lot=st.none() | texts,
    serial=st.none() | texts,
    expiry=st.none() | st.dates(date(2020, 1, 1), date(2040, 12, 31)),
    override=st.none() | overrides,
)
transfers = st.builds(
    CartTransfer,
    cart_id=st.uuids().map(str),
    kiosk_id=st.text(min_size=1, max_size=12),
    store_id=st.text(min_size=1, max_size=12),
    suspended_at=seconds,
    expires_at=seconds,
    suspended_by=texts,
    currency=st.sampled_from(["CNY", "KRW", "USD"]),
    lines=st.lists(lines, min_size=1, max_size=8).map(tuple),
    member_id=st.none() | texts,
    coupons=st.lists(texts, max_size=3).map(tuple),
)


def code_of(transfer: CartTransfer) -> str:
    return TransferSigner(KEY).sign(transfer)


def checked(code: str) -> CartTransfer:
    """What a verifying kiosk does with the code's bytes before any policy."""
    data, signature = split(code)
    KEY.public_key().verify(signature, data)
    return CartTransfer.from_signed_bytes(data)


@settings(max_examples=SIGNED_EXAMPLES)
@given(transfers)
def test_a_signed_code_gives_back_exactly_the_cart_it_carries(transfer: CartTransfer) -> None:
    code = code_of(transfer)
    assert code.startswith(PREFIX)
    assert set(code[len(PREFIX) :]) <= set(ALPHABET)  # QR alphanumeric mode throughout
    assert checked(code) == transfer


@settings(max_examples=SIGNED_EXAMPLES)
@given(transfers, st.data())
def test_any_changed_character_is_refused(transfer: CartTransfer, data: st.DataObject) -> None:
    code = code_of(transfer)
    at = data.draw(st.integers(len(PREFIX), len(code) - 1))
    other = data.draw(st.sampled_from(ALPHABET).filter(lambda ch: ch != code[at]))
    tampered = code[:at] + other + code[at + 1 :]
    with pytest.raises((TransferCodeError, InvalidSignature)):
        checked(tampered)


@settings(max_examples=PARSER_EXAMPLES)
@given(st.text(max_size=300) | st.text(ALPHABET, max_size=300).map(lambda t: PREFIX + t))
def test_any_other_text_is_refused_with_the_codes_own_error(text: str) -> None:
    try:
        data, _signature = split(text)
        CartTransfer.from_signed_bytes(data)
    except TransferCodeError:
        return
    pytest.fail("random text passed as a transfer code")  # pragma: no cover


@settings(max_examples=PARSER_EXAMPLES)
@given(st.recursive(st.none() | st.integers() | st.text(max_size=5), st.lists, max_leaves=30))
def test_a_well_signed_body_that_is_not_a_cart_is_refused(body: object) -> None:
    """A kiosk key signing nonsense (a bug, an old version): refused, never half-read."""
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    raw = json.dumps(body).encode()
    data = bytes((VERSION,)) + deflate.compress(raw) + deflate.flush()
    with pytest.raises(TransferCodeError):
        CartTransfer.from_signed_bytes(data)


def test_a_body_that_inflates_beyond_the_limit_is_refused() -> None:
    bomb = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = bytes((VERSION,)) + bomb.compress(b"[" + b" " * 200_000 + b"]") + bomb.flush()
    assert len(data) < 1000
    signed, _signature = split(PREFIX + b45encode(data + bytes(64)))
    with pytest.raises(TransferCodeError):
        CartTransfer.from_signed_bytes(signed)


def test_a_cart_of_twenty_lines_fits_one_qr_code() -> None:
    at = datetime(2026, 12, 4, 14, 5, tzinfo=UTC)
    transfer = CartTransfer(
        cart_id=str(uuid.uuid4()),
        kiosk_id="K01",
        store_id="S001",
        suspended_at=at,
        expires_at=at + timedelta(hours=2),
        suspended_by="1001",
        currency="CNY",
        lines=tuple(
            TransferLine(gtin13(f"6901234{n:05d}"), 1 + n % 3, 350 + 10 * n) for n in range(20)
        ),
        member_id="M-0001",
        coupons=("CP-SAVE5",),
    )
    code = code_of(transfer)
    # QR version 40 at error correction M holds 3,391 alphanumeric characters; staying
    # under a third of that keeps the modules large enough for a webcam at arm's length.
    assert len(code) < 1100, len(code)


def test_the_short_number_is_ten_digits_and_stable() -> None:
    cart_id = "01890f3e-1b2c-7d4e-8f00-0123456789ab"
    number = short_number(cart_id)
    assert len(number) == 10
    assert number.isdigit()
    assert short_number(cart_id) == number
    assert short_number("01890f3e-1b2c-7d4e-8f00-0123456789ac") != number


def test_an_encoded_code_needs_a_whole_signature() -> None:
    transfer_bytes = code_of(
        CartTransfer(
            str(uuid.uuid4()), "K01", "S001", datetime.now(UTC), datetime.now(UTC), "1",
            "CNY", (TransferLine(gtin13("690123456789"), 1, 100),),
        )
    )  # fmt: skip
    assert transfer_bytes
    with pytest.raises(TransferCodeError):
        encode(checked(transfer_bytes), b"short")
