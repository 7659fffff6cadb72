"""Scanner input: a USB keyboard-wedge scanner's keystrokes, and a whole journey driven by a
recorded camera through the real scanner worker thread."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from demo.store import DemoStore
from kiosk.domain.codes import display_gtin
from kiosk.domain.scan import ScanEvent, ScanSource
from scanner.config import ConfirmRule, ScannerConfig
from scanner.wedge import WedgeDetector
from tests.ui.conftest import KitFactory, RecordedSource, recorded_frames, shown
from ui.screens.done import DoneScreen
from ui.wedge_filter import WedgeFilter


class Ticker:
    """A clock that moves a fixed step each time it is read."""

    def __init__(self, step: float) -> None:
        self.now = 0.0
        self.step = step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def test_wedge_burst_becomes_a_scan(qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert app is not None
    wedge = WedgeFilter(WedgeDetector(), clock=Ticker(0.002))
    app.installEventFilter(wedge)
    try:
        field = QLineEdit()
        qtbot.addWidget(field)
        field.show()
        field.setFocus()
        with qtbot.waitSignal(wedge.scanned) as blocker:
            qtbot.keyClicks(field, "6901234567892")
            qtbot.keyClick(field, Qt.Key.Key_Return)
        event = blocker.args[0]
        assert isinstance(event, ScanEvent)
        assert (event.text, event.source) == ("6901234567892", ScanSource.WEDGE)
        assert field.text() == ""  # the burst never reached the focused field
    finally:
        app.removeEventFilter(wedge)


def test_slow_typing_reaches_the_focused_field(qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert app is not None
    wedge = WedgeFilter(WedgeDetector(), clock=Ticker(0.2), poll_ms=5)
    app.installEventFilter(wedge)
    try:
        field = QLineEdit()
        qtbot.addWidget(field)
        field.show()
        field.setFocus()
        qtbot.keyClicks(field, "1001")
        qtbot.waitUntil(lambda: field.text() == "1001")
    finally:
        app.removeEventFilter(wedge)


def test_wedge_misread_is_refused(qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert app is not None
    wedge = WedgeFilter(WedgeDetector(), clock=Ticker(0.002))
    app.installEventFilter(wedge)
    try:
        field = QLineEdit()
        qtbot.addWidget(field)
        field.setFocus()
        with qtbot.waitSignal(wedge.rejected):
            qtbot.keyClicks(field, "]E06901234567890")
            qtbot.keyClick(field, Qt.Key.Key_Return)
    finally:
        app.removeEventFilter(wedge)


def test_journey_with_a_recorded_camera(
    make_kit: KitFactory, demo: DemoStore, qtbot: QtBot
) -> None:
    """Scan three products shown to the camera, sign up, pay with the demo wallet, receipt."""
    products = demo.fixed[:3]
    frames = recorded_frames([display_gtin(p.gtin) for p in products])
    config = ScannerConfig(source="recorded", confirm=ConfirmRule.FRAMES, stats_every_s=0.2)
    kit = make_kit(scanner=config, source_factory=lambda: RecordedSource(frames))
    kiosk = kit.kiosk
    assert kiosk.scanner is not None
    qtbot.waitUntil(lambda: len(kiosk.session.checkout.cart.lines) == 3, timeout=20_000)
    qtbot.waitUntil(lambda: not kiosk.scanner.is_running(), timeout=20_000)  # type: ignore[union-attr]
    session, window = kiosk.session, kiosk.window
    assert [line.gtin for line in session.checkout.cart.lines] == [p.gtin for p in products]
    assert kiosk.camera.frames_shown > 0
    assert kiosk.health.stats is not None
    assert kiosk.health.stats.scans == 3
    assert shown(window) == "scanning"
    session.open_member()
    session.member_sign_up("13700001234", True)
    session.pay()
    qtbot.waitUntil(lambda: session.payment is not None)
    assert session.payment is not None
    with qtbot.waitSignal(session.sale_finished):
        kit.payments.simulate_paid(session.payment.payment_id)
    done = window.screens["done"]
    assert isinstance(done, DoneScreen)
    qtbot.mouseClick(done.print_button, Qt.MouseButton.LeftButton)
    receipt = (kit.home / "receipts" / "receipt-1.txt").read_text(encoding="utf-8")
    assert products[0].name("zh_CN") in receipt
    [sale] = session.core.store.sales.recent()
    assert sale.document["member_id"]
