"""The kiosk as it runs in a shop: the core on its own thread, the UI thread only rendering.

Every other UI test runs the core inline so it can read it between steps; this one drives
a whole journey through the queued hand-over and checks what came back, and where it ran.
"""

from __future__ import annotations

import sys
import threading

import pytest
from PySide6.QtCore import QThread
from pytestqt.qtbot import QtBot

from demo.store import DemoStore
from kiosk.services.session import Screen
from kiosk.services.setup import database_path
from kiosk.store.uow import KioskStore
from tests.ui.conftest import Kit, KitFactory, shown
from ui.bootstrap import GIL_SWITCH_S


def test_a_whole_sale_runs_on_the_core_thread(
    make_kit: KitFactory, demo: DemoStore, qtbot: QtBot
) -> None:
    kit = make_kit(core_thread=True)
    kiosk, session = kit.kiosk, kit.kiosk.session
    assert kiosk.core_thread is not None
    ui_thread = threading.get_ident()
    checkout_threads: set[int] = set()
    scan = session.core.checkout.scan

    def where_scanned(*args: object) -> object:
        checkout_threads.add(threading.get_ident())
        return scan(*args)  # type: ignore[arg-type]

    session.core.checkout.scan = where_scanned  # type: ignore[method-assign]

    kit.scan_product(demo.fixed[0])
    kit.scan_product(demo.fixed[1])
    # The scans are queued to the core: nothing has changed here yet.
    assert session.state.cart.is_empty
    qtbot.waitUntil(lambda: len(session.state.cart.lines) == 2)
    assert shown(kiosk.window) == "scanning"
    assert session.state.priced.total == demo.fixed[0].price + demo.fixed[1].price
    assert checkout_threads
    assert ui_thread not in checkout_threads

    session.pay()
    qtbot.waitUntil(lambda: session.payment is not None)
    payment = session.payment
    assert payment is not None
    assert payment.amount == session.state.priced.total
    kit.payments.simulate_paid(payment.payment_id)
    qtbot.waitUntil(lambda: session.screen is Screen.DONE)
    sale, code = session.sale, session.exit_code
    assert sale is not None
    assert code is not None
    assert sale.priced.total == demo.fixed[0].price + demo.fixed[1].price

    # What the core thread wrote is on disk, read through a store of this thread's own.
    store = KioskStore.open(database_path(kit.home))
    try:
        document = store.sales.document(sale.sale_id)
        assert document is not None
        assert document["total_minor"] == sale.priced.total.minor
    finally:
        store.close()


def test_a_crash_on_the_core_thread_surfaces_on_the_ui_thread(
    make_kit: KitFactory, qtbot: QtBot
) -> None:
    kit = make_kit(core_thread=True)
    session = kit.kiosk.session

    def broken(*_args: object) -> object:
        assert QThread.currentThread() is not kit.kiosk.window.thread()
        raise RuntimeError("a bug in the core")

    session.core.checkout.scan = broken  # type: ignore[method-assign]
    with qtbot.captureExceptions() as raised:
        kit.scan("6901234567892")
        qtbot.waitUntil(lambda: bool(raised))
    assert isinstance(raised[0][1], RuntimeError)
    assert str(raised[0][1]) == "a bug in the core"


def test_the_ui_thread_waits_at_most_a_millisecond_for_the_interpreter(kit: Kit) -> None:
    assert kit.kiosk.window is not None
    assert sys.getswitchinterval() == pytest.approx(GIL_SWITCH_S)
    assert GIL_SWITCH_S < 0.005  # below Python's default, or the setting does nothing


def test_every_qt_type_exists_before_the_first_scan(kit: Kit) -> None:
    """A Qt type PySide6 first makes while scanning stalls the UI thread (lazy loading)."""
    assert kit.kiosk.window is not None
    qt_modules = [m for name, m in sys.modules.items() if name.startswith("PySide6.Qt")]
    assert {m.__name__ for m in qt_modules} >= {"PySide6.QtCore", "PySide6.QtWidgets"}
    for module in qt_modules:
        not_made = [name for name in dir(module) if name not in vars(module)]
        assert not_made == [], module.__name__
