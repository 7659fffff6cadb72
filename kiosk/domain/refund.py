"""Refunds of a paid sale: what each returned line gives back, worked out from the sale's
own wire document, so the kiosk and the central service compute the same figures.

A line's refundable amount is what the sale charged for it: its gross less its discounts
(the pricing engine has already spread basket promotions, coupons and points over the
lines by largest remainder, `pricing.spread`), plus its deposit, plus, when tax is added
on top of prices, its largest-remainder share of its tax class's tax. The lines' amounts
therefore add up to the sale's total exactly.

Part of a line (k of its n units) is refunded cumulatively: after k units in all have
come back, `floor(paid * k / n)` has been refunded, so any sequence of partial refunds
never exceeds the line and the last unit brings the sum to exactly what was paid. A
weighed or labelled line (one unit) comes back whole.

Points follow the money, cumulatively as well: with R of the sale's total T refunded,
`floor(earned * R / T)` earned points have been taken back and `floor(spent * R / T)`
spent points returned; a whole refund settles both exactly. A coupon goes back to the
wallet, when the store's policy says so, once every line it discounted has come back
(until then the shopper still enjoys its discount on what they kept).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from kiosk.domain.coupons import COUPON_RULE_PREFIX
from kiosk.domain.errors import KioskError, Reason
from kiosk.domain.money import allocate_minor

ACTIVE = "active"


class RefundRefused(KioskError):
    """The refund asked for is not possible: `reason` says why."""

    reason = Reason.REFUND_NOT_REFUNDABLE


@dataclass(frozen=True, slots=True)
class PaidLine:
    """What the sale charged for one line, deposit and added tax included."""

    line_no: int
    gtin: str
    quantity: int
    """Units that may come back one by one: 1 for a weighed or labelled line."""
    paid_minor: int

    def refunded_after(self, units: int) -> int:
        """How much of the line has been refunded once `units` units in all came back."""
        return self.paid_minor * units // self.quantity


@dataclass(frozen=True, slots=True)
class SaleLoyalty:
    """What the sale did for its member: points earned and spent (both positive)."""

    earned: int = 0
    spent: int = 0


@dataclass(frozen=True, slots=True)
class RefundLine:
    line_no: int
    quantity: int
    amount_minor: int

    def to_wire(self) -> dict[str, int]:
        return {
            "line_no": self.line_no,
            "quantity": self.quantity,
            "amount_minor": self.amount_minor,
        }


@dataclass(frozen=True, slots=True)
class RefundPlan:
    """One refund of a sale: lines, amount, and the loyalty it undoes."""

    sale_id: str
    currency: str
    lines: tuple[RefundLine, ...]
    amount_minor: int
    points_taken_back: int
    points_returned: int
    coupons_returned: tuple[str, ...]
    """Coupon codes that go back to the member's wallet with this refund."""
    completes_sale: bool
    """Nothing of the sale is left to refund after this one."""


def paid_lines(document: Mapping[str, Any]) -> tuple[PaidLine, ...]:
    """The sale's active lines with what each was charged; raises `RefundRefused` for a
    sale that was not paid, a practice sale, or a document whose lines miss its total."""
    if document.get("status") != "paid":
        raise RefundRefused(f"sale {document.get('sale_id')} was not paid")
    if document.get("training"):
        raise RefundRefused(f"sale {document.get('sale_id')} is a training sale")
    lines = [line for line in document["lines"] if line["state"] == ACTIVE]
    goods = [int(line["gross_minor"]) - int(line["discount_minor"]) for line in lines]
    paid = [g + int(line["deposit_minor"]) for g, line in zip(goods, lines, strict=True)]
    for tax in document.get("taxes", ()):
        members = [i for i, line in enumerate(lines) if line["tax_class"] == tax["tax_class"]]
        # Inclusive prices: nothing to add. Tax on top: spread it as the class was taxed.
        added = int(tax["gross_minor"]) - sum(goods[i] for i in members)
        for i, share in zip(
            members, allocate_minor(added, [goods[i] for i in members]), strict=True
        ):
            paid[i] += share
    if sum(paid) != int(document["total_minor"]):
        raise RefundRefused(
            f"sale {document['sale_id']}: its lines add up to {sum(paid)}, "
            f"not its total {document['total_minor']}"
        )
    return tuple(
        PaidLine(
            int(line["line_no"]),
            str(line["gtin"]),
            1 if line.get("weight_g") is not None else int(line["quantity"]),
            amount,
        )
        for line, amount in zip(lines, paid, strict=True)
    )


def plan_refund(
    document: Mapping[str, Any],
    wanted: Mapping[int, int] | None,
    before: Mapping[int, int],
    loyalty: SaleLoyalty = SaleLoyalty(),
    *,
    return_coupons: bool = False,
) -> RefundPlan:
    """The refund of `wanted` (line number → units; None: everything not yet refunded),
    given the units of each line refunded `before`. Raises `RefundRefused` when a line is
    unknown, more units are asked than are left, or nothing would come back."""
    lines = {line.line_no: line for line in paid_lines(document)}
    for line_no, units in before.items():
        if line_no not in lines or not 0 <= units <= lines[line_no].quantity:
            raise RefundRefused(f"earlier refunds of line {line_no} do not fit the sale")
    if wanted is None:
        wanted = {n: line.quantity - before.get(n, 0) for n, line in lines.items()}
        wanted = {n: units for n, units in wanted.items() if units}
    refund_lines = []
    for line_no, units in sorted(wanted.items()):
        line = lines.get(line_no)
        if line is None:
            raise RefundRefused(f"line {line_no} is not a paid line of the sale")
        done = before.get(line_no, 0)
        if units <= 0 or done + units > line.quantity:
            raise RefundRefused(
                f"line {line_no}: {units} asked, {line.quantity - done} left to refund",
                reason=Reason.REFUND_OVER_PAID,
            )
        amount = line.refunded_after(done + units) - line.refunded_after(done)
        refund_lines.append(RefundLine(line_no, units, amount))
    if not refund_lines:
        raise RefundRefused("nothing is left to refund", reason=Reason.REFUND_OVER_PAID)
    total = int(document["total_minor"])
    refunded_before = sum(lines[n].refunded_after(u) for n, u in before.items())
    amount = sum(line.amount_minor for line in refund_lines)
    after = {**before, **{r.line_no: before.get(r.line_no, 0) + r.quantity for r in refund_lines}}
    return RefundPlan(
        sale_id=str(document["sale_id"]),
        currency=str(document["currency"]),
        lines=tuple(refund_lines),
        amount_minor=amount,
        points_taken_back=points_share(loyalty.earned, refunded_before, amount, total),
        points_returned=points_share(loyalty.spent, refunded_before, amount, total),
        coupons_returned=(_coupons_freed(document, lines, before, after) if return_coupons else ()),
        completes_sale=all(after.get(n, 0) == line.quantity for n, line in lines.items()),
    )


def refunded_units(refunds: Iterable[Iterable[Mapping[str, Any]]]) -> dict[int, int]:
    """Units refunded per line over earlier refunds (each a list of wire lines)."""
    units: dict[int, int] = {}
    for lines in refunds:
        for line in lines:
            units[int(line["line_no"])] = units.get(int(line["line_no"]), 0) + int(line["quantity"])
    return units


def points_share(points: int, before: int, amount: int, total: int) -> int:
    """The points that refunding `amount` of a sale of `total`, after `before` came back,
    moves: cumulative, so any sequence of refunds adds up to `floor(points * R / total)`."""
    if total <= 0:
        return 0
    return points * (before + amount) // total - points * before // total


def _coupons_freed(
    document: Mapping[str, Any],
    lines: Mapping[int, PaidLine],
    before: Mapping[int, int],
    after: Mapping[int, int],
) -> tuple[str, ...]:
    def all_back(refunded: Mapping[int, int], line_nos: list[int]) -> bool:
        return all(refunded.get(n, 0) == lines[n].quantity for n in line_nos)

    freed = []
    for discount in document.get("discounts", ()):
        rule_id = str(discount["rule_id"])
        if not rule_id.startswith(COUPON_RULE_PREFIX):
            continue
        line_nos = [int(n) for n in discount["line_nos"] if int(n) in lines]
        if all_back(after, line_nos) and not all_back(before, line_nos):
            freed.append(rule_id.split(":", 2)[2])
    return tuple(freed)
