"""Signing exit codes with the kiosk's Ed25519 key, and verifying them offline.

Each kiosk makes its own key pair at setup; the private key never leaves the
kiosk's database, the public key is published to the store (through the central
service, or `kiosk exit-key` for a gate). A verifier holds the public keys of the
store's kiosks and needs no network: it checks the signature, the age of the code
and whether this verifier has seen the code before.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from kiosk.domain.errors import Reason
from kiosk.domain.exit_code import ExitCodeError, ExitFlag, ExitPass, encode, split
from kiosk.domain.sale import Sale
from kiosk.store.uow import KioskStore

EXIT_KEY = "exit_signing_key"
DEFAULT_VALIDITY = timedelta(hours=2)


def ensure_signing_key(store: KioskStore) -> Ed25519PrivateKey:
    """The kiosk's exit-code key, made once and kept in its database."""
    stored = store.settings.get(EXIT_KEY)
    if stored is None:
        key = Ed25519PrivateKey.generate()
        store.settings.set(EXIT_KEY, key.private_bytes_raw().hex())
        return key
    return Ed25519PrivateKey.from_private_bytes(bytes.fromhex(stored))


def public_key_hex(key: Ed25519PrivateKey) -> str:
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()


class ExitCodeSigner:
    def __init__(self, key: Ed25519PrivateKey) -> None:
        self._key = key

    @property
    def audit_key(self) -> bytes:
        """The secret that draws the sales picked for a bag check (`kiosk.domain.audit`):
        derived from the kiosk's private key, so it needs no setting of its own, never
        leaves the kiosk, and a shopper cannot work it out from anything they see."""
        return hmac.new(self._key.private_bytes_raw(), b"exit-audit-v1", hashlib.sha256).digest()

    def sign(self, sale: Sale, attended: bool = False, collected: int = 0) -> str:
        """`sale`'s exit pass; `collected`: group-buy units the shopper collected at the
        kiosk before paying, which leave with the sale (one pass covers both). `attended`:
        paid offline and confirmed by staff: the gate checks the bag (the kiosk's own
        audits are done before the pass is given, so they need no flag)."""
        flags = ExitFlag.NONE
        if attended:
            flags |= ExitFlag.ATTENDED | ExitFlag.AUDIT
        if sale.training:
            flags |= ExitFlag.TRAINING
        return self._sign(
            ExitPass(
                kiosk_id=sale.kiosk_id,
                sale_id=sale.sale_id,
                sequence=sale.sequence,
                total_minor=sale.priced.total.minor,
                currency=sale.priced.currency,
                item_count=sale.priced.item_count + collected,
                paid_at=sale.created_at,
                flags=flags,
            )
        )

    def sign_pickup(
        self, kiosk_id: str, pickup_id: str, units: int, currency: str, at: datetime
    ) -> str:
        """The exit pass of a group-buy pickup with nothing bought: sequence 0 and a zero
        total (no sale stands behind it; the order was prepaid), the pickup's id in the
        sale's place, so a second use at the gate is caught like a sale's."""
        return self._sign(ExitPass(kiosk_id, pickup_id, 0, 0, currency, units, at))

    def _sign(self, exit_pass: ExitPass) -> str:
        data = exit_pass.signed_bytes()
        return encode(exit_pass, self._key.sign(data))


class ExitCheck(StrEnum):
    """The outcome of checking an exit code; only VALID lets the shopper through."""

    VALID = "valid"
    UNREADABLE = "exit_code_invalid"
    FOREIGN = "exit_code_foreign"
    UNKNOWN_KIOSK = "unknown_kiosk"
    FORGED = "forged"
    TRAINING = "training"
    EXPIRED = "expired"
    FROM_THE_FUTURE = "from_the_future"
    ALREADY_USED = "already_used"


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the staff screen or the gate shows. `ok` means: let the shopper through."""

    ok: bool
    reason: ExitCheck
    exit_pass: ExitPass | None = None
    times_seen: int = 0

    @property
    def audit(self) -> bool:
        return bool(self.exit_pass and self.exit_pass.flags & ExitFlag.AUDIT)


class ExitCodeVerifier:
    def __init__(
        self,
        public_keys: Mapping[str, str],
        store: KioskStore,
        validity: timedelta = DEFAULT_VALIDITY,
    ) -> None:
        self._keys = {
            k: Ed25519PublicKey.from_public_bytes(bytes.fromhex(v)) for k, v in public_keys.items()
        }
        self._store = store
        self._validity = validity

    def verify(self, text: str, now: datetime) -> Verdict:
        """Check a scanned exit code; remembers it, so a second use is reported as such."""
        try:
            data, signature = split(text)
            exit_pass = ExitPass.from_signed_bytes(data)
        except ExitCodeError as exc:
            foreign = exc.reason is Reason.EXIT_CODE_FOREIGN
            return Verdict(False, ExitCheck.FOREIGN if foreign else ExitCheck.UNREADABLE)
        key = self._keys.get(exit_pass.kiosk_id)
        if key is None:
            return Verdict(False, ExitCheck.UNKNOWN_KIOSK, exit_pass)
        try:
            key.verify(signature, data)
        except InvalidSignature:
            return Verdict(False, ExitCheck.FORGED, exit_pass)
        if exit_pass.flags & ExitFlag.TRAINING:
            return Verdict(False, ExitCheck.TRAINING, exit_pass)
        if now - exit_pass.paid_at > self._validity:
            return Verdict(False, ExitCheck.EXPIRED, exit_pass)
        if exit_pass.paid_at - now > timedelta(minutes=5):
            return Verdict(False, ExitCheck.FROM_THE_FUTURE, exit_pass)
        seen = self._store.exit_scans.remember(exit_pass.sale_id, now)
        if seen > 1:
            return Verdict(False, ExitCheck.ALREADY_USED, exit_pass, seen)
        return Verdict(True, ExitCheck.VALID, exit_pass, seen)
