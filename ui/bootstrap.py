"""The composition root: builds the real parts and passes them in through constructors.

Nothing else in `ui/` creates infrastructure. `build_kiosk` opens the store, the core's
services and ports, the scanner thread, the sync worker (when the kiosk is enrolled) and
the window; `KioskApp.shutdown` stops them in the reverse order.
"""

from __future__ import annotations

import gc
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QTimer
from PySide6.QtWidgets import QApplication

from kiosk.domain.ids import IdFactory
from kiosk.domain.receipt import StoreInfo
from kiosk.domain.sale import Sale, Tender
from kiosk.services.checkout import Checkout
from kiosk.services.exit_codes import (
    ExitCodeSigner,
    ExitCodeVerifier,
    ensure_signing_key,
    public_key_hex,
)
from kiosk.services.loyalty import LoyaltyKeys, LoyaltyService, LoyaltySettings
from kiosk.services.member_port import MemberLookup
from kiosk.services.payment_port import PaymentOutcome, PaymentProvider
from kiosk.services.payments import GatewayPayments, NoPaymentService
from kiosk.services.ports import Clock, SystemClock
from kiosk.services.printing import PrinterConfig, ReceiptPrinter
from kiosk.services.receipt_port import (
    EscposSalePrinter,
    ReceiptLinks,
    SalePrinter,
    TextFileSalePrinter,
)
from kiosk.services.setup import STATIC_QR_KEY, database_path, load_setup
from kiosk.services.staff_auth import StaffAuth
from kiosk.store.uow import KioskStore
from scanner.config import ScannerConfig
from scanner.sources import FrameSource
from scanner.worker import ScannerThread, ScannerWorker
from sync.client import Credential, RetryPolicy, new_client
from sync.connectivity import Connectivity
from sync.enrolment import load_credential
from sync.errors import NotEnrolled
from sync.loyalty import LOYALTY_STEPS, CentralMemberLookup
from sync.payments import CentralPaymentGateway
from sync.protocol import decode_secret
from sync.receipts import CentralReceiptLinks
from sync.worker import SyncWorker, status
from ui.health import HealthMonitor
from ui.i18n import DEFAULT_LANGUAGE, Localiser
from ui.kiosk_mode import KioskGuard, enter_kiosk_mode
from ui.models import CartModel, HealthModel
from ui.screens.attract import AttractScreen
from ui.screens.base import Screen as ScreenWidget
from ui.screens.done import DoneScreen
from ui.screens.member import MemberScreen
from ui.screens.payment import PaymentScreen
from ui.screens.scanning import ScanningScreen
from ui.screens.staff import LockedScreen, StaffLoginScreen, StaffScreen
from ui.session import KioskSession, Screen, Services, Timings
from ui.sounds import QtSoundPlayer, SilentPlayer, SoundPlayer
from ui.tasks import TaskRunner
from ui.theme import Theme
from ui.wedge_filter import WedgeFilter
from ui.widgets.camera import CameraView
from ui.window import STAFF, STAFF_LOGIN, ActivityFilter, MainWindow

ASSETS = Path(__file__).resolve().parents[1] / "assets"
LOCAL_CHAIN_KEY = "loyalty.local_chain_key"
"""Settings key of the member key a kiosk that is not enrolled makes for itself, once."""


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
    scanner: ScannerThread | None = None
    sync: SyncWorker | None = None
    guard: KioskGuard | None = None
    timers: list[QTimer] = field(default_factory=list)
    closers: list[Callable[[], None]] = field(default_factory=list)
    stopped: bool = False

    def start(self) -> None:
        if self.scanner is not None:
            self.scanner.start()
        if self.sync is not None:
            self.sync.start()
        for timer in self.timers:
            timer.start()

    def shutdown(self) -> None:
        """Stop everything; safe to call twice (a test may end what the app already ended)."""
        if self.stopped:
            return
        self.stopped = True
        for timer in self.timers:
            timer.stop()
        if self.scanner is not None:
            self.scanner.stop()
        if self.sync is not None:
            self.sync.stop()
        self.tasks.wait()
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


MEMBER_LOOKUP_RETRY = RetryPolicy(attempts=1, connect_timeout_s=0.5, read_timeout_s=1.0)


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
) -> KioskApp:
    """Build the kiosk; the keyword arguments replace real parts (tests, demo, benchmark)."""
    clock = clock or SystemClock()
    store = KioskStore.open(database_path(config.home))
    setup = load_setup(store)
    ids = IdFactory()
    credential = _credential(store)
    lookup: MemberLookup | None = None
    if credential is not None:
        # The lookup runs on a worker thread while the shopper waits (the screen stays
        # live); it still gives up fast and falls back to the kiosk's member cache, so a
        # slow network never keeps a shopper waiting for their member prices.
        lookup = CentralMemberLookup(new_client(credential, retry=MEMBER_LOOKUP_RETRY))
    loyalty = LoyaltyService(
        store,
        clock,
        ids,
        _loyalty_keys(store, credential),
        LoyaltySettings(),
        setup.identity.store_id,
        lookup=lookup,
    )
    checkout = Checkout(store, setup.identity, setup.policy, clock, ids, rules=[loyalty.rule])
    # Every sale the checkout finishes is booked (points, coupon redemptions) by the
    # service itself; recover() books what a crash left unbooked.
    loyalty.bind(checkout)
    loyalty.recover()
    auth = StaffAuth(store, setup.badge_key, monotonic=monotonic)
    timers: list[QTimer] = []
    db = database_path(config.home)
    recovered: Sale | None = None
    if payments is None and credential is not None:
        gateway = CentralPaymentGateway(new_client(credential), config.payment_provider)
        payments = GatewayPayments(gateway, lambda: KioskStore.open(db), clock, ids)
    if isinstance(payments, GatewayPayments):
        recovered = _recover_payments(payments, checkout, store)
    if payments is None:
        # Fail closed: a kiosk with no payment service takes no wallet payments; the
        # store's static QR with staff confirmation is all it offers (or nothing).
        payments = NoPaymentService()
    store_info = StoreInfo(name=f"Scan & Go {setup.identity.store_id}")
    if printer is None:
        printer = (
            EscposSalePrinter(ReceiptPrinter(PrinterConfig(config.printer)), store_info)
            if config.printer
            else TextFileSalePrinter(config.home / "receipts", store_info)
        )
    exit_key = ensure_signing_key(store)
    # This kiosk verifies its own codes; the store's other kiosks' keys come with sync later.
    verifier = ExitCodeVerifier({setup.identity.kiosk_id: public_key_hex(exit_key)}, store)
    services = Services(
        checkout=checkout,
        auth=auth,
        members=loyalty.directory(),
        loyalty=loyalty,
        payments=payments,
        printer=printer,
        ids=ids,
        store=store,
        clock=clock,
        exit_signer=ExitCodeSigner(exit_key),
        exit_verifier=verifier,
        receipt_links=receipt_links
        or (CentralReceiptLinks(new_client(credential)) if credential else None),
        static_qr=store.settings.get(STATIC_QR_KEY),
    )
    localiser = Localiser(config.assets / "i18n", setup.policy.timezone, config.language)
    if sounds is None:
        sounds = QtSoundPlayer(config.assets / "sounds") if config.sounds else SilentPlayer()
    tasks = TaskRunner()
    session = KioskSession(services, localiser, sounds, tasks, config.timings)
    theme = Theme()
    camera = CameraView(theme.palette)
    cart_model = CartModel(localiser)
    staff_model = CartModel(localiser, include_inactive=True)

    connectivity = Connectivity()
    sync_worker: SyncWorker | None = None
    if config.sync and credential is not None:
        sync_worker = SyncWorker(
            lambda: KioskStore.open(db),
            connectivity=connectivity,
            camera_fps=lambda: health.stats.capture_fps if health.stats else None,
            steps=LOYALTY_STEPS,
        )
        connectivity = sync_worker.connectivity
    health = HealthMonitor(
        HealthModel(),
        lambda: status(store, connectivity),
        when=lambda at: localiser.moment(at, clock.now()),
    )

    login = StaffLoginScreen(session)
    screens: dict[str, ScreenWidget] = {
        Screen.ATTRACT.value: AttractScreen(session, theme.palette.brand),
        Screen.SCANNING.value: ScanningScreen(session, localiser, theme, camera, cart_model),
        Screen.MEMBER.value: MemberScreen(session, localiser),
        Screen.PAYMENT.value: PaymentScreen(session, localiser, clock),
        Screen.DONE.value: DoneScreen(session, localiser),
        Screen.LOCKED.value: LockedScreen(),
        STAFF_LOGIN: login,
        STAFF: StaffScreen(session, theme, staff_model, health),
    }
    window = MainWindow(session, localiser, theme, screens)
    login.cancelled.connect(window.close_staff_login)
    window.resize(*config.size)
    if config.warm_up:
        # Lay out and draw every screen once now: the first switch to a screen otherwise
        # pays for polishing, layout and glyph caches (~90 ms for the scanning screen).
        for screen in screens.values():
            screen.grab()

    app = QApplication.instance()
    wedge = WedgeFilter()
    wedge.scanned.connect(session.scan)
    wedge.rejected.connect(lambda _text: session.notice_reason("check_digit"))
    activity = ActivityFilter(session)
    if app is not None:
        app.installEventFilter(wedge)
        app.installEventFilter(activity)

    scanner: ScannerThread | None = None
    if config.scanner is not None:
        worker = ScannerWorker(config.scanner, source_factory=source_factory)
        worker.code_scanned.connect(session.scan)
        worker.preview_ready.connect(camera.set_image)
        worker.stats_updated.connect(health.on_stats)
        worker.source_status_changed.connect(camera.set_state)
        worker.source_status_changed.connect(health.on_camera_status)
        worker.source_status_changed.connect(session.camera_status)
        scanner = ScannerThread(worker)

    kiosk = KioskApp(
        window=window,
        session=session,
        localiser=localiser,
        store=store,
        payments=payments,
        camera=camera,
        health=health,
        wedge=wedge,
        tasks=tasks,
        sounds=sounds,
        scanner=scanner,
        sync=sync_worker,
        timers=timers,
    )

    def remove_activity() -> None:
        if app is not None:
            app.removeEventFilter(activity)

    kiosk.closers += [store.close, remove_activity, localiser.close]
    if isinstance(payments, GatewayPayments):
        kiosk.closers.insert(0, payments.stop)
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


def _credential(store: KioskStore) -> Credential | None:
    try:
        return load_credential(store)
    except NotEnrolled:
        return None


def _loyalty_keys(store: KioskStore, credential: Credential | None) -> LoyaltyKeys:
    """The chain's member key from enrolment; a kiosk that is not enrolled (a demo, a store
    without a central service) makes its own once and keeps it, so its cards stay valid."""
    if credential is not None:
        return LoyaltyKeys.from_chain_key(decode_secret(credential.member_phone_key))
    key = store.settings.get(LOCAL_CHAIN_KEY)
    if key is None:
        key = secrets.token_hex(32)
        store.settings.set(LOCAL_CHAIN_KEY, key)
    return LoyaltyKeys.from_chain_key(bytes.fromhex(str(key)))


def _recover_payments(
    payments: GatewayPayments, checkout: Checkout, store: KioskStore
) -> Sale | None:
    """Settle payments a restart interrupted. If the shopper paid the cart that is still
    frozen, complete its sale now: the money was taken, so the sale must not be lost."""
    recovered = None
    cart = checkout.cart
    for result in payments.recover():
        session = store.payments.get(result.payment_id)
        if (
            result.outcome is PaymentOutcome.PAID
            and session is not None
            and cart.frozen
            and session.sale_id == cart.cart_id
        ):
            tender = Tender(
                session.payment_id, session.provider, session.amount, session.provider_ref or ""
            )
            recovered = checkout.complete_sale(tender)
    return recovered
