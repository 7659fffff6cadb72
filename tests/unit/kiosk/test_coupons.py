"""Coupons: every refusal says why; one non-stackable coupon per sale; printed codes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kiosk.domain.coupons import (
    CouponGrant,
    CouponKind,
    CouponRefusal,
    CouponSource,
    CouponUsage,
    coupon_from_csv,
    coupon_from_wire,
    coupon_to_wire,
    parse_printed_code,
    printed_code,
)
from kiosk.domain.loyalty_errors import CouponRejected, OfferError
from kiosk.domain.offers import OfferSession
from tests.unit.kiosk.loyalty_data import (
    CHIPS,
    COUPONS,
    JUICE,
    MILK,
    NONGFU_3FOR2,
    RICE,
    WATER,
    YOGURT,
    cart_of,
    price_with,
)

KEY = b"k" * 32


def grant(code: str, coupon_id: str, member: str | None = None) -> CouponGrant:
    source = CouponSource.WALLET if member else CouponSource.PRINTED
    return CouponGrant(code, coupon_id, source, member)


def verdict(items, coupons, *, member="m-1", tier="general", usage=None, online=True):  # type: ignore[no-untyped-def]
    session = OfferSession(member, tier, tuple(coupons), usage or CouponUsage(), online)
    priced, result = price_with(cart_of(items), [NONGFU_3FOR2], session=session)
    return priced, {v.code: v for v in result.verdicts}


@pytest.mark.parametrize(
    ("items", "coupon", "kw", "reason"),
    [
        ([(CHIPS, 1)], grant("A", "yili-5-off-20"), {}, "no_qualifying_items"),  # wrong brand
        ([(YOGURT, 2)], grant("A", "yili-5-off-20"), {}, "below_minimum_spend"),
        ([(RICE, 1)], grant("A", "summer-5"), {}, "expired"),
        ([(JUICE, 1)], grant("A", "juice-half-royal"), {}, "tier_only"),
        (
            [(JUICE, 1)],
            grant("A", "juice-half-royal"),
            {"member": None, "tier": None},
            "member_only",
        ),
        (
            [(RICE, 3)],
            grant("A", "basket-10-off-100"),
            {"usage": CouponUsage(frozenset({"A"}))},
            "already_used",
        ),
        ([(RICE, 1)], grant("A", "nope"), {}, "unknown_coupon"),
        ([(RICE, 1)], grant("W", "basket-10-off-100", member="m-2"), {}, "other_member"),
    ],
)
def test_a_refused_coupon_says_why(items, coupon, kw, reason) -> None:  # type: ignore[no-untyped-def]
    priced, verdicts = verdict(items, [coupon], **kw)
    assert verdicts[coupon.code].accepted is False
    assert verdicts[coupon.code].reason == reason
    assert verdicts[coupon.code].message
    assert not any(d.rule_id.startswith("coupon:") for d in priced.discounts)


def test_below_minimum_spend_says_how_much_more() -> None:
    _, verdicts = verdict([(YOGURT, 2)], [grant("A", "yili-5-off-20")])
    need = verdicts["A"].need_amount
    assert need is not None
    assert need.minor == 2000 - 1180


def test_accepted_coupons_name_themselves_on_the_receipt() -> None:
    priced, verdicts = verdict(
        [(YOGURT, 4)], [grant("A", "yili-5-off-20"), grant("B", "chips-2-off")]
    )
    assert verdicts["A"].accepted
    assert verdicts["A"].saving is not None
    assert verdicts["A"].saving.minor == 500
    assert verdicts["B"].reason == "no_qualifying_items"
    assert "coupon:yili-5-off-20:A" in [d.rule_id for d in priced.discounts]
    assert priced.total.minor == 4 * 590 - 500


def test_only_the_best_non_stackable_coupon_applies() -> None:
    # ¥100+ basket: ¥10 off beats ¥5 off Yili; both are non-stackable.
    priced, verdicts = verdict(
        [(RICE, 2), (YOGURT, 4)],
        [grant("A", "yili-5-off-20"), grant("B", "basket-10-off-100")],
    )
    assert verdicts["B"].accepted
    assert verdicts["A"].reason == "not_combinable"
    assert priced.total.minor == 2 * 3990 + 4 * 590 - 1000


def test_stackable_coupons_combine() -> None:
    priced, verdicts = verdict(
        [(RICE, 3), (CHIPS, 1)], [grant("A", "basket-10-off-100"), grant("B", "chips-2-off")]
    )
    assert verdicts["A"].accepted
    assert verdicts["B"].accepted
    assert priced.total.minor == 3 * 3990 + 750 - 1000 - 200


def test_per_member_limit_counts_earlier_and_this_sale() -> None:
    from dataclasses import replace

    from tests.unit.kiosk.loyalty_data import CHIPS_2_OFF

    limited = replace(CHIPS_2_OFF, per_member_limit=1)
    session = OfferSession("m-1", "general", (grant("A", "chips-2-off"), grant("B", "chips-2-off")))
    _, result = price_with(cart_of([(CHIPS, 2)]), [], (limited,), session)
    reasons = {v.code: v.reason for v in result.verdicts}
    assert reasons == {"A": None, "B": CouponRefusal.LIMIT_REACHED}
    session = replace(session, usage=CouponUsage(member_uses={"chips-2-off": 1}))
    _, result = price_with(cart_of([(CHIPS, 2)]), [], (limited,), session)
    assert {v.reason for v in result.verdicts} == {"limit_reached"}


def test_offline_only_coupons_marked_offline_ok() -> None:
    from dataclasses import replace

    from tests.unit.kiosk.loyalty_data import BASKET_10_OFF_100

    online_only = replace(BASKET_10_OFF_100, offline_ok=False)
    session = OfferSession("m-1", None, (grant("A", online_only.coupon_id),), online=False)
    _, result = price_with(cart_of([(RICE, 3)]), [], (online_only,), session)
    assert result.verdicts[0].reason == "not_offline"


def test_coupon_order_does_not_matter() -> None:
    coupons = [
        grant("A", "yili-5-off-20"),
        grant("B", "basket-10-off-100"),
        grant("C", "chips-2-off"),
    ]
    items = [(RICE, 2), (YOGURT, 4), (CHIPS, 1), (WATER, 3), (MILK, 1)]
    a, _ = verdict(items, coupons)
    b, _ = verdict(items, coupons[::-1])
    assert a == b


def test_printed_codes_are_signed() -> None:
    code = printed_code(KEY, "basket-10-off-100", "000123")
    assert code.startswith("CPN:1.")
    parsed = parse_printed_code(KEY, code)
    assert (parsed.coupon_id, parsed.code, parsed.source) == (
        "basket-10-off-100",
        code,
        CouponSource.PRINTED,
    )
    forged = code.replace("000123", "000124")
    with pytest.raises(CouponRejected) as info:
        parse_printed_code(KEY, forged)
    assert info.value.reason == "bad_signature"
    with pytest.raises(CouponRejected):
        parse_printed_code(b"other-key", code)


def test_wire_and_csv() -> None:
    for c in COUPONS:
        assert coupon_from_wire(coupon_to_wire(c)) == c
    c = coupon_from_csv(
        {
            "coupon_id": "mengniu-8",
            "name": "¥8 off Mengniu from ¥40",
            "kind": "brand",
            "brands": "Mengniu",
            "amount": "8.00",
            "min_spend": "40",
            "ends_at": "2026-12-31",
            "per_member_limit": "1",
            "campaign_id": "double-12",
            "name_ko": "멍뉴 ¥40 이상 ¥8 할인",
        }
    )
    assert (c.kind, c.amount, c.min_spend, c.per_member_limit) == (CouponKind.BRAND, 800, 4000, 1)
    assert c.names == {"ko": "멍뉴 ¥40 이상 ¥8 할인"}
    assert c.ends_at == datetime(2027, 1, 1, tzinfo=UTC)
    with pytest.raises(OfferError):
        coupon_from_csv({"coupon_id": "x", "kind": "brand", "amount": "1"})  # no brand
    with pytest.raises(OfferError):
        coupon_from_csv({"coupon_id": "x", "kind": "basket", "amount": "1", "percent": "5"})
