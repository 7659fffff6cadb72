"""The console's promotions and its pricing preview on both engines: a preview gives the
answer a real kiosk's checkout gives once it has pulled the same offers, coupons
included; a campaign's dates are checked; the audit keeps each change's before and after."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from central.admin import offers
from central.admin.offers import Basket, Feed
from central.admin.service import Actor
from central.admin.tables import admin_audit
from central.errors import Invalid
from kiosk.domain.pricing import PricedCart
from tests.integration.central.test_loyalty_central import LAYS, Kiosk
from tests.integration.conftest import CentralHarness

ACTOR = Actor("mkt", "10.0.0.2")
T0 = 1_800_000_000_000
COKE, YILI_MILK, JUICE, WATER = "6951287001010", "6954023001015", "6935412001038", "6935412001014"
BASKETS = [
    [(LAYS, 2), (COKE, 3)],
    [(WATER, 3), (YILI_MILK, 2), (JUICE, 1)],
    [(LAYS, 3), ("6933509001022", 1), (COKE, 4), (YILI_MILK, 5), (WATER, 7)],
]


@pytest.fixture
def kiosk(
    central: CentralHarness, demo_products: list[dict[str, Any]], tmp_path: Path
) -> Iterator[Kiosk]:
    central.load_catalog(demo_products)
    central.load_offers()
    till = Kiosk(central, tmp_path / "till", "till 1")
    yield till
    till.close()


def _rule(rule_id: str) -> str:
    """A coupon's discount is `coupon:<id>:<code>`; the preview's code is its own."""
    return ":".join(rule_id.split(":")[:2]) if rule_id.startswith("coupon:") else rule_id


def _kiosks(priced: PricedCart) -> tuple[int, int, list[tuple[str, int]], list[int]]:
    return (
        priced.total.minor,
        priced.discount_total.minor,
        sorted((_rule(d.rule_id), d.amount.minor) for d in priced.discounts),
        [line.amount.minor for line in priced.lines],
    )


def _previews(answer: dict[str, Any]) -> tuple[int, int, list[tuple[str, int]], list[int]]:
    return (
        answer["total"],
        answer["discount_total"],
        sorted((_rule(d["rule_id"]), d["amount"]) for d in answer["discounts"]),
        [line["amount"] for line in answer["lines"]],
    )


@pytest.mark.parametrize("items", BASKETS)
def test_the_preview_is_what_a_kiosk_checkout_charges(
    central: CentralHarness, kiosk: Kiosk, items: list[tuple[str, int]]
) -> None:
    with central.engine.begin() as conn:
        offers.save_offer(conn, ACTOR, Feed.PROMOTIONS, {"promotion_id": "coke-10",
                          "kind": "percent_off", "gtins": COKE, "percent": "10",
                          "stackable": "1"}, T0)  # fmt: skip
    kiosk.pull()
    at = kiosk.clock.now().isoformat()
    with central.engine.connect() as conn:
        answer = offers.preview(conn, Basket(tuple(items), at=at), T0, "en")
    for gtin, quantity in items:
        for _ in range(quantity):
            kiosk.checkout.scan(gtin)
    assert answer["discounts"], "a basket that exercises no promotion proves little"
    assert _previews(answer) == _kiosks(kiosk.checkout.state().priced)


GOODS = [LAYS, "6933509001022", COKE, YILI_MILK, JUICE, WATER, "6954023001022"]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(st.sampled_from(GOODS), st.integers(1, 6)), min_size=1, max_size=5))
def test_any_basket_previews_as_the_kiosk_prices_it(
    central: CentralHarness, kiosk: Kiosk, items: list[tuple[str, int]]
) -> None:
    if not kiosk.store.loyalty.promotions():
        kiosk.pull()
    with central.engine.connect() as conn:
        answer = offers.preview(conn, Basket(tuple(items), at=kiosk.clock.now().isoformat()),
                                T0, "en")  # fmt: skip
    for gtin, quantity in items:
        for _ in range(quantity):
            kiosk.checkout.scan(gtin)
    assert _previews(answer) == _kiosks(kiosk.checkout.state().priced)
    kiosk.sell()  # an empty cart for the next example


def test_a_coupon_in_the_preview_is_the_coupon_at_the_kiosk(
    central: CentralHarness, kiosk: Kiosk
) -> None:
    kiosk.pull()
    [printed] = central.op(
        "POST", "/v1/loyalty/admin/coupons/print", json={"coupon_id": "snacks-3-off", "count": 1}
    ).json()
    items = ((LAYS, 2), ("6933509001022", 1))  # 7.50 + 3.75 + 7.50: under the ¥20
    with central.engine.connect() as conn:
        short = offers.preview(conn, Basket(items, coupon_id="snacks-3-off"), T0, "en")
        enough = offers.preview(
            conn, Basket((*items, ("6933509001022", 1)), coupon_id="snacks-3-off"), T0, "en"
        )
    [refused] = short["coupons"]
    assert (refused["accepted"], refused["reason"], refused["need_amount"]) == (
        False,
        "below_minimum_spend",
        125,
    )
    for code in (LAYS, LAYS, "6933509001022", "6933509001022"):
        kiosk.checkout.scan(code)
    assert kiosk.checkout.add_coupon(printed).verdict.accepted
    assert enough["coupons"][0]["accepted"]
    assert _previews(enough) == _kiosks(kiosk.checkout.state().priced)


def test_a_preview_names_what_it_cannot_sell_and_needs_an_item(central: CentralHarness) -> None:
    with central.engine.connect() as conn:
        answer = offers.preview(conn, Basket((("6901234567892", 1),)), T0, "en")
        assert [r["reason"] for r in answer["refused"]] == ["unknown_product"]
        with pytest.raises(Invalid):
            offers.preview(conn, Basket(()), T0, "en")
        with pytest.raises(Invalid):
            offers.preview(conn, Basket(((LAYS, 1),), at="next tuesday"), T0, "en")


def test_campaign_dates_are_checked_and_changes_audited(central: CentralHarness) -> None:
    with pytest.raises(Invalid, match="ends before it starts"), central.engine.begin() as conn:
        offers.save_campaign(conn, ACTOR, {"campaign_id": "cny", "starts_at": "2027-02-10",
                                           "ends_at": "2027-02-01"}, T0)  # fmt: skip
    with central.engine.begin() as conn:
        offers.save_campaign(conn, ACTOR, {"campaign_id": "cny", "name": "Spring Festival",
                                           "starts_at": "2027-01-20"}, T0)  # fmt: skip
        offers.save_campaign(conn, ACTOR, {"name": "春节", "starts_at": "2027-01-21"}, T0 + 1,
                             key="cny")  # fmt: skip
    with central.engine.connect() as conn:
        entries = conn.execute(select(admin_audit).order_by(admin_audit.c.audit_id)).all()
        assert offers.campaign(conn, "cny")["name"] == "春节"
    assert [(e.action, e.target, e.source) for e in entries] == [
        ("campaign.create", "cny", "10.0.0.2"),
        ("campaign.update", "cny", "10.0.0.2"),
    ]
    assert json.loads(entries[1].before)["name"] == "Spring Festival"
    # A typed date is the store's day (+08:00 unless the form says otherwise), as an
    # offer's; it was read as UTC.
    assert json.loads(entries[1].after)["starts_at"] == "2027-01-21T00:00:00+08:00"
