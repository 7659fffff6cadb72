"""Suspending a cart at one kiosk and resuming it at another (#13.4), without Qt: two
kiosks of the demo store, each with its own database, keys and clock, as a store has them.
Neither is enrolled: everything here happens offline, and waits in the outboxes."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from app.core import LOCAL_CHAIN_KEY
from demo.store import DEMO_BADGE, DEMO_STAFF, DemoStore
from kiosk.domain.alerts import AlertReason
from kiosk.domain.codes import display_gtin
from kiosk.domain.coupons import printed_code
from kiosk.domain.money import Money
from kiosk.domain.scan import Symbology
from kiosk.domain.transfer import CartTransfer, encode, short_number, split
from kiosk.services.config import POLICY_KEY, policy_from_settings, policy_to_settings
from kiosk.services.exit_codes import ensure_signing_key, public_key_hex
from kiosk.services.receipt_port import TextFileSalePrinter
from kiosk.services.session import (
    Level,
    PrinterShown,
    PrinterStatus,
    Screen,
    TransferShown,
)
from kiosk.services.setup import IDENTITY_KEY, database_path
from kiosk.services.transfers import (
    KIOSK_KEYS_KEY,
    TRANSFER_KIND,
    ResumedAt,
    TransferCheck,
    TransferVerifier,
)
from kiosk.store.uow import KioskStore
from tests.helpers import FixedClock
from tests.integration.kiosk.session_driver import Driver, reasons, running, said


@dataclass
class Store:
    first: Driver  # K01, where carts are suspended
    second: Driver  # K02, where they are resumed
    clock: FixedClock
    demo: DemoStore


def second_kiosk(seed: Path, target: Path, first: Driver) -> Path:
    """A copy of the demo store as kiosk K02, holding K01's public key (what a store's
    kiosks hold of each other) and the chain's coupon key (as enrolled kiosks do)."""
    shutil.copytree(seed, target)
    store = KioskStore.open(database_path(target))
    try:
        identity = store.settings.get(IDENTITY_KEY)
        store.settings.set(IDENTITY_KEY, {**identity, "kiosk_id": "K02"})
        first_key = public_key_hex(ensure_signing_key(first.core.store))
        store.settings.set(KIOSK_KEYS_KEY, {"K01": first_key})
        store.settings.set(LOCAL_CHAIN_KEY, first.core.store.settings.get(LOCAL_CHAIN_KEY))
    finally:
        store.close()
    return target


@pytest.fixture
def shop(
    tmp_path: Path, demo_home: Path, seeded: tuple[Path, DemoStore], demo: DemoStore
) -> Iterator[Store]:
    clock = FixedClock()
    with ExitStack() as stack:
        first = stack.enter_context(running(demo_home, clock))
        home = second_kiosk(seeded[0], tmp_path / "k02", first)
        second = stack.enter_context(running(home, clock))
        yield Store(first, second, clock, demo)


def staff_in(drive: Driver) -> None:
    drive.scan(DEMO_BADGE, Symbology.CODE128)


def suspend(drive: Driver, reason: str = "wallet forgotten") -> str:
    """Suspend the cart as the demo supervisor; the transfer code shown."""
    staff_in(drive)
    events = drive.do(lambda s: s.desk.suspend(reason))
    [suspended] = [e.suspended for e in events if isinstance(e, TransferShown)]
    assert suspended is not None, said(events)
    drive.do(lambda s: s.desk.sign_out())
    return suspended.code


def journal(drive: Driver, kind: str) -> list[tuple[str, dict[str, Any]]]:
    return [(e.actor, e.payload) for e in drive.core.store.journal.entries() if e.kind == kind]


def transfer_rows(drive: Driver) -> list[tuple[str, dict[str, Any]]]:
    return [(r.key, r.payload) for r in drive.core.store.outbox.pending(100, TRANSFER_KIND)]


def test_a_cart_suspended_at_one_kiosk_is_resumed_whole_at_another(shop: Store) -> None:
    a, b, demo = shop.first, shop.second, shop.demo
    first, second = demo.fixed[0], demo.fixed[1]
    a.scan(display_gtin(first.gtin))
    a.scan(display_gtin(first.gtin))
    a.scan(display_gtin(second.gtin))
    coupon = printed_code(a.core.members.keys.coupon, "yili-5-off-30", "0001")
    a.scan(coupon, Symbology.QR)
    before = a.core.checkout.state()
    cart_id = before.cart.cart_id

    code = suspend(a)

    # The first kiosk's cart is closed: not a sale (no number, no takings), not a void.
    assert a.core.checkout.cart.is_empty
    assert a.core.checkout.cart.cart_id != cart_id
    assert a.core.store.sales.count() == 0
    (actor, entry), = journal(a, "cart_suspended")  # fmt: skip
    assert actor == DEMO_STAFF.staff_id
    assert entry["cart_id"] == cart_id
    assert entry["reason"] == "wallet forgotten"
    assert entry["total_minor"] == before.priced.total.minor
    assert entry["item_count"] == 3
    [(key, row)] = transfer_rows(a)
    assert key == f"{cart_id}:suspended"
    assert row["event"] == "suspended"
    assert row["kiosk_id"] == "K01"  # waiting in the outbox: the kiosk is offline

    # The second kiosk: the shopper scans the code on the scanning screen.
    b.do(lambda s: s.start())
    events = b.scan(code, Symbology.QR)
    assert ("cart_resumed", Level.SUCCESS) in said(events)
    after = b.core.checkout.state()
    assert [(line.gtin, line.quantity) for line in after.cart.lines] == [
        (first.gtin, 2),
        (second.gtin, 1),
    ]
    assert after.priced.total == before.priced.total
    assert [v.code for v in b.session.loyalty.coupons] == [coupon]
    assert b.session.screen is Screen.SCANNING
    (_, resumed), = journal(b, "cart_resumed")  # fmt: skip
    assert resumed["cart_id"] == cart_id
    assert resumed["cart"] == after.cart.cart_id
    [(key, row)] = transfer_rows(b)
    assert key == f"{cart_id}:resumed"
    assert (row["kiosk_id"], row["from_kiosk_id"], row["staff_id"]) == ("K02", "K01", "shopper")

    # It is the second kiosk's sale now: paid there, numbered there.
    b.do(lambda s: s.pay())
    b.paid()
    [sale] = b.core.store.sales.recent()
    assert sale.total_minor == before.priced.total.minor


def test_a_code_resumed_once_is_refused_the_second_time_with_where_and_when(
    shop: Store,
) -> None:
    a, b = shop.first, shop.second
    a.scan(display_gtin(shop.demo.fixed[0].gtin))
    code = suspend(a)
    shop.clock.advance(60)
    b.scan(code, Symbology.QR)
    b.do(lambda s: s.abandon())
    again = b.scan(code, Symbology.QR)
    local = shop.clock.now().astimezone(ZoneInfo(b.core.checkout.policy.timezone))
    notices = [e.notice for e in again if hasattr(e, "notice")]
    assert [(n.reason, n.args) for n in notices] == [
        ("transfer_used", ("K02", local.strftime("%H:%M")))
    ]
    assert b.core.checkout.cart.is_empty
    assert len(transfer_rows(b)) == 1
    assert journal(b, "transfer_refused")[-1][1]["check"] == "already_used"


def test_an_expired_code_is_refused(shop: Store) -> None:
    a, b = shop.first, shop.second
    a.scan(display_gtin(shop.demo.fixed[0].gtin))
    code = suspend(a)
    shop.clock.advance(2 * 3600)  # the store's two hours, to the second
    assert said(b.scan(code, Symbology.QR)) == [("transfer_expired", Level.ERROR)]
    assert b.core.checkout.cart.is_empty
    assert not transfer_rows(b)


def test_a_forged_code_and_one_from_an_unknown_kiosk_are_refused(
    shop: Store, tmp_path: Path, seeded: tuple[Path, DemoStore]
) -> None:
    a, b = shop.first, shop.second
    a.scan(display_gtin(shop.demo.fixed[0].gtin))
    code = suspend(a)
    data, signature = split(code)
    # The same cart with one line's quantity raised, re-encoded under the old signature.
    transfer = CartTransfer.from_signed_bytes(data)
    more = replace(transfer, lines=(replace(transfer.lines[0], quantity=9),))
    forged = encode(more, signature)
    assert said(b.scan(forged, Symbology.QR)) == [("transfer_forged", Level.ERROR)]
    assert said(b.scan(code[:-4], Symbology.QR)) == [("transfer_invalid", Level.ERROR)]
    with b.core.store.transaction():
        b.core.store.settings.set(KIOSK_KEYS_KEY, {})
    assert said(b.scan(code, Symbology.QR)) == [("transfer_unknown_kiosk", Level.ERROR)]
    assert b.core.checkout.cart.is_empty
    assert not transfer_rows(b)


def test_prices_changed_since_are_said_and_the_current_price_is_used(shop: Store) -> None:
    a, b, demo = shop.first, shop.second, shop.demo
    item = demo.fixed[0]
    a.scan(display_gtin(item.gtin))
    code = suspend(a)
    dearer = replace(item, price=Money(item.price.minor + 100, item.price.currency))
    b.core.store.catalog.upsert_many([dearer])
    events = b.scan(code, Symbology.QR)
    changed = [e.notice for e in events if hasattr(e, "notice")][-1]
    assert (changed.reason, changed.level) == ("transfer_price_changed", Level.WARNING)
    assert changed.args == (
        item.name(b.session.language),
        item.price.format(),
        dearer.price.format(),
    )
    assert b.core.checkout.state().priced.total == dearer.price


def test_a_recalled_item_is_left_out_with_a_message_and_the_rest_resumed(
    shop: Store,
) -> None:
    a, b, demo = shop.first, shop.second, shop.demo
    kept, recalled = demo.fixed[0], demo.fixed[1]
    a.scan(display_gtin(kept.gtin))
    a.scan(display_gtin(recalled.gtin))
    code = suspend(a)
    b.core.store.catalog.upsert_many([replace(recalled, recalled=True)])
    events = b.scan(code, Symbology.QR)
    assert said(events) == [
        ("cart_resumed", Level.SUCCESS),
        ("transfer_item_dropped", Level.WARNING),
    ]
    assert [line.gtin for line in b.core.checkout.cart.lines] == [kept.gtin]
    (_, entry), = journal(b, "cart_resumed")  # fmt: skip
    assert entry["dropped"] == [{"gtin": recalled.gtin, "reason": "recalled"}]


def test_an_age_check_is_asked_again_where_the_cart_is_resumed(shop: Store) -> None:
    a, b = shop.first, shop.second
    a.scan(display_gtin(shop.demo.adult.gtin))
    staff_in(a)
    a.do(lambda s: s.desk.approve_age())
    a.do(lambda s: s.desk.sign_out())
    code = suspend(a)
    assert not a.session.alerts  # nothing left to check where the cart was
    events = b.scan(code, Symbology.QR)
    assert reasons(events) == [AlertReason.AGE_CHECK]
    assert b.core.checkout.cart.needs_approval


def test_a_kiosk_with_a_cart_of_its_own_refuses_to_resume(shop: Store) -> None:
    a, b, demo = shop.first, shop.second, shop.demo
    a.scan(display_gtin(demo.fixed[0].gtin))
    code = suspend(a)
    b.scan(display_gtin(demo.fixed[1].gtin))
    assert said(b.scan(code, Symbology.QR))[-1] == ("cart_not_empty", Level.ERROR)
    assert not transfer_rows(b)


def test_suspending_needs_a_reason_and_a_cart(shop: Store) -> None:
    a = shop.first
    staff_in(a)
    assert said(a.do(lambda s: s.desk.suspend("wallet forgotten"))) == [("empty_cart", Level.ERROR)]
    a.do(lambda s: s.desk.sign_out())
    a.scan(display_gtin(shop.demo.fixed[0].gtin))
    staff_in(a)
    assert said(a.do(lambda s: s.desk.suspend(""))) == [("reason_required", Level.ERROR)]
    assert not transfer_rows(a)
    assert not a.core.checkout.cart.is_empty


def test_the_member_is_restored_where_known_and_said_where_not(shop: Store) -> None:
    """Resumed where the member is known (the same kiosk: the shopper came back), the
    member comes back; a kiosk that does not know them says so and resumes without."""
    a, b = shop.first, shop.second
    a.do(lambda s: s.member_sign_up("13800138000", True))
    member = a.core.checkout.cart.member_id
    assert member is not None
    a.scan(display_gtin(shop.demo.fixed[0].gtin))
    here = suspend(a)
    a.do(lambda s: s.member_sign_up("13800138000", True))
    a.scan(display_gtin(shop.demo.fixed[1].gtin))
    there = suspend(a)

    events = b.scan(there, Symbology.QR)
    assert ("transfer_member_unknown", Level.WARNING) in said(events)
    assert b.core.checkout.cart.member_id is None
    assert b.session.member is None

    a.scan(here, Symbology.QR)
    assert a.core.checkout.cart.member_id == member
    assert a.session.member is not None
    assert a.session.member.member_id == member


def test_a_printer_out_of_paper_does_not_stop_a_suspension(shop: Store) -> None:
    """The code is on screen and its number can be written down: the cart is suspended,
    the printer fault is said and calls staff, as a receipt's does."""
    a = shop.first
    printer = a.core.printer
    assert isinstance(printer, TextFileSalePrinter)
    printer.working = False
    a.scan(display_gtin(shop.demo.fixed[0].gtin))
    staff_in(a)
    events = a.do(lambda s: s.desk.suspend("wallet forgotten"))
    assert said(events)[-2:] == [
        ("cart_suspended", Level.SUCCESS),
        ("printer_no_paper", Level.WARNING),
    ]
    assert PrinterShown(PrinterStatus.PAPER_OUT) in events
    assert reasons(events) == [AlertReason.PRINTER_PAPER_OUT]
    assert any(isinstance(e, TransferShown) and e.suspended for e in events)
    assert a.core.checkout.cart.is_empty


def test_the_store_policy_says_how_long_a_code_resumes(
    tmp_path: Path, demo_home: Path, seeded: tuple[Path, DemoStore], demo: DemoStore
) -> None:
    store = KioskStore.open(database_path(demo_home))
    try:
        policy = policy_from_settings(store.settings.get(POLICY_KEY))
        four_hours = replace(policy, transfer_validity_hours=4)
        store.settings.set(POLICY_KEY, policy_to_settings(four_hours))
    finally:
        store.close()
    clock = FixedClock()
    with ExitStack() as stack:
        a = stack.enter_context(running(demo_home, clock))
        b = stack.enter_context(running(second_kiosk(seeded[0], tmp_path / "k02", a), clock))
        a.scan(display_gtin(demo.fixed[0].gtin))
        suspended_at = clock.now()
        code = suspend(a)
        last = suspended_at + timedelta(hours=4, seconds=-1)
        verifier = b.core.transfer_verifier
        assert verifier.verify(code, last).check is TransferCheck.VALID
        assert verifier.verify(code, last + timedelta(seconds=1)).check is TransferCheck.EXPIRED


def test_the_slip_number_keyed_in_resumes_a_cart_suspended_here_and_elsewhere_needs_the_service(
    shop: Store,
) -> None:
    a, b = shop.first, shop.second
    item = shop.demo.fixed[0]
    a.scan(display_gtin(item.gtin))
    cart_id = a.core.checkout.cart.cart_id
    suspend(a)
    number = short_number(cart_id)
    # K02 holds no record of K01's carts and is not enrolled: it says so, and sells nothing.
    staff_in(b)
    refused = b.do(lambda s: s.desk.key_in(number))
    assert [r for r, _ in said(refused)] == ["transfer_number_offline"]
    assert b.core.checkout.cart.is_empty
    # K01 finds its own slip's number offline and resumes the cart whole.
    staff_in(a)
    a.do(lambda s: s.desk.key_in(number))
    assert [line.gtin for line in a.core.checkout.cart.active_lines] == [item.gtin]
    assert journal(a, "cart_resumed")[-1][1]["cart_id"] == cart_id


class OneResumePerCart:
    """The central service's claims (`central.transfers.service.claim_resume`): a cart's
    resume goes to the first kiosk that claims it, and after that to that kiosk only."""

    def __init__(self) -> None:
        self.holders: dict[str, ResumedAt] = {}

    def connect(self, drive: Driver) -> None:
        """`drive`'s kiosk as if enrolled: its transfer checks ask this registry."""
        core = drive.core
        identity = core.setup.identity
        own = {identity.kiosk_id: public_key_hex(ensure_signing_key(core.store))}
        registry = _KioskRegistry(self, identity.kiosk_id)
        core.transfer_verifier = TransferVerifier(own, core.store, identity.store_id, registry)


@dataclass
class _KioskRegistry:
    central: OneResumePerCart
    kiosk_id: str

    def claim(self, transfer: CartTransfer, staff_id: str, at: datetime) -> ResumedAt | None:
        held = self.central.holders.setdefault(
            transfer.cart_id, ResumedAt(self.kiosk_id, at.isoformat())
        )
        return None if held.kiosk_id == self.kiosk_id else held

    def code_for(self, number: str) -> str | None:
        return None


def test_a_resume_refused_here_leaves_the_cart_unclaimed_for_another_kiosk(shop: Store) -> None:
    a, b, demo = shop.first, shop.second, shop.demo
    central = OneResumePerCart()
    central.connect(a)
    central.connect(b)
    a.scan(display_gtin(demo.fixed[0].gtin))
    cart_id = a.core.checkout.cart.cart_id
    code = suspend(a)
    # K02 has a shopper's item on it: refused there, and not claimed at the service...
    b.scan(display_gtin(demo.fixed[1].gtin))
    assert said(b.scan(code, Symbology.QR))[-1] == ("cart_not_empty", Level.ERROR)
    assert central.holders == {}
    # ...so the kiosk the shopper walks to next (K01, empty now) resumes it.
    assert ("cart_resumed", Level.SUCCESS) in said(a.scan(code, Symbology.QR))
    assert [line.gtin for line in a.core.checkout.cart.active_lines] == [demo.fixed[0].gtin]
    assert central.holders[cart_id].kiosk_id == "K01"
    # The claim still decides between kiosks: K02, emptied, is told where it went.
    b.do(lambda s: s.abandon())
    assert [r for r, _ in said(b.scan(code, Symbology.QR))] == ["transfer_used"]
    assert b.core.checkout.cart.is_empty
