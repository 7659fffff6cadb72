"""The kiosk's sync against a real central service on loopback: enrol, sell, deliver, pull."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from app.cli import main
from app.core import build_core
from kiosk.domain.sale import Tender
from kiosk.store.uow import KioskStore
from simulators.sales import simulate
from sync.client import new_client
from sync.enrolment import enroll, load_credential
from sync.errors import EnrolmentRefused, NotEnrolled
from sync.operations import drain, status_dict, sync_now
from sync.pullers import PULLED
from sync.relay import OutboxRelay
from sync.worker import SyncWorker
from tests.integration.conftest import FAST_RETRY, CentralHarness
from tests.integration.sync.conftest import store_unchecked


@pytest.fixture
def kiosk(
    tmp_path: Path, central: CentralHarness, demo_products: list[dict[str, Any]]
) -> KioskStore:
    central.load_catalog(demo_products)
    store = KioskStore.open(tmp_path / "kiosk.db")
    enroll(store, central.url, central.enrolment_code("S001"), name="till 1")
    sync_now(store)
    return store


def central_totals(central: CentralHarness) -> tuple[int, int]:
    report = central.op("GET", "/v1/admin/reports/sales").json()
    return report["count"], sum(t["total_minor"] for t in report["totals"])


def test_enrol_pull_sell_and_deliver(
    tmp_path: Path, central: CentralHarness, kiosk: KioskStore
) -> None:
    assert kiosk.catalog.count() == 201  # the demo catalog: 200 goods and a carrier bag
    # The central catalog feed carries the loose goods' PLUs and pictures (#16), and the
    # kiosk works out their pinyin as it stores them.
    loose = {e.product.name("en"): e for e in kiosk.catalog.looked_up()}
    assert len(loose) == 10  # nine loose produce items and the baguette
    assert loose["Fuji Apples"].product.plu == "4131"
    assert loose["Fuji Apples"].product.picture == "fuji-apples.png"
    assert loose["Fuji Apples"].initials == ("hfspg",)
    result = simulate(tmp_path, 30, members=True, seed=3)
    assert result.completed == 30
    drain(kiosk, timeout_s=60)
    assert central_totals(central) == (30, result.total_minor)
    assert central.op("GET", "/v1/admin/reports/integrity").json() == {
        "issues": [],
        "sequence_gaps": [],
    }
    status = status_dict(kiosk)
    assert (status["queue_depth"], status["conflicts"]) == (0, [])
    # Training sales are marked as such all the way to the central reports.
    assert {
        t["training"] for t in central.op("GET", "/v1/admin/reports/sales").json()["totals"]
    } == {True}


def test_lost_acknowledgement_means_resend_answered_duplicate(
    tmp_path: Path, central: CentralHarness, kiosk: KioskStore
) -> None:
    simulate(tmp_path, 5, seed=1)
    pending = kiosk.outbox.pending(100, "sale")
    client = new_client(load_credential(kiosk))
    # The service stores the batch, but the kiosk "crashes" before marking rows sent.
    client.call("POST", "/v1/sales/batch", body={"sales": [r.payload for r in pending]})
    assert kiosk.outbox.depth() > 0
    report = OutboxRelay(kiosk, client).drain()
    assert (report.sent, report.duplicates) == (5, 5)  # journal rows stored, sales duplicate
    assert central_totals(central)[0] == 5


def test_worker_thread_syncs_in_background_and_stops(
    tmp_path: Path, central: CentralHarness, kiosk: KioskStore
) -> None:
    path = tmp_path / "kiosk.db"
    worker = SyncWorker(lambda: KioskStore.open(path), interval_s=60, heartbeat_s=0)
    worker.start()
    try:
        assert worker.wait_rounds(1, timeout=30)
        simulate(tmp_path, 8, seed=2)
        worker.wake()
        assert worker.wait_rounds(2, timeout=30)
        assert worker.last_report is not None
        assert worker.last_report.error == ""
    finally:
        worker.stop()
    assert kiosk.outbox.depth() == 0
    assert central_totals(central)[0] == 8
    [fleet] = central.op("GET", "/v1/admin/fleet").json()["kiosks"]
    assert fleet["heartbeat"] is not None


def test_unreachable_service_keeps_the_kiosk_selling(
    tmp_path: Path, central: CentralHarness, kiosk: KioskStore
) -> None:
    cred = load_credential(kiosk)
    kiosk.settings.set(
        "sync.credential", cred.to_settings() | {"central_url": "http://127.0.0.1:9"}
    )
    simulate(tmp_path, 3, seed=4)
    path = tmp_path / "kiosk.db"
    worker = SyncWorker(
        lambda: KioskStore.open(path),
        interval_s=60,
        client_factory=lambda cred, **kw: new_client(cred, retry=FAST_RETRY, **kw),
    )
    worker.start()
    try:
        assert worker.wait_rounds(1, timeout=120)
        assert worker.last_report is not None
        assert "did not answer" in worker.last_report.error
        assert worker.connectivity.state.value == "offline"
    finally:
        worker.stop()
    assert kiosk.sales.count() == 3
    assert kiosk.outbox.depth() == 6


def test_reenrolling_with_a_full_queue_is_refused(
    tmp_path: Path, central: CentralHarness, kiosk: KioskStore
) -> None:
    simulate(tmp_path, 1, seed=5)
    with pytest.raises(EnrolmentRefused):
        enroll(kiosk, central.url, central.enrolment_code())


def test_reenrolling_starts_every_feed_over(central: CentralHarness, kiosk: KioskStore) -> None:
    enroll(kiosk, central.url, central.enrolment_code())
    feeds = [feed.cursor for feed in PULLED.values()]
    # catalog, rules, staff, store rules, promotions, coupons, tiers, erasures
    assert len(feeds) == 8
    for key in feeds:
        kiosk.settings.set(key, "cursor-from-the-old-service")
    enroll(kiosk, central.url, central.enrolment_code())  # nothing queued: allowed
    assert {kiosk.settings.get(key) for key in feeds} == {""}


def test_not_enrolled_says_what_to_do(tmp_path: Path) -> None:
    store = KioskStore.open(tmp_path / "fresh.db")
    with pytest.raises(NotEnrolled, match="kiosk enroll"):
        sync_now(store)


def test_cli_commands(
    tmp_path: Path, central: CentralHarness, demo_products: list[dict[str, Any]]
) -> None:
    central.load_catalog(demo_products)
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(main, ["--home", str(tmp_path / "cli"), *args])

    code = central.enrolment_code("S009")
    result = invoke("enroll", "--central", central.url, "--code", code)
    assert result.exit_code == 0, result.output
    assert "store S009" in result.output
    result = invoke("sync", "now")
    assert result.exit_code == 0, result.output
    assert "'catalog': 201" in result.output
    result = invoke("sync", "status")
    assert "queued:       0" in result.output
    assert "refused" not in result.output
    # A product a newer service sends that this version cannot read.
    store_unchecked(central, "catalog", {**demo_products[0], "unit": "litre"})
    assert invoke("sync", "now").exit_code == 0
    result = invoke("sync", "status")
    assert "refused catalog: 1 (this version cannot read them)" in result.output
    assert f"  {demo_products[0]['gtin']}: " in result.output
    result = invoke("enroll", "--central", central.url, "--code", code)
    assert result.exit_code == 1
    assert "refused" in result.output


def test_kiosk_sync_now_pushes_redemptions_and_pulls_offers(
    tmp_path: Path, central: CentralHarness, kiosk: KioskStore
) -> None:
    """`kiosk sync now` ran only the core feeds and relay: coupon redemptions waited for
    the UI's sync thread and the chain's offers never came (the loyalty steps were the
    UI's alone)."""
    central.load_offers()
    sync = CliRunner().invoke(main, ["--home", str(tmp_path), "sync", "now"])
    assert sync.exit_code == 0, sync.output
    assert "'promotions': 11" in sync.output
    assert len(kiosk.loyalty.promotions()) == 11
    [printed] = central.op(
        "POST", "/v1/loyalty/admin/coupons/print", json={"coupon_id": "snacks-3-off", "count": 1}
    ).json()
    core = build_core(tmp_path)
    try:
        for code in ("6933509001015", "6933509001015", "6933509001022", "6933509001022"):
            core.checkout.scan(code)
        assert core.checkout.add_coupon(printed).verdict.accepted
        state = core.checkout.begin_payment()
        core.checkout.complete_sale(Tender(core.ids.new(), "demo", state.priced.total))
    finally:
        core.close()
    assert len(kiosk.outbox.pending(10, "coupon_redemption")) == 1
    sync = CliRunner().invoke(main, ["--home", str(tmp_path), "sync", "now"])
    assert sync.exit_code == 0, sync.output
    assert kiosk.outbox.pending(10, "coupon_redemption") == []
    report = central.op("GET", "/v1/loyalty/admin/reports/coupons").json()
    assert sum(row["redeemed"] for row in report) == 1
