"""The shopper's intents: a scan routed to the staff desk (badge, exit code), the member,
the coupons or the cart; the cart's taps; the member screen; paying; the done screen.

Each intent returns the events it caused (see `kiosk.services.session`); the staff's
intents are `kiosk.services.staff_desk`'s.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from kiosk.domain.alerts import AlertError, AlertReason
from kiosk.domain.catalog import Product, Unit
from kiosk.domain.codes import Gtin, display_gtin
from kiosk.domain.errors import KioskError, NotAllowed, Reason
from kiosk.domain.exit_code import PREFIX as EXIT_CODE_PREFIX
from kiosk.domain.handoff import Handoff
from kiosk.domain.lookup import LookupEntry, search
from kiosk.domain.payment_code import PaymentCode, parse_payment_code
from kiosk.domain.pickup_code import is_pickup_code
from kiosk.domain.sale import Tender
from kiosk.domain.scale import ScaleReading, ZeroResult
from kiosk.domain.scan import ScanEvent
from kiosk.domain.transfer import is_transfer_code
from kiosk.services.member_port import CentralAnswer, is_coupon_code, is_member_code
from kiosk.services.members import MemberView
from kiosk.services.payment_port import CodeCharge, PaymentOutcome, PaymentResult, PaymentView
from kiosk.services.payments import CODE_REASONS, CODE_SUFFIX, paid_without_sale, tender_of
from kiosk.services.pickups import PickupRefused, PickupStage, PickupView, collected_order
from kiosk.services.session import (
    OFFLINE_PAYMENT_ID,
    OFFLINE_QR_TIME,
    OFFLINE_REASONS,
    BagOffered,
    CollectedShown,
    Level,
    LookupShown,
    MemberShown,
    PaymentShown,
    PaymentStage,
    PickerShown,
    PickupShown,
    Played,
    Prompt,
    Screen,
    Session,
    SessionCore,
    Sound,
    Spoken,
    StaffLoginAsked,
    Task,
    Timer,
    Timings,
    intent,
)
from kiosk.services.staff_desk import SHOPPER_RESUME, StaffDesk
from kiosk.services.weighing import ScaleAsked, ScaleCommand, Weighing, WeighingShown

FAILED_SCANS_ALERT = 3
"""Refused scans in a row that call staff."""


class ShopperSession(Session):
    """A kiosk's session: the shopper's intents, and the staff desk for staff's."""

    def __init__(
        self, core: SessionCore, timings: Timings | None = None, language: str = ""
    ) -> None:
        super().__init__(core, timings, language)
        self.desk = StaffDesk(self)
        self.failed_scans = 0
        """Refused scans in a row (reset by a good one)."""
        self.picker: list[LookupEntry] = []
        """What the item picker lists, read from the store each time it opens."""
        self.weighing: Weighing | None = None
        """The loose item on the kiosk's scale, while the weighing screen is up."""
        self.bag: Product | None = None
        """The bag offered, while "need a bag?" waits for an answer."""
        self.bag_asked = ""
        """The cart whose shopper was asked about a bag: once a sale is enough."""

    # ------------------------------------------------------------- shopper intents
    @intent
    def start(self) -> None:
        if self.screen is Screen.ATTRACT:
            self.go(Screen.SCANNING)
            self.emit(Spoken(Prompt.WELCOME))

    @intent
    def scan(self, event: ScanEvent) -> None:
        """Every read from camera, wedge scanner or keypad comes here, and goes to the staff
        desk (a badge, an exit code), the member, the coupons or the cart."""
        self.touch()
        text = event.text.strip()
        desk = self.desk
        if is_transfer_code(text):
            self._transfer_code(text)
            return
        if is_pickup_code(text):
            self._pickup_code(text)
            return
        if self._try_badge(text):
            return
        if self.staff is not None:
            if self.refunding:
                desk.refund_find(text)
            elif text.startswith(EXIT_CODE_PREFIX):
                desk.verify_exit(text)
            return  # in staff mode other codes are not sold
        if self.locked:
            self.say(Reason.KIOSK_LOCKED)
            return
        payment_code = parse_payment_code(text)
        if payment_code is not None:
            self._payment_code(payment_code)  # before any product look-up: never a product
            return
        if is_member_code(text):
            self._member_code(text)
            return
        if is_coupon_code(text):
            self._coupon(text)
            return
        if self._frozen() or not self.leave_done():
            return
        try:
            state = self.checkout.scan(text, event.symbology)
        except KioskError as exc:
            if exc.reason is Reason.NEEDS_WEIGHT and self.core.scale_port is not None:
                self.weigh(text)  # the loose item's own code: weigh it here
                return
            self._scan_refused(exc)
            return
        self.failed_scans = 0
        self.unsay()  # the refused item is put aside: the next one went in
        self.go(Screen.SCANNING)
        self.item_added(state)
        if any(line.needs_approval for line in state.cart.lines):
            self.say(Reason.AGE_CHECK_PENDING, Level.WARNING)
        self.call_age_check(state)

    def _transfer_code(self, text: str) -> None:
        """A suspended cart's code: staff resume it in their name; on the scanning screen
        the shopper may too, while nothing else is in the cart."""
        if self.staff is not None:
            self.desk.resume(text)
            return
        if self.locked:
            self.say(Reason.KIOSK_LOCKED)
            return
        if self._frozen():
            return
        try:
            self.desk.resume_as(SHOPPER_RESUME, text)
        except KioskError as exc:
            self.refused(exc)

    def _pickup_code(self, text: str) -> None:
        """A group-buy order's pickup code: checked offline with the store's key; the
        pickup screen shows the order to collect, all or part of it. A code that hands
        nothing out (collected already, not ready here, not valid) says what happened there
        and calls staff, so nothing is handed out twice without a person seeing it."""
        if self.locked:
            self.say(Reason.KIOSK_LOCKED)
            return
        if self._frozen() or not self.leave_done():
            return
        pickups = self.core.pickups
        verdict = pickups.verify(text, self.core.clock.now())
        if not verdict.ok:
            self._show_pickup(PickupView(verdict, PickupStage.PROBLEM))
            self.emit(Played(Sound.ERROR))
            self.raise_alert(AlertReason.PICKUP_PROBLEM)
            return
        self.emit(Played(Sound.SCAN))
        view = PickupView(verdict, PickupStage.CHOOSE, from_staff=pickups.from_staff())
        self._show_pickup(view.everything())

    def _show_pickup(self, view: PickupView) -> None:
        self.pickup = view
        self.emit(PickupShown(view))
        self.go(Screen.PICKUP)

    def _choosing(self) -> PickupView | None:
        view = self.pickup
        if self.screen is not Screen.PICKUP or view is None:
            return None
        return view if view.stage is PickupStage.CHOOSE else None

    @intent
    def pickup_step(self, gtin: str, delta: int) -> None:
        """− / + on a line of the order: how many of it to take now."""
        self.touch()
        view = self._choosing()
        if view is not None:
            self._show_pickup(view.step(gtin, delta))

    @intent
    def pickup_all(self) -> None:
        self.touch()
        view = self._choosing()
        if view is not None:
            self._show_pickup(view.everything())

    @intent
    def collect_order(self) -> None:
        """Hand out what was chosen: recorded and queued for the service in one
        transaction, once (a second tap finds the order collected on screen already)."""
        self.touch()
        view = self._choosing()
        if view is None or not view.chosen_units:
            return
        units = {gtin: n for gtin, n in view.chosen.items() if n > 0}
        pickup_id = self.core.ids.new()
        try:
            # The cart in progress names the pickup: its sale's id once paid (the
            # report's extra basket spend of shoppers who came to collect).
            after = self.core.pickups.hand_out(
                view.verdict, self.core.clock.now(), units, pickup_id, self.state.cart.cart_id
            )
        except KioskError as exc:
            # hand_out checks the order again: a sync round since the scan said it was
            # collected elsewhere or took it off the ready list, or another pickup of it
            # reached this kiosk's records. Nothing was handed out; the screen says why (the
            # order as it stands now) and staff look at it.
            problem = PickupView(view.verdict, PickupStage.PROBLEM)
            if isinstance(exc, PickupRefused):
                problem = PickupView(exc.verdict, PickupStage.PROBLEM, refused=exc.reason)
            self._show_pickup(problem)
            self.emit(Played(Sound.ERROR))
            self.raise_alert(AlertReason.PICKUP_PROBLEM)
            return
        order = collected_order(view.verdict, units, pickup_id, view.from_staff)
        self.collected = (*self.collected, order)
        self.emit(Played(Sound.SCAN))
        self._show_pickup(PickupView(after, PickupStage.COLLECTED, {}, view.from_staff, order))
        if view.from_staff:
            self.raise_alert(AlertReason.PICKUP_BRING)

    @intent
    def leave_pickup(self) -> None:
        """Back (nothing collected) or "Continue shopping" (collected): the cart, or, for a
        shopper who has nothing there and collected nothing, the next shopper."""
        self.touch()
        if self.screen is not Screen.PICKUP:
            return
        view, self.pickup = self.pickup, None
        if self.checkout.cart.lines or self.collected or self.checkout.cart.member_id:
            self.go(Screen.SCANNING)
        else:
            self.next_shopper()
            return
        order = view.collected if view is not None else None
        if order is not None:  # "Continue shopping": what was collected, and what next
            args = (order.ref, str(order.units))
            self.say(Reason.PICKUP_HANDED_OUT, Level.SUCCESS, args=args)

    @intent
    def pickup_done(self) -> None:
        """ "Done" after collecting: pay for the items in the cart (one exit pass for both),
        or, with nothing bought, the done screen with the pickup's own exit pass."""
        self.touch()
        view = self.pickup
        if self.screen is not Screen.PICKUP or view is None or view.stage is PickupStage.CHOOSE:
            return
        self.pickup = None
        if self.checkout.cart.lines:
            self.go(Screen.SCANNING)
            self.pay()
        elif self.collected:
            self._show_collected()
        else:
            self.next_shopper()

    def _show_collected(self) -> None:
        """The done screen for group-buy orders collected with nothing bought: their exit
        pass, printable as a slip, handed over like a sale's (`kiosk.domain.handoff`)."""
        now = self.core.clock.now()
        units = sum(order.units for order in self.collected)
        exit_code = self.core.exit_signer.sign_pickup(
            self.checkout.kiosk_id, self.collected[0].pickup_id, units,
            self.state.priced.currency, now,
        )  # fmt: skip
        self.sale = None
        self.exit_code = self.last_exit_code = exit_code
        self.e_receipt_url = None
        self.emit(Spoken(Prompt.DONE))
        self.emit(CollectedShown(self.collected, exit_code))
        self.go(Screen.DONE)
        self.show_pass(Handoff())

    def _scan_refused(self, exc: KioskError) -> None:
        """Say why; a shopper who keeps failing to scan gets staff before giving up."""
        alerts = len(self.alerts)
        self.refused(exc)
        if len(self.alerts) != alerts:
            return  # the refusal called staff already
        self.failed_scans += 1
        if self.failed_scans >= FAILED_SCANS_ALERT:
            self.failed_scans = 0
            self.raise_alert(AlertReason.REPEATED_FAILED_SCANS)

    def _try_badge(self, text: str) -> bool:
        # Product and payment codes are all digits (or GS1/Digital Link forms a badge never
        # takes), so only other codes cost a badge lookup.
        if text.isdigit() or is_member_code(text) or is_coupon_code(text):
            return False
        try:
            staff = self.core.auth.by_badge(text)
        except NotAllowed:
            return False
        self.desk.sign_in(staff)
        return True

    def _coupon(self, text: str) -> None:
        """A printed coupon, or a code from the member's wallet (scanned from the app)."""
        if self._frozen() or not self.leave_done():
            return
        try:
            outcome = self.checkout.add_coupon(text)
        except KioskError as exc:
            self.say(exc.reason, coupon=True)
            return
        if self.screen is Screen.ATTRACT:
            self.go(Screen.SCANNING)
        self.set_state(outcome.state)
        verdict = outcome.verdict
        if verdict.accepted:
            self.emit(Played(Sound.SCAN))
            self.say(Reason.COUPON_ADDED, Level.SUCCESS)
            return
        # The engine keeps a coupon that may still apply (minimum spend, a member code to
        # come) and drops the others; the notice level follows what it did.
        kept = any(v.code == verdict.code for v in self.loyalty.coupons)
        self.say(
            verdict.reason or Reason.COUPON_REJECTED,
            Level.WARNING if kept else Level.ERROR,
            coupon=True,
        )

    @intent
    def use_wallet_coupon(self, code: str) -> None:
        """A tap on a coupon in the member's wallet: into the cart, or out again."""
        self.touch()
        if any(v.code == code for v in self.loyalty.coupons):
            self.remove_coupon(code)
        else:
            self._coupon(code)

    @intent
    def toggle_points(self) -> None:
        """The member spends all the points they may spend now on this cart, or takes them
        back (the offline cap is the loyalty service's rule)."""
        self.touch()
        member = self.loyalty.member
        if member is None or self._frozen():
            return
        points = 0 if self.loyalty.points_used else member.spendable
        try:
            self.set_state(self.checkout.spend_points(points))
        except KioskError as exc:
            self.refused(exc)

    @intent
    def remove_coupon(self, code: str) -> None:
        self.touch()
        if self._frozen():
            return
        try:
            self.set_state(self.checkout.remove_coupon(code))
        except KioskError as exc:
            self.refused(exc)
            return
        self.say(Reason.COUPON_REMOVED, Level.INFO)

    @intent
    def change_quantity(self, line_no: int, delta: int) -> None:
        self.touch()
        try:
            quantity = self.checkout.cart.line(line_no).quantity + delta
            self.set_state(self.checkout.set_quantity(line_no, quantity))
        except KioskError as exc:
            self.refused(exc)

    @intent
    def remove_line(self, line_no: int) -> None:
        self.touch()
        try:
            self.set_state(self.checkout.remove_line(line_no))
        except KioskError as exc:
            self.refused(exc)

    # ------------------------------------------------------------- the item picker
    @intent
    def open_picker(self) -> None:
        """ "Look up item": goods without a barcode, by picture, name or PLU."""
        self.touch()
        if self.screen not in (Screen.ATTRACT, Screen.SCANNING):
            return
        self.picker = self.core.store.catalog.looked_up()
        self.go(Screen.PICKER)
        self.find_items("", "")

    @intent
    def find_items(self, query: str, category: str) -> None:
        """A keystroke in the picker's search box or a tap on a category tab. A search
        looks through every category: the shopper may not know where the item is filed."""
        self.touch()
        if self.screen is not Screen.PICKER:
            return
        categories = tuple(sorted({e.product.category for e in self.picker}))
        found = search(query, self.picker, self.language)
        if category and not query.strip():
            found = [e for e in found if e.product.category == category]
        self.emit(
            PickerShown(
                query,
                "" if query.strip() else category,
                categories,
                tuple(e.product for e in found),
            )
        )

    @intent
    def pick(self, gtin: Gtin, quantity: int = 1) -> None:
        """A tile tapped (and its quantity set): into the cart, or to be weighed."""
        self.touch()
        if self.screen is not Screen.PICKER:
            return
        product = next((e.product for e in self.picker if e.product.gtin == gtin), None)
        if product is not None and product.unit is Unit.KG:
            self.weigh_item(product)
            return
        try:
            state = self.checkout.pick(gtin, quantity)
        except KioskError as exc:
            self.refused(exc)
            return
        self.go(Screen.SCANNING)
        self.item_added(state)

    # ------------------------------------------------------------- the scale
    @intent
    def weigh(self, code: str) -> None:
        """Sell a loose item by weight: `code` is its own code (GTIN, or the GTIN its PLU
        names). On the kiosk's scale when it has one; without, the weighing counter."""
        self.touch()
        if self.staff is not None or self._frozen():
            return
        if self.locked:
            self.say(Reason.KIOSK_LOCKED)
            return
        if self.core.scale_port is None:
            self.say(Reason.NEEDS_WEIGHT)
            return
        try:
            product = self.checkout.weighable(code)
        except KioskError as exc:
            self._scan_refused(exc)
            return
        if self.screen is Screen.DONE:
            self.next_shopper()
        self.go(Screen.WEIGHING)
        self.weighing = Weighing(product, self.checkout.policy.rounding)
        self.emit(ScaleAsked(ScaleCommand.START))
        self.emit(WeighingShown(self.weighing.view()))

    @intent
    def scale_read(self, reading: ScaleReading) -> None:
        """A reading from the scale's thread (several a second while weighing)."""
        weighing = self.weighing
        if weighing is None:
            return  # the weighing ended while this reading was on its way
        before = weighing.view()
        command = weighing.read(reading)
        if command is not None:
            self.emit(ScaleAsked(command))
        view = weighing.view()
        if view != before:
            self.emit(WeighingShown(view))

    @intent
    def scale_zeroed(self, result: ZeroResult) -> None:
        weighing = self.weighing
        if weighing is not None:
            weighing.zeroed(result)
            self.emit(WeighingShown(weighing.view()))

    @intent
    def scale_failed(self, exc: KioskError) -> None:
        """The scale timed out, went away or talks nonsense: never a guessed weight; the
        shopper is sent to the weighing counter (or staff)."""
        if self.weighing is not None:
            self.go(Screen.SCANNING)
            self.refused(exc)

    @intent
    def confirm_weight(self) -> None:
        """The shopper adds the weighed item at the weight and price on screen."""
        self.touch()
        weighing = self.weighing
        if weighing is None:
            return
        grams = weighing.sellable_grams()
        if grams is None:
            self.say(Reason.WEIGHT_NOT_STABLE, Level.WARNING)
            return
        try:
            state = self.checkout.add_weighed(weighing.product.gtin, grams)
        except KioskError as exc:
            self.go(Screen.SCANNING)
            self.refused(exc)
            return
        self.go(Screen.SCANNING)
        self.item_added(state)

    def weigh_item(self, product: Product) -> None:
        """A by-weight item picked without a label: onto the kiosk's scale, or, with none,
        to the weighing counter (or staff), never a 0 kg line."""
        if self.core.scale_port is None:
            self.go(Screen.SCANNING)
            self.say(Reason.NEEDS_WEIGHT, Level.WARNING)
            return
        self.weigh(display_gtin(product.gtin))

    @intent
    def close_picker(self) -> None:
        self.touch()
        if self.screen is Screen.PICKER:
            self.go(Screen.SCANNING)

    @intent
    def cancel_weighing(self) -> None:
        self.touch()
        if self.weighing is not None:
            self.go(Screen.SCANNING)

    def go(self, screen: Screen) -> None:
        """Leaving the weighing screen, whichever way, ends the weighing and stops the scale."""
        if screen is not Screen.WEIGHING and self.weighing is not None:
            self.weighing = None
            self.emit(ScaleAsked(ScaleCommand.STOP))
            self.emit(WeighingShown(None))
        super().go(screen)

    @intent
    def open_member(self) -> None:
        if self.screen in (Screen.ATTRACT, Screen.SCANNING):
            self.go(Screen.MEMBER)

    @intent
    def back_to_cart(self) -> None:
        if self.screen is Screen.MEMBER:
            self.go(Screen.SCANNING)

    def _attach(self, member: MemberView, reason: Reason) -> None:
        try:
            self.set_state(self.checkout.set_member(member.member_id))
        except KioskError as exc:
            self.refused(exc)
            return
        self.member = member
        self.emit(MemberShown(member))
        self.emit(Played(Sound.SCAN))
        self.go(Screen.SCANNING)
        self.say(reason, Level.SUCCESS)

    def _member_code(self, code: str) -> None:
        if self._frozen():
            return
        members = self.members
        on_member_screen = self.screen is Screen.MEMBER
        reason = Reason.MEMBER_ADDED if on_member_screen else Reason.MEMBER_ON_PRODUCT_SCREEN
        self._find_member(
            lambda: members.ask_by_qr(code), lambda answer: members.by_qr(code, answer), reason
        )

    @intent
    def member_by_phone(self, phone: str) -> None:
        self.touch()
        members = self.members
        self._find_member(
            lambda: members.ask_by_phone(phone),
            lambda answer: members.by_phone(phone, answer),
            Reason.MEMBER_ADDED,
        )

    @intent
    def member_sign_up(self, phone: str, consent: bool) -> None:
        self.touch()
        members = self.members
        self._find_member(
            lambda: members.ask_by_phone(phone),
            lambda answer: members.sign_up(phone, consent=consent, answer=answer),
            Reason.MEMBER_SIGNED_UP,
        )

    def _find_member(
        self,
        ask: Callable[[], CentralAnswer],
        decide: Callable[[CentralAnswer | None], MemberView],
        reason: Reason,
    ) -> None:
        """Ask the central service off this thread (the screen stays live, up to the
        lookup's time limit), then decide with its answer and the kiosk's cache here."""
        if self.looking_up_member:
            return  # a second tap while the first is being answered
        cart_id = self.checkout.cart.cart_id

        @intent
        def answered(self: ShopperSession, answer: CentralAnswer | None) -> None:
            self.looking_up_member = False
            self.emit(LookupShown(False))
            if self.checkout.cart.cart_id != cart_id:
                return  # the shopper left meanwhile: not this cart's member
            try:
                member = decide(answer)
            except KioskError as exc:
                self.refused(exc)
                return
            self._attach(member, reason)

        @intent
        def failed(self: ShopperSession, exc: KioskError) -> None:
            self.looking_up_member = False
            self.emit(LookupShown(False))
            if self.checkout.cart.cart_id == cart_id:
                self.refused(exc)

        if not self.members.asks_central:
            answered(self, None)  # nothing to wait for: the cache answers at once
            return
        self.looking_up_member = True
        self.emit(LookupShown(True))
        self.say(Reason.MEMBER_LOOKING_UP, Level.INFO)
        self.emit(Task(ask, functools.partial(answered, self), functools.partial(failed, self)))

    @intent
    def pay(self) -> None:
        """One tap from the cart to paying: the QR, or (store setting `code`) a request to
        show the wallet's payment code."""
        self.touch()
        if self.screen not in (Screen.SCANNING, Screen.MEMBER) or self.starting_payment:
            return
        if self._offer_bag():
            return
        if not self._freeze():
            return
        if self.core.payment_method == "code":
            self._show_stage(PaymentStage.SHOW_CODE)
            return
        self._start_qr()

    def _offer_bag(self) -> bool:
        """Ask once a sale, at its first Pay, whether the shopper needs the store's bag:
        not when the store sells none, the cart has one already, or it cannot be paid yet
        (Pay then says why)."""
        cart = self.checkout.cart
        gtin = self.core.bag
        if gtin is None or self.bag_asked == cart.cart_id:
            return False
        if cart.is_empty or cart.needs_approval:
            return False
        if any(line.active and line.gtin == gtin for line in cart.lines):
            return False
        bag = self.core.store.catalog.get(Gtin(gtin))
        if bag is None or not bag.sellable or bag.recalled or bag.unit is not Unit.EACH:
            return False
        self.bag_asked = cart.cart_id
        self.bag = bag
        self.go(Screen.SCANNING)
        self.emit(BagOffered(bag))
        self.emit(Spoken(Prompt.BAG))
        return True

    @intent
    def take_bags(self, count: int) -> None:
        """The answer to "need a bag?": none, or `count` of them as a priced line; then on
        to paying, as the Pay tap that asked meant."""
        self.touch()
        bag, self.bag = self.bag, None
        if bag is None:
            return
        self.emit(BagOffered(None))
        if self.screen is not Screen.SCANNING:
            return
        if count > 0:
            try:
                state = self.checkout.add_chosen(bag, count)
            except KioskError as exc:
                self.refused(exc)
                return
            self.item_added(state)
        self.pay()

    @intent
    def pay_by_qr(self) -> None:
        """From the "show your payment code" screen: a QR to scan instead."""
        self.touch()
        if self.screen is Screen.PAYMENT and self.payment is None and not self.starting_payment:
            self._start_qr()

    def _freeze(self) -> bool:
        try:
            state = self.checkout.begin_payment()
        except KioskError as exc:
            self.refused(exc)
            return False
        self.set_state(state)
        self.payment = None
        self.go(Screen.PAYMENT)
        return True

    def _show_stage(self, stage: PaymentStage, view: PaymentView | None = None) -> None:
        self.emit(PaymentShown(view, stage, self.state.priced.total))
        if stage in (PaymentStage.QR, PaymentStage.SHOW_CODE, PaymentStage.STATIC_QR):
            self.emit(Spoken(Prompt.PAY))  # what to do now is on the screen
        # Asking for a code has no expiry of its own: a shopper who walked away is asked
        # whether they are still there, like on the cart, and the frozen cart is voided.
        if stage is PaymentStage.SHOW_CODE:
            self.arm(Timer.IDLE)
        else:
            self.disarm(Timer.IDLE)

    def _start_qr(self) -> None:
        self.starting_payment = True
        self._show_stage(PaymentStage.PREPARING)
        amount, sale_id = self.state.priced.total, self.state.cart.cart_id
        payments = self.core.payments
        self.emit(
            Task(lambda: payments.start(amount, sale_id), self._payment_started, self._refused)
        )

    @intent
    def _payment_started(self, view: PaymentView) -> None:
        self.starting_payment = False
        if self.screen is not Screen.PAYMENT or not self.checkout.cart.frozen:
            self.core.payments.cancel(view.payment_id)  # cancelled while it was prepared
            return
        self.payment = view
        self._show_stage(PaymentStage.QR, view)

    @intent
    def _refused(self, exc: KioskError) -> None:
        self.starting_payment = False
        if self._offline_qr(exc):
            return
        self.reopen_cart()
        self.refused(exc)

    def _offline_qr(self, exc: KioskError) -> bool:
        """The payment service is unreachable: the store's static QR, if it has one. The
        cart stays frozen under it until staff confirm the payment
        (`StaffDesk.attended_payment`) or the shopper goes back to the items."""
        static_qr = self.core.static_qr
        if not (static_qr and exc.reason in OFFLINE_REASONS and self.checkout.cart.frozen):
            return False
        total = self.state.priced.total
        expires = self.core.clock.now() + OFFLINE_QR_TIME
        self.payment = PaymentView(OFFLINE_PAYMENT_ID, static_qr, expires, total)
        self._show_stage(PaymentStage.STATIC_QR, self.payment)
        self.say(Reason.PAYMENT_OFFLINE, Level.WARNING)
        self.raise_alert(AlertReason.ATTENDED_PAYMENT, amount=total)
        return True

    # ------------------------------------------------------------- payment codes
    def _payment_code(self, code: PaymentCode) -> None:
        """A wallet's payment code: never a product. On the cart (items on screen, total
        shown) it pays at once, as handing it to a cashier would: showing the code is the
        shopper's consent to pay the total in front of them, and it cannot be a product."""
        if self.screen in (Screen.SCANNING, Screen.MEMBER) and not self.starting_payment:
            if not self.state.cart.lines:
                self.say(Reason.PAYMENT_CODE_NO_ITEMS, Level.INFO)
                return
            if self._freeze():
                self._charge(code)
            return
        if self.screen is not Screen.PAYMENT:
            self.say(Reason.PAYMENT_CODE_NO_ITEMS, Level.INFO)
            return
        view = self.payment
        if self.starting_payment or self.pending_code is not None or (view and view.wallet):
            self.say(Reason.PAYMENT_CODE_BUSY, Level.INFO)  # one charge at a time
            return
        if view is not None and view.payment_id != OFFLINE_PAYMENT_ID:
            # A QR is open: withdraw it first; the code is charged when that is confirmed
            # (`payment_result`), so the shopper never pays both.
            self.pending_code = code
            self._show_stage(PaymentStage.CHARGING)
            self.core.payments.cancel(view.payment_id)
            return
        self.payment = None
        self._charge(code)

    def _charge(self, code: PaymentCode) -> None:
        self.starting_payment = True
        self._show_stage(PaymentStage.CHARGING)
        amount, sale_id = self.state.priced.total, self.state.cart.cart_id
        payments = self.core.payments
        self.emit(
            Task(
                lambda: payments.charge_code(code, amount, sale_id),
                self._code_charged,
                self._code_refused,
            )
        )

    @intent
    def _code_charged(self, charge: CodeCharge) -> None:
        self.starting_payment = False
        if charge.result is None and (
            self.screen is not Screen.PAYMENT or not self.checkout.cart.frozen
        ):
            self.core.payments.cancel(charge.view.payment_id)  # staff voided it meanwhile
            return
        self.payment = charge.view
        if charge.result is not None:
            self.payment_result(charge.result)
            return
        self._show_stage(PaymentStage.CHARGING, charge.view)
        self.say(Reason.PAYMENT_CODE_CONFIRM, Level.INFO)

    @intent
    def _code_refused(self, exc: KioskError) -> None:
        """Nothing was charged (the service could not be asked)."""
        self.starting_payment = False
        if self._offline_qr(exc):
            return
        self.refused(exc)
        self._show_stage(PaymentStage.SHOW_CODE)

    @intent
    def cancel_payment(self) -> None:
        """The provider confirms the cancel (a payment may have gone through meanwhile)."""
        if self.starting_payment and self.screen is Screen.PAYMENT:
            self.say(Reason.PAYMENT_CODE_BUSY, Level.INFO)  # its answer decides; wait for it
        elif self.payment is not None and self.payment.payment_id != OFFLINE_PAYMENT_ID:
            self.pending_code = None
            self.core.payments.cancel(self.payment.payment_id)
        elif self.screen is Screen.PAYMENT:
            self.reopen_cart()

    @intent
    def payment_result(self, result: PaymentResult) -> None:
        """The provider's answer about a payment (from its watcher, on this thread)."""
        view = self.payment
        if view is None or result.payment_id != view.payment_id:
            if result.outcome is PaymentOutcome.PAID:
                self._paid_off_screen(result)
            return  # anything else: a payment this session already left behind
        if result.outcome is PaymentOutcome.PAID:
            method = f"{view.wallet}{CODE_SUFFIX}" if view.wallet else self.core.payments.method
            self.payment = None
            self.pending_code = None
            self.complete(Tender(result.payment_id, method, view.amount, result.reference))
            return
        code = self.pending_code
        if code is not None:
            self.pending_code = None  # the QR is withdrawn: charge the code shown meanwhile
            self.payment = None
            self._charge(code)
            return
        if view.wallet and result.outcome is not PaymentOutcome.CANCELLED:
            # The shopper is still at the till with a frozen cart: say what happened and
            # let them show a fresh code, scan a QR instead, or cancel.
            self.payment = None
            self._show_stage(PaymentStage.SHOW_CODE)
            if result.outcome is not PaymentOutcome.FAILED:
                reason = Reason.PAYMENT_CODE_NOT_CONFIRMED
            elif result.reason in CODE_REASONS or result.reason is Reason.PAYMENT_NOT_FOUND:
                reason = result.reason  # not found: withdrawn before it reached the service
            else:
                reason = Reason.PAYMENT_CODE_DECLINED
            self.say(reason, Level.WARNING)
            if reason is Reason.PAYMENT_CODE_DECLINED:
                self.raise_alert(AlertReason.ATTENDED_PAYMENT, amount=view.amount)
            return
        self.reopen_cart()
        if result.outcome is PaymentOutcome.EXPIRED:
            self.say(Reason.PAYMENT_EXPIRED, Level.WARNING)
        elif result.outcome is PaymentOutcome.FAILED:
            self.say(result.reason or Reason.PAYMENT_UNAVAILABLE)
            self.raise_alert(AlertReason.ATTENDED_PAYMENT, amount=view.amount)

    def _paid_off_screen(self, result: PaymentResult) -> None:
        """Money taken for a payment the screen no longer shows (the kiosk restarted, or
        the screen moved on): never dropped. It completes the frozen cart it was for; if
        that sale is already recorded with it, it was a repeated answer; else (the cart was
        voided, or paid another way) the money has no sale: it is journalled for the
        central service's books and staff are called to refund it."""
        session = self.core.store.payments.get(result.payment_id)
        if session is None:
            return  # not a payment of this kiosk's: nothing was taken for its carts
        cart = self.checkout.cart
        if (
            self.core.store.sales.document(session.sale_id) is None
            and cart.frozen
            and cart.cart_id == session.sale_id
            and self.payment is None
            and not self.starting_payment
        ):
            self.pending_code = None
            self.complete(tender_of(session))
            return
        if paid_without_sale(self.core.store, self.core.clock.now(), session):
            self.raise_alert(AlertReason.ATTENDED_PAYMENT, amount=session.amount)

    @intent
    def print_receipt(self) -> None:
        if self.sale is None:
            self._print_collected()
            return
        if self.handoff.audit:  # the receipt carries the pass: it waits for the bag check
            self.say(Reason.EXIT_AUDIT_WAIT, Level.INFO)
            return
        try:
            self.print_sale(self.sale, self.exit_code, self.e_receipt_url)
        except KioskError as exc:
            self.say(exc.reason)  # staff are called; the pass is held on screen meanwhile
            return
        self.say(Reason.RECEIPT_PRINTED, Level.SUCCESS)

    def _print_collected(self) -> None:
        """The slip of orders collected with nothing bought, with their exit pass; a fault
        holds the pass on screen, as a sale's receipt does."""
        if self.screen is not Screen.DONE or not self.collected or self.exit_code is None:
            return
        exit_code, collected, at = self.exit_code, self.collected, self.core.clock.now()
        job = functools.partial(
            self.core.printer.print_pickup,
            self.checkout.kiosk_id, collected, at, self.language, exit_code,
        )  # fmt: skip
        try:
            self._print(job)
        except KioskError as exc:
            self.show_pass(self.handoff.print_failed())
            self.say(exc.reason)
            return
        self.show_pass(self.handoff.print_succeeded())
        self.say(Reason.RECEIPT_PRINTED, Level.SUCCESS)

    @intent
    def finish(self) -> None:
        """ "Done" on the done screen: the next shopper, once the exit pass is taken (printed,
        or the shopper said so when asked)."""
        if self.screen is not Screen.DONE:
            return
        if self.handoff.audit:
            self.say(Reason.EXIT_AUDIT_WAIT, Level.INFO)
            return
        handoff = self.handoff.finish()
        if handoff.taken:
            self.next_shopper()
        else:
            self.show_pass(handoff)

    @intent
    def leave_anyway(self) -> None:
        """The shopper's answer to "leave without a printed pass?": they have it."""
        if self.screen is Screen.DONE and self.handoff.asking:
            self.handoff = self.handoff.leave_anyway()
            self.next_shopper()

    @intent
    def keep_pass(self) -> None:
        """Back from the question to the pass."""
        if self.screen is Screen.DONE and self.handoff.asking:
            self.show_pass(self.handoff.keep())

    def own_call(self) -> str | None:
        """The id of the shopper's own open call for help, if any."""
        return next((a.alert_id for a in self.alerts if a.reason is AlertReason.SHOPPER_CALL), None)

    @intent
    def call_assistance(self) -> None:
        """The shopper's "call for help" button; staff see it on their screen."""
        if self.own_call() is None:
            self.say(Reason.ASSISTANCE_CALLED, Level.INFO)
            self.emit(Spoken(Prompt.HELP))
        self.raise_alert(AlertReason.SHOPPER_CALL)

    @intent
    def query_price(self, line_no: int) -> None:
        """The shopper thinks a line's price is wrong (the shelf said less): staff come to
        check it, and a supervisor changes it with the price override if the shelf was
        right. The alert names the line and its amount."""
        self.touch()
        line = next((p for p in self.state.priced.lines if p.line_no == line_no), None)
        if line is None or self.checkout.cart.frozen:
            return
        name = self.state.products[line.gtin].name(self.language)
        self.say(Reason.PRICE_QUERY_CALLED, Level.INFO, args=(name,))
        self.raise_alert(AlertReason.PRICE_QUERY, line_no=line_no, amount=line.amount)

    @intent
    def withdraw_call(self) -> None:
        """The shopper no longer needs help; other alerts (an age check) stay for staff."""
        alert_id = self.own_call()
        if alert_id is None:
            return
        try:
            self.core.alerts.withdraw(alert_id)
        except AlertError as exc:  # staff cleared it in the meantime
            self.say(exc.reason, Level.INFO)
        else:
            self.say(Reason.ASSISTANCE_WITHDRAWN, Level.INFO)
        self.show_alerts()

    @intent
    def camera_status(self, state: str) -> None:
        """The scanner's source went away or came back; the cart is untouched either way."""
        broken = state in ("lost", "stalled")
        was_broken, self.camera_broken = self.camera_broken, broken
        if broken and not was_broken:
            if self.screen is not Screen.ATTRACT:
                self.say(Reason.CAMERA_LOST)
            self.raise_alert(AlertReason.CAMERA_FAULT)
        elif was_broken and not broken:
            self.resolve_alerts(frozenset({AlertReason.CAMERA_FAULT}))

    @intent
    def request_staff_login(self) -> None:
        self.emit(StaffLoginAsked())
