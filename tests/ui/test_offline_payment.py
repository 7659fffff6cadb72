"""The payment service is unreachable: the store's static QR, then staff confirm."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from demo.store import DEMO_BADGE
from kiosk.domain.emvco import decode
from kiosk.domain.scan import Symbology
from kiosk.services.payments import ATTENDED_METHOD
from kiosk.services.session import OFFLINE_PAYMENT_ID, Screen
from kiosk.services.setup import STATIC_QR_KEY
from kiosk.services.staff_desk import StaffDesk
from kiosk.store.uow import KioskStore
from tests.ui.conftest import DemoStore, Kit, KitFactory, shown


def test_offline_the_static_qr_is_shown_and_staff_confirm(
    kit: Kit, demo: DemoStore, qtbot: QtBot
) -> None:
    session, window = kit.kiosk.session, kit.kiosk.window
    session.set_language("en")
    kit.payments.online = False
    kit.scan_product(demo.fixed[0])
    total = session.state.priced.total
    session.pay()
    screen = window.screens["payment"]
    qtbot.waitUntil(lambda: screen.view is not None)  # type: ignore[attr-defined]
    view = screen.view  # type: ignore[attr-defined]
    assert view.payment_id == OFFLINE_PAYMENT_ID
    assert decode(view.qr_payload).amount is None  # the store's static QR: no amount
    assert view.amount == total
    assert "offline" in screen.help_text.text()  # type: ignore[attr-defined]
    assert session.assistance
    assert session.checkout.cart.frozen  # nothing can change under the QR

    kit.scan(DEMO_BADGE, Symbology.CODE128)
    staff = session.staff
    assert staff is not None
    session.at_desk(StaffDesk.attended_payment)
    sale = session.sale
    assert sale is not None
    assert session.screen is Screen.DONE
    assert (sale.tenders[0].method, sale.tenders[0].attended_by) == (
        ATTENDED_METHOD,
        staff.staff_id,
    )
    assert sale.priced.total == total
    assert session.exit_code is not None


def test_offline_the_shopper_can_go_back_to_the_items(
    kit: Kit, demo: DemoStore, qtbot: QtBot
) -> None:
    session, window = kit.kiosk.session, kit.kiosk.window
    kit.payments.online = False
    kit.scan_product(demo.fixed[0])
    session.pay()
    screen = window.screens["payment"]
    qtbot.waitUntil(lambda: screen.view is not None)  # type: ignore[attr-defined]
    session.cancel_payment()
    assert shown(window) == "scanning"
    assert not session.checkout.cart.frozen
    assert len(session.checkout.cart.active_lines) == 1


def test_without_a_static_qr_the_cart_reopens_with_the_reason(
    make_kit: KitFactory, home: Path, demo: DemoStore, qtbot: QtBot
) -> None:
    store = KioskStore.open(home / "kiosk.db")
    store.settings.set(STATIC_QR_KEY, None)
    store.close()
    kit = make_kit()
    session = kit.kiosk.session
    kit.payments.online = False
    kit.scan_product(demo.fixed[0])
    session.pay()
    qtbot.waitUntil(lambda: kit.kiosk.window.current == "scanning")
    assert not session.checkout.cart.frozen
    bar = kit.kiosk.window.notice_bar
    assert bar.notice is not None
    assert bar.notice.reason == "payment_unavailable"
