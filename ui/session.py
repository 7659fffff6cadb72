"""The Qt face of the kiosk's session (`kiosk.services.shopper.ShopperSession`): widgets call
the intent slots here, the session decides, and its events come back as the signals the
screens render, the timers it asks for and the slow calls it hands to the thread pool.

Nothing here decides what the kiosk does; it only keeps the last state each event showed,
so the screens can read it when they are built or switched to.

Where the session runs: given a `core_thread`, every intent is queued to that thread (the
checkout, pricing and the cart's SQLite write happen there) and the events come back
queued, as immutable values, so the UI thread only renders. Without one, intents run
inline on the UI thread (the UI tests and the demo's screenshots, which read the core
between steps). Either way intents run one at a time, in the order they were made.

Signals:
    cart_changed(CartState): after every change of the cart (and at start).
    screen_changed(str): a `Screen` value.
    notice(Notice): a message for the shopper (translated when shown, from its reason).
    notice_cleared(): a held notice is over (the shopper's next item went in).
    bag_offered(object): ask "need a bag?" about this `Product` before paying; None: the
        question is over.
    payment_changed(object): the open `PaymentView`, or None while it is being prepared.
    payment_shown(PaymentShown): what the payment screen shows (stage, view, amount).
    sale_finished(Sale): the sale that was just paid (the done screen shows it).
    e_receipt_ready(str): the e-receipt link of that sale.
    pass_changed(PassShown): the done screen's exit pass (handed over or not, held or
        counting down).
    member_changed(object): the `MemberView` on the cart, or None.
    member_lookup_changed(bool): a member lookup is under way (or no longer).
    loyalty_changed(LoyaltyView): the cart's promotions, coupons, hints and member (with
        tier, points and wallet), after every cart change.
    alerts_changed(object): the kiosk's open alerts (a tuple of `Alert`, oldest first;
        empty: nobody is needed).
    printer_changed(str): a `PrinterStatus` value, from the last print.
    still_there_asked(int): the idle timer fired: ask, and clear in this many seconds.
    still_there_dismissed(): the shopper answered (or the cart was cleared).
    staff_changed(object): the signed-in `Staff`, or None.
    staff_login_requested(): open the staff sign-in keypad.
    exit_requested(): staff left kiosk mode; the app quits.
    picker_shown(PickerShown): the item picker's tiles for the search or category.
    weighing_changed(object): what the weighing screen shows (`WeighingView`), or None
        when the weighing is over.
    scale_asked(str): a `ScaleCommand` for the scale's thread (start, zero, stop).
    transfer_shown(object): the `SuspendedCart` just suspended here (its code to show),
        or None once staff are done with it.
    pickup_changed(object): what the pickup screen shows (`PickupView`), or None.
    collected_shown(CollectedShown): the group-buy orders the shopper collected, for the
        done screen (with the exit pass of a pickup with nothing bought).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal, Slot

from app.core import KioskCore
from kiosk.domain.alerts import Alert, AlertReason, RemoteCommand
from kiosk.domain.catalog import Product
from kiosk.domain.codes import Gtin
from kiosk.domain.errors import KioskError, Reason
from kiosk.domain.offers import OfferEngine
from kiosk.domain.sale import Sale
from kiosk.domain.scale import ScaleReading, ZeroResult
from kiosk.domain.scan import ScanEvent
from kiosk.domain.staff import Staff
from kiosk.services.cart_offers import LoyaltyView
from kiosk.services.checkout import CartState, Checkout
from kiosk.services.members import MemberView
from kiosk.services.payment_port import PaymentResult, PaymentView
from kiosk.services.pickups import PickupView
from kiosk.services.session import (
    LEFT_VOID_REASON,
    AlertsShown,
    BagOffered,
    CartShown,
    CollectedShown,
    EReceiptShown,
    Event,
    ExitAsked,
    LanguageReset,
    Level,
    LockShown,
    LookupShown,
    MemberShown,
    Notice,
    PassShown,
    PaymentShown,
    PickerShown,
    PickupShown,
    Played,
    PrinterShown,
    PrinterStatus,
    ProductsFound,
    RefundShown,
    Said,
    SaleShown,
    Screen,
    ScreenShown,
    Spoken,
    StaffLoginAsked,
    StaffShown,
    StillThereAsked,
    StillThereDismissed,
    Task,
    Timer,
    Timings,
    TransferShown,
    Unsaid,
)
from kiosk.services.shopper import ShopperSession
from kiosk.services.staff_desk import StaffDesk
from kiosk.services.weighing import ScaleAsked, WeighingShown, WeighingView
from ui.i18n import Localiser
from ui.offers import OfferNames
from ui.sounds import SoundPlayer
from ui.tasks import TaskRunner

Intent = Callable[[ShopperSession], list[Event]]


class _CoreWorker(QObject):
    """Runs intents on the core thread; hands their events (or a crash) back queued."""

    events = Signal(object)
    crashed = Signal(object)

    def __init__(self, shopper: ShopperSession) -> None:
        super().__init__()
        self._shopper = shopper

    @Slot(object)
    def run(self, intent: Intent) -> None:
        try:
            events = intent(self._shopper)
        except BaseException as exc:  # noqa: BLE001 - a bug: re-raised on the UI thread
            self.crashed.emit(exc)
        else:
            self.events.emit(events)


class KioskSession(QObject):
    cart_changed = Signal(object)
    screen_changed = Signal(str)
    notice = Signal(object)
    notice_cleared = Signal()
    bag_offered = Signal(object)
    payment_changed = Signal(object)
    payment_shown = Signal(object)
    sale_finished = Signal(object)
    e_receipt_ready = Signal(str)
    pass_changed = Signal(object)
    member_changed = Signal(object)
    member_lookup_changed = Signal(bool)
    loyalty_changed = Signal(object)
    alerts_changed = Signal(object)
    printer_changed = Signal(str)
    still_there_asked = Signal(int)
    still_there_dismissed = Signal()
    staff_changed = Signal(object)
    staff_login_requested = Signal()
    exit_requested = Signal()
    products_found = Signal(object)
    picker_shown = Signal(object)
    weighing_changed = Signal(object)
    scale_asked = Signal(str)
    transfer_shown = Signal(object)
    refund_changed = Signal(object)
    pickup_changed = Signal(object)
    collected_shown = Signal(object)
    _payment_result = Signal(object)
    _intent = Signal(object)
    preferences_reset = Signal()
    """A new shopper: language, text size and contrast back to the store's."""
    remote_command = Signal(object)
    """A `RemoteCommand` from the attendant console; emitted from the link's thread."""

    def __init__(
        self,
        core: KioskCore,
        localiser: Localiser,
        sounds: SoundPlayer,
        tasks: TaskRunner,
        timings: Timings | None = None,
        core_thread: QThread | None = None,
        *,
        run_timers: bool = True,
    ) -> None:
        """`core_thread`: run the core there (it must not be started yet: the core is
        handed over when it starts). `core` is then that thread's alone. `run_timers`
        False: the session's timers never fire by themselves (`fire` does it: the demo's
        scripted screenshots)."""
        super().__init__()
        self.core = core
        self._run_timers = run_timers
        self.speech = False
        """The shopper switched spoken prompts on (the top bar's loudspeaker); off for the
        next shopper."""
        self.localiser = localiser
        self._sounds = sounds
        self._tasks = tasks
        self._shopper = ShopperSession(core, timings, localiser.language)
        shopper = self._shopper
        self._worker: _CoreWorker | None = None
        if core_thread is not None:
            self._worker = _CoreWorker(shopper)
            self._worker.moveToThread(core_thread)
            self._intent.connect(self._worker.run, Qt.ConnectionType.QueuedConnection)
            self._worker.events.connect(self._apply, Qt.ConnectionType.QueuedConnection)
            self._worker.crashed.connect(self._crash, Qt.ConnectionType.QueuedConnection)
            core_thread.finished.connect(self._worker.deleteLater)
        # What the last events showed: the screens read these when they are built.
        self.screen: Screen = shopper.screen
        self.state: CartState = shopper.state
        self.loyalty: LoyaltyView = shopper.loyalty
        self.payment: PaymentView | None = None
        self.payment_shown_last: PaymentShown | None = None
        self.said: Notice | None = None
        """The notice on show (a restart's, said before the window was built), if any."""
        self.sale: Sale | None = None
        self.exit_code: str | None = None
        self.e_receipt_url: str | None = None
        self.handoff = shopper.handoff
        self.member: MemberView | None = None
        self.staff: Staff | None = None
        self.alerts: tuple[Alert, ...] = ()
        self.coming: str | None = None
        """The name of the staff member on the way (`AlertsShown.coming`)."""
        self.alert_items: dict[str, Product] = {}
        """The products the open alerts name, by GTIN (`AlertsShown.items`)."""
        self.printer = PrinterStatus.UNKNOWN
        self.locked = False
        self.looking_up_member = False
        self.picker = PickerShown("", "", (), ())
        self.weighing: WeighingView | None = None
        self.pickup: PickupView | None = None
        self.collected = CollectedShown(())
        self._offers: tuple[OfferEngine, OfferNames] | None = None
        self._timers = {timer: self._timer(timer) for timer in Timer}
        self._payment_result.connect(self._on_payment_result, Qt.ConnectionType.QueuedConnection)
        self.remote_command.connect(self._remote, Qt.ConnectionType.QueuedConnection)
        core.payments.subscribe(self._payment_result.emit)
        self._apply(shopper.open())

    @property
    def can_speak(self) -> bool:
        """The prompts were recorded for this kiosk (at build time)."""
        return self._sounds.can_speak

    @property
    def assistance(self) -> bool:
        """Someone from staff is needed here (an alert is open)."""
        return bool(self.alerts)

    def own_call(self) -> bool:
        """The shopper's own call for help is open (they may withdraw it)."""
        return any(a.reason is AlertReason.SHOPPER_CALL for a in self.alerts)

    @property
    def checkout(self) -> Checkout:
        """The core's checkout, for tests and the demo (inline only: see the module)."""
        return self.core.checkout

    @property
    def transfer_hours(self) -> int:
        """How many hours a suspended cart's code may be resumed (the store's policy)."""
        return self.core.checkout.policy.transfer_validity_hours

    def _timer(self, timer: Timer) -> QTimer:
        qtimer = QTimer(self)
        qtimer.setSingleShot(True)
        qtimer.timeout.connect(lambda: self.fire(timer))
        return qtimer

    def stop_timers(self) -> None:
        """At shutdown: a timer left running (the done screen's 15 s) would otherwise reach
        screens already deleted."""
        for qtimer in self._timers.values():
            qtimer.stop()

    def offer_names(self) -> OfferNames:
        """The names of the promotions and coupons the cart was last priced with."""
        return self._offers[1] if self._offers is not None else OfferNames()

    # ------------------------------------------------------------- events
    @Slot(object)
    def _apply(self, events: list[Event]) -> None:
        for event in events:
            self._show(event)

    @Slot(object)
    def _crash(self, exc: BaseException) -> None:
        raise exc

    def _show(self, event: Event) -> None:
        match event:
            case CartShown(state, loyalty, offers):
                if self._offers is None or self._offers[0] is not offers:
                    self._offers = (offers, OfferNames(offers))
                self.state, self.loyalty = state, loyalty
                self.cart_changed.emit(state)
                self.loyalty_changed.emit(loyalty)
            case ScreenShown(screen):
                self.screen = screen
                self.screen_changed.emit(screen.value)
            case Said(notice):
                self.said = notice
                self.notice.emit(notice)
            case Unsaid():
                self.said = None
                self.notice_cleared.emit()
            case Played(sound):
                self._sounds.play(sound)
            case Spoken(prompt):
                if self.speech:
                    self._sounds.speak(prompt, self.localiser.language)
            case PaymentShown(view):
                self.payment, self.payment_shown_last = view, event
                self.payment_changed.emit(view)
                self.payment_shown.emit(event)
            case SaleShown(sale, exit_code):
                self.sale, self.exit_code, self.e_receipt_url = sale, exit_code, None
                self.sale_finished.emit(sale)
            case PickupShown(view):
                self.pickup = view
                self.pickup_changed.emit(view)
            case CollectedShown(_collected, exit_code):
                self.collected = event
                if exit_code is not None:
                    self.sale, self.exit_code, self.e_receipt_url = None, exit_code, None
                self.collected_shown.emit(event)
            case EReceiptShown(url):
                self.e_receipt_url = url
                self.e_receipt_ready.emit(url)
            case PassShown(handoff):
                self.handoff = handoff
                self.pass_changed.emit(event)
            case MemberShown(member):
                self.member = member
                self.member_changed.emit(member)
            case BagOffered(product):
                self.bag_offered.emit(product)
            case LookupShown(busy):
                self.looking_up_member = busy
                self.member_lookup_changed.emit(busy)
            case AlertsShown(alerts, coming, items):
                self.alerts = alerts
                self.coming = coming
                self.alert_items = {product.gtin: product for product in items}
                self.alerts_changed.emit(alerts)
            case PrinterShown(status):
                self.printer = status
                self.printer_changed.emit(status.value)
            case StillThereAsked(seconds):
                self.still_there_asked.emit(seconds)
            case StillThereDismissed():
                self.still_there_dismissed.emit()
            case StaffShown(staff):
                self.staff = staff
                self.staff_changed.emit(staff)
            case LockShown(locked):
                self.locked = locked
            case StaffLoginAsked():
                self.staff_login_requested.emit()
            case ExitAsked():
                self.exit_requested.emit()
            case ProductsFound():
                self.products_found.emit(event)
            case PickerShown():
                self.picker = event
                self.picker_shown.emit(event)
            case TransferShown(suspended):
                self.transfer_shown.emit(suspended)
            case RefundShown():
                self.refund_changed.emit(event)
            case LanguageReset():
                self.localiser.reset()
                self.preferences_reset.emit()
            case WeighingShown(view):
                self.weighing = view
                self.weighing_changed.emit(view)
            case ScaleAsked(command):
                self.scale_asked.emit(command.value)
            case Task():
                self._run(event)
            case _:
                self._set_timer(event.timer, event.seconds)

    def _set_timer(self, timer: Timer, seconds: float | None) -> None:
        qtimer = self._timers[timer]
        if seconds is None:
            qtimer.stop()
        elif self._run_timers:
            qtimer.start(max(1, round(seconds * 1000)))

    def _run(self, task: Task[Any]) -> None:
        # The answer comes back here, on the UI thread; the session takes it on its own.
        self._tasks.run(
            task.run,
            lambda result: self._do(lambda _s: task.done(result)),
            lambda exc: self._do(lambda _s: task.failed(exc)),
        )

    def _do(self, intent: Intent) -> None:
        if self._worker is not None:
            self._intent.emit(intent)
        else:
            self._apply(intent(self._shopper))

    # ------------------------------------------------------------- shopper intents
    @Slot()
    def touch(self) -> None:
        self._do(ShopperSession.touch)

    @Slot()
    def start(self) -> None:
        self._do(ShopperSession.start)

    @Slot(object)
    def scan(self, event: ScanEvent) -> None:
        """Every read from camera, wedge scanner or keypad comes here."""
        self._do(lambda s: s.scan(event))

    @Slot(str)
    def use_wallet_coupon(self, code: str) -> None:
        self._do(lambda s: s.use_wallet_coupon(code))

    @Slot()
    def toggle_points(self) -> None:
        self._do(ShopperSession.toggle_points)

    @Slot(str)
    def remove_coupon(self, code: str) -> None:
        self._do(lambda s: s.remove_coupon(code))

    @Slot(int, int)
    def change_quantity(self, line_no: int, delta: int) -> None:
        self._do(lambda s: s.change_quantity(line_no, delta))

    @Slot(int)
    def remove_line(self, line_no: int) -> None:
        self._do(lambda s: s.remove_line(line_no))

    @Slot(int)
    def query_price(self, line_no: int) -> None:
        self._do(lambda s: s.query_price(line_no))

    @Slot(str)
    def weigh(self, code: str) -> None:
        """A loose item to weigh (its own code): the scale, or the weighing counter."""
        self._do(lambda s: s.weigh(code))

    @Slot(object)
    def scale_read(self, reading: ScaleReading) -> None:
        self._do(lambda s: s.scale_read(reading))

    @Slot(object)
    def scale_zeroed(self, result: ZeroResult) -> None:
        self._do(lambda s: s.scale_zeroed(result))

    @Slot(object)
    def scale_failed(self, exc: KioskError) -> None:
        self._do(lambda s: s.scale_failed(exc))

    @Slot()
    def confirm_weight(self) -> None:
        self._do(ShopperSession.confirm_weight)

    @Slot()
    def cancel_weighing(self) -> None:
        self._do(ShopperSession.cancel_weighing)

    @Slot()
    def open_picker(self) -> None:
        self._do(ShopperSession.open_picker)

    @Slot(str, str)
    def find_items(self, query: str, category: str) -> None:
        self._do(lambda s: s.find_items(query, category))

    @Slot(object, int)
    def pick(self, gtin: Gtin, quantity: int) -> None:
        self._do(lambda s: s.pick(gtin, quantity))

    @Slot()
    def close_picker(self) -> None:
        self._do(ShopperSession.close_picker)

    @Slot(str, int)
    def pickup_step(self, gtin: str, delta: int) -> None:
        self._do(lambda s: s.pickup_step(gtin, delta))

    @Slot()
    def pickup_all(self) -> None:
        self._do(ShopperSession.pickup_all)

    @Slot()
    def collect_order(self) -> None:
        self._do(ShopperSession.collect_order)

    @Slot()
    def leave_pickup(self) -> None:
        self._do(ShopperSession.leave_pickup)

    @Slot()
    def pickup_done(self) -> None:
        self._do(ShopperSession.pickup_done)

    @Slot()
    def open_member(self) -> None:
        self._do(ShopperSession.open_member)

    @Slot()
    def back_to_cart(self) -> None:
        self._do(ShopperSession.back_to_cart)

    @Slot(str)
    def member_by_phone(self, phone: str) -> None:
        self._do(lambda s: s.member_by_phone(phone))

    @Slot(str, bool)
    def member_sign_up(self, phone: str, consent: bool) -> None:
        self._do(lambda s: s.member_sign_up(phone, consent))

    @Slot()
    def pay(self) -> None:
        self._do(ShopperSession.pay)

    @Slot(int)
    def take_bags(self, count: int) -> None:
        self._do(lambda s: s.take_bags(count))

    @Slot()
    def pay_by_qr(self) -> None:
        self._do(ShopperSession.pay_by_qr)

    @Slot()
    def cancel_payment(self) -> None:
        self._do(ShopperSession.cancel_payment)

    @Slot(object)
    def _on_payment_result(self, result: PaymentResult) -> None:
        self._do(lambda s: s.payment_result(result))

    def show_paid(self, sale: Sale) -> None:
        """The done screen for a sale paid while the kiosk was restarting."""
        self._do(lambda s: s.show_paid(sale))

    @Slot()
    def print_receipt(self) -> None:
        self._do(ShopperSession.print_receipt)

    @Slot()
    def next_shopper(self) -> None:
        self._do(ShopperSession.next_shopper)

    @Slot()
    def finish(self) -> None:
        self._do(ShopperSession.finish)

    @Slot()
    def leave_anyway(self) -> None:
        self._do(ShopperSession.leave_anyway)

    @Slot()
    def keep_pass(self) -> None:
        self._do(ShopperSession.keep_pass)

    @Slot()
    def call_assistance(self) -> None:
        self._do(ShopperSession.call_assistance)

    @Slot()
    def withdraw_call(self) -> None:
        self._do(ShopperSession.withdraw_call)

    def notice_reason(self, reason: Reason, level: Level = Level.WARNING) -> None:
        """A notice that no core call produced (e.g. "select a line first")."""
        self._do(lambda s: s.notice_reason(reason, level))

    @Slot(str)
    def set_language(self, language: str) -> None:
        self.localiser.set_language(language)
        self._do(lambda s: s.set_language(language))

    @Slot(str, str)
    def camera_status(self, state: str, _message: str) -> None:
        self._do(lambda s: s.camera_status(state))

    def fire(self, timer: Timer) -> None:
        """What `timer` does when it runs out (the demo's screenshots do not wait for it)."""
        self._do(lambda s: s.timer_fired(timer))

    def abandon(self) -> None:
        self._do(ShopperSession.abandon)

    def finished_shopping(self) -> None:
        """ "I'm finished" on "are you still there?": drop the unpaid cart now."""
        self._do(lambda s: s.abandon(LEFT_VOID_REASON))

    # ------------------------------------------------------------- staff
    @Slot()
    @Slot(object)
    def _remote(self, command: RemoteCommand) -> None:
        self._do(lambda s: s.desk.remote(command))

    def request_staff_login(self) -> None:
        self._do(ShopperSession.request_staff_login)

    @Slot(str, str)
    def staff_pin(self, staff_id: str, pin: str) -> None:
        self._do(lambda s: s.desk.pin(staff_id, pin))

    @Slot()
    def staff_sign_out(self) -> None:
        self._do(lambda s: s.desk.sign_out())

    def at_desk(self, intent: Callable[[StaffDesk], list[Event]]) -> None:
        """A staff intent, as the signed-in staff member (`StaffDesk`)."""
        self._do(lambda s: intent(s.desk))
