"""A kiosk that restarts while a payment QR is open never loses the shopper's money."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from kiosk.domain.codes import display_gtin
from kiosk.domain.ids import IdFactory
from kiosk.domain.scan import ScanEvent, ScanSource, Symbology
from kiosk.services.payments import GatewayPayments
from kiosk.services.session import Screen, Timings
from kiosk.store.uow import KioskStore
from tests.fakes import FakeGateway
from tests.helpers import FixedClock
from tests.ui.conftest import ASSETS, DemoStore
from ui.bootstrap import KioskApp, UiConfig, build_kiosk
from ui.sounds import SilentPlayer


def boot(home: Path, gateway: FakeGateway, clock: FixedClock) -> KioskApp:
    payments = GatewayPayments(
        gateway, lambda: KioskStore.open(home / "kiosk.db"), clock, IdFactory()
    )
    config = UiConfig(
        home=home,
        assets=ASSETS,
        sounds=False,
        sync=False,
        timings=Timings(idle_s=3600, still_there_s=3600, done_s=3600),
        core_thread=False,
    )
    kiosk = build_kiosk(config, clock=clock, sounds=SilentPlayer(), payments=payments)
    kiosk.window.show()
    kiosk.start()
    return kiosk


def scan(kiosk: KioskApp, demo: DemoStore) -> None:
    code = display_gtin(demo.fixed[0].gtin)
    kiosk.session.scan(ScanEvent(code, Symbology.EAN13, ScanSource.CAMERA, 0.0))


def test_paid_while_the_kiosk_was_down(qtbot: QtBot, home: Path, demo: DemoStore) -> None:
    clock = FixedClock()
    gateway = FakeGateway(clock)
    first = boot(home, gateway, clock)
    scan(first, demo)
    first.session.pay()
    qtbot.waitUntil(lambda: first.session.payment is not None, timeout=10_000)
    payment_id = first.session.payment.payment_id  # type: ignore[union-attr]
    cart_id = first.session.checkout.cart.cart_id
    first.shutdown()  # the power goes out with the QR on screen

    gateway.pay(payment_id)  # the shopper pays anyway
    second = boot(home, gateway, clock)
    try:
        assert second.session.screen is Screen.DONE
        sale = second.session.sale
        assert sale is not None
        assert sale.sale_id == cart_id
        assert sale.tenders[0].payment_id == payment_id
        assert second.session.exit_code is not None
        assert second.store.sales.count() == 1
    finally:
        second.shutdown()


def test_unpaid_qr_is_withdrawn_and_the_cart_reopened(
    qtbot: QtBot, home: Path, demo: DemoStore
) -> None:
    clock = FixedClock()
    gateway = FakeGateway(clock)
    first = boot(home, gateway, clock)
    scan(first, demo)
    first.session.pay()
    qtbot.waitUntil(lambda: first.session.payment is not None, timeout=10_000)
    payment_id = first.session.payment.payment_id  # type: ignore[union-attr]
    first.shutdown()

    second = boot(home, gateway, clock)
    try:
        assert second.session.screen is Screen.SCANNING
        assert not second.session.checkout.cart.frozen
        assert len(second.session.checkout.cart.lines) == 1
        assert gateway.payments[payment_id].status.value == "cancelled"
    finally:
        second.shutdown()


def test_restarted_while_central_is_unreachable_the_payment_stays_on_screen(
    qtbot: QtBot, home: Path, demo: DemoStore
) -> None:
    clock = FixedClock()
    gateway = FakeGateway(clock)
    first = boot(home, gateway, clock)
    scan(first, demo)
    first.session.pay()
    qtbot.waitUntil(lambda: first.session.payment is not None, timeout=10_000)
    payment_id = first.session.payment.payment_id  # type: ignore[union-attr]
    cart_id = first.session.checkout.cart.cart_id
    first.shutdown()

    gateway.pay(payment_id)  # paid while the kiosk was down...
    gateway.online = False  # ... which starts again with central unreachable
    second = boot(home, gateway, clock)
    try:
        # Not a cart to pay again: the payment is on screen, staff are called.
        assert second.session.screen is Screen.PAYMENT
        assert second.session.checkout.cart.frozen
        assert second.session.payment is not None
        assert second.session.payment.payment_id == payment_id
        assert [a.reason.value for a in second.store.alerts.open_alerts()] == ["attended_payment"]
        # What the shopper sees, though it was said before the window was built: the QR,
        # the amount, and why (it was a blank card, no amount, no word).
        screen = second.window.screens["payment"]
        assert screen.qr.payload == second.session.payment.qr_payload != ""  # type: ignore[attr-defined]
        assert screen.amount.text() == "¥16.50"  # type: ignore[attr-defined]
        notice = second.window.notice_bar.notice
        assert notice is not None
        assert notice.reason == "payment_still_open"
        with gateway.changed:
            gateway.online = True
            gateway.changed.notify_all()
        qtbot.waitUntil(lambda: second.session.screen is Screen.DONE, timeout=15_000)
        assert second.session.sale is not None
        assert second.session.sale.sale_id == cart_id
    finally:
        second.shutdown()
