"""The payment screen's stages: a payment code shown at the kiosk pays the cart; the
amount and a spinner while a code is prepared or charged (never a blank card); the
offline static QR asks for the amount to be typed in, says what staff check, and has no
countdown."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from kiosk.domain.scan import Symbology
from kiosk.services.session import PaymentShown, PaymentStage, Screen
from kiosk.services.setup import PAYMENT_METHOD_KEY
from kiosk.store.uow import KioskStore
from tests.ui.conftest import DemoStore, Kit, KitFactory, shown
from ui.screens.payment import PaymentScreen


def _screen(kit: Kit) -> PaymentScreen:
    screen = kit.kiosk.window.screens["payment"]
    assert isinstance(screen, PaymentScreen)
    return screen


def test_a_payment_code_shown_on_the_cart_pays_it(kit: Kit, demo: DemoStore, qtbot: QtBot) -> None:
    session = kit.kiosk.session
    kit.scan_product(demo.fixed[0])
    total = session.state.priced.total
    kit.scan("134567890123456700", Symbology.CODE128)
    qtbot.waitUntil(lambda: session.screen is Screen.DONE)
    assert shown(kit.kiosk.window) == "done"
    sale = session.sale
    assert sale is not None
    assert (sale.tenders[0].method, sale.tenders[0].amount) == ("wechat_code", total)


def test_the_card_shows_the_amount_and_a_spinner_while_preparing(
    kit: Kit, demo: DemoStore, qtbot: QtBot
) -> None:
    session = kit.kiosk.session
    session.set_language("en")
    kit.scan_product(demo.fixed[0])
    session.pay()
    qtbot.waitUntil(lambda: shown(kit.kiosk.window) == "payment")
    screen = _screen(kit)
    amount = kit.kiosk.localiser.money(session.state.priced.total)
    for stage in (PaymentStage.PREPARING, PaymentStage.CHARGING):
        screen.show_payment(PaymentShown(None, stage, session.state.priced.total))
        assert screen.pages.currentIndex() == 1  # the busy card, not an empty QR
        assert screen.spinner.isVisible()
        assert screen.spinner.turning
        assert screen.card_amount.text() == amount
        assert screen.amount.text() == amount
        assert screen.card_caption.text()


def test_store_default_code_asks_for_the_code_and_offers_a_qr(
    make_kit: KitFactory, home: Path, demo: DemoStore, qtbot: QtBot
) -> None:
    store = KioskStore.open(home / "kiosk.db")
    store.settings.set(PAYMENT_METHOD_KEY, "code")
    store.close()
    kit = make_kit()
    session = kit.kiosk.session
    session.set_language("en")
    kit.scan_product(demo.fixed[0])
    session.pay()
    screen = _screen(kit)
    qtbot.waitUntil(lambda: screen.stage is PaymentStage.SHOW_CODE)
    assert "payment code" in screen.title.text()
    assert screen.qr_button.isVisibleTo(screen)
    screen.qr_button.click()
    qtbot.waitUntil(lambda: screen.stage is PaymentStage.QR)
    assert screen.qr.payload
    assert not screen.qr_button.isVisibleTo(screen)


def test_offline_the_static_qr_asks_for_the_amount_without_a_countdown(
    kit: Kit, demo: DemoStore, qtbot: QtBot
) -> None:
    session = kit.kiosk.session
    session.set_language("en")
    kit.payments.online = False
    kit.scan_product(demo.fixed[0])
    session.pay()
    screen = _screen(kit)
    qtbot.waitUntil(lambda: screen.stage is PaymentStage.STATIC_QR)
    amount = kit.kiosk.localiser.money(session.state.priced.total)
    assert screen.title.text() == f"Enter {amount} in your wallet"
    assert amount in screen.help_text.text()  # what staff check
    assert "staff" in screen.help_text.text()
    assert screen.countdown.text() == ""
    kit.clock.advance(3600)  # an hour later: still nothing counts down to 0:00
    screen.retranslate()
    assert screen.countdown.text() == ""
