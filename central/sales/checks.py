"""What the service re-checks in every sale a kiosk sends, before storing it.

A signed kiosk is trusted to be who it is, not to be right: the document must redo
the kiosk's own arithmetic (`kiosk.domain.pricing.price_cart`) line by line and in
total, name a currency the chain prices in, name the kiosk's own store, and stay
within bounds no till reaches. A staff price override must name who and why, be the
line's unit price, and keep within the chain's floor and ceiling of the shelf price
(`OverrideBounds`); an overridden line takes no discount. A sale that fails is not
stored: it is answered `conflict` and kept in `conflicts` for a person to review, like
any other conflict.

The bounds also keep reports exact: a sale is at most `MAX_SALE_MINOR` and never
negative, and `service.sales_report` sums in two parts that cannot overflow.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from central.auth import AuthedKiosk
from kiosk.domain.errors import KioskError
from kiosk.domain.money import exponent_of
from kiosk.domain.policy import OverrideBounds

MAX_SALE_MINOR = 10**10
"""100 million in a two-decimal currency: far above any till, far below int64 sums."""
MAX_QUANTITY = 9_999
MAX_WEIGHT_G = 1_000_000
MAX_CODE_CHARS = 32
"""A line's product code: a GTIN-14 at most, and room for a store's own codes (the
reports' `products_daily.gtin` holds 32)."""
GRAMS_PER_KG = 1000
LINE_STATES = frozenset({"active", "removed", "voided"})
# ISO 8601's extended form, as `datetime.isoformat` writes it: the reports take a sale's
# local day from its first ten characters and its hour from the next.
EXTENDED_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


@dataclass(frozen=True, slots=True)
class Refusal:
    reason: str
    detail: str


class _Bad(Exception):
    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.refusal = Refusal(reason, detail)


def check_sale(
    doc: Mapping[str, Any], kiosk: AuthedKiosk, bounds: OverrideBounds
) -> Refusal | None:
    """None if the sale may be stored, else why not (a stable reason and plain words)."""
    try:
        _check(doc, kiosk, bounds)
    except _Bad as bad:
        return bad.refusal
    return None


def _is_time(text: str) -> bool:
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return EXTENDED_TIME.match(text) is not None


def _check(doc: Mapping[str, Any], kiosk: AuthedKiosk, bounds: OverrideBounds) -> None:
    if doc["kiosk_id"] != kiosk.kiosk_id:
        raise _Bad("kiosk_mismatch", "the sale names another kiosk than the one that sent it")
    if doc["store_id"] != kiosk.store_id:
        enrolled, named = kiosk.store_id, doc["store_id"]
        raise _Bad("store_mismatch", f"the kiosk is enrolled in store {enrolled}, not {named}")
    if not _is_time(str(doc["created_at"])):
        raise _Bad("time", f"created_at {doc['created_at']!r} is not an ISO 8601 time")
    first_scan = doc.get("first_scan_at")
    if first_scan is not None and not _is_time(str(first_scan)):
        raise _Bad("time", f"first_scan_at {first_scan!r} is not an ISO 8601 time")
    try:
        exponent_of(str(doc["currency"]))
    except KioskError:
        raise _Bad("currency", f"unknown currency {doc['currency']!r}") from None
    lines = _lines(doc["lines"], bounds)
    active = [line for line in lines if line["state"] == "active"]
    subtotal = sum(line["gross_minor"] for line in active)
    line_discounts = sum(line["discount_minor"] for line in active)
    deposit = sum(line["deposit_minor"] for line in active)
    discounts = _items(doc, "discounts", ("amount_minor",))
    taxes = _items(doc, "taxes", ("net_minor", "tax_minor", "gross_minor"))
    # Tenders are bounded like every amount; what they add up to is the payment's
    # business (checked against the provider), not the basket's arithmetic.
    _items(doc, "tenders", ("amount_minor",))
    for tax in taxes:
        if tax["net_minor"] + tax["tax_minor"] != tax["gross_minor"]:
            raise _Bad("arithmetic", f"tax class {tax.get('tax_class')!r}: net + tax != gross")
    goods = sum(t["gross_minor"] for t in taxes)
    tax_total = sum(t["tax_minor"] for t in taxes)
    totals = {
        "subtotal_minor": subtotal,
        "discount_minor": line_discounts,
        "deposit_minor": deposit,
        "tax_minor": tax_total,
        "total_minor": goods + deposit,
    }
    for name, expected in totals.items():
        if _amount(doc, name) != expected:
            raise _Bad("arithmetic", f"{name} is {doc.get(name)!r}; the lines make {expected}")
    if sum(d["amount_minor"] for d in discounts) != line_discounts:
        raise _Bad("arithmetic", "the discounts do not add up to the lines' discounts")
    # Taxes are on what the goods cost after discounts: inclusive (the goods' price holds
    # the tax) or exclusive (the tax comes on top).
    if goods not in (subtotal - line_discounts, subtotal - line_discounts + tax_total):
        raise _Bad("arithmetic", "the tax classes do not add up to the discounted goods")
    items = sum(1 if line.get("weight_g") is not None else line["quantity"] for line in active)
    if doc["item_count"] != items:
        raise _Bad("arithmetic", f"item_count is {doc['item_count']}; the lines make {items}")


def _amount(doc: Mapping[str, Any], name: str, limit: int = MAX_SALE_MINOR) -> int:
    value = doc.get(name)
    if type(value) is not int or not 0 <= value <= limit:
        raise _Bad("bounds", f"{name} must be a whole number from 0 to {limit}, not {value!r}")
    return value


def _items(doc: Mapping[str, Any], key: str, amounts: Sequence[str]) -> list[Mapping[str, Any]]:
    items = doc.get(key, [])
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise _Bad("shape", f"{key} must be a list of objects")
    for item in items:
        for name in amounts:
            _amount(item, name)
    return items


def _lines(raw: Sequence[Any], bounds: OverrideBounds) -> list[Mapping[str, Any]]:
    lines: list[Mapping[str, Any]] = []
    numbers: set[object] = set()
    for line in raw:
        if not isinstance(line, dict):
            raise _Bad("shape", "every line must be an object")
        number = line.get("line_no")
        if type(number) is not int or number < 1 or number in numbers:
            raise _Bad("shape", f"line numbers must be distinct positive integers ({number!r})")
        numbers.add(number)
        state = line.get("state")
        if not isinstance(state, str) or state not in LINE_STATES:  # a list is unhashable
            raise _Bad("shape", f"line {number}: unknown state {line.get('state')!r}")
        _line(number, line)
        _override(number, line, bounds)
        lines.append(line)
    return lines


def _line(number: int, line: Mapping[str, Any]) -> None:
    gtin = line.get("gtin")
    if not isinstance(gtin, str) or not 1 <= len(gtin) <= MAX_CODE_CHARS:
        # The reports key products by it: a sale they cannot count is refused here, as a
        # conflict, not midway through storing its batch (a 500 that lost the whole batch).
        raise _Bad("shape", f"line {number}: gtin must be text of 1 to {MAX_CODE_CHARS} characters")
    quantity, weight = line.get("quantity"), line.get("weight_g")
    if type(quantity) is not int or not 1 <= quantity <= MAX_QUANTITY:
        raise _Bad("bounds", f"line {number}: quantity must be 1 to {MAX_QUANTITY}")
    if weight is not None and (type(weight) is not int or not 1 <= weight <= MAX_WEIGHT_G):
        raise _Bad("bounds", f"line {number}: weight_g must be 1 to {MAX_WEIGHT_G}")
    gross, discount, deposit = (
        _amount(line, name) for name in ("gross_minor", "discount_minor", "deposit_minor")
    )
    if line["state"] != "active":
        if gross or discount or deposit:
            raise _Bad("arithmetic", f"line {number} is {line['state']} but has amounts")
        return
    unit = _amount(line, "unit_price_minor")
    if discount > gross:
        raise _Bad("arithmetic", f"line {number}: the discount is more than the line")
    if weight is None:
        # A price label's amount is the line's price (quantity 1): unit × 1 either way.
        if gross != unit * quantity:
            raise _Bad("arithmetic", f"line {number}: {quantity} × {unit} is not {gross}")
    elif gross != unit and abs(unit * weight - gross * GRAMS_PER_KG) >= GRAMS_PER_KG:
        # Weighed: price per kg × weight, rounded once by the store's rule (any rule
        # lands within one minor unit); or a label with its own price (unit = gross).
        raise _Bad("arithmetic", f"line {number}: {weight} g at {unit}/kg is not {gross}")


def _override(number: int, line: Mapping[str, Any], bounds: OverrideBounds) -> None:
    override = line.get("override")
    if override is None:
        return
    if not isinstance(override, dict):
        raise _Bad("shape", f"line {number}: override must be an object")
    price = _amount(override, "unit_price_minor")
    shelf = _amount(override, "shelf_price_minor")
    staff_id, reason = override.get("staff_id"), override.get("reason")
    if not (isinstance(staff_id, str) and staff_id and isinstance(reason, str) and reason):
        raise _Bad("override", f"line {number}: a price override names its staff and reason")
    if line["state"] != "active":
        return  # voided or removed afterwards: nothing was charged at that price
    if price != line["unit_price_minor"]:
        raise _Bad("override", f"line {number}: the override is not the line's unit price")
    if line["discount_minor"]:
        raise _Bad("override", f"line {number}: an overridden line takes no discount")
    if shelf == 0 or not bounds.allows(price, shelf):
        low, high = bounds.range_of(shelf)
        raise _Bad(
            "override",
            f"line {number}: {price} is outside the override bounds {low}..{high} of {shelf}",
        )
