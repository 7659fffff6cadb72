"""The `kiosk` command: set up, catalog, staff, exit codes, sync, doctor and run.

The demo, benchmarks and simulators are tools with commands of their own
(`python -m demo`, `python -m benchmarks.<part>`, `python -m simulators.sales`).

Errors the kiosk raises on purpose (`KioskError`) are printed as one plain line
with exit status 2; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import click

from app.supervisor import child_command
from app.supervisor import supervise as supervise_ui
from kiosk.domain.catalog import LANGUAGES, Unit
from kiosk.domain.codes import display_gtin, parse_product_code
from kiosk.domain.errors import CatalogError, KioskError, Reason
from kiosk.domain.money import Money
from kiosk.domain.price_query import PriceQueryError, price_query
from kiosk.domain.staff import Role, Staff
from kiosk.services.catalog_import import import_catalog
from kiosk.services.checkout import KioskIdentity
from kiosk.services.config import demo_policy, with_central
from kiosk.services.price_query import offers_from_csv, offers_from_store
from kiosk.services.setup import database_path, default_home, initialise, load_setup
from kiosk.services.staff_auth import StaffAuth
from kiosk.store.uow import KioskStore
from sync.enrolment import enroll
from sync.errors import SyncError
from sync.operations import status_dict, sync_now

F = TypeVar("F", bound=Callable[..., Any])


def plain_errors(fn: F) -> F:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except KioskError as exc:
            click.secho(f"error: {exc.message}", fg="red", err=True)
            sys.exit(2)

    return wrapper  # type: ignore[return-value]


def _open(ctx: click.Context) -> KioskStore:
    home: Path = ctx.obj["home"]
    store = KioskStore.open(database_path(home))
    ctx.call_on_close(store.close)
    return store


@click.group()
@click.option(
    "--home",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Data folder (default: $KIOSK_HOME or ~/.local/share/scan-to-buy-kiosk).",
)
@click.pass_context
def main(ctx: click.Context, home: Path | None) -> None:
    """Scan-to-buy self-checkout kiosk."""
    ctx.ensure_object(dict)
    ctx.obj["home"] = home or default_home()


@main.command()
@click.option("--store", "store_id", default="S001", show_default=True)
@click.option("--kiosk", "kiosk_id", default="K01", show_default=True)
@click.pass_context
@plain_errors
def init(ctx: click.Context, store_id: str, kiosk_id: str) -> None:
    """Set up a stand-alone kiosk with the demo store's rules (CNY, VAT 13 %/9 %)."""
    store = _open(ctx)
    initialise(store, KioskIdentity(kiosk_id, store_id), demo_policy(store_id))
    click.echo(f"kiosk {kiosk_id} of store {store_id} ready in {ctx.obj['home']}")


# ------------------------------------------------------------------ catalog
@main.group()
def catalog() -> None:
    """Import and inspect the local catalog."""


@catalog.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
@plain_errors
def catalog_import(ctx: click.Context, file: Path) -> None:
    """Import FILE.csv (UTF-8; see docs/catalog-csv.md). All rows or none."""
    store = _open(ctx)
    setup = load_setup(store)
    with file.open("rb") as handle:
        total = max(sum(1 for _ in handle) - 1, 0)
    with click.progressbar(length=total, label="checking rows", file=sys.stderr) as bar:
        done = [0]

        def progress(rows: int) -> None:
            bar.update(rows - done[0])
            done[0] = rows

        report = import_catalog(store, file, setup.policy.tax_classes.keys(), progress)
        bar.update(total - done[0])
    if not report.ok:
        for error in report.errors:
            click.echo(f"  {error}", err=True)
        click.secho(
            f"nothing imported: {len(report.errors)} of {report.rows} rows are bad "
            "(fix them and import the file again)",
            fg="red",
            err=True,
        )
        sys.exit(1)
    click.echo(f"imported {report.imported} products ({store.catalog.count()} in the catalog)")


@main.command("price")
@click.argument("basket", type=click.File("r", encoding="utf-8"))
@click.option(
    "--catalog",
    "catalog_csv",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Price against this catalog CSV instead of the kiosk's data.",
)
@click.option(
    "--promotions",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Promotions CSV (with --catalog).",
)
@click.option(
    "--coupons",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Coupons CSV (with --catalog).",
)
@click.pass_context
@plain_errors
def price(
    ctx: click.Context,
    basket: Any,
    catalog_csv: Path | None,
    promotions: Path | None,
    coupons: Path | None,
) -> None:
    """Price BASKET (JSON; '-' for stdin) and print the priced cart as JSON.

    Nothing in the kiosk changes: no cart, sale or ledger entry. See docs/pricing.md.
    """
    try:
        request = json.load(basket)
    except json.JSONDecodeError as exc:
        raise PriceQueryError(f"the basket is not JSON: {exc}") from None
    if catalog_csv is not None:
        offers = offers_from_csv(demo_policy(), catalog_csv, promotions, coupons)
    elif promotions is not None or coupons is not None:
        raise PriceQueryError("--promotions and --coupons go with --catalog")
    else:
        offers = offers_from_store(_open(ctx), request)
    answer = price_query(request, offers, datetime.now(UTC))
    click.echo(json.dumps(answer, ensure_ascii=False, indent=2))


@catalog.command("show")
@click.argument("code")
@click.option("--lang", type=click.Choice(LANGUAGES), default="en", show_default=True)
@click.pass_context
@plain_errors
def catalog_show(ctx: click.Context, code: str, lang: str) -> None:
    """Show the product a barcode (GTIN, scale label or GS1 code) stands for."""
    store = _open(ctx)
    setup = load_setup(store)
    policy = with_central(setup.policy, store.settings)
    parsed = parse_product_code(code, rcn_rules=policy.rcn_rules)
    product = store.catalog.get(parsed.gtin)
    if product is None:
        raise KioskError(
            f"{display_gtin(parsed.gtin)} is not in the catalog", reason=Reason.UNKNOWN_PRODUCT
        )
    price = product.price.format() + (" per kg" if product.unit.value == "kg" else "")
    rows = [
        ("GTIN", display_gtin(product.gtin)),
        ("name", product.name(lang)),
        *((f"name [{k}]", v) for k, v in product.names.items() if k != lang),
        ("brand", product.brand),
        ("category", product.category),
        ("price", price),
        ("tax class", product.tax_class),
        ("minimum age", str(product.age_min) if product.age_min else "-"),
        ("for sale", "yes" if product.sellable and not product.recalled else "NO"),
    ]
    if parsed.weight_g is not None:
        rows.append(("label weight", f"{parsed.weight_g} g"))
    if parsed.price_minor is not None:
        rows.append(("label price", str(parsed.price_minor)))
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        click.echo(f"{key:<{width}}  {value}")


# ------------------------------------------------------------------ staff
@main.group()
def staff() -> None:
    """Local staff accounts (normally pulled from the central service)."""


@staff.command("add")
@click.argument("staff_id")
@click.argument("name")
@click.option("--role", type=click.Choice([r.value for r in Role]), default="associate")
@click.option("--pin", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--badge", default=None, help="Badge barcode text.")
@click.pass_context
@plain_errors
def staff_add(
    ctx: click.Context, staff_id: str, name: str, role: str, pin: str, badge: str | None
) -> None:
    """Add or update STAFF_ID with a PIN (stored as an argon2 hash)."""
    store = _open(ctx)
    setup = load_setup(store)
    auth = StaffAuth(store, setup.badge_key, monotonic=lambda: 0.0)
    auth.enrol(Staff(staff_id, name, Role(role)), pin, badge)
    click.echo(f"staff {staff_id} ({role}) saved")


# ------------------------------------------------------------------ exit codes
EXIT_KEYS_SETTING = "exit_public_keys"


@main.command("static-qr")
@click.argument("payload")
@click.pass_context
@plain_errors
def static_qr(ctx: click.Context, payload: str) -> None:
    """Keep the store's static payment QR (EMVCo, no amount): what a kiosk with no payment
    service shows, with staff confirming each payment."""
    from kiosk.domain.emvco import EmvcoError, decode
    from kiosk.services.setup import STATIC_QR_KEY

    store = _open(ctx)
    setup = load_setup(store)
    qr = decode(payload.strip())
    if qr.amount is not None:
        raise EmvcoError(
            "a static QR carries no amount (the shopper types it in)", reason=Reason.INVALID_QR
        )
    if qr.currency != setup.policy.currency:
        raise EmvcoError(
            f"the QR is in {qr.currency}, the store sells in {setup.policy.currency}",
            reason=Reason.INVALID_QR,
        )
    store.settings.set(STATIC_QR_KEY, payload.strip())
    click.echo(f"static QR of {qr.merchant_name} ({qr.merchant_city}) kept")


@main.command("payment-method")
@click.argument("method", type=click.Choice(["qr", "code"]))
@click.pass_context
@plain_errors
def payment_method(ctx: click.Context, method: str) -> None:
    """What the payment screen asks for first: `code` (the shopper shows the payment code
    in WeChat or Alipay) or `qr` (the kiosk shows a QR). Both stay possible."""
    from kiosk.services.setup import PAYMENT_METHOD_KEY

    store = _open(ctx)
    store.settings.set(PAYMENT_METHOD_KEY, method)
    click.echo(f"the payment screen asks for a {'payment code' if method == 'code' else 'QR'}")


@main.command("scale")
@click.argument("port")
@click.pass_context
@plain_errors
def scale_port(ctx: click.Context, port: str) -> None:
    """The serial port of the kiosk's MT-SICS scale (/dev/ttyUSB0, COM3, socket://HOST:PORT),
    or `none`: loose goods are then weighed at the weighing counter."""
    from kiosk.services.setup import SCALE_PORT_KEY

    store = _open(ctx)
    if port.lower() == "none":
        store.settings.set(SCALE_PORT_KEY, None)
        click.echo("no scale: shoppers take loose goods to the weighing counter")
        return
    store.settings.set(SCALE_PORT_KEY, port)
    click.echo(f"the kiosk weighs loose goods on the scale at {port}")


@main.command("bag")
@click.argument("code")
@click.pass_context
@plain_errors
def bag(ctx: click.Context, code: str) -> None:
    """The carrier bag the kiosk offers once a sale when the shopper taps Pay (a product of
    the catalog sold by the piece, by its barcode), or `none`: no bag is offered."""
    from kiosk.services.setup import BAG_KEY

    store = _open(ctx)
    if code.lower() == "none":
        store.settings.set(BAG_KEY, None)
        click.echo("no bag is offered before payment")
        return
    product = store.catalog.get(parse_product_code(code).gtin)
    if product is None:
        raise KioskError(
            f"{code} is not in the catalog: import the bag as a product first",
            reason=Reason.UNKNOWN_PRODUCT,
        )
    if product.unit is not Unit.EACH:
        raise CatalogError(f"{product.name('en')} is sold by weight: a bag is sold by the piece")
    store.settings.set(BAG_KEY, product.gtin)
    click.echo(f"before payment the kiosk offers {product.name('en')} at {product.price.format()}")


@main.command("pickup-from")
@click.argument("where", type=click.Choice(["shelf", "staff"]))
@click.pass_context
@plain_errors
def pickup_from(ctx: click.Context, where: str) -> None:
    """Where group-buy orders wait for their shoppers: on the pickup `shelf` (the shopper
    takes the bag labelled with the order's reference), or with `staff`, who are called to
    bring it when the shopper collects at the kiosk."""
    from kiosk.services.pickups import PICKUP_FROM_KEY

    _open(ctx).settings.set(PICKUP_FROM_KEY, where)
    click.echo(f"group-buy orders are collected from the {where}")


@main.command("exit-key")
@click.pass_context
@plain_errors
def exit_key(ctx: click.Context) -> None:
    """Print this kiosk's exit-code public key (for the store's gates and verifiers)."""
    from kiosk.services.exit_codes import ensure_signing_key, public_key_hex

    store = _open(ctx)
    setup = load_setup(store)
    click.echo(f"{setup.identity.kiosk_id} {public_key_hex(ensure_signing_key(store))}")


@main.command("verify-exit")
@click.argument("code")
@click.option(
    "--keys",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="JSON file {kiosk_id: public key hex} of the store's other kiosks.",
)
@click.pass_context
@plain_errors
def verify_exit(ctx: click.Context, code: str, keys: Path | None) -> None:
    """Check an exit code offline: signature, age, and whether it was used before here."""

    from kiosk.services.exit_codes import (
        ExitCodeVerifier,
        ensure_signing_key,
        public_key_hex,
    )
    from kiosk.services.ports import SystemClock

    store = _open(ctx)
    setup = load_setup(store)
    known = dict(store.settings.get(EXIT_KEYS_SETTING, {}))
    known[setup.identity.kiosk_id] = public_key_hex(ensure_signing_key(store))
    if keys is not None:
        known.update(json.loads(keys.read_text(encoding="utf-8")))
    verdict = ExitCodeVerifier(known, store).verify(code, SystemClock().now())
    exit_pass = verdict.exit_pass
    if exit_pass is not None:
        click.echo(
            f"sale #{exit_pass.sequence} on kiosk {exit_pass.kiosk_id} "
            f"({exit_pass.sale_id}), {exit_pass.item_count} items, "
            f"total {Money(exit_pass.total_minor, exit_pass.currency)}, "
            f"paid {exit_pass.paid_at:%Y-%m-%d %H:%M} UTC"
        )
    if verdict.ok:
        click.secho("VALID" + (" - bag check selected" if verdict.audit else ""), fg="green")
        return
    click.secho(f"REFUSED: {verdict.reason.replace('_', ' ')}", fg="red")
    sys.exit(1)


# ------------------------------------------------------------------ tools
@main.command()
@click.option("--camera", default="0", show_default=True, help="Camera index or device path.")
@click.option("--central", default=None, help="Central service URL to check.")
@click.option("--printer", default=None, help="Printer: /dev/usb/lp0, tcp://HOST:PORT or a file.")
@click.pass_context
def doctor(ctx: click.Context, camera: str, central: str | None, printer: str | None) -> None:
    """Check camera, database, central service and printer; say what to fix."""
    from app.doctor import run_checks

    results = run_checks(database_path(ctx.obj["home"]), camera, central, printer)
    for result in results:
        mark = click.style("ok  ", fg="green") if result.ok else click.style("FAIL", fg="red")
        click.echo(f"[{mark}] {result.name}: {result.detail}")
        if not result.ok and result.fix:
            click.echo(f"       fix: {result.fix}")
    sys.exit(0 if all(r.ok or r.optional for r in results) else 1)


@main.command()
@click.option("--camera", default="0", show_default=True, help="Camera index, device or video.")
@click.option("--no-camera", is_flag=True, help="No camera: a USB (keyboard-wedge) scanner only.")
@click.option("--printer", default=None, help="Receipt printer (usb:VID:PID, tcp://HOST, file).")
@click.option("--lang", type=click.Choice(LANGUAGES), default="zh_CN", show_default=True)
@click.option("--windowed", is_flag=True, help="A normal window instead of kiosk mode.")
@click.option(
    "--supervise/--no-supervise",
    default=True,
    show_default=True,
    help="Restart the UI after a crash (use --no-supervise under systemd's Restart=).",
)
@click.pass_context
@plain_errors
def run(
    ctx: click.Context,
    camera: str,
    no_camera: bool,
    printer: str | None,
    lang: str,
    windowed: bool,
    supervise: bool,
) -> None:
    """Run the kiosk: full screen, kiosk mode, restarting into the same cart after a crash."""
    home: Path = ctx.obj["home"]
    command = child_command(home, None if no_camera else camera, printer, lang, windowed)
    if supervise:
        sys.exit(supervise_ui(command))
    os.execv(command[0], command)  # noqa: S606 - the UI process replaces this one


# ------------------------------------------------------------------ sync
def _register_sync(main: click.Group, open_store: Callable[[click.Context], KioskStore]) -> None:
    """`kiosk enroll` and `kiosk sync status|now`."""

    @main.command("enroll")
    @click.option("--central", "central_url", required=True, help="Central service URL.")
    @click.option("--code", required=True, help="One-time enrolment code from the operator.")
    @click.option("--name", default="", help="A name for this kiosk in the fleet view.")
    @click.option("--force", is_flag=True, help="Enrol even with unsent data queued.")
    @click.pass_context
    @plain_errors
    def enroll_command(
        ctx: click.Context, central_url: str, code: str, name: str, force: bool
    ) -> None:
        """Enrol this kiosk with the central service."""
        try:
            cred = enroll(open_store(ctx), central_url, code, name=name, force=force)
        except SyncError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"enrolled as kiosk {cred.kiosk_id} of store {cred.store_id}")

    @main.group("sync")
    def sync_group() -> None:
        """Exchange data with the central service."""

    @sync_group.command("status")
    @click.option("--json", "as_json", is_flag=True)
    @click.pass_context
    @plain_errors
    def status_command(ctx: click.Context, as_json: bool) -> None:
        """Queue depth, oldest unsent record, last sync, conflicts."""
        data = status_dict(open_store(ctx))
        if as_json:
            click.echo(json.dumps(data, indent=2, ensure_ascii=False))
            return
        if not data["enrolled"]:
            click.echo("not enrolled: run `kiosk enroll --central URL --code CODE`")
            return
        click.echo(f"central:      {data['central_url']} (kiosk {data['kiosk_id']})")
        click.echo(f"queued:       {data['queue_depth']} (oldest {data['oldest_pending_at']})")
        click.echo(f"last sync:    {data['last_sync_at']}")
        click.echo(f"conflicts:    {len(data['conflicts'])}")
        for conflict in data["conflicts"][-10:]:
            click.echo(f"  {conflict['kind']} {conflict['key']}: {conflict['detail']}")
        if data["rejected_rules"]:
            click.echo(f"refused barcode rules: {len(data['rejected_rules'])}")
            for rule_id, why in sorted(data["rejected_rules"].items()):
                click.echo(f"  {rule_id}: {why}")
        if data["rejected_store_rules"]:
            click.echo(f"refused store rules: {data['rejected_store_rules']}")
        for feed, refused in sorted(data["refused_items"].items()):
            click.echo(f"refused {feed}: {len(refused)} (this version cannot read them)")
            for key, why in sorted(refused.items()):
                click.echo(f"  {key}: {why}")

    @sync_group.command("now")
    @click.pass_context
    @plain_errors
    def now_command(ctx: click.Context) -> None:
        """Push everything queued and pull every feed (catalog, rules, staff, store rules,
        offers) now."""
        try:
            report = sync_now(open_store(ctx))
        except SyncError as exc:
            raise click.ClickException(str(exc)) from exc
        r = report.relay
        click.echo(
            f"sent {r.sent} new, {r.duplicates} already there, {r.conflicts} conflicts; "
            f"pulled {report.pulled}"
        )


_register_sync(main, _open)
