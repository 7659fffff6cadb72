"""The staff's daily tools at the kiosk (#13.4), driven through the session without Qt:
a supervisor's price override and keyed entry (by code or by name), each by role, with
a reason, journalled, and in the sale document the central service re-checks."""

from __future__ import annotations

from typing import Any

from central.auth import AuthedKiosk
from central.sales.checks import check_sale
from demo.store import DEMO_BADGE, DEMO_STAFF, DemoStore
from kiosk.domain.codes import display_gtin
from kiosk.domain.policy import OverrideBounds
from kiosk.domain.scan import Symbology
from kiosk.domain.staff import Role, Staff
from kiosk.services.session import Level, ProductsFound
from kiosk.services.shopper import ShopperSession
from kiosk.services.staff_desk import DeskAction, why_not
from tests.integration.kiosk.session_driver import Driver, said

ASSOCIATE = Staff("2002", "Kim Min", Role.ASSOCIATE)


def journal(drive: Driver, kind: str) -> list[tuple[str, dict[str, Any]]]:
    return [(e.actor, e.payload) for e in drive.core.store.journal.entries() if e.kind == kind]


def paid_sale(drive: Driver) -> dict[str, Any]:
    """Sign staff out, let the shopper pay; the sale document queued for the service."""
    drive.do(lambda s: s.desk.sign_out())
    drive.do(ShopperSession.pay)
    drive.paid()
    [row] = drive.core.store.outbox.pending(10, "sale")
    return row.payload


def test_a_supervisor_overrides_a_price_within_the_bounds_and_the_service_agrees(
    drive: Driver, demo: DemoStore
) -> None:
    item = demo.fixed[0]  # 16.50
    drive.scan(display_gtin(item.gtin))
    drive.scan(display_gtin(item.gtin))
    drive.scan(DEMO_BADGE, Symbology.CODE128)
    refused = drive.do(lambda s: s.desk.override_price(1, 800, "damaged packaging"))
    assert said(refused) == [("override_out_of_bounds", Level.ERROR)]  # below half of 16.50
    events = drive.do(lambda s: s.desk.override_price(1, 1200, "damaged packaging"))
    assert said(events) == [("price_overridden", Level.SUCCESS)]
    priced = drive.core.checkout.state().priced
    assert (priced.lines[0].unit_price.minor, priced.total.minor) == (1200, 2400)
    assert journal(drive, "price_overridden") == [
        (
            DEMO_STAFF.staff_id,
            {
                "cart_id": drive.core.checkout.cart.cart_id,
                "line_no": 1,
                "gtin": item.gtin,
                "unit_minor": 1200,
                "shelf_minor": 1650,
                "reason": "damaged packaging",
            },
        )
    ]
    doc = paid_sale(drive)
    (line,) = doc["lines"]
    assert line["unit_price_minor"] == 1200
    assert line["override"]["shelf_price_minor"] == 1650
    assert line["override"]["staff_id"] == DEMO_STAFF.staff_id
    kiosk = AuthedKiosk(doc["kiosk_id"], doc["store_id"], "key")
    assert check_sale(doc, kiosk, OverrideBounds()) is None
    stricter = OverrideBounds(floor_bp=9000)  # a chain whose bounds the kiosk ignored
    refusal = check_sale(doc, kiosk, stricter)
    assert refusal is not None
    assert refusal.reason == "override"


def test_an_associate_may_not_override_and_the_screen_says_so(
    drive: Driver, demo: DemoStore
) -> None:
    drive.scan(display_gtin(demo.fixed[0].gtin))
    drive.do(lambda s: s.desk.sign_in(ASSOCIATE))
    cart = drive.core.checkout.cart
    assert why_not(ASSOCIATE, DeskAction.OVERRIDE_PRICE, cart, reason_chosen=True) == (
        "needs_supervisor"
    )
    assert why_not(ASSOCIATE, DeskAction.KEY_ITEM, cart, reason_chosen=False) is None
    assert why_not(DEMO_STAFF, DeskAction.OVERRIDE_PRICE, cart, reason_chosen=False) == (
        "reason_required"
    )
    events = drive.do(lambda s: s.desk.override_price(1, 1500, "price query"))
    assert said(events) == [("permission_denied", Level.ERROR)]
    assert drive.core.checkout.cart.line(1).override is None
    assert journal(drive, "price_overridden") == []


def test_a_void_records_the_amount_shown_for_the_report(drive: Driver, demo: DemoStore) -> None:
    drive.scan(display_gtin(demo.fixed[0].gtin))
    drive.scan(display_gtin(demo.fixed[1].gtin))
    drive.scan(DEMO_BADGE, Symbology.CODE128)
    drive.do(lambda s: s.desk.void_line(2, "shopper changed mind"))
    [(actor, payload)] = journal(drive, "line_voided")
    assert (actor, payload["amount_minor"]) == (DEMO_STAFF.staff_id, demo.fixed[1].price.minor)
    doc = paid_sale(drive)
    assert doc["lines"][1]["void"]["amount_minor"] == demo.fixed[1].price.minor


def test_staff_key_in_a_code_checked_like_a_scan(drive: Driver, demo: DemoStore) -> None:
    drive.do(lambda s: s.desk.sign_in(ASSOCIATE))
    code = display_gtin(demo.fixed[2].gtin)
    wrong_digit = code[:-1] + str((int(code[-1]) + 1) % 10)
    refused = drive.do(lambda s: s.desk.key_in(wrong_digit))
    assert [level for _, level in said(refused)] == [Level.ERROR]
    assert drive.core.checkout.cart.lines == ()
    events = drive.do(lambda s: s.desk.key_in(code))
    assert said(events) == [("item_keyed", Level.SUCCESS)]
    assert [line.gtin for line in drive.core.checkout.cart.lines] == [demo.fixed[2].gtin]
    [(actor, payload)] = journal(drive, "item_keyed")
    assert (actor, payload["code"], payload["how"]) == (ASSOCIATE.staff_id, code, "keypad")


def test_staff_find_a_product_by_name_in_each_language(drive: Driver, demo: DemoStore) -> None:
    item = demo.fixed[2]  # Hengshun Zhenjiang Black Vinegar
    drive.do(lambda s: s.desk.sign_in(ASSOCIATE))
    for language, text in (("en", "black VINEGAR"), ("zh_CN", "镇江香醋"), ("ko", "흑식초")):
        events = drive.do(lambda s, t=text, lang=language: s.desk.search(t, lang))
        [found] = [e for e in events if isinstance(e, ProductsFound)]
        assert item.gtin in [p.gtin for p in found.products], (language, found)
    nothing = drive.do(lambda s: s.desk.search("zz-no-such-thing", "en"))
    assert [e.products for e in nothing if isinstance(e, ProductsFound)] == [()]
    drive.do(lambda s: s.desk.key_in(display_gtin(item.gtin), "search"))
    [(_, payload)] = journal(drive, "item_keyed")
    assert payload["how"] == "search"
