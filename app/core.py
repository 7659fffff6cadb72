"""The kiosk's composition root, without Qt: `build_core(home, ...)` builds the whole core
(store, checkout with every pricing rule, loyalty, staff sign-in, payments, exit codes,
receipts) once, the same way for every entry point: the UI (`ui.bootstrap` only adds the
Qt parts), the command line, the simulator, the demo, the benchmarks and the tests.

What a kiosk has is decided here from its data folder: enrolled with a central service,
it pays, looks members up and links e-receipts through that service; not enrolled, it
takes no wallet payments (fail closed: `NoPaymentService`, so only the store's static QR
with staff confirmation) and keeps its own member key. Keyword arguments replace real
parts where a test, the demo or a benchmark needs another (a demo wallet, a printer that
is out of paper, a hand-moved clock).

Every object here belongs to one thread at a time (one SQLite connection per thread): the
thread that called `build_core`, or, with `CoreOptions.handed_over`, the one thread it
hands the core to once built (the UI runs the core on its own thread). Other threads open
their own stores with `KioskCore.open_store`.
"""

from __future__ import annotations

import contextlib
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.domain.alerts import AlertReason
from kiosk.domain.errors import KioskError
from kiosk.domain.ids import IdFactory
from kiosk.domain.receipt import StoreInfo
from kiosk.domain.sale import Sale
from kiosk.services.alerts import Alerts
from kiosk.services.cart_offers import CartOffers
from kiosk.services.checkout import Checkout
from kiosk.services.config import with_central
from kiosk.services.exit_codes import (
    ExitCodeSigner,
    ExitCodeVerifier,
    ensure_signing_key,
    public_key_hex,
)
from kiosk.services.loyalty import LoyaltyKeys, LoyaltySettings, OfferCatalog
from kiosk.services.loyalty_booking import LoyaltyBooking
from kiosk.services.member_port import MemberLookup
from kiosk.services.members import Members
from kiosk.services.payment_port import PaymentOutcome, PaymentProvider
from kiosk.services.payments import (
    GatewayPayments,
    NoPaymentService,
    paid_without_sale,
    tender_of,
)
from kiosk.services.pickups import PickupCounter
from kiosk.services.ports import Clock, SystemClock
from kiosk.services.printing import PrinterConfig, ReceiptPrinter
from kiosk.services.receipt_port import (
    EscposSalePrinter,
    ReceiptLinks,
    SalePrinter,
    TextFileSalePrinter,
)
from kiosk.services.refunds import Refunds
from kiosk.services.setup import (
    BAG_KEY,
    PAYMENT_METHOD_KEY,
    SCALE_PORT_KEY,
    STATIC_QR_KEY,
    KioskSetup,
    database_path,
    load_setup,
)
from kiosk.services.staff_auth import StaffAuth
from kiosk.services.transfers import (
    TransferSigner,
    TransferVerifier,
)
from kiosk.store.uow import KioskStore
from sync.client import Credential, RetryPolicy, new_client
from sync.enrolment import find_credential
from sync.loyalty import CentralMemberLookup
from sync.payments import CentralPaymentGateway
from sync.protocol import decode_secret
from sync.receipts import CentralReceiptLinks
from sync.refunds import CentralRefundGateway
from sync.transfers import CentralTransferRegistry

LOCAL_CHAIN_KEY = "loyalty.local_chain_key"
"""Settings key of the member key a kiosk that is not enrolled makes for itself, once."""
# Someone waits at the kiosk (a member lookup, a resume's claim): one quick attempt, then
# the kiosk decides on what it holds.
QUICK_ANSWER_RETRY = RetryPolicy(attempts=1, connect_timeout_s=0.5, read_timeout_s=1.0)


@dataclass(frozen=True, slots=True)
class CoreOptions:
    """How the core is built; every field has the production default."""

    payment_provider: str = "sandbox"
    """The central service's provider for this kiosk: sandbox, wechat, emvco:pix, …"""
    printer: str | None = None
    """An ESC/POS printer spec (`kiosk.services.printing.PrinterConfig`); None writes
    receipts as text files into `<home>/receipts`."""
    training: bool = False
    """Sales are marked training (the simulator), kept apart from real takings."""
    loyalty: LoyaltySettings = field(default_factory=LoyaltySettings)
    handed_over: bool = False
    """Built here, then used by one other thread alone (the UI's core thread)."""


@dataclass(slots=True)
class KioskCore:
    """Everything `build_core` made. Not thread-safe: one thread at a time (see above)."""

    home: Path
    store: KioskStore
    setup: KioskSetup
    clock: Clock
    ids: IdFactory
    checkout: Checkout
    members: Members
    offers: CartOffers
    catalog: OfferCatalog
    booking: LoyaltyBooking
    auth: StaffAuth
    payments: PaymentProvider
    printer: SalePrinter
    exit_signer: ExitCodeSigner
    exit_verifier: ExitCodeVerifier
    transfer_signer: TransferSigner
    transfer_verifier: TransferVerifier
    credential: Credential | None
    alerts: Alerts
    refunds: Refunds
    pickups: PickupCounter
    receipt_links: ReceiptLinks | None = None
    """E-receipt links from the central service; None on a stand-alone kiosk."""
    static_qr: str | None = None
    """The store's static payment QR, for paying while the payment service is unreachable."""
    payment_method: str = "qr"
    """What the payment screen asks for first: `qr` or `code` (`PAYMENT_METHOD_KEY`)."""
    scale_port: str | None = None
    """The kiosk's scale (`SCALE_PORT_KEY`); None: no scale, loose goods go to the counter."""
    bag: str | None = None
    """The bag offered before payment (`BAG_KEY`, a GTIN); None: none is offered."""
    closers: list[Callable[[], None]] = field(default_factory=list)

    @property
    def database(self) -> Path:
        return database_path(self.home)

    def open_store(self) -> KioskStore:
        """A connection of its own for another thread (sync, payment watchers)."""
        return KioskStore.open(self.database)

    def recover_payments(self) -> Sale | None:
        """Settle payments a restart interrupted. If the cart that is still frozen was paid,
        complete its sale now: the money was taken, so the sale must not be lost. Returns
        that sale (the UI shows it as paid), else None.

        The paid session is read from the store, not from what `recover` answers: a crash
        after a watcher saved PAID and before the sale committed leaves a paid session that
        no longer looks open, and only the frozen cart and that session say a sale is owed.
        A sale that cannot close here (its total no longer matches) is left to
        `Session.open`, which keeps the cart frozen and calls staff: a failure at start-up
        must not stop the kiosk from starting.
        """
        learnt = self.payments.recover() if isinstance(self.payments, GatewayPayments) else []
        cart = self.checkout.cart
        paid = [s for s in self.store.payments.of_sale(cart.cart_id) if s.is_paid]
        sale = None
        if cart.frozen and paid:
            with contextlib.suppress(KioskError):  # left to `Session.open`, see above
                sale = self.checkout.complete_sale(tender_of(paid[0]))
        self._no_sale_for(r.payment_id for r in learnt if r.outcome is PaymentOutcome.PAID)
        return sale

    def _no_sale_for(self, paid: Iterable[str]) -> None:
        """Money a restart learnt was taken for no cart still frozen here (voided during
        an outage, paid another way): journalled and staff called, as a live answer is
        (`ShopperSession.payment_result`). The frozen cart's own is its sale, done above
        or left to `Session.open`."""
        frozen = self.checkout.cart.cart_id if self.checkout.cart.frozen else None
        for payment_id in paid:
            session = self.store.payments.get(payment_id)
            if session is None or session.sale_id == frozen:
                continue
            if paid_without_sale(self.store, self.clock.now(), session):
                self.alerts.raise_alert(AlertReason.ATTENDED_PAYMENT, amount=session.amount)

    def close(self) -> None:
        for close in reversed(self.closers):
            close()
        self.closers.clear()
        self.store.close()


def build_core(
    home: Path,
    options: CoreOptions | None = None,
    *,
    clock: Clock | None = None,
    monotonic: Callable[[], float] = time.monotonic,
    payments: PaymentProvider | None = None,
    printer: SalePrinter | None = None,
    receipt_links: ReceiptLinks | None = None,
    member_lookup: MemberLookup | None = None,
) -> KioskCore:
    """Build the kiosk's core from its data folder; keyword arguments replace real parts."""
    options = options or CoreOptions()
    clock = clock or SystemClock()
    store = KioskStore.open(database_path(home), handed_over=options.handed_over)
    parts = _Parts(payments, printer, receipt_links, member_lookup)
    try:
        return _build(home, store, options, clock, monotonic, parts)
    except BaseException:
        store.close()
        raise


@dataclass(frozen=True, slots=True)
class _Parts:
    """The real parts a caller replaced; None builds the real one."""

    payments: PaymentProvider | None
    printer: SalePrinter | None
    receipt_links: ReceiptLinks | None
    member_lookup: MemberLookup | None


def _build(
    home: Path,
    store: KioskStore,
    options: CoreOptions,
    clock: Clock,
    monotonic: Callable[[], float],
    parts: _Parts,
) -> KioskCore:
    setup = load_setup(store)
    ids = IdFactory()
    credential = find_credential(store)
    payments, printer, receipt_links = parts.payments, parts.printer, parts.receipt_links
    lookup = parts.member_lookup
    if lookup is None and credential is not None:
        # The lookup runs while the shopper waits (off the UI thread); it gives up fast and
        # falls back to the kiosk's member cache, so a slow network never holds them up.
        lookup = CentralMemberLookup(new_client(credential, retry=QUICK_ANSWER_RETRY))
    settings = options.loyalty
    catalog = OfferCatalog(store.loyalty, settings)
    store_id = setup.identity.store_id
    keys = _loyalty_keys(store, credential)
    members = Members(store, clock, ids, keys, settings, catalog, store_id, lookup=lookup)
    offers = CartOffers(store, members, catalog, settings)
    checkout = Checkout(
        store,
        setup.identity,
        setup.policy,
        clock,
        ids,
        offers=offers,
        training=options.training,
    )
    # Every sale the checkout finishes is booked (points, coupon redemptions); at start-up
    # the booking settles what a crash left unbooked.
    booking = LoyaltyBooking(store, members, catalog, settings, clock, ids, store_id)
    checkout.on_sale_finished(booking.book_sale)
    booking.recover(checkout.cart.cart_id)
    closers: list[Callable[[], None]] = []
    if payments is None and credential is not None:
        gateway = CentralPaymentGateway(new_client(credential), options.payment_provider)
        db = database_path(home)
        payments = GatewayPayments(gateway, lambda: KioskStore.open(db), clock, ids)
    if isinstance(payments, GatewayPayments):
        # Its watcher threads stop before the store closes (also when a test made it).
        closers.append(payments.stop)
    if payments is None:
        # Fail closed: a kiosk with no payment service takes no wallet payments; the
        # store's static QR with staff confirmation is all it offers (or nothing).
        payments = NoPaymentService()
    store_info = StoreInfo(name=f"Scan & Go {setup.identity.store_id}")
    if printer is None:
        printer = (
            EscposSalePrinter(ReceiptPrinter(PrinterConfig(options.printer)), store_info)
            if options.printer
            else TextFileSalePrinter(home / "receipts", store_info)
        )
    exit_key = ensure_signing_key(store)
    if receipt_links is None and credential is not None:
        receipt_links = CentralReceiptLinks(new_client(credential))
    return KioskCore(
        home=home,
        store=store,
        setup=setup,
        clock=clock,
        ids=ids,
        checkout=checkout,
        members=members,
        offers=offers,
        catalog=catalog,
        booking=booking,
        auth=StaffAuth(store, setup.badge_key, monotonic=monotonic),
        payments=payments,
        printer=printer,
        exit_signer=ExitCodeSigner(exit_key),
        # This kiosk verifies its own codes; the store's other kiosks' keys come with sync.
        exit_verifier=ExitCodeVerifier({setup.identity.kiosk_id: public_key_hex(exit_key)}, store),
        # A cart suspended at any kiosk of the store resumes here: the same key family.
        transfer_signer=TransferSigner(exit_key),
        transfer_verifier=TransferVerifier(
            {setup.identity.kiosk_id: public_key_hex(exit_key)},
            store,
            setup.identity.store_id,
            CentralTransferRegistry(new_client(credential, retry=QUICK_ANSWER_RETRY))
            if credential is not None
            else None,
        ),
        credential=credential,
        alerts=Alerts(store, setup.identity.kiosk_id, clock, ids),
        # Group-buy orders handed out offline, with the store's key and orders from sync.
        pickups=PickupCounter(store),
        refunds=Refunds(
            store,
            clock,
            ids,
            setup.identity.kiosk_id,
            # The store's rules as last synced (coupons back on refunds), read at the
            # refund: the checkout takes new ones up only when its next sale starts.
            lambda: with_central(setup.policy, store.settings),
            CentralRefundGateway(new_client(credential)) if credential is not None else None,
            printer,
            store_info,
        ),
        receipt_links=receipt_links,
        static_qr=store.settings.get(STATIC_QR_KEY),
        payment_method=str(store.settings.get(PAYMENT_METHOD_KEY) or "qr"),
        scale_port=store.settings.get(SCALE_PORT_KEY) or None,
        bag=store.settings.get(BAG_KEY) or None,
        closers=closers,
    )


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
