"""The loyalty engine's answer as the shopper reads it: discount lines naming their
promotion or coupon, each coupon applied or why not, the best next-best offer, and the
member's tier, points and wallet, in the current language.

Everything here is wording and formatting of a `LoyaltyView` (`kiosk.services.loyalty`):
which discount applies, whether a coupon is refused and which hint comes first are the
engine's decisions. Strings are literal so `pyside6-lupdate` finds them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from kiosk.domain.coupons import COUPON_RULE_PREFIX, CouponRefusal, CouponVerdict
from kiosk.domain.errors import Reason
from kiosk.domain.money import Money
from kiosk.domain.offers import POINTS_RULE_PREFIX, Hint, OfferEngine
from kiosk.services.cart_offers import LoyaltyView
from kiosk.services.members import MemberView
from ui.i18n import Localiser
from ui.reasons import reason_text

MAX_LINES = 4
"""Offer lines shown under the cart; more are summed up in one line (the cart stays big)."""


# Short words for a coupon that stays in the cart without applying (yet); the others
# leave the cart at once and are explained by the notice alone.
_WAITING: dict[CouponRefusal, Callable[[], str]] = {
    CouponRefusal.MEMBER_ONLY: lambda: QCoreApplication.translate(
        "Offers", "Scan your member code to use it"
    ),
    CouponRefusal.NO_QUALIFYING_ITEMS: lambda: QCoreApplication.translate(
        "Offers", "Nothing in your cart matches it yet"
    ),
    CouponRefusal.NOT_COMBINABLE: lambda: QCoreApplication.translate(
        "Offers", "Not combined: a better coupon applies"
    ),
}


@dataclass(frozen=True, slots=True)
class OfferLine:
    text: str
    amount: str
    """What it saves ("−¥2.00"), or "" for a coupon that does not apply."""
    applied: bool
    code: str = ""
    """A coupon's code (the shopper can take the coupon off again), else ""."""


@dataclass(frozen=True, slots=True)
class OffersText:
    lines: tuple[OfferLine, ...]
    hint: str

    @property
    def empty(self) -> bool:
        return not self.lines and not self.hint


class OfferNames:
    """Promotion and coupon names in the shopper's language: the definition's `names`
    for that language, else its `name`, else what the engine wrote."""

    def __init__(self, engine: OfferEngine | None = None) -> None:
        self._promotions: dict[str, tuple[str, Mapping[str, str]]] = {}
        self._coupons: dict[str, tuple[str, Mapping[str, str]]] = {}
        if engine is not None:
            for p in engine.promotions:
                self._promotions[p.promotion_id] = (p.name, p.names)
            for c in engine.coupons.values():
                self._coupons[c.coupon_id] = (c.name, c.names)

    @staticmethod
    def _pick(found: tuple[str, Mapping[str, str]] | None, language: str, fallback: str) -> str:
        if found is None:
            return fallback
        name, names = found
        return names.get(language) or name or fallback

    def promotion(self, promotion_id: str, language: str, fallback: str = "") -> str:
        return self._pick(self._promotions.get(promotion_id), language, fallback)

    def coupon(self, coupon_id: str, language: str, fallback: str = "") -> str:
        return self._pick(self._coupons.get(coupon_id), language, fallback)

    def offer(self, offer_id: str, language: str, fallback: str = "") -> str:
        """A hint's offer: a promotion, or a coupon below its minimum spend."""
        if offer_id in self._promotions:
            return self.promotion(offer_id, language, fallback)
        return self.coupon(offer_id, language, fallback)


def offers_text(view: LoyaltyView, names: OfferNames, fmt: Localiser) -> OffersText:
    """The lines under the cart: coupons (applied, or why not), then promotions, member
    prices and points; past `MAX_LINES`, the rest in one line with what they save."""
    language = fmt.language
    rows: list[tuple[OfferLine, Money | None]] = [_coupon_line(v, names, fmt) for v in view.coupons]
    for d in view.discounts:
        if d.rule_id.startswith(COUPON_RULE_PREFIX):
            continue  # shown with its coupon
        if d.rule_id.startswith(POINTS_RULE_PREFIX):
            text = QCoreApplication.translate("Offers", "%1 points").replace(
                "%1", fmt.number(view.points_used)
            )
        else:
            text = names.promotion(d.rule_id, language, d.description)
        rows.append((OfferLine(text, "−" + fmt.money(d.amount), True), d.amount))
    if len(rows) > MAX_LINES:
        rest = rows[MAX_LINES - 1 :]
        total: Money | None = None
        for _line, m in rest:
            if m is not None:
                total = m if total is None else total + m
        more = QCoreApplication.translate("Offers", "%1 more offers").replace(
            "%1", fmt.number(len(rest))
        )
        rows = [
            *rows[: MAX_LINES - 1],
            (OfferLine(more, "−" + fmt.money(total) if total else "", True), total),
        ]
    hint = hint_text(view.hints[0], names, fmt) if view.hints else ""
    return OffersText(tuple(line for line, _m in rows), hint)


def _coupon_line(
    v: CouponVerdict, names: OfferNames, fmt: Localiser
) -> tuple[OfferLine, Money | None]:
    name = QCoreApplication.translate("Offers", "Coupon: %1").replace(
        "%1", names.coupon(v.coupon_id, fmt.language, v.coupon_id)
    )
    if v.accepted:
        saving = "−" + fmt.money(v.saving) if v.saving is not None else ""
        return OfferLine(name, saving, True, v.code), v.saving
    if v.reason is CouponRefusal.BELOW_MINIMUM_SPEND and v.need_amount is not None:
        why = QCoreApplication.translate("Offers", "spend %1 more to use it").replace(
            "%1", fmt.money(v.need_amount)
        )
    elif v.reason in _WAITING:
        why = _WAITING[v.reason]()
    else:
        why = reason_text(v.reason or Reason.ERROR, coupon=True)
    return OfferLine(f"{name} — {why}", "", False, v.code), None


def hint_text(hint: Hint, names: OfferNames, fmt: Localiser) -> str:
    """ "Add 1 more and save ¥2.00: Nongfu Spring 3 for 2", from the hint's fields."""
    name = names.offer(hint.rule_id, fmt.language, hint.name)
    saving = fmt.money(hint.saving)
    if hint.kind == "spend_more" and hint.need_amount is not None:
        text = QCoreApplication.translate("Offers", "Spend %1 more and save %2: %3").replace(
            "%1", fmt.money(hint.need_amount)
        )
    else:
        text = QCoreApplication.translate("Offers", "Add %1 more and save %2: %3").replace(
            "%1", fmt.number(hint.need_units)
        )
    return text.replace("%2", saving).replace("%3", name)


@dataclass(frozen=True, slots=True)
class MemberText:
    greeting: str
    tier: str
    points: str
    note: str


def member_text(member: MemberView, fmt: Localiser) -> MemberText:
    names = member.tier_name
    tier = names.get(fmt.language) or names.get("en") or member.tier
    note = (
        QCoreApplication.translate(
            "Offers", "Points as last known here: purchases elsewhere may not show yet."
        )
        if member.offline
        else ""
    )
    return MemberText(
        greeting=QCoreApplication.translate("Offers", "Hello, member %1").replace(
            "%1", member.masked_phone or member.member_code
        ),
        tier=tier,
        points=QCoreApplication.translate("Offers", "%1 points").replace(
            "%1", fmt.number(member.points)
        ),
        note=note,
    )
