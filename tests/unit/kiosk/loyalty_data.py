"""Realistic goods and offers for the loyalty tests, after the demo catalog."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime

from kiosk.domain.basket import Scope
from kiosk.domain.cart import Cart
from kiosk.domain.catalog import Product, Unit
from kiosk.domain.codes import Gtin, ProductCode
from kiosk.domain.coupons import CouponDefinition, CouponKind
from kiosk.domain.money import Money
from kiosk.domain.offers import OfferEngine, OfferResult, OfferRule, OfferSession
from kiosk.domain.pricing import PricedCart, PricingContext, price_cart
from kiosk.domain.promotions import Promotion, PromotionKind
from kiosk.services.config import demo_policy
from tests.helpers import gtin13

NOW = datetime(2026, 11, 23, 10, tzinfo=UTC)
POLICY = demo_policy()


def product(
    n: int,
    name: str,
    brand: str,
    category: str,
    price: int,
    unit: Unit = Unit.EACH,
    tax_class: str = "standard",
) -> Product:
    gtin = gtin13(f"22{n:05d}00000") if unit is Unit.KG else gtin13(f"693{n:09d}")
    return Product(
        gtin=gtin,
        names={"en": name},
        brand=brand,
        category=category,
        tax_class=tax_class,
        price=Money(price, "CNY"),
        unit=unit,
    )


WATER = product(
    1, "Nongfu Spring water 550ml", "Nongfu Spring", "beverages", 200, tax_class="reduced"
)
JUICE = product(2, "Nongfu NFC orange juice 300ml", "Nongfu Spring", "beverages", 680)
MILK = product(3, "Yili pure milk 250ml", "Yili", "dairy", 350, tax_class="reduced")
YOGURT = product(4, "Yili Anmuxi yogurt 205g", "Yili", "dairy", 590)
CHIPS = product(5, "Lay's chips original 70g", "Lay's", "snacks", 750)
RICE = product(6, "Arawana rice 5kg", "Arawana", "rice_noodles", 3990, tax_class="reduced")
BANANA = product(7, "Bananas", "Daily Select", "produce", 698, Unit.KG, tax_class="reduced")
CATALOG = {p.gtin: p for p in (WATER, JUICE, MILK, YOGURT, CHIPS, RICE, BANANA)}


def promo(pid: str, kind: PromotionKind, **kw: object) -> Promotion:
    return Promotion(pid, kw.pop("name", pid), kind, "CNY", **kw)  # type: ignore[arg-type]


def scope(
    *, gtins: Iterable[str] = (), brands: Iterable[str] = (), cats: Iterable[str] = ()
) -> Scope:
    return Scope(frozenset(gtins), frozenset(brands), frozenset(cats))


NONGFU_3FOR2 = promo(
    "nongfu-3for2",
    PromotionKind.MULTI_BUY,
    name="Nongfu Spring 3 for 2",
    scope=scope(brands=["Nongfu Spring"]),
    buy=2,
    get=1,
    percent_bp=10_000,
)
MILK_3_FOR_9 = promo(
    "milk-3-for-9",
    PromotionKind.N_FOR_PRICE,
    name="Yili milk 3 for ¥9",
    scope=scope(gtins=[MILK.gtin]),
    buy=3,
    amount=900,
)
SNACKS_20 = promo(
    "snacks-20",
    PromotionKind.PERCENT_OFF,
    name="Snacks 20% off",
    scope=scope(cats=["snacks"]),
    percent_bp=2000,
)
MANJIAN = promo(
    "manjian-100-10",
    PromotionKind.BASKET,
    name="Every ¥100 spent: ¥10 off",
    threshold=10_000,
    amount=1000,
    repeat=True,
)
RICE_ROYAL = promo(
    "rice-royal",
    PromotionKind.TIER_PRICE,
    name="Royal price: Arawana rice",
    scope=scope(gtins=[RICE.gtin]),
    tiers=frozenset({"royal"}),
    amount=3590,
)
YOGURT_1_OFF = promo(
    "yogurt-1-off",
    PromotionKind.AMOUNT_OFF,
    name="¥1 off yogurt",
    scope=scope(gtins=[YOGURT.gtin]),
    amount=100,
    stackable=True,
)
DAIRY_10 = promo(
    "dairy-10",
    PromotionKind.PERCENT_OFF,
    name="Dairy 10% off",
    scope=scope(cats=["dairy"]),
    percent_bp=1000,
)

YILI_5_OFF_20 = CouponDefinition(
    "yili-5-off-20",
    "¥5 off Yili from ¥20",
    CouponKind.BRAND,
    "CNY",
    scope=scope(brands=["Yili"]),
    amount=500,
    min_spend=2000,
)
BASKET_10_OFF_100 = CouponDefinition(
    "basket-10-off-100",
    "¥10 off from ¥100",
    CouponKind.BASKET,
    "CNY",
    amount=1000,
    min_spend=10_000,
)
JUICE_HALF_ROYAL = CouponDefinition(
    "juice-half-royal",
    "Half price juice (royal)",
    CouponKind.ITEM,
    "CNY",
    scope=scope(gtins=[JUICE.gtin]),
    percent_bp=5000,
    tiers=frozenset({"royal"}),
)
CHIPS_2_OFF = CouponDefinition(
    "chips-2-off",
    "¥2 off Lay's",
    CouponKind.BRAND,
    "CNY",
    scope=scope(brands=["Lay's"]),
    amount=200,
    stackable=True,
)
EXPIRED = CouponDefinition(
    "summer-5",
    "Summer ¥5",
    CouponKind.BASKET,
    "CNY",
    amount=500,
    ends_at=datetime(2026, 9, 1, tzinfo=UTC),
)
PROMOTIONS = (NONGFU_3FOR2, MILK_3_FOR_9, SNACKS_20, MANJIAN, RICE_ROYAL, YOGURT_1_OFF, DAIRY_10)
COUPONS = (YILI_5_OFF_20, BASKET_10_OFF_100, JUICE_HALF_ROYAL, CHIPS_2_OFF, EXPIRED)


def cart_of(items: Sequence[tuple[Product, int]], *, weights: Sequence[int] = ()) -> Cart:
    """Scan `qty` of each product, in order; weighed items from `weights` (grams)."""
    cart = Cart("c")
    for prod, qty in items:
        for _ in range(qty):
            cart, _ = cart.add(
                prod, ProductCode(prod.gtin, prod.gtin), today=date(2026, 11, 23), policy=POLICY
            )
    for grams in weights:
        code = ProductCode(BANANA.gtin, BANANA.gtin, weight_g=grams)
        cart, _ = cart.add(BANANA, code, today=date(2026, 11, 23), policy=POLICY)
    return cart


def price_with(
    cart: Cart,
    promotions: Iterable[Promotion],
    coupons: Iterable[CouponDefinition] = COUPONS,
    session: OfferSession | None = None,
    now: datetime = NOW,
) -> tuple[PricedCart, OfferResult]:
    engine = OfferEngine(promotions, coupons)
    session = session or OfferSession()
    context = PricingContext(POLICY, now, session.member_id, session.tier, products=CATALOG)
    priced = price_cart(cart, CATALOG, context, [OfferRule(engine, session)])
    base = price_cart(cart, CATALOG, context)
    result = engine.evaluate(base.lines, context, session)
    return priced, result


def gtin_of(p: Product) -> Gtin:
    return p.gtin
