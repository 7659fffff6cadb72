"""EMVCo merchant-presented QR (EMV QRCPS-MPM 1.1): PIX, PromptPay, SGQR, DuitNow, …

A payload is a string of data objects `ID(2 digits) LENGTH(2 digits) VALUE`. It
starts with the payload format indicator `000201`, ends with the CRC `6304XXXX`
(CRC-16/CCITT-FALSE over everything before the four hex digits, `6304`
included), and nests templates (merchant account information 26–51, additional
data 62) in the same format. A static QR (`010211`) carries no amount; a dynamic
one (`010212`) carries the amount and a bill number so the callback can be
matched to one payment.

`decode` never drops or changes data: merchant account information in any id 02-51
(02-25 primitive, for card networks; 26-51 templates), every sub-object of 62 and any
other id are kept, and `encode` writes them back. It refuses what the specification
does not allow rather than guess: a duplicate id (last-wins could change the amount or
the payee), an amount that is not a positive "digits[.digits]" of at most 13
characters, non-ASCII merchant name or city (the lengths count characters while the
CRC covers bytes), anything that is not a string.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from kiosk.domain.errors import KioskError, Reason
from kiosk.domain.money import Money


class EmvcoError(KioskError):
    reason = Reason.EMVCO


# ISO 4217 numeric codes (tag 53 carries the number, not the letters).
NUMERIC_CURRENCY = {
    "CNY": "156", "HKD": "344", "TWD": "901", "KRW": "410", "JPY": "392", "USD": "840",
    "EUR": "978", "GBP": "826", "SGD": "702", "MYR": "458", "THB": "764", "BRL": "986",
    "VND": "704", "KHR": "116",
}  # fmt: skip
CURRENCY_BY_NUMBER = {number: code for code, number in NUMERIC_CURRENCY.items()}

NETWORK_IDS = frozenset(f"{n:02d}" for n in range(2, 26))
"""Merchant account information as a primitive value (card networks: Visa, Mastercard,
UnionPay 15, ...)."""
TEMPLATE_IDS = frozenset(
    {*(f"{n:02d}" for n in range(26, 52)), "62", "64", *(f"{n:02d}" for n in range(80, 100))}
)
MAX_PAYLOAD = 512
MAX_MERCHANT_NAME = 25
MAX_MERCHANT_CITY = 15
MAX_BILL_NUMBER = 25
MAX_AMOUNT = 13  # characters of tag 54


def crc16_ccitt_false(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF, no reflection, no final XOR."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return crc


def tlv(tag: str, value: str) -> str:
    if len(tag) != 2 or not tag.isdigit():
        raise EmvcoError(f"data object id must be two digits, got {tag!r}")
    if not 0 < len(value) <= 99:
        raise EmvcoError(f"data object {tag}: value length {len(value)} is not 1..99")
    return f"{tag}{len(value):02d}{value}"


def with_crc(body: str) -> str:
    """Append the CRC object; `body` must not already end with one."""
    head = body + "6304"
    return head + f"{crc16_ccitt_false(head.encode()):04X}"


def format_amount(amount: Money) -> str:
    """Tag 54: decimal with '.' and at most the currency's decimals; no grouping."""
    if amount.minor <= 0:
        raise EmvcoError("a QR amount must be positive")
    text = amount.plain()
    if len(text) > MAX_AMOUNT:
        raise EmvcoError(f"a QR amount has at most {MAX_AMOUNT} characters")
    return text


def parse_amount(text: str, currency: str) -> Money:
    """Tag 54 as the specification writes it: positive, digits and '.', ≤ 13 characters."""
    if len(text) > MAX_AMOUNT:
        raise EmvcoError(f"tag 54 amount {text!r} is longer than {MAX_AMOUNT} characters")
    try:
        amount = Money.parse(text, currency)
    except KioskError as exc:
        raise EmvcoError(f"tag 54 amount {text!r} is invalid: {exc}") from None
    if amount.minor <= 0:
        raise EmvcoError(f"tag 54 amount {text!r} is not positive")
    return amount


def _ascii_text(tag: str, value: str) -> str:
    if not (value.isascii() and value.isprintable()):
        raise EmvcoError(f"data object {tag} must be printable ASCII, got {value!r}")
    return value


@dataclass(frozen=True, slots=True)
class MerchantPresentedQr:
    """What a scheme's QR says. `accounts` maps template ids (26–51) to their sub-objects,
    `network_accounts` primitive ids (02–25) to their values; `additional` holds the
    sub-objects of 62 other than 01/05/07, `extra` every other top-level id."""

    accounts: Mapping[str, Mapping[str, str]]
    merchant_category: str
    currency: str
    country: str
    merchant_name: str
    merchant_city: str
    amount: Money | None = None
    postal_code: str | None = None
    bill_number: str | None = None
    reference_label: str | None = None
    terminal_label: str | None = None
    extra: Mapping[str, str] = field(default_factory=dict)
    network_accounts: Mapping[str, str] = field(default_factory=dict)
    additional: Mapping[str, str] = field(default_factory=dict)
    # Tag 01 is optional: "auto" writes 11 (static) or 12 (dynamic); None leaves it out,
    # as some published examples do.
    initiation: str | None = "auto"

    @property
    def dynamic(self) -> bool:
        return self.amount is not None

    def encode(self) -> str:
        _ascii_text("59", self.merchant_name)
        _ascii_text("60", self.merchant_city)
        if len(self.merchant_name) > MAX_MERCHANT_NAME:
            raise EmvcoError(f"merchant name is longer than {MAX_MERCHANT_NAME} characters")
        if len(self.merchant_city) > MAX_MERCHANT_CITY:
            raise EmvcoError(f"merchant city is longer than {MAX_MERCHANT_CITY} characters")
        if len(self.merchant_category) != 4 or not self.merchant_category.isdigit():
            raise EmvcoError("merchant category code must be 4 digits")
        if len(self.country) != 2:
            raise EmvcoError("country code must be 2 letters (ISO 3166-1 alpha-2)")
        if self.bill_number and len(self.bill_number) > MAX_BILL_NUMBER:
            raise EmvcoError(f"bill number is longer than {MAX_BILL_NUMBER} characters")
        parts = [tlv("00", "01")]
        if self.initiation is not None:
            auto = "12" if self.dynamic else "11"
            parts.append(tlv("01", auto if self.initiation == "auto" else self.initiation))
        if not self.accounts and not self.network_accounts:
            raise EmvcoError("merchant account information (02..51) is required")
        for tag in sorted(self.network_accounts):
            if tag not in NETWORK_IDS:
                raise EmvcoError(f"network account id {tag} is not 02..25")
            parts.append(tlv(tag, self.network_accounts[tag]))
        for tag in sorted(self.accounts):
            if tag not in TEMPLATE_IDS or not 26 <= int(tag) <= 51:
                raise EmvcoError(f"merchant account template id {tag} is not 26..51")
            parts.append(tlv(tag, "".join(tlv(k, v) for k, v in self.accounts[tag].items())))
        parts.append(tlv("52", self.merchant_category))
        try:
            parts.append(tlv("53", NUMERIC_CURRENCY[self.currency]))
        except KeyError:
            raise EmvcoError(f"no ISO 4217 number known for {self.currency}") from None
        if self.amount is not None:
            if self.amount.currency != self.currency:
                raise EmvcoError("amount currency differs from the QR's currency")
            parts.append(tlv("54", format_amount(self.amount)))
        parts.append(tlv("58", self.country))
        parts.append(tlv("59", self.merchant_name))
        parts.append(tlv("60", self.merchant_city))
        if self.postal_code:
            parts.append(tlv("61", self.postal_code))
        named = {"01": self.bill_number, "05": self.reference_label, "07": self.terminal_label}
        if clash := sorted(set(named) & set(self.additional)):
            raise EmvcoError(f"additional data {clash} given twice")
        subs = {**{t: v for t, v in named.items() if v}, **self.additional}
        additional = [tlv(tag, subs[tag]) for tag in sorted(subs)]
        if additional:
            parts.append(tlv("62", "".join(additional)))
        for tag, value in sorted(self.extra.items()):
            if tag in _OWN_IDS or tag in NETWORK_IDS or (tag in TEMPLATE_IDS and int(tag) <= 51):
                raise EmvcoError(f"data object {tag} has a field of its own, not `extra`")
            parts.append(tlv(tag, value))
        payload = with_crc("".join(parts))
        if len(payload) > MAX_PAYLOAD:
            raise EmvcoError("payload longer than 512 characters")
        return payload


_OWN_IDS = frozenset({"00", "01", "52", "53", "54", "58", "59", "60", "61", "62", "63"})


def parse_objects(text: str) -> dict[str, str]:
    """Split a run of data objects; raises on truncation, a bad header or a repeated id."""
    objects: dict[str, str] = {}
    i = 0
    while i < len(text):
        if i + 4 > len(text):
            raise EmvcoError(f"truncated data object at position {i}")
        header = text[i : i + 4]
        if not (header.isascii() and header.isdigit()):
            raise EmvcoError(f"bad data object header {header!r} at position {i}")
        tag, length = header[:2], int(header[2:])
        end = i + 4 + length
        if end > len(text) or length == 0:
            raise EmvcoError(f"data object {tag} claims {length} characters: truncated")
        if tag in objects:
            raise EmvcoError(f"data object {tag} appears twice")
        objects[tag] = text[i + 4 : end]
        i = end
    return objects


def decode(payload: object) -> MerchantPresentedQr:
    """Parse and validate a merchant-presented payload (CRC, order, required objects)."""
    if not isinstance(payload, str):
        raise EmvcoError(f"an EMVCo payload is text, not {type(payload).__name__}")
    if len(payload) > MAX_PAYLOAD:
        raise EmvcoError("payload longer than 512 characters")
    if not payload.startswith("000201"):
        raise EmvcoError("not an EMVCo payload: it must start with 000201")
    if len(payload) < 8 or payload[-8:-4] != "6304":
        raise EmvcoError("the CRC (6304) must be the last data object")
    try:
        body = payload[:-4].encode()
    except UnicodeEncodeError:
        raise EmvcoError("the payload is not valid text") from None
    expected = f"{crc16_ccitt_false(body):04X}"
    if payload[-4:].upper() != expected:
        raise EmvcoError(f"CRC mismatch: payload says {payload[-4:]}, content gives {expected}")
    objects = parse_objects(payload[:-8])
    missing = [t for t in ("52", "53", "58", "59", "60") if t not in objects]
    network = {t: v for t, v in objects.items() if t in NETWORK_IDS}
    accounts = {
        t: parse_objects(v) for t, v in objects.items() if t in TEMPLATE_IDS and int(t) <= 51
    }
    if missing or not (accounts or network):
        raise EmvcoError(f"required data objects missing: {missing or ['02..51']}")
    currency = CURRENCY_BY_NUMBER.get(objects["53"])
    if currency is None:
        raise EmvcoError(f"unknown currency number {objects['53']}")
    additional = parse_objects(objects["62"]) if "62" in objects else {}
    known = _OWN_IDS | set(accounts) | set(network)
    return MerchantPresentedQr(
        accounts=accounts,
        merchant_category=objects["52"],
        currency=currency,
        country=objects["58"],
        merchant_name=_ascii_text("59", objects["59"]),
        merchant_city=_ascii_text("60", objects["60"]),
        amount=parse_amount(objects["54"], currency) if "54" in objects else None,
        postal_code=objects.get("61"),
        bill_number=additional.pop("01", None),
        reference_label=additional.pop("05", None),
        terminal_label=additional.pop("07", None),
        extra={t: v for t, v in objects.items() if t not in known},
        network_accounts=network,
        additional=additional,
        initiation=objects.get("01"),
    )


def pix_account(key: str, description: str | None = None) -> dict[str, str]:
    """Template 26 for Brazil's PIX (BCB manual): GUI br.gov.bcb.pix, the key, a note."""
    account = {"00": "br.gov.bcb.pix", "01": key}
    if description:
        account["02"] = description
    return account


def promptpay_account(mobile_or_id: str) -> dict[str, str]:
    """Template 29 for Thailand's PromptPay: AID A000000677010111 and a mobile (0066…)
    or a 13-digit national/tax id."""
    digits = "".join(ch for ch in mobile_or_id if ch.isdigit())
    if len(digits) == 13:
        return {"00": "A000000677010111", "02": digits}
    if digits.startswith("0"):
        digits = "66" + digits[1:]
    return {"00": "A000000677010111", "01": digits.rjust(13, "0")}
