"""Online member lookup for `kiosk.services.loyalty` (the `MemberLookup` port).

The rest of loyalty sync is ordinary sync: sign-ups, ledger events and coupon
redemptions travel through the outbox relay's one route table (`sync.relay.ROUTES`; a
redemption the service refuses as a double use comes back as a conflict, recorded for
staff like any other), and promotions, coupons and tiers are feeds of the one puller
(`sync.pullers.PULLED`).

Wire shapes are plain JSON built by the kiosk core (`kiosk.domain.promotions`,
`.coupons`, `kiosk.services.loyalty._redemption_wire`) and validated by the service's
models in `central.loyalty`; see docs/loyalty.md.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pydantic import ValidationError

from kiosk.services.member_port import LookupUnavailable, RemoteMember, RemoteWalletCoupon
from sync.client import CentralClient
from sync.errors import ProtocolError, SyncError
from sync.loyalty_protocol import LOYALTY_PREFIX, LoyaltyMember
from sync.protocol import ANSWER


class CentralMemberLookup:
    """`kiosk.services.loyalty.MemberLookup` over the central service: one quick attempt
    (the shopper is waiting); anything but an answer means "use the cache"."""

    def __init__(self, client: CentralClient, attempts: int = 1) -> None:
        self._client = client
        self._attempts = attempts

    def by_code(self, member_code: str) -> RemoteMember | None:
        return self._ask({"member_code": member_code})

    def by_phone_hashes(self, digests: Sequence[str]) -> RemoteMember | None:
        phone, *legacy = digests
        return self._ask({"phone_hash": phone, "legacy_phone_hash": legacy})

    def _ask(self, query: Mapping[str, str | Sequence[str]]) -> RemoteMember | None:
        try:
            answer = self._client.call(
                "GET", f"{LOYALTY_PREFIX}/member", query=query, attempts=self._attempts
            )
        except ProtocolError as exc:
            if exc.status == 404:
                return None
            raise LookupUnavailable(f"member lookup refused: {exc}") from exc
        except SyncError as exc:
            raise LookupUnavailable(f"member lookup failed: {exc}") from exc
        try:
            member = LoyaltyMember.model_validate(answer, context=ANSWER)
        except ValidationError as exc:
            raise LookupUnavailable(f"member lookup answer is malformed: {exc}") from exc
        return remote_member(member)


def remote_member(m: LoyaltyMember) -> RemoteMember:
    return RemoteMember(
        member_id=m.member_id,
        member_code=m.member_code,
        phone_hash=m.phone_hash,
        tier=m.tier,
        points=m.points,
        wallet=tuple(RemoteWalletCoupon(w.code, w.coupon_id, w.state) for w in m.wallet),
        coupon_uses=dict(m.coupon_uses),
    )
