"""A supervisor refunds at the staff screen, driven through the session without Qt: the
sale found by its exit code, lines picked, the amount confirmed, the refund journalled,
queued once for the central service and its receipt printed; associates may not."""

from __future__ import annotations

from demo.store import DEMO_BADGE, DEMO_STAFF, DemoStore
from kiosk.domain.cart import Cart
from kiosk.domain.codes import display_gtin
from kiosk.domain.errors import Reason
from kiosk.domain.scan import Symbology
from kiosk.domain.staff import Role, Staff
from kiosk.services.session import Level, RefundShown, SaleShown
from kiosk.services.shopper import ShopperSession
from kiosk.services.staff_desk import DeskAction, why_not
from tests.integration.kiosk.session_driver import Driver, said

ASSOCIATE = Staff("2002", "Kim Min", Role.ASSOCIATE)


def shown(events: list[object]) -> RefundShown:
    found = [e for e in events if isinstance(e, RefundShown)]
    assert found, "no RefundShown"
    return found[-1]


def test_a_supervisor_refunds_one_line_then_the_rest(drive: Driver, demo: DemoStore) -> None:
    first, second = demo.fixed[0], demo.fixed[1]
    for item in (first, first, second):
        drive.scan(display_gtin(item.gtin))
    drive.do(ShopperSession.pay)
    (sale_shown,) = [e for e in drive.paid() if isinstance(e, SaleShown)]
    sale, exit_code = sale_shown.sale, sale_shown.exit_code
    assert exit_code is not None
    two = next(line.line_no for line in sale.cart.lines if line.quantity == 2)

    drive.do(lambda s: s.desk.sign_in(ASSOCIATE))
    assert why_not(ASSOCIATE, DeskAction.REFUND, Cart("c"), reason_chosen=True) is (
        Reason.NEEDS_SUPERVISOR
    )
    refused = drive.do(lambda s: s.desk.refund_find(exit_code))
    assert said(refused) == [(Reason.PERMISSION_DENIED, Level.ERROR)]
    drive.do(lambda s: s.desk.sign_out())

    drive.scan(DEMO_BADGE, Symbology.CODE128)
    assert why_not(DEMO_STAFF, DeskAction.REFUND, Cart("c"), reason_chosen=False) is None
    found = shown(drive.do(lambda s: s.desk.refund_find(exit_code)))
    assert found.sale is not None
    assert found.sale["sale_id"] == sale.sale_id
    assert found.plan is not None
    assert found.plan.amount_minor == sale.priced.total.minor  # everything, until picked
    picked = shown(drive.do(lambda s: s.desk.refund_pick(sale.sale_id, {two: 1})))
    assert picked.plan is not None
    assert picked.plan.amount_minor == first.price.minor
    events = drive.do(lambda s: s.desk.refund(sale.sale_id, {two: 1}, "damaged"))
    done = shown(events).done
    assert done is not None
    # No central service here: the supervisor pays out cash, recorded as such.
    assert (done.status, done.method, done.printed) == ("refunded", "cash", True)
    assert said(events) == [(Reason.REFUNDED, Level.SUCCESS)]
    # A double tap: the line has one unit left, so asking for two again is refused.
    again = drive.do(lambda s: s.desk.refund(sale.sale_id, {two: 2}, "damaged"))
    assert said(again) == [(Reason.REFUND_OVER_PAID, Level.ERROR)]
    rest = shown(drive.do(lambda s: s.desk.refund(sale.sale_id, None, "changed mind"))).done
    assert rest is not None
    assert rest.plan.amount_minor == sale.priced.total.minor - first.price.minor
    assert rest.plan.completes_sale

    store = drive.core.store
    rows = store.outbox.pending(10, "refund")
    assert [row.key for row in rows] == [done.refund_id, rest.refund_id]
    assert [row.payload["amount_minor"] for row in rows] == [
        first.price.minor,
        sale.priced.total.minor - first.price.minor,
    ]
    entries = [e for e in store.journal.entries() if e.kind == "refund"]
    assert [(e.actor, e.payload["refund_id"]) for e in entries] == [
        (DEMO_STAFF.staff_id, done.refund_id),
        (DEMO_STAFF.staff_id, rest.refund_id),
    ]
    receipt = drive.core.home / "receipts" / f"refund-{done.refund_id}.txt"
    assert "REFUND" in receipt.read_text(encoding="utf-8")
    closed = shown(drive.do(lambda s: s.desk.refund_close()))
    assert (closed.sale, closed.open) == (None, False)


def test_on_the_refund_page_a_scanned_exit_code_finds_its_sale(
    drive: Driver, demo: DemoStore
) -> None:
    drive.scan(display_gtin(demo.fixed[0].gtin))
    drive.do(ShopperSession.pay)
    (sale_shown,) = [e for e in drive.paid() if isinstance(e, SaleShown)]
    assert sale_shown.exit_code is not None
    drive.scan(DEMO_BADGE, Symbology.CODE128)
    waiting = shown(drive.do(lambda s: s.desk.refund_open()))
    assert (waiting.sale, waiting.open) == (None, True)
    found = shown(drive.scan(sale_shown.exit_code, Symbology.QR))
    assert found.sale is not None
    assert found.sale["sale_id"] == sale_shown.sale.sale_id
    assert found.left == {1: 1}
    drive.do(lambda s: s.desk.refund_close())
    # Closed: an exit code scanned in staff mode is checked at the exit again.
    checked = drive.scan(sale_shown.exit_code, Symbology.QR)
    assert not [e for e in checked if isinstance(e, RefundShown)]
