"""A price query: price a basket described as JSON against a catalog and offers, without
a cart, sale sequence or ledger of its own (`kiosk price`, the console's pricing preview;
docs/pricing.md).

Staff use it to answer "what would this cost", marketing to check a campaign before it
starts (`at`). The same domain pricing the checkout runs: `Cart.add` for every item (so
refusals are the checkout's), `price_cart` with the offers engine as its rule. It lives in
the domain so that the central service, which may run no kiosk service, prices a preview
with exactly this code (`kiosk.services.price_query` reads the kiosk's own data for it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from kiosk.domain.cart import Cart
from kiosk.domain.catalog import Product
from kiosk.domain.codes import Gtin, parse_product_code
from kiosk.domain.coupons import CouponDefinition, CouponGrant, CouponSource
from kiosk.domain.errors import CatalogError, KioskError, Reason
from kiosk.domain.ledger import PointsRule
from kiosk.domain.members import TierPolicy
from kiosk.domain.offers import OfferEngine, OfferRule, OfferSession, PointsRequest
from kiosk.domain.policy import StorePolicy
from kiosk.domain.pricing import PricingContext, price_cart
from kiosk.domain.promotions import Promotion, parse_when

FORMAT_VERSION = 1


class PriceQueryError(KioskError):
    reason = Reason.PRICE_QUERY


@dataclass(frozen=True, slots=True)
class Offers:
    """What a query prices against: the catalog, the offers and the store's rules."""

    products: Mapping[Gtin, Product]
    promotions: tuple[Promotion, ...]
    coupons: tuple[CouponDefinition, ...]
    policy: StorePolicy
    tiers: TierPolicy


def price_query(request: Any, offers: Offers, now: datetime) -> dict[str, Any]:
    """Price the basket `request` (parsed JSON, docs/pricing.md) and answer as JSON."""
    if not isinstance(request, dict):
        raise PriceQueryError("the basket must be a JSON object")
    policy = offers.policy
    at = parse_when(request.get("at")) or now
    member = request.get("member") or {}
    if not isinstance(member, dict):
        raise PriceQueryError('"member" must be an object: {"id": ..., "tier": ...}')
    member_id = str(member["id"]) if member.get("id") else None
    tier = str(member["tier"]) if member.get("tier") else None
    if tier and not member_id:
        member_id = "price-query"
    cart, refused, wanted = _cart(request.get("items"), offers.products, policy, at)
    grants = tuple(
        CouponGrant(f"query:{cid}", cid, CouponSource.PRINTED, member_id)
        for cid in _strings(request.get("coupons"), "coupons")
    )
    points = request.get("points") or 0
    if type(points) is not int or points < 0:
        raise PriceQueryError('"points" must be a whole number of points to spend')
    session = OfferSession(
        member_id,
        tier,
        grants,
        points=PointsRequest(member_id, points) if member_id and points else None,
    )
    engine = OfferEngine(offers.promotions, offers.coupons)
    context = PricingContext(policy, at, member_id, tier, products=offers.products)
    priced = price_cart(cart, offers.products, context, [OfferRule(engine, session)])
    result = engine.evaluate(price_cart(cart, offers.products, context).lines, context, session)
    earned = (
        PointsRule().earned(
            priced.total - priced.deposit_total, offers.tiers.rule(tier).points_multiplier_bp
        )
        if member_id
        else 0
    )
    language = str(request.get("language") or "en")
    return {
        "version": FORMAT_VERSION,
        "at": at.isoformat(),
        "currency": priced.currency,
        "member": {"id": member_id, "tier": tier} if member_id else None,
        "lines": [
            {
                "line_no": line.line_no,
                "code": wanted[line.line_no],
                "gtin": line.gtin,
                "name": offers.products[line.gtin].name(language),
                "quantity": line.quantity,
                "weight_g": line.weight_g,
                "labelled": line.labelled,
                "unit_price": line.unit_price.minor,
                "gross": line.gross.minor,
                "own_discount": line.own_discount.minor,
                "shared_discount": line.shared.minor,
                "amount": line.amount.minor,
                "deposit": line.deposit.minor,
                "tax_class": line.tax_class,
            }
            for line in priced.lines
        ],
        "discounts": [
            {
                "rule_id": d.rule_id,
                "description": d.description,
                "amount": d.amount.minor,
                "line_nos": list(d.line_nos),
                "shared": d.shared,
            }
            for d in priced.discounts
        ],
        "taxes": [
            {
                "tax_class": t.tax_class,
                "rate_bp": t.rate_bp,
                "net": t.net.minor,
                "tax": t.tax.minor,
                "gross": t.gross.minor,
            }
            for t in priced.taxes
        ],
        "subtotal": priced.subtotal.minor,
        "discount_total": priced.discount_total.minor,
        "deposit_total": priced.deposit_total.minor,
        "tax_total": priced.tax_total.minor,
        "total": priced.total.minor,
        "item_count": priced.item_count,
        "points": {"earned": earned, "used": result.points_used},
        "coupons": [
            {
                "coupon_id": v.coupon_id,
                "accepted": v.accepted,
                "saving": v.saving.minor if v.saving else 0,
                "reason": v.reason,
                "message": v.message or None,
                "need_amount": v.need_amount.minor if v.need_amount else None,
            }
            for v in result.verdicts
        ],
        "hints": [
            {
                "rule_id": h.rule_id,
                "name": h.name,
                "kind": h.kind,
                "need_units": h.need_units,
                "need_amount": h.need_amount.minor if h.need_amount else None,
                "saving": h.saving.minor,
                "message": h.message,
            }
            for h in result.hints
        ],
        "refused": refused,
    }


def _strings(value: Any, field: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise PriceQueryError(f'"{field}" must be a list of strings')
    return value


def _cart(
    items: Any, products: Mapping[Gtin, Product], policy: StorePolicy, at: datetime
) -> tuple[Cart, list[dict[str, Any]], dict[int, str]]:
    """The cart the checkout would build from these scans; refusals listed, not raised."""
    if not isinstance(items, list):
        raise PriceQueryError('"items" must be a list of {"code": ..., "quantity": ...}')
    cart = Cart("price-query")
    refused: list[dict[str, Any]] = []
    wanted: dict[int, str] = {}
    today = at.astimezone(ZoneInfo(policy.timezone)).date()
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("code"), str):
            raise PriceQueryError('each item needs a "code" (the text a scanner reads)')
        text = item["code"]
        quantity = item.get("quantity", 1)
        weight = item.get("weight_g")
        if type(quantity) is not int or not 1 <= quantity <= 999:
            raise PriceQueryError(f"{text}: quantity must be a whole number 1..999")
        if weight is not None and (type(weight) is not int or not 1 <= weight <= 999_999):
            raise PriceQueryError(f"{text}: weight_g must be whole grams 1..999999")
        try:
            code = parse_product_code(text, rcn_rules=policy.rcn_rules)
            if weight is not None:
                code = replace(code, weight_g=weight)
            product = products.get(code.gtin)
            if product is None:
                raise CatalogError(
                    f"{code.gtin} is not in the catalog", reason=Reason.UNKNOWN_PRODUCT
                )
            for _ in range(quantity):
                cart, event = cart.add(product, code, today=today, policy=policy)
                wanted[event.line_no] = text
        except KioskError as exc:
            refused.append({"code": text, "reason": exc.reason, "message": exc.message})
    return cart, refused, wanted
