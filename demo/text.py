"""`kiosk demo` without a display: a fresh store and a scripted shopper journey, printed.

It drives the same `Checkout` service the UI uses, so the journey it prints is
what a shopper at a kiosk would go through: scans (a repeated item, a weighed
item's scale label, an age-restricted item), refusals that say why, a staff void
and age approval, payment, and the journal check.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import click

from kiosk.domain.catalog import Product, Unit
from kiosk.domain.codes import check_digit, display_gtin
from kiosk.domain.errors import KioskError
from kiosk.domain.ids import IdFactory
from kiosk.domain.journal import verify_chain
from kiosk.domain.sale import Tender
from kiosk.domain.staff import Role, Staff
from kiosk.services.catalog_import import import_catalog
from kiosk.services.checkout import CartState, Checkout, KioskIdentity
from kiosk.services.config import demo_policy
from kiosk.services.ports import SystemClock
from kiosk.services.setup import database_path, initialise
from kiosk.services.staff_auth import StaffAuth
from kiosk.store.uow import KioskStore

DEMO_STAFF = Staff("1001", "Li Na", Role.SUPERVISOR)
DEMO_PIN = "2468"
DEMO_BADGE = "STAFF-1001"
UNKNOWN_CODE = "699999999999" + str(check_digit("699999999999"))


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

    @classmethod
    def of(cls, products: list[Product]) -> DemoGoods:
        # Chinese goods (GS1 prefixes 690-699) first: the demo store is in China.
        ordered = sorted(products, key=lambda p: not p.gtin.startswith("069"))
        return cls(
            fixed=[
                p
                for p in ordered
                if p.unit is Unit.EACH and p.sellable and not p.recalled and not p.age_restricted
            ],
            weighed=next(p for p in ordered if p.unit is Unit.KG),
            adult=next(p for p in ordered if p.age_restricted and p.sellable),
            recalled=next((p for p in ordered if p.recalled), None),
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


def print_cart(state: CartState, lang: str) -> None:
    """The cart as the demo prints it (the text journey and the screens' journey)."""
    for line in state.priced.lines:
        product = state.products[line.gtin]
        qty = f"{line.weight_g} g" if line.weight_g else f"{line.quantity} x"
        flag = "  (needs age check)" if state.cart.line(line.line_no).needs_approval else ""
        click.echo(
            f"    {line.line_no:>2}. {product.name(lang)[:38]:<38} {qty:>8} "
            f"{line.amount.format():>14}{flag}"
        )
    click.echo(f"    {'total':>52} {state.priced.total.format():>14}")


def run_demo(out: Path, lang: str, assets: Path) -> int:
    if out.exists():
        shutil.rmtree(out)
    store = KioskStore.open(database_path(out))
    policy = demo_policy()
    setup = initialise(store, KioskIdentity("K01", policy.store_id), policy)
    report = import_catalog(store, assets / "demo" / "catalog.csv", policy.tax_classes.keys())
    click.echo(f"demo store {policy.store_id}: {report.imported} products imported into {out}")
    auth = StaffAuth(store, setup.badge_key, monotonic=lambda: 0.0)
    auth.enrol(DEMO_STAFF, DEMO_PIN, DEMO_BADGE)

    goods = DemoGoods.of(store.catalog.all())

    checkout = Checkout(store, setup.identity, policy, SystemClock(), IdFactory())
    click.echo("\nshopper scans:")
    script = goods.script(lang)
    for code, what in script:
        try:
            checkout.scan(code)
            click.echo(f"  + {code:<14} {what}")
        except KioskError as exc:
            click.echo(f"  ! {code:<14} {what}: {exc.message}")
    print_cart(checkout.state(), lang)

    staff = auth.by_pin(DEMO_STAFF.staff_id, DEMO_PIN)
    click.echo(f"\nstaff {staff.name} signs in with a PIN, checks ID and approves the age check;")
    checkout.approve_age(staff)
    click.echo("the shopper changed their mind about line 2: staff void it")
    checkout.void_line(staff, 2, "shopper changed mind")
    state = checkout.state()
    print_cart(state, lang)

    click.echo("\nshopper taps Pay: the cart is frozen at that amount")
    state = checkout.begin_payment()
    sale = checkout.complete_sale(
        Tender(IdFactory().new(), "demo", state.priced.total, reference="demo-wallet")
    )
    click.echo(
        f"paid {sale.priced.total.format()} - sale #{sale.sequence} {sale.sale_id}, "
        f"{sale.priced.item_count} items"
    )
    for tax in sale.priced.taxes:
        click.echo(f"    {tax.tax_class:<9} {tax.rate_bp // 100:>3}%  tax {tax.tax.format()}")

    entries = store.journal.entries()
    click.echo(f"\njournal: {verify_chain(entries)} entries, hash chain intact")
    click.echo(f"queued for the central service: {store.outbox.depth()} records")
    store.close()
    return 0
