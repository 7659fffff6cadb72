"""A finished sale (paid or voided) and its wire document.

The wire document is the contract with the central service (`sync.protocol`
validates it there): the sale's UUID is its idempotency key, and the per-kiosk
`sequence` is gap-free because it is taken in the same transaction that stores
the sale. Voided sales are numbered and synced too, as on any till.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kiosk.domain.cart import Cart, CartLine, LineState, PriceOverride, StaffAction
from kiosk.domain.catalog import Product
from kiosk.domain.codes import Gtin
from kiosk.domain.journal import canonical_json
from kiosk.domain.money import Money
from kiosk.domain.pricing import PricedCart, PricedLine

WIRE_VERSION = 1


class SaleStatus(enum.StrEnum):
    PAID = "paid"
    VOIDED = "voided"


@dataclass(frozen=True, slots=True)
class Tender:
    """How the sale was paid. `attended_by` is the staff id who confirmed an offline payment."""

    payment_id: str
    method: str
    amount: Money
    reference: str = ""
    attended_by: str | None = None

    def to_wire(self) -> dict[str, Any]:
        return {
            "payment_id": self.payment_id,
            "method": self.method,
            "amount_minor": self.amount.minor,
            "reference": self.reference,
            "attended_by": self.attended_by,
        }


@dataclass(frozen=True, slots=True)
class Sale:
    sale_id: str
    kiosk_id: str
    store_id: str
    sequence: int
    created_at: datetime
    status: SaleStatus
    cart: Cart
    priced: PricedCart
    tenders: tuple[Tender, ...]
    product_names: Mapping[Gtin, Mapping[str, str]]
    training: bool = False

    def to_wire(self) -> dict[str, Any]:
        priced = {line.line_no: line for line in self.priced.lines}
        return {
            "version": WIRE_VERSION,
            "sale_id": self.sale_id,
            "kiosk_id": self.kiosk_id,
            "store_id": self.store_id,
            "sequence": self.sequence,
            "created_at": self.created_at.isoformat(),
            # Optional on the wire (older kiosks send none): first scan → paid, in the reports.
            "first_scan_at": self.cart.started_at.isoformat() if self.cart.started_at else None,
            "status": self.status.value,
            "training": self.training,
            "currency": self.priced.currency,
            "member_id": self.cart.member_id,
            "lines": [self._line_wire(line, priced) for line in self.cart.lines],
            "discounts": [
                {
                    "rule_id": d.rule_id,
                    "description": d.description,
                    "amount_minor": d.amount.minor,
                    "line_nos": list(d.line_nos),
                }
                for d in self.priced.discounts
            ],
            "taxes": [
                {
                    "tax_class": t.tax_class,
                    "rate_bp": t.rate_bp,
                    "net_minor": t.net.minor,
                    "tax_minor": t.tax.minor,
                    "gross_minor": t.gross.minor,
                }
                for t in self.priced.taxes
            ],
            "subtotal_minor": self.priced.subtotal.minor,
            "discount_minor": self.priced.discount_total.minor,
            "deposit_minor": self.priced.deposit_total.minor,
            "tax_minor": self.priced.tax_total.minor,
            "total_minor": self.priced.total.minor,
            "item_count": self.priced.item_count,
            "tenders": [t.to_wire() for t in self.tenders],
            "void": _action_wire(self.cart.void),
        }

    def _line_wire(self, line: CartLine, priced: Mapping[int, PricedLine]) -> dict[str, Any]:
        p = priced.get(line.line_no)
        return {
            "line_no": line.line_no,
            "gtin": line.gtin,
            "names": dict(self.product_names.get(line.gtin, {})),
            "state": line.state.value,
            "quantity": line.quantity,
            "weight_g": line.weight_g,
            "lot": line.lot,
            "serial": line.serial,
            "unit_price_minor": p.unit_price.minor if p else None,
            "gross_minor": p.gross.minor if p else 0,
            "discount_minor": p.discount.minor if p else 0,
            "deposit_minor": p.deposit.minor if p else 0,
            "tax_class": p.tax_class if p else None,
            "age_approval": _action_wire(line.approval),
            "void": _action_wire(line.void) if line.state is LineState.VOIDED else None,
            "override": _override_wire(line.override),
        }

    def digest(self) -> str:
        """SHA-256 of the wire document: what the journal entry of the sale commits to."""
        return hashlib.sha256(canonical_json(self.to_wire())).hexdigest()


def _action_wire(action: StaffAction | None) -> dict[str, Any] | None:
    return None if action is None else _action_fields(action)


def _action_fields(action: StaffAction) -> dict[str, Any]:
    return {
        "staff_id": action.staff_id,
        "at": action.at.isoformat(),
        "reason": action.reason,
        "amount_minor": action.amount_minor,
    }


def _override_wire(override: PriceOverride | None) -> dict[str, Any] | None:
    """The staff's price and the shelf price it replaced: the line's `unit_price_minor`
    is the staff's, and the central service checks it against the store's bounds."""
    if override is None:
        return None
    return {
        "unit_price_minor": override.unit_minor,
        "shelf_price_minor": override.shelf_minor,
        **_action_fields(override.action),
    }


def names_for(cart: Cart, products: Mapping[Gtin, Product]) -> dict[Gtin, Mapping[str, str]]:
    """The names each line's product had at the time of sale, for receipts and reports."""
    return {line.gtin: products[line.gtin].names for line in cart.lines if line.gtin in products}
