"""`central`: serve the API and run operator tasks directly against the database.

Operator tasks need the same `--db`/`CENTRAL_DB_URL` and `CENTRAL_SECRET_KEY` (or key
file) as the service; they never go through HTTP, so they work before any operator
token exists (`central operator add` makes the first one).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import click

from central.admin import service as admin
from central.admin.service import Role as AdminRole
from central.analytics import service as analytics
from central.app import create_app
from central.clock import iso_ms
from central.config import Settings, new_secret_key, settings_from
from central.csv_report import to_csv
from central.db import create_db_engine, migrate
from central.errors import CentralError
from central.feeds import service as feeds
from central.groupbuy.service import FORGET_BATCH, forget_photos
from central.keys import badge_hash
from central.kiosks import service as kiosks
from central.payments.runtime import repeat, standalone_service
from central.refunds.service import RefundService
from central.sales import service as sales
from kiosk.domain.catalog import product_to_wire
from kiosk.domain.catalog_csv import parse_catalog_csv
from kiosk.domain.staff import Role
from sync.protocol import SalesTotal


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


def _settings(db: str | None) -> Settings:
    return settings_from(dict(os.environ), db)


def _tx(db: str | None) -> tuple[Settings, Any]:
    settings = _settings(db)
    engine = create_db_engine(settings.db_url, pool=False)
    migrate(engine)
    return settings, engine


db_option = click.option(
    "--db", envvar="CENTRAL_DB_URL", default=None, help="Database URL or SQLite path."
)


class _Group(click.Group):
    """Prints the service's own errors as one plain line (exit 1) instead of a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CentralError as exc:
            raise click.ClickException(str(exc)) from exc


@click.group(cls=_Group)
def main() -> None:
    """The chain's central service."""


@main.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8600, show_default=True, type=int)
def serve(db: str | None, host: str, port: int) -> None:
    """Serve the API (migrates the database first)."""
    import uvicorn

    from central.embedded import GRACEFUL_SHUTDOWN_S

    app = create_app(_settings(db))
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S,
    )


@main.command("migrate")
@db_option
def migrate_cmd(db: str | None) -> None:
    """Bring the database schema up to date."""
    _tx(db)
    click.echo("database is up to date")


@main.command()
def secret() -> None:
    """Print a new random master key for CENTRAL_SECRET_KEY."""
    click.echo(new_secret_key())


@main.command("enroll-code")
@db_option
@click.option("--store", "store_id", required=True)
@click.option("--ttl-hours", default=72, show_default=True, type=int)
def enroll_code(db: str | None, store_id: str, ttl_hours: int) -> None:
    """Issue a one-time kiosk enrolment code for STORE."""
    _, engine = _tx(db)
    with engine.begin() as conn:
        code, expires = kiosks.issue_enrolment_code(
            conn, admin.known_store(conn, store_id), ttl_hours, _now_ms()
        )
    click.echo(code)
    click.echo(f"valid until {iso_ms(expires)}", err=True)


@main.group()
def operator() -> None:
    """Operator credentials."""


@operator.command("add")
@db_option
@click.argument("name")
def operator_add(db: str | None, name: str) -> None:
    """Create an operator bearer token (printed once; only its hash is kept)."""
    _, engine = _tx(db)
    with engine.begin() as conn:
        token = kiosks.add_operator(conn, name, _now_ms())
    click.echo(token)


@main.group("admin")
def admin_group() -> None:
    """Back-office console accounts (the console itself is served at /admin/)."""


@admin_group.command("create-operator")
@db_option
@click.option("--login", required=True, help="Sign-in name: lowercase letters, digits, . _ -")
@click.option("--name", required=True, help="The person's name, as the audit log shows it.")
@click.option("--role", type=click.Choice([r.value for r in AdminRole]),
              default=AdminRole.HQ_ADMIN.value, show_default=True)  # fmt: skip
@click.option("--store", "stores", multiple=True, help="A store a store manager runs (repeat).")
def admin_create_operator(
    db: str | None, login: str, name: str, role: str, stores: tuple[str, ...]
) -> None:
    """Create a console account; the first HQ admin is made here.

    The password is read from CENTRAL_ADMIN_PASSWORD or asked for (twice, not echoed):
    never an argument, which would stay in the shell's history and the process list.
    """
    password = os.environ.get("CENTRAL_ADMIN_PASSWORD") or click.prompt(
        "Password", hide_input=True, confirmation_prompt=True
    )
    _, engine = _tx(db)
    with engine.begin() as conn:
        admin.create_account(
            conn, admin.Actor("cli", "cli"), login, name, role, stores, password, _now_ms()
        )
    click.echo(f"account {login} ({role}) created: sign in at /admin/")


@main.group("kiosk")
def kiosk_group() -> None:
    """Enrolled kiosks."""


@kiosk_group.command("revoke")
@db_option
@click.argument("kiosk_id")
def kiosk_revoke(db: str | None, kiosk_id: str) -> None:
    """Revoke a kiosk's credential: its requests are refused from now on."""
    _, engine = _tx(db)
    with engine.begin() as conn:
        kiosks.revoke_kiosk(conn, kiosk_id, _now_ms())
    click.echo(f"kiosk {kiosk_id} revoked")


@main.group("groupbuy")
def groupbuy_group() -> None:
    """Group-buy campaigns."""


@groupbuy_group.command("forget-photos")
@db_option
def groupbuy_forget_photos(db: str | None) -> None:
    """Delete buyers' photos kept past their time (CENTRAL_GROUPBUY_PHOTO_KEEP_DAYS after
    their problem was resolved). Resolving problems deletes them too; run this from cron
    where problems may stop being resolved."""
    settings, engine = _tx(db)
    total = 0
    while True:  # in batches: each a short transaction beside the service's
        with engine.begin() as conn:
            deleted = forget_photos(conn, _now_ms(), settings.photo_keep_days, FORGET_BATCH)
        total += deleted
        if deleted < FORGET_BATCH:
            break
    click.echo(f"{total} photos deleted (kept {settings.photo_keep_days} days after resolving)")


@main.command("sweep")
@db_option
@click.option("--every", type=float, default=None, help="Repeat every this many seconds.")
def sweep_cmd(db: str | None, every: float | None) -> None:
    """Check the payments whose check is due (close expired QR codes at the provider, ask
    about missing callbacks, retry closes) and ask again about refunds still processing
    (`RefundService.sweep`). One such process per chain is enough; more are safe."""
    service = standalone_service(db)
    refunds = RefundService(service.engine, service.config, service.providers, _now_ms)

    def chore() -> str:
        paid = service.sweep(service.config.public_url or "")
        return f"checked {paid} payment(s) and {refunds.sweep()} refund(s)"

    repeat(chore, every)


@main.command("fleet")
@db_option
@click.option("--json", "as_json", is_flag=True)
def fleet_cmd(db: str | None, as_json: bool) -> None:
    """Kiosks and their last heartbeat."""
    _, engine = _tx(db)
    with engine.begin() as conn:
        rows = kiosks.fleet(conn)
    if as_json:
        click.echo(json.dumps([r.model_dump(mode="json") for r in rows], indent=2))
        return
    for r in rows:
        beat = r.heartbeat
        state = "revoked" if r.revoked else (beat.connectivity if beat else "never seen")
        depth = beat.queue_depth if beat else "-"
        click.echo(
            f"{r.store_id:10} {r.kiosk_id}  {r.name:12} {state:10} "
            f"queue={depth} last={r.last_seen_at}"
        )


@main.group()
def catalog() -> None:
    """The chain's catalog."""


@catalog.command("import")
@db_option
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def catalog_import(db: str | None, path: Path) -> None:
    """Import FILE.csv (the kiosk's catalog CSV format) into the catalog feed."""
    # The kiosk's CSV parser: one catalog format for both ends.
    parsed = parse_catalog_csv(path)
    products, errors = parsed.products, parsed.errors
    for error in errors:
        click.echo(f"skipped: {error}", err=True)
    _, engine = _tx(db)
    with engine.begin() as conn:
        changed = feeds.write(conn, "catalog", [product_to_wire(p) for p in products], [])
    click.echo(f"{len(products)} products read, {changed} changed")
    if errors:
        sys.exit(1)


@main.group()
def staff() -> None:
    """Store staff (PINs are stored as argon2 hashes, badges as keyed hashes)."""


@staff.command("add")
@db_option
@click.option("--id", "staff_id", required=True)
@click.option("--name", required=True)
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.ASSOCIATE.value)
@click.option("--pin", default=None, help="Numeric PIN (hashed with argon2 before storing).")
@click.option("--badge", default=None, help="Badge barcode content (stored as a keyed hash).")
def staff_add(
    db: str | None, staff_id: str, name: str, role: str, pin: str | None, badge: str | None
) -> None:
    """Add or update a staff member; kiosks receive it with their next staff pull."""
    from argon2 import PasswordHasher

    settings, engine = _tx(db)
    record = {
        "staff_id": staff_id,
        "name": name,
        "role": role,
        "active": True,
        "pin_hash": PasswordHasher().hash(pin) if pin else None,
        "badge_hash": badge_hash(settings.secret_key, badge) if badge else None,
    }
    with engine.begin() as conn:
        feeds.write(conn, "staff", [record], [])
    click.echo(f"staff {staff_id} saved")


@main.group()
def report() -> None:
    """Reports."""


@report.command("alerts")
@db_option
@click.option("--json", "as_json", is_flag=True)
def report_alerts(db: str | None, as_json: bool) -> None:
    """Alerts by reason and kiosk; time to acknowledge and to clear (median, p90, seconds)."""
    from central.attendant import service as attendant

    _, engine = _tx(db)
    with engine.begin() as conn:
        result = attendant.alerts_report(conn)
    if as_json:
        click.echo(json.dumps(result, indent=2))
        return
    click.echo(f"alerts: {result['count']}    open: {result['open']}")
    for reason, count in result["by_reason"].items():
        click.echo(f"  {reason:24} {count:>6}")
    for name in ("acknowledge_s", "clear_s"):
        spread = result[name]
        click.echo(f"time to {name[:-2]}: median {spread['median']} s, p90 {spread['p90']} s "
                   f"({spread['count']} alerts)")  # fmt: skip


@report.command("transfers")
@db_option
@click.option("--json", "as_json", is_flag=True)
def report_transfers(db: str | None, as_json: bool) -> None:
    """Carts suspended, resumed and still open; resumes of one cart at two kiosks."""
    from central.transfers import service as transfers

    _, engine = _tx(db)
    with engine.begin() as conn:
        result = transfers.report(conn)
    if as_json:
        click.echo(result.model_dump_json(indent=2))
        return
    click.echo(f"suspended: {result.suspended}    resumed: {result.resumed}    open: {result.open}")
    for d in result.double_resumes:
        click.echo(f"  resumed twice: {d.cart_id} at {d.first_kiosk_id} ({d.first_at}) "
                   f"and {d.kiosk_id} ({d.at}, staff {d.staff_id})")  # fmt: skip


@report.command("staff")
@db_option
@click.option("--json", "as_json", is_flag=True)
def report_staff(db: str | None, as_json: bool) -> None:
    """Price overrides and voids by staff member: count and amount (integer minor units)."""
    _, engine = _tx(db)
    with engine.begin() as conn:
        rows = sales.staff_report(conn)
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    click.echo(f"{'store':10} {'staff':12} {'cur':3} {'overrides':>10} {'minor':>10} "
               f"{'line voids':>10} {'minor':>10} {'sale voids':>10} {'minor':>10}")  # fmt: skip
    for r in rows:
        click.echo(
            f"{r['store_id']:10} {r['staff_id']:12} {r['currency']:3} {r['overrides']:>10} "
            f"{r['override_minor']:>10} {r['line_voids']:>10} {r['line_void_minor']:>10} "
            f"{r['sale_voids']:>10} {r['sale_void_minor']:>10}"
        )


@report.command("sales")
@db_option
@click.option("--json", "as_json", is_flag=True)
@click.option("--csv", "as_csv", is_flag=True, help="The totals as CSV.")
def report_sales(db: str | None, as_json: bool, as_csv: bool) -> None:
    """Sales count, gross, refunds and net (integer minor units) by store and kiosk."""
    _, engine = _tx(db)
    with engine.begin() as conn:
        result = sales.sales_report(conn)
        integrity = sales.integrity_report(conn)
    if as_csv:
        rows = [t.model_dump() for t in result.totals]
        click.echo(to_csv(rows, list(SalesTotal.model_fields)), nl=False)
        return
    if as_json:
        click.echo(
            json.dumps(
                {**result.model_dump(mode="json"), "integrity": integrity.model_dump(mode="json")},
                indent=2,
            )
        )
        return
    click.echo(f"sales stored: {result.count}    conflicts for review: {result.conflicts}")
    click.echo(
        f"{'store':10} {'kiosk':36} {'cur':3} {'training':8} {'count':>8} {'gross_minor':>14} "
        f"{'refunds':>8} {'refund_minor':>14} {'net_minor':>14}"
    )
    for t in result.totals:
        click.echo(
            f"{t.store_id:10} {t.kiosk_id:36} {t.currency:3} {t.training!s:8} "
            f"{t.count:>8} {t.total_minor:>14} {t.refund_count:>8} {t.refund_minor:>14} "
            f"{t.net_minor:>14}"
        )
    problems = integrity.issues + integrity.sequence_gaps
    click.echo(f"integrity: {len(problems)} issue(s)")
    for issue in problems:
        click.echo(f"  {issue.kiosk_id} {issue.kind} at {issue.index}: {issue.detail}")


@main.group("analytics")
def analytics_group() -> None:
    """The analytics reports' rollups."""


@analytics_group.command("rebuild")
@db_option
def analytics_rebuild(db: str | None) -> None:
    """Recompute the rollups from every stored sale (for sales stored before they existed)."""
    _, engine = _tx(db)
    started = time.monotonic()
    with engine.begin() as conn:
        counted = analytics.rebuild(conn)
    click.echo(f"rollups rebuilt from {counted} sale(s) in {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()
