"""Members at the kiosk: find a shopper's membership by their app's QR or their phone,
online or from the kiosk's cache, or sign them up in one step; their tier, points
balance and what they may spend now.

Phone numbers are never kept or shown in clear: members are keyed by an HMAC of the
phone (`phone_hash`), and only the masked form (`138****5678`) is cached for the screen.

Each lookup is two calls: `ask_*` puts the question to the central service and touches
no database, so the UI runs it on a worker thread while the screen stays live; the step
itself (`by_qr`, `by_phone`, `sign_up`) then decides with that answer and the cache.
Without an answer the step asks first (scripts, tests, the benchmark).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TypeVar

from kiosk.domain.errors import Reason
from kiosk.domain.ids import IdFactory
from kiosk.domain.ledger import safe_to_redeem
from kiosk.domain.loyalty_errors import MemberError
from kiosk.domain.members import (
    Consent,
    MemberCard,
    mask_phone,
    member_code_for,
    member_qr,
    parse_member_qr,
    phone_hashes,
)
from kiosk.services.loyalty import LoyaltyKeys, LoyaltySettings, OfferCatalog
from kiosk.services.member_port import (
    UNAVAILABLE,
    CentralAnswer,
    LookupUnavailable,
    MemberLookup,
    RemoteMember,
)
from kiosk.services.ports import Clock
from kiosk.store.loyalty import CachedMember, WalletEntry
from kiosk.store.uow import KioskStore

FRESH_FOR = timedelta(minutes=15)
"""A member the central service confirmed this recently counts as online."""

log = logging.getLogger(__name__)
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class MemberView:
    """A member as the kiosk shows them."""

    member_id: str
    member_code: str
    masked_phone: str
    tier: str
    tier_name: Mapping[str, str]
    points: int  # best estimate: central balance at lookup + what this kiosk booked since
    spendable: int  # what may be spent now (capped while offline)
    offline: bool  # shown from the cache, not confirmed by the central service just now
    new: bool = False  # signed up on this kiosk, not yet confirmed centrally
    card_qr: str = ""  # the member QR to print or show (printed card: no expiry)


class Members:
    """Not thread-safe but for `ask_*`: call the rest from the thread that owns `store`."""

    def __init__(
        self,
        store: KioskStore,
        clock: Clock,
        ids: IdFactory,
        keys: LoyaltyKeys,
        settings: LoyaltySettings,
        catalog: OfferCatalog,
        store_id: str,
        *,
        lookup: MemberLookup | None = None,
    ) -> None:
        self._store = store
        self._repo = store.loyalty
        self._clock = clock
        self._ids = ids
        self._keys = keys
        self._settings = settings
        self._catalog = catalog
        self._store_id = store_id
        self._lookup = lookup
        self._fresh: dict[str, datetime] = {}  # members confirmed online, and when

    @property
    def keys(self) -> LoyaltyKeys:
        """The chain's member-QR and coupon keys as this kiosk holds them."""
        return self._keys

    @property
    def asks_central(self) -> bool:
        """False when there is no central service to ask: the answer is immediate."""
        return self._lookup is not None

    # ------------------------------------------------------------ questions (any thread)
    def ask_by_qr(self, text: str) -> CentralAnswer:
        """Raises MemberError for a code that is not a valid member QR."""
        card = self._card(text)
        return self._ask(lambda lookup: lookup.by_code(card.member_code))

    def ask_by_phone(self, phone: str) -> CentralAnswer:
        digests = phone_hashes(self._keys.phone, phone)
        return self._ask(lambda lookup: lookup.by_phone_hashes(digests))

    def _ask(self, ask: Callable[[MemberLookup], RemoteMember | None]) -> CentralAnswer:
        if self._lookup is None:
            return UNAVAILABLE
        try:
            return CentralAnswer(ask(self._lookup))
        except LookupUnavailable:
            return UNAVAILABLE
        except Exception:
            # A shopper at the till gets their membership from the kiosk's cache whatever
            # went wrong with the question; what went wrong goes to the log.
            log.exception("member lookup failed unexpectedly; answering from the cache")
            return UNAVAILABLE

    # ------------------------------------------------------------ steps (the store's thread)
    def by_qr(self, text: str, answer: CentralAnswer | None = None) -> MemberView:
        """The member a scanned member QR names (checked offline by its signature)."""
        card = self._card(text)
        if self._repo.erased(card.member_id):
            # Signed and unexpired, but the member had their data erased: the card must
            # not bring them back as a new member here (the central service no longer
            # knows the code, so it would otherwise count as a card never seen).
            raise MemberError("this membership was closed", reason=Reason.MEMBER_ERASED)
        answer = answer or self.ask_by_qr(text)
        if answer.remote is not None:
            return self._view(self._cache_remote(answer.remote, masked=None))
        # Not known centrally, or not answered: a genuine card we have never seen (signed
        # up elsewhere, offline) gets its base tier now; the central ledger settles later.
        cached = self._repo.member(card.member_id) or self._cache_new(card.member_id)
        return self._view(cached)

    def by_phone(self, phone: str, answer: CentralAnswer | None = None) -> MemberView:
        """The member with this phone; raises MemberError(unknown_member / bad_phone)."""
        answer = answer or self.ask_by_phone(phone)
        if answer.remote is not None:
            return self._view(self._cache_remote(answer.remote, masked=mask_phone(phone)))
        cached = self._cached_by_phone(phone)
        if answer.unavailable:
            if cached is None:
                raise MemberError(
                    "no member with this phone on this kiosk: sign up, or scan your member code",
                    reason=Reason.UNKNOWN_MEMBER,
                )
            return self._view(cached)
        if cached is not None and cached.origin == "kiosk":
            return self._view(cached)  # signed up here, not synced yet
        raise MemberError("no member has this phone number", reason=Reason.UNKNOWN_MEMBER)

    def sign_up(
        self,
        phone: str,
        *,
        consent: bool,
        marketing: bool = False,
        answer: CentralAnswer | None = None,
    ) -> MemberView:
        """One step, online or offline: the member's UUID is made here and synced later
        (the central service merges it if the phone was registered meanwhile). Returns the
        existing member if there is one."""
        if not consent:
            raise MemberError("signing up needs your consent", reason=Reason.CONSENT_REQUIRED)
        digest, *legacy = phone_hashes(self._keys.phone, phone)
        answer = answer or self.ask_by_phone(phone)
        if answer.remote is not None:
            return self._view(self._cache_remote(answer.remote, masked=mask_phone(phone)))
        existing = self._cached_by_phone(phone)
        if existing is not None:
            return self._view(existing)
        now = self._clock.now()
        member_id = self._ids.new()
        tier = self._catalog.tiers().tier_for(self._settings.channel, 0)
        agreed = Consent(self._settings.terms_version, marketing, now.isoformat())
        member = CachedMember(
            member_id,
            member_code_for(member_id),
            digest,
            tier,
            "kiosk",
            {"masked_phone": mask_phone(phone), "points": 0, "consent": agreed.to_wire()},
            now.isoformat(),
        )
        signup = {
            "member_id": member_id,
            "phone_hash": digest,
            # A member stored under one of these by an older kiosk is this one: the service
            # merges rather than keeps two (`central.loyalty.members`). Left out when there
            # are none, as older kiosks' sign-ups are.
            **({"legacy_phone_hashes": legacy} if legacy else {}),
            "consent": agreed.to_wire(),
            "store_id": self._store_id,
            "created_at": now.isoformat(),
        }
        with self._store.transaction():
            self._repo.put_member(member)
            self._store.outbox.add("member", member_id, signup, now)
        return replace(self._view(member), new=True, card_qr=self.card_qr(member_id))

    def card_qr(self, member_id: str, ttl_s: int = 0) -> str:
        """The member QR to print (no expiry) or show on screen (`ttl_s` seconds)."""
        expires = int(self._clock.now().timestamp()) + ttl_s if ttl_s else 0
        return member_qr(self._keys.member_qr, member_id, expires)

    def view(self, member_id: str) -> MemberView | None:
        cached = self._repo.member(member_id)
        return None if cached is None else self._view(cached)

    def cached(self, member_id: str) -> CachedMember | None:
        return self._repo.member(member_id)

    def is_online(self, member_id: str) -> bool:
        """Confirmed by the central service within `FRESH_FOR`: offline caps do not apply."""
        seen = self._fresh.get(member_id)
        return seen is not None and self._clock.now() - seen <= FRESH_FOR

    def spendable(self, member: CachedMember) -> int:
        """Points the member may spend now (capped while they are not confirmed online)."""
        return safe_to_redeem(
            self._balance(member),
            0,
            self._settings.offline_points_cap,
            online=self.is_online(member.member_id),
        )

    # ------------------------------------------------------------ internals
    def _card(self, text: str) -> MemberCard:
        return parse_member_qr(self._keys.member_qr, text, int(self._clock.now().timestamp()))

    def _cache_new(self, member_id: str) -> CachedMember:
        member = CachedMember(
            member_id,
            member_code_for(member_id),
            None,
            self._catalog.tiers().base.tier,
            "card",
            {"masked_phone": "", "points": 0},
            self._clock.now().isoformat(),
        )
        self._repo.put_member(member)
        return member

    def _cached_by_phone(self, phone: str) -> CachedMember | None:
        return _first_found(self._repo.member_by_phone_hash, phone_hashes(self._keys.phone, phone))

    def _cache_remote(self, remote: RemoteMember, masked: str | None) -> CachedMember:
        now = self._clock.now()
        old = self._repo.member(remote.member_id)
        keep = old.data.get("masked_phone", "") if old else ""
        member = CachedMember(
            remote.member_id,
            remote.member_code,
            remote.phone_hash,
            remote.tier,
            "central",
            {
                "masked_phone": masked or keep,
                "points": remote.points,
                "coupon_uses": dict(remote.coupon_uses),
                "ledger_mark": self._repo.ledger_mark(remote.member_id),
            },
            now.isoformat(),
        )
        with self._store.transaction():
            self._repo.put_member(member)
            self._repo.replace_wallet(
                remote.member_id,
                [
                    WalletEntry(w.code, remote.member_id, w.coupon_id, w.state, {})
                    for w in remote.wallet
                ],
            )
        self._fresh[remote.member_id] = now
        return member

    def _balance(self, member: CachedMember) -> int:
        central = int(member.data.get("points", 0))
        mark = member.data.get("ledger_mark", {"last": "", "unsent": []})
        return central + self._repo.local_points(member.member_id, mark)

    def _view(self, member: CachedMember) -> MemberView:
        rule = self._catalog.tiers().rule(member.tier)
        return MemberView(
            member.member_id,
            member.member_code,
            str(member.data.get("masked_phone", "")),
            member.tier,
            dict(rule.names),
            self._balance(member),
            self.spendable(member),
            offline=not self.is_online(member.member_id),
            new=member.origin == "kiosk",
        )


def _first_found(find: Callable[[str], _T | None], digests: Sequence[str]) -> _T | None:
    """The member the first of a phone's `digests` (`phone_hashes`) finds, asked in order."""
    return next(filter(None, map(find, digests)), None)
