"""The member port: find a shopper's membership by their app's QR or their phone, or sign
them up, and the local stand-in the kiosk uses until the central member service lands.

Phone numbers are never kept or shown in clear: the stand-in keys members by an HMAC of
the phone (with a kiosk key), and a `Member` only carries a masked form (`138****5678`).
Also here: telling a member or coupon code apart from a product code, so a shopper who
shows one on the product screen gets a useful answer instead of "unknown product".
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from typing import Protocol

from kiosk.domain.errors import KioskError
from kiosk.domain.ids import IdFactory
from kiosk.store.uow import KioskStore

MEMBER_CODE_PREFIX = "MBR:"
"""What a member app's QR carries before the member id (`MBR:<member id>`)."""
COUPON_CODE_PREFIX = "CPN:"
_PHONE = re.compile(r"^\d{7,15}$")
_MEMBERS_KEY = "members.local"
_MEMBER_KEY = "members.local_key"


class MemberError(KioskError):
    """`reason`: unknown_member, bad_phone, consent_required."""

    reason = "member"


@dataclass(frozen=True, slots=True)
class Member:
    member_id: str
    masked_phone: str
    tier: str = "standard"


def mask_phone(phone: str) -> str:
    """Keep the first three and last four digits, the way Chinese apps show a phone."""
    digits = phone.strip()
    if len(digits) <= 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def is_member_code(text: str) -> bool:
    return text.strip().upper().startswith(MEMBER_CODE_PREFIX)


def is_coupon_code(text: str) -> bool:
    return text.strip().upper().startswith(COUPON_CODE_PREFIX)


class MemberDirectory(Protocol):
    def by_code(self, code: str) -> Member:
        """The member a member QR names; raises MemberError(unknown_member)."""
        ...

    def by_phone(self, phone: str) -> Member:
        """The member with this phone; raises MemberError(unknown_member / bad_phone)."""
        ...

    def sign_up(self, phone: str, *, consent: bool) -> Member:
        """One-step sign-up; needs the shopper's consent; returns the existing member if any."""
        ...


class LocalMemberDirectory:
    """Members kept in the kiosk's settings: enough for the journey until members sync."""

    def __init__(self, store: KioskStore, ids: IdFactory) -> None:
        self._store = store
        self._ids = ids

    def _key(self) -> bytes:
        key = self._store.settings.get(_MEMBER_KEY)
        if key is None:
            key = secrets.token_hex(32)
            self._store.settings.set(_MEMBER_KEY, key)
        return bytes.fromhex(str(key))

    def _members(self) -> dict[str, dict[str, str]]:
        return dict(self._store.settings.get(_MEMBERS_KEY, {}))

    def _phone_hash(self, phone: str) -> str:
        if not _PHONE.match(phone.strip()):
            raise MemberError("a phone number is 7 to 15 digits", reason="bad_phone")
        return hmac.new(self._key(), phone.strip().encode(), hashlib.sha256).hexdigest()

    def by_code(self, code: str) -> Member:
        member_id = code.strip()[len(MEMBER_CODE_PREFIX) :] if is_member_code(code) else ""
        for record in self._members().values():
            if record["member_id"] == member_id:
                return Member(record["member_id"], record["masked_phone"])
        raise MemberError("this member code is not known", reason="unknown_member")

    def by_phone(self, phone: str) -> Member:
        record = self._members().get(self._phone_hash(phone))
        if record is None:
            raise MemberError("no member has this phone number", reason="unknown_member")
        return Member(record["member_id"], record["masked_phone"])

    def sign_up(self, phone: str, *, consent: bool) -> Member:
        if not consent:
            raise MemberError("signing up needs the shopper's consent", reason="consent_required")
        digest = self._phone_hash(phone)
        members = self._members()
        if digest not in members:
            members[digest] = {"member_id": self._ids.new(), "masked_phone": mask_phone(phone)}
            self._store.settings.set(_MEMBERS_KEY, members)
        record = members[digest]
        return Member(record["member_id"], record["masked_phone"])
