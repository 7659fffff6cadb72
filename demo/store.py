"""The demo store: its goods, staff, offers and static QR, and its own central service.

Both demo journeys (`demo.text`, `demo.screens`), the UI tests and the benchmarks seed the
same store, so they sell the same goods at the same prices.
"""

from __future__ import annotations

import contextlib
import secrets
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import requests

from central.admin import service as admin
from central.admin.service import Actor
from central.embedded import EmbeddedCentral, issue_enrolment_code, start_demo
from central.payments.config import PaymentsConfig, StoreConfig
from central.payments.runtime import install
from central.sales.service import sales_report
from kiosk.domain.catalog import Product, Unit
from kiosk.domain.codes import check_digit, display_gtin
from kiosk.domain.emvco import MerchantPresentedQr
from kiosk.domain.policy import AuditPolicy
from kiosk.domain.staff import Role, Staff
from kiosk.services.catalog_import import import_catalog
from kiosk.services.checkout import KioskIdentity
from kiosk.services.config import (
    POLICY_KEY,
    demo_policy,
    policy_from_settings,
    policy_to_settings,
)
from kiosk.services.loyalty_import import import_offers
from kiosk.services.setup import (
    BAG_KEY,
    STATIC_QR_KEY,
    database_path,
    initialise,
    load_setup,
)
from kiosk.services.staff_auth import StaffAuth
from kiosk.store.uow import KioskStore
from simulators.payment_codes import CodeSimulator
from sync.enrolment import enroll
from sync.operations import sync_now
from sync.protocol import SalesReport

DEMO_STAFF = Staff("1001", "Li Na", Role.SUPERVISOR)
DEMO_PIN = "2468"
DEMO_BADGE = "STAFF-1001"
UNKNOWN_CODE = "699999999999" + str(check_digit("699999999999"))
BAG_CATEGORY = "bags"
"""The demo catalog's category of the store's carrier bag."""


def scale_label(product: Product, grams: int) -> str:
    """The EAN-13 a store scale prints for `grams` of a by-weight product (prefix 22)."""
    body = product.gtin[1:8] + f"{grams:05d}"
    return body + str(check_digit(body))


@dataclass(frozen=True, slots=True)
class DemoGoods:
    """The demo catalog's goods the scripted journeys scan."""

    fixed: list[Product]
    """Sold by the piece, sellable, not recalled, no age check; Chinese goods first."""
    weighed: Product
    adult: Product
    recalled: Product | None
    picked: Product
    """Sold loose by the piece, without a barcode to scan: picked by its picture."""
    bag: Product
    """The store's carrier bag, offered before payment (not among `fixed`: never scanned)."""

    @classmethod
    def of(cls, products: list[Product]) -> DemoGoods:
        # Chinese goods (GS1 prefixes 690-699) first: the demo store is in China.
        ordered = sorted(products, key=lambda p: not p.gtin.startswith("069"))
        return cls(
            fixed=[
                p
                for p in ordered
                if p.unit is Unit.EACH
                and p.sellable
                and not p.recalled
                and not p.age_restricted
                and p.category != BAG_CATEGORY
            ],
            weighed=next(p for p in ordered if p.unit is Unit.KG),
            adult=next(p for p in ordered if p.age_restricted and p.sellable),
            recalled=next((p for p in ordered if p.recalled), None),
            picked=next(p for p in ordered if p.looked_up and p.unit is Unit.EACH),
            bag=next(p for p in ordered if p.category == BAG_CATEGORY),
        )

    def script(self, lang: str) -> list[tuple[str, str]]:
        """The first shopper's scans, (code, what it is): a repeat, a scale label, an age
        check, a wrong check digit, an unknown product and a recalled one."""
        fixed, weighed, adult = self.fixed, self.weighed, self.adult
        scans = [
            (display_gtin(fixed[0].gtin), fixed[0].name(lang)),
            (display_gtin(fixed[1].gtin), fixed[1].name(lang)),
            (display_gtin(fixed[0].gtin), fixed[0].name(lang) + " (again)"),
            (scale_label(weighed, 734), weighed.name(lang) + " scale label, 734 g"),
            (display_gtin(adult.gtin), adult.name(lang)),
            ("6901234567890", "a code with a wrong check digit"),
            (UNKNOWN_CODE, "a product not in our catalog"),
        ]
        if self.recalled is not None:
            scans.append(
                (display_gtin(self.recalled.gtin), self.recalled.name(lang) + " (recalled)")
            )
        return scans


@dataclass(frozen=True, slots=True)
class DemoStore(DemoGoods):
    products: list[Product]
    imported: int


def seed_demo_store(out: Path, assets: Path, *, bag: bool = False) -> DemoStore:
    """A fresh store in `out` with the demo catalog and the demo supervisor (badge and PIN);
    `bag`: the kiosk offers the demo's bag before payment (the demo's journeys; the tests
    that pay answer no bag question unless they are about it)."""
    if out.exists():
        shutil.rmtree(out)
    store = KioskStore.open(database_path(out))
    try:
        policy = demo_policy()
        setup = initialise(store, KioskIdentity("K01", policy.store_id), policy)
        report = import_catalog(store, assets / "demo" / "catalog.csv", policy.tax_classes.keys())
        for kind in ("promotions", "coupons"):  # the store's own offers, as a CSV import
            import_offers(store, assets / "demo" / f"{kind}.csv", kind, policy.timezone)
        StaffAuth(store, setup.badge_key, monotonic=lambda: 0.0).enrol(
            DEMO_STAFF, DEMO_PIN, DEMO_BADGE
        )
        store.settings.set(STATIC_QR_KEY, demo_static_qr(policy.store_id))
        products = store.catalog.all()
    finally:
        store.close()
    goods = DemoGoods.of(products)
    if bag:
        offer_bag(out, goods.bag)
    return DemoStore(
        fixed=goods.fixed,
        weighed=goods.weighed,
        adult=goods.adult,
        recalled=goods.recalled,
        picked=goods.picked,
        bag=goods.bag,
        products=products,
        imported=report.imported,
    )


def offer_bag(home: Path, bag: Product) -> None:
    """The kiosk at `home` offers `bag` before payment (`BAG_KEY`)."""
    store = KioskStore.open(database_path(home))
    try:
        store.settings.set(BAG_KEY, bag.gtin)
    finally:
        store.close()


def audit_exits(home: Path, audit: AuditPolicy) -> None:
    """The kiosk at `home` checks the bags of the sales `audit` picks (its store policy)."""
    store = KioskStore.open(database_path(home))
    try:
        policy = policy_from_settings(store.settings.get(POLICY_KEY))
        store.settings.set(POLICY_KEY, policy_to_settings(replace(policy, exit_audit=audit)))
    finally:
        store.close()


@contextlib.contextmanager
def demo_central(out: Path, assets: Path, user_paying_s: float = 1.5) -> Iterator[EmbeddedCentral]:
    """The store's own central service (embedded, SQLite) with the demo kiosk enrolled.

    Enrolment gives the kiosk the chain's badge key, so the demo supervisor's badge and
    PIN are saved again under it; the first sync pulls the catalog the service holds.
    Payment codes go to the local WeChat Pay / Alipay simulator (`SAMPLE_WECHAT_CODE`
    confirms on the phone after `user_paying_s`; see `simulators.payment_codes`).
    """
    handle = start_demo(out / "central", assets / "demo" / "catalog.csv")
    wallets = CodeSimulator(user_paying_s=user_paying_s)
    wallets.start()
    try:
        store_config = StoreConfig(
            wechat_code=wallets.wechat_config(), alipay=wallets.alipay_config()
        )
        install(
            handle.app,
            PaymentsConfig(default_store=store_config, public_url=handle.url),
        )
        store = KioskStore.open(database_path(out))
        try:
            enroll(store, handle.url, issue_enrolment_code(handle, "S001"), name="demo kiosk")
            StaffAuth(store, load_setup(store).badge_key, monotonic=lambda: 0.0).enrol(
                DEMO_STAFF, DEMO_PIN, DEMO_BADGE
            )
            sync_now(store)
        finally:
            store.close()
        yield handle
    finally:
        handle.stop()
        wallets.stop()


DEMO_MANAGER = "manager"


def demo_console_account(handle: EmbeddedCentral) -> str:
    """An HQ admin account on the demo's central service for the back-office console
    (`/admin/`), with a fresh random password each run (returned, to be shown once): the
    console is served on loopback only while the demo runs."""
    password = secrets.token_urlsafe(12)
    actor = Actor("demo", "demo")
    now_ms = handle.app.state.central.clock_ms()
    with handle.app.state.central.tx() as conn:
        if admin.account(conn, DEMO_MANAGER) is None:
            admin.create_account(conn, actor, DEMO_MANAGER, "Demo store manager", "hq_admin",
                                 [], password, now_ms)  # fmt: skip
        else:
            admin.set_password(conn, actor, DEMO_MANAGER, password, now_ms)
    return password


def pay_on_the_phone(qr_payload: str) -> str:
    """What the shopper's phone does with the sandbox QR: open the pay page, press Pay.

    Returns the page's verdict. The press goes through the service's provider callback
    path, exactly as a real wallet's confirmation would.
    """
    page = requests.get(qr_payload, timeout=10)
    page.raise_for_status()
    url = urlsplit(qr_payload)
    token = parse_qs(url.query).get("t", [""])[0]
    action = f"{url.scheme}://{url.netloc}{url.path}"
    answer = requests.post(action, data={"t": token, "action": "pay"}, timeout=10)
    return "paid" if answer.ok and "id='result'" in answer.text else f"HTTP {answer.status_code}"


def central_sales(handle: EmbeddedCentral) -> SalesReport:
    with handle.app.state.central.tx() as conn:
        return sales_report(conn)


def demo_static_qr(store_id: str) -> str:
    """The demo store's static EMVCo QR (no amount): what the shopper pays while offline."""
    return MerchantPresentedQr(
        accounts={"26": {"00": "cn.example.wallet", "01": f"DEMO-{store_id}"}},
        merchant_category="5411",
        currency="CNY",
        country="CN",
        merchant_name=f"SCAN AND GO {store_id}",
        merchant_city="SHANGHAI",
    ).encode()
