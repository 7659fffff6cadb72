"""The shopper's cart: an immutable value that each action replaces, with the event it caused.

Immutability keeps the rules easy to test and makes "persist on every change"
trivial: the store saves the whole new cart in the same step the UI shows it.
Lines are never deleted: a shopper's removal or a staff void changes the line's
state and keeps it, so the journal and the receipt can tell what happened.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import date, datetime

from kiosk.domain.catalog import Product, Unit
from kiosk.domain.codes import Gtin, ProductCode
from kiosk.domain.errors import CartError, CartFrozen, ItemRefused, NotAllowed, Reason
from kiosk.domain.money import Money, exponent_of
from kiosk.domain.policy import StorePolicy
from kiosk.domain.staff import Permission, Staff


class LineState(enum.StrEnum):
    ACTIVE = "active"
    REMOVED = "removed"  # by the shopper, before paying, where the store allows it
    VOIDED = "voided"  # by staff, with a reason


@dataclass(frozen=True, slots=True)
class StaffAction:
    """Who did something on staff authority, when and why."""

    staff_id: str
    at: datetime
    reason: str = ""
    amount_minor: int = 0
    """The money the action concerned, as the shopper was shown it at that moment (a void:
    the line's or the sale's price), so reports can say how much staff took off."""


@dataclass(frozen=True, slots=True)
class PriceOverride:
    """A price per unit (per piece, per kg, or the label's) set by staff for one line.

    `shelf_minor` is the price it replaced, kept so the receipt, the journal and the
    central service can check it against the store's floor and ceiling."""

    unit_minor: int
    shelf_minor: int
    action: StaffAction


@dataclass(frozen=True, slots=True)
class CartLine:
    """One line. Variable-measure items (by weight or with a printed price) never merge."""

    line_no: int
    gtin: Gtin
    quantity: int = 1
    weight_g: int | None = None
    embedded_price: Money | None = None
    lot: str | None = None
    serial: str | None = None
    expiry: date | None = None
    age_min: int = 0
    approval: StaffAction | None = None
    state: LineState = LineState.ACTIVE
    void: StaffAction | None = None
    override: PriceOverride | None = None

    @property
    def active(self) -> bool:
        return self.state is LineState.ACTIVE

    @property
    def needs_approval(self) -> bool:
        return self.active and self.age_min > 0 and self.approval is None

    @property
    def mergeable(self) -> bool:
        return (
            self.active
            and self.weight_g is None
            and self.embedded_price is None
            and self.serial is None
        )


# ------------------------------------------------------------------ events
@dataclass(frozen=True, slots=True)
class ItemScanned:
    line_no: int
    gtin: Gtin
    quantity: int
    merged: bool


@dataclass(frozen=True, slots=True)
class QuantityChanged:
    line_no: int
    old: int
    new: int


@dataclass(frozen=True, slots=True)
class LineRemoved:
    line_no: int


@dataclass(frozen=True, slots=True)
class LineVoided:
    line_no: int
    action: StaffAction


@dataclass(frozen=True, slots=True)
class SaleVoided:
    action: StaffAction


@dataclass(frozen=True, slots=True)
class AgeApproved:
    line_nos: tuple[int, ...]
    action: StaffAction


@dataclass(frozen=True, slots=True)
class PriceOverridden:
    line_no: int
    override: PriceOverride


CartEvent = (
    ItemScanned | QuantityChanged | LineRemoved | LineVoided | SaleVoided | AgeApproved
    | PriceOverridden
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Cart:
    """A sale in progress. `cart_id` becomes the sale's id when it is paid."""

    cart_id: str
    lines: tuple[CartLine, ...] = ()
    frozen: bool = False
    void: StaffAction | None = None
    member_id: str | None = None
    started_at: datetime | None = None
    """When the shopper's first item went in (scanned, weighed or resumed): the start of
    the "first scan → paid" time the chain's reports measure."""
    priced_at: datetime | None = None
    """While frozen: when the amount to pay was fixed. The cart is priced as of then until
    it is paid, so an offer that ends while the QR is open changes nothing the shopper pays."""

    # ---------------------------------------------------------- queries
    @property
    def active_lines(self) -> tuple[CartLine, ...]:
        return tuple(line for line in self.lines if line.active)

    @property
    def is_empty(self) -> bool:
        return not self.active_lines

    @property
    def needs_approval(self) -> bool:
        return any(line.needs_approval for line in self.lines)

    @property
    def voided(self) -> bool:
        return self.void is not None

    def line(self, line_no: int) -> CartLine:
        for line in self.lines:
            if line.line_no == line_no:
                return line
        raise CartError(f"there is no line {line_no}", reason=Reason.NO_SUCH_LINE)

    # ---------------------------------------------------------- commands
    def _check_open(self) -> None:
        if self.voided:
            raise CartError("this sale was voided", reason=Reason.SALE_VOIDED)
        if self.frozen:
            raise CartFrozen("the cart is being paid: cancel the payment to change it")

    def _replace_line(self, new: CartLine) -> Cart:
        return replace(
            self, lines=tuple(new if line.line_no == new.line_no else line for line in self.lines)
        )

    def check_weighable(self, product: Product, code: ProductCode, *, today: date) -> None:
        """Before the shopper weighs `product` on the kiosk's scale: the cart is open and
        the item sold by weight and sellable, so nobody weighs what cannot be added."""
        self._check_open()
        refuse_if_unsellable(product, code.lot, code.expiry, today)
        if product.unit is not Unit.KG:
            raise ItemRefused(
                f"{product.gtin} is sold by the piece: scan it", reason=Reason.NOT_BY_WEIGHT
            )

    def add(
        self, product: Product, code: ProductCode, *, today: date, policy: StorePolicy
    ) -> tuple[Cart, ItemScanned]:
        """Add one scanned item, or refuse it with a reason the shopper can act on."""
        self._check_open()
        refuse_if_unsellable(product, code.lot, code.expiry, today)
        embedded_price = _embedded_price(code, policy.currency)
        # A weight label reading 0 g is the item's own code (or a scale that weighed
        # nothing): it is not a weight, and a line of 0 kg would sell the goods for free.
        weighed = code.weight_g is not None and code.weight_g > 0
        if product.unit is Unit.KG and not weighed and embedded_price is None:
            raise ItemRefused(
                f"{product.gtin} is sold by weight: have it weighed and scan the label",
                reason=Reason.NEEDS_WEIGHT,
            )
        candidate = CartLine(
            line_no=max((line.line_no for line in self.lines), default=0) + 1,
            gtin=product.gtin,
            weight_g=code.weight_g,
            embedded_price=embedded_price,
            lot=code.lot,
            serial=code.serial,
            expiry=code.expiry,
            age_min=product.age_min,
        )
        if candidate.serial is not None and any(
            line.active and line.gtin == candidate.gtin and line.serial == candidate.serial
            for line in self.lines
        ):
            raise ItemRefused(
                "this exact item (same serial number) is already in the cart",
                reason=Reason.DUPLICATE_SERIAL,
            )
        if candidate.mergeable:
            for line in self.lines:
                if (
                    line.mergeable
                    and line.override is None  # the next one is at the shelf price
                    and line.gtin == candidate.gtin
                    and line.lot == candidate.lot
                    and line.expiry == candidate.expiry
                ):
                    if line.quantity >= policy.max_quantity_per_line:
                        raise ItemRefused(
                            f"at most {policy.max_quantity_per_line} of one item per sale",
                            reason=Reason.QUANTITY_LIMIT,
                        )
                    merged = replace(line, quantity=line.quantity + 1)
                    return self._replace_line(merged), ItemScanned(
                        line.line_no, line.gtin, merged.quantity, merged=True
                    )
        return replace(self, lines=(*self.lines, candidate)), ItemScanned(
            candidate.line_no, candidate.gtin, 1, merged=False
        )

    def set_quantity(
        self, line_no: int, quantity: int, *, policy: StorePolicy
    ) -> tuple[Cart, QuantityChanged | LineRemoved]:
        """Change a counted line; 0 removes it (where the store lets shoppers remove)."""
        self._check_open()
        line = self.line(line_no)
        if not line.active:
            raise CartError("that line is no longer in the cart", reason=Reason.LINE_INACTIVE)
        if quantity == 0:
            return self.remove(line_no, policy=policy)
        if not line.mergeable:
            raise CartError(
                "weighed or price-labelled items are one line per label",
                reason=Reason.FIXED_QUANTITY,
            )
        if not 1 <= quantity <= policy.max_quantity_per_line:
            raise CartError(
                f"quantity must be between 1 and {policy.max_quantity_per_line}",
                reason=Reason.QUANTITY_LIMIT,
            )
        if quantity < line.quantity and not policy.shopper_may_remove:
            raise NotAllowed("ask a member of staff to take items off", reason=Reason.STAFF_NEEDED)
        return self._replace_line(replace(line, quantity=quantity)), QuantityChanged(
            line_no, line.quantity, quantity
        )

    def remove(self, line_no: int, *, policy: StorePolicy) -> tuple[Cart, LineRemoved]:
        self._check_open()
        if not policy.shopper_may_remove:
            raise NotAllowed("ask a member of staff to take items off", reason=Reason.STAFF_NEEDED)
        line = self.line(line_no)
        if not line.active:
            raise CartError("that line is no longer in the cart", reason=Reason.LINE_INACTIVE)
        return self._replace_line(replace(line, state=LineState.REMOVED)), LineRemoved(line_no)

    def void_line(self, line_no: int, staff: Staff, action: StaffAction) -> tuple[Cart, LineVoided]:
        """Staff take a line off. Allowed while paying is not open; the line stays, voided."""
        staff.require(Permission.VOID_LINE)
        self._check_open()
        if not action.reason:
            raise CartError("a void needs a reason", reason=Reason.REASON_REQUIRED)
        line = self.line(line_no)
        if not line.active:
            raise CartError("that line is no longer in the cart", reason=Reason.LINE_INACTIVE)
        voided = replace(line, state=LineState.VOIDED, void=action)
        return self._replace_line(voided), LineVoided(line_no, action)

    def void_sale(self, staff: Staff, action: StaffAction) -> tuple[Cart, SaleVoided]:
        staff.require(Permission.VOID_SALE)
        self._check_open()
        if not action.reason:
            raise CartError("a void needs a reason", reason=Reason.REASON_REQUIRED)
        lines = tuple(
            replace(line, state=LineState.VOIDED, void=action) if line.active else line
            for line in self.lines
        )
        return replace(self, lines=lines, void=action), SaleVoided(action)

    def override_price(
        self,
        line_no: int,
        unit_minor: int,
        shelf_minor: int,
        staff: Staff,
        action: StaffAction,
        *,
        policy: StorePolicy,
    ) -> tuple[Cart, PriceOverridden]:
        """Staff set the line's price per unit to `unit_minor`, within the store's bounds
        of `shelf_minor` (the price the line has without an override). Overriding again
        replaces the earlier override, still measured against the shelf price."""
        staff.require(Permission.OVERRIDE_PRICE)
        self._check_open()
        if not action.reason:
            raise CartError("a price override needs a reason", reason=Reason.REASON_REQUIRED)
        line = self.line(line_no)
        if not line.active:
            raise CartError("that line is no longer in the cart", reason=Reason.LINE_INACTIVE)
        if line.override is not None:
            shelf_minor = line.override.shelf_minor
        if shelf_minor <= 0 or not policy.price_override.allows(unit_minor, shelf_minor):
            low, high = policy.price_override.range_of(max(shelf_minor, 0))
            raise NotAllowed(
                f"the price must be from {low} to {high} (minor units)",
                reason=Reason.OVERRIDE_OUT_OF_BOUNDS,
            )
        override = PriceOverride(unit_minor, shelf_minor, action)
        return self._replace_line(replace(line, override=override)), PriceOverridden(
            line_no, override
        )

    def approve_age(self, staff: Staff, action: StaffAction) -> tuple[Cart, AgeApproved]:
        """Staff checked the shopper's ID: approve every age-restricted line waiting."""
        staff.require(Permission.APPROVE_AGE)
        pending = tuple(line.line_no for line in self.lines if line.needs_approval)
        if not pending:
            raise CartError(
                "nothing in the cart needs an age check", reason=Reason.NOTHING_TO_APPROVE
            )
        lines = tuple(
            replace(line, approval=action) if line.needs_approval else line for line in self.lines
        )
        return replace(self, lines=lines), AgeApproved(pending, action)

    def freeze(self, at: datetime) -> Cart:
        """Lock the cart for payment, priced as of `at`: the amount under an open QR can
        never change."""
        self._check_open()
        if self.is_empty:
            raise CartError("the cart is empty", reason=Reason.EMPTY_CART)
        if self.needs_approval:
            raise NotAllowed(
                "a member of staff must check the shopper's age first",
                reason=Reason.APPROVAL_NEEDED,
            )
        return replace(self, frozen=True, priced_at=at)

    def unfreeze(self) -> Cart:
        return replace(self, frozen=False, priced_at=None)

    def with_member(self, member_id: str | None) -> Cart:
        if self.frozen:
            raise CartFrozen("the cart is being paid: cancel the payment to change it")
        return replace(self, member_id=member_id)


def refuse_if_unsellable(
    product: Product, lot: str | None, expiry: date | None, today: date
) -> None:
    """Raise `ItemRefused` saying why `product` (of `lot`, best before `expiry`) may not be
    sold today: at a scan, and again when a suspended cart is resumed."""
    if product.recalled or (lot is not None and lot in product.recalled_lots):
        raise ItemRefused(
            "this product has been recalled: please hand it to staff",
            reason=Reason.RECALLED,
            gtin=product.gtin,
        )
    if not product.sellable:
        raise ItemRefused(
            "this product is not for sale here: please ask staff",
            reason=Reason.NOT_SELLABLE,
            gtin=product.gtin,
        )
    if expiry is not None and expiry < today:
        raise ItemRefused(
            "this item is past its expiry date: please hand it to staff",
            reason=Reason.EXPIRED,
            gtin=product.gtin,
        )


def _embedded_price(code: ProductCode, currency: str) -> Money | None:
    if code.price_minor is None:
        return None
    decimals = code.price_decimals or 0
    exponent = exponent_of(currency)
    if decimals > exponent:
        raise ItemRefused(
            f"the price label has {decimals} decimals, finer than {currency} allows",
            reason=Reason.BAD_PRICE_LABEL,
        )
    return Money(code.price_minor * 10 ** (exponent - decimals), currency)
