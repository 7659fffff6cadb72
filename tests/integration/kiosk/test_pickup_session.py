"""A group-buy pickup code scanned at a kiosk (the demo store, driven without Qt): the
pickup screen shows the order, the shopper takes all or part of it, Collect hands it out
once and queues it for the central service; the shopper shops on and one exit pass covers
both, or leaves with the pickup's own pass. Codes that hand nothing out say what happened
and call staff."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from demo.store import DemoStore
from kiosk.domain.alerts import AlertReason
from kiosk.domain.codes import display_gtin
from kiosk.domain.errors import Reason
from kiosk.domain.exit_code import ExitPass, split
from kiosk.domain.pickup_code import PickupPass, encode
from kiosk.domain.scan import Symbology
from kiosk.services.pickups import (
    PICKUP_FROM_KEY,
    PICKUP_KIND,
    READY_ORDERS_KEY,
    PickupStage,
    PickupView,
)
from kiosk.services.receipt_port import TextFileSalePrinter
from kiosk.services.session import CollectedShown, Event, Level, PickupShown, SaleShown, Screen
from kiosk.services.shopper import ShopperSession
from tests.integration.kiosk.session_driver import Driver, reasons, running, said, screens
from tests.pickup_support import JUICE, WATER, ready_order


def _ready(
    drive: Driver,
    key: Ed25519PrivateKey,
    *,
    store_id: str | None = None,
    valid_for: timedelta = timedelta(days=1),
) -> tuple[str, str]:
    """(code, order id) of a ready order: 3 water and 1 juice."""
    return ready_order(
        drive.core.store, key, drive.core.clock.now(), code_store=store_id, valid_for=valid_for
    )


def _view(events: list[Event]) -> PickupView:
    shown = [e.view for e in events if isinstance(e, PickupShown) and e.view is not None]
    assert shown, "no PickupShown event"
    return shown[-1]


def _shown(events: list[Event]) -> list[PickupShown]:
    return [e for e in events if isinstance(e, PickupShown)]


def _outbox(drive: Driver) -> list[dict[str, object]]:
    return [row.payload for row in drive.core.store.outbox.pending(10, PICKUP_KIND)]


def test_the_shopper_takes_part_collects_once_and_pays_for_two_more_items(
    drive: Driver, demo: DemoStore, demo_home: Path
) -> None:
    code, order_id = _ready(drive, Ed25519PrivateKey.generate())
    events = drive.scan(code, Symbology.QR)
    assert screens(events) == [Screen.PICKUP]
    view = _view(events)
    assert view.stage is PickupStage.CHOOSE
    assert view.verdict.buyer == "李**"
    assert dict(view.chosen) == {WATER: 3, JUICE: 1}  # everything left, to begin with
    # − below nothing and + above what is left change nothing.
    drive.do(lambda s: s.pickup_step(JUICE, -1))
    drive.do(lambda s: s.pickup_step(JUICE, -1))
    drive.do(lambda s: s.pickup_step(WATER, 1))
    view = _view(drive.do(lambda s: s.pickup_step(WATER, -1)))
    assert dict(view.chosen) == {WATER: 2, JUICE: 0}
    assert _outbox(drive) == []  # nothing is handed out before Collect

    collected = _view(drive.do(ShopperSession.collect_order))
    assert collected.stage is PickupStage.COLLECTED
    assert collected.collected is not None
    assert collected.collected.units == 2
    assert [(line.gtin, line.left) for line in collected.verdict.lines] == [(WATER, 1), (JUICE, 1)]
    assert not _shown(drive.do(ShopperSession.collect_order))  # a second tap hands out nothing
    (row,) = _outbox(drive)
    assert row["lines"] == {WATER: 2}
    assert row["pickup_id"] == collected.collected.pickup_id

    # The pickup names the cart it happened in, the sale's id once paid: the report's
    # extra basket spend (docs/group-buy.md).
    cart_id = drive.session.state.cart.cart_id
    assert row["sale_id"] == cart_id
    events = drive.do(ShopperSession.leave_pickup)
    assert screens(events) == [Screen.SCANNING]
    assert said(events) == [(Reason.PICKUP_HANDED_OUT, Level.SUCCESS)]
    drive.scan(display_gtin(demo.fixed[0].gtin))
    drive.scan(display_gtin(demo.fixed[1].gtin))
    drive.do(ShopperSession.pay)
    paid = drive.paid()
    (shown,) = [e for e in paid if isinstance(e, CollectedShown)]
    assert [order.ref for order in shown.collected] == [order_id.replace("-", "")[-6:].upper()]
    (sale,) = [e for e in paid if isinstance(e, SaleShown)]
    assert sale.sale.priced.item_count == 2
    assert sale.sale.sale_id == cart_id
    exit_pass = ExitPass.from_signed_bytes(split(sale.exit_code)[0])
    assert exit_pass.item_count == 4  # the two bought and the two collected
    drive.do(ShopperSession.print_receipt)
    receipt = (demo_home / "receipts" / f"receipt-{sale.sale.sequence}.txt").read_text()
    assert "GROUP-BUY PICKUP" in receipt or "团购提货" in receipt
    assert "x 2" in receipt

    # The rest later: the same code shows what is left.
    drive.do(ShopperSession.next_shopper)
    rest = _view(drive.scan(code, Symbology.QR))
    assert dict(rest.chosen) == {WATER: 1, JUICE: 1}


def test_a_pickup_with_nothing_bought_has_its_own_exit_pass(drive: Driver, demo_home: Path) -> None:
    code, _ = _ready(drive, Ed25519PrivateKey.generate())
    drive.scan(code, Symbology.QR)
    drive.do(ShopperSession.collect_order)
    events = drive.do(ShopperSession.pickup_done)
    assert screens(events) == [Screen.DONE]
    (shown,) = [e for e in events if isinstance(e, CollectedShown)]
    assert shown.exit_code is not None
    verdict = drive.core.exit_verifier.verify(shown.exit_code, drive.core.clock.now())
    assert verdict.ok
    assert verdict.exit_pass is not None
    assert (verdict.exit_pass.total_minor, verdict.exit_pass.item_count) == (0, 4)
    assert verdict.exit_pass.sequence == 0
    printer = drive.core.printer
    assert isinstance(printer, TextFileSalePrinter)
    drive.do(ShopperSession.print_receipt)
    assert drive.session.handoff.printed
    (slip,) = (demo_home / "receipts").glob("pickup-*.txt")
    assert shown.exit_code in slip.read_text()
    (row,) = _outbox(drive)
    assert row["sale_id"] == drive.session.state.cart.cart_id
    assert screens(drive.do(ShopperSession.finish)) == [Screen.ATTRACT]
    assert drive.session.collected == ()
    # Nothing was bought under the cart the pickup named: the next shopper's is another.
    assert drive.session.state.cart.cart_id != row["sale_id"]


def test_codes_that_hand_nothing_out_say_why_and_call_staff(drive: Driver) -> None:
    key = Ed25519PrivateKey.generate()
    code, _ = _ready(drive, key)
    drive.scan(code, Symbology.QR)
    drive.do(ShopperSession.collect_order)
    drive.do(ShopperSession.leave_pickup)
    store_id = drive.core.setup.identity.store_id
    unknown = PickupPass(store_id, str(uuid.uuid4()), 1, drive.core.clock.now())
    forged = encode(unknown, Ed25519PrivateKey.generate().sign(unknown.signed_bytes()))
    expired, _ = _ready(drive, key, valid_for=-timedelta(days=1))
    elsewhere, _ = _ready(drive, key, store_id="S999")
    not_ready = encode(unknown, key.sign(unknown.signed_bytes()))
    for scanned, reason in (
        (code, Reason.PICKUP_COLLECTED),
        (forged, Reason.PICKUP_INVALID),
        (expired, Reason.PICKUP_EXPIRED),
        (elsewhere, Reason.PICKUP_OTHER_STORE),
        (not_ready, Reason.PICKUP_NOT_READY),
    ):
        events = drive.scan(scanned, Symbology.QR)
        view = _view(events)
        assert (view.stage, view.verdict.reason) == (PickupStage.PROBLEM, reason)
        assert drive.session.screen is Screen.PICKUP
        assert not _shown(drive.do(ShopperSession.collect_order))  # nothing to collect
    assert reasons(drive.seen) == [AlertReason.PICKUP_PROBLEM]
    assert len(_outbox(drive)) == 1


@pytest.mark.parametrize(
    ("pulled", "reason"),
    [("collected elsewhere", Reason.PICKUP_COLLECTED), ("off the list", Reason.PICKUP_NOT_READY)],
)
def test_collect_after_a_sync_round_took_the_order_says_why_and_hands_nothing_out(
    drive: Driver, pulled: str, reason: Reason
) -> None:
    code, _ = _ready(drive, Ed25519PrivateKey.generate())
    assert _view(drive.scan(code, Symbology.QR)).stage is PickupStage.CHOOSE
    # A sync round while the shopper looks at the order: staff handed it out at the
    # counter, or it was refunded as unclaimed and left the ready list.
    store = drive.core.store
    (order,) = store.settings.get(READY_ORDERS_KEY)
    lines = [line | {"collected": line["quantity"]} for line in order["lines"]]
    store.settings.set(
        READY_ORDERS_KEY, [order | {"lines": lines}] if pulled == "collected elsewhere" else []
    )
    events = drive.do(ShopperSession.collect_order)
    view = _view(events)
    assert _outbox(drive) == []
    assert view.stage is PickupStage.PROBLEM
    assert view.reason is reason
    assert reasons(events) == [AlertReason.PICKUP_PROBLEM]
    assert drive.session.collected == ()


def test_staff_bring_the_order_when_the_store_keeps_it_behind_the_counter(
    drive: Driver,
) -> None:
    drive.core.store.settings.set(PICKUP_FROM_KEY, "staff")
    code, _ = _ready(drive, Ed25519PrivateKey.generate())
    assert _view(drive.scan(code, Symbology.QR)).from_staff
    events = drive.do(ShopperSession.collect_order)
    assert _view(events).stage is PickupStage.COLLECTED
    assert reasons(events) == [AlertReason.PICKUP_BRING]


def test_back_before_collecting_hands_nothing_out(drive: Driver) -> None:
    code, _ = _ready(drive, Ed25519PrivateKey.generate())
    drive.scan(code, Symbology.QR)
    assert screens(drive.do(ShopperSession.leave_pickup)) == [Screen.ATTRACT]
    assert _outbox(drive) == []
    assert not _shown(drive.do(ShopperSession.collect_order))


def test_a_restart_between_collect_and_paying_keeps_the_collected_goods_on_the_exit_pass(
    demo_home: Path, demo: DemoStore
) -> None:
    key = Ed25519PrivateKey.generate()
    with running(demo_home) as first:
        code, order_id = _ready(first, key)
        first.scan(code, Symbology.QR)
        first.do(lambda s: s.pickup_step(JUICE, -1))
        first.do(ShopperSession.collect_order)
        first.do(ShopperSession.leave_pickup)
        first.scan(display_gtin(demo.fixed[0].gtin))
        cart_id = first.session.state.cart.cart_id
    with running(demo_home) as again:
        assert again.session.state.cart.cart_id == cart_id
        (order,) = again.session.collected
        assert order.order_id == order_id
        assert [(line.gtin, line.units) for line in order.lines] == [(WATER, 3)]
        assert order.lines[0].name("en")  # named from the ready order, not left blank
        again.do(ShopperSession.pay)
        paid = again.paid()
        (sale,) = [e for e in paid if isinstance(e, SaleShown)]
        exit_pass = ExitPass.from_signed_bytes(split(sale.exit_code)[0])
        assert exit_pass.item_count == 4  # the one bought and the three collected
        (shown,) = [e for e in paid if isinstance(e, CollectedShown)]
        assert [o.pickup_id for o in shown.collected] == [order.pickup_id]


def test_a_restart_after_collecting_with_nothing_bought_keeps_the_pickup_off_the_next_sale(
    demo_home: Path, demo: DemoStore
) -> None:
    with running(demo_home) as first:
        code, _ = _ready(first, Ed25519PrivateKey.generate())
        first.scan(code, Symbology.QR)
        first.do(ShopperSession.collect_order)
        named = first.session.state.cart.cart_id
    with running(demo_home) as again:
        assert again.session.collected == ()
        assert again.session.state.cart.cart_id != named
        again.scan(display_gtin(demo.fixed[0].gtin))
        again.do(ShopperSession.pay)
        (sale,) = [e for e in again.paid() if isinstance(e, SaleShown)]
        assert sale.sale.sale_id != named
        assert ExitPass.from_signed_bytes(split(sale.exit_code)[0]).item_count == 1
