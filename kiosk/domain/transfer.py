"""The transfer code of a suspended cart: what another kiosk of the store scans to resume it.

A staff member suspends a cart at one kiosk (the shopper forgot their wallet, the lane
closes); the kiosk shows and prints a `TR1.` code that carries the cart itself, so any
kiosk of the store resumes it offline, as any of them checks an exit code:

    TR1. + Base45( version (1) | raw DEFLATE of the body | Ed25519 signature (64) )

The body is compact JSON (arrays, not objects) of `CartTransfer`: the cart id, the kiosk
and store, when it was suspended and until when it may be resumed, the member, the
coupons, and each active line with its code data (GTIN, quantity, weight, a label's
price, lot, serial, expiry), the price per unit the shopper was shown, and a staff
price override. The signature covers everything before it, so a changed byte is refused.
Base45 keeps to the QR alphanumeric alphabet, the densest mode a phone or scanner reads
as text; a cart of 20 lines makes about 700 characters, well inside one QR.

Signing and verifying need keys and a crypto library (`kiosk.services.transfers`); this
module only defines the bytes and refuses, with `TransferCodeError`, anything else.
"""

from __future__ import annotations

import hashlib
import json
import uuid
import zlib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from kiosk.domain.errors import KioskError, Reason
from kiosk.domain.exit_code import ExitCodeError, b45decode, b45encode

PREFIX = "TR1."
VERSION = 1
SIGNATURE_BYTES = 64
MAX_BODY_BYTES = 64 * 1024
"""What a body may inflate to: a forged code cannot make the kiosk inflate a bomb."""
MAX_LINES = 500


class TransferCodeError(KioskError):
    reason = Reason.TRANSFER_INVALID


@dataclass(frozen=True, slots=True)
class TransferOverride:
    """A staff price on a line, as agreed with the shopper at the first kiosk."""

    unit_minor: int
    shelf_minor: int
    staff_id: str
    at: datetime
    reason: str


@dataclass(frozen=True, slots=True)
class TransferLine:
    gtin: str
    quantity: int
    unit_minor: int
    """The price per unit the shopper was shown when the cart was suspended."""
    weight_g: int | None = None
    label_price_minor: int | None = None
    lot: str | None = None
    serial: str | None = None
    expiry: date | None = None
    override: TransferOverride | None = None


@dataclass(frozen=True, slots=True)
class CartTransfer:
    """What a transfer code asserts about a suspended cart."""

    cart_id: str
    kiosk_id: str
    store_id: str
    suspended_at: datetime
    expires_at: datetime
    suspended_by: str
    currency: str
    lines: tuple[TransferLine, ...]
    member_id: str | None = None
    coupons: tuple[str, ...] = ()

    def signed_bytes(self) -> bytes:
        """The version byte and the deflated body: what the signature covers."""
        body = json.dumps(self._wire(), separators=(",", ":"), ensure_ascii=False).encode()
        deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
        return bytes((VERSION,)) + deflate.compress(body) + deflate.flush()

    def _wire(self) -> list[Any]:
        return [
            str(uuid.UUID(self.cart_id)),
            self.kiosk_id,
            self.store_id,
            _seconds(self.suspended_at),
            _seconds(self.expires_at),
            self.suspended_by,
            self.currency,
            self.member_id,
            list(self.coupons),
            [_line_wire(line) for line in self.lines],
        ]

    @classmethod
    def from_signed_bytes(cls, data: bytes) -> CartTransfer:
        if not data or data[0] != VERSION:
            raise TransferCodeError("unknown transfer code version")
        inflate = zlib.decompressobj(-15)
        try:
            body = inflate.decompress(data[1:], MAX_BODY_BYTES)
        except zlib.error:
            raise TransferCodeError("the transfer code's body is not DEFLATE data") from None
        if inflate.unconsumed_tail or not inflate.eof or inflate.unused_data:
            raise TransferCodeError("the transfer code's body is too long or has extra bytes")
        try:
            wire = json.loads(body.decode())
            return _from_wire(wire)
        except (UnicodeDecodeError, ValueError, TypeError, OverflowError):
            raise TransferCodeError("the transfer code's body is not a cart") from None


def _seconds(at: datetime) -> int:
    return int(at.timestamp())


def _line_wire(line: TransferLine) -> list[Any]:
    override = line.override
    return [
        line.gtin,
        line.quantity,
        line.unit_minor,
        line.weight_g,
        line.label_price_minor,
        line.lot,
        line.serial,
        line.expiry.isoformat() if line.expiry else None,
        None
        if override is None
        else [
            override.unit_minor,
            override.shelf_minor,
            override.staff_id,
            _seconds(override.at),
            override.reason,
        ],
    ]


def _text(value: Any, *, limit: int = 128) -> str:
    if not isinstance(value, str) or not 0 < len(value) <= limit:
        raise ValueError("not a text")
    return value


def _optional_text(value: Any) -> str | None:
    return None if value is None else _text(value)


def _int(value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError("not an integer in range")
    return value


def _optional_int(value: Any, low: int, high: int) -> int | None:
    return None if value is None else _int(value, low, high)


def _time(value: Any) -> datetime:
    return datetime.fromtimestamp(_int(value, 0, 2**40), UTC)


def _fields(value: Any, count: int) -> list[Any]:
    if not isinstance(value, list) or len(value) != count:
        raise ValueError("wrong shape")
    return value


def _from_wire(wire: Any) -> CartTransfer:
    cart_id, kiosk, store, at, until, by, currency, member, coupons, lines = _fields(wire, 10)
    if not isinstance(coupons, list) or not isinstance(lines, list):
        raise ValueError("wrong shape")
    if not 0 < len(lines) <= MAX_LINES or len(coupons) > MAX_LINES:
        raise ValueError("too many or no lines")
    currency = _text(currency, limit=3)
    if len(currency) != 3 or not currency.isascii() or not currency.isupper():
        raise ValueError("not a currency")
    return CartTransfer(
        cart_id=str(uuid.UUID(_text(cart_id, limit=36))),
        kiosk_id=_text(kiosk, limit=64),
        store_id=_text(store, limit=64),
        suspended_at=_time(at),
        expires_at=_time(until),
        suspended_by=_text(by),
        currency=currency,
        member_id=_optional_text(member),
        coupons=tuple(_text(c) for c in coupons),
        lines=tuple(_line_from_wire(line) for line in lines),
    )


def _line_from_wire(wire: Any) -> TransferLine:
    gtin, quantity, unit, weight, label, lot, serial, expiry, override = _fields(wire, 9)
    gtin = _text(gtin, limit=14)
    if len(gtin) != 14 or not gtin.isdigit() or not gtin.isascii():
        raise ValueError("not a GTIN-14")
    return TransferLine(
        gtin=gtin,
        quantity=_int(quantity, 1, 10_000),
        unit_minor=_int(unit, 0, 10**12),
        weight_g=_optional_int(weight, 1, 10**7),
        label_price_minor=_optional_int(label, 0, 10**12),
        lot=_optional_text(lot),
        serial=_optional_text(serial),
        expiry=None if expiry is None else date.fromisoformat(_text(expiry, limit=10)),
        override=None if override is None else _override_from_wire(override),
    )


def _override_from_wire(wire: Any) -> TransferOverride:
    unit, shelf, staff, at, reason = _fields(wire, 5)
    return TransferOverride(
        unit_minor=_int(unit, 0, 10**12),
        shelf_minor=_int(shelf, 1, 10**12),
        staff_id=_text(staff),
        at=_time(at),
        reason=_text(reason, limit=200),
    )


def encode(transfer: CartTransfer, signature: bytes) -> str:
    if len(signature) != SIGNATURE_BYTES:
        raise TransferCodeError("an Ed25519 signature is 64 bytes")
    return PREFIX + b45encode(transfer.signed_bytes() + signature)


def is_transfer_code(text: str) -> bool:
    return text.strip().startswith(PREFIX)


def split(text: str) -> tuple[bytes, bytes]:
    """The signed bytes and the signature of a transfer code, or `TransferCodeError`."""
    raw = text.strip()
    if not raw.startswith(PREFIX):
        raise TransferCodeError("this is not one of our transfer codes")
    try:
        data = b45decode(raw[len(PREFIX) :])
    except ExitCodeError as exc:
        raise TransferCodeError(str(exc)) from None
    if len(data) <= SIGNATURE_BYTES + 1:
        raise TransferCodeError("transfer code is too short")
    return data[:-SIGNATURE_BYTES], data[-SIGNATURE_BYTES:]


TRANSFER_NUMBER_DIGITS = 10


def short_number(cart_id: str) -> str:
    """The number printed under the QR for a lane that cannot scan it: staff type it and
    the kiosk looks the code up at the central service (which holds every suspension).
    Ten digits of the cart id's hash: within a store's suspensions of a day, a
    collision is a one-in-millions event, and then the look-up takes the latest.
    No product code has ten digits (GTIN-8, -12, -13, -14), so a keypad tells them apart."""
    digest = int.from_bytes(hashlib.sha256(uuid.UUID(cart_id).bytes).digest()[:8])
    return f"{digest % 10**10:010d}"


def is_transfer_number(text: str) -> bool:
    return len(text) == TRANSFER_NUMBER_DIGITS and text.isascii() and text.isdigit()
