"""The exit code printed on a receipt: what a gate or staff checks on the way out.

Layout (big-endian), then an Ed25519 signature (64 bytes) over all of it:
    version (1) | flags (1) | kiosk id length (1) | kiosk id (UTF-8)
    | sale id (16, UUID) | sequence (4) | total minor units (8, signed)
    | currency (3, ASCII) | item count (2) | paid at, Unix seconds (4)
The whole is Base45-encoded (RFC 9285) behind `EX1.`: Base45 uses exactly the QR
alphanumeric alphabet, so the QR stays small (about 150 characters for a
kiosk id of 3) and any phone or gate scanner reads it as plain text.

Signing and verifying need a crypto library and keys, which live in
`kiosk.services.exit_codes`; this module only defines the bytes.
"""

from __future__ import annotations

import enum
import struct
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from kiosk.domain.errors import KioskError, Reason

PREFIX = "EX1."
VERSION = 1
SIGNATURE_BYTES = 64
_BODY = struct.Struct(">16sIq3sHI")
_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_INDEX = {ch: i for i, ch in enumerate(_ALPHABET)}


class ExitCodeError(KioskError):
    reason = Reason.EXIT_CODE_INVALID


class ExitFlag(enum.IntFlag):
    NONE = 0
    AUDIT = 1  # staff should look in the bag (random or risk-based selection)
    ATTENDED = 2  # paid offline, confirmed by staff
    TRAINING = 4  # not a real sale


def b45encode(data: bytes) -> str:
    """RFC 9285: each 2 bytes n = c + 45·d + 45²·e become "c d e"; a last byte becomes "c d"."""
    out = []
    for i in range(0, len(data) - 1, 2):
        n = data[i] * 256 + data[i + 1]
        e, rest = divmod(n, 45 * 45)
        d, c = divmod(rest, 45)
        out.append(_ALPHABET[c] + _ALPHABET[d] + _ALPHABET[e])
    if len(data) % 2:
        d, c = divmod(data[-1], 45)
        out.append(_ALPHABET[c] + _ALPHABET[d])
    return "".join(out)


def b45decode(text: str) -> bytes:
    try:
        values = [_INDEX[ch] for ch in text]
    except KeyError as exc:
        raise ExitCodeError(f"character {exc.args[0]!r} is not Base45") from None
    out = bytearray()
    for i in range(0, len(values), 3):
        chunk = values[i : i + 3]
        if len(chunk) == 3:
            n = chunk[0] + chunk[1] * 45 + chunk[2] * 45 * 45
            if n > 0xFFFF:
                raise ExitCodeError("Base45 triplet out of range")
            out += bytes((n >> 8, n & 0xFF))
        elif len(chunk) == 2:
            n = chunk[0] + chunk[1] * 45
            if n > 0xFF:
                raise ExitCodeError("Base45 pair out of range")
            out.append(n)
        else:
            raise ExitCodeError("Base45 text has a dangling character")
    return bytes(out)


@dataclass(frozen=True, slots=True)
class ExitPass:
    """What the exit code asserts about a sale."""

    kiosk_id: str
    sale_id: str
    sequence: int
    total_minor: int
    currency: str
    item_count: int
    paid_at: datetime
    flags: ExitFlag = ExitFlag.NONE

    def signed_bytes(self) -> bytes:
        kiosk = self.kiosk_id.encode()
        if not 0 < len(kiosk) < 256:
            raise ExitCodeError("kiosk id must be 1..255 bytes")
        if len(self.currency) != 3 or not self.currency.isascii():
            raise ExitCodeError("currency must be a 3-letter ISO code")
        try:
            body = _BODY.pack(
                uuid.UUID(self.sale_id).bytes,
                self.sequence,
                self.total_minor,
                self.currency.encode(),
                self.item_count,
                int(self.paid_at.timestamp()),
            )
        except struct.error as exc:
            raise ExitCodeError(f"value out of range for an exit code: {exc}") from None
        return bytes((VERSION, int(self.flags), len(kiosk))) + kiosk + body

    @classmethod
    def from_signed_bytes(cls, data: bytes) -> ExitPass:
        if len(data) < 3 or data[0] != VERSION:
            raise ExitCodeError("unknown exit code version")
        kiosk_len = data[2]
        kiosk_end = 3 + kiosk_len
        if len(data) != kiosk_end + _BODY.size:
            raise ExitCodeError("exit code has the wrong length")
        sale, sequence, total, currency, items, paid = _BODY.unpack(data[kiosk_end:])
        try:
            kiosk_id = data[3:kiosk_end].decode()
            currency_text = currency.decode("ascii")
        except UnicodeDecodeError:
            raise ExitCodeError("exit code holds text that is not valid") from None
        return cls(
            kiosk_id=kiosk_id,
            sale_id=str(uuid.UUID(bytes=sale)),
            sequence=sequence,
            total_minor=total,
            currency=currency_text,
            item_count=items,
            paid_at=datetime.fromtimestamp(paid, UTC),
            flags=ExitFlag(data[1] & 0x07),
        )


def encode(exit_pass: ExitPass, signature: bytes) -> str:
    if len(signature) != SIGNATURE_BYTES:
        raise ExitCodeError("an Ed25519 signature is 64 bytes")
    return PREFIX + b45encode(exit_pass.signed_bytes() + signature)


def split(text: str) -> tuple[bytes, bytes]:
    """The signed bytes and the signature of an exit code, or `ExitCodeError`."""
    raw = text.strip()
    if not raw.startswith(PREFIX):
        raise ExitCodeError("this is not one of our exit codes", reason=Reason.EXIT_CODE_FOREIGN)
    data = b45decode(raw[len(PREFIX) :])
    if len(data) <= SIGNATURE_BYTES:
        raise ExitCodeError("exit code is too short")
    return data[:-SIGNATURE_BYTES], data[-SIGNATURE_BYTES:]
