"""The offers engine on realistic baskets (hand-checked) and its properties (hypothesis)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.domain.cart import Cart
from kiosk.domain.catalog import Product
from kiosk.domain.codes import ProductCode
from kiosk.domain.coupons import CouponDefinition, CouponGrant, CouponKind, CouponSource
from kiosk.domain.loyalty_errors import OfferError
from kiosk.domain.money import Money
from kiosk.domain.offers import OfferEngine, OfferRule, OfferSession
from kiosk.domain.pricing import PricingContext, price_cart
from kiosk.domain.promotions import (
    YEARS,
    Promotion,
    PromotionKind,
    parse_when,
    promotion_from_csv,
    promotion_from_wire,
    promotion_to_wire,
)
from tests.unit.kiosk.loyalty_data import (
    BANANA,
    CHIPS,
    CHIPS_2_OFF,
    JUICE,
    MANJIAN,
    MILK,
    MILK_3_FOR_9,
    NONGFU_3FOR2,
    NOW,
    POLICY,
    PROMOTIONS,
    RICE,
    RICE_ROYAL,
    SNACKS_20,
    WATER,
    YOGURT,
    YOGURT_1_OFF,
    cart_of,
    price_with,
    promo,
    scope,
)

ALL = PROMOTIONS


# ------------------------------------------------------------------ hand-checked baskets
# (basket, member tier, total in fen, discounts by rule id) — worked out on paper:
TABLE = [
    # 3 waters at ¥2.00, 3 for 2: one free → ¥4.00
    ([(WATER, 3)], None, 400, {"nongfu-3for2": 200}),
    # 2 waters + juice ¥6.80: one group of 3, the cheapest (a water) free → ¥8.80
    ([(WATER, 2), (JUICE, 1)], None, 880, {"nongfu-3for2": 200}),
    # 4 waters + juice: one full group (6.80, 2, 2), water free; 2 waters left → ¥12.80
    ([(WATER, 4), (JUICE, 1)], None, 1280, {"nongfu-3for2": 200}),
    # 6 waters: two groups, two free → ¥8.00
    ([(WATER, 6)], None, 800, {"nongfu-3for2": 400}),
    # 4 milks ¥3.50: 3 for ¥9 saves ¥1.50; the 4th milk gets dairy 10 % (35 fen) → ¥12.15
    ([(MILK, 4)], None, 1215, {"milk-3-for-9": 150, "dairy-10": 35}),
    # 2 chips ¥7.50: 20 % off snacks → ¥12.00
    ([(CHIPS, 2)], None, 1200, {"snacks-20": 300}),
    # 3 rice ¥39.90, no member: ¥119.70, 满100减10 → ¥109.70
    ([(RICE, 3)], None, 10970, {"manjian-100-10": 1000}),
    # royal member: rice at ¥35.90 → ¥107.70, still ≥ ¥100 → ¥97.70
    ([(RICE, 3)], "royal", 9770, {"rice-royal": 1200, "manjian-100-10": 1000}),
    # general member: no member price
    ([(RICE, 3)], "general", 10970, {"manjian-100-10": 1000}),
    # 2 yogurts ¥5.90: dairy 10 % (118), then the stackable ¥1 off each (200) → ¥8.62
    ([(YOGURT, 2)], None, 862, {"dairy-10": 118, "yogurt-1-off": 200}),
    # 6 rice + 2 chips: 239.40 + 12.00 (after 20 %) = 251.40 → two ¥10 off → ¥231.40
    ([(RICE, 6), (CHIPS, 2)], None, 23140, {"manjian-100-10": 2000, "snacks-20": 300}),
]


@pytest.mark.parametrize(("items", "tier", "total", "discounts"), TABLE)
def test_hand_checked_baskets(
    items: list[tuple[Product, int]], tier: str | None, total: int, discounts: dict[str, int]
) -> None:
    session = OfferSession("m-1" if tier else None, tier)
    priced, _ = price_with(cart_of(items), ALL, session=session)
    assert priced.total.minor == total
    got: dict[str, int] = {}
    for d in priced.discounts:
        got[d.rule_id] = got.get(d.rule_id, 0) + d.amount.minor
    assert got == discounts
    assert priced.subtotal.minor - priced.discount_total.minor == total


def test_bananas_by_weight_get_the_member_price_per_kg() -> None:
    per_kg = promo(
        "banana-royal",
        PromotionKind.TIER_PRICE,
        scope=scope(gtins=[BANANA.gtin]),
        tiers=frozenset({"royal"}),
        amount=598,
    )
    priced, _ = price_with(
        cart_of([], weights=[1500]), [per_kg], session=OfferSession("m", "royal")
    )
    # 1.5 kg × ¥6.98 = ¥10.47; member 1.5 kg × ¥5.98 = ¥8.97
    assert priced.subtotal.minor == 1047
    assert priced.total.minor == 897


BANANA_ROYAL = promo(
    "banana-royal",
    PromotionKind.TIER_PRICE,
    scope=scope(gtins=[BANANA.gtin]),
    tiers=frozenset({"royal"}),
    amount=598,
)


def test_a_member_price_per_kg_is_rounded_once_from_the_weight() -> None:
    # 1.235 kg: shelf 6.98 × 1.235 = 8.6203 → 8.62; member 5.98 × 1.235 = 7.3853 → 7.39.
    # Scaling the rounded shelf gross (862 × 598 // 698) gave 7.38 (issue #12.9).
    priced, _ = price_with(
        cart_of([], weights=[1235]), [BANANA_ROYAL], session=OfferSession("m", "royal")
    )
    assert priced.subtotal.minor == 862
    assert priced.total.minor == 739


@given(st.integers(min_value=1, max_value=50_000), st.integers(min_value=1, max_value=698))
def test_weighed_member_price_is_per_kg_times_weight_half_up(grams: int, per_kg: int) -> None:
    member = promo(
        "banana-m",
        PromotionKind.TIER_PRICE,
        scope=scope(gtins=[BANANA.gtin]),
        tiers=frozenset({"royal"}),
        amount=per_kg,
    )
    priced, _ = price_with(
        cart_of([], weights=[grams]), [member], session=OfferSession("m", "royal")
    )
    assert priced.total.minor == min((2 * per_kg * grams + 1000) // 2000, priced.subtotal.minor)


def test_a_price_label_is_paid_as_printed_even_with_a_member_price() -> None:
    # A deli label printed at ¥25.80 for a per-kg product whose member price is half the
    # shelf price was charged ¥12.90 (issue #12.9): the label's amount is the price.
    deli = replace(BANANA, price=Money(4000, "CNY"))
    half = promo(
        "deli-royal",
        PromotionKind.TIER_PRICE,
        scope=scope(gtins=[BANANA.gtin]),
        tiers=frozenset({"royal"}),
        amount=2000,
    )
    cart = Cart("c")
    for code in (
        ProductCode(BANANA.gtin, "label", weight_g=645, price_minor=2580, price_decimals=2),
        ProductCode(BANANA.gtin, "label-no-weight", price_minor=2580, price_decimals=2),
    ):
        cart, _ = cart.add(deli, code, today=date(2026, 11, 23), policy=POLICY)
    engine = OfferEngine([half])
    session = OfferSession("m", "royal")
    context = PricingContext(POLICY, NOW, "m", "royal", products={deli.gtin: deli})
    priced = price_cart(cart, {deli.gtin: deli}, context, [OfferRule(engine, session)])
    assert [line.amount.minor for line in priced.lines] == [2580, 2580]
    assert priced.discounts == ()
    # The same product weighed at the kiosk does get the member price per kg.
    weighed, _ = cart.add(
        deli, ProductCode(BANANA.gtin, "w", weight_g=645), today=date(2026, 11, 23), policy=POLICY
    )
    priced = price_cart(weighed, {deli.gtin: deli}, context, [OfferRule(engine, session)])
    assert [line.amount.minor for line in priced.lines] == [2580, 2580, 1290]


def test_priority_is_the_stores_order_even_when_a_later_promotion_saves_more() -> None:
    half_second = promo(
        "chips-2nd-half",
        PromotionKind.MULTI_BUY,
        scope=scope(gtins=[CHIPS.gtin]),
        buy=1,
        get=1,
        percent_bp=5000,
        priority=200,
    )
    priced, _ = price_with(cart_of([(CHIPS, 2)]), [SNACKS_20, half_second])
    assert [d.rule_id for d in priced.discounts] == ["snacks-20"]
    assert priced.total.minor == 1200
    # Same priority: the better one for the shopper wins (second at half price: ¥3.75).
    same = promotion_from_wire({**promotion_to_wire(half_second), "priority": 100})
    priced, _ = price_with(cart_of([(CHIPS, 2)]), [SNACKS_20, same])
    assert [d.rule_id for d in priced.discounts] == ["chips-2nd-half"]
    assert priced.total.minor == 1125


def test_seasonal_window() -> None:
    spring = promo(
        "spring-festival",
        PromotionKind.PERCENT_OFF,
        scope=scope(cats=["beverages"]),
        percent_bp=1500,
        starts_at=datetime(2027, 1, 20, tzinfo=UTC),
        ends_at=datetime(2027, 2, 5, tzinfo=UTC),
    )
    cart = cart_of([(JUICE, 1)])
    before, _ = price_with(cart, [spring])
    during, _ = price_with(cart, [spring], now=datetime(2027, 1, 25, tzinfo=UTC))
    after, _ = price_with(cart, [spring], now=datetime(2027, 2, 5, tzinfo=UTC))
    assert (before.total.minor, during.total.minor, after.total.minor) == (680, 578, 680)


def test_buy_x_get_y_with_a_different_reward() -> None:
    juice_free = promo(
        "water-juice",
        PromotionKind.BUY_X_GET_Y,
        scope=scope(gtins=[WATER.gtin]),
        reward_scope=scope(gtins=[JUICE.gtin]),
        buy=3,
        get=1,
        percent_bp=10_000,
    )
    priced, _ = price_with(cart_of([(WATER, 5), (JUICE, 2)]), [juice_free])
    assert priced.total.minor == 1000 + 1360 - 680  # one group: 3 waters, a free juice
    priced, _ = price_with(cart_of([(WATER, 6), (JUICE, 2)]), [juice_free])
    assert priced.total.minor == 1200 + 1360 - 1360


def test_next_best_offer_hints() -> None:
    _, result = price_with(cart_of([(WATER, 2)]), ALL)
    top = result.hints[0]
    assert (top.rule_id, top.kind, top.need_units, top.saving.minor) == (
        "nongfu-3for2",
        "add_items",
        1,
        200,
    )
    _, result = price_with(cart_of([(RICE, 2)]), ALL)  # ¥79.80: ¥20.20 short of ¥10 off
    spend = next(h for h in result.hints if h.rule_id == "manjian-100-10")
    assert spend.need_amount is not None
    assert (spend.kind, spend.need_amount.minor, spend.saving.minor) == ("spend_more", 2020, 1000)
    _, result = price_with(cart_of([(WATER, 3)]), ALL)
    assert all(h.rule_id != "nongfu-3for2" for h in result.hints)


def _basket_hint(items: list[tuple[Product, int]], basket: Promotion) -> int | None:
    _, result = price_with(cart_of(items), [basket])
    hint = next((h for h in result.hints if h.rule_id == basket.promotion_id), None)
    if hint is None:
        return None
    assert hint.need_amount is not None
    return hint.need_amount.minor


def test_threshold_hints_count_the_spend_the_rule_counts() -> None:
    # Issue #12.11: hints were computed from what was left after the discount itself.
    every_50 = promo("every-50", PromotionKind.BASKET, threshold=5000, amount=500, repeat=True)
    # ¥79.80 earns ¥5 once; the next ¥5 is at ¥100.00, ¥20.20 away (not ¥25.20).
    assert _basket_hint([(RICE, 2)], every_50) == 2020
    # At exactly the threshold the next step is a whole threshold away: too far to hint
    # (it used to say "spend ¥5.00 more").
    at_exactly = promo("every-7980", PromotionKind.BASKET, threshold=7980, amount=500, repeat=True)
    assert _basket_hint([(RICE, 2)], at_exactly) is None


def test_no_hint_for_a_non_repeating_discount_already_granted() -> None:
    once = promo("once-79", PromotionKind.BASKET, threshold=7900, amount=1000)
    priced, _ = price_with(cart_of([(RICE, 2)]), [once])
    assert priced.discount_total.minor == 1000  # granted: ¥79.80 ≥ ¥79.00
    assert _basket_hint([(RICE, 2)], once) is None  # used to say "spend ¥9.20 more"
    assert _basket_hint([(RICE, 1), (JUICE, 5)], once) == 7900 - 3990 - 5 * 680


@given(st.integers(min_value=1, max_value=12), st.integers(min_value=1000, max_value=9000))
def test_a_repeating_threshold_hint_reaches_the_next_step_exactly(
    rice: int, threshold: int
) -> None:
    every = promo("every", PromotionKind.BASKET, threshold=threshold, amount=100, repeat=True)
    need = _basket_hint([(RICE, rice)], every)
    spend = rice * RICE.price.minor
    if need is not None:
        assert (spend + need) % threshold == 0
        assert 0 < need <= threshold // 2


def test_percent_off_rounds_once_on_the_units_it_covers() -> None:
    # 3 items at ¥0.05, 10 % off: per unit 0.5 fen → 1 fen each (3 fen) if rounded per unit;
    # once on the total of the units, 1.5 fen → 2 fen (half up). The engine rounds once.
    dime = replace(WATER, price=Money(5, "CNY"))
    ten = promo("ten", PromotionKind.PERCENT_OFF, scope=scope(gtins=[WATER.gtin]), percent_bp=1000)
    cart = cart_of([(dime, 3)])
    engine = OfferEngine([ten])
    products = {dime.gtin: dime}
    context = PricingContext(POLICY, NOW, products=products)
    priced = price_cart(cart, products, context, [OfferRule(engine, OfferSession())])
    assert [(d.rule_id, d.amount.minor) for d in priced.discounts] == [("ten", 2)]


def test_an_item_coupon_takes_only_paid_units_not_a_multi_buys_free_one() -> None:
    # 2 juices ¥6.80 + 1 water ¥2.00 = ¥15.60; 3 for 2 makes the water free (¥13.60). A ¥1
    # off water coupon has no paid water to apply to: ¥13.60, not ¥12.60.
    water_1 = CouponDefinition(
        "water-1",
        "¥1 off water",
        CouponKind.ITEM,
        "CNY",
        scope=scope(gtins=[WATER.gtin]),
        amount=100,
    )
    grant = CouponGrant("CPN-W", "water-1", CouponSource.PRINTED)
    priced, _ = price_with(
        cart_of([(WATER, 1), (JUICE, 2)]),
        [NONGFU_3FOR2],
        coupons=[water_1],
        session=OfferSession(grants=(grant,)),
    )
    assert priced.subtotal.minor == 1560
    assert priced.total.minor == 1360


def test_definitions_are_validated() -> None:
    with pytest.raises(OfferError):
        promo("x", PromotionKind.MULTI_BUY, scope=scope(brands=["Yili"]), buy=2)
    with pytest.raises(OfferError):
        promo("x", PromotionKind.PERCENT_OFF, percent_bp=1000)  # no scope
    with pytest.raises(OfferError):
        promo("x", PromotionKind.PERCENT_OFF, scope=scope(brands=["Y"]), percent_bp=20_000)
    # A member price typed blank was read as 0 and gave the goods away to members.
    with pytest.raises(OfferError, match="missing its terms"):
        replace(BANANA_ROYAL, amount=0)


def test_wire_and_csv_round_trip() -> None:
    for p in ALL:
        assert promotion_from_wire(promotion_to_wire(p)) == p
    row = {
        "promotion_id": "cny-2027",
        "name": "Spring Festival: Yili 3 for 2",
        "kind": "multi_buy",
        "currency": "CNY",
        "brands": "Yili|Mengniu",
        "buy": "2",
        "get": "1",
        "percent": "100",
        "starts_at": "2027-01-20",
        "ends_at": "2027-02-04",
        "campaign_id": "spring-2027",
        "name_zh_CN": "春节：伊利买3付2",
        "name_ko": " ",  # blank: the shopper gets `name`
    }
    p = promotion_from_csv(row)
    assert p.names == {"zh_CN": "春节：伊利买3付2"}
    assert promotion_from_wire(promotion_to_wire(p)).names == p.names
    assert p.scope.brands == frozenset({"Yili", "Mengniu"})
    assert p.percent_bp == 10_000
    assert p.ends_at == datetime(2027, 2, 5, tzinfo=UTC)  # the end date is included
    with pytest.raises(OfferError):
        promotion_from_csv({**row, "percent": "abc"})


# ------------------------------------------------------------------ properties
GOODS = (WATER, JUICE, MILK, YOGURT, CHIPS, RICE)
COUPON_GRANTS = (
    CouponGrant("P-1", "chips-2-off", CouponSource.PRINTED),
    CouponGrant("P-2", "basket-10-off-100", CouponSource.PRINTED),
    CouponGrant("P-3", "yili-5-off-20", CouponSource.PRINTED),
)
scans = st.lists(st.sampled_from(GOODS), min_size=0, max_size=14)
weights = st.lists(st.integers(50, 3000), max_size=2)
promo_sets = st.lists(st.sampled_from(ALL), unique=True)
sessions = st.builds(
    OfferSession,
    member_id=st.just("m-1"),
    tier=st.sampled_from([None, "general", "royal"]),
    grants=st.lists(st.sampled_from(COUPON_GRANTS), unique=True).map(tuple),
)


def _items(seq: list[Product]) -> list[tuple[Product, int]]:
    return [(p, 1) for p in seq]


def _summary(priced: object) -> tuple[object, ...]:
    from kiosk.domain.pricing import PricedCart

    assert isinstance(priced, PricedCart)
    by_gtin: dict[str, tuple[int, int]] = {}
    for line in priced.lines:
        gross, disc = by_gtin.get(line.gtin, (0, 0))
        by_gtin[line.gtin] = (gross + line.gross.minor, disc + line.discount.minor)
    return (
        priced.total,
        priced.discount_total,
        sorted((d.rule_id, d.amount.minor) for d in priced.discounts),
        sorted(by_gtin.items()),
    )


@settings(max_examples=150, deadline=None)
@given(scans, weights, promo_sets, sessions)
def test_totals_are_never_negative_and_discounts_never_exceed_their_lines(
    seq: list[Product], grams: list[int], promos: list[Promotion], session: OfferSession
) -> None:
    priced, result = price_with(cart_of(_items(seq), weights=grams), promos, session=session)
    assert priced.total.minor >= 0
    for line in priced.lines:
        assert 0 <= line.discount.minor <= line.gross.minor
    assert sum(d.amount.minor for d in priced.discounts) == priced.discount_total.minor
    by_line = {line.line_no: line for line in priced.lines}
    for d in priced.discounts:
        assert d.amount.minor <= sum(by_line[n].gross.minor for n in d.line_nos)
    # The engine's own book-keeping agrees with the pricing core. A free-unit offer lands
    # one part per reward line, listed in the order the lines were given: the core gives
    # them in its pricing order, `price_with`'s engine run by line number.
    assert sorted(
        (d.rule_id, sorted(d.line_nos), d.amount, d.shared) for d in result.discounts
    ) == sorted((d.rule_id, sorted(d.line_nos), d.amount, d.shared) for d in priced.discounts)
    # Member prices and item promotions are the lines' own; basket promotions, coupons and
    # points belong to the basket as a whole (shown once, not in every line's price).
    kinds = {p.promotion_id: p.kind for p in ALL}
    for d in priced.discounts:
        assert d.shared == (kinds.get(d.rule_id, PromotionKind.BASKET) is PromotionKind.BASKET)


@settings(max_examples=150, deadline=None)
@given(scans, weights, promo_sets, sessions, st.randoms(use_true_random=False))
def test_scan_order_does_not_change_the_result(
    seq: list[Product],
    grams: list[int],
    promos: list[Promotion],
    session: OfferSession,
    rnd: object,
) -> None:
    import random

    assert isinstance(rnd, random.Random)
    shuffled = list(seq)
    rnd.shuffle(shuffled)
    a, _ = price_with(cart_of(_items(seq), weights=grams), promos, session=session)
    b, _ = price_with(cart_of(_items(shuffled), weights=grams[::-1]), promos, session=session)
    assert _summary(a) == _summary(b)
    c, _ = price_with(cart_of(_items(seq), weights=grams), list(reversed(promos)), session=session)
    assert _summary(a) == _summary(c)  # deterministic, whatever order the rules come in


# Promotions that do not compete for the same goods at the same priority (what a store's
# promotion plan should look like; see docs/loyalty.md on overlapping promotions).
DISJOINT = (NONGFU_3FOR2, MILK_3_FOR_9, SNACKS_20, MANJIAN, RICE_ROYAL, YOGURT_1_OFF)


@settings(max_examples=200, deadline=None)
@given(
    scans,
    st.lists(st.sampled_from(DISJOINT), unique=True),
    st.sampled_from(GOODS),
    st.sampled_from([None, "royal"]),
    st.booleans(),
)
def test_adding_an_item_never_costs_more_than_its_price(
    seq: list[Product],
    promos: list[Promotion],
    extra: Product,
    tier: str | None,
    with_coupons: bool,
) -> None:
    grants = (COUPON_GRANTS[0], COUPON_GRANTS[1]) if with_coupons else ()
    session = OfferSession("m-1", tier, grants=grants)
    before, _ = price_with(cart_of(_items(seq)), promos, (CHIPS_2_OFF, *_basket()), session)
    after, _ = price_with(
        cart_of(_items([*seq, extra])), promos, (CHIPS_2_OFF, *_basket()), session
    )
    assert after.total.minor <= before.total.minor + extra.price.minor


def _basket() -> tuple[object, ...]:
    from tests.unit.kiosk.loyalty_data import BASKET_10_OFF_100

    return (BASKET_10_OFF_100,)


@given(st.dates())
def test_an_offers_time_is_refused_outside_its_years_and_never_overflows(day: date) -> None:
    """A typed 0001-01-01 or 9999-12-31 was accepted, and took the chain's reports down
    (their date arithmetic ran off the calendar); now it is refused with words."""
    text = day.isoformat()
    if YEARS[0] <= day.year <= YEARS[1]:
        start, end = parse_when(text), parse_when(text, end=True)
        assert start is not None
        assert end is not None
        assert (end - start).days == 1
    else:
        for end in (False, True):
            with pytest.raises(OfferError, match="between the years"):
                parse_when(text, end=end)
            with pytest.raises(OfferError, match="between the years"):
                parse_when(f"{text}T12:00:00+08:00", end=end)
            with pytest.raises(OfferError, match="between the years"):
                parse_when(f"{day.year:04}{day.month:02}{day.day:02}", end=end)


CST = timezone(timedelta(hours=8))


@given(st.dates(date(YEARS[0], 1, 1), date(YEARS[1], 12, 31)), st.booleans())
def test_a_compact_date_is_the_same_day_as_the_extended_one(day: date, end: bool) -> None:
    """`fromisoformat` reads 20261224 as a moment (the start of the 24th): an offer ending
    on it stopped a day early. Both forms of a date are that whole day."""
    extended, compact = day.isoformat(), f"{day.year:04}{day.month:02}{day.day:02}"
    assert parse_when(compact, end=end) == parse_when(extended, end=end)
    assert parse_when(compact, CST, end=end) == parse_when(extended, CST, end=end)
    midnight = datetime.combine(day, time(0), tzinfo=CST)
    assert parse_when(compact, CST) == midnight
    assert parse_when(compact, CST, end=True) == midnight + timedelta(days=1)


@given(st.dates(date(YEARS[0], 1, 1), date(YEARS[1], 12, 31)), st.booleans())
def test_a_week_date_alone_is_refused(day: date, end: bool) -> None:
    """2026-W52 as an end could mean the week or its Monday: refused, not guessed."""
    year, week, weekday = day.isocalendar()
    for text in (
        f"{year}-W{week:02}-{weekday}",
        f"{year}W{week:02}{weekday}",
        f"{year}-W{week:02}",
    ):
        with pytest.raises(OfferError, match="not a date or an ISO time"):
            parse_when(text, end=end)
