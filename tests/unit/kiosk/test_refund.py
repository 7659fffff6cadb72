from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.codes import ProductCode
from kiosk.domain.money import Money
from kiosk.domain.refund import (
    RefundRefused,
    SaleLoyalty,
    paid_lines,
    plan_refund,
    refunded_units,
)
from kiosk.domain.sale import Sale, SaleStatus, Tender
from kiosk.domain.tax import TaxMode
from tests.helpers import make_product
from tests.unit.kiosk.test_pricing import (
    POLICY,
    FixedOff,
    baskets,
    build,
    modes,
    price,
    rules_strategy,
)

NOW = datetime(2026, 12, 4, 10, tzinfo=UTC)


def sale_document(
    products: Any, codes: Any, rules: Any = (), mode: TaxMode = TaxMode.INCLUSIVE
) -> dict[str, Any]:
    """A real sale's wire document: priced by the one pricing function, as the kiosk does."""
    policy = replace(POLICY, tax_mode=mode)
    cart = build(products, codes, policy)
    priced = price(cart, products, rules, policy)
    tender = Tender("p1", "sandbox", priced.total)
    sale = Sale("s1", "k1", "S001", 1, NOW, SaleStatus.PAID, cart, priced, (tender,), {})
    return sale.to_wire()


def test_one_line_of_a_discounted_sale_gives_back_its_share_of_the_basket_discount() -> None:
    """Tea 10.00 x2 and cake 30.00, a 4.00 coupon on the basket: the engine spread it by
    line amount (largest remainder), 1.60 on the teas and 2.40 on the cake, so one tea
    gives back 9.20, not its shelf price."""
    tea, cake = make_product(1, price=1000), make_product(2, price=3000)
    codes = [ProductCode(tea.gtin, "t")] * 2 + [ProductCode(cake.gtin, "c")]
    doc = sale_document([tea, cake], codes, [FixedOff(400, None, "coupon:C1:ABC", True)])
    assert [line.paid_minor for line in paid_lines(doc)] == [1840, 2760]
    plan = plan_refund(doc, {1: 1}, {})
    assert plan.amount_minor == 920
    assert not plan.completes_sale
    rest = plan_refund(doc, None, {1: 1}, return_coupons=True)
    assert rest.amount_minor == 920 + 2760
    assert rest.completes_sale
    assert rest.coupons_returned == ("ABC",)


def test_tax_added_on_top_comes_back_with_the_line() -> None:
    item = make_product(1, price=1000)
    doc = sale_document([item], [ProductCode(item.gtin, "x")], mode=TaxMode.EXCLUSIVE)
    assert plan_refund(doc, None, {}).amount_minor == 1130 == doc["total_minor"]


def test_deposit_comes_back_with_the_bottle() -> None:
    beer = make_product(1, price=650, deposit=Money(50, "CNY"))
    doc = sale_document([beer], [ProductCode(beer.gtin, "b")] * 2)
    assert plan_refund(doc, {1: 1}, {}).amount_minor == 700


def test_refusals() -> None:
    item = make_product(1, price=1000)
    doc = sale_document([item], [ProductCode(item.gtin, "x")] * 3)
    with pytest.raises(RefundRefused, match="1 left"):
        plan_refund(doc, {1: 3}, {1: 2})
    with pytest.raises(RefundRefused, match="not a paid line"):
        plan_refund(doc, {9: 1}, {})
    with pytest.raises(RefundRefused, match="nothing is left"):
        plan_refund(doc, None, {1: 3})
    with pytest.raises(RefundRefused, match="do not fit"):
        plan_refund(doc, {1: 1}, {1: 4})
    with pytest.raises(RefundRefused, match="not paid"):
        plan_refund({**doc, "status": "voided"}, None, {})
    with pytest.raises(RefundRefused, match="training"):
        plan_refund({**doc, "training": True}, None, {})
    with pytest.raises(RefundRefused, match="not its total"):
        plan_refund({**doc, "total_minor": doc["total_minor"] + 1}, None, {})


def test_a_coupon_comes_back_only_when_policy_says_so_and_only_once() -> None:
    tea = make_product(1, price=1000)
    doc = sale_document(
        [tea], [ProductCode(tea.gtin, "t")], [FixedOff(100, None, "coupon:C1:X", True)]
    )
    assert plan_refund(doc, None, {}).coupons_returned == ()
    assert plan_refund(doc, None, {}, return_coupons=True).coupons_returned == ("X",)


# ------------------------------------------------------------------ properties
@st.composite
def refund_sequences(draw: st.DrawFn) -> tuple[dict[str, Any], list[dict[int, int]]]:
    """A paid sale and a sequence of partial refunds that may over-ask."""
    products, codes = draw(baskets())
    doc = sale_document(products, codes, draw(rules_strategy), draw(modes))
    line_nos = [line.line_no for line in paid_lines(doc)]
    asks = draw(
        st.lists(
            st.dictionaries(st.sampled_from(line_nos), st.integers(1, 4), min_size=1),
            max_size=6,
        )
    )
    return doc, asks


@given(refund_sequences(), st.integers(0, 5000), st.integers(0, 5000))
def test_refunds_never_exceed_what_was_paid(case: Any, earned: int, spent: int) -> None:
    doc, asks = case
    lines = {line.line_no: line for line in paid_lines(doc)}
    assert sum(line.paid_minor for line in lines.values()) == doc["total_minor"]
    loyalty = SaleLoyalty(earned, spent)
    done: list[list[dict[str, int]]] = []
    refunded = taken = returned = 0
    per_line: dict[int, int] = {}
    for ask in asks:
        before = refunded_units(done)
        try:
            plan = plan_refund(doc, ask, before, loyalty)
        except RefundRefused:
            assert any(before.get(n, 0) + u > lines[n].quantity for n, u in ask.items())
            continue
        assert all(isinstance(r.amount_minor, int) and r.amount_minor >= 0 for r in plan.lines)
        done.append([r.to_wire() for r in plan.lines])
        refunded += plan.amount_minor
        taken += plan.points_taken_back
        returned += plan.points_returned
        for r in plan.lines:
            per_line[r.line_no] = per_line.get(r.line_no, 0) + r.amount_minor
            assert per_line[r.line_no] <= lines[r.line_no].paid_minor
    assert refunded <= doc["total_minor"]
    assert 0 <= taken <= earned
    assert 0 <= returned <= spent
    if refunded_units(done) != {n: line.quantity for n, line in lines.items()}:
        last = plan_refund(doc, None, refunded_units(done), loyalty)
        refunded += last.amount_minor
        taken += last.points_taken_back
        returned += last.points_returned
        assert last.completes_sale
    # Whatever the route, everything refunded is exactly everything paid.
    assert refunded == doc["total_minor"]
    if doc["total_minor"] > 0:
        assert (taken, returned) == (earned, spent)


@given(baskets(), rules_strategy, modes)
def test_whole_sale_refund_is_exactly_the_total(basket: Any, rules: Any, mode: TaxMode) -> None:
    doc = sale_document(*basket, rules, mode)
    plan = plan_refund(doc, None, {})
    assert plan.amount_minor == doc["total_minor"]
    assert plan.completes_sale
    assert {r.line_no: r.amount_minor for r in plan.lines} == {
        line.line_no: line.paid_minor for line in paid_lines(doc)
    }
