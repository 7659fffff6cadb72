"""The staff's intents at the kiosk: sign in (badge or PIN) and out, void a line or the sale,
change a line's price, key in an item whose label will not scan (by code or by name),
approve an age check, check an exit code, reprint, confirm a payment to the store's static
QR, lock the kiosk, leave kiosk mode.

Every intent acts as the signed-in staff member (none signed in: nothing happens) and
needs its permission; a refusal becomes a notice, like the shopper's.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Concatenate, ParamSpec
from zoneinfo import ZoneInfo

from kiosk.domain.alerts import AlertReason, AlertState, RemoteCommand
from kiosk.domain.cart import Cart
from kiosk.domain.codes import display_gtin
from kiosk.domain.errors import KioskError, NotAllowed, Reason
from kiosk.domain.money import Money
from kiosk.domain.sale import Sale
from kiosk.domain.staff import ROLE_PERMISSIONS, Permission, Role, Staff
from kiosk.domain.transfer import CartTransfer, is_transfer_number
from kiosk.services.checkout import Resumed
from kiosk.services.exit_codes import ExitCheck
from kiosk.services.payments import attended_payment
from kiosk.services.session import (
    OFFLINE_PAYMENT_ID,
    Event,
    ExitAsked,
    Level,
    LockShown,
    MemberShown,
    ProductsFound,
    RefundShown,
    Screen,
    Session,
    StaffShown,
    Timer,
    TransferShown,
)
from kiosk.services.transfers import NOTICES as TRANSFER_NOTICES
from kiosk.services.transfers import RegistryUnavailable, TransferCheck

P = ParamSpec("P")

SHOPPER_RESUME = Staff("shopper", "shopper (transfer code)", Role.ASSOCIATE)
"""Who resumes a cart when the shopper scans its transfer code on the scanning screen:
the code itself is the authority (staff suspended the cart, the kiosk signed it)."""


class DeskAction(enum.StrEnum):
    """The staff screen's actions that may be unavailable."""

    VOID_LINE = "void_line"
    VOID_SALE = "void_sale"
    APPROVE_AGE = "approve_age"
    ATTENDED_PAYMENT = "attended_payment"
    REPRINT = "reprint"
    LOCK = "lock"
    EXIT_KIOSK = "exit_kiosk"
    OVERRIDE_PRICE = "override_price"
    KEY_ITEM = "key_item"
    SUSPEND = "suspend"
    REFUND = "refund"


_PERMISSIONS = {
    DeskAction.VOID_LINE: Permission.VOID_LINE,
    DeskAction.VOID_SALE: Permission.VOID_SALE,
    DeskAction.APPROVE_AGE: Permission.APPROVE_AGE,
    DeskAction.ATTENDED_PAYMENT: Permission.CONFIRM_PAYMENT,
    DeskAction.REPRINT: Permission.REPRINT,
    DeskAction.LOCK: Permission.LOCK_KIOSK,
    DeskAction.EXIT_KIOSK: Permission.EXIT_KIOSK_MODE,
    DeskAction.OVERRIDE_PRICE: Permission.OVERRIDE_PRICE,
    DeskAction.KEY_ITEM: Permission.KEY_ITEM,
    DeskAction.SUSPEND: Permission.SUSPEND_CART,
    DeskAction.REFUND: Permission.REFUND,
}


_NEEDS = {
    Role.ASSOCIATE: Reason.PERMISSION_DENIED,  # never: every role is at least an associate
    Role.SUPERVISOR: Reason.NEEDS_SUPERVISOR,
    Role.MANAGER: Reason.NEEDS_MANAGER,
}


def needed_role(permission: Permission) -> Role:
    """The least role that holds `permission`."""
    return next(role for role in Role if permission in ROLE_PERMISSIONS[role])


def why_not(staff: Staff, action: DeskAction, cart: Cart, *, reason_chosen: bool) -> Reason | None:
    """Why `staff` cannot use `action` on `cart` now (a reason code the screen shows beside
    the disabled button), or None when they can. The same rules as the intents below,
    asked before a tap instead of refused after it."""
    permission = _PERMISSIONS[action]
    if not staff.can(permission):
        return _NEEDS[needed_role(permission)]
    if action in (
        DeskAction.VOID_LINE, DeskAction.VOID_SALE, DeskAction.OVERRIDE_PRICE, DeskAction.SUSPEND
    ):  # fmt: skip
        if not cart.active_lines:
            return Reason.EMPTY_CART
        if not reason_chosen:
            return Reason.REASON_REQUIRED
    if (
        action in (DeskAction.OVERRIDE_PRICE, DeskAction.KEY_ITEM, DeskAction.SUSPEND)
        and cart.frozen
    ):
        return Reason.CART_FROZEN
    if action is DeskAction.APPROVE_AGE and not cart.needs_approval:
        return Reason.NOTHING_TO_APPROVE
    if action is DeskAction.ATTENDED_PAYMENT and not cart.frozen:
        return Reason.NO_PAYMENT_OPEN
    return None


# What staff are told about an exit code that does not let the shopper through.
EXIT_NOTICES: dict[ExitCheck, Reason] = {
    ExitCheck.UNREADABLE: Reason.EXIT_CODE_INVALID,
    ExitCheck.FOREIGN: Reason.EXIT_CODE_FOREIGN,
    ExitCheck.UNKNOWN_KIOSK: Reason.EXIT_UNKNOWN_KIOSK,
    ExitCheck.FORGED: Reason.EXIT_FORGED,
    ExitCheck.TRAINING: Reason.EXIT_TRAINING,
    ExitCheck.EXPIRED: Reason.EXIT_EXPIRED,
    ExitCheck.FROM_THE_FUTURE: Reason.EXIT_FROM_THE_FUTURE,
    ExitCheck.ALREADY_USED: Reason.EXIT_ALREADY_USED,
}


def staff_intent(
    method: Callable[Concatenate[StaffDesk, Staff, P], None],
) -> Callable[Concatenate[StaffDesk, P], list[Event]]:
    """An intent as the signed-in staff member; its refusal is said, not raised."""

    @functools.wraps(method)
    def as_staff(desk: StaffDesk, /, *args: P.args, **kwargs: P.kwargs) -> list[Event]:
        session = desk.session

        def act() -> None:
            if session.staff is None:
                return
            try:
                method(desk, session.staff, *args, **kwargs)
            except KioskError as exc:
                session.say(exc.reason)

        return session.collect(act)

    return as_staff


def _wallet_payment_open(session: Session) -> bool:
    """A provider's payment that may still take the shopper's money: being created or
    charged, or shown and not yet answered (the store's static QR is not one: no provider
    stands behind it)."""
    view = session.payment
    return session.starting_payment or (view is not None and view.payment_id != OFFLINE_PAYMENT_ID)


class StaffDesk:
    def __init__(self, session: Session) -> None:
        self.session = session

    def collect(self, action: Callable[[], None]) -> list[Event]:
        return self.session.collect(action)

    # ------------------------------------------------------------- signing in and out
    def pin(self, staff_id: str, pin: str) -> list[Event]:
        session = self.session

        def act() -> None:
            try:
                staff = session.core.auth.by_pin(staff_id, pin)
            except KioskError as exc:
                session.say(exc.reason)
                return
            self.sign_in(staff)

        return session.collect(act)

    def sign_in(self, staff: Staff) -> list[Event]:
        session = self.session

        def act() -> None:
            session.checkout.record_staff_action(
                staff, "staff_signed_in", {"screen": session.screen.value}
            )
            session.staff = staff
            session.disarm(Timer.IDLE)
            # Whoever signs in here has come for the kiosk's open alerts.
            for alert in session.alerts:
                if alert.state is AlertState.RAISED:
                    session.core.alerts.acknowledge(alert.alert_id, staff.staff_id)
            session.show_alerts()
            if session.screen is Screen.PAYMENT:
                session.say(Reason.STAFF_WHILE_PAYING, Level.INFO)
            session.emit(StaffShown(staff))

        return session.collect(act)

    @staff_intent
    def sign_out(self, staff: Staff) -> None:
        session = self.session
        session.checkout.record_staff_action(staff, "staff_signed_out", {})
        session.staff = None
        session.refunding = False
        # Leaving is "done here": what staff came for is cleared in their name; an age
        # check still waiting or a payment still open keeps its alert.
        session.settle_alerts(staff)
        session.emit(StaffShown(None))
        session.rearm_idle()

    # ------------------------------------------------------------- the cart
    @staff_intent
    def void_line(self, staff: Staff, line_no: int, reason: str) -> None:
        self.session.set_state(self.session.checkout.void_line(staff, line_no, reason))

    @staff_intent
    def override_price(self, staff: Staff, line_no: int, unit_minor: int, reason: str) -> None:
        """A supervisor sets the line's price per unit, within the store's floor and ceiling."""
        session = self.session
        session.set_state(session.checkout.override_price(staff, line_no, unit_minor, reason))
        session.say(Reason.PRICE_OVERRIDDEN, Level.SUCCESS)
        for alert in session.alerts:  # the shopper's question about this line is answered
            if alert.reason is AlertReason.PRICE_QUERY and alert.line_no == line_no:
                session.core.alerts.clear(alert.alert_id, staff.staff_id)
        session.show_alerts()

    @staff_intent
    def key_in(self, staff: Staff, code: str, how: str = "keypad") -> None:
        """Add the item a typed code (or a product picked from a search) names; a
        suspended cart's slip number resumes that cart."""
        session = self.session
        if is_transfer_number(code):
            self._resume_number(staff, code)
            return
        if session.screen is Screen.DONE:
            session.next_shopper()
        state = session.checkout.key_in(staff, code, how)
        session.set_state(state)
        session.say(Reason.ITEM_KEYED, Level.SUCCESS)
        session.call_age_check(state)

    @staff_intent
    def search(self, staff: Staff, text: str, language: str) -> None:
        """Find products by name in any of the kiosk's languages, for `key_in`."""
        staff.require(Permission.KEY_ITEM)
        found = self.session.core.store.catalog.search(text, language)
        self.session.emit(ProductsFound(text, tuple(found)))

    @staff_intent
    def approve_age(self, staff: Staff) -> None:
        self.session.set_state(self.session.checkout.approve_age(staff))
        self.session.settle_alerts(staff, frozenset({AlertReason.AGE_CHECK}))

    @staff_intent
    def void_sale(self, staff: Staff, reason: str) -> None:
        """The sale is over: journalled and synced as voided; the next shopper starts fresh.

        Not while a wallet payment may still complete: the void asks the provider to
        withdraw it and is refused until the answer is in (`PAYMENT_STILL_OPEN`). Paid,
        the sale completes on screen; withdrawn, the cart comes back and may be voided.
        """
        session = self.session
        view = session.payment
        if _wallet_payment_open(session):
            reached, asked_before = True, False  # no view yet: still being created
            if view is not None:
                session.pending_code = None  # a code shown meanwhile is never charged now
                asked_before = session.unreached_withdrawal == view.payment_id
                reached = session.core.payments.cancel(view.payment_id)
                session.unreached_withdrawal = None if reached else view.payment_id
            # Reached (or settled meanwhile: the watcher may have learnt "paid", its answer
            # queued behind this tap), the answer decides. Out of reach on a second asking,
            # the kiosk is not held for an outage: the watcher still withdraws the payment
            # when it can, never re-sends a code's charge, and money it learns was taken is
            # journalled with a staff alert (`payment_without_sale`), so nothing is lost.
            if reached or not asked_before or view is None:
                raise NotAllowed(
                    "a wallet payment is still open: it is being withdrawn",
                    reason=Reason.PAYMENT_STILL_OPEN,
                )
            session.checkout.record_staff_action(
                staff,
                "void_payment_unanswered",
                {"payment_id": view.payment_id, "amount_minor": view.amount.minor},
            )
        session.unreached_withdrawal = None
        session.payment = None
        if session.checkout.cart.frozen:
            session.set_state(session.checkout.cancel_payment())
        session.checkout.void_sale(staff, reason)
        session.set_state(session.checkout.state())
        session.next_shopper()

    @staff_intent
    def attended_payment(self, staff: Staff) -> None:
        """Offline: the shopper paid the store's static QR; staff saw it and confirm.
        Only while a payment is open: the amount confirmed is the one the shopper was
        shown, never a cart still being scanned. Never over a wallet payment that may
        still complete (`PAYMENT_STILL_OPEN`): the shopper could pay twice, the wallet's
        money left with no sale; its answer (or the shopper's Cancel) comes first."""
        staff.require(Permission.CONFIRM_PAYMENT)
        session = self.session
        checkout, core = session.checkout, session.core
        if not checkout.cart.frozen:
            raise NotAllowed(
                "no payment is open: the shopper taps Pay first", reason=Reason.NO_PAYMENT_OPEN
            )
        if _wallet_payment_open(session):
            raise NotAllowed(
                "a wallet payment is still open: wait for its answer",
                reason=Reason.PAYMENT_STILL_OPEN,
            )
        session.payment = None  # the static QR's: the confirmation closes it
        state = checkout.state()
        # Records the payment session as paid by staff; the sale syncs later like any other.
        tender = attended_payment(
            core.store, staff, state.priced.total, state.cart.cart_id, core.clock, core.ids
        )
        checkout.record_staff_action(
            staff,
            "attended_payment_confirmed",
            {"cart_id": state.cart.cart_id, "amount_minor": state.priced.total.minor},
        )
        session.complete(tender)
        session.settle_alerts(staff, frozenset({AlertReason.ATTENDED_PAYMENT}))

    # ------------------------------------------------------------- suspend and resume
    @staff_intent
    def suspend(self, staff: Staff, reason: str) -> None:
        """Close the cart as suspended and show its transfer code; the shopper resumes it
        at another kiosk (or this one), within the store's time."""
        session = self.session
        core = session.core
        until = core.clock.now() + timedelta(hours=session.checkout.policy.transfer_validity_hours)
        suspended = session.checkout.suspend(staff, reason, until, core.transfer_signer.sign)
        session.set_state(session.checkout.state())
        session.member = None
        session.emit(MemberShown(None))
        session.settle_alerts(staff)
        session.say(Reason.CART_SUSPENDED, Level.SUCCESS)
        session.emit(TransferShown(suspended))
        session.print_transfer(suspended)

    @staff_intent
    def transfer_done(self, staff: Staff) -> None:
        """Staff have handed the code over: back to the staff screen."""
        self.session.emit(TransferShown(None))

    @staff_intent
    def resume(self, staff: Staff, code: str) -> None:
        """A transfer code scanned while staff are signed in."""
        self.resume_as(staff, code)

    def _resume_number(self, staff: Staff, number: str) -> None:
        session = self.session
        try:
            code = session.core.transfer_verifier.code_for(number)
        except RegistryUnavailable:
            session.say(Reason.TRANSFER_NUMBER_OFFLINE)
            return
        if code is None:
            session.say(Reason.TRANSFER_NUMBER_UNKNOWN, args=(number,))
            return
        self.resume_as(staff, code)

    def resume_as(self, staff: Staff, code: str) -> None:
        """Check a scanned transfer code and, if it is good, take over its cart here.

        The central claim comes last: everything this kiosk can refuse on its own (the
        code, who scans it, a cart of its own) is checked first, since a claim taken for a
        resume refused here would leave the cart held by a kiosk that never resumed it,
        and every other kiosk would refuse its code as used."""
        session = self.session
        now = session.core.clock.now()
        verifier = session.core.transfer_verifier
        verdict = verifier.verify(code, now)
        if verdict.ok:
            session.checkout.check_resume(staff)
            verdict = verifier.claim(verdict, staff.staff_id, now)
        transfer = verdict.transfer
        if not verdict.ok:
            session.checkout.record_staff_action(
                staff,
                "transfer_refused",
                {"cart_id": transfer.cart_id if transfer else None, "check": verdict.check},
            )
            args: tuple[str, ...] = ()
            if verdict.check is TransferCheck.ALREADY_USED and verdict.used is not None:
                zone = ZoneInfo(session.checkout.policy.timezone)
                at = datetime.fromisoformat(verdict.used.at).astimezone(zone)
                args = (verdict.used.kiosk_id, at.strftime("%H:%M"))
            session.say(TRANSFER_NOTICES[verdict.check], args=args)
            return
        assert transfer is not None  # a valid verdict carries its cart
        if session.screen is Screen.DONE:
            session.next_shopper()
        resumed = session.checkout.resume(staff, transfer)
        session.set_state(resumed.state)
        session.go(Screen.SCANNING)
        session.say(Reason.CART_RESUMED, Level.SUCCESS, args=(transfer.kiosk_id,))
        self._restore_member_and_coupons(transfer)
        self._say_changes(resumed)
        session.call_age_check(resumed.state)

    def _restore_member_and_coupons(self, transfer: CartTransfer) -> None:
        """The member and the coupons, re-checked here as if scanned now: a member this
        kiosk does not know, or a coupon no longer good, is said and left out."""
        session = self.session
        checkout = session.checkout
        if transfer.member_id is not None:
            member = session.members.view(transfer.member_id)
            if member is None:
                session.say(Reason.TRANSFER_MEMBER_UNKNOWN, Level.WARNING)
            else:
                session.set_state(checkout.set_member(member.member_id))
                session.member = member
                session.emit(MemberShown(member))
        for code in transfer.coupons:
            try:
                outcome = checkout.add_coupon(code)
            except KioskError:
                kept = False
            else:
                kept = any(v.code == code for v in checkout.loyalty_view(outcome.state).coupons)
            if not kept:
                session.say(Reason.TRANSFER_COUPON_DROPPED, Level.WARNING, args=(code,))
        session.set_state(checkout.state())

    def _say_changes(self, resumed: Resumed) -> None:
        session = self.session
        language = session.language
        products = resumed.state.products
        currency = resumed.state.priced.currency
        for change in resumed.changed:
            name = products[change.gtin].name(language)
            was = Money(change.was_minor, currency).format()
            now = Money(change.now_minor, currency).format()
            session.say(Reason.TRANSFER_PRICE_CHANGED, Level.WARNING, args=(name, was, now))
        for line in resumed.dropped:
            found = session.core.store.catalog.get(line.gtin)
            name = found.name(language) if found else display_gtin(line.gtin)
            session.say(Reason.TRANSFER_ITEM_DROPPED, Level.WARNING, args=(name,))

    # ------------------------------------------------------------- receipts and exits
    @staff_intent
    def verify_exit(self, staff: Staff, code: str) -> None:
        staff.require(Permission.VERIFY_EXIT)
        session = self.session
        verdict = session.core.exit_verifier.verify(code, session.core.clock.now())
        sale_id = verdict.exit_pass.sale_id if verdict.exit_pass else None
        session.checkout.record_staff_action(
            staff,
            "exit_code_checked",
            {"sale_id": sale_id, "ok": verdict.ok, "reason": verdict.reason},
        )
        if not verdict.ok:
            session.say(EXIT_NOTICES[verdict.reason])
        elif verdict.audit:
            session.say(Reason.EXIT_VALID_AUDIT, Level.WARNING)
        else:
            session.say(Reason.EXIT_VALID, Level.SUCCESS)

    @staff_intent
    def reprint(self, staff: Staff) -> None:
        staff.require(Permission.REPRINT)
        session = self.session
        sale: Sale | None = session.last_sale
        if sale is None:
            session.say(Reason.NOTHING_TO_REPRINT, Level.WARNING)
            return
        session.print_sale(sale, session.last_exit_code, session.last_e_receipt_url)
        session.checkout.record_staff_action(staff, "receipt_reprinted", {"sale_id": sale.sale_id})
        session.say(Reason.REPRINTED, Level.SUCCESS)

    # ------------------------------------------------------------- refunds
    @staff_intent
    def refund_open(self, staff: Staff) -> None:
        """The refund page: the next receipt, e-receipt or exit code scanned names the sale."""
        staff.require(Permission.REFUND)
        self.session.refunding = True
        self.session.emit(RefundShown(None))

    @staff_intent
    def refund_find(self, staff: Staff, code: str) -> None:
        """Open the refund of the sale a scanned receipt, e-receipt or exit code names,
        with everything not yet refunded picked."""
        staff.require(Permission.REFUND)
        self.session.refunding = True
        sale = self.session.core.refunds.sale(code)
        self._show(str(sale["sale_id"]), None)

    @staff_intent
    def refund_pick(self, staff: Staff, sale_id: str, wanted: dict[int, int] | None) -> None:
        """Lines and units to refund (None: the whole sale): the amount they give back."""
        staff.require(Permission.REFUND)
        self._show(sale_id, wanted)

    @staff_intent
    def refund(
        self,
        staff: Staff,
        sale_id: str,
        wanted: dict[int, int] | None,
        reason: str,
        cash: bool = False,
    ) -> None:
        """Give the money back (the supervisor confirmed the amount shown) and print the
        refund receipt. Blocks on the central service for a moment: the core thread's."""
        session = self.session
        done = session.core.refunds.refund(
            staff, sale_id, wanted, reason, cash=cash, language=session.language or "en"
        )
        session.emit(RefundShown(session.core.refunds.sale(sale_id), done.plan, {}, done))
        if done.status == "refunded":
            session.say(Reason.REFUNDED, Level.SUCCESS)
        else:
            session.say(Reason.REFUND_PENDING, Level.INFO)
        if not done.printed:
            session.say(Reason.PRINTER_FAILED, Level.WARNING)

    def refund_close(self) -> list[Event]:
        def close() -> None:
            self.session.refunding = False
            self.session.emit(RefundShown(None, open=False))

        return self.session.collect(close)

    def _show(self, sale_id: str, wanted: dict[int, int] | None) -> None:
        refunds = self.session.core.refunds
        left = {line.line_no: line.quantity for line in refunds.plan(sale_id, None).lines}
        plan = refunds.plan(sale_id, wanted)
        self.session.emit(RefundShown(refunds.sale(sale_id), plan, left))

    # ------------------------------------------------------------- the kiosk
    @staff_intent
    def lock(self, staff: Staff, locked: bool) -> None:
        staff.require(Permission.LOCK_KIOSK)
        self._set_locked(staff, locked)

    def remote(self, command: RemoteCommand) -> list[Event]:
        """What a member of staff decided at the attendant console, from afar: "coming"
        for an alert, or pausing the kiosk. Applying a command twice changes nothing, so
        one delivered again (an answer lost on the way) is harmless. Anything that needs
        the goods or the shopper's ID stays at the kiosk, with a badge."""
        session = self.session
        # The console signed the staff member in (argon2, lockout); pausing is what an
        # attendant does for the whole row, whatever their role at a till.
        staff = Staff(command.staff_id, command.staff_name, Role.ASSOCIATE)

        def act() -> None:
            if command.kind == "acknowledge":
                alert = next((a for a in session.alerts if a.alert_id == command.alert_id), None)
                if alert is not None and alert.state is AlertState.RAISED:
                    session.remote_names[command.staff_id] = command.staff_name
                    session.core.alerts.acknowledge(alert.alert_id, command.staff_id)
                    session.show_alerts()
            elif command.kind in ("pause", "resume") and session.locked != (
                command.kind == "pause"
            ):
                self._set_locked(staff, command.kind == "pause", remote=True)

        return session.collect(act)

    def _set_locked(self, staff: Staff, locked: bool, *, remote: bool = False) -> None:
        session = self.session
        session.checkout.record_staff_action(
            staff, "kiosk_locked" if locked else "kiosk_unlocked", {"remote": remote}
        )
        session.locked = locked
        session.emit(LockShown(locked))
        if locked:
            session.go(Screen.LOCKED)
        else:
            session.go(Screen.SCANNING if session.checkout.cart.lines else Screen.ATTRACT)

    @staff_intent
    def exit_kiosk_mode(self, staff: Staff) -> None:
        staff.require(Permission.EXIT_KIOSK_MODE)
        self.session.checkout.record_staff_action(staff, "kiosk_mode_exited", {})
        self.session.emit(ExitAsked())
