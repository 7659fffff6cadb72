"""JSON shapes of the cart for the `active_cart` row (restored after a crash)."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from kiosk.domain.cart import Cart, CartLine, LineState, PriceOverride, StaffAction
from kiosk.domain.codes import Gtin
from kiosk.domain.money import Money


def _action(a: StaffAction | None) -> dict[str, Any] | None:
    if a is None:
        return None
    return {
        "staff_id": a.staff_id,
        "at": a.at.isoformat(),
        "reason": a.reason,
        "amount_minor": a.amount_minor,
    }


def _action_back(d: dict[str, Any] | None) -> StaffAction | None:
    if d is None:
        return None
    # Carts saved before amounts were kept (schema 6) restore with 0.
    return StaffAction(
        d["staff_id"], datetime.fromisoformat(d["at"]), d["reason"], d.get("amount_minor", 0)
    )


def _override(o: PriceOverride | None) -> dict[str, Any] | None:
    if o is None:
        return None
    return {"unit_minor": o.unit_minor, "shelf_minor": o.shelf_minor, "action": _action(o.action)}


def _override_back(d: dict[str, Any] | None) -> PriceOverride | None:
    if d is None:
        return None
    action = _action_back(d["action"])
    assert action is not None  # an override is always someone's
    return PriceOverride(d["unit_minor"], d["shelf_minor"], action)


def _line(line: CartLine) -> dict[str, Any]:
    return {
        "line_no": line.line_no,
        "gtin": line.gtin,
        "quantity": line.quantity,
        "weight_g": line.weight_g,
        "embedded_price": (
            [line.embedded_price.minor, line.embedded_price.currency]
            if line.embedded_price
            else None
        ),
        "lot": line.lot,
        "serial": line.serial,
        "expiry": line.expiry.isoformat() if line.expiry else None,
        "age_min": line.age_min,
        "approval": _action(line.approval),
        "state": line.state.value,
        "void": _action(line.void),
        "override": _override(line.override),
    }


def _line_back(d: dict[str, Any]) -> CartLine:
    price = d["embedded_price"]
    return CartLine(
        line_no=d["line_no"],
        gtin=Gtin(d["gtin"]),
        quantity=d["quantity"],
        weight_g=d["weight_g"],
        embedded_price=Money(price[0], price[1]) if price else None,
        lot=d["lot"],
        serial=d["serial"],
        expiry=date.fromisoformat(d["expiry"]) if d["expiry"] else None,
        age_min=d["age_min"],
        approval=_action_back(d["approval"]),
        state=LineState(d["state"]),
        void=_action_back(d["void"]),
        override=_override_back(d.get("override")),
    )


def cart_to_json(cart: Cart) -> str:
    return json.dumps(
        {
            "cart_id": cart.cart_id,
            "lines": [_line(line) for line in cart.lines],
            "frozen": cart.frozen,
            "void": _action(cart.void),
            "member_id": cart.member_id,
            "started_at": cart.started_at.isoformat() if cart.started_at else None,
            "priced_at": cart.priced_at.isoformat() if cart.priced_at else None,
        },
        ensure_ascii=False,
    )


def cart_from_json(text: str) -> Cart:
    d = json.loads(text)
    return Cart(
        cart_id=d["cart_id"],
        lines=tuple(_line_back(line) for line in d["lines"]),
        frozen=d["frozen"],
        void=_action_back(d["void"]),
        member_id=d["member_id"],
        # Carts saved before the first scan time was kept have none.
        started_at=datetime.fromisoformat(d["started_at"]) if d.get("started_at") else None,
        # A cart frozen by an earlier version is priced as of now, as it then was.
        priced_at=datetime.fromisoformat(d["priced_at"]) if d.get("priced_at") else None,
    )
