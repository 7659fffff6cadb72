"""The pickup code of a group-buy order: what the shopper's phone shows at the kiosk.

The same scheme as the exit code (`kiosk.domain.exit_code`): signed bytes, then an
Ed25519 signature (64 bytes) over them, Base45 behind a prefix, so a kiosk checks it
offline with one public key. Here the signer is the central service, with the pickup
store's key (`central.groupbuy.service.pickup_key`), and the prefix `PU1.` keeps the
two kinds of code apart when scanned. Layout (big-endian):
    version (1) | store id length (1) | store id (UTF-8) | order id (16, UUID)
    | units (2) | valid until, Unix seconds (4)
The lines of the order are not in the code: the kiosk has them from its last pull of
the store's ready orders, and the units let it say "3 items" even without them.

Signing and verifying need a crypto library; this module only defines the bytes.
"""

from __future__ import annotations

import struct
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from kiosk.domain.errors import KioskError
from kiosk.domain.exit_code import SIGNATURE_BYTES, ExitCodeError, b45decode, b45encode

PREFIX = "PU1."
VERSION = 1
_BODY = struct.Struct(">16sHI")


class PickupCodeError(KioskError):
    """Not a readable pickup code (wrong prefix, version, length or text)."""


@dataclass(frozen=True, slots=True)
class PickupPass:
    """What the pickup code asserts: this order, of this store, until then."""

    store_id: str
    order_id: str
    units: int
    valid_until: datetime

    def signed_bytes(self) -> bytes:
        store = self.store_id.encode()
        if not 0 < len(store) < 256:
            raise PickupCodeError("store id must be 1..255 bytes")
        try:
            body = _BODY.pack(
                uuid.UUID(self.order_id).bytes, self.units, int(self.valid_until.timestamp())
            )
        except struct.error as exc:
            raise PickupCodeError(f"value out of range for a pickup code: {exc}") from None
        return bytes((VERSION, len(store))) + store + body

    @classmethod
    def from_signed_bytes(cls, data: bytes) -> PickupPass:
        if len(data) < 2 or data[0] != VERSION:
            raise PickupCodeError("unknown pickup code version")
        store_end = 2 + data[1]
        if len(data) != store_end + _BODY.size:
            raise PickupCodeError("pickup code has the wrong length")
        order, units, until = _BODY.unpack(data[store_end:])
        try:
            store_id = data[2:store_end].decode()
        except UnicodeDecodeError:
            raise PickupCodeError("pickup code holds text that is not valid") from None
        return cls(
            store_id=store_id,
            order_id=str(uuid.UUID(bytes=order)),
            units=units,
            valid_until=datetime.fromtimestamp(until, UTC),
        )


def is_pickup_code(text: str) -> bool:
    return text.strip().startswith(PREFIX)


def encode(pickup: PickupPass, signature: bytes) -> str:
    if len(signature) != SIGNATURE_BYTES:
        raise PickupCodeError("an Ed25519 signature is 64 bytes")
    return PREFIX + b45encode(pickup.signed_bytes() + signature)


def split(text: str) -> tuple[bytes, bytes]:
    """The signed bytes and the signature of a pickup code, or `PickupCodeError`."""
    raw = text.strip()
    if not raw.startswith(PREFIX):
        raise PickupCodeError("this is not one of our pickup codes")
    try:
        data = b45decode(raw[len(PREFIX) :])
    except ExitCodeError as exc:  # the Base45 of both codes is one function
        raise PickupCodeError(str(exc)) from None
    if len(data) <= SIGNATURE_BYTES:
        raise PickupCodeError("pickup code is too short")
    return data[:-SIGNATURE_BYTES], data[-SIGNATURE_BYTES:]
