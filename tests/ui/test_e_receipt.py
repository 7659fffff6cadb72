"""The done screen offers the e-receipt link as a QR once the central service sends it, in
place of the exit code's (its page carries the exit code: one QR to scan)."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from demo.payment import DemoPaymentProvider
from kiosk.domain.codes import display_gtin
from kiosk.domain.errors import KioskError
from kiosk.domain.ids import IdFactory
from kiosk.domain.sale import Sale
from kiosk.domain.scan import ScanEvent, ScanSource, Symbology
from kiosk.services.session import Timings
from tests.helpers import FixedClock
from tests.ui.conftest import ASSETS, DemoStore
from ui.bootstrap import KioskApp, UiConfig, build_kiosk
from ui.screens.done import DoneScreen
from ui.sounds import SilentPlayer
from ui.widgets.common import QrView

URL = "https://central.example/r/0190?sig=abc"


class Links:
    """Stands in for the central service's receipt-link endpoint."""

    def __init__(self, online: bool = True) -> None:
        self.online = online
        self.asked: list[tuple[str, str | None, str]] = []

    def link(self, sale: Sale, exit_code: str | None, language: str) -> str:
        self.asked.append((sale.sale_id, exit_code, language))
        if not self.online:
            raise KioskError("offline", reason="e_receipt_unavailable")
        return URL


def paid_kiosk(home: Path, demo: DemoStore, qtbot: QtBot, links: Links) -> KioskApp:
    clock = FixedClock()
    payments = DemoPaymentProvider(clock, IdFactory(), ttl_s=120)
    config = UiConfig(
        home=home,
        assets=ASSETS,
        sounds=False,
        sync=False,
        timings=Timings(idle_s=3600, still_there_s=3600, done_s=3600),
        core_thread=False,
    )
    kiosk = build_kiosk(
        config, clock=clock, sounds=SilentPlayer(), payments=payments, receipt_links=links
    )
    kiosk.window.show()
    kiosk.start()
    session = kiosk.session
    code = display_gtin(demo.fixed[0].gtin)
    session.scan(ScanEvent(code, Symbology.EAN13, ScanSource.CAMERA, 0.0))
    session.pay()
    qtbot.waitUntil(lambda: session.payment is not None)
    assert session.payment is not None
    payments.simulate_paid(session.payment.payment_id)
    qtbot.waitUntil(lambda: kiosk.window.current == "done")
    return kiosk


def test_e_receipt_qr_and_printed_link(home: Path, demo: DemoStore, qtbot: QtBot) -> None:
    links = Links()
    kiosk = paid_kiosk(home, demo, qtbot, links)
    try:
        done = kiosk.window.screens["done"]
        assert isinstance(done, DoneScreen)
        qtbot.waitUntil(lambda: done.exit_qr.payload == URL)
        # One QR to scan: the e-receipt's page carries the exit code, and the screen says so.
        assert [q.payload for q in done.findChildren(QrView) if q.isVisible()] == [URL]
        assert kiosk.session.handoff.e_receipt
        session = kiosk.session
        assert session.sale is not None
        language = kiosk.localiser.language
        assert links.asked == [(session.sale.sale_id, session.exit_code, language)]
        kiosk.localiser.set_language("en")
        assert "exit code" in done.exit_heading.text()
        session.print_receipt()
        receipt = (home / "receipts" / f"receipt-{session.sale.sequence}.txt").read_text(
            encoding="utf-8"
        )
        assert URL in receipt
    finally:
        kiosk.shutdown()


def test_offline_there_is_no_e_receipt_and_nothing_else_changes(
    home: Path, demo: DemoStore, qtbot: QtBot
) -> None:
    links = Links(online=False)
    kiosk = paid_kiosk(home, demo, qtbot, links)
    try:
        qtbot.waitUntil(lambda: len(links.asked) == 1)
        done = kiosk.window.screens["done"]
        assert isinstance(done, DoneScreen)
        assert kiosk.session.e_receipt_url is None
        assert kiosk.session.exit_code is not None
        assert done.exit_qr.payload == kiosk.session.exit_code
    finally:
        kiosk.shutdown()
