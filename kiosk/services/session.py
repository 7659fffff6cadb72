"""The kiosk's session without Qt: which screen is up, the state the screens show, and the
events every intent causes. `kiosk.services.shopper` holds the shopper's intents and
`kiosk.services.staff_desk` the staff's; this module their common state and vocabulary.

Every intent (a scan, a tap, a timer, an answer from the network) returns the `Event`s it
caused, in order: what to render (`CartShown`, `ScreenShown`, …), what to say and play,
which timers to arm, and which slow calls to run off the session's thread (`Task`). The
Qt side (`ui.session`) only turns events into signals, timers and thread-pool jobs, so the
whole flow runs in plain unit tests: a test is a list of intents and the events they give.

The session is not thread-safe: one thread calls it (the kiosk's core thread), and a
`Task`'s callbacks must come back on that thread.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any, Concatenate, Generic, ParamSpec, Protocol, TypeVar

from kiosk.domain.alerts import Alert, AlertReason
from kiosk.domain.audit import select_for_audit
from kiosk.domain.catalog import Product
from kiosk.domain.codes import Gtin, display_gtin
from kiosk.domain.coupons import CouponRefusal
from kiosk.domain.errors import ItemRefused, KioskError, Reason
from kiosk.domain.handoff import Handoff
from kiosk.domain.ids import IdFactory
from kiosk.domain.money import Money
from kiosk.domain.offers import OfferEngine
from kiosk.domain.payment_code import PaymentCode
from kiosk.domain.pickup import CollectedOrder
from kiosk.domain.refund import RefundPlan
from kiosk.domain.sale import Sale, Tender
from kiosk.domain.staff import Role, Staff
from kiosk.services.alerts import Alerts
from kiosk.services.cart_offers import LoyaltyView
from kiosk.services.checkout import KIOSK_ACTOR, CartState, Checkout
from kiosk.services.exit_codes import ExitCodeSigner, ExitCodeVerifier
from kiosk.services.loyalty import OfferCatalog
from kiosk.services.members import Members, MemberView
from kiosk.services.payment_port import PaymentProvider, PaymentView
from kiosk.services.payments import tender_of, view_of
from kiosk.services.pickups import PickupCounter, PickupView
from kiosk.services.ports import Clock
from kiosk.services.receipt_port import ReceiptLinks, SalePrinter
from kiosk.services.refunds import RefundDone, Refunds
from kiosk.services.staff_auth import StaffAuth
from kiosk.services.transfers import SuspendedCart, TransferSigner, TransferVerifier
from kiosk.services.weighing import ScaleAsked, WeighingShown
from kiosk.store.uow import KioskStore

# The idle timeout clears an abandoned cart as a journalled void by the kiosk itself.
IDLE_ACTOR = Staff(KIOSK_ACTOR, "kiosk (idle timeout)", Role.SUPERVISOR)
IDLE_VOID_REASON = "idle_timeout"
LEFT_VOID_REASON = "shopper_finished"
"""The shopper answered "I'm finished" to "are you still there?": the cart is theirs to drop."""

# Payment refusals that mean "the payment service cannot be reached" (not "no").
OFFLINE_REASONS = frozenset({Reason.PAYMENT_UNAVAILABLE, Reason.CENTRAL_UNREACHABLE})
OFFLINE_PAYMENT_ID = ""
"""The payment id of the store's static QR: no provider session stands behind it."""
OFFLINE_QR_TIME = timedelta(minutes=10)
# Refusals that need a person, and the alert each raises (its notice says someone comes).
_ALERT_REASONS = {
    Reason.APPROVAL_NEEDED: AlertReason.AGE_CHECK,
    Reason.STAFF_NEEDED: AlertReason.ITEM_REMOVAL,
    Reason.PAYMENT_UNAVAILABLE: AlertReason.ATTENDED_PAYMENT,
    Reason.UNKNOWN_PRODUCT: AlertReason.UNKNOWN_ITEM,
    Reason.RECALLED: AlertReason.RECALLED_ITEM,
    Reason.EXPIRED: AlertReason.UNSELLABLE_ITEM,
    Reason.NOT_SELLABLE: AlertReason.UNSELLABLE_ITEM,
}


class Screen(enum.StrEnum):
    ATTRACT = "attract"
    SCANNING = "scanning"
    PICKER = "picker"
    """Goods without a barcode, picked by picture, name or PLU (`ShopperSession.open_picker`)."""
    MEMBER = "member"
    PAYMENT = "payment"
    DONE = "done"
    LOCKED = "locked"
    WEIGHING = "weighing"
    PICKUP = "pickup"
    """A group-buy order's pickup code was scanned: the order, what to take, Collect."""


class Level(enum.StrEnum):
    INFO = "info"
    SUCCESS = "success"
    WARNING = "warning"
    ERROR = "error"


class Sound(enum.StrEnum):
    SCAN = "scan"
    ERROR = "error"
    PAID = "paid"
    ATTENTION = "attention"


class Prompt(enum.StrEnum):
    """The main steps said aloud, for shoppers who cannot read the screen well (once they
    switch speech on); the recordings are made at build time (`tools.make_prompts`)."""

    WELCOME = "welcome"
    ITEM_ADDED = "item_added"
    PAY = "pay"
    BAG = "bag"
    """Before paying, the store asks about a bag: the answer is needed to go on."""
    DONE = "done"
    HELP = "help"


class Timer(enum.StrEnum):
    IDLE = "idle"
    """No touch on an unpaid cart: ask whether the shopper is still there."""
    STILL_THERE = "still_there"
    """Nobody answered the question: void the cart."""
    DONE = "done"
    """The done screen has been read: next shopper."""


class PrinterStatus(enum.StrEnum):
    """What the last print found; the kiosk does not poll its printer (a query is a slow
    round trip to the device), so before the first print it is not known."""

    UNKNOWN = "unknown"
    OK = "ok"
    PAPER_OUT = "paper_out"
    ERROR = "error"
    OFFLINE = "offline"


_PRINTER_FAULTS = {
    Reason.PRINTER_NO_PAPER: (PrinterStatus.PAPER_OUT, AlertReason.PRINTER_PAPER_OUT),
    Reason.PRINTER_OFFLINE: (PrinterStatus.OFFLINE, AlertReason.PRINTER_ERROR),
}
PRINTER_ALERTS = frozenset({AlertReason.PRINTER_PAPER_OUT, AlertReason.PRINTER_ERROR})


@dataclass(frozen=True, slots=True)
class Timings:
    """Seconds; the tests shrink them instead of sleeping through them."""

    idle_s: float = 60.0
    still_there_s: float = 20.0
    done_s: float = 15.0

    def seconds(self, timer: Timer) -> float:
        return {
            Timer.IDLE: self.idle_s,
            Timer.STILL_THERE: self.still_there_s,
            Timer.DONE: self.done_s,
        }[timer]


@dataclass(frozen=True, slots=True)
class Notice:
    """A message for the shopper, translated when shown. `coupon`: the reason is about a
    coupon (coupon refusals share names with product ones, such as `expired`)."""

    reason: Reason | CouponRefusal
    level: Level
    coupon: bool = False
    args: tuple[str, ...] = ()
    """What the text names (%1, %2, … in it): a kiosk, a time, a product, a price."""
    held: bool = False
    """Stays up until the shopper's next good scan, a tap on it or the next screen,
    instead of going after a few seconds: an item to put aside for staff is named there,
    and the shopper may still be looking for it when a timed notice would be gone."""


# ------------------------------------------------------------------ events
@dataclass(frozen=True, slots=True)
class CartShown:
    state: CartState
    loyalty: LoyaltyView
    offers: OfferEngine
    """The offers the cart was priced with (their names are shown beside the cart)."""


@dataclass(frozen=True, slots=True)
class ScreenShown:
    screen: Screen


@dataclass(frozen=True, slots=True)
class Said:
    notice: Notice


@dataclass(frozen=True, slots=True)
class Spoken:
    prompt: Prompt


@dataclass(frozen=True, slots=True)
class Unsaid:
    """The held notice is over (the shopper scanned an item that went in)."""


@dataclass(frozen=True, slots=True)
class Played:
    sound: Sound


class PaymentStage(enum.StrEnum):
    """What the payment screen shows."""

    PREPARING = "preparing"
    """The QR is being made: the amount and a spinner, never a blank card."""
    QR = "qr"
    """The wallet QR to scan, with its countdown."""
    STATIC_QR = "static_qr"
    """Offline: the store's fixed QR (no amount in it): the shopper types the amount,
    staff check the payment; no countdown, since nothing happens when one would end."""
    SHOW_CODE = "show_code"
    """Waiting for the shopper's payment code (store default `code`, or after a refusal)."""
    CHARGING = "charging"
    """A payment code is being charged, or the shopper confirms on the phone."""


@dataclass(frozen=True, slots=True)
class PaymentShown:
    view: PaymentView | None
    """None while the payment is being prepared, charged, or a code is awaited."""
    stage: PaymentStage = PaymentStage.QR
    amount: Money | None = None
    """What the shopper pays, shown at every stage."""


@dataclass(frozen=True, slots=True)
class SaleShown:
    sale: Sale
    exit_code: str


@dataclass(frozen=True, slots=True)
class PickupShown:
    """What the pickup screen shows (`PickupView`), or None when no pickup is on."""

    view: PickupView | None


@dataclass(frozen=True, slots=True)
class CollectedShown:
    """The group-buy orders this shopper collected, for the done screen (before its
    `SaleShown` when they paid for more). `exit_code`: the pass of a pickup with nothing
    bought (the done screen shows it in a sale's place); None with a sale, whose pass
    covers the collected goods too."""

    collected: tuple[CollectedOrder, ...]
    exit_code: str | None = None


@dataclass(frozen=True, slots=True)
class EReceiptShown:
    url: str


@dataclass(frozen=True, slots=True)
class PassShown:
    """The done screen's exit pass: how it stands, and the seconds until the screen
    resets (counted from now), or None while the pass is held on screen."""

    handoff: Handoff
    seconds: float | None


@dataclass(frozen=True, slots=True)
class BagOffered:
    """Before paying: would the shopper like `product` (a carrier bag, at its price)? None:
    the question is over."""

    product: Product | None


@dataclass(frozen=True, slots=True)
class MemberShown:
    member: MemberView | None


@dataclass(frozen=True, slots=True)
class LookupShown:
    busy: bool


@dataclass(frozen=True, slots=True)
class AlertsShown:
    alerts: tuple[Alert, ...]
    """Every open alert of the kiosk, oldest first (empty: nobody is needed)."""
    coming: str | None = None
    """The name of the staff member who took an alert and is on the way, if known."""
    items: tuple[Product, ...] = ()
    """The catalog's products the alerts name (`Alert.gtin`), for staff to read in their
    language; an item the catalog does not hold is named by its code."""


@dataclass(frozen=True, slots=True)
class PrinterShown:
    status: PrinterStatus


@dataclass(frozen=True, slots=True)
class ProductsFound:
    """What a staff member's search by name found: a few products, those whose name
    starts with the words typed first."""

    query: str
    products: tuple[Product, ...]


@dataclass(frozen=True, slots=True)
class PickerShown:
    """The item picker's tiles: goods without a barcode that `query` finds (best first),
    or with no query those of `category` ("" for all) by name."""

    query: str
    category: str
    categories: tuple[str, ...]
    """Every category the picker has goods in, for its tabs."""
    products: tuple[Product, ...]


@dataclass(frozen=True, slots=True)
class TransferShown:
    """A cart was just suspended here: its transfer code and number to show (and print);
    None once staff are done with it."""

    suspended: SuspendedCart | None


@dataclass(frozen=True, slots=True)
class RefundShown:
    """The refund being prepared on the staff screen: the sale found (None: waiting for
    its receipt to be scanned), what picking `plan`'s lines gives back, `left` (units of
    each line not refunded before), and, once confirmed, how it went (`done`). `open`
    False: the refund page closed."""

    sale: Mapping[str, Any] | None
    plan: RefundPlan | None = None
    left: Mapping[int, int] | None = None
    done: RefundDone | None = None
    open: bool = True


@dataclass(frozen=True, slots=True)
class StillThereAsked:
    seconds: int


@dataclass(frozen=True, slots=True)
class StillThereDismissed:
    pass


@dataclass(frozen=True, slots=True)
class StaffShown:
    staff: Staff | None


@dataclass(frozen=True, slots=True)
class LockShown:
    locked: bool


@dataclass(frozen=True, slots=True)
class StaffLoginAsked:
    pass


@dataclass(frozen=True, slots=True)
class ExitAsked:
    pass


@dataclass(frozen=True, slots=True)
class LanguageReset:
    """The next shopper starts afresh: the store's language, normal text and contrast
    (one shopper's large text is not the next one's)."""


@dataclass(frozen=True, slots=True)
class TimerSet:
    timer: Timer
    seconds: float | None
    """None stops the timer."""


T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Task(Generic[T]):
    """A slow call (network) to run off the session's thread; its answer comes back through
    `done` or, for a `KioskError`, `failed`, both called on the session's thread and both
    returning the events they cause."""

    run: Callable[[], T]
    done: Callable[[T], list[Event]]
    failed: Callable[[KioskError], list[Event]]


Event = (
    CartShown
    | ScreenShown
    | Said
    | Unsaid
    | Played
    | Spoken
    | PaymentShown
    | SaleShown
    | PickupShown
    | CollectedShown
    | EReceiptShown
    | PassShown
    | MemberShown
    | BagOffered
    | LookupShown
    | AlertsShown
    | PrinterShown
    | ProductsFound
    | PickerShown
    | TransferShown
    | RefundShown
    | StillThereAsked
    | StillThereDismissed
    | StaffShown
    | LockShown
    | StaffLoginAsked
    | ExitAsked
    | LanguageReset
    | WeighingShown
    | ScaleAsked
    | TimerSet
    | Task[Any]
)


class Collects(Protocol):
    def collect(self, action: Callable[[], None]) -> list[Event]: ...


P = ParamSpec("P")
C = TypeVar("C", bound=Collects)


def intent(method: Callable[Concatenate[C, P], None]) -> Callable[Concatenate[C, P], list[Event]]:
    """An entry point: returns every event the call (and the calls it makes) causes."""

    @functools.wraps(method)
    def collected(owner: C, /, *args: P.args, **kwargs: P.kwargs) -> list[Event]:
        return owner.collect(lambda: method(owner, *args, **kwargs))

    return collected


class SessionCore(Protocol):
    """The parts of the kiosk's core (`app.core.KioskCore`) a session uses."""

    store: KioskStore
    clock: Clock
    ids: IdFactory
    checkout: Checkout
    catalog: OfferCatalog
    members: Members
    auth: StaffAuth
    payments: PaymentProvider
    printer: SalePrinter
    exit_signer: ExitCodeSigner
    exit_verifier: ExitCodeVerifier
    transfer_signer: TransferSigner
    transfer_verifier: TransferVerifier
    receipt_links: ReceiptLinks | None
    static_qr: str | None
    alerts: Alerts
    payment_method: str
    scale_port: str | None
    bag: str | None
    refunds: Refunds
    pickups: PickupCounter


class Session:
    """The state of one kiosk's session and the flow every intent shares."""

    def __init__(
        self, core: SessionCore, timings: Timings | None = None, language: str = ""
    ) -> None:
        self.core = core
        self.checkout = core.checkout
        self.members = core.members
        self.timings = timings or Timings()
        self._events: list[Event] | None = None
        self._armed: set[Timer] = set()
        self.home_language = language
        """The store's language, which every new shopper starts in."""
        self.language = language
        """The shopper's language (the UI sets it; receipts and e-receipts follow it)."""
        self.refunding = False
        """Staff have the refund page open: a scanned receipt code finds the sale."""
        state = self.checkout.state()
        # A restart restores the cart: go straight back to it.
        self.screen = Screen.SCANNING if state.cart.lines else Screen.ATTRACT
        self.state = state
        self.loyalty: LoyaltyView = self.checkout.loyalty_view()
        self.payment: PaymentView | None = None
        self.sale: Sale | None = None
        self.last_sale: Sale | None = None
        self.exit_code: str | None = None
        self.last_exit_code: str | None = None
        self.e_receipt_url: str | None = None
        self.last_e_receipt_url: str | None = None
        self.handoff = Handoff()
        """The exit pass of the sale on the done screen."""
        self.member: MemberView | None = None
        self.staff: Staff | None = None
        self.alerts: tuple[Alert, ...] = tuple(core.alerts.open())
        """Open alerts, oldest first; they outlive the shopper and the process."""
        self.locked = False
        self.asking_still_there = False
        self.camera_broken = False
        self.printer = PrinterStatus.UNKNOWN
        self.starting_payment = False
        self.pending_code: PaymentCode | None = None
        """A payment code shown while a QR was open: charged once the QR is withdrawn."""
        self.unreached_withdrawal: str | None = None
        """The wallet payment staff asked to withdraw, for a void, when its provider could
        not be reached: asked again, the void goes through (`StaffDesk.void_sale`)."""
        self.looking_up_member = False
        self.remote_names: dict[str, str] = {}
        """Staff number → name, as the attendant console's commands named them."""
        self.pickup: PickupView | None = None
        """The pickup on the pickup screen."""
        self.collected: tuple[CollectedOrder, ...] = ()
        """Group-buy orders this shopper collected: named on the done screen and the
        receipt, and their goods counted in the exit pass."""
        self.held: tuple[Notice, str] | None = None
        """The held notice on show (`Notice.held`) and the GTIN of the item it names: taken
        down at the next good scan, said again in a new language."""

    @intent
    def open(self) -> None:
        """The first events: restart in the middle of a payment, the alerts still open, the
        idle timer (paused while any alert is)."""
        if self.alerts:
            self.emit(self._alerts_shown(self.alerts))
        if self.state.cart.frozen:
            self._resume_payment()
        if self.checkout.cart.lines:
            # A restart between Collect and paying: what was handed out in this cart still
            # goes on its receipt and its exit pass. (An empty cart comes back under a new
            # id, so a pickup with nothing bought never names the next shopper's sale.)
            self.collected = self.core.pickups.collected_with(self.state.cart.cart_id)
        self.rearm_idle()

    def _resume_payment(self) -> None:
        """The kiosk restarted with the cart frozen. The core's `recover_payments` has
        settled every payment it could ask about and completed the sale of one paid; what
        is left here is money that may still come, or came and could not close the sale.
        Either keeps the cart frozen: reopening it would offer a cart to pay again whose
        payment may complete (or did) with nobody listening for it."""
        cart = self.state.cart
        payments = self.core.store.payments.of_sale(cart.cart_id)
        paid = next((p for p in payments if p.is_paid), None)
        if paid is not None:
            # Paid, but the sale did not close at start-up: try in front of the screen,
            # which calls staff if it fails again.
            self.complete(tender_of(paid))
            return
        live = next((p for p in reversed(payments) if p.is_open), None)
        if live is None:
            # Its QR is gone, so reopen the cart; the shopper taps Pay again.
            self.set_state(self.checkout.cancel_payment())
            return
        # The service was unreachable at start-up: the payment's watcher is still asking.
        # Show that payment again so its answer (paid: the sale; anything else: the cart
        # back) finds the screen it belongs to, and call staff, since nobody can withdraw
        # it until the service answers.
        view = view_of(live, self.core.clock.now())
        self.payment = view
        self.go(Screen.PAYMENT)
        stage = PaymentStage.QR if live.qr_payload else PaymentStage.CHARGING
        self.emit(PaymentShown(view, stage, live.amount))
        self.say(Reason.PAYMENT_STILL_OPEN, Level.WARNING)
        self.raise_alert(AlertReason.ATTENDED_PAYMENT, amount=live.amount)

    # ------------------------------------------------------------- helpers
    def collect(self, action: Callable[[], None]) -> list[Event]:
        if self._events is not None:  # called from another intent: its caller collects
            action()
            return []
        self._events = []
        try:
            action()
            return self._events
        finally:
            self._events = None

    def emit(self, event: Event) -> None:
        assert self._events is not None, "events are emitted only inside an intent"
        self._events.append(event)

    def go(self, screen: Screen) -> None:
        if screen is self.screen:
            return
        self.screen = screen
        self.held = None  # a notice belongs to its screen: the next one drops it
        self.rearm_idle()
        self.emit(ScreenShown(screen))

    def item_added(self, state: CartState) -> None:
        """An item went into the cart (scanned, picked, weighed, a bag): beep, say so."""
        self.emit(Played(Sound.SCAN))
        self.emit(Spoken(Prompt.ITEM_ADDED))
        self.set_state(state)

    def set_state(self, state: CartState) -> None:
        self.state = state
        self.loyalty = self.checkout.loyalty_view(state)
        self.emit(CartShown(state, self.loyalty, self.core.catalog.engine()))

    def say(
        self,
        reason: Reason | CouponRefusal,
        level: Level = Level.ERROR,
        *,
        coupon: bool = False,
        args: tuple[str, ...] = (),
        held: bool = False,
    ) -> Notice:
        if level in (Level.ERROR, Level.WARNING):
            self.emit(Played(Sound.ERROR))
        notice = Notice(reason, level, coupon, args, held)
        self.held = None
        self.emit(Said(notice))
        return notice

    def unsay(self) -> None:
        """Take down a held notice: what it was about has been dealt with."""
        if self.held is not None:
            self.held = None
            self.emit(Unsaid())

    def refused(self, exc: KioskError) -> None:
        """Say why `exc` refused; an item refused for good (unknown, recalled, past its
        date, not for sale) is named (its code, or its name in the shopper's language) and
        the notice held, since the shopper must find that item and put it aside."""
        if isinstance(exc, ItemRefused) and exc.gtin:
            notice = self.say(exc.reason, args=self._named(exc.gtin), held=True)
            self.held = (notice, exc.gtin)
        else:
            self.say(exc.reason)
        reason = _ALERT_REASONS.get(exc.reason)
        if reason is AlertReason.ATTENDED_PAYMENT:
            self.raise_alert(reason, amount=self.state.priced.total)
        elif reason is not None:
            self.raise_alert(reason, gtin=exc.gtin if isinstance(exc, ItemRefused) else None)

    def _named(self, gtin: str) -> tuple[str, ...]:
        """The item as the shopper knows it: its name in their language, or the code."""
        product = self.core.store.catalog.get(Gtin(gtin))
        return (product.name(self.language) if product else display_gtin(Gtin(gtin)),)

    def arm(self, timer: Timer) -> None:
        self._armed.add(timer)
        self.emit(TimerSet(timer, self.timings.seconds(timer)))

    def disarm(self, timer: Timer) -> None:
        if timer in self._armed:
            self._armed.discard(timer)
            self.emit(TimerSet(timer, None))

    def armed(self, timer: Timer) -> bool:
        return timer in self._armed

    def rearm_idle(self) -> None:
        """Idle matters only where a shopper may have walked away from an unpaid cart, and
        not while they wait for staff: an open alert pauses it (a cart waiting for an age
        check is never voided for standing still)."""
        self.disarm(Timer.IDLE)
        if (
            self.screen
            in (Screen.SCANNING, Screen.MEMBER, Screen.PICKER, Screen.WEIGHING, Screen.PICKUP)
            and self.staff is None
            and not self.alerts
        ):
            self.arm(Timer.IDLE)

    def _frozen(self) -> bool:
        """The cart is in payment: nothing may change it (say so)."""
        if self.screen is Screen.PAYMENT:
            self.say(Reason.CART_FROZEN, Level.WARNING)
            return True
        return False

    @property
    def assistance(self) -> bool:
        """Someone from staff is needed here."""
        return bool(self.alerts)

    def raise_alert(
        self,
        reason: AlertReason,
        *,
        line_no: int | None = None,
        amount: Money | None = None,
        gtin: str | None = None,
    ) -> None:
        """Call staff (saved, journalled, queued for the console) and pause the idle timer
        and any "still there?" question until the alert is closed."""
        self.core.alerts.raise_alert(reason, line_no=line_no, amount=amount, gtin=gtin)
        if self.asking_still_there:
            self.asking_still_there = False
            self.disarm(Timer.STILL_THERE)
            self.emit(StillThereDismissed())
        self.show_alerts()

    def show_alerts(self) -> None:
        alerts = tuple(self.core.alerts.open())
        if alerts != self.alerts:
            self.alerts = alerts
            self.emit(self._alerts_shown(alerts))
        self.rearm_idle()
        if self.handoff.printer_failed and not any(a.reason in PRINTER_ALERTS for a in alerts):
            # Staff dealt with the printer, and so with the shopper waiting in front of it.
            self.show_pass(self.handoff.printer_cleared())
        if self.handoff.audit and not any(a.reason is AlertReason.EXIT_AUDIT for a in alerts):
            # Staff checked the bag (and signed out): the pass is the shopper's now.
            self.show_pass(self.handoff.audit_cleared())

    def _alerts_shown(self, alerts: tuple[Alert, ...]) -> AlertsShown:
        catalog = self.core.store.catalog
        named = (catalog.get(Gtin(a.gtin)) for a in alerts if a.gtin)
        return AlertsShown(alerts, self.coming(), tuple(p for p in named if p is not None))

    def call_age_check(self, state: CartState) -> None:
        """Call staff to the first line waiting for an age check, by its line and item."""
        waiting = next((line for line in state.cart.lines if line.needs_approval), None)
        if waiting is not None:
            self.raise_alert(AlertReason.AGE_CHECK, line_no=waiting.line_no, gtin=waiting.gtin)

    def coming(self) -> str | None:
        """Who took the first acknowledged alert, by name: alerts keep staff numbers (the
        journal's and the reports' key); the shopper is told a name. A member of staff
        this kiosk does not know yet (the staff feed lags the console) is named as the
        console named them."""
        staff_id = next((a.acknowledged_by for a in self.alerts if a.acknowledged_by), None)
        if staff_id is None:
            return None
        known = self.core.store.staff.get(staff_id)
        return known.staff.name if known is not None else self.remote_names.get(staff_id)

    def alert_still_needed(self, alert: Alert) -> bool:
        """Whether `alert`'s cause is still there after staff dealt with the kiosk: an age
        check still waiting, or a payment still open, keeps its alert."""
        if alert.reason is AlertReason.AGE_CHECK:
            return self.checkout.cart.needs_approval
        if alert.reason is AlertReason.ATTENDED_PAYMENT:
            return self.checkout.cart.frozen
        if alert.reason is AlertReason.CAMERA_FAULT:
            return self.camera_broken
        return False

    def settle_alerts(self, staff: Staff, reasons: frozenset[AlertReason] | None = None) -> None:
        """Clear, as `staff`, the open alerts (of `reasons`, or all) whose cause is gone."""
        for alert in self.alerts:
            if (reasons is None or alert.reason in reasons) and not self.alert_still_needed(alert):
                self.core.alerts.clear(alert.alert_id, staff.staff_id)
        self.show_alerts()

    @intent
    def touch(self) -> None:
        """Any touch, key or scan: the shopper is there (and still reading the done
        screen, which then counts down afresh)."""
        if self.asking_still_there:
            self.asking_still_there = False
            self.disarm(Timer.STILL_THERE)
            self.emit(StillThereDismissed())
        if self.armed(Timer.IDLE):
            self.arm(Timer.IDLE)
        if self.armed(Timer.DONE):
            self.show_pass(self.handoff)

    def reopen_cart(self) -> None:
        self.payment = None
        self.pending_code = None
        if self.checkout.cart.frozen:
            self.set_state(self.checkout.cancel_payment())
        if self.screen is Screen.PAYMENT:
            self.go(Screen.SCANNING)

    def complete(self, tender: Tender) -> None:
        try:
            sale = self.checkout.complete_sale(tender)
        except KioskError as exc:
            # Money was taken (or staff confirmed it) but the sale cannot close: a person
            # must sort the payment out.
            self.say(exc.reason)
            self.raise_alert(AlertReason.ATTENDED_PAYMENT, amount=tender.amount)
            return
        self.show_paid(sale)

    def print_sale(self, sale: Sale, exit_code: str | None, e_receipt_url: str | None) -> None:
        """Print `sale`'s receipt; a fault is said, shown in the health table and calls
        staff (a printer needs a person), then raised for the caller to stop on."""
        on_screen = self.sale is not None and self.sale.sale_id == sale.sale_id
        collected = self.collected if on_screen else ()
        try:
            self._print(
                lambda: self.core.printer.print_sale(
                    sale, self.language, exit_code, e_receipt_url, collected
                )
            )
        except KioskError:
            if on_screen:
                self.show_pass(self.handoff.print_failed())
            raise
        if on_screen:
            self.show_pass(self.handoff.print_succeeded())

    def print_transfer(self, suspended: SuspendedCart) -> None:
        """Print a suspended cart's slip; a fault is handled as a receipt's is, and said,
        but stops nothing: the code is on screen, and its number can be written down."""
        try:
            self._print(lambda: self.core.printer.print_transfer(suspended, self.language))
        except KioskError as exc:
            self.say(exc.reason, Level.WARNING)

    def _print(self, job: Callable[[], None]) -> None:
        try:
            job()
        except KioskError as exc:
            status, reason = _PRINTER_FAULTS.get(
                exc.reason, (PrinterStatus.ERROR, AlertReason.PRINTER_ERROR)
            )
            self._set_printer(status)
            self.raise_alert(reason)
            raise
        self._set_printer(PrinterStatus.OK)

    def show_pass(self, handoff: Handoff) -> None:
        """Show the done screen's pass as `handoff` has it, counting down afresh, or with no
        countdown while it is held (`kiosk.domain.handoff`)."""
        self.handoff = handoff
        if handoff.held:
            self.disarm(Timer.DONE)
            self.emit(PassShown(handoff, None))
        else:
            self.arm(Timer.DONE)
            self.emit(PassShown(handoff, self.timings.done_s))

    def leave_done(self) -> bool:
        """A scan on the done screen starts the next sale, unless the last shopper's pass is
        held there (said): it stays until they have it or staff have come."""
        if self.screen is not Screen.DONE:
            return True
        if self.handoff.held:
            self.say(
                Reason.EXIT_AUDIT_WAIT if self.handoff.audit else Reason.EXIT_CODE_HELD,
                Level.WARNING,
            )
            return False
        self.next_shopper()
        return True

    def _set_printer(self, status: PrinterStatus) -> None:
        if status is not self.printer:
            self.printer = status
            self.emit(PrinterShown(status))
        if status is PrinterStatus.OK:
            self.resolve_alerts(PRINTER_ALERTS)

    def resolve_alerts(self, reasons: frozenset[AlertReason]) -> None:
        """The kiosk itself saw the cause go (a receipt printed, the camera back): its
        alerts of `reasons` are cleared in the kiosk's name."""
        gone = [alert for alert in self.alerts if alert.reason in reasons]
        for alert in gone:
            self.core.alerts.clear(alert.alert_id, KIOSK_ACTOR)
        if gone:
            self.show_alerts()

    @intent
    def show_paid(self, sale: Sale) -> None:
        """The done screen for `sale`: just paid, or paid while the kiosk was restarting."""
        self.sale = self.last_sale = sale
        attended = any(t.attended_by for t in sale.tenders)
        units = sum(order.units for order in self.collected)
        exit_code = self.core.exit_signer.sign(sale, attended, units)
        self.exit_code = self.last_exit_code = exit_code
        self.set_state(self.checkout.state())
        self.emit(Played(Sound.PAID))
        self.emit(Spoken(Prompt.DONE))
        self.emit(CollectedShown(self.collected))
        self.emit(SaleShown(sale, exit_code))
        self.go(Screen.DONE)
        cause = None
        if not sale.training:
            cause = select_for_audit(
                self.checkout.policy.exit_audit,
                self.core.exit_signer.audit_key,
                sale.sale_id,
                sale.priced.total.minor,
            )
        if cause is None:
            self.show_pass(Handoff())
        else:
            # Picked for a bag check: staff are called and the pass waits for them (the
            # console cannot clear it: the check needs the bag, at the kiosk).
            self.core.alerts.raise_audit(sale.sale_id, sale.sequence, cause, sale.priced.total)
            self.say(Reason.EXIT_AUDIT_WAIT, Level.INFO)
            self.show_pass(Handoff().audited())
            self.show_alerts()
        self._ask_e_receipt(sale, exit_code)

    def _ask_e_receipt(self, sale: Sale, exit_code: str) -> None:
        """Ask the central service for the e-receipt link off this thread; the done screen
        offers it as a QR when it arrives, in place of the exit code's (the link is asked
        for with the exit code, so the page carries the pass: one QR to scan). Offline
        there is none: the paper receipt and the exit code on screen still work, so a
        failure only leaves the QR out."""
        links = self.core.receipt_links
        if links is None:
            return
        language = self.language

        @intent
        def ready(self: Session, url: str) -> None:
            self.last_e_receipt_url = url
            if self.sale is not None and self.sale.sale_id == sale.sale_id:
                self.e_receipt_url = url
                self.emit(EReceiptShown(url))
                self.show_pass(self.handoff.with_e_receipt())

        self.emit(
            Task(
                lambda: links.link(sale, exit_code, language),
                functools.partial(ready, self),
                lambda _exc: [],
            )
        )

    @intent
    def next_shopper(self) -> None:
        """Back to the attract screen, in the store's language, with nothing of the last
        shopper left over but the open alerts: those wait for staff."""
        self.disarm(Timer.DONE)
        self.sale = None
        self.exit_code = None
        self.e_receipt_url = None
        self.handoff = Handoff()
        self.member = None
        self.pickup = None
        if self.collected and not self.checkout.cart.lines:
            # Collected and bought nothing: the pickup named this cart, the next sale must not.
            self.set_state(self.checkout.renew_cart())
        self.collected = ()
        self.emit(MemberShown(None))
        self.language = self.home_language
        self.emit(LanguageReset())
        self.go(Screen.ATTRACT)

    @intent
    def notice_reason(self, reason: Reason, level: Level = Level.WARNING) -> None:
        """A notice that no core call produced (e.g. "select a line first")."""
        self.say(reason, level)

    @intent
    def set_language(self, language: str) -> None:
        self.touch()
        self.language = language
        if self.held is not None:  # the item it names, in the new language (no new sound)
            notice, gtin = self.held
            notice = replace(notice, args=self._named(gtin))
            self.held = (notice, gtin)
            self.emit(Said(notice))

    # ------------------------------------------------------------- timers
    @intent
    def timer_fired(self, timer: Timer) -> None:
        if timer not in self._armed:
            return  # stopped after it had already fired (its event was on its way)
        self._armed.discard(timer)
        if timer is Timer.IDLE:
            self._idle_timeout()
        elif timer is Timer.STILL_THERE:
            self.abandon()
        else:
            self.next_shopper()

    def _idle_timeout(self) -> None:
        """No touch for `idle_s`: ask whether the shopper is still there."""
        if self.checkout.cart.is_empty and self.member is None:
            self.next_shopper()
            return
        self.asking_still_there = True
        self.arm(Timer.STILL_THERE)
        self.emit(Played(Sound.ATTENTION))
        self.emit(StillThereAsked(round(self.timings.still_there_s)))

    @intent
    def abandon(self, reason: str = IDLE_VOID_REASON) -> None:
        """Nobody answered (or the shopper said they are finished): void the unpaid cart
        (journalled as the kiosk's action, with `reason`) and reset."""
        self.asking_still_there = False
        self.disarm(Timer.STILL_THERE)
        self.emit(StillThereDismissed())
        cart = self.checkout.cart
        if self.alerts:
            return  # staff are on their way
        if cart.frozen:
            if self.payment is not None or self.starting_payment:
                return  # a payment is open: its own expiry ends it
            self.reopen_cart()  # only a payment code was asked for: nothing to withdraw
            cart = self.checkout.cart
        if cart.lines:
            self.checkout.void_sale(IDLE_ACTOR, reason)
        elif cart.member_id is not None:
            self.checkout.set_member(None)
        self.set_state(self.checkout.state())
        self.next_shopper()
