"""The online member port (`MemberLookup`: the central service's member directory, which
`sync.loyalty.CentralMemberLookup` implements) and the shapes that cross it, for
`kiosk.services.members`. Also here: telling a member or coupon code apart from a product
code, so a shopper who shows one on the product screen gets a useful answer instead of
"unknown product".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from kiosk.domain.errors import Reason
from kiosk.domain.loyalty_errors import LoyaltyError

MEMBER_CODE_PREFIX = "MBR:"
"""What a member app's QR carries first (`MBR:1.<member id>.<expiry>.<signature>`)."""
COUPON_CODE_PREFIX = "CPN:"


def is_member_code(text: str) -> bool:
    return text.strip().upper().startswith(MEMBER_CODE_PREFIX)


def is_coupon_code(text: str) -> bool:
    return text.strip().upper().startswith(COUPON_CODE_PREFIX)


class LookupUnavailable(LoyaltyError):
    """The central service cannot be asked right now: the kiosk falls back on its cache."""

    reason = Reason.OFFLINE


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

    def by_phone_hashes(self, digests: Sequence[str]) -> RemoteMember | None:
        """The member stored under the first of a phone's `digests` (`phone_hashes`: its
        hash, then the forms older kiosks made), in one question."""
        ...


@dataclass(frozen=True, slots=True)
class CentralAnswer:
    """What the central service said about a member: `remote`, None for "no such member";
    `unavailable` when it could not answer (then the kiosk's own cache decides)."""

    remote: RemoteMember | None = None
    unavailable: bool = False


UNAVAILABLE = CentralAnswer(unavailable=True)
