"""Members: signed QR, phone privacy, tiers."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.catalog import LANGUAGES
from kiosk.domain.ids import IdFactory
from kiosk.domain.loyalty_errors import MemberError
from kiosk.domain.members import (
    TierPolicy,
    TierRule,
    carrefour_tiers,
    mask_phone,
    member_code_for,
    member_qr,
    normalize_phone,
    parse_member_qr,
    phone_hash,
    phone_hashes,
)

KEY = b"chain-member-key-0123456789abcdef"
MEMBER = IdFactory(lambda: 1_790_000_000_000, lambda: 42).new()


def test_qr_round_trip_and_alphanumeric_mode() -> None:
    text = member_qr(KEY, MEMBER)
    assert text == text.upper()
    assert set(text) <= set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
    card = parse_member_qr(KEY, text, now_s=0)
    assert card.member_id == MEMBER
    assert card.member_code == member_code_for(MEMBER)


def test_qr_forgery_and_expiry() -> None:
    text = member_qr(KEY, MEMBER, expires=1000)
    assert parse_member_qr(KEY, text, now_s=999).member_id == MEMBER
    with pytest.raises(MemberError) as info:
        parse_member_qr(KEY, text, now_s=1001)
    assert info.value.reason == "member_code_expired"
    tampered = text.replace(".1000.", ".9999.")
    with pytest.raises(MemberError) as info:
        parse_member_qr(KEY, tampered, now_s=0)
    assert info.value.reason == "bad_member_code"
    with pytest.raises(MemberError):
        parse_member_qr(b"another-chain", text, now_s=0)
    with pytest.raises(MemberError):
        parse_member_qr(KEY, "MBR:1.nothex.0.AAAA", now_s=0)


def test_member_code_never_changes() -> None:
    # Printed on cards and computed by the central service from the same function: the
    # derivation must never change under them.
    assert member_code_for(MEMBER) == "MNQ5A7C6PDPUD"
    assert member_code_for(MEMBER.upper()) == member_code_for(MEMBER)


def test_phone_privacy() -> None:
    assert mask_phone("13800135678") == "138****5678"
    # Typed with its country code, it is the same number (it was masked "861******5678").
    assert mask_phone("+86 138-0013-5678") == "138****5678"
    assert normalize_phone(" 138 0013 5678 ") == "13800135678"
    assert phone_hash(KEY, "13800135678") != phone_hash(b"other", "13800135678")
    assert "13800135678" not in phone_hash(KEY, "13800135678")
    with pytest.raises(MemberError):
        normalize_phone("12")


@pytest.mark.parametrize(
    ("typed", "national"),
    [
        # Full-width digits (a Chinese input method's) are the same number.
        ("１３８ ００１３ ８０００", "13800138000"),
        ("＋８６ 138 0013 8000", "13800138000"),
        ("+86 138-0013-8000", "13800138000"),
        ("0086 13800138000", "13800138000"),
        ("8613800138000", "13800138000"),  # the keypad has no +
        ("+86 (0)138 0013 8000", "13800138000"),
        ("+82 10-1234-5678", "01012345678"),
        ("+82 010 1234 5678", "01012345678"),
        ("0082 2 312 3456", "023123456"),  # a Seoul line
        ("821012345678", "01012345678"),
        ("82 010 1234 5678", "01012345678"),
    ],
)
def test_a_number_typed_with_its_country_code_is_the_national_one(
    typed: str, national: str
) -> None:
    assert normalize_phone(typed) == national
    assert phone_hash(KEY, typed) == phone_hash(KEY, national)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("+1 415 555 0100", "+14155550100"),  # a visitor's number keeps its country
        # A Chinese landline keeps its code: in national form (010…) it would be a Korean
        # mobile's digits, and the chain's members are one list.
        ("+86 10 6552 9988", "+861065529988"),
        ("+86 (0)10 6552 9988", "+861065529988"),  # the trunk 0 is not dialled
        ("0086 21 5555 0000", "+862155550000"),
        ("0044 20 7946 0000", "+442079460000"),
        ("86123456", "86123456"),  # a national number that starts 86
        ("861234567890", "861234567890"),  # 12 digits: not 86 and a mobile
        ("8201012345", "8201012345"),
    ],
)
def test_other_numbers_keep_what_was_typed(typed: str, kept: str) -> None:
    assert normalize_phone(typed) == kept


@pytest.mark.parametrize("typed", ["123456", "+86 12", "0086", "1234567890123456"])
def test_what_cannot_be_a_phone_number_is_refused(typed: str) -> None:
    with pytest.raises(MemberError) as info:
        normalize_phone(typed)
    assert info.value.reason == "bad_phone"


@given(
    mobile=st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
    prefix=st.sampled_from(["", "+86", "+86 ", "0086", "86", "＋８６-"]),
    gaps=st.booleans(),
)
def test_a_chinese_mobile_hashes_the_same_however_it_is_typed(
    mobile: str, prefix: str, gaps: bool
) -> None:
    typed = prefix + (f"{mobile[:3]} {mobile[3:7]} {mobile[7:]}" if gaps else mobile)
    assert normalize_phone(typed) == mobile
    assert normalize_phone(normalize_phone(typed)) == mobile


@given(st.text(alphabet="+＋0123456789１２８６ -", max_size=20))
def test_normalizing_is_idempotent_and_digits_only(text: str) -> None:
    try:
        once = normalize_phone(text)
    except MemberError:
        return
    assert normalize_phone(once) == once
    assert once.lstrip("+").isascii()
    assert once.lstrip("+").isdigit()


def test_tiers() -> None:
    tiers = carrefour_tiers()
    assert tiers.tier_for("kiosk", 0) == "general"
    assert tiers.tier_for("mini_program", 0) == "royal"
    assert tiers.tier_for("kiosk", 300_000) == "royal"
    assert tiers.rule("royal").points_multiplier_bp == 20_000
    assert tiers.rule("unknown").tier == "general"
    assert TierPolicy.from_wire(tiers.to_wire()) == tiers
    with pytest.raises(MemberError):
        TierPolicy((TierRule("a", 1),))


def test_every_seed_tier_is_named_in_every_kiosk_language() -> None:
    for rule in carrefour_tiers().rules:
        assert set(rule.names) >= set(LANGUAGES), rule.tier


def test_a_number_typed_with_a_country_code_is_also_looked_up_as_it_was_hashed_before() -> None:
    def before(typed: str) -> str:  # a kiosk hashed the keypad's digits as typed
        return hmac.new(KEY, typed.encode(), hashlib.sha256).hexdigest()

    mobile = "13800138000"
    assert phone_hashes(KEY, mobile) == (
        phone_hash(KEY, mobile),
        before("86" + mobile),
        before("0086" + mobile),
    )
    for typed in ("86 138 0013 8000", "0086 13800138000", "+86 138 0013 8000"):
        found = phone_hashes(KEY, typed)
        assert found[0] == phone_hash(KEY, mobile)
        assert {before("86" + mobile), before("0086" + mobile)} <= set(found)
    # A Korean mobile's keypad form could be a Beijing landline's 010… in another member's
    # hands: only what was typed.
    assert phone_hashes(KEY, "01012345678") == (phone_hash(KEY, "01012345678"),)
    assert phone_hashes(KEY, "821012345678") == (
        phone_hash(KEY, "01012345678"),
        before("821012345678"),
    )
    assert phone_hashes(KEY, "+1 415 555 0100") == (phone_hash(KEY, "+14155550100"),)
