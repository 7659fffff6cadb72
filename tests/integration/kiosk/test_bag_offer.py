"""The bag offered before payment (issue #16): once a sale, at the first Pay, as a priced
line; the session without Qt on the demo store with its bag configured (`BAG_KEY`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from demo.store import DemoStore, offer_bag
from kiosk.domain.codes import display_gtin
from kiosk.services.payment_port import PaymentResult
from kiosk.services.session import BagOffered, Event, Prompt, Screen, Spoken
from kiosk.services.shopper import ShopperSession
from tests.integration.kiosk.session_driver import Driver, running, said, screens


@pytest.fixture
def bagged(demo_home: Path, demo: DemoStore) -> Iterator[Driver]:
    offer_bag(demo_home, demo.bag)
    with running(demo_home) as driver:
        yield driver


def cancel(driver: Driver) -> None:
    """Cancel the open payment, the wallet's answer coming back as the watcher brings it."""
    answers: list[PaymentResult] = []
    driver.wallet.subscribe(answers.append)
    driver.do(ShopperSession.cancel_payment)
    driver.do(lambda s: s.payment_result(answers[-1]))
    assert driver.session.screen is Screen.SCANNING


def offered(events: list[Event]) -> list[str | None]:
    return [e.product.gtin if e.product else None for e in events if isinstance(e, BagOffered)]


def test_pay_asks_for_a_bag_first_and_one_is_added_as_a_priced_line(
    bagged: Driver, demo: DemoStore
) -> None:
    bagged.scan(display_gtin(demo.fixed[0].gtin))
    events = bagged.do(ShopperSession.pay)
    assert offered(events) == [demo.bag.gtin]
    assert Spoken(Prompt.BAG) in events  # a shopper who cannot read it hears the question
    assert not screens(events)  # still the cart: nothing frozen yet
    assert not bagged.session.state.cart.frozen
    events = bagged.do(lambda s: s.take_bags(2))
    assert offered(events) == [None]
    bag_line = bagged.session.state.cart.lines[-1]
    assert (bag_line.gtin, bag_line.quantity) == (demo.bag.gtin, 2)
    # On to paying, as the tap on Pay meant, for the items and the bags.
    assert screens(events) == [Screen.PAYMENT]
    assert bagged.session.payment is not None
    assert bagged.session.payment.amount == demo.fixed[0].price + demo.bag.price + demo.bag.price


def test_a_declined_bag_is_not_offered_again_in_that_sale(bagged: Driver, demo: DemoStore) -> None:
    bagged.scan(display_gtin(demo.fixed[0].gtin))
    bagged.do(ShopperSession.pay)
    events = bagged.do(lambda s: s.take_bags(0))
    assert screens(events) == [Screen.PAYMENT]
    assert all(line.gtin != demo.bag.gtin for line in bagged.session.state.cart.lines)
    cancel(bagged)
    events = bagged.do(ShopperSession.pay)  # back to the cart, and Pay again
    assert offered(events) == []
    assert screens(events) == [Screen.PAYMENT]


def test_the_next_sale_is_asked_again(bagged: Driver, demo: DemoStore) -> None:
    bagged.scan(display_gtin(demo.fixed[0].gtin))
    bagged.do(ShopperSession.pay)
    bagged.do(lambda s: s.take_bags(0))
    bagged.paid()
    bagged.do(ShopperSession.next_shopper)
    bagged.scan(display_gtin(demo.fixed[1].gtin))
    assert offered(bagged.do(ShopperSession.pay)) == [demo.bag.gtin]


def test_no_question_when_the_cart_has_a_bag_or_cannot_be_paid(
    bagged: Driver, demo: DemoStore
) -> None:
    bagged.scan(display_gtin(demo.bag.gtin))  # the shopper scanned one from the rack
    events = bagged.do(ShopperSession.pay)
    assert offered(events) == []
    assert screens(events) == [Screen.PAYMENT]
    cancel(bagged)
    bagged.scan(display_gtin(demo.adult.gtin))  # an age check: Pay refuses, and says why
    events = bagged.do(ShopperSession.pay)
    assert offered(events) == []
    assert said(events)[0][0] == "approval_needed"


def test_without_a_bag_setting_pay_goes_straight_to_paying(drive: Driver, demo: DemoStore) -> None:
    drive.scan(display_gtin(demo.fixed[0].gtin))
    events = drive.do(ShopperSession.pay)
    assert offered(events) == []
    assert screens(events) == [Screen.PAYMENT]
