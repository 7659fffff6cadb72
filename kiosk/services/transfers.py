"""Signing transfer codes (`kiosk.domain.transfer`) with the kiosk's Ed25519 key, and
checking them at any kiosk of the store, offline.

The key is the kiosk's exit-code key (`kiosk.services.exit_codes`): one key per kiosk,
made at setup, its public half registered with the central service. A kiosk checks a
code against the public keys of the store's kiosks it holds (its own, and those in the
`store.kiosk_keys` setting), the code's store, its expiry, and whether this kiosk has
resumed it before. Then, when the central service can be reached, the kiosk claims the
cart there (`TransferRegistry`): a code already resumed at another kiosk is refused here, with
where and when. Offline the local checks decide, and a resume made elsewhere meanwhile is
caught at the central service (`central.transfers`), which records each cart's resume once.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from kiosk.domain.errors import Reason
from kiosk.domain.transfer import (
    CartTransfer,
    TransferCodeError,
    encode,
    short_number,
    split,
)
from kiosk.store.uow import KioskStore

TRANSFER_KIND = "transfer"
"""The outbox kind of suspensions and resumes, keyed `<cart_id>:<event>`."""
SUSPENDED = "suspended"
RESUMED = "resumed"
KIOSK_KEYS_KEY = "store.kiosk_keys"
"""Settings: {kiosk id: Ed25519 public key, hex} of the store's other kiosks."""
CLOCK_SKEW = timedelta(minutes=5)


class TransferCheck(enum.StrEnum):
    """The outcome of checking a scanned transfer code; only VALID resumes it."""

    VALID = "valid"
    UNREADABLE = "unreadable"
    UNKNOWN_KIOSK = "unknown_kiosk"
    FORGED = "forged"
    OTHER_STORE = "other_store"
    EXPIRED = "expired"
    ALREADY_USED = "already_used"


NOTICES: dict[TransferCheck, Reason] = {
    TransferCheck.UNREADABLE: Reason.TRANSFER_INVALID,
    TransferCheck.UNKNOWN_KIOSK: Reason.TRANSFER_UNKNOWN_KIOSK,
    TransferCheck.FORGED: Reason.TRANSFER_FORGED,
    TransferCheck.OTHER_STORE: Reason.TRANSFER_OTHER_STORE,
    TransferCheck.EXPIRED: Reason.TRANSFER_EXPIRED,
    TransferCheck.ALREADY_USED: Reason.TRANSFER_USED,
}
"""What staff and the shopper are told about a code that does not resume."""


@dataclass(frozen=True, slots=True)
class ResumedAt:
    """Where and when a cart was resumed (ISO time)."""

    kiosk_id: str
    at: str


class RegistryUnavailable(Exception):
    """The central service could not answer quickly: the kiosk decides on what it holds."""


class TransferRegistry(Protocol):
    """The central service's record of the store's suspensions and resumes (the sync
    adapter implements it). Each call raises `RegistryUnavailable` when the service
    cannot be asked."""

    def claim(self, transfer: CartTransfer, staff_id: str, at: datetime) -> ResumedAt | None:
        """Claim the cart's resume for this kiosk: None when granted, else who holds it."""
        ...

    def code_for(self, number: str) -> str | None:
        """The transfer code of the store's suspension with this slip number, if any."""
        ...


@dataclass(frozen=True, slots=True)
class TransferVerdict:
    check: TransferCheck
    transfer: CartTransfer | None = None
    used: ResumedAt | None = None
    """ALREADY_USED: where and when it was resumed before."""

    @property
    def ok(self) -> bool:
        return self.check is TransferCheck.VALID


@dataclass(frozen=True, slots=True)
class SuspendedCart:
    """What the suspending kiosk shows and prints."""

    transfer: CartTransfer
    code: str
    number: str
    total_minor: int
    item_count: int


class TransferSigner:
    def __init__(self, key: Ed25519PrivateKey) -> None:
        self._key = key

    def sign(self, transfer: CartTransfer) -> str:
        return encode(transfer, self._key.sign(transfer.signed_bytes()))


class TransferVerifier:
    def __init__(
        self,
        own: Mapping[str, str],
        store: KioskStore,
        store_id: str,
        registry: TransferRegistry | None = None,
    ) -> None:
        """`own`: this kiosk's id and public key; the others are read from the settings
        on each check, so keys that arrive meanwhile count at once. `registry`: the
        central service's record of suspensions and resumes, for an enrolled kiosk."""
        self._own = dict(own)
        self._store = store
        self._store_id = store_id
        self._registry = registry

    def _key(self, kiosk_id: str) -> Ed25519PublicKey | None:
        keys: dict[str, str] = {**self._store.settings.get(KIOSK_KEYS_KEY, {}), **self._own}
        found = keys.get(kiosk_id)
        return None if found is None else Ed25519PublicKey.from_public_bytes(bytes.fromhex(found))

    def verify(self, text: str, now: datetime) -> TransferVerdict:
        try:
            data, signature = split(text)
            transfer = CartTransfer.from_signed_bytes(data)
        except TransferCodeError:
            return TransferVerdict(TransferCheck.UNREADABLE)
        key = self._key(transfer.kiosk_id)
        if key is None:
            return TransferVerdict(TransferCheck.UNKNOWN_KIOSK, transfer)
        try:
            key.verify(signature, data)
        except InvalidSignature:
            return TransferVerdict(TransferCheck.FORGED, transfer)
        if transfer.store_id != self._store_id:
            return TransferVerdict(TransferCheck.OTHER_STORE, transfer)
        if now >= transfer.expires_at or transfer.suspended_at - now > CLOCK_SKEW:
            return TransferVerdict(TransferCheck.EXPIRED, transfer)
        used = self._store.transfers.get(transfer.cart_id, RESUMED)
        if used is not None:
            return TransferVerdict(
                TransferCheck.ALREADY_USED, transfer, ResumedAt(used.kiosk_id, used.at)
            )
        return TransferVerdict(TransferCheck.VALID, transfer)

    def claim(self, verdict: TransferVerdict, staff_id: str, now: datetime) -> TransferVerdict:
        """A valid verdict, checked with the central service when it answers: the code
        refused as ALREADY_USED when another kiosk holds the cart's resume."""
        if not verdict.ok or verdict.transfer is None or self._registry is None:
            return verdict
        try:
            holder = self._registry.claim(verdict.transfer, staff_id, now)
        except RegistryUnavailable:
            return verdict
        if holder is None:
            return verdict
        return TransferVerdict(TransferCheck.ALREADY_USED, verdict.transfer, holder)

    def code_for(self, number: str) -> str | None:
        """The code of a slip's printed number: a cart suspended here is found offline,
        any other at the central service. Raises `RegistryUnavailable` when only the
        service could know and it does not answer."""
        here = self._store.transfers.suspended_with_number(number)
        if here is not None:
            return str(here.document["code"])
        if self._registry is None:
            raise RegistryUnavailable("a kiosk that is not enrolled knows only its own carts")
        return self._registry.code_for(number)


def transfer_report(
    transfer: CartTransfer,
    event: str,
    *,
    kiosk_id: str,
    at: datetime,
    staff_id: str,
    extra: Mapping[str, Any],
) -> dict[str, Any]:
    """The outbox row of a suspension or a resume (`sync.transfer_protocol.TransferReport`)."""
    return {
        "cart_id": transfer.cart_id,
        "event": event,
        "kiosk_id": kiosk_id,
        "store_id": transfer.store_id,
        "from_kiosk_id": transfer.kiosk_id,
        "number": short_number(transfer.cart_id),
        "at": at.isoformat(),
        "staff_id": staff_id,
        "expires_at": transfer.expires_at.isoformat(),
        "currency": transfer.currency,
        **extra,
    }
