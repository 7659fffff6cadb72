"""Kiosk CLI commands for sync: `kiosk enroll`, `kiosk sync status`, `kiosk sync now`.

`register(main, open_store)` adds them to the kiosk's click group; `open_store(ctx)`
returns the kiosk's `KioskStore` (the kiosk CLI knows where its data lives). The
plain functions below do the work and are what the UI and tests call.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict
from importlib import metadata
from typing import Any

import click

from kiosk.domain.errors import KioskError
from kiosk.store.uow import KioskStore
from sync.client import Credential, new_client
from sync.enrolment import enroll, load_credential
from sync.errors import SyncError
from sync.relay import ROUTES
from sync.worker import RoundReport, heartbeat, status, sync_round


def enroll_kiosk(
    store: KioskStore, central_url: str, code: str, name: str = "", force: bool = False
) -> Credential:
    return enroll(store, central_url, code, name=name, force=force)


def sync_now(store: KioskStore, *, pull: bool = True) -> RoundReport:
    """One full round (push, then pull) with the usual retries; raises SyncError."""
    client = new_client(load_credential(store))
    try:
        report = sync_round(store, client, pull=pull)
        heartbeat(store, client, app_version())
        return report
    finally:
        client.close()


def app_version() -> str:
    try:
        return metadata.version("scan-to-buy-kiosk")
    except metadata.PackageNotFoundError:
        return "dev"


def pending_known(store: KioskStore) -> int:
    return sum(len(store.outbox.pending(1, kind)) for kind in ROUTES)


def drain(
    store: KioskStore, timeout_s: float = 300.0, batch_size: int | None = None
) -> RoundReport:
    """Sync until nothing the relay can send is pending, or give up after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    client = new_client(load_credential(store))
    report = RoundReport()
    try:
        while True:
            try:
                report = sync_round(store, client, pull=False, batch_size=batch_size)
                if not pending_known(store):
                    return report
            except SyncError as exc:
                report.error = str(exc)
            if time.monotonic() > deadline:
                raise SyncError(f"the queue did not drain in {timeout_s:.0f} s ({report.error})")
    finally:
        client.close()


def status_dict(store: KioskStore) -> dict[str, Any]:
    data = asdict(status(store))
    data["connectivity"] = str(data["connectivity"])
    data.pop("last_error")
    return data


def register(main: click.Group, open_store: Callable[[click.Context], KioskStore]) -> None:
    """Add `enroll`, `simulate` and the `sync` group to the kiosk's click group."""

    @main.command("simulate")
    @click.option("--sales", type=int, required=True, help="Complete sales until there are N.")
    @click.option("--items", type=int, default=5, show_default=True, help="Most items a sale.")
    @click.option("--members", is_flag=True, help="Also sign up members and earn points.")
    @click.option("--seed", type=int, default=None)
    @click.option("--sync", "with_sync", is_flag=True, help="Deliver them at the end.")
    @click.pass_context
    def simulate_command(
        ctx: click.Context, sales: int, items: int, members: bool, seed: int | None, with_sync: bool
    ) -> None:
        """Run realistic training-mode sales through the real checkout (load, faults, demos)."""
        from sync.simulate import simulate

        store = open_store(ctx)
        try:
            report = simulate(store, sales, items=items, members=members, seed=seed)
            if with_sync:
                drain(store)
        except (SyncError, KioskError) as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(
            f"{report.completed} training sales completed ({report.total_minor} minor units "
            f"{report.currency}), {report.members} member sign-ups; queued: {store.outbox.depth()}"
        )

    @main.command("enroll")
    @click.option("--central", "central_url", required=True, help="Central service URL.")
    @click.option("--code", required=True, help="One-time enrolment code from the operator.")
    @click.option("--name", default="", help="A name for this kiosk in the fleet view.")
    @click.option("--force", is_flag=True, help="Enrol even with unsent data queued.")
    @click.pass_context
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

    @sync_group.command("now")
    @click.pass_context
    def now_command(ctx: click.Context) -> None:
        """Push everything queued and pull catalog, rules and staff now."""
        try:
            report = sync_now(open_store(ctx))
        except SyncError as exc:
            raise click.ClickException(str(exc)) from exc
        r = report.relay
        click.echo(
            f"sent {r.sent} new, {r.duplicates} already there, {r.conflicts} conflicts; "
            f"pulled {report.pulled}"
        )
