"""Members: identity (UUIDv7 made where they sign up), the signed member QR, phone
privacy (keyed hash, masked display), consent, and configurable tiers.

Member QR (`MBR:1.<uuid hex>.<expiry>.<signature>`; the `MBR:` prefix is what
`kiosk.services.member_port.is_member_code` routes to the member screen): the member's
id, an optional expiry (Unix seconds; 0 for a printed card, a few minutes for a code
shown by the phone so a screenshot cannot be reused), and an HMAC-SHA256 tag under the
chain's member-code key.
Uppercase hex and dots keep the QR in alphanumeric mode (smaller, quicker to read).
Kiosks hold the key, so a kiosk can print a card for a shopper who signed up offline
and can check any card without a connection.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from kiosk.domain.errors import Reason
from kiosk.domain.loyalty_errors import MemberError

QR_PREFIX = "MBR:1"
_SIG_HEX = 20
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
BASIS_POINTS = 10_000


def member_code_for(member_id: str) -> str:
    """The short member code (typed at a till, printed on a card), derived from the id.

    The kiosk that signs a member up prints it offline, and the central service computes
    the same code with this function.
    """
    digest = hashlib.sha256(b"member-code:v1:" + member_id.lower().encode()).digest()
    number = int.from_bytes(digest[:8], "big")
    chars = []
    for _ in range(12):
        number, rem = divmod(number, len(_CODE_ALPHABET))
        chars.append(_CODE_ALPHABET[rem])
    return "M" + "".join(chars)


_CHINA, _KOREA = "86", "82"
"""The calling codes of the countries the chain's stores are in. A shopper types a Chinese
mobile (138…) or a Korean number (010…) at the kiosk's keypad without them; the same number
typed with its country code (+86 138…, 0082 10…, as staff and phones write it) is kept in
that national form, so it hashes the same and finds the member."""
_PHONE_DIGITS = (7, 15)
"""A national number's shortest, and E.164's longest (country code included)."""


def normalize_phone(phone: str) -> str:
    """ASCII digits only: a Chinese mobile or a Korean number in its national form, any
    other with its + and country code as typed. Refuses what cannot be a phone number.

    A Chinese input method types full-width digits (１３８…): they are the same number, so
    they hash the same (they were kept as typed, and the member was not found).
    """
    international, digits = _typed(phone)
    if not international and digits.startswith("00"):  # the call prefix typed for the +
        digits, international = digits[2:], True
    national = _national(digits, international=international)
    if national is None and international and digits.startswith(_CHINA):
        digits = _CHINA + digits[2:].lstrip("0")  # +86 (0)10…: the trunk 0 is not dialled
    normalized = national or ("+" if international else "") + digits
    low, high = _PHONE_DIGITS
    if not low <= len(normalized.lstrip("+")) <= high:
        raise MemberError("that does not look like a phone number", reason=Reason.BAD_PHONE)
    return normalized


def _typed(phone: str) -> tuple[bool, str]:
    """(whether it starts with a +, its digits in ASCII)."""
    text = phone.strip()
    digits = "".join(str(unicodedata.digit(c)) for c in text if c.isdigit())
    return text.startswith(("+", "＋")), digits


def _chinese_mobile(digits: str) -> bool:
    return len(digits) == 11 and digits[0] == "1" and digits[1] in "3456789"


def _national(digits: str, *, international: bool) -> str | None:
    """The national form of a Chinese mobile or a Korean number written with its code.

    A Chinese landline keeps its +86: its national form (010… for Beijing) is a Korean
    mobile's digits, and the chain's members are one list across both countries (typed
    nationally at a kiosk, the two still hash alike: the kiosk does not know which country's
    number a shopper types). A trunk 0 typed after the code (+82 010…, as Koreans write it;
    +86 (0)138…) is one 0. Without a + or 00, a code is taken as one only before a mobile:
    no national number of either country starts 861 at 13 digits, or 8210 at 12.
    """
    code, rest = digits[:2], digits[2:].lstrip("0")
    if code == _CHINA and _chinese_mobile(rest):
        return rest
    korean_mobile = len(rest) == 10 and rest.startswith("10")
    if code == _KOREA and rest and (international or korean_mobile):
        return "0" + rest
    return None


def phone_hash(key: bytes, phone: str) -> str:
    """Keyed hash of a phone number: what the kiosk stores and sends instead of the number
    (the central service's console hashes what staff type with it too)."""
    return _hash(key, normalize_phone(phone))


def phone_hashes(key: bytes, phone: str) -> tuple[str, ...]:
    """What a member with this phone may be stored under, to look them up: `phone_hash`
    first, then the hashes kiosks made before numbers were kept national (2026-12).

    Those hashed the digits as typed on the keypad: `86138…` or `0086138…` for a Chinese
    mobile. A member who signed up so is found by the number however it is typed now, and
    is not signed up a second time at that kiosk. Only a Chinese mobile's keypad forms are
    tried besides what was typed: a Korean one's (`8210…`) could be a Beijing landline's
    `010…` in another member's hands.
    """
    canonical = normalize_phone(phone)
    international, digits = _typed(phone)
    forms = [canonical, ("+" if international else "") + digits]
    if _chinese_mobile(canonical):
        forms += [_CHINA + canonical, "00" + _CHINA + canonical]
    return tuple(dict.fromkeys(_hash(key, form) for form in forms))


def _hash(key: bytes, normalized: str) -> str:
    return hmac.new(key, normalized.encode(), hashlib.sha256).hexdigest()


def mask_phone(phone: str) -> str:
    """138****5678: enough for shoppers to recognise their number, not to read it."""
    digits = normalize_phone(phone).lstrip("+")
    if len(digits) <= 7:
        return digits[:2] + "*" * (len(digits) - 4) + digits[-2:]
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


# ------------------------------------------------------------------ QR
def _tag(key: bytes, member_hex: str, expires: int) -> str:
    mac = hmac.new(key, f"member-qr:v1:{member_hex}:{expires}".encode(), hashlib.sha256)
    return mac.hexdigest()[:_SIG_HEX].upper()


def member_qr(key: bytes, member_id: str, expires: int = 0) -> str:
    member_hex = uuid.UUID(member_id).hex.upper()
    return f"{QR_PREFIX}.{member_hex}.{expires}.{_tag(key, member_hex, expires)}"


def looks_like_member_qr(text: str) -> bool:
    return text.strip().upper().startswith(QR_PREFIX + ".")


@dataclass(frozen=True, slots=True)
class MemberCard:
    member_id: str
    member_code: str
    expires: int


def parse_member_qr(key: bytes, text: str, now_s: int) -> MemberCard:
    """Check a member QR; raises `MemberError` with `bad_member_code` or `member_code_expired`."""
    parts = text.strip().upper().split(".")
    if len(parts) != 4 or parts[0] != QR_PREFIX:
        raise MemberError("this is not a member code", reason=Reason.BAD_MEMBER_CODE)
    _, member_hex, expires_text, tag = parts
    try:
        member_id = str(uuid.UUID(hex=member_hex))
        expires = int(expires_text)
    except ValueError:
        raise MemberError("this is not a member code", reason=Reason.BAD_MEMBER_CODE) from None
    if not hmac.compare_digest(tag, _tag(key, member_hex, expires)):
        raise MemberError("this member code is not genuine", reason=Reason.BAD_MEMBER_CODE)
    if expires and now_s > expires:
        raise MemberError(
            "this member code has expired: refresh it in the app", reason=Reason.MEMBER_CODE_EXPIRED
        )
    return MemberCard(member_id, member_code_for(member_id), expires)


# ------------------------------------------------------------------ members and tiers
@dataclass(frozen=True, slots=True)
class Consent:
    terms_version: str
    marketing: bool
    given_at: str

    def to_wire(self) -> dict[str, Any]:
        return {
            "terms_version": self.terms_version,
            "marketing": self.marketing,
            "given_at": self.given_at,
        }


@dataclass(frozen=True, slots=True)
class TierRule:
    """A tier and how a member reaches it: signing up through one of `channels`, or
    spending `min_spend` (minor units) within the last `window_days`. Benefits: a points
    multiplier, and the tier's prices and coupons (promotions and coupons name tiers)."""

    tier: str
    rank: int
    channels: frozenset[str] = frozenset()
    min_spend: int = 0
    window_days: int = 365
    points_multiplier_bp: int = BASIS_POINTS
    names: Mapping[str, str] = field(default_factory=dict, hash=False)

    def reached(self, channel: str, rolling_spend: int) -> bool:
        if self.rank == 0:
            return True
        by_channel = bool(self.channels) and channel in self.channels
        by_spend = self.min_spend > 0 and rolling_spend >= self.min_spend
        return by_channel or by_spend


@dataclass(frozen=True, slots=True)
class TierPolicy:
    """The chain's tiers; the lowest rank is the tier everyone starts in."""

    rules: tuple[TierRule, ...]

    def __post_init__(self) -> None:
        if not self.rules:
            raise MemberError("a tier policy needs at least one tier", reason=Reason.BAD_TIERS)
        ranks = [r.rank for r in self.rules]
        if len(set(ranks)) != len(ranks) or min(ranks) != 0:
            raise MemberError("tier ranks must be unique, starting at 0", reason=Reason.BAD_TIERS)

    @property
    def base(self) -> TierRule:
        return min(self.rules, key=lambda r: r.rank)

    def tier_for(self, channel: str, rolling_spend: int) -> str:
        """The highest tier whose rule the member meets (tiers never depend on order)."""
        reached = [r for r in self.rules if r.reached(channel, rolling_spend)]
        return max(reached, key=lambda r: r.rank).tier

    def rule(self, tier: str | None) -> TierRule:
        for r in self.rules:
            if r.tier == tier:
                return r
        return self.base

    def to_wire(self) -> list[dict[str, Any]]:
        return [
            {
                "tier": r.tier,
                "rank": r.rank,
                "channels": sorted(r.channels),
                "min_spend_minor": r.min_spend,
                "window_days": r.window_days,
                "points_multiplier_bp": r.points_multiplier_bp,
                "names": dict(r.names),
            }
            for r in sorted(self.rules, key=lambda r: r.rank)
        ]

    @classmethod
    def from_wire(cls, items: Iterable[Mapping[str, Any]]) -> TierPolicy:
        return cls(
            tuple(
                TierRule(
                    tier=str(d["tier"]),
                    rank=int(d["rank"]),
                    channels=frozenset(map(str, d.get("channels", ()))),
                    min_spend=int(d.get("min_spend_minor", 0)),
                    window_days=int(d.get("window_days", 365)),
                    points_multiplier_bp=int(d.get("points_multiplier_bp", BASIS_POINTS)),
                    names={str(k): str(v) for k, v in dict(d.get("names") or {}).items()},
                )
                for d in items
            )
        )


def carrefour_tiers() -> TierPolicy:
    """The seed case: everyone starts "general"; signing up in the mini program, or
    spending ¥3,000 in a year, makes a member "royal" with double points."""
    return TierPolicy(
        (
            TierRule("general", 0, names={"en": "General", "zh_CN": "普通会员", "ko": "일반 회원"}),
            TierRule(
                "royal",
                1,
                channels=frozenset({"mini_program"}),
                min_spend=300_000,
                points_multiplier_bp=2 * BASIS_POINTS,
                names={"en": "Royal", "zh_CN": "皇家会员", "ko": "로열 회원"},
            ),
        )
    )


def sign_up_time(now: datetime) -> str:
    return now.isoformat()


def derive_key(chain_key: bytes, label: str) -> bytes:
    """A purpose-bound key from the chain's member key (the one enrolment gives every
    kiosk): `member-qr:v1` signs member QRs, `coupon-code:v1` signs printed coupons."""
    return hmac.new(chain_key, label.encode(), hashlib.sha256).digest()
