"""The shopper's session: which screen is up, and every intent the screens forward.

Widgets call the intent methods here and render what the signals say; the rules behind
each intent (what may be scanned, paid, voided) are the core's (`Checkout`, `StaffAuth`,
the ports). What this class decides is only the flow between screens, the idle timeout,
and how a `KioskError` becomes a translated notice and a sound.

Signals:
    cart_changed(CartState): after every change of the cart (and at start).
    screen_changed(str): a `Screen` value.
    notice(Notice): a message for the shopper (translated when shown, from its reason).
    payment_changed(object): the open `PaymentView`, or None while it is being prepared.
    sale_finished(Sale): the sale that was just paid (the done screen shows it).
    member_changed(object): the `MemberView` on the cart, or None.
    loyalty_changed(LoyaltyView): the cart's promotions, coupons, hints and member (with
        tier, points and wallet), after every cart change.
    assistance_changed(bool): the shopper asked for help (or help is no longer needed).
    still_there_asked(int): the idle timer fired: ask, and clear in this many seconds.
    still_there_dismissed(): the shopper answered (or the cart was cleared).
    staff_changed(object): the signed-in `Staff`, or None.
    staff_login_requested(): open the staff sign-in keypad.
    exit_requested(): staff left kiosk mode; the app quits.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from app.core import KioskCore
from kiosk.domain.errors import KioskError, NotAllowed
from kiosk.domain.exit_code import PREFIX as EXIT_CODE_PREFIX
from kiosk.domain.sale import Sale, Tender
from kiosk.domain.scan import ScanEvent
from kiosk.domain.staff import Permission, Role, Staff
from kiosk.services.cart_offers import LoyaltyView
from kiosk.services.checkout import KIOSK_ACTOR, CartState
from kiosk.services.member_port import (
    CentralAnswer,
    is_coupon_code,
    is_member_code,
)
from kiosk.services.members import MemberView
from kiosk.services.payment_port import (
    PaymentOutcome,
    PaymentResult,
    PaymentView,
)
from kiosk.services.payments import attended_payment
from ui.i18n import Localiser
from ui.offers import OfferNames, coupon_reason
from ui.sounds import Sound, SoundPlayer
from ui.tasks import TaskRunner

# The idle timeout clears an abandoned cart as a journalled void by the kiosk itself.
IDLE_ACTOR = Staff(KIOSK_ACTOR, "kiosk (idle timeout)", Role.SUPERVISOR)
IDLE_VOID_REASON = "idle_timeout"


class Screen(enum.StrEnum):
    ATTRACT = "attract"
    SCANNING = "scanning"
    MEMBER = "member"
    PAYMENT = "payment"
    DONE = "done"
    LOCKED = "locked"


class Level(enum.StrEnum):
    INFO = "info"
    SUCCESS = "success"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class Notice:
    reason: str
    level: Level


@dataclass(frozen=True, slots=True)
class Timings:
    """Seconds; the tests shrink them instead of sleeping through them."""

    idle_s: float = 60.0
    still_there_s: float = 20.0
    done_s: float = 15.0


def _single_shot(parent: QObject, seconds: float, slot: Callable[[], None]) -> QTimer:
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(max(1, round(seconds * 1000)))
    timer.timeout.connect(slot)
    return timer


# Payment refusals that mean "the payment service cannot be reached" (not "no").
_OFFLINE_REASONS = frozenset({"payment_unavailable", "central_unreachable"})
OFFLINE_PAYMENT_ID = ""
"""The payment id of the store's static QR: no provider session stands behind it."""
OFFLINE_QR_TIME = timedelta(minutes=10)


class KioskSession(QObject):
    cart_changed = Signal(object)
    screen_changed = Signal(str)
    notice = Signal(object)
    payment_changed = Signal(object)
    sale_finished = Signal(object)
    e_receipt_ready = Signal(str)
    member_changed = Signal(object)
    member_lookup_changed = Signal(bool)
    loyalty_changed = Signal(object)
    assistance_changed = Signal(bool)
    still_there_asked = Signal(int)
    still_there_dismissed = Signal()
    staff_changed = Signal(object)
    staff_login_requested = Signal()
    exit_requested = Signal()
    _payment_result = Signal(object)

    def __init__(
        self,
        core: KioskCore,
        localiser: Localiser,
        sounds: SoundPlayer,
        tasks: TaskRunner,
        timings: Timings | None = None,
    ) -> None:
        super().__init__()
        self.core = core
        self.checkout = core.checkout
        self.members = core.members
        self.localiser = localiser
        self._sounds = sounds
        self._tasks = tasks
        self.timings = timings or Timings()
        state = self.checkout.state()
        # A restart restores the cart: go straight back to it (or to the payment it was in).
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
        self.member: MemberView | None = None
        self.staff: Staff | None = None
        self.assistance = False
        self.locked = False
        self.asking_still_there = False
        self.camera_broken = False
        self._starting_payment = False
        self.looking_up_member = False
        self._idle = _single_shot(self, self.timings.idle_s, self.idle_timeout)
        self._grace = _single_shot(self, self.timings.still_there_s, self.abandon)
        self._done = _single_shot(self, self.timings.done_s, self.next_shopper)
        self._payment_result.connect(self._on_payment_result, Qt.ConnectionType.QueuedConnection)
        core.payments.subscribe(self._payment_result.emit)
        if state.cart.frozen:
            # Restarted in the middle of a payment: its QR is gone, so reopen the cart; the
            # shopper taps Pay again. (Recovering the payment itself is the payments issue.)
            self._set_state(self.checkout.cancel_payment())
        self._arm_idle()

    # ------------------------------------------------------------- helpers
    def _go(self, screen: Screen) -> None:
        if screen is self.screen:
            return
        self.screen = screen
        self._arm_idle()
        self.screen_changed.emit(screen.value)

    def _set_state(self, state: CartState) -> None:
        self.state = state
        self.loyalty = self.checkout.loyalty_view(state)
        self.cart_changed.emit(state)
        self.loyalty_changed.emit(self.loyalty)

    def offer_names(self) -> OfferNames:
        """The names of the promotions and coupons on offer, in every language."""
        return OfferNames(self.core.catalog.engine())

    def _say(self, reason: str, level: Level = Level.ERROR) -> None:
        if level in (Level.ERROR, Level.WARNING):
            self._sounds.play(Sound.ERROR)
        self.notice.emit(Notice(reason, level))

    def notice_reason(self, reason: str, level: Level = Level.WARNING) -> None:
        """A notice that no core call produced (e.g. "select a line first")."""
        self._say(reason, level)

    def _refused(self, exc: KioskError) -> None:
        self._say(exc.reason)
        if exc.reason in ("approval_needed", "staff_needed", "payment_unavailable"):
            self.set_assistance(True)  # the message already says help is coming

    def _arm_idle(self) -> None:
        """Idle matters only where a shopper may have walked away from an unpaid cart."""
        self._idle.stop()
        if self.screen in (Screen.SCANNING, Screen.MEMBER) and self.staff is None:
            self._idle.start()

    # ------------------------------------------------------------- shopper intents
    @Slot()
    def touch(self) -> None:
        """Any touch, key or scan: the shopper is there."""
        if self.asking_still_there:
            self.asking_still_there = False
            self._grace.stop()
            self.still_there_dismissed.emit()
        if self._idle.isActive():
            self._idle.start()

    @Slot()
    def start(self) -> None:
        if self.screen is Screen.ATTRACT:
            self._go(Screen.SCANNING)

    @Slot(object)
    def scan(self, event: ScanEvent) -> None:
        """Every read from camera, wedge scanner or keypad comes here."""
        self.touch()
        text = event.text.strip()
        if self._try_badge(text):
            return
        if self.staff is not None:
            if text.startswith(EXIT_CODE_PREFIX):
                self.staff_do(lambda staff: self.staff_verify_exit(staff, text))
            return  # in staff mode other codes are not sold
        if self.locked:
            self._say("kiosk_locked")
            return
        if is_member_code(text):
            self._member_code(text)
            return
        if is_coupon_code(text):
            self._coupon(text)
            return
        if self.screen is Screen.PAYMENT:
            self._say("cart_frozen", Level.WARNING)
            return
        if self.screen is Screen.DONE:
            self.next_shopper()
        try:
            state = self.checkout.scan(text, event.symbology)
        except KioskError as exc:
            self._refused(exc)
            return
        self._go(Screen.SCANNING)
        self._sounds.play(Sound.SCAN)
        self._set_state(state)
        if state.cart.needs_approval:
            self._say("age_check_pending", Level.WARNING)
            self.set_assistance(True)

    def _try_badge(self, text: str) -> bool:
        # Product codes are all digits (or GS1/Digital Link forms a badge never takes), so
        # only other codes cost a badge lookup.
        if text.isdigit() or is_member_code(text) or is_coupon_code(text):
            return False
        try:
            staff = self.core.auth.by_badge(text)
        except NotAllowed:
            return False
        self._sign_in(staff)
        return True

    def _coupon(self, text: str) -> None:
        """A printed coupon, or a code from the member's wallet (scanned from the app)."""
        if self.screen is Screen.PAYMENT:
            self._say("cart_frozen", Level.WARNING)
            return
        if self.screen is Screen.DONE:
            self.next_shopper()
        try:
            outcome = self.checkout.add_coupon(text)
        except KioskError as exc:
            self._say(coupon_reason(exc.reason))
            return
        if self.screen is Screen.ATTRACT:
            self._go(Screen.SCANNING)
        self._set_state(outcome.state)
        verdict = outcome.verdict
        if verdict.accepted:
            self._sounds.play(Sound.SCAN)
            self._say("coupon_added", Level.SUCCESS)
            return
        # The engine keeps a coupon that may still apply (minimum spend, a member code to
        # come) and drops the others; the notice level follows what it did.
        kept = any(v.code == verdict.code for v in self.loyalty.coupons)
        self._say(coupon_reason(verdict.reason), Level.WARNING if kept else Level.ERROR)

    @Slot(str)
    def use_wallet_coupon(self, code: str) -> None:
        """A tap on a coupon in the member's wallet: into the cart, or out again."""
        self.touch()
        if any(v.code == code for v in self.loyalty.coupons):
            self.remove_coupon(code)
        else:
            self._coupon(code)

    @Slot()
    def toggle_points(self) -> None:
        """The member spends all the points they may spend now on this cart, or takes them
        back (the offline cap is the loyalty service's rule)."""
        self.touch()
        member = self.loyalty.member
        if member is None:
            return
        if self.screen is Screen.PAYMENT:
            self._say("cart_frozen", Level.WARNING)
            return
        points = 0 if self.loyalty.points_used else member.spendable
        try:
            self._set_state(self.checkout.spend_points(points))
        except KioskError as exc:
            self._refused(exc)

    @Slot(str)
    def remove_coupon(self, code: str) -> None:
        self.touch()
        if self.screen is Screen.PAYMENT:
            self._say("cart_frozen", Level.WARNING)
            return
        try:
            self._set_state(self.checkout.remove_coupon(code))
        except KioskError as exc:
            self._refused(exc)
            return
        self._say("coupon_removed", Level.INFO)

    @Slot(int, int)
    def change_quantity(self, line_no: int, delta: int) -> None:
        self.touch()
        try:
            quantity = self.checkout.cart.line(line_no).quantity + delta
            self._set_state(self.checkout.set_quantity(line_no, quantity))
        except KioskError as exc:
            self._refused(exc)

    @Slot(int)
    def remove_line(self, line_no: int) -> None:
        self.touch()
        try:
            self._set_state(self.checkout.remove_line(line_no))
        except KioskError as exc:
            self._refused(exc)

    @Slot()
    def open_member(self) -> None:
        if self.screen in (Screen.ATTRACT, Screen.SCANNING):
            self._go(Screen.MEMBER)

    @Slot()
    def back_to_cart(self) -> None:
        if self.screen is Screen.MEMBER:
            self._go(Screen.SCANNING)

    def _attach(self, member: MemberView, reason: str) -> None:
        try:
            self._set_state(self.checkout.set_member(member.member_id))
        except KioskError as exc:
            self._refused(exc)
            return
        self.member = member
        self.member_changed.emit(member)
        self._sounds.play(Sound.SCAN)
        self._go(Screen.SCANNING)
        self._say(reason, Level.SUCCESS)

    def _member_code(self, code: str) -> None:
        if self.screen is Screen.PAYMENT:
            self._say("cart_frozen", Level.WARNING)
            return
        members = self.members
        reason = "member_added" if self.screen is Screen.MEMBER else "member_on_product_screen"
        self._find_member(
            lambda: members.ask_by_qr(code), lambda answer: members.by_qr(code, answer), reason
        )

    @Slot(str)
    def member_by_phone(self, phone: str) -> None:
        self.touch()
        members = self.members
        self._find_member(
            lambda: members.ask_by_phone(phone),
            lambda answer: members.by_phone(phone, answer),
            "member_added",
        )

    @Slot(str, bool)
    def member_sign_up(self, phone: str, consent: bool) -> None:
        self.touch()
        members = self.members
        self._find_member(
            lambda: members.ask_by_phone(phone),
            lambda answer: members.sign_up(phone, consent=consent, answer=answer),
            "member_signed_up",
        )

    def _find_member(
        self,
        ask: Callable[[], CentralAnswer],
        decide: Callable[[CentralAnswer | None], MemberView],
        reason: str,
    ) -> None:
        """Ask the central service on a worker thread (the screen stays live, up to the
        lookup's time limit), then decide with its answer and the kiosk's cache here."""
        if self.looking_up_member:
            return  # a second tap while the first is being answered
        cart_id = self.checkout.cart.cart_id

        def answered(answer: CentralAnswer | None) -> None:
            self.looking_up_member = False
            self.member_lookup_changed.emit(False)
            if self.checkout.cart.cart_id != cart_id:
                return  # the shopper left meanwhile: not this cart's member
            try:
                member = decide(answer)
            except KioskError as exc:
                self._refused(exc)
                return
            self._attach(member, reason)

        def refused(exc: KioskError) -> None:
            self.looking_up_member = False
            self.member_lookup_changed.emit(False)
            if self.checkout.cart.cart_id == cart_id:
                self._refused(exc)

        if not self.members.asks_central:
            answered(None)  # nothing to wait for: the cache answers at once
            return
        self.looking_up_member = True
        self.member_lookup_changed.emit(True)
        self._say("member_looking_up", Level.INFO)
        self._tasks.run(ask, answered, refused)

    @Slot()
    def pay(self) -> None:
        """One tap from the cart to the payment QR."""
        self.touch()
        if self.screen not in (Screen.SCANNING, Screen.MEMBER) or self._starting_payment:
            return
        try:
            state = self.checkout.begin_payment()
        except KioskError as exc:
            self._refused(exc)
            return
        self._set_state(state)
        self._starting_payment = True
        self.payment = None
        self._go(Screen.PAYMENT)
        self.payment_changed.emit(None)
        amount, sale_id = state.priced.total, state.cart.cart_id
        payments = self.core.payments
        self._tasks.run(
            lambda: payments.start(amount, sale_id), self._payment_started, self._payment_refused
        )

    def _payment_started(self, view: PaymentView) -> None:
        self._starting_payment = False
        if self.screen is not Screen.PAYMENT or not self.checkout.cart.frozen:
            self.core.payments.cancel(view.payment_id)  # cancelled while it was prepared
            return
        self.payment = view
        self.payment_changed.emit(view)

    def _payment_refused(self, exc: KioskError) -> None:
        self._starting_payment = False
        static_qr = self.core.static_qr
        if static_qr and exc.reason in _OFFLINE_REASONS and self.checkout.cart.frozen:
            # The cart stays frozen under the store's static QR until staff confirm the
            # payment (`staff_attended_payment`) or the shopper goes back to the items.
            total = self.checkout.state().priced.total
            expires = self.core.clock.now() + OFFLINE_QR_TIME
            self.payment_changed.emit(PaymentView(OFFLINE_PAYMENT_ID, static_qr, expires, total))
            self._say("payment_offline", Level.WARNING)
            self.set_assistance(True)
            return
        self._reopen_cart()
        self._refused(exc)

    def _reopen_cart(self) -> None:
        self.payment = None
        if self.checkout.cart.frozen:
            self._set_state(self.checkout.cancel_payment())
        if self.screen is Screen.PAYMENT:
            self._go(Screen.SCANNING)

    @Slot()
    def cancel_payment(self) -> None:
        """The provider confirms the cancel (a payment may have gone through meanwhile)."""
        if self.payment is not None:
            self.core.payments.cancel(self.payment.payment_id)
        elif self.screen is Screen.PAYMENT:
            self._reopen_cart()

    @Slot(object)
    def _on_payment_result(self, result: PaymentResult) -> None:
        view = self.payment
        if view is None or result.payment_id != view.payment_id:
            return  # a payment this session already left behind
        if result.outcome is PaymentOutcome.PAID:
            tender = Tender(
                result.payment_id, self.core.payments.method, view.amount, result.reference
            )
            self.payment = None
            self._complete(tender)
            return
        self._reopen_cart()
        if result.outcome is PaymentOutcome.EXPIRED:
            self._say("payment_expired", Level.WARNING)
        elif result.outcome is PaymentOutcome.FAILED:
            self._say(result.reason or "payment_unavailable")
            self.set_assistance(True)

    def _complete(self, tender: Tender) -> None:
        try:
            sale = self.checkout.complete_sale(tender)
        except KioskError as exc:
            self._refused(exc)
            self.set_assistance(True)
            return
        self.show_paid(sale)

    def show_paid(self, sale: Sale) -> None:
        """The done screen for `sale`: just paid, or paid while the kiosk was restarting."""
        self.sale = self.last_sale = sale
        attended = any(t.attended_by for t in sale.tenders)
        self.exit_code = self.last_exit_code = self.core.exit_signer.sign(sale, attended)
        self._set_state(self.checkout.state())
        self._sounds.play(Sound.PAID)
        self.sale_finished.emit(sale)
        self._go(Screen.DONE)
        self._done.start()
        self._ask_e_receipt(sale, self.exit_code)

    def _ask_e_receipt(self, sale: Sale, exit_code: str | None) -> None:
        """Ask the central service for the e-receipt link off the UI thread; the done screen
        offers it as a QR when it arrives. Offline there is none: the paper receipt and the
        exit code on screen still work, so a failure only leaves the QR out."""
        links = self.core.receipt_links
        if links is None:
            return
        language = self.localiser.language

        def ready(url: str) -> None:
            self.last_e_receipt_url = url
            if self.sale is not None and self.sale.sale_id == sale.sale_id:
                self.e_receipt_url = url
                self.e_receipt_ready.emit(url)

        self._tasks.run(lambda: links.link(sale, exit_code, language), ready, lambda _exc: None)

    @Slot()
    def print_receipt(self) -> None:
        if self.sale is None:
            return
        self._done.start()  # give the shopper time to take it
        try:
            self.core.printer.print_sale(
                self.sale, self.localiser.language, self.exit_code, self.e_receipt_url
            )
        except KioskError as exc:
            self._say(exc.reason)
            self.set_assistance(True)  # a printer needs a person; the exit code is on screen
            return
        self._say("receipt_printed", Level.SUCCESS)

    @Slot()
    def next_shopper(self) -> None:
        """Back to the attract screen, in the store's language, with nothing left over."""
        self._done.stop()
        self.sale = None
        self.exit_code = None
        self.e_receipt_url = None
        self.member = None
        self.member_changed.emit(None)
        self.set_assistance(False)
        self.localiser.reset()
        self._go(Screen.ATTRACT)

    @Slot()
    def call_assistance(self) -> None:
        """The shopper's "call for help" button; staff see it on their screen."""
        if not self.assistance:
            self._say("assistance_called", Level.INFO)
        self.set_assistance(True)

    def set_assistance(self, on: bool) -> None:
        if on != self.assistance:
            self.assistance = on
            self.assistance_changed.emit(on)

    @Slot(str)
    def set_language(self, language: str) -> None:
        self.touch()
        self.localiser.set_language(language)

    @Slot(str, str)
    def camera_status(self, state: str, message: str) -> None:
        """The scanner's source went away or came back; the cart is untouched either way."""
        broken = state in ("lost", "stalled")
        if broken and not self.camera_broken and self.screen is not Screen.ATTRACT:
            self._say("camera_lost")
        self.camera_broken = broken

    # ------------------------------------------------------------- idle
    @Slot()
    def idle_timeout(self) -> None:
        """No touch for `idle_s`: ask whether the shopper is still there."""
        if self.checkout.cart.is_empty and self.member is None:
            self.next_shopper()
            return
        self.asking_still_there = True
        self._grace.start()
        self.still_there_asked.emit(round(self.timings.still_there_s))

    @Slot()
    def abandon(self) -> None:
        """Nobody answered: void the unpaid cart (journalled as the kiosk's action) and reset."""
        self.asking_still_there = False
        self._grace.stop()
        self.still_there_dismissed.emit()
        cart = self.checkout.cart
        if cart.frozen:
            return  # a payment is open: its own expiry ends it
        if cart.lines:
            self.checkout.void_sale(IDLE_ACTOR, IDLE_VOID_REASON)
        elif cart.member_id is not None:
            self.checkout.set_member(None)
        self._set_state(self.checkout.state())
        self.next_shopper()

    # ------------------------------------------------------------- staff
    @Slot()
    def request_staff_login(self) -> None:
        self.staff_login_requested.emit()

    @Slot(str, str)
    def staff_pin(self, staff_id: str, pin: str) -> None:
        try:
            staff = self.core.auth.by_pin(staff_id, pin)
        except KioskError as exc:
            self._say(exc.reason)
            return
        self._sign_in(staff)

    def _sign_in(self, staff: Staff) -> None:
        self.checkout.record_staff_action(staff, "staff_signed_in", {"screen": self.screen.value})
        self.staff = staff
        self._idle.stop()
        if self.screen is Screen.PAYMENT:
            self._say("staff_while_paying", Level.INFO)
        self.staff_changed.emit(staff)

    @Slot()
    def staff_sign_out(self) -> None:
        if self.staff is None:
            return
        self.checkout.record_staff_action(self.staff, "staff_signed_out", {})
        self.staff = None
        self.set_assistance(False)
        self.staff_changed.emit(None)
        self._arm_idle()

    def staff_do(self, action: Callable[[Staff], None]) -> None:
        """Run a staff action as the signed-in staff member; refusals become notices."""
        if self.staff is None:
            return
        try:
            action(self.staff)
        except KioskError as exc:
            self._say(exc.reason)

    def staff_void_line(self, staff: Staff, line_no: int, reason: str) -> None:
        self._set_state(self.checkout.void_line(staff, line_no, reason))

    def staff_approve_age(self, staff: Staff) -> None:
        self._set_state(self.checkout.approve_age(staff))
        self.set_assistance(False)

    def staff_verify_exit(self, staff: Staff, code: str) -> None:
        staff.require(Permission.VERIFY_EXIT)
        verdict = self.core.exit_verifier.verify(code, self.core.clock.now())
        sale_id = verdict.exit_pass.sale_id if verdict.exit_pass else None
        self.checkout.record_staff_action(
            staff,
            "exit_code_checked",
            {"sale_id": sale_id, "ok": verdict.ok, "reason": verdict.reason},
        )
        if not verdict.ok:
            self._say(f"exit_{verdict.reason}")
        elif verdict.audit:
            self._say("exit_valid_audit", Level.WARNING)
        else:
            self._say("exit_valid", Level.SUCCESS)

    def staff_reprint(self, staff: Staff) -> None:
        staff.require(Permission.REPRINT)
        if self.last_sale is None:
            self._say("nothing_to_reprint", Level.WARNING)
            return
        self.core.printer.print_sale(
            self.last_sale, self.localiser.language, self.last_exit_code, self.last_e_receipt_url
        )
        self.checkout.record_staff_action(
            staff, "receipt_reprinted", {"sale_id": self.last_sale.sale_id}
        )
        self._say("reprinted", Level.SUCCESS)

    def staff_void_sale(self, staff: Staff, reason: str) -> None:
        """The sale is over: journalled and synced as voided; the next shopper starts fresh."""
        if self.payment is not None:
            self.core.payments.cancel(self.payment.payment_id)
        self.payment = None
        if self.checkout.cart.frozen:
            self._set_state(self.checkout.cancel_payment())
        self.checkout.void_sale(staff, reason)
        self._set_state(self.checkout.state())
        self.next_shopper()

    def staff_attended_payment(self, staff: Staff) -> None:
        """Offline: the shopper paid the store's static QR; staff saw it and confirm."""
        staff.require(Permission.CONFIRM_PAYMENT)
        if self.payment is not None:
            self.core.payments.cancel(self.payment.payment_id)
            self.payment = None
        state = (
            self.checkout.state() if self.checkout.cart.frozen else self.checkout.begin_payment()
        )
        core = self.core
        # Records the payment session as paid by staff; the sale syncs later like any other.
        tender = attended_payment(
            core.store,
            staff,
            state.priced.total,
            state.cart.cart_id,
            core.clock,
            core.ids,
        )
        self.checkout.record_staff_action(
            staff,
            "attended_payment_confirmed",
            {"cart_id": state.cart.cart_id, "amount_minor": state.priced.total.minor},
        )
        self._complete(tender)

    def staff_lock(self, staff: Staff, locked: bool) -> None:
        staff.require(Permission.LOCK_KIOSK)
        self.checkout.record_staff_action(staff, "kiosk_locked" if locked else "kiosk_unlocked", {})
        self.locked = locked
        if locked:
            self._go(Screen.LOCKED)
        else:
            self._go(Screen.SCANNING if self.checkout.cart.lines else Screen.ATTRACT)

    def staff_exit(self, staff: Staff) -> None:
        staff.require(Permission.EXIT_KIOSK_MODE)
        self.checkout.record_staff_action(staff, "kiosk_mode_exited", {})
        self.exit_requested.emit()
