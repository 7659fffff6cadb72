"""The service redoes a sale's arithmetic: any document whose lines, discounts, taxes and
totals add up passes; changing any one amount, count, currency or store is refused."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from central.auth import AuthedKiosk
from central.sales.checks import MAX_SALE_MINOR, check_sale
from kiosk.domain.policy import OverrideBounds

KIOSK = AuthedKiosk("k-1", "S001", "key-1")
BOUNDS = OverrideBounds()


@st.composite
def sales(draw: st.DrawFn) -> dict[str, Any]:
    """Sale documents as `Sale.to_wire` writes them, tax inclusive or exclusive."""
    lines = []
    for n in range(1, draw(st.integers(1, 6)) + 1):
        state = draw(st.sampled_from(["active", "active", "removed", "voided"]))
        unit = draw(st.integers(0, 100_000))
        weight = draw(st.none() | st.integers(1, 20_000))
        quantity = 1 if weight is not None else draw(st.integers(1, 50))
        gross = (unit * weight + 500) // 1000 if weight is not None else unit * quantity
        active = state == "active"
        discount = draw(st.integers(0, gross)) if active else 0
        lines.append({
            "line_no": n, "gtin": "06935412001014", "state": state, "quantity": quantity,
            "weight_g": weight, "unit_price_minor": unit, "gross_minor": gross if active else 0,
            "discount_minor": discount, "deposit_minor": draw(st.integers(0, 50)) if active else 0,
            "tax_class": "standard",
        })  # fmt: skip
    active = [line for line in lines if line["state"] == "active"]
    subtotal = sum(line["gross_minor"] for line in active)
    discount = sum(line["discount_minor"] for line in active)
    deposit = sum(line["deposit_minor"] for line in active)
    goods = subtotal - discount
    tax = goods * 13 // 113
    exclusive = draw(st.booleans())
    net, gross = (goods, goods + tax) if exclusive else (goods - tax, goods)
    return {
        "version": 1, "sale_id": "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", "kiosk_id": "k-1",
        "store_id": "S001", "sequence": 1, "created_at": "2026-11-23T10:00:00+08:00",
        "status": "paid", "training": False, "currency": draw(st.sampled_from(["CNY", "KRW"])),
        "member_id": None, "lines": lines,
        "discounts": [{"rule_id": "R", "description": "", "amount_minor": discount,
                       "line_nos": []}] if discount else [],
        "taxes": [{"tax_class": "standard", "rate_bp": 1300, "net_minor": net,
                   "tax_minor": tax, "gross_minor": gross}],
        "subtotal_minor": subtotal, "discount_minor": discount, "deposit_minor": deposit,
        "tax_minor": tax, "total_minor": gross + deposit,
        "item_count": sum(1 if x["weight_g"] is not None else x["quantity"] for x in active),
        "tenders": [{"payment_id": "p", "method": "sandbox", "amount_minor": gross + deposit}],
        "void": None,
    }  # fmt: skip


@given(sales())
def test_a_sale_that_adds_up_passes(sale: dict[str, Any]) -> None:
    assert check_sale(sale, KIOSK, BOUNDS) is None


TOTALS = ["subtotal_minor", "discount_minor", "deposit_minor", "tax_minor", "total_minor"]


@given(sales(), st.sampled_from([*TOTALS, "item_count"]), st.integers(1, 10**6))
def test_any_total_off_by_any_amount_is_refused(sale: dict[str, Any], key: str, off: int) -> None:
    refusal = check_sale(sale | {key: sale[key] + off}, KIOSK, BOUNDS)
    assert refusal is not None
    assert refusal.reason in ("arithmetic", "bounds")


@given(sales(), st.data())
def test_a_line_whose_gross_is_not_price_times_quantity_is_refused(
    sale: dict[str, Any], data: st.DataObject
) -> None:
    active = [line for line in sale["lines"] if line["state"] == "active"]
    if not active:
        return
    line = data.draw(st.sampled_from(active))
    line["gross_minor"] += data.draw(st.integers(2, 10**6))
    line["discount_minor"] = 0
    refusal = check_sale(sale, KIOSK, BOUNDS)
    assert refusal is not None
    assert refusal.reason == "arithmetic"


def _one(**changes: Any) -> dict[str, Any]:
    line = {"line_no": 1, "gtin": "0", "state": "active", "quantity": 2, "weight_g": None,
            "unit_price_minor": 500, "gross_minor": 1000, "discount_minor": 0,
            "deposit_minor": 0} | changes  # fmt: skip
    gross, quantity = line["gross_minor"], line["quantity"]
    return {
        "kiosk_id": "k-1", "store_id": "S001", "currency": "CNY", "lines": [line],
        "created_at": "2026-11-23T10:00:00+08:00", "discounts": [],
        "taxes": [{"net_minor": gross, "tax_minor": 0, "gross_minor": gross}],
        "subtotal_minor": gross, "discount_minor": 0, "deposit_minor": 0, "tax_minor": 0,
        "total_minor": gross, "item_count": quantity, "tenders": [],
    }  # fmt: skip


def test_what_a_probe_sent_is_refused() -> None:
    assert check_sale(_one(), KIOSK, BOUNDS) is None
    refused = {
        "negative quantity": _one(quantity=-2, gross_minor=-1000),
        "negative price": _one(unit_price_minor=-500, gross_minor=-1000),
        "a float": _one(unit_price_minor=500.0),
        "a bool": _one(quantity=True, gross_minor=500),
        "over the bound": _one(quantity=1, unit_price_minor=2**53, gross_minor=2**53),
        "discount over the line": _one(discount_minor=1001),
        "unknown currency": _one() | {"currency": "XXX"},
        "not a time": _one() | {"created_at": "23/11/2026 10:00"},
        "another store": _one() | {"store_id": "S002"},
        "another kiosk": _one() | {"kiosk_id": "k-2"},
        "item count": _one() | {"item_count": 1},
        "a list for a state": _one(state=["active"]),  # unhashable: once a 500
        "a list for a currency": _one() | {"currency": ["CNY"]},
    }
    reasons = {name: check_sale(doc, KIOSK, BOUNDS) for name, doc in refused.items()}
    assert all(r is not None for r in reasons.values()), reasons
    assert reasons["unknown currency"].reason == "currency"  # type: ignore[union-attr]
    assert reasons["another store"].reason == "store_mismatch"  # type: ignore[union-attr]
    assert reasons["another kiosk"].reason == "kiosk_mismatch"  # type: ignore[union-attr]
    assert reasons["not a time"].reason == "time"  # type: ignore[union-attr]
    assert MAX_SALE_MINOR < 2**53


def _overridden(price: int, shelf: int = 500, **override: Any) -> dict[str, Any]:
    sale = _one(quantity=1, unit_price_minor=price, gross_minor=price)
    sale["lines"][0]["override"] = {
        "unit_price_minor": price, "shelf_price_minor": shelf, "staff_id": "S-2",
        "at": "2026-12-04T10:00:00+08:00", "reason": "damaged", "amount_minor": 0,
    } | override  # fmt: skip
    return sale


@given(shelf=st.integers(1, 10**6), price=st.integers(0, 2 * 10**6))
def test_an_override_is_stored_only_within_the_chains_bounds(shelf: int, price: int) -> None:
    """The service takes the kiosk's word for nothing: half the shelf price up to the
    shelf price by default, exactly in integers."""
    refusal = check_sale(_overridden(price, shelf), KIOSK, BOUNDS)
    within = shelf <= 2 * price and price <= shelf
    assert (refusal is None) == within, refusal
    if refusal is not None:
        assert refusal.reason == "override"


def test_an_override_names_who_and_why_and_is_the_price_charged() -> None:
    assert check_sale(_overridden(400), KIOSK, BOUNDS) is None
    wider = OverrideBounds(floor_bp=1000, ceiling_bp=10_000)
    assert check_sale(_overridden(100), KIOSK, BOUNDS) is not None
    assert check_sale(_overridden(100), KIOSK, wider) is None
    refused = {
        "no reason": _overridden(400, reason=""),
        "no staff": _overridden(400, staff_id=""),
        "another price": _overridden(400, unit_price_minor=300),
        "no shelf price": _overridden(0, shelf=0),
        "not an object": _one() | {"lines": [_one()["lines"][0] | {"override": "400"}]},
    }
    for name, doc in refused.items():
        refusal = check_sale(doc, KIOSK, BOUNDS)
        assert refusal is not None, name
    discounted = _overridden(400)
    discounted["lines"][0]["discount_minor"] = 50
    discounted |= {"discount_minor": 50, "discounts": [{"amount_minor": 50}]}
    discounted["taxes"][0] |= {"net_minor": 350, "gross_minor": 350}
    discounted["total_minor"] = 350
    refusal = check_sale(discounted, KIOSK, BOUNDS)
    assert refusal is not None
    assert refusal.detail.endswith("takes no discount")
