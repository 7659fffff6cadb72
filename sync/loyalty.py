"""The kiosk's side of loyalty sync: pull promotions, coupons and tiers; push coupon
redemptions; look members up online for `kiosk.services.loyalty`.

Members and ledger events travel through the outbox kinds `member` and `ledger`, which
`sync.relay.OutboxRelay` already sends; this module adds `coupon_redemption` (a relay
of its own, same exactly-once rules) and the loyalty feeds. A redemption the service
refuses as a double use comes back as a conflict: it is recorded with the other sync
conflicts (`sync.conflicts`) for staff to see, and the outbox moves on.

Wire shapes are plain JSON built by the kiosk core (`kiosk.domain.promotions`,
`.coupons`, `kiosk.services.loyalty._redemption_wire`) and validated by the service's
models in `central.loyalty`; see docs/loyalty.md.
"""

from __future__ import annotations

from pydantic import ValidationError

from kiosk.services.member_port import LookupUnavailable, RemoteMember, RemoteWalletCoupon
from kiosk.store.loyalty import COUPON, PROMOTION, TIERS, LoyaltyRepository
from kiosk.store.uow import KioskStore
from sync.client import CentralClient
from sync.errors import ProtocolError, SyncError
from sync.loyalty_protocol import (
    LOYALTY_PREFIX,
    MAX_REDEMPTIONS_PER_BATCH,
    REDEMPTION_KIND,
    LoyaltyMember,
)
from sync.protocol import FeedPage
from sync.pullers import pull_pages
from sync.relay import OutboxRelay, RelayReport, Route

LOYALTY_ROUTES: dict[str, Route] = {
    REDEMPTION_KIND: Route(
        f"{LOYALTY_PREFIX}/redemptions/batch",
        "redemptions",
        "redemption_id",
        MAX_REDEMPTIONS_PER_BATCH,
    ),
}
# feed name on the service → kind in the kiosk's loyalty_offers table
LOYALTY_FEEDS: dict[str, str] = {"promotions": PROMOTION, "coupons": COUPON, "tiers": TIERS}


def cursor_key(feed: str) -> str:
    return f"sync.cursor.loyalty.{feed}"


class LoyaltyRelay(OutboxRelay):
    """Sends the `coupon_redemption` outbox rows (run it after `OutboxRelay.drain`, so
    a member's sign-up reaches the service before anything that names them)."""

    def drain(self, max_batches: int = 1_000_000) -> RelayReport:
        report = RelayReport()
        for kind, route in LOYALTY_ROUTES.items():
            limit = min(self._batch_size or route.batch, route.batch)
            while report.batches < max_batches:
                rows = self._store.outbox.pending(limit, kind)
                if not rows:
                    break
                self._send(kind, route, rows, report)
                report.batches += 1
                report.by_kind[kind] = report.by_kind.get(kind, 0) + len(rows)
        return report


class LoyaltyPuller:
    """Pulls the loyalty feeds into the kiosk's cache, a page per transaction."""

    def __init__(self, store: KioskStore, client: CentralClient, page_size: int = 2000) -> None:
        self._store = store
        self._repo = LoyaltyRepository(store.store)
        self._client = client
        self._page_size = page_size

    def pull(self, feed: str) -> int:
        kind = LOYALTY_FEEDS[feed]

        def apply(page: FeedPage) -> None:
            upserts = [(i.key, i.data) for i in page.items if not i.deleted and i.data]
            deletions = [i.key for i in page.items if i.deleted]
            if upserts:
                self._repo.put_offers(kind, upserts)
            if deletions:
                self._repo.delete_offers(kind, deletions)

        return pull_pages(
            self._store,
            self._client,
            f"{LOYALTY_PREFIX}/feeds/{feed}",
            cursor_key(feed),
            apply,
            page_size=self._page_size,
            # A full pull (first one, or the service's database replaced) sweeps the
            # offers the service no longer has.
            local_keys=lambda: self._repo.offer_ids(kind),
        )

    def pull_all(self) -> dict[str, int]:
        return {feed: self.pull(feed) for feed in LOYALTY_FEEDS}


class CentralMemberLookup:
    """`kiosk.services.loyalty.MemberLookup` over the central service: one quick attempt
    (the shopper is waiting); anything but an answer means "use the cache"."""

    def __init__(self, client: CentralClient, attempts: int = 1) -> None:
        self._client = client
        self._attempts = attempts

    def by_code(self, member_code: str) -> RemoteMember | None:
        return self._ask({"member_code": member_code})

    def by_phone_hash(self, digest: str) -> RemoteMember | None:
        return self._ask({"phone_hash": digest})

    def _ask(self, query: dict[str, str | int]) -> RemoteMember | None:
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
            member = LoyaltyMember.model_validate(answer)
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


def push_redemptions(store: KioskStore, client: CentralClient) -> RelayReport:
    """A sync round step (`sync.worker.Step`): send pending coupon redemptions."""
    return LoyaltyRelay(store, client).drain()


def pull_offers(store: KioskStore, client: CentralClient) -> dict[str, int]:
    """A sync round step: pull promotions, coupons and tiers."""
    return LoyaltyPuller(store, client).pull_all()


# For the composition root: `SyncWorker(..., steps=LOYALTY_STEPS)`.
LOYALTY_STEPS = (push_redemptions, pull_offers)
