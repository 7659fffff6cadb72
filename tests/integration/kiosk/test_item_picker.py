"""The item picker without Qt (#16.1): goods without a barcode found by picture, name,
pinyin or PLU; a piece item goes into the cart at its price, a by-weight one is never a
0 kg line."""

from __future__ import annotations

import pytest

from demo.store import DemoStore, scale_label
from kiosk.domain.catalog import Unit
from kiosk.domain.codes import Gtin
from kiosk.domain.errors import ItemRefused, Reason
from kiosk.domain.money import Money
from kiosk.services.session import Level, PickerShown, Played, Screen, Sound
from kiosk.services.shopper import ShopperSession
from tests.integration.kiosk.session_driver import Driver, said, screens


def shown(events: list) -> PickerShown:
    [picker] = [e for e in events if isinstance(e, PickerShown)]
    return picker


def names(events: list) -> list[str]:
    return [p.name("en") for p in shown(events).products]


def test_the_picker_lists_the_goods_without_a_barcode_by_category(drive: Driver) -> None:
    events = drive.do(ShopperSession.open_picker)
    assert screens(events) == [Screen.PICKER]
    picker = shown(events)
    assert picker.categories == ("bakery", "produce")
    assert len(picker.products) == 10  # nine loose produce items and the baguette
    bakery = drive.do(lambda s: s.find_items("", "bakery"))
    assert names(bakery) == ["Daily Select Baguette"]
    assert shown(bakery).category == "bakery"


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("pg", "Fuji Apples"),
        ("pingguo", "Fuji Apples"),
        ("苹果", "Fuji Apples"),
        ("ㅅㄱ", "Fuji Apples"),  # 사과
        ("4011", "Bananas"),
        ("fg", "Daily Select Baguette"),  # 法棍 fa-gun
        ("banana", "Bananas"),
    ],
)
def test_a_search_looks_through_every_category(drive: Driver, query: str, first: str) -> None:
    drive.do(ShopperSession.open_picker)
    events = drive.do(lambda s: s.find_items(query, "bakery"))  # the tab does not narrow it
    assert names(events)[0] == first
    assert shown(events).category == ""


def test_a_picked_piece_item_is_in_the_cart_at_its_price(drive: Driver) -> None:
    drive.do(ShopperSession.open_picker)
    baguette = shown(drive.do(lambda s: s.find_items("fg", ""))).products[0]
    events = drive.do(lambda s: s.pick(baguette.gtin, 3))
    assert screens(events) == [Screen.SCANNING]
    assert Played(Sound.SCAN) in events
    [line] = drive.session.state.cart.lines
    assert (line.gtin, line.quantity, line.weight_g) == (baguette.gtin, 3, None)
    assert drive.session.state.priced.total == Money(3 * 890, "CNY")
    # picked again: the same line grows, as a second scan would
    drive.do(ShopperSession.open_picker)
    drive.do(lambda s: s.pick(baguette.gtin, 2))
    [line] = drive.session.state.cart.lines
    assert line.quantity == 5


def test_a_by_weight_item_goes_to_be_weighed_never_a_zero_kg_line(drive: Driver) -> None:
    drive.do(ShopperSession.open_picker)
    apples = shown(drive.do(lambda s: s.find_items("pg", ""))).products[0]
    assert apples.unit is Unit.KG
    events = drive.do(lambda s: s.pick(apples.gtin, 1))
    assert said(events) == [(Reason.NEEDS_WEIGHT, Level.WARNING)]
    assert screens(events) == [Screen.SCANNING]
    assert drive.session.state.cart.lines == ()


def test_barcoded_goods_are_scanned_not_picked(drive: Driver) -> None:
    water = drive.core.store.catalog.get(Gtin("06935412001014"))
    assert water is not None
    assert not water.looked_up
    with pytest.raises(ItemRefused) as refused:
        drive.core.checkout.pick(water.gtin)
    assert refused.value.reason is Reason.UNKNOWN_PRODUCT


def test_the_picker_opens_from_the_cart_only_and_closes_back_to_it(drive: Driver) -> None:
    drive.do(ShopperSession.open_member)
    assert screens(drive.do(ShopperSession.open_picker)) == []  # not over the member screen
    drive.do(ShopperSession.back_to_cart)
    drive.do(ShopperSession.open_picker)
    assert screens(drive.do(ShopperSession.close_picker)) == [Screen.SCANNING]


def test_a_weighed_line_is_removed_by_the_shopper_like_any_line(
    drive: Driver, demo: DemoStore
) -> None:
    """#16.3 without Qt (the screen's ✕ is tests/ui/test_shopper_flow.py's)."""
    drive.scan(scale_label(demo.weighed, 734))
    [line] = drive.session.state.cart.lines
    assert line.weight_g == 734
    events = drive.do(lambda s: s.remove_line(line.line_no))
    assert said(events) == []  # no staff needed, nothing refused
    assert drive.session.state.cart.active_lines == ()
    assert drive.session.state.priced.total == Money(0, "CNY")
