"""The checkout use cases the UI (and the CLI, simulator and tests) drive.

Each command applies a domain rule, re-prices, and persists the new cart before
returning, so what the shopper sees is always what a restart would restore.
Staff actions and finished sales are journalled and queued for the central
service in the same transaction as the state they change.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from kiosk.domain.cart import (
    AgeApproved,
    Cart,
    CartEvent,
    CartLine,
    ItemScanned,
    LineVoided,
    PriceOverridden,
    PriceOverride,
    StaffAction,
    refuse_if_unsellable,
)
from kiosk.domain.catalog import Product
from kiosk.domain.codes import Gtin, ProductCode, parse_product_code
from kiosk.domain.coupons import CouponVerdict
from kiosk.domain.errors import CartError, CartFrozen, ItemRefused, Reason
from kiosk.domain.ids import IdFactory
from kiosk.domain.journal import JournalEntry
from kiosk.domain.loyalty_errors import LoyaltyError
from kiosk.domain.money import Money
from kiosk.domain.policy import StorePolicy
from kiosk.domain.pricing import (
    PricedCart,
    PricingContext,
    PricingRule,
    price_cart,
    shelf_unit_minor,
)
from kiosk.domain.sale import Sale, SaleStatus, Tender, names_for
from kiosk.domain.scan import Symbology
from kiosk.domain.staff import Permission, Staff
from kiosk.domain.transfer import CartTransfer, TransferLine, TransferOverride, short_number
from kiosk.services.cart_offers import FINAL_REFUSALS, CartOffers, LoyaltyView
from kiosk.services.config import with_central
from kiosk.services.journaling import append_journal
from kiosk.services.ports import Clock
from kiosk.services.transfers import (
    RESUMED,
    SUSPENDED,
    TRANSFER_KIND,
    SuspendedCart,
    transfer_report,
)
from kiosk.store.repositories import TransferRecord
from kiosk.store.uow import KioskStore

SALE_COUNTER = "sale"
KIOSK_ACTOR = "kiosk"


@dataclass(frozen=True, slots=True)
class KioskIdentity:
    kiosk_id: str
    store_id: str


@dataclass(frozen=True, slots=True)
class CartState:
    """What the UI renders after every command: the cart, its prices, what just happened."""

    cart: Cart
    priced: PricedCart
    products: Mapping[Gtin, Product]
    event: CartEvent | None = None


@dataclass(frozen=True, slots=True)
class CouponOutcome:
    verdict: CouponVerdict
    state: CartState


@dataclass(frozen=True, slots=True)
class PriceChange:
    """A resumed line whose shelf price is not the one the shopper was shown before."""

    gtin: Gtin
    was_minor: int
    now_minor: int


@dataclass(frozen=True, slots=True)
class DroppedLine:
    """A line of a suspended cart not taken back: `reason` says why (recalled, …)."""

    gtin: Gtin
    quantity: int
    reason: Reason


@dataclass(frozen=True, slots=True)
class Resumed:
    state: CartState
    changed: tuple[PriceChange, ...]
    dropped: tuple[DroppedLine, ...]


class Checkout:
    """One kiosk's sale in progress. Not thread-safe: call it from one thread."""

    def __init__(
        self,
        store: KioskStore,
        identity: KioskIdentity,
        policy: StorePolicy,
        clock: Clock,
        ids: IdFactory,
        rules: Sequence[PricingRule] = (),
        *,
        offers: CartOffers | None = None,
        training: bool = False,
    ) -> None:
        """`offers`: the cart's coupons and points; its rule prices after `rules`."""
        self._store = store
        self._identity = identity
        self._local_policy = policy
        self._policy = policy
        self._refresh_policy()
        self._clock = clock
        self._ids = ids
        self._offers = offers
        self._rules = tuple(rules) + ((offers.rule,) if offers is not None else ())
        self._training = training
        self._frozen: tuple[Cart, PricedCart] | None = None
        """The frozen cart and its price as shown when the payment began."""
        self._sale_listeners: list[Callable[[Sale], object]] = []
        restored = store.carts.load()
        self._cart = restored if restored is not None else Cart(cart_id=ids.new())
        self._products: dict[Gtin, Product] = store.carts.products() if restored else {}
        missing = {line.gtin for line in self._cart.lines} - self._products.keys()
        self._products |= store.catalog.get_many(missing)
        self.restored = restored is not None and bool(restored.lines)

    def _refresh_policy(self) -> None:
        """Take up the barcode and store rules the sync thread last pulled
        (`kiosk.services.config`).

        Called only between sales (at start-up, before a sale's first item, after a cart
        is suspended, when one is resumed), so one sale reads every label, and is audited,
        by one set of rules.
        """
        self._policy = with_central(self._local_policy, self._store.settings)

    def on_sale_finished(self, listener: Callable[[Sale], object]) -> None:
        """Call `listener` with every sale once it is committed (paid or voided)."""
        self._sale_listeners.append(listener)

    # ----------------------------------------------------------------- queries
    @property
    def cart(self) -> Cart:
        return self._cart

    @property
    def policy(self) -> StorePolicy:
        return self._policy

    @property
    def kiosk_id(self) -> str:
        return self._identity.kiosk_id

    def renew_cart(self) -> CartState:
        """A new id for an empty cart: what was reported under the old one (a group-buy
        pickup names the cart it happened in) is not the next shopper's. A cart with lines
        is kept."""
        if not self._cart.lines:
            cart = Cart(cart_id=self._ids.new())
            with self._store.transaction():
                self._store.carts.save(cart, self._clock.now())
            self._cart = cart
        return self.state()

    def state(self, event: CartEvent | None = None) -> CartState:
        return CartState(self._cart, self._price(), dict(self._products), event)

    def _price(self) -> PricedCart:
        frozen = self._frozen
        if frozen is not None and frozen[0] == self._cart:
            return frozen[1]
        return self._price_cart(self._cart)

    def _price_cart(self, cart: Cart) -> PricedCart:
        """`cart` priced now, or as of when its amount to pay was fixed (`Cart.priced_at`)."""
        context = PricingContext(
            policy=self._policy,
            now=cart.priced_at or self._clock.now(),
            member_id=cart.member_id,
            products=self._products,
            cart_id=cart.cart_id,
        )
        return price_cart(cart, self._products, context, self._rules)

    # ----------------------------------------------------------------- shopper
    def scan(self, text: str, symbology: Symbology = Symbology.UNKNOWN) -> CartState:
        """Add the product a code names, or raise `CodeError`/`ItemRefused` saying why."""
        return self._commit(*self._add_code(text, symbology))

    def key_in(self, staff: Staff, text: str, how: str) -> CartState:
        """Staff add an item whose label will not scan: a code typed on the keypad, or a
        product found by name (`how` is "keypad" or "search"). The code is checked like a
        scan (check digit, GS1); the journal says who keyed what."""
        staff.require(Permission.KEY_ITEM)
        cart, event = self._add_code(text, Symbology.UNKNOWN)
        payload = {
            "cart_id": cart.cart_id,
            "line_no": event.line_no,
            "gtin": event.gtin,
            "code": text,
            "how": how,
        }
        return self._commit(cart, event, journal=("item_keyed", staff.staff_id, payload))

    def pick(self, gtin: Gtin, quantity: int = 1) -> CartState:
        """Add `quantity` of an item the shopper picked by its picture, name or PLU: goods
        without a barcode of their own (`Product.looked_up`); a by-weight one is refused
        like its own code scanned (`needs_weight`): it needs a weight first."""
        product = self._store.catalog.get(gtin)
        if product is None or not product.looked_up:
            raise ItemRefused(
                "only goods without a barcode are picked: scan this one",
                reason=Reason.UNKNOWN_PRODUCT,
            )
        return self.add_chosen(product, quantity)

    def add_chosen(self, product: Product, quantity: int = 1) -> CartState:
        """Add `quantity` of `product`, chosen on the screen rather than scanned (a picked
        item, the bag offered before payment): a line like a scan's, in one commit."""
        if not self._cart.lines:
            self._refresh_policy()
        cart, event = self._add(product, ProductCode(gtin=product.gtin, raw=product.gtin))
        if quantity > 1:
            total = cart.line(event.line_no).quantity + quantity - 1
            cart, _ = cart.set_quantity(event.line_no, total, policy=self._policy)
            event = replace(event, quantity=total)
        return self._commit(cart, event)

    def _add_code(self, text: str, symbology: Symbology) -> tuple[Cart, ItemScanned]:
        if not self._cart.lines:
            self._refresh_policy()
        code = parse_product_code(
            text, upce=symbology is Symbology.UPCE, rcn_rules=self._policy.rcn_rules
        )
        return self._add(self._product(code.gtin), code)

    def _add(self, product: Product, code: ProductCode) -> tuple[Cart, ItemScanned]:
        now = self._clock.now()
        cart, event = self._cart.add(product, code, today=now.date(), policy=self._policy)
        if cart.started_at is None:
            cart = replace(cart, started_at=now)
        self._products[product.gtin] = product
        return cart, event

    def _product(self, gtin: Gtin) -> Product:
        product = self._store.catalog.get(gtin)
        if product is None:
            raise ItemRefused(
                "this product is not in our catalog: please ask staff for help",
                reason=Reason.UNKNOWN_PRODUCT,
                gtin=gtin,
            )
        return product

    def weighable(self, text: str) -> Product:
        """The by-weight product `text` (its own code, or a PLU's GTIN) names, if the
        shopper may weigh it on the kiosk's scale now; else the refusal a scan would give."""
        if not self._cart.lines:
            self._refresh_policy()
        code = parse_product_code(text, rcn_rules=self._policy.rcn_rules)
        product = self._product(code.gtin)
        self._cart.check_weighable(product, code, today=self._clock.now().date())
        return product

    def add_weighed(self, gtin: Gtin, grams: int) -> CartState:
        """A line for `grams` of `gtin` weighed on the kiosk's own scale: a line like a
        scale label's (never merged, removable), priced by `weighed_price`."""
        code = ProductCode(gtin, f"scale:{grams}g", weight_g=grams)
        return self._commit(*self._add(self._product(gtin), code))

    def set_quantity(self, line_no: int, quantity: int) -> CartState:
        cart, event = self._cart.set_quantity(line_no, quantity, policy=self._policy)
        return self._commit(cart, event)

    def remove_line(self, line_no: int) -> CartState:
        cart, event = self._cart.remove(line_no, policy=self._policy)
        return self._commit(cart, event)

    def set_member(self, member_id: str | None) -> CartState:
        """Record (or clear) the member on the cart, so member pricing applies from now on."""
        return self._commit(self._cart.with_member(member_id), None)

    # ----------------------------------------------------------------- coupons and points
    def add_coupon(self, text: str) -> CouponOutcome:
        """A scanned printed coupon, or a code from the member's wallet: priced at once. A
        coupon refused for good (expired, used, another member's) leaves the cart again;
        one that may still apply (a minimum spend not reached yet) stays."""
        offers = self._loyalty()
        grant = offers.grant(self._cart, text)
        state = self.state()
        verdict = offers.verdict(grant.code)
        if not verdict.accepted and verdict.reason in FINAL_REFUSALS:
            offers.remove(self._cart, grant.code)
            state = self.state()
        return CouponOutcome(verdict, state)

    def remove_coupon(self, code: str) -> CartState:
        self._loyalty().remove(self._cart, code)
        return self.state()

    def spend_points(self, points: int) -> CartState:
        """Spend up to `points` of the member's (0 cancels); more than is safe is refused."""
        self._loyalty().request_points(self._cart, points)
        return self.state()

    def loyalty_view(self, state: CartState | None = None) -> LoyaltyView:
        """The member and coupon panels for the cart; `state` is the state a command has
        just returned for the current cart (then nothing is priced again)."""
        offers = self._loyalty()
        if state is None or state.cart is not self._cart:
            self.state()
        return offers.view(self._cart)

    def _loyalty(self) -> CartOffers:
        if self._offers is None:
            raise LoyaltyError("this checkout takes no coupons or points", reason=Reason.NO_LOYALTY)
        return self._offers

    # ----------------------------------------------------------------- staff
    def void_line(self, staff: Staff, line_no: int, reason: str) -> CartState:
        shown = next((p for p in self._price().lines if p.line_no == line_no), None)
        amount = shown.shelf_amount.minor if shown is not None else 0
        action = StaffAction(staff.staff_id, self._clock.now(), reason, amount)
        cart, event = self._cart.void_line(line_no, staff, action)
        return self._commit(cart, event, journal=self._event_journal(event))

    def override_price(self, staff: Staff, line_no: int, unit_minor: int, reason: str) -> CartState:
        """Set a line's price per unit (supervisor), within the store policy's bounds."""
        line = self._cart.line(line_no)
        shelf = shelf_unit_minor(line, self._products[line.gtin])
        action = StaffAction(staff.staff_id, self._clock.now(), reason)
        cart, event = self._cart.override_price(
            line_no, unit_minor, shelf, staff, action, policy=self._policy
        )
        return self._commit(cart, event, journal=self._event_journal(event))

    def approve_age(self, staff: Staff) -> CartState:
        action = StaffAction(staff.staff_id, self._clock.now(), "ID checked")
        cart, event = self._cart.approve_age(staff, action)
        return self._commit(cart, event, journal=self._event_journal(event))

    def void_sale(self, staff: Staff, reason: str) -> Sale:
        """Void the whole sale: it is numbered, journalled and synced like any other."""
        action = StaffAction(staff.staff_id, self._clock.now(), reason, self._price().total.minor)
        cart, _ = self._cart.void_sale(staff, action)
        return self._finish(cart, SaleStatus.VOIDED, (), actor=staff.staff_id)

    # ----------------------------------------------------------------- transfers
    def suspend(
        self,
        staff: Staff,
        reason: str,
        until: datetime,
        sign: Callable[[CartTransfer], str],
    ) -> SuspendedCart:
        """Close the cart as suspended (not a sale, not a void: no sequence number, no
        takings) and hand back its signed transfer code, valid `until`. The journal entry,
        the outbox row for the central service and the next empty cart are one
        transaction; the code stays in the kiosk's `transfers` table for a reprint."""
        staff.require(Permission.SUSPEND_CART)
        cart = self._cart
        if cart.frozen:
            raise CartFrozen("the cart is being paid: cancel the payment to suspend it")
        if cart.voided or cart.is_empty:
            raise CartError("there is nothing to suspend", reason=Reason.EMPTY_CART)
        if not reason:
            raise CartError("a suspension needs a reason", reason=Reason.REASON_REQUIRED)
        now = self._clock.now()
        priced = self._price()
        coupons = tuple(v.code for v in self._offers.view(cart).coupons) if self._offers else ()
        transfer = CartTransfer(
            cart_id=cart.cart_id,
            kiosk_id=self._identity.kiosk_id,
            store_id=self._identity.store_id,
            suspended_at=now,
            expires_at=until,
            suspended_by=staff.staff_id,
            currency=priced.currency,
            lines=tuple(self._transfer_line(line) for line in cart.active_lines),
            member_id=cart.member_id,
            coupons=coupons,
        )
        suspended = SuspendedCart(
            transfer, sign(transfer), short_number(cart.cart_id), priced.total.minor,
            priced.item_count,
        )  # fmt: skip
        facts = {
            "reason": reason,
            "item_count": priced.item_count,
            "total_minor": priced.total.minor,
        }
        report = transfer_report(
            transfer, SUSPENDED, kiosk_id=self._identity.kiosk_id, at=now,
            staff_id=staff.staff_id, extra={**facts, "code": suspended.code},
        )  # fmt: skip
        next_cart = Cart(cart_id=self._ids.new())
        with self._store.transaction():
            self._append_journal(
                "cart_suspended",
                staff.staff_id,
                {"cart_id": cart.cart_id, "number": suspended.number,
                 "expires_at": until.isoformat(), **facts},
            )  # fmt: skip
            record = TransferRecord(
                cart.cart_id, SUSPENDED, self._identity.kiosk_id, now.isoformat(),
                staff.staff_id, report,
            )  # fmt: skip
            self._store.transfers.add(record)
            self._store.outbox.add(TRANSFER_KIND, f"{cart.cart_id}:{SUSPENDED}", report, now)
            self._store.carts.save(next_cart, now)
        self._cart = next_cart
        self._products = {}
        self._refresh_policy()
        return suspended

    def _transfer_line(self, line: CartLine) -> TransferLine:
        override = line.override
        return TransferLine(
            gtin=line.gtin,
            quantity=line.quantity,
            unit_minor=shelf_unit_minor(line, self._products[line.gtin]),
            weight_g=line.weight_g,
            label_price_minor=line.embedded_price.minor if line.embedded_price else None,
            lot=line.lot,
            serial=line.serial,
            expiry=line.expiry,
            override=None
            if override is None
            else TransferOverride(
                override.unit_minor,
                override.shelf_minor,
                override.action.staff_id,
                override.action.at,
                override.action.reason,
            ),
        )

    def check_resume(self, staff: Staff) -> None:
        """Raise what `resume` would refuse here whatever the code: who may not resume, or
        a cart on this kiosk. Checked before the central service is asked to hand the cart
        over, so a resume refused here does not leave it claimed by this kiosk."""
        staff.require(Permission.RESUME_CART)
        if self._cart.lines or self._cart.frozen:
            raise CartError(
                "finish or void the cart on this kiosk first", reason=Reason.CART_NOT_EMPTY
            )

    def resume(self, staff: Staff, transfer: CartTransfer) -> Resumed:
        """Take over a cart suspended at a kiosk of the store (its code already checked),
        as a new cart of this kiosk, priced now: a line whose shelf price changed since
        takes the current price (a staff price on it too: it was agreed against the old
        one); a line now recalled, withdrawn or past its date is left out. Its age checks
        are asked again here. The member and coupons are the caller's to re-check."""
        self.check_resume(staff)
        self._refresh_policy()
        now = self._clock.now()
        found = self._store.catalog.get_many(Gtin(line.gtin) for line in transfer.lines)
        lines: list[CartLine] = []
        changed: list[PriceChange] = []
        dropped: list[DroppedLine] = []
        for sent in transfer.lines:
            gtin = Gtin(sent.gtin)
            product = found.get(gtin)
            try:
                if product is None:
                    raise ItemRefused("no longer in the catalog", reason=Reason.UNKNOWN_PRODUCT)
                refuse_if_unsellable(product, sent.lot, sent.expiry, now.date())
            except ItemRefused as exc:
                dropped.append(DroppedLine(gtin, sent.quantity, exc.reason))
                continue
            line = CartLine(
                line_no=len(lines) + 1,
                gtin=gtin,
                quantity=sent.quantity,
                weight_g=sent.weight_g,
                embedded_price=None
                if sent.label_price_minor is None
                else Money(sent.label_price_minor, transfer.currency),
                lot=sent.lot,
                serial=sent.serial,
                expiry=sent.expiry,
                age_min=product.age_min,
            )
            shelf = shelf_unit_minor(line, product)
            if shelf != sent.unit_minor:
                changed.append(PriceChange(gtin, sent.unit_minor, shelf))
            elif sent.override is not None:
                agreed = sent.override
                action = StaffAction(agreed.staff_id, agreed.at, agreed.reason)
                line = replace(
                    line, override=PriceOverride(agreed.unit_minor, agreed.shelf_minor, action)
                )
            lines.append(line)
            self._products[gtin] = product
        # The shopper's time at this kiosk starts now, not at the first scan elsewhere.
        cart = Cart(cart_id=self._ids.new(), lines=tuple(lines), started_at=self._clock.now())
        facts = {
            "cart": cart.cart_id,
            "lines": len(lines),
            "dropped": [{"gtin": d.gtin, "reason": d.reason.value} for d in dropped],
            "price_changed": [
                {"gtin": c.gtin, "was_minor": c.was_minor, "now_minor": c.now_minor}
                for c in changed
            ],
        }
        report = transfer_report(
            transfer, RESUMED, kiosk_id=self._identity.kiosk_id, at=now,
            staff_id=staff.staff_id, extra=facts,
        )  # fmt: skip
        with self._store.transaction():
            record = TransferRecord(
                transfer.cart_id, RESUMED, self._identity.kiosk_id, now.isoformat(),
                staff.staff_id, report,
            )  # fmt: skip
            if not self._store.transfers.add(record):
                raise CartError("this transfer code was used here", reason=Reason.TRANSFER_USED)
            self._append_journal(
                "cart_resumed", staff.staff_id, {"cart_id": transfer.cart_id, **facts}
            )
            self._store.outbox.add(TRANSFER_KIND, f"{transfer.cart_id}:{RESUMED}", report, now)
            state = self._commit(cart, None)
        return Resumed(state, tuple(changed), tuple(dropped))

    def record_staff_action(self, staff: Staff, kind: str, payload: Mapping[str, Any]) -> None:
        """Journal an action that changes no cart (sign-in, reprint, lock, exit check)."""
        with self._store.transaction():
            self._append_journal(kind, staff.staff_id, dict(payload))

    # ----------------------------------------------------------------- payment
    def begin_payment(self) -> CartState:
        """Freeze the cart: from here the amount to pay cannot change.

        The priced cart is kept as it was shown: a feed pulled, an offer ending or a tier
        changing while the shopper pays would otherwise price the paid cart anew, and a
        total that no longer matches the payment leaves money taken and no sale. After a
        restart the cart is priced as of when it was frozen (`Cart.priced_at`).
        """
        state = self._commit(self._cart.freeze(self._clock.now()), None)
        self._frozen = (state.cart, state.priced)
        return state

    def cancel_payment(self) -> CartState:
        self._frozen = None
        return self._commit(self._cart.unfreeze(), None)

    def complete_sale(self, tender: Tender) -> Sale:
        if not self._cart.frozen:
            raise CartError(
                "start the payment before completing the sale", reason=Reason.NOT_PAYING
            )
        priced = self._price()
        if tender.amount != priced.total:
            raise CartError(
                f"payment of {tender.amount} does not match the total {priced.total}",
                reason=Reason.AMOUNT_MISMATCH,
            )
        return self._finish(self._cart, SaleStatus.PAID, (tender,), KIOSK_ACTOR, priced)

    # ----------------------------------------------------------------- internals
    def _commit(
        self,
        cart: Cart,
        event: CartEvent | None,
        journal: tuple[str, str, dict[str, Any]] | None = None,
    ) -> CartState:
        """Persist `cart` (and its journal entry) before anyone sees it."""
        with self._store.transaction():
            self._store.carts.save(cart, self._clock.now(), self._products)
            if journal is not None:
                self._append_journal(*journal)
        self._cart = cart
        return self.state(event)

    def _event_journal(self, event: CartEvent) -> tuple[str, str, dict[str, Any]]:
        payload: dict[str, Any] = {"cart_id": self._cart.cart_id}
        if isinstance(event, LineVoided):
            line = self._cart.line(event.line_no)
            payload |= {
                "line_no": event.line_no,
                "gtin": line.gtin,
                "quantity": line.quantity,
                "reason": event.action.reason,
                "amount_minor": event.action.amount_minor,
            }
            return "line_voided", event.action.staff_id, payload
        if isinstance(event, PriceOverridden):
            override = event.override
            payload |= {
                "line_no": event.line_no,
                "gtin": self._cart.line(event.line_no).gtin,
                "unit_minor": override.unit_minor,
                "shelf_minor": override.shelf_minor,
                "reason": override.action.reason,
            }
            return "price_overridden", override.action.staff_id, payload
        if isinstance(event, AgeApproved):
            payload |= {"line_nos": list(event.line_nos)}
            return "age_approved", event.action.staff_id, payload
        raise TypeError(f"{type(event).__name__} is not a staff action")  # a programming error

    def _append_journal(self, kind: str, actor: str, payload: dict[str, Any]) -> JournalEntry:
        return append_journal(self._store, self._clock.now(), kind, actor, payload)

    def _finish(
        self,
        cart: Cart,
        status: SaleStatus,
        tenders: tuple[Tender, ...],
        actor: str,
        priced: PricedCart | None = None,
    ) -> Sale:
        """Sale, sequence number, journal entry, outbox rows and a fresh cart: one transaction.
        `priced`: what was paid (else `cart` is priced here)."""
        now = self._clock.now()
        priced = priced or self._price_cart(cart)
        next_cart = Cart(cart_id=self._ids.new())
        with self._store.transaction():
            sequence = self._store.counters.next(SALE_COUNTER)
            sale = Sale(
                sale_id=cart.cart_id,
                kiosk_id=self._identity.kiosk_id,
                store_id=self._identity.store_id,
                sequence=sequence,
                created_at=now,
                status=status,
                cart=cart,
                priced=priced,
                tenders=tenders,
                product_names=names_for(cart, self._products),
                training=self._training,
            )
            entry = self._append_journal(
                f"sale_{status.value}",
                actor,
                {
                    "sale_id": sale.sale_id,
                    "sequence": sequence,
                    "total_minor": priced.total.minor,
                    "currency": priced.currency,
                    "digest": sale.digest(),
                },
            )
            document = self._store.sales.add(sale, entry.index)
            self._store.outbox.add("sale", sale.sale_id, document, now)
            self._store.carts.save(next_cart, now)
        self._cart = next_cart
        self._products = {}
        # Not refreshed here: the paid sale's bag check (the session's, after this) is
        # decided by the rules it ran under; the next sale's first item takes up new ones.
        for listener in self._sale_listeners:
            listener(sale)
        return sale
