"""The checkout service on a real SQLite file: persistence, atomicity, restore."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from kiosk.domain.errors import CartError, ItemRefused, StoreError
from kiosk.domain.ids import IdFactory
from kiosk.domain.journal import verify_chain
from kiosk.domain.offers import OfferEngine, OfferRule
from kiosk.domain.policy import StorePolicy
from kiosk.domain.pricing import Discount, PricedLine, PricingContext
from kiosk.domain.promotions import PromotionKind
from kiosk.domain.sale import SaleStatus, Tender
from kiosk.domain.staff import Role, Staff
from kiosk.services.checkout import Checkout, KioskIdentity
from kiosk.store.uow import KioskStore
from tests.helpers import FixedClock, gtin13, make_product
from tests.unit.kiosk.loyalty_data import promo, scope

IDENTITY = KioskIdentity("K01", "S001")
SUP = Staff("9", "Sue", Role.SUPERVISOR)


def new_checkout(store: KioskStore, policy: StorePolicy, clock: FixedClock) -> Checkout:
    return Checkout(store, IDENTITY, policy, clock, IdFactory())


@pytest.fixture
def stocked(store: KioskStore) -> KioskStore:
    store.catalog.upsert_many(make_product(n, price=100 * (n + 1)) for n in range(5))
    store.catalog.upsert_many([make_product(7, age_min=18, price=900)])
    return store


def pay(checkout: Checkout) -> None:
    state = checkout.begin_payment()
    checkout.complete_sale(Tender("pay-1", "demo", state.priced.total))


def test_cart_survives_a_restart(
    stocked: KioskStore, policy: StorePolicy, clock: FixedClock, tmp_path: Path
) -> None:
    checkout = new_checkout(stocked, policy, clock)
    checkout.scan(make_product(1).gtin[1:])
    checkout.scan(make_product(1).gtin[1:])
    checkout.scan(make_product(2).gtin[1:])
    before = checkout.state()
    stocked.close()  # the power goes out: nothing else is flushed
    reopened = KioskStore.open(tmp_path / "kiosk.db")
    restored = new_checkout(reopened, policy, clock)
    assert restored.restored
    assert restored.cart == before.cart
    assert restored.state().priced == before.priced
    reopened.close()


def test_the_sale_says_when_its_first_item_went_in_across_a_restart(
    stocked: KioskStore, policy: StorePolicy, clock: FixedClock, tmp_path: Path
) -> None:
    # The chain's reports time first scan → paid from it (docs/analytics.md).
    checkout = new_checkout(stocked, policy, clock)
    first = clock.now()
    checkout.scan(make_product(1).gtin[1:])
    clock.advance(40)
    checkout.scan(make_product(2).gtin[1:])
    stocked.close()
    reopened = KioskStore.open(tmp_path / "kiosk.db")
    restored = new_checkout(reopened, policy, clock)
    clock.advance(50)
    pay(restored)
    # The next sale starts its own clock at its own first scan, not when the last ended.
    clock.advance(600)
    restored.scan(make_product(3).gtin[1:])
    clock.advance(30)
    pay(restored)
    sales = sorted(reopened.sales.recent(), key=lambda s: s.sequence)
    assert [s.document["first_scan_at"] for s in sales] == [
        first.isoformat(),
        (first + timedelta(seconds=690)).isoformat(),
    ]
    assert sales[0].document["created_at"] == (first + timedelta(seconds=90)).isoformat()
    reopened.close()


def test_unknown_product_is_refused_and_nothing_changes(
    stocked: KioskStore, policy: StorePolicy, clock: FixedClock
) -> None:
    checkout = new_checkout(stocked, policy, clock)
    with pytest.raises(ItemRefused) as info:
        checkout.scan(gtin13("699999999999")[1:])
    assert info.value.reason == "unknown_product"
    assert checkout.cart.lines == ()


def test_finishing_a_sale_writes_sale_journal_and_outbox_together(
    stocked: KioskStore, policy: StorePolicy, clock: FixedClock
) -> None:
    checkout = new_checkout(stocked, policy, clock)
    checkout.scan(make_product(1).gtin[1:])
    checkout.scan(make_product(7).gtin[1:])
    checkout.approve_age(SUP)
    cart_id = checkout.cart.cart_id
    pay(checkout)
    [sale] = stocked.sales.recent()
    assert (sale.sale_id, sale.sequence, sale.status, sale.total_minor) == (
        cart_id,
        1,
        "paid",
        200 + 900,
    )
    assert {(r.kind, r.key) for r in stocked.outbox.pending()} == {
        ("journal", "1"),
        ("journal", "2"),
        ("sale", cart_id),
    }
    assert verify_chain(stocked.journal.entries()) == 2
    assert checkout.cart.cart_id != cart_id
    assert checkout.cart.lines == ()
    assert stocked.carts.load() == checkout.cart


def test_a_failure_mid_sale_leaves_no_trace(
    stocked: KioskStore, policy: StorePolicy, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    checkout = new_checkout(stocked, policy, clock)
    checkout.scan(make_product(1).gtin[1:])
    checkout.begin_payment()

    def disk_full(*args: object, **kwargs: object) -> None:
        raise StoreError("disk full", reason="disk_full")

    monkeypatch.setattr(stocked.outbox, "add", disk_full)
    with pytest.raises(StoreError):
        checkout.complete_sale(Tender("p", "demo", checkout.state().priced.total))
    monkeypatch.undo()
    assert stocked.sales.count() == 0
    assert stocked.journal.entries() == []
    assert stocked.counters.peek("sale") == 0
    assert stocked.carts.load() == checkout.cart  # still frozen, still there: retry works
    checkout.complete_sale(Tender("p", "demo", checkout.state().priced.total))
    assert [s.sequence for s in stocked.sales.recent()] == [1]


def test_sequence_is_gap_free_across_paid_and_voided_sales(
    stocked: KioskStore, policy: StorePolicy, clock: FixedClock
) -> None:
    checkout = new_checkout(stocked, policy, clock)
    for n in range(4):
        checkout.scan(make_product(n).gtin[1:])
        if n == 2:
            sale = checkout.void_sale(SUP, "shopper left")
            assert sale.status is SaleStatus.VOIDED
            assert sale.priced.total.minor == 0
        else:
            pay(checkout)
    assert sorted(s.sequence for s in stocked.sales.recent()) == [1, 2, 3, 4]
    kinds = [e.kind for e in stocked.journal.entries()]
    assert kinds == ["sale_paid", "sale_paid", "sale_voided", "sale_paid"]


def test_staff_void_is_journalled(
    stocked: KioskStore, policy: StorePolicy, clock: FixedClock
) -> None:
    checkout = new_checkout(stocked, policy, clock)
    checkout.scan(make_product(1).gtin[1:])
    checkout.void_line(SUP, 1, "damaged")
    [entry] = stocked.journal.entries()
    assert (entry.kind, entry.actor, entry.payload["reason"]) == ("line_voided", "9", "damaged")


def test_payment_must_match_the_frozen_total(
    stocked: KioskStore, policy: StorePolicy, clock: FixedClock
) -> None:
    checkout = new_checkout(stocked, policy, clock)
    checkout.scan(make_product(1).gtin[1:])
    state = checkout.begin_payment()
    with pytest.raises(CartError, match="does not match"):
        checkout.complete_sale(Tender("p", "demo", state.priced.total - state.priced.total))


def _happy_hour(clock: FixedClock, seconds_left: int) -> OfferRule:
    """20 % off product 1 for the next `seconds_left` seconds."""
    ends = clock.now() + timedelta(seconds=seconds_left)
    offer = promo(
        "happy-hour",
        PromotionKind.PERCENT_OFF,
        scope=scope(gtins=[make_product(1).gtin]),
        percent_bp=2000,
        ends_at=ends,
    )
    return OfferRule(OfferEngine([offer], []))


@pytest.mark.parametrize("restart", [False, True])
def test_what_the_qr_showed_is_what_is_recorded_when_an_offer_ends_meanwhile(
    stocked: KioskStore, policy: StorePolicy, clock: FixedClock, tmp_path: Path, restart: bool
) -> None:
    """The shopper pays after the happy hour ended (and, across a restart, when the kiosk
    comes back): the sale is the one they paid for. It was refused as a mismatch, and the
    money was taken with no sale."""
    rule = _happy_hour(clock, seconds_left=20)
    checkout = Checkout(stocked, IDENTITY, policy, clock, IdFactory(), [rule])
    checkout.scan(make_product(1).gtin[1:])
    shown = checkout.begin_payment().priced
    assert shown.total.minor == 160  # 200 less 20 %
    clock.advance(30)
    assert checkout.state().priced == shown
    if restart:
        stocked.close()
        stocked = KioskStore.open(tmp_path / "kiosk.db")
        checkout = Checkout(stocked, IDENTITY, policy, clock, IdFactory(), [rule])
    sale = checkout.complete_sale(Tender("pay-1", "demo", shown.total))
    assert sale.priced.total == shown.total
    [stored] = stocked.sales.recent()
    assert (stored.status, stored.total_minor) == ("paid", 160)
    checkout.scan(make_product(1).gtin[1:])  # the next shopper: the hour is over
    assert checkout.begin_payment().priced.total.minor == 200
    stocked.close()


class _Pulled:
    """The offers as the sync thread last pulled them (`OfferCatalog`): they may change
    between any two pricings."""

    rule_id = "offers"

    def __init__(self, rule: OfferRule) -> None:
        self.rule = rule

    def discounts(self, lines: tuple[PricedLine, ...], context: PricingContext) -> list[Discount]:
        return self.rule.discounts(lines, context)


def test_offers_pulled_while_the_shopper_pays_change_nothing_paid(
    stocked: KioskStore, policy: StorePolicy, clock: FixedClock
) -> None:
    pulled = _Pulled(_happy_hour(clock, seconds_left=3600))
    checkout = Checkout(stocked, IDENTITY, policy, clock, IdFactory(), [pulled])
    checkout.scan(make_product(1).gtin[1:])
    shown = checkout.begin_payment().priced
    pulled.rule = OfferRule(OfferEngine([], []))  # a sync round ends the offer mid-payment
    sale = checkout.complete_sale(Tender("pay-1", "demo", shown.total))
    assert (sale.priced, sale.priced.total.minor) == (shown, 160)
    cancelled = new_checkout(stocked, policy, clock)
    cancelled.scan(make_product(1).gtin[1:])
    cancelled.begin_payment()
    assert cancelled.cancel_payment().cart.priced_at is None


def test_restart_prices_the_cart_as_scanned_even_if_the_catalog_changed(
    stocked: KioskStore, policy: StorePolicy, clock: FixedClock, tmp_path: Path
) -> None:
    checkout = new_checkout(stocked, policy, clock)
    checkout.scan(make_product(1).gtin[1:])
    checkout.scan(make_product(2).gtin[1:])
    total = checkout.state().priced.total
    stocked.catalog.upsert_many([make_product(1, price=99_999)])  # a price update arrives
    stocked.catalog.delete_many([make_product(2).gtin])  # and a product is withdrawn
    stocked.close()
    reopened = KioskStore.open(tmp_path / "kiosk.db")
    restored = new_checkout(reopened, policy, clock)
    assert restored.state().priced.total == total
    reopened.close()
