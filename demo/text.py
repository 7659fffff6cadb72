"""`python -m demo --text`: a fresh demo store and a scripted shopper journey, printed.

It drives the kiosk's own core (`app.core.build_core`), as the UI does, so the journey it prints is
what a shopper at a kiosk would go through: scans (a repeated item, a weighed
item's scale label, an age-restricted item), an item without a barcode picked by its
picture, refusals that say why, a staff void
and age approval, payment, and the journal check.
"""

from __future__ import annotations

from pathlib import Path

import click

from app.core import KioskCore, build_core
from demo.store import DEMO_PIN, DEMO_STAFF, DemoGoods, seed_demo_store
from kiosk.domain.errors import KioskError
from kiosk.domain.journal import verify_chain
from kiosk.domain.sale import Tender
from kiosk.services.checkout import CartState


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
    seeded = seed_demo_store(out, assets)
    click.echo(f"demo store S001: {seeded.imported} products imported into {out}")
    core = build_core(out)
    try:
        _journey(core, seeded, lang)
    finally:
        core.close()
    return 0


def _journey(core: KioskCore, goods: DemoGoods, lang: str) -> None:
    checkout = core.checkout
    click.echo("\nshopper scans:")
    for code, what in goods.script(lang):
        try:
            checkout.scan(code)
            click.echo(f"  + {code:<14} {what}")
        except KioskError as exc:
            click.echo(f"  ! {code:<14} {what}: {exc.message}")
    picked = goods.picked
    checkout.pick(picked.gtin, 2)
    click.echo(f"  + {'(no barcode)':<14} {picked.name(lang)} x 2, picked by its picture")
    print_cart(checkout.state(), lang)

    staff = core.auth.by_pin(DEMO_STAFF.staff_id, DEMO_PIN)
    click.echo(f"\nstaff {staff.name} signs in with a PIN, checks ID and approves the age check;")
    checkout.approve_age(staff)
    click.echo("the shopper changed their mind about line 2: staff void it")
    checkout.void_line(staff, 2, "shopper changed mind")
    print_cart(checkout.state(), lang)

    click.echo("\nshopper taps Pay: the cart is frozen at that amount")
    state = checkout.begin_payment()
    sale = checkout.complete_sale(
        Tender(core.ids.new(), "demo", state.priced.total, reference="demo-wallet")
    )
    click.echo(
        f"paid {sale.priced.total.format()} - sale #{sale.sequence} {sale.sale_id}, "
        f"{sale.priced.item_count} items"
    )
    for tax in sale.priced.taxes:
        click.echo(f"    {tax.tax_class:<9} {tax.rate_bp // 100:>3}%  tax {tax.tax.format()}")

    entries = core.store.journal.entries()
    click.echo(f"\njournal: {verify_chain(entries)} entries, hash chain intact")
    click.echo(f"queued for the central service: {core.store.outbox.depth()} records")
