"""Members: signed QR, phone privacy, tiers."""

from __future__ import annotations

import pytest

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


def test_member_code_matches_the_wire_protocol() -> None:
    from sync.protocol import phone_hash as wire_hash

    # Printed on cards and computed by the central service from the same function: the
    # derivation must never change under them.
    assert member_code_for(MEMBER) == "MNQ5A7C6PDPUD"
    assert member_code_for(MEMBER.upper()) == member_code_for(MEMBER)
    assert phone_hash(KEY, "138 0013 8000") == wire_hash(KEY, "13800138000")
    # Full-width digits (a Chinese input method's) are the same number, on both sides.
    assert phone_hash(KEY, "１３８ ００１３ ８０００") == phone_hash(KEY, "13800138000")
    assert wire_hash(KEY, "１３８００１３８０００") == wire_hash(KEY, "13800138000")
    assert normalize_phone("＋８６ 138 0013 8000") == "+8613800138000"


def test_phone_privacy() -> None:
    assert mask_phone("13800135678") == "138****5678"
    assert mask_phone("+86 138-0013-5678") == "861******5678"
    assert normalize_phone(" 138 0013 5678 ") == "13800135678"
    assert phone_hash(KEY, "13800135678") != phone_hash(b"other", "13800135678")
    assert "13800135678" not in phone_hash(KEY, "13800135678")
    with pytest.raises(MemberError):
        normalize_phone("12")


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
