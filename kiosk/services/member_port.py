"""The member port: find a shopper's membership by their app's QR or their phone, or sign
them up (`kiosk.services.loyalty.LoyaltyDirectory` implements it).

Phone numbers are never kept or shown in clear: members are keyed by an HMAC of the phone,
and a `Member` only carries a masked form (`138****5678`). Also here: telling a member or
coupon code apart from a product code, so a shopper who shows one on the product screen gets
a useful answer instead of "unknown product".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from kiosk.domain.loyalty_errors import LoyaltyError

MEMBER_CODE_PREFIX = "MBR:"
"""What a member app's QR carries first (`MBR:1.<member id>.<expiry>.<signature>`)."""
COUPON_CODE_PREFIX = "CPN:"


@dataclass(frozen=True, slots=True)
class Member:
    member_id: str
    masked_phone: str
    tier: str = "standard"


def is_member_code(text: str) -> bool:
    return text.strip().upper().startswith(MEMBER_CODE_PREFIX)


def is_coupon_code(text: str) -> bool:
    return text.strip().upper().startswith(COUPON_CODE_PREFIX)


# ------------------------------------------------------------------ the online port
class LookupUnavailable(LoyaltyError):
    """The central service cannot be asked right now: the kiosk falls back on its cache."""

    reason = "offline"


# ------------------------------------------------------------------ the online port
@dataclass(frozen=True, slots=True)
class RemoteWalletCoupon:
    code: str
    coupon_id: str
    state: str = "available"


@dataclass(frozen=True, slots=True)
class RemoteMember:
    """A member as the central service knows them (balance derived from its ledger)."""

    member_id: str
    member_code: str
    phone_hash: str | None
    tier: str
    points: int
    wallet: tuple[RemoteWalletCoupon, ...] = ()
    coupon_uses: Mapping[str, int] = field(default_factory=dict)


class MemberLookup(Protocol):
    """Online member lookup (the sync adapter implements it). Returns None for "no such
    member"; raises `LookupUnavailable` when the service cannot answer quickly."""

    def by_code(self, member_code: str) -> RemoteMember | None: ...

    def by_phone_hash(self, digest: str) -> RemoteMember | None: ...


@dataclass(frozen=True, slots=True)
class CentralAnswer:
    """What the central service said about a member: `remote`, None for "no such member";
    `unavailable` when it could not answer (then the kiosk's own cache decides)."""

    remote: RemoteMember | None = None
    unavailable: bool = False


UNAVAILABLE = CentralAnswer(unavailable=True)


class MemberDirectory(Protocol):
    """Finding a member is two steps so the UI can keep the screen live while the central
    service is asked: `ask_*` (network only, no database: safe on a worker thread), then
    `by_*` / `sign_up` with that answer (database, on the caller's thread). With no answer
    the second step asks itself."""

    @property
    def asks_central(self) -> bool:
        """False when there is no central service to ask: the answer is immediate."""
        ...

    def ask_by_code(self, code: str) -> CentralAnswer:
        """Raises MemberError for a code that is not a valid member QR."""
        ...

    def ask_by_phone(self, phone: str) -> CentralAnswer: ...

    def by_code(self, code: str, answer: CentralAnswer | None = None) -> Member:
        """The member a member QR names; raises MemberError(unknown_member)."""
        ...

    def by_phone(self, phone: str, answer: CentralAnswer | None = None) -> Member:
        """The member with this phone; raises MemberError(unknown_member / bad_phone)."""
        ...

    def sign_up(self, phone: str, *, consent: bool, answer: CentralAnswer | None = None) -> Member:
        """One-step sign-up; needs the shopper's consent; returns the existing member if any."""
        ...
