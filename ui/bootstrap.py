"""The composition root: builds the real parts and passes them in through constructors.

Nothing else in `ui/` creates infrastructure. `build_kiosk` opens the store, the core's
services and ports, the scanner thread, the sync worker (when the kiosk is enrolled) and
the window; `KioskApp.shutdown` stops them in the reverse order.
"""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QThread, QTimer
from PySide6.QtWidgets import QApplication

from app.core import CoreOptions, build_core
from kiosk.domain.errors import Reason
from kiosk.services.payment_port import PaymentProvider
from kiosk.services.ports import Clock
from kiosk.services.receipt_port import (
    ReceiptLinks,
    SalePrinter,
)
from kiosk.services.session import Screen, Timings
from kiosk.store.uow import KioskStore
from scale.serial_scale import SerialScale
from scale.worker import ScaleConnection, ScaleWorker
from scanner.config import ScannerConfig
from scanner.sources import FrameSource
from scanner.worker import ScannerWorker
from sync.attendant import AttendantLink
from sync.client import new_client
from sync.connectivity import Connectivity
from sync.worker import SyncWorker, status
from ui.attendant import live_state
from ui.health import HealthMonitor
from ui.i18n import DEFAULT_LANGUAGE, Localiser
from ui.kiosk_mode import KioskGuard, enter_kiosk_mode
from ui.models import CartModel, HealthModel
from ui.screens.attract import AttractScreen
from ui.screens.base import Screen as ScreenWidget
from ui.screens.done import DoneScreen
from ui.screens.member import MemberScreen
from ui.screens.payment import PaymentScreen
from ui.screens.picker import PickerScreen
from ui.screens.pickup import PickupScreen
from ui.screens.scanning import ScanningScreen
from ui.screens.staff import LockedScreen, StaffLoginScreen, StaffScreen
from ui.screens.weighing import WeighingScreen
from ui.session import KioskSession
from ui.sounds import QtSoundPlayer, SilentPlayer, SoundPlayer
from ui.tasks import TaskRunner, WorkerThread
from ui.theme import Theme
from ui.wedge_filter import WedgeFilter
from ui.widgets.camera import CameraView
from ui.widgets.common import Countdown
from ui.window import STAFF, STAFF_LOGIN, ActivityFilter, MainWindow

ASSETS = Path(__file__).resolve().parents[1] / "assets"


GIL_SWITCH_S = 0.001
"""How often a thread running Python hands the interpreter lock over (Python: 5 ms)."""


@dataclass(frozen=True, slots=True)
class UiConfig:
    home: Path
    assets: Path = ASSETS
    scanner: ScannerConfig | None = None
    """None runs without a camera (keyboard-wedge scanners and tests)."""
    kiosk_mode: bool = False
    hide_cursor: bool = False
    sounds: bool = True
    language: str = DEFAULT_LANGUAGE
    timings: Timings = field(default_factory=Timings)
    payment_provider: str = "sandbox"
    """The central service's provider for this kiosk: sandbox, wechat, emvco:pix, …"""
    size: tuple[int, int] = (1920, 1080)
    printer: str | None = None
    """An ESC/POS printer spec (`kiosk.services.printing.PrinterConfig`); None writes
    receipts as text files into `<home>/receipts`."""
    sync: bool = True
    warm_up: bool = True
    core_thread: bool = True
    """Run the core (checkout, pricing, the cart's writes) on its own thread, so the UI
    thread only renders; False runs it inline (tests and screenshots that read the core)."""
    frozen_time: bool = False
    """The scripted demo's screenshots: the session's timers never fire (the script fires
    them itself) and the countdowns stand still, so a screen shows the store's real seconds
    however long a slow machine takes over it (a long timer instead showed "3600 s")."""


@dataclass(slots=True)
class KioskApp:
    """Everything `build_kiosk` made, for the entry points and the tests."""

    window: MainWindow
    session: KioskSession
    localiser: Localiser
    store: KioskStore
    payments: PaymentProvider
    camera: CameraView
    health: HealthMonitor
    wedge: WedgeFilter
    tasks: TaskRunner
    sounds: SoundPlayer
    scanner: WorkerThread | None = None
    scale: WorkerThread | None = None
    sync: SyncWorker | None = None
    attendant: AttendantLink | None = None
    core_thread: QThread | None = None
    guard: KioskGuard | None = None
    timers: list[QTimer] = field(default_factory=list)
    closers: list[Callable[[], None]] = field(default_factory=list)
    stopped: bool = False

    def start(self) -> None:
        if self.core_thread is not None:
            self.core_thread.start()
        if self.scanner is not None:
            self.scanner.start()
        if self.scale is not None:
            self.scale.start()
        if self.sync is not None:
            self.sync.start()
        if self.attendant is not None:
            self.attendant.start()
        for timer in self.timers:
            timer.start()

    def shutdown(self) -> None:
        """Stop everything; safe to call twice (a test may end what the app already ended)."""
        if self.stopped:
            return
        self.stopped = True
        for timer in self.timers:
            timer.stop()
        self.session.stop_timers()
        if self.scanner is not None:
            self.scanner.stop()
        if self.scale is not None:
            self.scale.stop()
        if self.attendant is not None:
            self.attendant.stop()
        if self.sync is not None:
            self.sync.stop()
        self.tasks.wait()
        if self.core_thread is not None:
            # Intents still queued are dropped with the window; the core is closed below,
            # on this thread, once its own has stopped using it.
            self.core_thread.quit()
            self.core_thread.wait()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.wedge)
        # The widgets go before the store they read from: a language change or a timer must
        # not reach a screen whose data is gone.
        if self.guard is not None:
            self.guard.allow_close = True
        self.window.close()
        self.window.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        for close in reversed(self.closers):
            close()


def build_kiosk(
    config: UiConfig,
    *,
    clock: Clock | None = None,
    monotonic: Callable[[], float] = time.monotonic,
    source_factory: Callable[[], FrameSource] | None = None,
    sounds: SoundPlayer | None = None,
    payments: PaymentProvider | None = None,
    printer: SalePrinter | None = None,
    receipt_links: ReceiptLinks | None = None,
    open_scale: Callable[[str], ScaleConnection] = SerialScale,
) -> KioskApp:
    """Build the kiosk; the keyword arguments replace real parts (tests, demo, benchmark).

    The kiosk weighs loose goods on the scale at its `scale_port` setting (`kiosk scale
    PORT`), opened with `open_scale` (the MT-SICS serial driver)."""
    # The core and the decoder run Python on their threads too: the UI thread, waiting for
    # the interpreter lock, gets it after at most this long instead of Python's 5 ms
    # (benchmarks.ui, alternating runs: longest stall 29-30 ms against 34-60 ms).
    sys.setswitchinterval(GIL_SWITCH_S)
    core = build_core(
        config.home,
        CoreOptions(
            payment_provider=config.payment_provider,
            printer=config.printer,
            handed_over=config.core_thread,
        ),
        clock=clock,
        monotonic=monotonic,
        payments=payments,
        printer=printer,
        receipt_links=receipt_links,
    )
    clock = core.clock
    store = core.store
    setup = core.setup
    recovered = core.recover_payments()
    timers: list[QTimer] = []
    db = core.database
    localiser = Localiser(config.assets / "i18n", setup.policy.timezone, config.language)
    if sounds is None:
        sounds = (
            QtSoundPlayer(config.assets / "sounds", config.assets / "prompts")
            if config.sounds
            else SilentPlayer()
        )
    tasks = TaskRunner()
    core_thread = QThread() if config.core_thread else None
    if core_thread is not None:
        core_thread.setObjectName("kiosk-core")
    session = KioskSession(
        core,
        localiser,
        sounds,
        tasks,
        config.timings,
        core_thread,
        run_timers=not config.frozen_time,
    )
    theme = Theme()
    camera = CameraView(theme.palette)
    cart_model = CartModel(localiser)
    staff_model = CartModel(localiser, include_inactive=True)

    connectivity = Connectivity()
    sync_worker: SyncWorker | None = None
    if config.sync and core.credential is not None:
        sync_worker = SyncWorker(
            lambda: KioskStore.open(db),
            connectivity=connectivity,
            camera_fps=lambda: health.stats.capture_fps if health.stats else None,
        )
        connectivity = sync_worker.connectivity
    # The health view reads on the UI thread: with the core on its own, through its own store.
    health_store = KioskStore.open(db) if core_thread is not None else store
    health = HealthMonitor(
        HealthModel(),
        lambda: status(health_store, connectivity),
        when=lambda at: localiser.moment(at, clock.now()),
    )
    session.printer_changed.connect(health.on_printer_status)
    attendant: AttendantLink | None = None
    if sync_worker is not None and core.credential is not None:
        credential = core.credential
        link = AttendantLink(
            lambda: new_client(credential, connectivity=connectivity),
            lambda: live_state(session, health, camera=config.scanner is not None),
            session.remote_command.emit,
        )
        # What the console shows changed: tell it now, not at the next round.
        for changed in (session.cart_changed, session.screen_changed, session.alerts_changed,
                        session.staff_changed, session.printer_changed):  # fmt: skip
            changed.connect(link.wake)
        # An alert travels through the outbox: a sync round now puts it on the console.
        session.alerts_changed.connect(sync_worker.wake)
        attendant = link

    login = StaffLoginScreen(session)
    screens: dict[str, ScreenWidget] = {
        Screen.ATTRACT.value: AttractScreen(session, theme.palette.brand),
        Screen.SCANNING.value: ScanningScreen(session, localiser, theme, camera, cart_model),
        Screen.PICKER.value: PickerScreen(session, localiser, config.assets / "products"),
        Screen.MEMBER.value: MemberScreen(session, localiser),
        Screen.PAYMENT.value: PaymentScreen(session, localiser, clock),
        Screen.DONE.value: DoneScreen(session, localiser),
        Screen.LOCKED.value: LockedScreen(),
        Screen.WEIGHING.value: WeighingScreen(session, localiser),
        Screen.PICKUP.value: PickupScreen(session, localiser),
        STAFF_LOGIN: login,
        STAFF: StaffScreen(session, theme, staff_model, health),
    }
    window = MainWindow(session, localiser, theme, screens)
    if config.frozen_time:
        for countdown in window.findChildren(Countdown):
            countdown.clock = lambda: 0.0
    login.cancelled.connect(window.close_staff_login)
    window.resize(*config.size)
    if config.warm_up:
        # Lay out and draw every screen once now: the first switch to a screen otherwise
        # pays for polishing, layout and glyph caches (~90 ms for the scanning screen).
        for screen in screens.values():
            screen.grab()
        _create_qt_types()

    app = QApplication.instance()
    wedge = WedgeFilter()
    wedge.scanned.connect(session.scan)
    wedge.rejected.connect(lambda _text: session.notice_reason(Reason.CHECK_DIGIT))
    activity = ActivityFilter(session)
    if app is not None:
        app.installEventFilter(wedge)
        app.installEventFilter(activity)

    scanner: WorkerThread | None = None
    if config.scanner is not None:
        worker = ScannerWorker(config.scanner, source_factory=source_factory)
        worker.code_scanned.connect(session.scan)
        worker.preview_ready.connect(camera.set_image)
        worker.stats_updated.connect(health.on_stats)
        worker.source_status_changed.connect(camera.set_state)
        worker.source_status_changed.connect(health.on_camera_status)
        worker.source_status_changed.connect(session.camera_status)
        scanner = WorkerThread(worker, "scanner")

    scale: WorkerThread | None = None
    port = core.scale_port
    if port is not None:
        scale_worker = ScaleWorker(lambda: open_scale(port))
        scale_worker.reading.connect(session.scale_read)
        scale_worker.zeroed.connect(session.scale_zeroed)
        scale_worker.failed.connect(session.scale_failed)
        # The worker's loop never returns to its event loop: the command sets its flags.
        session.scale_asked.connect(scale_worker.command, Qt.ConnectionType.DirectConnection)
        scale = WorkerThread(scale_worker, "scale")

    kiosk = KioskApp(
        window=window,
        session=session,
        localiser=localiser,
        store=store,
        payments=core.payments,
        camera=camera,
        health=health,
        wedge=wedge,
        tasks=tasks,
        sounds=sounds,
        scanner=scanner,
        scale=scale,
        sync=sync_worker,
        attendant=attendant,
        core_thread=core_thread,
        timers=timers,
    )

    def remove_activity() -> None:
        if app is not None:
            app.removeEventFilter(activity)

    kiosk.closers += [core.close, remove_activity, localiser.close]
    if health_store is not store:
        kiosk.closers.append(health_store.close)
    if recovered is not None:
        session.show_paid(recovered)
    if config.kiosk_mode:
        kiosk.guard = enter_kiosk_mode(window, hide_cursor=config.hide_cursor)
        guard = kiosk.guard

        def leave() -> None:
            guard.allow_close = True
            window.close()

        session.exit_requested.connect(leave)
    else:
        session.exit_requested.connect(window.close)
    _keep_garbage_collection_off_the_scan_path(session)
    return kiosk


def _create_qt_types() -> None:
    """PySide6 makes a Qt class's Python type, with its enums, the first time anything
    touches it (lazy loading, PYSIDE-2404): ten seconds into scanning, a batch of types first
    crossing a signal or a paint stalled the UI thread 20-28 ms (benchmarks.ui). Making
    every type of the Qt modules loaded so far costs ~80 ms once, at start-up."""
    for name, module in list(sys.modules.items()):
        if name.startswith("PySide6.Qt"):
            for attribute in dir(module):
                getattr(module, attribute)


def _keep_garbage_collection_off_the_scan_path(session: KioskSession) -> None:
    """CPython's full collections walk every live object: with the catalog, Qt wrappers and
    the offers engine loaded that took up to 90 ms, a visible freeze mid-scan (benchmarks.ui).
    What start-up built lives as long as the app, so it is frozen out of every collection,
    and the full collection runs while nobody is shopping: whenever the attract screen
    comes back."""
    gc.collect()
    gc.freeze()

    def between_shoppers(screen: str) -> None:
        if screen == Screen.ATTRACT.value:
            gc.collect()

    session.screen_changed.connect(between_shoppers)
