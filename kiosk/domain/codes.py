"""Product codes: GTIN validation and normalisation, store RCNs, GS1 element strings.

Every product code the kiosk reads ends up as a GTIN-14 (`Gtin`), the one key the
catalog is indexed by: EAN-8, UPC-A, UPC-E and EAN-13 are zero-padded; UPC-E is first
expanded to UPC-A (GS1 General Specifications §2.1.3, "UPC-E zero suppression").

Restricted-circulation numbers (prefixes 02 and 20–29) carry a store's own item
reference plus an embedded price or weight; each store says how with `RcnRule`s.
The catalog holds such an item under its RCN with the value digits (and price
verifier digit) zeroed, so the same lookup works for fixed and variable measure.

GS1 element strings (GS1-128, GS1 DataMatrix/QR, DataBar) and GS1 Digital Link
URIs are parsed with `biip`, the maintained pure-Python GS1 library.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, NewType

from biip import ParseError as BiipParseError
from biip.checksums import gs1_price_weight_check_digit
from biip.gs1_digital_link_uris import GS1DigitalLinkURI
from biip.gs1_messages import GS1Message

from kiosk.domain.errors import CheckDigitError, CodeError

Gtin = NewType("Gtin", str)
"""A 14-digit GTIN with a valid check digit."""

GS = "\x1d"
# AIM symbology identifiers that announce GS1 data (GS1-128, GS1 DataMatrix, GS1 QR, DataBar).
_GS1_AIM_PREFIXES = ("]C1", "]d2", "]Q3", "]e0", "]J1")
_ANY_AIM_PREFIX_LEN = 3
# A weight with d decimals of a kilogram, in grams.
_GRAMS_PER_UNIT = {0: 1000, 1: 100, 2: 10, 3: 1}


def check_digit(body: str) -> int:
    """GS1 mod-10 check digit for the digits before it (weights 3,1 from the right)."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = ord(ch) - 48
        total += d * 3 if i % 2 == 0 else d
    return (10 - total % 10) % 10


def has_valid_check_digit(digits: str) -> bool:
    return (
        len(digits) >= 2
        and digits.isascii()
        and digits.isdigit()
        and check_digit(digits[:-1]) == ord(digits[-1]) - 48
    )


def expand_upce(code: str) -> str:
    """Expand an 8-digit UPC-E (number system, 6 digits, check) to its 12-digit UPC-A."""
    if len(code) != 8 or not code.isdigit():
        raise CodeError(f"UPC-E needs 8 digits, got {code!r}")
    system, d, check = code[0], code[1:7], code[7]
    if system not in "01":
        raise CodeError(f"UPC-E number system must be 0 or 1, got {system}")
    last = d[5]
    if last in "012":
        body = f"{d[0]}{d[1]}{last}0000{d[2]}{d[3]}{d[4]}"
    elif last == "3":
        body = f"{d[0]}{d[1]}{d[2]}00000{d[3]}{d[4]}"
    elif last == "4":
        body = f"{d[0]}{d[1]}{d[2]}{d[3]}00000{d[4]}"
    else:
        body = f"{d[0]}{d[1]}{d[2]}{d[3]}{d[4]}0000{last}"
    upca = system + body + check
    if not has_valid_check_digit(upca):
        raise CheckDigitError(f"UPC-E {code} has a wrong check digit")
    return upca


def normalize_gtin(text: str, *, upce: bool = False) -> Gtin:
    """Validate a GTIN-8/12/13/14 (or UPC-E when `upce`) and return it as GTIN-14.

    An 8-digit code is EAN-8 unless the scanner says it read UPC-E: the digits alone
    cannot tell them apart, so the caller passes the symbology.
    """
    digits = text.strip()
    if not digits.isascii() or not digits.isdigit():
        raise CodeError(
            f"{text!r} is not a product number: it must be digits only",
            say="gtin_digits",
            params={"value": text},
        )
    if upce:
        digits = expand_upce(digits)
    if len(digits) not in (8, 12, 13, 14):
        raise CodeError(
            f"{text!r} has {len(digits)} digits; a GTIN has 8, 12, 13 or 14",
            say="gtin_length",
            params={"value": text, "count": len(digits)},
        )
    if not has_valid_check_digit(digits):
        raise CheckDigitError(
            f"{text!r} has a wrong check digit (mistyped or misread)",
            say="check_digit",
            params={"value": text},
        )
    return Gtin(digits.rjust(14, "0"))


def display_gtin(gtin: Gtin) -> str:
    """The shortest usual form: EAN-13 for GTIN-13/UPC, EAN-8 for GTIN-8, else GTIN-14."""
    if gtin.startswith("000000"):
        return gtin[6:]
    if gtin.startswith("0"):
        return gtin[1:]
    return gtin


def is_restricted_circulation(gtin: Gtin) -> bool:
    """GTIN-13 prefixes 02 and 20–29 are for in-store and regional use (GS1 GenSpecs §2.1.11)."""
    thirteen = gtin[1:] if gtin.startswith("0") else ""
    return bool(thirteen) and (thirteen.startswith("02") or thirteen[0] == "2")


class RcnValue(enum.Enum):
    PRICE = "price"
    WEIGHT = "weight"


@dataclass(frozen=True, slots=True)
class RcnRule:
    """How one store reads a restricted-circulation EAN-13 with an embedded value.

    Layout: `prefix` (2 digits), `item_digits` of item reference, an optional price
    verifier digit, `value_digits` of price or weight, the check digit: 13 in all.
    Weights are read in grams, with `decimals` digits after the kilogram point;
    prices in the currency's minor unit, with `decimals` after the major unit.
    """

    prefix: str
    item_digits: int
    value: RcnValue
    value_digits: int
    decimals: int
    verifier: bool = False

    def __post_init__(self) -> None:
        total = len(self.prefix) + self.item_digits + int(self.verifier) + self.value_digits + 1
        if not (self.prefix.isdigit() and len(self.prefix) == 2):
            raise CodeError(f"RCN rule prefix must be 2 digits, got {self.prefix!r}")
        if not (self.prefix == "02" or self.prefix[0] == "2"):
            raise CodeError(f"{self.prefix} is not a restricted-circulation prefix (02, 20–29)")
        if self.item_digits < 1 or self.value_digits < 1:
            raise CodeError(f"RCN rule for prefix {self.prefix} needs item and value digits")
        if total != 13:
            raise CodeError(f"RCN rule for prefix {self.prefix} describes {total} digits, not 13")
        if not 0 <= self.decimals <= self.value_digits:
            raise CodeError(
                f"RCN rule for prefix {self.prefix}: {self.decimals} decimals in a "
                f"{self.value_digits}-digit value"
            )
        if self.verifier and self.value_digits not in (4, 5):
            raise CodeError("a price verifier digit is defined for 4- or 5-digit values only")
        if self.value is RcnValue.WEIGHT and self.decimals not in _GRAMS_PER_UNIT:
            raise CodeError("weights are read in grams: at most 3 decimals of a kilogram")


def rcn_rule_from_wire(data: Mapping[str, Any]) -> RcnRule:
    """An `RcnRule` from its wire form (the kiosk's settings, the central `rules` feed).

    Strict, since a rule that reads the wrong digits mis-prices every label it covers:
    every field must be there with its exact type (no "5" for 5, no 1 for true).
    Raises `CodeError` naming what is wrong.
    """
    if not isinstance(data, Mapping):
        raise CodeError(f"an RCN rule must be an object, got {data!r}")
    fields: dict[str, type] = {
        "prefix": str,
        "item_digits": int,
        "value": str,
        "value_digits": int,
        "decimals": int,
    }
    for name, kind in fields.items():
        value = data.get(name)
        if type(value) is not kind:
            raise CodeError(f"RCN rule field {name!r} must be a {kind.__name__}, got {value!r}")
    verifier = data.get("verifier", False)
    if type(verifier) is not bool:
        raise CodeError(f"RCN rule field 'verifier' must be true or false, got {verifier!r}")
    try:
        value_kind = RcnValue(data["value"])
    except ValueError:
        raise CodeError(
            f"RCN rule field 'value' must be 'price' or 'weight', got {data['value']!r}"
        ) from None
    return RcnRule(
        prefix=data["prefix"],
        item_digits=data["item_digits"],
        value=value_kind,
        value_digits=data["value_digits"],
        decimals=data["decimals"],
        verifier=verifier,
    )


def rcn_rule_to_wire(rule: RcnRule) -> dict[str, Any]:
    return {
        "prefix": rule.prefix,
        "item_digits": rule.item_digits,
        "value": rule.value.value,
        "value_digits": rule.value_digits,
        "decimals": rule.decimals,
        "verifier": rule.verifier,
    }


@dataclass(frozen=True, slots=True)
class ProductCode:
    """What a scan says about a product, whatever symbology carried it.

    `gtin` is the catalog key. `price_minor` and `weight_g` are embedded values
    (variable-measure RCNs, GS1 AIs 392n and 310n); `price_decimals` is how many
    decimals the embedded price had, so the caller can check it against the currency.
    """

    gtin: Gtin
    raw: str
    lot: str | None = None
    expiry: date | None = None
    serial: str | None = None
    weight_g: int | None = None
    price_minor: int | None = None
    price_decimals: int | None = None


def _value_to_grams(value: int, decimals: int) -> int:
    return value * _GRAMS_PER_UNIT[decimals]


def read_rcn(gtin: Gtin, rules: tuple[RcnRule, ...]) -> ProductCode | None:
    """Read an embedded price or weight, or None when no store rule covers the prefix."""
    thirteen = gtin[1:]
    rule = next((r for r in rules if thirteen.startswith(r.prefix)), None)
    if rule is None:
        return None
    start = len(rule.prefix) + rule.item_digits
    value_start = start + int(rule.verifier)
    value_text = thirteen[value_start : value_start + rule.value_digits]
    if rule.verifier and int(gs1_price_weight_check_digit(value_text)) != int(thirteen[start]):
        raise CheckDigitError(
            f"{thirteen}: the embedded {rule.value.value} fails its verifier digit"
        )
    key_body = thirteen[:start] + "0" * (12 - start)
    key = Gtin("0" + key_body + str(check_digit(key_body)))
    value = int(value_text)
    if rule.value is RcnValue.WEIGHT:
        return ProductCode(gtin=key, raw=thirteen, weight_g=_value_to_grams(value, rule.decimals))
    return ProductCode(gtin=key, raw=thirteen, price_minor=value, price_decimals=rule.decimals)


def _from_gs1(raw: str, elements: dict[str, tuple[str, object]]) -> ProductCode:
    if "01" not in elements:
        raise CodeError(f"{raw!r} is GS1 data without a GTIN (AI 01): not a product")
    gtin = normalize_gtin(elements["01"][0])
    lot = elements.get("10", (None, None))[0]
    serial = elements.get("21", (None, None))[0]
    expiry = None
    if "17" in elements:
        parsed = elements["17"][1]
        expiry = parsed if isinstance(parsed, date) else None
    weight_g = None
    price_minor = None
    price_decimals = None
    for ai, (value, _) in elements.items():
        if len(ai) == 4 and ai.startswith("310"):
            if int(ai[3]) not in _GRAMS_PER_UNIT:
                raise CodeError(f"{raw!r}: net weight with {ai[3]} decimals is finer than a gram")
            weight_g = _value_to_grams(int(value), int(ai[3]))
        elif len(ai) == 4 and ai.startswith("392"):
            price_minor, price_decimals = int(value), int(ai[3])
    return ProductCode(
        gtin=gtin,
        raw=raw,
        lot=lot,
        expiry=expiry,
        serial=serial,
        weight_g=weight_g,
        price_minor=price_minor,
        price_decimals=price_decimals,
    )


def _gs1_elements(message: GS1Message | GS1DigitalLinkURI) -> dict[str, tuple[str, object]]:
    return {es.ai.ai: (es.value, es.date) for es in message.element_strings}


def parse_product_code(
    text: str, *, upce: bool = False, rcn_rules: tuple[RcnRule, ...] = ()
) -> ProductCode:
    """Turn what a scanner or keyboard produced into a `ProductCode`.

    Accepts plain GTINs, UPC-E (with `upce`), GS1 element strings (with or without
    an AIM prefix, FNC1 as ASCII 29) and GS1 Digital Link URIs. Raises `CodeError`
    with a plain reason for anything else.
    """
    raw = text.strip()
    if not raw:
        raise CodeError("empty code")
    if raw.isascii() and raw.isdigit() and len(raw) <= 14:
        gtin = normalize_gtin(raw, upce=upce)
        if rcn_rules and is_restricted_circulation(gtin):
            rcn = read_rcn(gtin, rcn_rules)
            if rcn is not None:
                return rcn
        return ProductCode(gtin=gtin, raw=raw)
    try:
        if raw.lower().startswith(("http://", "https://")):
            link = GS1DigitalLinkURI.parse(raw)
            return _from_gs1(raw, _gs1_elements(link))
        body = raw
        if body.startswith("]") and len(body) > _ANY_AIM_PREFIX_LEN:
            if not body.startswith(_GS1_AIM_PREFIXES):
                raise CodeError(f"{raw!r} is not GS1 data")
            body = body[_ANY_AIM_PREFIX_LEN:]
        body = body.lstrip(GS)
        if body.startswith("(") or (body.isascii() and body[:2].isdigit()):
            message = GS1Message.parse_hri(body) if body.startswith("(") else GS1Message.parse(body)
            return _from_gs1(raw, _gs1_elements(message))
    except BiipParseError as exc:
        raise CodeError(f"{raw!r} is not a valid GS1 code: {exc}") from None
    raise CodeError(f"{raw!r} is not a product code")
